"""A sheet's content read in one block: the unit every parser works on.

Engines produce a ``Grid`` with one call per sheet (openpyxl iterates once, xlwings reads
``used_range`` once), so parsing never goes back to the spreadsheet cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache


@cache
def column_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA' (bijective base 26, as Excel names columns)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1(row: int, col: int) -> str:
    """1-based (row, col) -> 'B3'."""
    return f"{column_letter(col)}{row}"


_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})")


def parse_a1(ref: object) -> tuple[int, int] | None:
    """'B3' -> (3, 2); None for anything else (a range, a name, text)."""
    m = _A1.fullmatch(ref.strip()) if isinstance(ref, str) else None
    if m is None:
        return None
    col = 0
    for ch in m[1].upper():
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def blank_covered(values: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    """Blank, in rows of values read from A1, what merged ranges hide under their top-left
    cells: Excel shows nothing there, and openpyxl reads its ``MergedCell``s as empty,
    so an engine that reads such values (calamine; openpyxl for a range too large to
    expand) blanks them to read the sheet as the others do.  Only the cells read are
    visited, however many a range covers."""
    for r1, c1, r2, c2 in merged:
        for r in range(r1, min(r2, len(values)) + 1):
            row = values[r - 1]
            first = c1 + 1 if r == r1 else c1
            row[first - 1:c2] = [None] * len(row[first - 1:c2])


@dataclass
class Grid:
    """Values from A1, row-major, 1-based accessors; merged ranges as (r1, c1, r2, c2)."""

    name: str
    values: list[list[object]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _index_of: int | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        return len(self.values)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.values), default=0)

    def insert_rows(self, first_row: int, count: int) -> None:
        """Blank rows before ``first_row``, merged ranges from there on moved down with
        their rows (what the engines mirror of an ``InsertRows``; no range spans it)."""
        if first_row <= len(self.values):
            self.values[first_row - 1:first_row - 1] = [[] for _ in range(count)]
        self.merged = [(r1 + count, c1, r2 + count, c2) if r1 >= first_row else (r1, c1, r2, c2)
                       for r1, c1, r2, c2 in self.merged]
        self._index_of = None

    def get(self, row: int, col: int) -> object:
        if 1 <= row <= len(self.values):
            r = self.values[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return None

    def cells(self) -> Iterator[tuple[int, int, object]]:
        for r, row in enumerate(self.values, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None and v != "":
                    yield r, c, v

    def find(self, predicate: Callable[[object], bool]) -> tuple[int, int] | None:
        """The first cell (row-major) whose value satisfies ``predicate``."""
        for r, c, v in self.cells():
            if predicate(v):
                return r, c
        return None

    def _merge_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range holding (row, col), through an index built once per grid.

        The index holds the cells within the grid's values only (a merge of the whole
        sheet covers 17 billion cells, and only those with values can matter); a cell
        outside them is looked up among the ranges.  Where ranges overlap (a damaged
        file), the first one listed wins."""
        key = len(self.merged)  # engines only ever add merged ranges to a grid
        if self._index_of != key:
            rows, cols = self.n_rows, self.n_cols
            self._index = {}
            for m in reversed(self.merged):
                self._index.update(((r, c), m) for r in range(m[0], min(m[2], rows) + 1)
                                   for c in range(m[1], min(m[3], cols) + 1))
            self._index_of = key
        if row <= self.n_rows and col <= self.n_cols:
            return self._index.get((row, col))
        return next((m for m in self.merged if m[0] <= row <= m[2] and m[1] <= col <= m[3]),
                    None)

    def merge_end(self, row: int, col: int) -> tuple[int, int]:
        """The bottom-right cell of the merged range holding (row, col), else itself."""
        m = self._merge_at(row, col)
        return (m[2], m[3]) if m else (row, col)

    def covered(self) -> frozenset[tuple[int, int]]:
        """Cells within the values inside a merged range other than its top-left one:
        they show nothing, whatever an engine returns for them."""
        self._merge_at(0, 0)  # builds the index
        return frozenset(rc for rc, m in self._index.items() if rc != (m[0], m[1]))

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The cell that shows (row, col): the top-left cell of the merged range holding
        it, else itself.  Where ranges overlap, a top-left cell covered by another range
        leads on to that range's (each step goes up or left, so it ends)."""
        at = (row, col)
        if self._merge_at(row, col) is None:
            return at
        while (m := next((m for m in self.merged if m[0] <= at[0] <= m[2]
                          and m[1] <= at[1] <= m[3] and (m[0], m[1]) != at), None)):
            at = (m[0], m[1])
        return at
