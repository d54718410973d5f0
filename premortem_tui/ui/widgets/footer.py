"""A footer that rebuilds only when the keys it shows change.

Textual's footer recomposes on every focus change; moving between columns
changes no visible key, so rebuilding ten key widgets there is wasted time on
every keystroke.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple((binding.key, binding.action, binding.description, enabled)
                      for (_node, binding, enabled, _tip) in screen.active_bindings.values() if binding.show)
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        super().bindings_changed(screen)
