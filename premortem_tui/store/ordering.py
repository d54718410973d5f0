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
        table = self.table
        return list(s.execute(select(table.id, getattr(table, self.pos))
                              .where(getattr(table, self.group) == value)
                              .order_by(getattr(table, self.pos), literal_column("rowid"))).all())

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

    def place(self, s: Any, value: str, card_id: str, index: int | None) -> int:
        """Put the new row ``card_id`` (flushed with ``value`` as its group) at ``index`` of that
        column, the end when None; the rest keep their order. Returns the index it got."""
        return self._insert(s, value, self._read(s, value), card_id, index)

    def _insert(self, s: Any, value: str, column: list[tuple[str, int]], card_id: str,
                index: int | None) -> int:
        rest = [i for i, _ in column if i != card_id]
        index = len(rest) if index is None else max(0, min(index, len(rest)))
        self._write(s, value, column, [*rest[:index], card_id, *rest[index:]])
        return index

    def remove(self, s: Any, value: str, card_id: str) -> int:
        """Close up ``value``'s column without ``card_id`` (which is leaving it, and is deleted or
        regrouped after this); reports and returns the index it had there."""
        column = self._read(s, value)
        ids = [i for i, _ in column]
        index = ids.index(card_id) if card_id in ids else len(ids)
        self._write(s, value, column, [i for i in ids if i != card_id])
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
