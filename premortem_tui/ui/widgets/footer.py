"""The key bar at the bottom of the board: the keys that work now, in one line.

One widget drawing one line of text: Textual's footer mounts a widget per key
and restyles them all whenever the focus moves, which the board does on almost
every keystroke. A click on a key runs it, as in the footer.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import events
from textual.screen import Screen

from ...i18n import _
from ..literal import Plain


class KeyBar(Plain):
    COMPONENT_CLASSES = {"keybar--key"}
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; width: 1fr; background: $panel; color: $foreground; }
    KeyBar > .keybar--key { color: $text-accent; text-style: bold; }
    """

    def __init__(self, order: Mapping[str, int] | None = None) -> None:
        super().__init__("")
        self._order = order or {}  # actions in this order first, then the rest as bound
        self._shown: list[tuple[str, str, str]] = []
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        shown: list[tuple[str, str, str]] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tip in screen.active_bindings.values():
            if binding.show and enabled and binding.action not in actions:
                actions.add(binding.action)
                shown.append((self.app.get_key_display(binding), binding.description, binding.action))
        if self._order:
            last = len(self._order)
            shown.sort(key=lambda item: self._order.get(item[2], last))
        if shown == self._shown:
            return
        self._shown = shown
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """As many keys as fit, in declaration order; the palette, which has every action, always."""
        key_style = self.get_component_rich_style("keybar--key")
        items = [(key, f"{description} ") for key, description, _action in self._shown]
        palette = ("^p", _("palette"))
        room = self.size.width - len(f" {palette[0]} {palette[1]} ") if self.size.width else 10_000
        text, spans = Text(no_wrap=True, overflow="crop"), []
        for (key, description), (_k, _d, action) in zip(items, self._shown):
            if text.cell_len + len(key) + 2 + len(description) > room:
                break
            start = text.cell_len
            text.append(f" {key} ", style=key_style)
            text.append(description)
            spans.append((start, text.cell_len, action))
        start = text.cell_len
        text.append(f" {palette[0]} ", style=key_style)
        text.append(palette[1])
        spans.append((start, text.cell_len, "app.command_palette"))
        self._spans = spans
        self.update(text)

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.screen.run_action(action)
                return
