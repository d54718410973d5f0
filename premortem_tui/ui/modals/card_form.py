"""One modal form for every kind of card: a draft until ctrl+s saves it.

A form is declared as a list of fields; saving calls ``submit`` with the
values, and the form closes only when that succeeds, so a refused value (a
message under the form) loses nothing that was typed.

``CardForm.show`` keeps one form per app and shape of fields (their names and
kinds) and refills it: opening a form again mounts and lays out no new widget.
The form is opaque, so the board behind it is neither drawn again nor dimmed.
"""

from __future__ import annotations

from typing import Callable
from weakref import WeakKeyDictionary

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Select, SelectionList

from ...i18n import _
from ..literal import Plain, PlainInput, PlainLabel, PlainTextArea, Selection, select_options, selection
from .fields import FormField


Submit = Callable[[dict[str, object]], "str | None"]
Shape = tuple[tuple[str, str], ...]

# The forms kept for each app, by shape of fields; installed on the app, so popping one keeps it.
_KEPT: "WeakKeyDictionary[App, dict[Shape, CardForm]]" = WeakKeyDictionary()

TEXT_KINDS = ("input", "area")  # the fields typing goes into
PICK_SHOWN = 100  # a pick list shows this many matches (and every picked one); typing narrows it
FORM_MARGIN = 2  # rows of the screen left above and below the form


class FormBody(VerticalScroll, can_focus=False):
    """The fields' scroll area. Not focusable itself: the first field is then the screen's first
    focus, so keys typed while the form opens land in it instead of in the scroll area.
    As tall as the fields, up to what the screen leaves it (see CardForm.fit)."""


# Editing keys typed while the form opens, replayed as the field's own actions (Input, TextArea).
_EDIT_ACTIONS = {"backspace": ("delete_left",) * 2, "delete": ("delete_right",) * 2,
                 "left": ("cursor_left",) * 2, "right": ("cursor_right",) * 2,
                 "home": ("home", "cursor_line_start"), "end": ("end", "cursor_line_end")}


