"""Every board action declared once: its keys, its name and its help.

The same declarations feed the bindings of the board screen (keys of every phase)
and of each phase's widget (its own keys, which Textual offers only while the focus
is in that phase); the key bar, the command palette and the help screen all list
what is active now, so no key is written twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding

from ..i18n import _

if TYPE_CHECKING:
    from textual.binding import ActiveBinding
    from textual.dom import DOMNode


@dataclass(frozen=True)
class Command:
    action: str          # the screen action it runs, with arguments
    keys: str            # Textual key names, comma-separated
    title: str           # in the palette and the help screen
    help: str
    footer: bool = False
    key_display: str | None = None
    phases: tuple[str, ...] = ()  # only in these phases (all when empty)
    short: str | None = None     # in the key bar, where room is short

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, _(self.short or self.title), show=self.footer,
                       key_display=self.key_display)

    @property
    def keys_label(self) -> str:
        return self.key_display or ", ".join(k.replace("_", " ") for k in self.keys.split(","))


IMPACT = ("impact",)
PRIORITY = ("priority",)

BOARD_COMMANDS: tuple[Command, ...] = (
    Command("help", "question_mark", "Help", "Every key, with what it does", True, "?"),
    # Phase keys first: the key bar shows what fits, in this order.
    Command("judge('0')", "0", "Clear judgement", "Clear the focused card's judgement (back to the tray)", False,
            "0", IMPACT),
    Command("acceptable", "o", "Acceptable", "Mark the focused failure acceptable (OK to break), or not", True,
            None, IMPACT),
    Command("variant", "v", "Variant", "Write a variant of the focused failure (same service, other text or "
            "timing), linked both ways", True, None, IMPACT),
    Command("notes", "n", "Notes", "Impact: the circumstances that change a failure's impact. Priority: the "
            "decision note, owner, and for later: when it becomes possible and a reminder date", True,
            None, ("impact", "priority")),
    Command("sort_by_value", "s", "Sort by value", "Sort the undecided column by suggested value "
            "(effect x risk / (introduction + maintenance cost)) and keep that order", True, None, PRIORITY),
    Command("done", "d", "Done", "Mark a chosen countermeasure done, or not done", True, None, PRIORITY),
    Command("coverage", "g", "Coverage", "Focus the coverage panel: gaps in the defence of high and critical "
            "failures", True, None, PRIORITY),
    Command("compare('cell')", "c", "Compare cell", "The focused cell's cards as one list, by risk", True,
            None, IMPACT),
    Command("compare('grid')", "C", "Compare all", "Every judged card as one list, by risk then service",
            False, None, IMPACT),
    Command("prompts", "p", "Prompts", "Show or hide the questions that help judge impact", False, None, IMPACT),
    Command("toggle_timer", "space", "Start / pause timer", "Start or pause the current phase's countdown", True,
            "space", short="Timer"),
    Command("minutes(1)", "plus,equals_sign", "One minute more", "Give this phase one more minute", False, "+"),
    Command("minutes(-1)", "minus", "One minute less", "Take one minute from this phase", False, "-"),
    Command("phase(1)", "right_square_bracket", "Next phase",
            "Go to the next phase; a running timer stops and the next one starts", True, "]",
            short="Next"),
    Command("phase(-1)", "left_square_bracket", "Previous phase", "Go back one phase", True, "[", short="Back"),
    Command("add", "a", "Add card", "Add a card to the focused column (or to the phase)", True, short="Add"),
    Command("edit", "e,enter", "Edit card", "Edit the focused card", True, "e", short="Edit"),
    Command("delete", "x", "Delete card", "Delete the focused card (u brings it back)", True, short="Delete"),
    Command("undo", "u", "Undo", "Undo the last change made in this window", True),
    Command("filter", "slash", "Filter", "Filter cards by text, service or author", True, "/"),
    Command("focus_column(-1)", "left,h", "Focus left", "Focus the column to the left", False, "h / left"),
    Command("focus_column(1)", "right,l", "Focus right", "Focus the column to the right", False, "l / right"),
    Command("move_card(-1,0)", "H,shift+left", "Move card left", "Move the focused card to the column on the left",
            False, "H"),
    Command("move_card(1,0)", "L,shift+right", "Move card right",
            "Move the focused card to the column on the right", False, "L"),
    Command("move_card(0,-1)", "K,shift+up", "Move card up", "Move the focused card up (in the impact phase: "
            "raise its impact)", False, "K"),
    Command("move_card(0,1)", "J,shift+down", "Move card down", "Move the focused card down (in the impact "
            "phase: lower its impact)", False, "J"),
    Command("report", "r", "Report", "The Markdown report of the session, to read and to save", True),
    Command("since", "D", "Since last time", "What changed since the session this one was carried from, and "
            "the reminders that came due", False),
    Command("import_notes", "I", "Merge notes", "Merge notes written in advance: preview by author, duplicates "
            "flagged, then ctrl+s", False),
    Command("handoff_copy", "y", "Copy for hand-off", "Write a self-contained copy of the session file to mail "
            "or share, even while other screens have it open", False),
    Command("toggle_theme", "t", "Light / dark theme", "Switch between the light and the dark theme", False),
    Command("toggle_authors", "w", "Hide / show authors", "Hide authors on the shared screen (blameless)", False),
    Command("toggle_ascii", "b", "ASCII borders", "Draw card borders with ASCII characters", False),
    Command("session_details", "S", "Session details", "Edit the title, date, context, purpose, ground rules, "
            "and whether this is a rehearsal", False),
    Command("agenda", "M", "Agenda", "Set the planned minutes of every phase", False),
    Command("reset_timer", "R", "Reset timer", "Set this phase's clock back to zero (u brings the time back)", False),
    Command("end_workshop", "E", "End workshop", "Stop the running timer and record the end of the workshop: "
            "the report's agenda then holds the time really spent", False),
    Command("home", "escape", "Sessions", "Back to the list of sessions", False, "esc"),
    Command("quit", "q", "Quit", "Quit (ctrl+q works everywhere)", True),
)

# Digits judge a failure in the impact phase: impact first, then likelihood.
JUDGE_KEYS = tuple(Binding(str(n), f"judge('{n}')", show=False) for n in range(1, 6))

COMMAND_BY_ACTION = {c.action: c for c in BOARD_COMMANDS}
COMMAND_ORDER = {c.action: n for n, c in enumerate(BOARD_COMMANDS)}  # the key bar's and the help's order


def screen_bindings() -> list[Binding]:
    """The board screen's own keys: those that work in every phase."""
    return [c.binding() for c in BOARD_COMMANDS if not c.phases]


def phase_bindings(phase: str) -> list[Binding]:
    """A phase widget's keys: Textual offers them only while the focus is inside that phase."""
    return [c.binding() for c in BOARD_COMMANDS if phase in c.phases] + \
        (list(JUDGE_KEYS) if phase == "impact" else [])


def active_commands(active: Iterable[ActiveBinding]) -> list[tuple[DOMNode, Command]]:
    """The board's commands among a screen's active bindings, each once, in declaration order,
    with the node whose action runs it (the screen, or the phase widget that owns the key)."""
    found: dict[str, tuple[DOMNode, Command]] = {}
    for node, binding, enabled, _tooltip in active:
        command = COMMAND_BY_ACTION.get(binding.action)
        if command is not None and enabled and binding.action not in found:
            found[binding.action] = (node, command)
    return sorted(found.values(), key=lambda item: COMMAND_ORDER[item[1].action])
