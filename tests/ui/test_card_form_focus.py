"""Where a form opens, what escape and ctrl+q do on a changed one, and the tallest form at 100x30."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from premortem_tui.ui.modals.card_form import CardForm, FormBody
from premortem_tui.ui.modals.discard import DiscardQuestion
from premortem_tui.ui.modals.fields import FormField

from .helpers import board, columns, focus_text, settle, type_at_once


def form_of(fields: list[FormField], *, new: bool) -> CardForm:
    return CardForm("Form", fields, lambda values: None, new=new)


def test_a_new_cards_form_opens_on_its_first_empty_text_field_an_edit_form_on_its_first_field():
    service = FormField("service", "Service", value="Web")
    failure = FormField("failure", "What fails", "area", "")
    period = FormField("period", "Period", value="")
    assert form_of([service, failure, period], new=True).first_field() is failure
    assert form_of([service, failure, period], new=False).first_field() is service
    filled = FormField("failure", "What fails", "area", "Down")
    assert form_of([service, filled], new=True).first_field() is service  # nothing empty: the first


def test_a_form_never_opens_on_a_select_or_a_pick_list_when_a_text_field_follows():
    kind = FormField("kind", "Kind", "select", "keep", [("Keep", "keep")])
    picks = FormField("ids", "Answers", "pick", [], [("A", "a")])
    text = FormField("text", "Note", "area", "Late")
    for new in (True, False):
        assert form_of([kind, picks, text], new=new).first_field() is text
    assert form_of([kind, picks], new=False).first_field() is kind  # no text field: the first one


async def test_a_burst_typed_with_a_lands_in_the_retro_notes_text_not_on_its_kind(demo_at, make_app):
    app = make_app(demo_at("retro"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        type_at_once(app, ["a", *"Too late"])
        await settle(pilot, 5)
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.focused is form.query_one("#field-text", TextArea)
        assert form.query_one("#field-text", TextArea).text == "Too late"
        await pilot.press("ctrl+s")
        await settle(pilot, 5)
        assert any(c.body == "Too late" for column in columns(app).values() for c in column.cards)


async def test_escape_closes_an_unchanged_form_at_once_and_asks_on_a_changed_one(demo_at, make_app):
    app = make_app(demo_at("failures"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = sum(len(c.cards) for c in columns(app).values())
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CardForm)
        await pilot.press("escape")  # nothing typed
        await settle(pilot)
        board(app)

        type_at_once(app, ["a", *"Disk full", "escape"])  # escape typed in the same burst
        await settle(pilot, 5)
        assert isinstance(app.screen, DiscardQuestion)
        assert "Discard your changes?" in str(app.screen.query_one("#discard-question").render())
        await pilot.press("escape")  # keep editing: the text is still there, the focus too
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.query_one("#field-failure", TextArea).text == "Disk full"
        assert form.focused is form.query_one("#field-failure", TextArea)
        await pilot.press(*" now", "escape")
        await settle(pilot)
        await pilot.press("enter")  # the focused choice is keep editing
        await settle(pilot)
        assert app.screen is form and form.query_one("#field-failure", TextArea).text == "Disk full now"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard
        await settle(pilot)
        board(app)
        assert sum(len(c.cards) for c in columns(app).values()) == before

        await pilot.press("a")  # the form refilled: no change yet, so escape closes it at once
        await settle(pilot)
        assert app.screen is form and form.query_one("#field-failure", TextArea).text == ""
        await pilot.press("escape")
        await settle(pilot)
        board(app)


async def test_ctrl_q_on_a_changed_form_asks_and_quits_only_once_discarded(demo_at, make_app):
    app = make_app(demo_at("failures"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CardForm)
        await pilot.press(*"Zed", "ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.query_one("#field-service", Input).value == "Zed"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_q_on_an_unchanged_form_quits_at_once(demo_at, make_app):
    app = make_app(demo_at("failures"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CardForm)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_the_decision_form_of_a_later_card_fits_100x30_and_its_fields_scroll_into_view(demo_model, make_app):
    """note, owner, three costs, when and the reminder: taller than the screen, so the fields
    scroll; the title and the keys stay on the screen, and each field tabbed to is in view."""
    app = make_app(demo_model)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        later = columns(app)["later"]
        assert later.cards, "the demo has a card decided later"
        await focus_text(pilot, later.cards[0].body)
        await pilot.press("n")
        await settle(pilot, 5)
        form = app.screen
        assert isinstance(form, CardForm)
        assert [f.name for f in form.fields][-2:] == ["revisit_when", "remind_on"]
        screen = form.region
        for wid in ("#form-title", "#form-keys"):
            assert screen.contains_region(form.query_one(wid).region), wid
        assert "escape: cancel" in str(form.query_one("#form-keys").render())
        body = form.query_one(FormBody)
        assert body.max_scroll_y > 0  # it does scroll here
        for _field in form.fields:
            assert body.region.contains_region(form.focused.region), form.focused.id
            label = form.query_one(f"#label-{form.focused.id.removeprefix('field-')}")
            assert body.region.contains_region(label.region), label.id
            await pilot.press("tab")
            await pilot.pause()
        assert form.focused.id == "field-decision_note"  # round again, scrolled back up
        await pilot.press("shift+tab")
        await pilot.pause()
        assert form.focused.id == "field-remind_on" and body.region.contains_region(form.focused.region)
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        await pilot.pause()
        label = form.query_one(f"#label-{form.focused.id.removeprefix('field-')}")
        assert body.region.contains_region(label.region), label.id
        # Scrolled by the mouse wheel so that a field is just in view under its hidden label:
        # tabbing to it brings the label into view too.
        form.set_focus(form.query_one("#field-intro_cost"))
        await pilot.pause()
        owner, owner_label = form.query_one("#field-owner"), form.query_one("#label-owner")
        body.scroll_to(y=owner.virtual_region.y, animate=False, immediate=True)
        await pilot.pause()
        assert not body.region.contains_region(owner_label.region)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert form.focused is owner
        assert body.region.contains_region(owner.region) and body.region.contains_region(owner_label.region)


async def test_a_burst_typed_with_a_lands_in_what_fails_with_the_prefilled_service_in_view(demo_at, make_app):
    app = make_app(demo_at("failures"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        service = app.screen.focused.key
        type_at_once(app, ["a", *"Disk full"])
        await settle(pilot, 5)
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.focused is form.query_one("#field-failure", TextArea)
        assert form.query_one("#field-failure", TextArea).text == "Disk full"
        assert form.query_one("#field-service", Input).value == service
        body = form.query_one(FormBody)
        assert body.region.contains_region(form.query_one("#field-service").region)  # not scrolled away
        assert body.region.contains_region(form.focused.region)
