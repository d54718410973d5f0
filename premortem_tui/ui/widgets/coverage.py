"""Defence in depth for the failures that matter: which stages the chosen
countermeasures cover, a gap warning where none answers, and stage notes."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList

from ...domain.model import STAGES, Workshop
from ...domain.scoring import BAND_SYMBOLS, CHOSEN, Coverage, band, coverage
from ...i18n import _
from ..literal import literal, option
from ..text import truncate

STAGE_LETTERS = {"prevent": "P", "detect": "D", "respond": "R", "recover": "C", "learn": "L"}


class CoveragePanel(OptionList):
    """One line per high or critical failure not marked acceptable; enter jumps to its countermeasures."""

    ROWS = 7  # shown at once; the rest scroll
    DEFAULT_CSS = f"""
    CoveragePanel {{ height: auto; max-height: {ROWS + 2}; border: round $panel-lighten-2; border-title-style: bold;
                    border-title-color: $foreground; border-subtitle-color: $text-muted; }}
    CoveragePanel:focus {{ border: heavy $accent; }}
    """

    # j/k as in the board's columns; the arrows work as in any list.
    BINDINGS = [Binding("j", "cursor_down", show=False), Binding("k", "cursor_up", show=False)]

    class Jump(Message):
        def __init__(self, failure_id: str) -> None:
            super().__init__()
            self.failure_id = failure_id

    # What a drawn row shows: (failure id, risk, covered stages, service, failure text).
    _rows: list[tuple[str, int | None, tuple[str, ...], str, str]] | None = None
    _frame: tuple[object, ...] = ()  # the room and translated labels the rows were drawn with
    _inputs: tuple[object, ...] = ()  # what the last rows were computed from

    def show(self, w: Workshop, width: int) -> None:
        """Show the coverage of ``w``; only the rows whose content changed are drawn again.

        It runs on every change on the priority board, with thousands of rows on a big
        judged session: a move within a column, or a decision that covers no new stage,
        leaves the rows as they were and the list untouched.
        """
        labels = {"gap": _("GAP: no chosen countermeasure"), "detect": _("nothing detects it"),
                  "respond": _("nothing responds to it")}
        # What the rows are made of: the failures (a changed one is a new object, so the tuples
        # compare by identity first) and the chosen countermeasures' answers and stages. A move
        # within a column or between unchosen decisions changes none of it, and costs no coverage
        # (~100 ms at 10,000 cards).
        inputs = (width, *labels.values(), tuple(w.failures),
                  tuple((tuple(c.failure_ids), c.stage) for c in w.countermeasures if c.decision in CHOSEN))
        if inputs == self._inputs:
            return
        self._inputs = inputs
        items = coverage(w.failures, w.countermeasures)
        gaps = sum(1 for c in items if c.gap)
        self.border_title = literal(_("Coverage of high and critical failures: {n} with a gap").format(n=gaps))
        self.border_subtitle = literal(_("P prevent  D detect  R respond  C recover  L learn; enter jumps"))
        # A row fills the panel's inside (the screen less the board's margins and the border),
        # less the scrollbar when the rows overflow: a longer row would wrap onto a second line.
        room = width - 4
        if len(items) > self.ROWS:
            room -= self.styles.scrollbar_size_vertical
        frame = (room, *labels.values())
        rows = [(c.failure.id, c.failure.risk, tuple(c.stages), c.failure.service, c.failure.failure)
                for c in items]
        old = self._rows
        if old == rows and frame == self._frame:
            return
        if old is not None and frame == self._frame and rows and [r[0] for r in old] == [r[0] for r in rows]:
            # The same failures in the same order: redraw the changed rows in place.
            for n, (before, item) in enumerate(zip(old, items)):
                if before != rows[n]:
                    self._redraw(n, self._line(item, room, labels))
        else:
            highlighted = self.highlighted
            options = [option(self._line(item, room, labels), id=item.failure.id) for item in items]
            if not options:
                options.append(option(_("No high or critical failure needs a countermeasure."), disabled=True))
            self.set_options(options)
            if highlighted is not None and highlighted < len(options):
                self.highlighted = highlighted
        self._rows, self._frame = rows, frame

    def _redraw(self, index: int, prompt: Text) -> None:
        """Put ``prompt`` in row ``index``.

        OptionList.replace_option_prompt_at_index (Textual 8.2.8, pinned) also drops the line
        cache, and the next frame wraps every row again (~2,000 on a big judged session) for one
        changed row. While the row keeps its height those lines stay right: only its drawing goes.
        """
        option = self.get_option_at_index(index)
        height = self._heights.get(index)
        option._set_prompt(literal(prompt))
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width() - padding.width
        if height is None or self._get_visual(option).get_height(self.styles, width) != height:
            self._clear_caches()  # what the public replacement does
        else:
            self._option_render_cache.clear()
            self.refresh()

    @staticmethod
    def _line(item: Coverage, room: int, labels: dict[str, str]) -> Text:
        f = item.failure
        line = Text()
        line.append(f"{BAND_SYMBOLS[band(f.risk) or '']:<2} {f.risk:>2} ", style="bold")
        for stage in STAGES:
            covered = stage in item.stages
            line.append(STAGE_LETTERS[stage] if covered else ".", style="bold green" if covered else "dim")
        if item.gap:
            line.append("  " + labels["gap"], style="bold red")
        elif item.stage_notes:
            line.append("  " + ", ".join(labels[s] for s in item.stage_notes), style="yellow")
        line.append("  " + truncate(f"{f.service}: {f.failure}", max(10, room - line.cell_len - 2)))
        return line

    def on_focus(self) -> None:
        """Focused (g), the first row is highlighted at once: enter then jumps to it."""
        if self.highlighted is None and self.option_count and not self.get_option_at_index(0).disabled:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
