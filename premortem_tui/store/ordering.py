"""Where cards sit in their columns: the one place positions are computed.

A column is the rows of one table that share a group value (a failure's service, a
countermeasure's stage or decision, a retro note's kind), in the order of a position field.
Every change that places a card or closes a gap reports the order it left in a
``ColumnOrder``; the board applies that order as given instead of computing its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, literal_column, select, update


@dataclass
class ColumnOrder:
    """What the changes of one call left in the columns they touched.

    ``columns``: (kind, position field, group value) -> card ids, top first; each card's
    position is its index there. ``was``: (kind, position field) -> (group value, index) where
    the card that moved sat before the call, so that undo can put it back there.
    """

    columns: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    was: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def update(self, other: "ColumnOrder") -> None:
        """Take a later change's report: its orders are newer, the first place a card left is kept."""
        self.columns.update(other.columns)
        for key, place in other.was.items():
            self.was.setdefault(key, place)


def report(s: Any) -> ColumnOrder:
    """The report of the transaction ``s`` (an ORM session), filled as its columns change."""
    return s.info.setdefault("column_order", ColumnOrder())


@dataclass(frozen=True)
class Column:
    """The columns of ``table`` grouped by ``group`` and ordered by ``pos`` (ties by rowid, as read)."""

    table: Any
    group: str
    pos: str

    @property
    def kind(self) -> str:
        return self.table.__tablename__

    def _read(self, s: Any, value: str) -> list[tuple[str, int]]:
        table = self.table.__table__
        group, pos = table.c[self.group], table.c[self.pos]
        return list(s.connection().execute(select(table.c.id, pos).where(group == value)
                                           .order_by(pos, literal_column("rowid"))).all())

    def _write(self, s: Any, value: str, column: list[tuple[str, int]], ids: list[str]) -> None:
        """Store ``ids`` as the order of ``value``'s column (``column``: what it holds now) and report it."""
        old = dict(column)
        changes = [{"card": i, "n": n} for n, i in enumerate(ids) if old.get(i) != n]
        if changes:
            # One Core statement run for many rows: the ORM's bulk update costs ten times as much
            # on a long column (row objects of these cards, if any are loaded, are not refreshed).
            table = self.table.__table__
            s.connection().execute(update(table).where(table.c.id == bindparam("card"))
                                   .values({self.pos: bindparam("n")}), changes)
        report(s).columns[(self.kind, self.pos, value)] = ids

    def _shift(self, s: Any, value: str, low: int, high: int | None, by: int, card_id: str) -> None:
        """Add ``by`` to the position of ``value``'s cards from ``low`` to ``high`` (inclusive; None:
        to the end) but ``card_id``: one statement, however long the column."""
        table = self.table.__table__
        pos = table.c[self.pos]
        where = [table.c[self.group] == value, pos >= low, table.c.id != card_id]
        if high is not None:
            where.append(pos <= high)
        s.connection().execute(update(table).where(*where).values({self.pos: pos + by}))

    def _set(self, s: Any, card_id: str, index: int) -> None:
        table = self.table.__table__
        s.connection().execute(update(table).where(table.c.id == card_id).values({self.pos: index}))

    @staticmethod
    def _numbered(column: list[tuple[str, int]], but: str | None = None) -> bool:
        """Whether the column's cards (but ``but``) sit at 0, 1, 2 ... with no gap and no tie: then a
        change renumbers only the range it moves; otherwise it rewrites the column once."""
        n = 0
        for i, p in column:
            if i != but:
                if p != n:
                    return False
                n += 1
        return True

    def place(self, s: Any, value: str, card_id: str, index: int | None) -> int:
        """Put the new row ``card_id`` (flushed with ``value`` as its group) at ``index`` of that
        column, the end when None; the rest keep their order. Returns the index it got."""
        return self._insert(s, value, self._read(s, value), card_id, index)

    def _insert(self, s: Any, value: str, column: list[tuple[str, int]], card_id: str,
                index: int | None) -> int:
        rest = [i for i, _ in column if i != card_id]
        index = len(rest) if index is None else max(0, min(index, len(rest)))
        ids = [*rest[:index], card_id, *rest[index:]]
        now = next((n for n, (i, _p) in enumerate(column) if i == card_id), None)
        if now is not None and self._numbered(column):
            # Moving inside a numbered column, from ``now`` to ``index``: only the range between shifts.
            if index > now:
                self._shift(s, value, now + 1, index, -1, card_id)
            elif index < now:
                self._shift(s, value, index, now - 1, 1, card_id)
            if index != now:
                self._set(s, card_id, index)
        elif self._numbered(column, card_id):
            # Coming into a numbered column (the card's own position is not one yet): the cards from
            # ``index`` on go one down.
            if index < len(rest):
                self._shift(s, value, index, None, 1, card_id)
            self._set(s, card_id, index)
        else:
            self._write(s, value, column, ids)
            return index
        report(s).columns[(self.kind, self.pos, value)] = ids
        return index

    def remove(self, s: Any, value: str, card_id: str) -> int:
        """Close up ``value``'s column without ``card_id`` (which is leaving it, and is deleted or
        regrouped after this); reports and returns the index it had there."""
        column = self._read(s, value)
        ids = [i for i, _ in column]
        index = ids.index(card_id) if card_id in ids else len(ids)
        rest = [i for i in ids if i != card_id]
        if self._numbered(column):  # the cards below it go one up
            if index + 1 < len(ids):
                self._shift(s, value, index + 1, None, -1, card_id)
            report(s).columns[(self.kind, self.pos, value)] = rest
        elif self._numbered(column, card_id):  # it was out of place: the rest stay where they are
            report(s).columns[(self.kind, self.pos, value)] = rest
        else:
            self._write(s, value, column, rest)
        report(s).was.setdefault((self.kind, self.pos), (value, index))
        return index

    def move(self, s: Any, row: Any, value: str, index: int | None) -> int:
        """Put ``row`` at ``index`` of ``value``'s column (the end when None), regrouping it there;
        the column it leaves is closed up, and where it was is reported. Returns its new index."""
        old = getattr(row, self.group)
        if old != value:
            self.remove(s, old, row.id)
            setattr(row, self.group, value)
            s.add(row)
            s.flush()
            index = self.place(s, value, row.id, index)
        else:
            column = self._read(s, value)
            report(s).was.setdefault((self.kind, self.pos), (value, [i for i, _ in column].index(row.id)))
            index = self._insert(s, value, column, row.id, index)
        setattr(row, self.pos, index)  # what the row object tells the caller; the file has it already
        return index

    def arrange(self, s: Any, value: str, first: list[str]) -> None:
        """Put the cards ``first`` of ``value``'s column at its top in that order; the rest keep
        their order after them (ids not in the column are ignored)."""
        column = self._read(s, value)
        ids = [i for i, _ in column]
        held = set(ids)
        top = [i for i in dict.fromkeys(first) if i in held]
        chosen = set(top)
        self._write(s, value, column, [*top, *(i for i in ids if i not in chosen)])
