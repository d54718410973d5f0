"""Small helpers the board's Pilot tests share."""

from __future__ import annotations

from textual import events

from premortem_tui.ui.screens.board import BoardScreen
from premortem_tui.ui.widgets.card_column import CardColumn


def board(app) -> BoardScreen:
    assert isinstance(app.screen, BoardScreen), app.screen
    return app.screen


def columns(app) -> dict[str, CardColumn]:
    """The columns shown now: other phases' columns stay mounted, hidden."""
    screen = board(app)
    return {c.key: c for c in screen.query(CardColumn)
            if all(w.display for w in c.ancestors_with_self if w is not screen)}


async def settle(pilot, rounds: int = 3) -> None:
    """Forms save and then rebuild the board in a worker: let it finish."""
    for _ in range(rounds):
        await pilot.pause()


async def paste(pilot, text: str) -> None:
    """Paste into the focused field, as a terminal does (quicker than typing every letter)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def focus_text(pilot, text: str) -> None:
    """Put the cursor on the card whose text is ``text``, and focus its column."""
    for column in columns(pilot.app).values():
        index = next((n for n, c in enumerate(column.cards) if c.body == text), None)
        if index is not None:
            column.cursor = index
            column.focus()
            await pilot.pause()
            return
    raise AssertionError(f"{text!r} is not on the board")


def type_at_once(app, keys) -> None:
    """Post ``keys`` (Textual key names; one character types itself, " " a space) at once, as a
    terminal delivers a burst of typing: before any of them is handled."""
    from textual import events

    for key in keys:
        if key == " ":
            app.post_message(events.Key("space", " "))
        else:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
