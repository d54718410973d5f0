"""The card column widget on its own: heading, cards and the position bar in its last cell."""

from __future__ import annotations

from textual.app import App, ComposeResult

from premortem_tui.ui.widgets.card_column import CARD_HEIGHT, CardColumn, CardView

CARDS = [CardView(f"c{n}", "failure", "Billing", f"failure number {n}") for n in range(40)]


class OneColumn(App[None]):
    def __init__(self, cards: list[CardView], heading: str) -> None:
        super().__init__()
        self.cards, self.heading = cards, heading

    def compose(self) -> ComposeResult:
        yield CardColumn("Billing", self.cards, heading=self.heading)


def last_cells(column: CardColumn) -> str:
    return "".join(column.render_line(y).text[-1] for y in range(1, column.size.height))


async def test_the_position_bar_follows_the_cursor_down_a_long_column():
    app = OneColumn(CARDS, "Billing")
    async with app.run_test(size=(30, 21)) as pilot:
        column = app.query_one(CardColumn)
        column.focus()
        await pilot.pause()
        assert last_cells(column) == "█" * 2 + " " * 18  # 20 lines of 200 shown: a tenth of the bar, at the top
        assert column.render_line(1).text[-2] == "┓"  # the focused card leaves the bar its cell
        await pilot.press("end")
        await pilot.pause()
        assert last_cells(column) == " " * 18 + "█" * 2
        await pilot.press("home")
        await pilot.pause()
        assert last_cells(column).startswith("█")


async def test_a_short_column_has_no_position_bar_and_a_long_heading_keeps_its_count():
    app = OneColumn(CARDS[:2], "A service with a very long name indeed")
    async with app.run_test(size=(30, 21)) as pilot:
        await pilot.pause()
        column = app.query_one(CardColumn)
        assert column.render_line(0).text == " A service with a very... (2) "
        assert column.render_line(1).text[-1] in "╮┓"  # the card's own corner: no bar
        assert column.render_line(2 * CARD_HEIGHT).text[-1] == "╯"


async def test_the_bar_reaches_the_bottom_at_the_end_of_a_column_just_longer_than_the_screen():
    app = OneColumn(CARDS[:5], "Billing")  # 25 lines of cards, 20 shown
    async with app.run_test(size=(30, 21)) as pilot:
        column = app.query_one(CardColumn)
        column.focus()
        await pilot.pause()
        assert last_cells(column) == "█" * 16 + " " * 4
        await pilot.press("end")
        await pilot.pause()
        assert last_cells(column) == " " * 4 + "█" * 16
        column.set_ascii(True)  # terminals that draw box characters double-width
        assert last_cells(column) == " " * 4 + "#" * 16


async def test_a_smaller_terminal_keeps_the_focused_card_in_sight():
    app = OneColumn(CARDS, "Billing")
    async with app.run_test(size=(30, 41)) as pilot:
        column = app.query_one(CardColumn)
        column.focus()
        column.cursor = 7  # lines 35-39 of the cards: in sight on 40 lines
        await pilot.pause()
        assert column.scroll_offset.y == 0
        await pilot.resize_terminal(30, 21)
        await pilot.pause()
        top = int(column.scroll_offset.y)
        assert top <= 7 * CARD_HEIGHT and 7 * CARD_HEIGHT + CARD_HEIGHT <= top + column.size.height - 1
