"""The board's room actions: report, since last time, merging notes, the hand-off
copy, help, and the options a shared screen needs (theme, authors, borders).

A mixin of BoardScreen."""

from __future__ import annotations

from ...i18n import _
from ...store.fileformat import SessionFileError
from ..actions import BOARD_COMMANDS


class RoomActions:
    # -- room options --------------------------------------------------------------------------

    def action_report(self) -> None:
        from .report import ReportScreen

        self.app.push_screen(ReportScreen(self.model, self.clock))

    def action_since(self) -> None:
        from .since import SinceLastTimeScreen

        self.app.push_screen(SinceLastTimeScreen(self.model.whole(), self.model.removed_cards(), self.clock.today()))

    def action_import_notes(self) -> None:
        from .import_notes import ImportScreen

        def merged(done: bool | None) -> None:
            if done:
                self.run_worker(self.rebuild(), group="rebuild")
        self.app.push_screen(ImportScreen(self.model), merged)

    def action_handoff_copy(self) -> None:
        from pathlib import Path

        source = Path(self.model.path).resolve()
        stem = f"{source.stem}-handoff-{self.clock.today().isoformat()}"
        target, n = source.with_name(stem + source.suffix), 2
        while target.exists():
            target, n = source.with_name(f"{stem}-{n}{source.suffix}"), n + 1
        try:
            self.model.copy_to(str(target))
        except (SessionFileError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(_("hand-off copy written to {path}").format(path=target), timeout=8)

    def action_help(self) -> None:
        from .help import HelpScreen

        # What works here: a phase's keys only in their phase (as the key bar and the palette).
        here = tuple(c for c in BOARD_COMMANDS if self.check_action(c.action.split("(")[0], ()) is not False)
        self.app.push_screen(HelpScreen(here, judging=self.phase == "impact"))

    def action_toggle_theme(self) -> None:
        self.app.toggle_theme()  # type: ignore[attr-defined]

    async def action_toggle_authors(self) -> None:
        settings = self.app.settings  # type: ignore[attr-defined]
        settings.hide_authors = not settings.hide_authors
        settings.save()
        await self.rebuild()
        self.notify(_("authors hidden") if settings.hide_authors else _("authors shown"), timeout=2)

    def action_toggle_ascii(self) -> None:
        settings = self.app.settings  # type: ignore[attr-defined]
        settings.ascii_borders = not settings.ascii_borders
        settings.save()
        for widget in self.phase_widgets():  # card columns and the impact view
            widget.set_ascii(settings.ascii_borders)

