"""Changes to a workbook as data.

Actions compute a ``Patch`` from the model; an engine applies it in as few calls as its
spreadsheet allows (openpyxl in memory, xlwings one block write per sheet).  Actions
therefore never know which engine they run on, and tests can inspect a patch directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


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
class InsertRows:
    """Insert ``count`` blank rows before ``first_row``, then make them look like
    ``template_row`` (a row number after the insertion) as ``GrowRows`` does.  Rows from
    ``first_row`` on move down with all they carry — values, styles, notes, merged
    ranges, dropdown ranges, heights — as Excel's 插入行 moves them, so a row can go
    between the user's rows without changing any of them.  No merged range may span
    ``first_row`` (the caller checks: splitting a user's merge is not ours to do)."""

    sheet: str
    template_row: int
    first_row: int
    count: int

    def moved(self, row: int) -> int:
        """Where a row of the sheet before the insertion is after it."""
        return row + self.count if row >= self.first_row else row


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
    ((row, col) -> "'Sheet'!A1", absolute rows), column widths.  The previous content is
    dropped.  A visible table prints on A4 (landscape unless told otherwise), fitted to
    one page wide, its header row repeated, its rows as tall as their wrapped text.

    ``top`` is an optional block above the table (the 校验概要 of 校验结果): its first
    row a title, bold and not wrapped (it runs over the empty cells to its right), its
    second row a header coloured as the table's, then its rows; one blank row separates
    it from the table's header, which is then at ``header_row``.  With a block nothing is
    frozen (the block would fill the window); without one the header row is.

    ``choices`` gives a column (1-based) of the body a dropdown of the values it may
    hold, with ``prompt`` shown when one of its cells is selected (续建项目's 是/否)."""

    sheet: str
    header: list[str]
    rows: list[list[object]]
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    hidden: bool = False
    after: str | None = None
    landscape: bool = True
    top: list[list[object]] = field(default_factory=list)
    choices: dict[int, tuple[str, ...]] = field(default_factory=dict)
    prompt: str = ""

    def choice_error(self, col: int) -> str:
        """What a dropdown of column ``col`` says to any other value (every engine)."""
        return f"请选择{'或'.join(f'“{v}”' for v in self.choices[col])}。"

    @property
    def header_row(self) -> int:
        """The row of the table's header: 1, or below the block and its blank row."""
        return len(self.top) + 2 if self.top else 1

    @property
    def width(self) -> int:
        return max([len(self.header), *(len(r) for r in self.top)])

    def grid_values(self) -> list[list[object]]:
        """The sheet's rows as written, unpadded: what an engine that keeps values
        alone (memory, the live engine's mirror) holds."""
        gap: list[list[object]] = [[]] if self.top else []
        return [*map(list, self.top), *gap, list(self.header), *map(list, self.rows)]

    def cells(self) -> list[list[object]]:
        """Every row of the sheet from A1, each ``width`` cells long: the block, the
        blank row, the header, the rows — the one layout all engines write."""
        width = self.width

        def padded(row: list[object]) -> list[object]:
            return [*row, *[None] * (width - len(row))][:width]

        block = [padded(list(r)) for r in self.top] + ([padded([])] if self.top else [])
        return block + [padded(list(self.header))] + [padded(list(r)) for r in self.rows]


@dataclass
class DeleteSheet:
    sheet: str


@dataclass
class WriteReport:
    """(Re)create a tool-owned, printable, protected report sheet (the 汇总 tab).

    Fixed layout, so readers and formulas can rely on it: row 1 the title (merged over
    the table's width), row 2 the subtitle, row ``HEADER_ROW`` the header, body rows from
    ``FIRST_ROW``, then the ``totals`` rows (bold), a blank row, and one row per note:
    its label merged over columns 1-2 and its value merged over columns 3 to the last.
    Any cell may hold a ``Formula``; a ``datetime`` shows as yyyy-mm-dd hh:mm:ss.
    ``formats`` maps a 1-based column to the number format of its body and totals cells;
    ``links`` maps an absolute (row, col) to an internal target "'Sheet'!A1".  The table
    (header, body, totals) gets thin borders; every cell the CJK body font.  The sheet
    prints on A4 (landscape unless told otherwise), fitted to one page wide, rows 1 to
    ``HEADER_ROW`` repeated; it is protected (with ``password`` when given).  The previous
    sheet is dropped and the new one takes its place, else goes after ``after``."""

    HEADER_ROW: ClassVar[int] = 3
    FIRST_ROW: ClassVar[int] = 4

    sheet: str
    title: str
    subtitle: str
    header: list[str]
    rows: list[list[object]]
    totals: list[list[object]] = field(default_factory=list)
    notes: list[tuple[str, object]] = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)
    landscape: bool = True
    password: str = ""
    after: str | None = None

    def note_row(self, index: int) -> int:
        """The row of note ``index`` (0-based)."""
        return self.FIRST_ROW + len(self.rows) + len(self.totals) + 1 + index


Op = (SetCells | GrowRows | InsertRows | FitRows | StyleCells | WriteTable | DeleteSheet
      | WriteReport)


@dataclass
class Patch:
    ops: list[Op] = field(default_factory=list)

    def set(self, sheet: str, values: dict[tuple[int, int], object]) -> None:
        if values:
            self.ops.append(SetCells(sheet, dict(values)))

    def grow(self, sheet: str, template_row: int, first_row: int, count: int) -> None:
        if count > 0:
            self.ops.append(GrowRows(sheet, template_row, first_row, count))

    def insert(self, sheet: str, template_row: int, first_row: int, count: int) -> None:
        if count > 0:
            self.ops.append(InsertRows(sheet, template_row, first_row, count))

    def fit(self, sheet: str, rows: list[int]) -> None:
        if rows:
            self.ops.append(FitRows(sheet, sorted(set(rows))))

    def __bool__(self) -> bool:
        return bool(self.ops)
