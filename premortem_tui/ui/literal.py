"""The one way a string reaches the screen: as literal text, never as markup.

Textual reads a plain ``str`` given to ``Static``, ``Label``, ``DataTable``
cells, ``OptionList`` and ``SelectionList`` prompts, border titles and toasts
as content markup: a card saying ``Disk [/var/log] fills up`` crashes the
screen, ``[@click=app.quit]`` becomes a live action. The widgets here take
strings as text, with control characters spelled out (``plaintext.visible``),
so that a user's string, a translation or a path can never be read as markup
or reach the terminal as an escape sequence. Inputs and text areas
spell out control characters typed or pasted into them. The UI uses these
instead of Textual's own (a test checks that).
"""

from __future__ import annotations

from typing import Any, Iterable

from rich.text import Text
from textual.content import Content
from textual.widgets import Button, DataTable, Input, Label, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ..domain.plaintext import visible


def literal(value: Any) -> Any:
    """A ``str`` as literal Content; Text, Content and other visuals pass as they are."""
    if isinstance(value, str):
        return Content(visible(value))
    return value


def literal_text(value: Any, **kwargs: Any) -> Any:
    """A ``str`` as a literal Rich Text (for APIs that read ``str`` as Rich markup)."""
    if isinstance(value, str):
        return Text(visible(value), **kwargs)
    return value


class _Literal:
    """Strings given to a Static (or Label) are text, not markup."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(literal(content), **kwargs)  # type: ignore[call-arg]

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(literal(content), layout=layout)  # type: ignore[misc]


class Plain(_Literal, Static):
    """A Static whose strings are text, not markup."""


class PlainLabel(_Literal, Label):
    """A Label whose strings are text, not markup."""


class PlainInput(Input):
    """An Input that never holds a control character: pasted or typed ones are spelled out, so the
    field cannot draw them to the terminal, and what is saved is what was shown."""

    def validate_value(self, value: str) -> str:
        return visible(value, multiline=False)


class PlainTextArea(TextArea):
    """A TextArea whose typed or pasted control characters are spelled out (tabs and line breaks stay)."""

    def _replace_via_keyboard(self, insert: str, start: Any, end: Any) -> Any:
        # The one path of typing and pasting into a TextArea (Textual is pinned; a test covers it).
        return super()._replace_via_keyboard(visible(insert), start, end)


class PlainButton(Button):
    """A Button whose label is text, not markup."""

    def __init__(self, label: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(literal(label) if label is not None else None, *args, **kwargs)


class PlainTable(DataTable):
    """A DataTable whose string cells and column labels are text, not markup."""

    def add_column(self, label: Any, **kwargs: Any) -> Any:
        return super().add_column(literal_text(label), **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(literal_text(c) for c in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, literal_text(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, literal_text(value), **kwargs)


def option(prompt: Any, id: str | None = None, disabled: bool = False) -> Option:
    """An OptionList option with a literal prompt."""
    return Option(literal(prompt), id=id, disabled=disabled)


def selection(prompt: Any, value: Any, initial_state: bool = False) -> Selection:
    """A SelectionList entry with a literal prompt."""
    return Selection(literal(prompt), value, initial_state)


def select_options(options: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Select's (prompt, value) pairs with literal prompts."""
    return [(literal(label), value) for label, value in options]
