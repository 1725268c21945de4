"""An in-memory engine: grids in a dict, for fast unit tests of actions and layouts."""

from __future__ import annotations

import copy

from xl_addin.core.grid import Grid
from xl_addin.core.patch import (
    CellState,
    DeleteSheet,
    Formula,
    GrowRows,
    InsertRows,
    Patch,
    SetCells,
    StyleCells,
    WriteReport,
    WriteTable,
)


class MemoryBook:
    """A workbook made of ``Grid`` objects; hidden sheets and names kept as plain data."""

    def __init__(self, grids: list[Grid], hidden: set[str] | None = None,
                 names: dict[str, str] | None = None) -> None:
        self.grids = {g.name: g for g in grids}
        self.order = [g.name for g in grids]
        self.hidden = set(hidden or ())
        self.names = dict(names or {})
        self.states: dict[str, dict[tuple[int, int], CellState]] = {}

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

    def cell_states(self, sheet: str, cells: list[tuple[int, int]]) -> dict:
        saved = self.states.get(sheet, {})
        return {rc: saved.get(rc, CellState()) for rc in cells}

    def apply(self, patch: Patch) -> None:
        for op in patch.ops:
            if isinstance(op, WriteTable):
                if op.sheet not in self.grids:
                    at = self.order.index(op.after) + 1 if op.after in self.order else None
                    self.order.insert(len(self.order) if at is None else at, op.sheet)
                self.grids[op.sheet] = Grid(op.sheet, op.grid_values())
                if op.hidden:
                    self.hidden.add(op.sheet)
                continue
            if isinstance(op, WriteReport):
                self._write_report(op)
                continue
            if isinstance(op, DeleteSheet):
                if op.sheet in self.grids:
                    del self.grids[op.sheet]
                    self.order.remove(op.sheet)
                continue
            if isinstance(op, StyleCells):
                self.states.setdefault(op.sheet, {}).update(op.states)
                continue
            grid = self.grids[op.sheet]
            if isinstance(op, SetCells):
                for (r, c), v in op.values.items():
                    while len(grid.values) < r:
                        grid.values.append([])
                    row = grid.values[r - 1]
                    while len(row) < c:
                        row.append(None)
                    row[c - 1] = v.text if isinstance(v, Formula) else v
            elif isinstance(op, InsertRows):
                grid.insert_rows(op.first_row, op.count)
                states = self.states.get(op.sheet, {})
                self.states[op.sheet] = {(op.moved(r), c): s for (r, c), s in states.items()}
                self.apply(Patch([GrowRows(op.sheet, op.template_row, op.first_row, op.count)]))
            elif isinstance(op, GrowRows):  # formatting only: merges matter to parsing
                row_merges = [m for m in grid.merged if m[0] == m[2] == op.template_row]
                for r in range(op.first_row, op.first_row + op.count):
                    grid.merged.extend((r, m[1], r, m[3]) for m in row_merges)

    def _write_report(self, op: WriteReport) -> None:
        """The report's values and merges at the positions ``WriteReport`` fixes."""
        if op.sheet not in self.grids:
            at = self.order.index(op.after) + 1 if op.after in self.order else len(self.order)
            self.order.insert(at, op.sheet)
        n = max(len(op.header), 3)
        values: list[list[object]] = [[op.title], [op.subtitle], list(op.header)]
        values += [list(row) for row in [*op.rows, *op.totals]]
        merged = [(1, 1, 1, n), (2, 1, 2, n)]
        if op.notes:
            values.append([])
        for i, (label, value) in enumerate(op.notes):
            values.append([label, None, value])
            r = op.note_row(i)
            merged += [(r, 1, r, 2), (r, 3, r, n)]
        values = [[v.text if isinstance(v, Formula) else v for v in row] for row in values]
        self.grids[op.sheet] = Grid(op.sheet, values, merged)
        self.hidden.discard(op.sheet)

    def copy_sheet(self, source: str, new_name: str, before: str | None = None) -> None:
        grid = copy.deepcopy(self.grids[source])
        grid.name = new_name
        self.grids[new_name] = grid
        self.order.insert(self.order.index(before) if before else len(self.order), new_name)