class CardForm(ModalScreen[bool]):
    """tab between fields, ctrl+s saves, escape cancels."""

    AUTO_FOCUS = ""  # the first field is focused once the keys typed while opening are queued

    DEFAULT_CSS = """
    CardForm { align: center middle; background: $background; }
    CardForm > Vertical { width: 90%; max-width: 110; height: auto; max-height: 100%;
                          border: thick $accent; background: $surface; padding: 0 1; }
    CardForm #form-title { text-style: bold; width: 1fr; padding: 0 0 1 0; text-wrap: nowrap; text-overflow: ellipsis; }
    CardForm FormBody { height: auto; max-height: 30; }
    CardForm .field-label { color: $text-muted; padding: 1 0 0 0; }
    CardForm PlainTextArea { height: 5; }
    CardForm SelectionList { height: 8; }
    CardForm .pick-more { color: $text-muted; height: auto; }
    CardForm #form-error { color: $text-error; text-style: bold; height: auto; }
    CardForm #form-keys { color: $text-muted; padding: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), priority=True),
        Binding("escape", "cancel", _("Cancel"), priority=True),
    ]

    def __init__(self, title: str, fields: list[FormField], submit: Submit, *, new: bool = False) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.new = new  # a new card's form opens on its first empty text field
        self._opened: dict[str, object] | None = None  # the values it opened with, once open
        self._early: list[events.Key] = []  # typed before a field had the focus
        self.typing_early = True  # until the first field has the focus
        self._pick_options: dict[str, list[tuple[str, str]]] = {}
        self._picked: dict[str, set[str]] = {}
        self._select_options: dict[str, list[tuple[str, str]]] = {}
        self._filled = True  # filled and not yet opened: the next resume focuses and replays

    @classmethod
    def show(cls, app: App, title: str, fields: list[FormField], submit: Submit, *, new: bool = False) -> CardForm:
        """Push the app's form for fields of this shape, refilled with these; built the first time.
        ``new``: the form of a new card (see ``first_field``)."""
        kept = _KEPT.setdefault(app, {})
        shape = tuple((f.name, f.kind) for f in fields)
        form = kept.get(shape)
        if form is not None and (form.is_active or form in app.screen_stack):
            form = None  # shown already (a form opened from a form): this one is not kept
        if form is None:
            form = cls(title, fields, submit, new=new)
            if shape not in kept:
                kept[shape] = form
                app.install_screen(form, f"card-form-{len(kept)}")
        else:
            form.refill(title, fields, submit, new=new)
        app.push_screen(form)
        return form

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.form_title, id="form-title")
            with FormBody():
                for f in self.fields:
                    yield PlainLabel(f.label, id=f"label-{f.name}", classes="field-label")
                    yield from self._widget(f)
            yield Plain("", id="form-error")
            yield Plain(_("tab: next field   ctrl+s: save   escape: cancel"), id="form-keys")

    def _widget(self, f: FormField) -> ComposeResult:
        wid = f"field-{f.name}"
        if f.kind == "area":
            area = PlainTextArea(str(f.value or ""), id=wid, soft_wrap=True, show_line_numbers=False)
            yield area
        elif f.kind == "select":
            self._select_options[f.name] = f.options
            yield Select(select_options(f.options), value=f.value, allow_blank=False, id=wid)
        elif f.kind == "pick":
            self._pick_options[f.name] = f.options
            self._picked[f.name] = set(f.value or [])  # type: ignore[arg-type]
            yield PlainInput(placeholder=_("type to search"), id=f"{wid}-search")
            selections, more = self._selections(f.name, "")
            yield SelectionList[str](*selections, id=wid)
            yield Plain(self._more(more), id=f"{wid}-more", classes="pick-more")
        else:
            suggester = SuggestFromList(f.suggestions, case_sensitive=False) if f.suggestions else None
            yield PlainInput(str(f.value or ""), placeholder=f.placeholder, suggester=suggester, id=wid)

    def _selections(self, name: str, needle: str) -> tuple[list[Selection[str]], int]:
        """The picked options and the first PICK_SHOWN others that match; how many more match."""
        needle = needle.casefold().strip()
        picked = self._picked[name]
        shown: list[Selection[str]] = []
        matches = 0
        for label, value in self._pick_options[name]:
            if value in picked:
                shown.append(selection(label, value, True))
            elif not needle or needle in label.casefold():
                matches += 1
                if matches <= PICK_SHOWN:
                    shown.append(selection(label, value, False))
        return shown, max(0, matches - PICK_SHOWN)

    @staticmethod
    def _more(count: int) -> str:
        return _("{n} more: type to narrow the list").format(n=count) if count else ""

    def refill(self, title: str, fields: list[FormField], submit: Submit, *, new: bool = False) -> None:
        """Show ``fields`` (of the shape this form was built for) and save them through ``submit``;
        what the form showed last time is gone, and keys typed while it opens are queued again."""
        self.form_title, self.fields, self.submit, self.new = title, fields, submit, new
        self._opened = None
        self._early, self.typing_early = [], True
        self._filled = True
        self.set_focus(None)
        self.query_one("#form-title", Plain).update(title)
        self._show_error("")
        for f in fields:
            self.query_one(f"#label-{f.name}", PlainLabel).update(f.label)
            wid = f"#field-{f.name}"
            if f.kind == "area":
                area = self.query_one(wid, PlainTextArea)
                area.load_text(str(f.value or ""))
                area.scroll_home(animate=False)
            elif f.kind == "select":
                select = self.query_one(wid, Select)
                if self._select_options.get(f.name) != f.options:
                    select.set_options(select_options(f.options))
                    self._select_options[f.name] = f.options
                select.value = f.value
            elif f.kind == "pick":
                self._pick_options[f.name] = f.options
                self._picked[f.name] = set(f.value or [])  # type: ignore[arg-type]
                search = self.query_one(f"{wid}-search", PlainInput)
                if search.value:
                    search.value = ""
                self._show_picks(f.name, "")
            else:
                field = self.query_one(wid, PlainInput)
                field.suggester = SuggestFromList(f.suggestions, case_sensitive=False) if f.suggestions else None
                field.placeholder = f.placeholder
                field.value = str(f.value or "")
                field.cursor_position = len(field.value)
        self.query_one(FormBody).scroll_home(animate=False)

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Let the fields scroll in what the screen leaves them, so that the whole form, its
        title, its error and its keys, is on the screen (the decision form is taller than 30 rows)."""
        box = self.query_one("CardForm > Vertical")
        body = self.query_one(FormBody)
        others = sum(w.outer_size.height for w in box.children if w is not body)
        room = self.size.height - FORM_MARGIN - box.styles.gutter.height - others
        if body.styles.max_height is None or body.styles.max_height.value != max(3, room):
            body.styles.max_height = max(3, room)

    def _show_error(self, error: str) -> None:
        self.query_one("#form-error", Plain).update(error)
        self.call_after_refresh(self.fit)  # an error of two lines leaves the fields less room

    def on_screen_resume(self) -> None:
        # Each time the form is shown (the first time, and again when refilled); not when a screen
        # it was under (the command palette) closes: then it stays as the user left it.
        if self._filled:
            self._filled = False
            self.call_after_refresh(self._open)

    def on_screen_suspend(self) -> None:
        # Closed, a kept form holds nothing of the board it was last filled for; under another
        # screen (the command palette) it keeps what it will save.
        if self not in self.app.screen_stack:
            self.submit = _closed
            self._pick_options = {name: [] for name in self._pick_options}

    def first_field(self) -> FormField | None:
        """Where the typing goes when the form opens: a new card's first empty text field (the
        service is often filled in for it, the failure never), else the first text field (typing
        on a select or a pick list would be lost), else the first field."""
        text = [f for f in self.fields if f.kind in TEXT_KINDS]
        empty = [f for f in text if not str(f.value or "").strip()] if self.new else []
        return (empty or text or self.fields or [None])[0]

    def _open(self) -> None:
        """Focus the first field, then type what was typed while the form opened, in order."""
        self._opened = self.values()
        first = self.first_field()
        if first is not None:
            wid = f"#field-{first.name}" + ("-search" if first.kind == "pick" else "")
            self.set_focus(self.query_one(wid), scroll_visible=False)  # on_descendant_focus shows it, with its label
        early, self.typing_early = self._early, False
        self._replayed: set[PlainInput] = set()
        for key in early:
            self._replay(key)

    def on_key(self, event: events.Key) -> None:
        if self.typing_early:  # nothing has the focus yet, so the key came to the screen itself
            event.stop()
            event.prevent_default()
            self.type_key(event)

    def type_key(self, key: events.Key) -> None:
        """Keep a key typed while the form opens. Keys typed right after the one that opened it
        (``a``, then ``Web shop``, tab, ``Disk full``) reach the screen below or this screen before
        any field has the focus; they are replayed in order once the first field has it."""
        self._early.append(key)

    def _replay(self, key: events.Key) -> None:
        # Applied directly, not posted: a posted tab would move the focus only after the letters
        # behind it had already been typed into the old field.
        field = self.focused
        if isinstance(field, PlainInput) and field not in self._replayed:
            self._replayed.add(field)
            self._as_if_selected(field, key)
        if key.key in ("tab", "shift+tab"):
            self.focus_next() if key.key == "tab" else self.focus_previous()
        elif isinstance(field, (PlainInput, PlainTextArea)) and key.is_printable and key.character:
            if isinstance(field, PlainInput):
                field.insert_text_at_cursor(key.character)
            else:
                field.insert(key.character)
        elif isinstance(field, (PlainInput, PlainTextArea)) and key.key in _EDIT_ACTIONS:
            getattr(field, f"action_{_EDIT_ACTIONS[key.key][isinstance(field, PlainTextArea)]}")()
        elif isinstance(field, PlainTextArea) and key.key == "enter":
            field.insert("\n")
        elif key.key in ("ctrl+s", "escape"):
            self.action_save() if key.key == "ctrl+s" else self.action_cancel()
        elif key.key == "ctrl+q":
            self.before_quit() or self._quit()
        else:
            self.app.post_message(events.Key(key.key, key.character))

    @staticmethod
    def _as_if_selected(field: PlainInput, key: events.Key) -> None:
        """A field shows its value selected once it has the focus, so the first key typed replaces
        it: the same for a key typed while the form opened. Its focus event comes after the replay
        and must not then select what was replayed into it."""
        if not field.select_on_focus:
            return
        if (key.is_printable and key.character) or key.key in ("backspace", "delete"):
            field.value = ""
        field.select_on_focus = False
        field.call_later(setattr, field, "select_on_focus", True)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        # The focused field is scrolled into view with its label above it.
        name = (widget.id or "").removeprefix("field-").removesuffix("-search")
        labels = self.query(f"#label-{name}") if name else []
        if labels and widget.parent is labels[0].parent:
            region = labels[0].virtual_region_with_margin.union(widget.virtual_region_with_margin)
            self.query_one(FormBody).scroll_to_region(region, animate=False, immediate=True)
        # "space toggles" must work as soon as tab lands on a pick list.
        if isinstance(widget, SelectionList) and widget.highlighted is None and widget.option_count:
            widget.highlighted = 0

    @on(PlainInput.Changed)
    def _search(self, event: PlainInput.Changed) -> None:
        wid = event.input.id or ""
        if not wid.endswith("-search"):
            return
        name = wid.removeprefix("field-").removesuffix("-search")
        if self._pick_options.get(name):
            self._show_picks(name, event.value)

    def _show_picks(self, name: str, needle: str) -> None:
        selection_list = self.query_one(f"#field-{name}", SelectionList)
        selections, more = self._selections(name, needle)
        selection_list.clear_options()
        selection_list.add_options(selections)
        self.query_one(f"#field-{name}-more", Plain).update(self._more(more))

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        name = (event.selection_list.id or "").removeprefix("field-")
        value = event.selection.value
        picked = self._picked[name]
        picked.symmetric_difference_update({value})

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in self.fields:
            wid = f"#field-{f.name}"
            if f.kind == "area":
                out[f.name] = self.query_one(wid, PlainTextArea).text
            elif f.kind == "select":
                out[f.name] = self.query_one(wid, Select).value
            elif f.kind == "pick":
                order = [value for _label, value in self._pick_options[f.name]]
                out[f.name] = [v for v in order if v in self._picked[f.name]]
            else:
                out[f.name] = self.query_one(wid, PlainInput).value
        return out

    def action_save(self) -> None:
        if self.typing_early:  # ctrl+s typed with the text: save once the text is in
            self.type_key(events.Key("ctrl+s", None))
            return
        error = self.submit(self.values())
        if error:
            self._show_error(error)
            return
        self.dismiss(True)

    def changed(self) -> bool:
        """Whether a field holds something else than when the form opened."""
        return self._opened is not None and self.values() != self._opened

    def action_cancel(self) -> None:
        if self.typing_early:
            self.type_key(events.Key("escape", None))
            return
        self._unless_kept(lambda: self.dismiss(False))

    def before_quit(self) -> bool:
        """ctrl+q on the form: True if the form holds the quitting (typed while it opened, it waits
        for the keys before it; on changes, it asks first and quits only if they are discarded)."""
        if self.typing_early:
            self.type_key(events.Key("ctrl+q", None))
            return True
        if not self.changed():
            return False
        self._unless_kept(self._quit)
        return True

    def _quit(self) -> None:
        getattr(self.app, "quit_board", self.app.exit)()  # over the board, a running timer asks too

    def _unless_kept(self, then: Callable[[], object]) -> None:
        """``then`` at once on an unchanged form; on a changed one, once the changes are discarded."""
        if not self.changed():
            then()
            return
        from .discard import DiscardQuestion

        def answered(discard: bool | None) -> None:
            if discard:
                then()
        self.app.push_screen(DiscardQuestion(), answered)


def _closed(values: dict[str, object]) -> str | None:
    return None
