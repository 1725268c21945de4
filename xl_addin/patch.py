"""Changes to a workbook as data.

Actions compute a ``Patch`` from the model; an engine applies it in as few calls as its
spreadsheet allows (openpyxl in memory, xlwings one block write per sheet).  Actions
therefore never know which engine they run on, and tests can inspect a patch directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Formula:
    """A formula to write.  Plain strings are always text, even '=19人' — a target value
    users write that Excel would otherwise take for a formula."""

    text: str


@dataclass
class SetCells:
    """Write values into cells (1-based row, col); ``Formula`` for formulas."""

    sheet: str
    values: dict[tuple[int, int], object]


@dataclass
class GrowRows:
    """Make ``count`` rows from ``first_row`` on look like ``template_row``: styles,
    merged ranges, height, protection and dropdowns.  Rows are added at the end of a
    block, so nothing below has to move."""

    sheet: str
    template_row: int
    first_row: int
    count: int


@dataclass
class FitRows:
    """Make these rows tall enough for their wrapped text (Excel autofits; the file
    engine estimates from the text and the column widths)."""

    sheet: str
    rows: list[int]


@dataclass(frozen=True)
class CellState:
    """A cell's fill (RGB hex, '' for none) and note ('' for none): what a validation mark
    replaces, recorded so that clearing the mark gives the user's own back."""

    fill: str = ""
    note: str = ""


@dataclass
class StyleCells:
    """Set fill and note of cells (validation marks, and restoring what they covered)."""

    sheet: str
    states: dict[tuple[int, int], CellState]


@dataclass
class WriteTable:
    """(Re)create a tool-owned sheet holding a table: header row, rows, internal links
    ((row, col) -> "'Sheet'!A1"), column widths.  The previous content is dropped."""

    sheet: str
    header: list[str]
    rows: list[list[object]]
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    hidden: bool = False
    after: str | None = None


@dataclass
class DeleteSheet:
    sheet: str


Op = SetCells | GrowRows | FitRows | StyleCells | WriteTable | DeleteSheet


@dataclass
class Patch:
    ops: list[Op] = field(default_factory=list)

    def set(self, sheet: str, values: dict[tuple[int, int], object]) -> None:
        if values:
            self.ops.append(SetCells(sheet, dict(values)))

    def grow(self, sheet: str, template_row: int, first_row: int, count: int) -> None:
        if count > 0:
            self.ops.append(GrowRows(sheet, template_row, first_row, count))

    def fit(self, sheet: str, rows: list[int]) -> None:
        if rows:
            self.ops.append(FitRows(sheet, sorted(set(rows))))

    def __bool__(self) -> bool:
        return bool(self.ops)
