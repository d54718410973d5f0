"""The board's view of one session: the workshop in memory, the service that
commits every change, and the undo stack of this window.

Screens call this object; it calls the session service (which commits) and
then mirrors the change in memory, so a keystroke never re-reads the file.
Where cards sit is the store's to say: the model applies the order of every
column the service reports (``ColumnOrder``) as given and computes none itself.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from ..domain.model import Countermeasure, Failure, Phase, RetroNote, Workshop
from ..i18n import _

if TYPE_CHECKING:  # the service's module loads the ORM: not before the first paint
    from ..store.ordering import ColumnOrder
    from ..store.service import SessionService

T = TypeVar("T")

UNDO_DEPTH = 100


@dataclass
class UndoStep:
    label: str
    undo: Callable[[], Any]


class SessionModel:
    """Workshop + service + undo. The service may still be opening in a thread."""

    @property
    def workshop(self) -> Workshop:
        return self._workshop

    @workshop.setter
    def workshop(self, workshop: Workshop) -> None:
        """A whole read of the session lives until the next one: the objects alive now move out of
        the cycle collector's way (gc.freeze). Its full passes over ~100,000 objects of a session of
        10,000 cards took 100-150 ms, and landed on a random keystroke; freed cards still go by
        reference counting."""
        self._workshop = workshop
        gc.freeze()

    def __init__(self, workshop: Workshop, path: str, *, service: Any = None,
                 opener: Callable[[], Any] | None = None, author: str = "", readonly: bool = False,
                 partial: bool = False, lean: Any = None) -> None:
        self.workshop = workshop
        # The first paint may have read only what its phase shows (no countermeasures): see whole().
        self.partial = partial
        self.path = path
        self.author = author
        self.undo_stack: list[UndoStep] = []
        self._readonly = readonly
        self._service = service
        self._error: BaseException | None = None
        self._opener = opener if service is None else None
        self._fresh: Workshop | None = None
        # The first read (store.reader.LeanRead), if it can still say whether the file changed since.
        self._lean = lean
        self._thread: threading.Thread | None = None
        self._closing = threading.Lock()  # close() and the opening thread's hand-over, one at a time
        self._closed = False

    def start_opening(self) -> None:
        """Open the session service in a thread (after the first paint: its imports are slow)."""
        opener, self._opener = self._opener, None  # once: a later call must not open a second service
        if opener is not None:
            self._thread = threading.Thread(target=self._open, args=(opener,), daemon=True)
            self._thread.start()

    def _open(self, opener: Callable[[], Any]) -> None:
        try:
            service = opener()
            # Another screen may have written between the first (lean) read and now: then read again,
            # here, and hand it over before anything is changed (see _take_fresh). When no one has,
            # what was read stands (with the countermeasures a lean read left out).
            fresh = self._lean_whole() or service.load()
        except BaseException as exc:  # shown to the user on the first change
            self._error = exc
            if self._lean is not None:
                self._lean.close()
            return
        with self._closing:
            if self._closed:  # the window closed while this was opening: nobody will use it
                service.close()
                return
            self._fresh, self._service = fresh, service

    def _lean_whole(self) -> Workshop | None:
        lean, self._lean = self._lean, None
        return lean.whole_if_unchanged() if lean is not None else None

    def _take_fresh(self) -> bool:
        fresh, self._fresh = self._fresh, None
        if fresh is None:
            return False
        self.workshop = fresh
        self.partial = False
        return True

    def whole(self) -> Workshop:
        """The whole workshop, for a view that shows everything (report, since last time, import):
        after a partial first read, this waits for the service's full read."""
        if self.partial or self._fresh is not None:
            self._wait_for_service()
        return self.workshop

    @property
    def service(self) -> SessionService | None:
        """The session service, waiting for it to finish opening if needed."""
        self._wait_for_service()
        return self._service

    def _wait_for_service(self) -> None:
        """Open the service if not yet done, wait for it, and take its full read."""
        if self._service is None and self._error is None:
            self.start_opening()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        self._take_fresh()

    @property
    def readonly(self) -> bool:
        return self._readonly or bool(self._service is not None and self._service.readonly)

    def close(self) -> None:
        """Close the service; one still opening is not waited for (quitting right after the first
        paint must not wait for the ORM's import): its thread closes it once open."""
        with self._closing:
            self._closed = True
            service, self._service = self._service, None
            lean = self._lean if self._opener is not None else None  # never to be opened: not in use
        if lean is not None:
            lean.close(tidy=True)
        if service is not None:
            service.close()

    def reload(self) -> None:
        self.workshop = self.service.load()

    def removed_cards(self) -> list[tuple[str, str, str]]:
        """(kind, previous id, label) of the carried cards deleted from this session."""
        return self.service.removed_cards()

    def deleted_ids(self) -> set[str]:
        """Ids of every card deleted from this session (a merge never brings them back)."""
        return self.service.deleted_ids()

    def merge(self, sources: list[Workshop]) -> int:
        """Merge the cards of ``sources`` (in order) into the session; returns how many were added.

        One undo step takes out everything the merge added (``remove_merged``). The session is read
        again afterwards: a merge adds to many columns at once."""
        plans = []
        try:
            for source in sources:
                plans.append(self.service.import_workshop(source))
        finally:
            if plans:  # each source is its own transaction: what went in is undone together
                self.reload()
                self._push(_("merge"), lambda: self._unmerge(plans))
        return sum(plan.card_count for plan in plans)

    def _unmerge(self, plans: list[Any]) -> None:
        for plan in reversed(plans):
            self.service.remove_merged(plan)
        self.reload()

    def copy_to(self, target: str) -> None:
        """A self-contained copy of the session at ``target`` (the hand-off copy); nothing to undo."""
        self.service.copy_to(target)

    def poll(self) -> bool:
        """True when the workshop in memory was replaced: the full read after opening arrived, or
        another process committed a change (then the session is read again)."""
        service = self._service
        if service is None:
            return False
        if self._take_fresh():
            return True
        if service.changed_elsewhere():
            self.reload()
            return True
        return False

    # -- undo --------------------------------------------------------------------

    def _push(self, label: str, undo: Callable[[], Any]) -> None:
        self.undo_stack.append(UndoStep(label, undo))
        del self.undo_stack[:-UNDO_DEPTH]

    def undo(self) -> str | None:
        """Undo the last change; returns its label, or None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        step.undo()
        return step.label

    # -- in-memory mirrors -------------------------------------------------------

    def _put(self, items: list[Any], card: Any) -> None:
        for n, existing in enumerate(items):
            if existing.id == card.id:
                items[n] = card
                return
        items.append(card)

    def _change(self, kind: str, change: Callable[[], T]) -> tuple[T, "ColumnOrder"]:
        """Run ``change`` (calls of the service) and mirror it: the card of ``kind`` it returns is
        put in memory, then every column it touched takes the order the service reports."""
        card, order = self.service.ordered(change)
        self._put(self._cards(kind), card)
        self._apply(order)
        return card, order

    def _cards(self, kind: str) -> list[Any]:
        w = self.workshop
        return {"failure": w.failures, "countermeasure": w.countermeasures, "retro": w.retro}[kind]

    def _apply(self, order: "ColumnOrder") -> None:
        """Give each card of a reported column its index there as its position."""
        by_id: dict[str, dict[str, Any]] = {}
        for (kind, pos, _value), ids in order.columns.items():
            if kind not in by_id:
                by_id[kind] = {c.id: c for c in self._cards(kind)}
            cards = by_id[kind]
            for n, card_id in enumerate(ids):
                card = cards.get(card_id)
                if card is not None:
                    setattr(card, pos, n)

    def _push_edit(self, label: str, kind: str, card_id: str, old: dict[str, Any], order: "ColumnOrder",
                   update: Callable[..., Any], moves: dict[str, Callable[..., Any]]) -> None:
        """Undo of an edit: ``update`` the old values back, then ``moves[pos]`` the card back to the
        index the service reported in each column the edit took it out of."""
        back = [(move, order.was[(kind, pos)]) for pos, move in moves.items() if (kind, pos) in order.was]

        def restore() -> Any:
            card = update(card_id, **old)
            for move, (column, index) in back:
                card = move(card_id, column, index)
            return card
        self._push(label, lambda: self._change(kind, restore))

    def _push_move(self, kind: str, order: "ColumnOrder", pos: str, move: Callable[..., Any],
                   card_id: str) -> None:
        """Undo of a move: ``move`` the card back to the column and index the service reported."""
        column, index = order.was[(kind, pos)]  # a move always reports where the card was
        self._push(_("move"), lambda: self._change(kind, lambda: move(card_id, column, index)))

    def failure(self, failure_id: str) -> Failure | None:
        return self.workshop.failure(failure_id)

    def countermeasure(self, cm_id: str) -> Countermeasure | None:
        return self.workshop.countermeasure(cm_id)

    def retro_note(self, note_id: str) -> RetroNote | None:
        return self.workshop.retro_note(note_id)

    # -- session text and participants ------------------------------------------

    def update_session(self, **fields: Any) -> None:
        old = {name: getattr(self.workshop.session, name) for name in fields}
        self.workshop.session = self.service.update_session(**fields)
        if set(fields) - {"current_phase"}:
            self._push(_("edit"), lambda: self._apply_session(old))

    def _apply_session(self, values: dict[str, Any]) -> None:
        self.workshop.session = self.service.update_session(**values)

    def add_participant(self, name: str, role: str) -> None:
        person = self.service.add_participant(name, role)
        self.workshop.participants.append(person)
        self._push(_("add"), lambda: self._delete("participant", person.id, record=False))

    def update_participant(self, pid: str, **fields: Any) -> None:
        person = next(p for p in self.workshop.participants if p.id == pid)
        old = {name: getattr(person, name) for name in fields}
        self._put(self.workshop.participants, self.service.update_participant(pid, **fields))
        self._push(_("edit"), lambda: self._put(self.workshop.participants,
                                               self.service.update_participant(pid, **old)))

    # -- timers and phases -------------------------------------------------------

    def _phase_in(self, phase: Phase) -> None:
        # Phases are keyed by ``key``; they have no ``id`` for _put to match.
        self.workshop.phases = [phase if p.key == phase.key else p for p in self.workshop.phases]

    def toggle_timer(self) -> Phase:
        phase = self.service.toggle_timer()
        self.workshop.phases = self.service.load_phases()
        return phase

    def plan_agenda(self, planned: dict[str, int]) -> None:
        old = {p.key: p.planned_minutes for p in self.workshop.phases}
        self.workshop.phases = self.service.plan_agenda(planned)

        def restore() -> None:
            self.workshop.phases = self.service.plan_agenda(old)
        self._push(_("agenda"), restore)

    def reset_timer(self) -> Phase:
        key = self.workshop.session.current_phase
        before = self.workshop.phase(key)
        phase = self.service.reset_timer(key)
        self._phase_in(phase)
        self._push(_("timer reset"), lambda: self._phase_in(self.service.restore_phase(before)))
        return phase

    def pause_timers(self) -> None:
        self.service.pause_timers()
        self.workshop.phases = self.service.load_phases()

    def end_workshop(self) -> None:
        self.workshop.session = self.service.end_workshop()
        self.workshop.phases = self.service.load_phases()

    @property
    def running_phase(self) -> Phase | None:
        return next((p for p in self.workshop.phases if p.running), None)

    def adjust_minutes(self, minutes: int) -> Phase:
        phase = self.service.adjust_minutes(self.workshop.session.current_phase, minutes)
        self._phase_in(phase)
        return phase

    def step_phase(self, step: int) -> bool:
        session = self.service.step_phase(step)
        if session is None:
            return False
        self.workshop.session = session
        self.workshop.phases = self.service.load_phases()
        return True

    def go_to_phase(self, key: str) -> None:
        self.workshop.session = self.service.go_to_phase(key)
        self.workshop.phases = self.service.load_phases()

    # -- failures ------------------------------------------------------------------

    def add_failure(self, **fields: Any) -> Failure:
        card, _order = self._change("failure", lambda: self.service.add_failure(**fields))
        self._push(_("add"), lambda: self._delete("failure", card.id, record=False))
        return card

    def update_failure(self, failure_id: str, **fields: Any) -> Failure:
        before = replace(self.failure(failure_id))  # type: ignore[arg-type]
        card, order = self._change("failure", lambda: self.service.update_failure(failure_id, **fields))
        self._push_edit(_("judgement") if {"impact", "likelihood"} & set(fields) else _("edit"),
                        "failure", failure_id, {name: getattr(before, name) for name in fields}, order,
                        self.service.update_failure, {"position": self.service.move_failure})
        return card

    def move_failure(self, failure_id: str, service: str, index: int | None) -> Failure:
        card, order = self._change("failure", lambda: self.service.move_failure(failure_id, service, index))
        self._push_move("failure", order, "position", self.service.move_failure, failure_id)
        return card

    def create_variant(self, failure_id: str, **fields: Any) -> Failure:
        card, _order = self._change(
            "failure", lambda: self.service.create_variant(failure_id, author=self.author, **fields))
        self._push(_("add"), lambda: self._delete("failure", card.id, record=False))
        return card

    # -- countermeasures ---------------------------------------------------------------

    def add_countermeasure(self, **fields: Any) -> Countermeasure:
        card, _order = self._change("countermeasure", lambda: self.service.add_countermeasure(**fields))
        self._push(_("add"), lambda: self._delete("countermeasure", card.id, record=False))
        return card

    def update_countermeasure(self, cm_id: str, **fields: Any) -> Countermeasure:
        before = replace(self.countermeasure(cm_id))  # type: ignore[arg-type]
        card, order = self._change("countermeasure",
                                   lambda: self.service.update_countermeasure(cm_id, **fields))
        self._push_edit(_("edit"), "countermeasure", cm_id, {name: getattr(before, name) for name in fields},
                        order, self.service.update_countermeasure,
                        {"stage_position": self.service.move_countermeasure, "rank": self.service.decide})
        return card

    def move_countermeasure(self, cm_id: str, stage: str, index: int | None) -> Countermeasure:
        card, order = self._change("countermeasure",
                                   lambda: self.service.move_countermeasure(cm_id, stage, index))
        self._push_move("countermeasure", order, "stage_position", self.service.move_countermeasure, cm_id)
        return card

    def decide(self, cm_id: str, decision: str, index: int | None) -> Countermeasure:
        card, order = self._change("countermeasure", lambda: self.service.decide(cm_id, decision, index))
        self._push_move("countermeasure", order, "rank", self.service.decide, cm_id)
        return card

    def rank_column(self, decision: str, cm_ids: list[str]) -> None:
        """Store an order for a decision column (the undecided column sorted by value, say)."""
        # The order in memory is the file's (the store's reports keep it so): undo puts it back.
        before = [c.id for c in sorted((c for c in self.workshop.countermeasures if c.decision == decision),
                                       key=lambda c: c.rank)]
        self._apply_ranks(decision, cm_ids)
        self._push(_("sort"), lambda: self._apply_ranks(decision, before))

    def _apply_ranks(self, decision: str, cm_ids: list[str]) -> None:
        _none, order = self.service.ordered(lambda: self.service.rank(decision, cm_ids))
        self._apply(order)

    # -- retrospective -------------------------------------------------------------------

    def add_retro(self, **fields: Any) -> RetroNote:
        note, _order = self._change("retro", lambda: self.service.add_retro(**fields))
        self._push(_("add"), lambda: self._delete("retro", note.id, record=False))
        return note

    def update_retro(self, note_id: str, **fields: Any) -> RetroNote:
        before = replace(self.retro_note(note_id))  # type: ignore[arg-type]
        note, order = self._change("retro", lambda: self.service.update_retro(note_id, **fields))
        self._push_edit(_("edit"), "retro", note_id, {name: getattr(before, name) for name in fields}, order,
                        self.service.update_retro, {"position": self.service.move_retro})
        return note

    def move_retro(self, note_id: str, kind: str, index: int | None) -> RetroNote:
        note, order = self._change("retro", lambda: self.service.move_retro(note_id, kind, index))
        self._push_move("retro", order, "position", self.service.move_retro, note_id)
        return note

    # -- delete and restore ------------------------------------------------------------------

    def delete(self, kind: str, card_id: str) -> None:
        self._delete(kind, card_id, record=True)

    def _delete(self, kind: str, card_id: str, *, record: bool) -> None:
        deleted, order = self.service.ordered(lambda: self.service.delete(kind, card_id))
        w = self.workshop
        if kind == "failure":
            w.failures = [f for f in w.failures if f.id != card_id]
            for f in w.failures:
                if f.variant_of == card_id:
                    f.variant_of = None
            for c in w.countermeasures:
                if card_id in c.failure_ids:
                    c.failure_ids = [i for i in c.failure_ids if i != card_id]
        elif kind == "countermeasure":
            w.countermeasures = [c for c in w.countermeasures if c.id != card_id]
        elif kind == "retro":
            w.retro = [n for n in w.retro if n.id != card_id]
        else:
            w.participants = [p for p in w.participants if p.id != card_id]
        self._apply(order)
        if record:
            self._push(_("delete"), lambda: self._restore(deleted))

    def _restore(self, deleted: Any) -> None:
        """Mirror the service's restore: the card at the place it reports, its variants and links back."""
        w, card = self.workshop, deleted.card
        if deleted.kind == "participant":
            self.service.restore(deleted)
            w.participants.insert(deleted.index, card)
            return
        # Its links come back below, as far as the cards at their other ends are still there.
        shown = replace(card, failure_ids=[]) if deleted.kind == "countermeasure" else replace(card)
        answers, order = self.service.ordered(lambda: self.service.restore(deleted))
        self._put(self._cards(deleted.kind), shown)
        self._apply(order)
        if deleted.kind == "failure":
            for f in w.failures:
                if f.id in deleted.variants:
                    f.variant_of = card.id
        for c in w.countermeasures:
            if c.id in answers:
                c.failure_ids = answers[c.id]
