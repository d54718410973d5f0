"""Merge notes written in advance: preview what will be added, by author, with
likely duplicates flagged, before anything is committed."""

from __future__ import annotations

import os
import shlex
from collections import Counter

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from ...domain.duplicates import likely_duplicates
from ...domain.merge import MergePlan, plan_merge
from ...domain.model import Failure, Workshop
from ...domain.plaintext import visible
from ...domain.validate import ValidationError
from ...i18n import _
from ...store.fileformat import SessionFileError
from ..literal import Plain, PlainInput
from ..session_model import SessionModel


Duplicates = list[tuple[Failure, Failure, float]]
Plans = list[tuple[str, MergePlan, Workshop]]  # (path, plan, the session it merges into) per source


def preview(plan: MergePlan, target: Workshop, duplicates: Duplicates | None) -> Text:
    """What a merge adds, by author, and which failures look like ones already there
    (``duplicates`` None: still being checked)."""
    text = Text()
    if plan.empty:
        text.append(_("Nothing to add: every card is already here (or was deleted here).") + "\n", style="bold")
        return text
    authors = Counter(card.author or _("(no author)") for card in [*plan.failures, *plan.countermeasures, *plan.retro])
    text.append(_("Will add {f} failures, {c} countermeasures, {r} retro notes, {p} participants; "
                  "{s} already here.").format(f=len(plan.failures), c=len(plan.countermeasures), r=len(plan.retro),
                                              p=len(plan.participants), s=plan.skipped) + "\n\n", style="bold")
    text.append(_("By author") + "\n", style="bold")
    for author, n in authors.most_common():
        text.append(f"  {author}: {n}\n")
    if duplicates is None:
        text.append("\n" + _("checking for duplicates...") + "\n", style="italic")
    elif duplicates:
        text.append("\n" + _("Likely duplicates (same service, period and timing, similar text): "
                              "still added, merge them by hand") + "\n", style="bold yellow")
        for new, old, ratio in duplicates:
            text.append(f"  ! {new.service}: {new.failure}  ~  {old.failure} ({ratio:.0%})"
                        f"  {_('by {name}').format(name=new.author) if new.author else ''}\n")
    text.append("\n" + _("Cards") + "\n", style="bold")
    for f in plan.failures:
        text.append(f"  {_('failure')}: {f.service}: {f.failure}  {f.author}\n")
    for c in plan.countermeasures:
        text.append(f"  {_('countermeasure')}: {c.text}  {c.author}\n")
    for n in plan.retro:
        text.append(f"  {_(n.kind)}: {n.text}  {n.author}\n")
    return text


class ImportScreen(ModalScreen[bool]):
    """Type the files, look at the preview, ctrl+s merges, escape leaves the session as it is."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical { width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    ImportScreen #import-title { text-style: bold; }
    ImportScreen #import-error { color: $text-error; text-style: bold; height: auto; }
    ImportScreen VerticalScroll { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "merge", _("Merge"), priority=True),
        Binding("escape", "cancel", _("Cancel"), priority=True),
    ]

    def __init__(self, model: SessionModel) -> None:
        super().__init__()
        self.model = model
        self.sources: list[tuple[str, Workshop]] = []
        self._plans: Plans = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(_("Merge notes written in advance (JSON exports or .premortem files). "
                           "enter: preview   ctrl+s: merge   escape: cancel"), id="import-title")
            yield PlainInput(placeholder=_("paths, separated by spaces"), id="import-paths")
            yield Plain("", id="import-error")
            with VerticalScroll():
                yield Plain("", id="import-preview")

    def on_mount(self) -> None:
        self.query_one(PlainInput).focus()

    def on_input_submitted(self, event: PlainInput.Submitted) -> None:
        self._load(event.value)

    def _load(self, value: str) -> bool:
        from ...store.sources import load_source

        error = self.query_one("#import-error", Plain)
        try:
            paths = [os.path.expanduser(p) for p in shlex.split(value)]
        except ValueError as exc:
            error.update(str(exc))
            return False
        if not paths:
            error.update(_("type the path of at least one file"))
            return False
        sources, warnings = [], []
        for path in paths:
            try:
                workshop, notes = load_source(path)
            except SessionFileError as exc:
                error.update(str(exc))
                return False
            sources.append((path, workshop))
            warnings += notes
        self.sources = sources
        error.update("\n".join(warnings))
        self._plans = self._plan()
        self._show(self._plans, None)
        self._check_duplicates(self._plans)
        return True

    def _plan(self) -> Plans:
        """Each source is merged after the ones before it, as the merge itself will do."""
        target = self.model.whole()
        deleted = self.model.deleted_ids()
        plans = []
        for path, source in self.sources:
            plan = plan_merge(target, deleted, source)
            plans.append((path, plan, target))
            target = Workshop(target.session, target.participants + plan.participants, target.phases,
                              target.failures + plan.failures, target.countermeasures + plan.countermeasures,
                              target.retro + plan.retro)
        return plans

    def _show(self, plans: Plans, duplicates: list[Duplicates] | None) -> None:
        if plans is not self._plans:  # a later enter replaced them
            return
        text = Text()
        for n, (path, plan, target) in enumerate(plans):
            text.append(visible(path) + "\n", style="bold underline")
            text.append_text(preview(plan, target, None if duplicates is None else duplicates[n]))
            text.append("\n")
        self.query_one("#import-preview", Plain).update(text)

    # Thousands of comparisons: off the UI thread, so the screen answers keys meanwhile.
    @work(thread=True, exclusive=True, group="duplicates")
    def _check_duplicates(self, plans: Plans) -> None:
        found = [likely_duplicates(target, plan.failures) for _path, plan, target in plans]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, plans, found)

    def action_merge(self) -> None:
        if not self.sources and not self._load(self.query_one(PlainInput).value):
            return
        try:
            added = self.model.merge([source for _path, source in self.sources])
        except (SessionFileError, ValidationError) as exc:
            self.query_one("#import-error", Plain).update(str(exc))
            return
        self.app.notify(_("merged: {n} cards added").format(n=added), timeout=5)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
