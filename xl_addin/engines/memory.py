"""An in-memory engine: grids in a dict, for fast unit tests of actions and layouts."""

from __future__ import annotations

import copy

from ..grid import Grid
from ..patch import Formula, GrowRows, Patch, SetCells


class MemoryBook:
    """A workbook made of ``Grid`` objects; hidden sheets and names kept as plain data."""

    def __init__(self, grids: list[Grid], hidden: set[str] | None = None,
                 names: dict[str, str] | None = None) -> None:
        self.grids = {g.name: g for g in grids}
        self.order = [g.name for g in grids]
        self.hidden = set(hidden or ())
        self.names = dict(names or {})

    @classmethod
    def from_book(cls, book) -> MemoryBook:
        names = book.sheet_names()
        return cls([book.read(n) for n in names], {n for n in names if book.is_hidden(n)})

    def sheet_names(self) -> list[str]:
        return list(self.order)

    def is_hidden(self, sheet: str) -> bool:
        return sheet in self.hidden

    def read(self, sheet: str) -> Grid:
        return copy.deepcopy(self.grids[sheet])

    def defined_name(self, name: str) -> str | None:
        return self.names.get(name)

    def apply(self, patch: Patch) -> None:
        for op in patch.ops:
            grid = self.grids[op.sheet]
            if isinstance(op, SetCells):
                for (r, c), v in op.values.items():
                    while len(grid.values) < r:
                        grid.values.append([])
                    row = grid.values[r - 1]
                    while len(row) < c:
                        row.append(None)
                    row[c - 1] = v.text if isinstance(v, Formula) else v
            elif isinstance(op, GrowRows):  # formatting only: merges matter to parsing
                row_merges = [m for m in grid.merged if m[0] == m[2] == op.template_row]
                for r in range(op.first_row, op.first_row + op.count):
                    grid.merged.extend((r, m[1], r, m[3]) for m in row_merges)

    def copy_sheet(self, source: str, new_name: str, before: str | None = None) -> None:
        grid = copy.deepcopy(self.grids[source])
        grid.name = new_name
        self.grids[new_name] = grid
        self.order.insert(self.order.index(before) if before else len(self.order), new_name)
