"""The form's pick list with thousands of options: a screenful of matches, the picked ones always."""

from __future__ import annotations

from textual.app import App
from textual.widgets import SelectionList, Static

from premortem_tui.ui.modals.card_form import PICK_SHOWN, CardForm
from premortem_tui.ui.modals.fields import FormField

OPTIONS = [(f"Billing: failure {n}", f"id{n}") for n in range(3000)]


class FormApp(App[None]):
    def on_mount(self) -> None:
        field = FormField("failure_ids", "Answers", "pick", ["id2999"], OPTIONS)
        self.push_screen(CardForm("New countermeasure", [field], lambda values: None))


def listed(app) -> list[str]:
    picks = app.screen.query_one("#field-failure_ids", SelectionList)
    return [picks.get_option_at_index(n).value for n in range(picks.option_count)]


def more(app) -> str:
    return str(app.screen.query_one("#field-failure_ids-more", Static).render())


async def test_a_long_pick_list_shows_the_picked_and_the_first_matches_and_typing_narrows_it():
    app = FormApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        shown = listed(app)
        assert len(shown) == PICK_SHOWN + 1 and "id2999" in shown  # the picked one, though last
        assert more(app) == f"{3000 - 1 - PICK_SHOWN} more: type to narrow the list"
        await pilot.press(*"failure 12")  # the search box has the focus
        await pilot.pause()
        # "failure 12" matches 12, 120-129 and 1200-1299: 111, of which the first hundred are listed
        assert listed(app)[:2] == ["id12", "id120"] and len(listed(app)) == PICK_SHOWN + 1
        assert more(app) == "11 more: type to narrow the list"
        await pilot.press(*"34")
        await pilot.pause()
        assert listed(app) == ["id1234", "id2999"] and more(app) == ""
        assert app.screen.values()["failure_ids"] == ["id2999"]


async def test_keys_typed_while_the_form_opens_go_into_its_fields_in_order(session_model, make_app):
    """``a`` then ``Web shop``, tab, ``Disk full`` at typing speed: the keys arrive before the form
    is mounted, some at the board below it; they are typed in order, editing keys and tab too."""
    from textual.widgets import Input, TextArea

    from .helpers import settle, type_at_once

    app = make_app(session_model)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")  # the failures phase
        await settle(pilot)
        keys = [*"aWeb", "backspace", "left", *"xy", "end", *" shop", "tab", *"Disk full"]
        type_at_once(app, keys)
        await settle(pilot, 5)
        assert isinstance(app.screen, CardForm)
        assert app.screen.query_one("#field-service", Input).value == "Wxye shop"
        assert app.screen.query_one("#field-failure", TextArea).text == "Disk full"
        assert app.screen.focused is app.screen.query_one("#field-failure", TextArea)


async def test_ctrl_s_typed_while_the_form_opens_saves_what_was_typed_before_it(session_model, make_app):
    from .helpers import columns, settle, type_at_once

    app = make_app(session_model)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        await settle(pilot)
        type_at_once(app, ["a", *"Web", "tab", *"Down", "ctrl+s"])
        await settle(pilot, 6)
        assert not isinstance(app.screen, CardForm)
        assert [c.body for c in columns(app)["Web"].cards] == ["Down"]


async def test_the_form_is_kept_and_refilled_each_time_it_opens(session_model, make_app):
    """The second form of a shape is the first one refilled: nothing typed, no error and no focus
    is left from last time, and keys typed while it opens are queued again."""
    from textual.widgets import Input, TextArea

    from .helpers import columns, settle, type_at_once

    app = make_app(session_model)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        await settle(pilot)
        type_at_once(app, ["a", *"Web", "tab", *"Down", "ctrl+s"])
        await settle(pilot, 6)
        first = app.screen_stack[-1]
        assert not isinstance(first, CardForm)
        assert [c.body for c in columns(app)["Web"].cards] == ["Down"]

        type_at_once(app, ["a", *"Slow"])  # the add form again, in the Web column: on to the failure
        await settle(pilot, 6)
        form = app.screen
        assert isinstance(form, CardForm) and form.form_title == "New anticipated failure"
        assert form.query_one("#field-service", Input).value == "Web"  # the focused column's service
        assert form.query_one("#field-failure", TextArea).text == "Slow"
        assert form.focused is form.query_one("#field-failure", TextArea)
        form.query_one("#field-service", Input).value = ""
        await pilot.press("ctrl+s")  # refused: the error is shown in the form, which stays
        await settle(pilot)
        assert app.screen is form and str(form.query_one("#form-error").render()) != ""
        await pilot.press("escape")  # typed into: asked first
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, CardForm)
        assert [c.body for c in columns(app)["Web"].cards] == ["Down"]

        await pilot.press("e")  # the edit form has the same fields: the same form, refilled
        await settle(pilot, 6)
        assert app.screen is form and form.form_title == "Edit failure"
        assert form.query_one("#field-service", Input).value == "Web"
        assert form.query_one("#field-failure", TextArea).text == "Down"
        assert str(form.query_one("#form-error").render()) == ""
        assert form.focused is form.query_one("#field-service", Input)
        form.query_one("#field-failure", TextArea).load_text("Down for an hour")
        await pilot.press("ctrl+s")
        await settle(pilot, 6)
        assert not isinstance(app.screen, CardForm)
        assert [c.body for c in columns(app)["Web"].cards] == ["Down for an hour"]


async def test_keys_typed_while_the_form_opens_go_where_typing_after_it_would(demo_at, make_app):
    """In a service's column, ``a`` prefills the service and opens on the failure: a burst typed
    with ``a`` lands there, as keys typed once it is painted do. ``e`` opens on the service,
    selected: typing replaces it, before the form is painted or after; keys after a burst add to it."""
    from textual.widgets import Input, TextArea

    from .helpers import settle, type_at_once

    for burst, later, failure, service in (
            (["a", *"Disk"], [], "Disk", None), (["a", *"Dis"], ["k"], "Disk", None), (["a"], [*"Zed"], "Zed", None),
            (["e", *"Disk"], [], None, "Disk"), (["e", *"Dis"], ["k"], None, "Disk"), (["e"], [*"Zed"], None, "Zed")):
        app = make_app(demo_at("failures"))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            column = app.screen.focused
            type_at_once(app, burst)
            await settle(pilot, 5)
            form = app.screen
            assert isinstance(form, CardForm)
            await pilot.press(*later)
            await pilot.pause()
            typed = (burst, later)
            if failure is not None:  # a new failure in the focused service's column
                assert form.query_one("#field-service", Input).value == column.key, typed
                assert form.query_one("#field-failure", TextArea).text == failure, typed
                assert form.focused is form.query_one("#field-failure", TextArea), typed
            else:  # the focused card edited: its failure kept, its service typed over
                assert form.query_one("#field-failure", TextArea).text == column.current.body, typed
                assert form.query_one("#field-service", Input).value == service, typed


async def test_the_command_palette_over_an_open_form_leaves_it_as_it_was(demo_at, make_app):
    """ctrl+p on a form, then escape: the form keeps its text and focus, and ctrl+s saves the card."""
    from textual.widgets import Input, TextArea

    from .helpers import columns, settle

    app = make_app(demo_at("failures"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = sum(len(c.cards) for c in columns(app).values())
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("shift+tab", *"Zed", "tab", *"Disk full")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.query_one("#field-service", Input).value == "Zed"
        assert form.focused is form.query_one("#field-failure", TextArea)
        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert sum(len(c.cards) for c in columns(app).values()) == before + 1
        assert [c.body for c in columns(app)["Zed"].cards] == ["Disk full"]
