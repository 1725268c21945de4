"""The file engine: .xlsx/.xlsm through openpyxl.

It opens a workbook once, reads each sheet in one pass, applies patches in memory and
saves atomically: the new file is written to a temporary file in the same folder and
only then replaces the original, whose previous version is kept as ``<name>.bak``.
A failure at any point leaves the original byte-identical.
"""

from __future__ import annotations

import copy
import datetime
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.errors import UserError, cannot_write
from xl_addin.core.grid import Grid, blank_covered
from xl_addin.core.patch import (
    CellState,
    DeleteSheet,
    FitRows,
    Formula,
    GrowRows,
    InsertRows,
    Patch,
    SetCells,
    StyleCells,
    WriteReport,
    WriteTable,
)
from xl_addin.engines.guards import (
    WriteLock,
    check_readable,
    check_row_count,
    check_write_target,
    limits,
    same_file,
)
from xl_addin.engines.package import check_loaded
from xl_addin.engines.template import styles as st
from xl_addin.files.atomic import replace_file
from xl_addin.files.writable import check_output
from xl_addin.forms.row_heights import height_for, line_count


def _clean_merge_range(ws: Worksheet, mcr: MergedCellRange) -> None:
    """openpyxl's own, but only while the workbook's expanded ranges stay within
    ``max_merge_cells`` cells in all.

    openpyxl makes a ``MergedCell`` of every cell a range covers, on loading and on
    merging, at a fraction of a millisecond each (it files each cell's border through a
    list search): a merge of the whole sheet (17 billion cells), or sheets of merges of
    a few thousand cells, never end.  A range left unexpanded stays in the sheet's
    ``merged_cells`` as it is (a save writes it back unchanged, its covered cells as
    the file had them) and is listed on the sheet for ``covering`` and ``read`` to
    answer for its cells; ``forms.merges`` reports the sheets that have such ranges."""
    cells = mcr.size["rows"] * mcr.size["columns"]
    expanded = ws.parent.__dict__.setdefault("_xl_addin_expanded", [0])
    if expanded[0] + cells <= limits().max_merge_cells:
        expanded[0] += cells
        _stock_clean_merge_range(ws, mcr)
    else:
        _huge_merges(ws).append(mcr)


_stock_clean_merge_range = Worksheet._clean_merge_range
Worksheet._clean_merge_range = _clean_merge_range


def _huge_merges(ws: Worksheet) -> list[CellRange]:
    """The sheet's ranges left without ``MergedCell``s (see ``_clean_merge_range``)."""
    return ws.__dict__.setdefault("_xl_addin_unexpanded", [])


def covering(ws: Worksheet, row: int, col: int, huge: list[CellRange]) -> CellRange | None:
    """The merged range that hides (row, col) under its top-left cell, else None (the
    top-left cell of a range is not hidden, unless another range overlaps it).  ``huge``:
    the sheet's ``_huge_merges``, found once per operation."""
    cell = ws._cells.get((row, col))
    if not isinstance(cell, MergedCell) and not any(
            m.min_row <= row <= m.max_row and m.min_col <= col <= m.max_col
            and (m.min_row, m.min_col) != (row, col) for m in huge):
        return None
    return next((m for m in ws.merged_cells.ranges
                 if m.min_row <= row <= m.max_row and m.min_col <= col <= m.max_col
                 and (m.min_row, m.min_col) != (row, col)), None)


class FileBook:
    """A workbook file opened with openpyxl."""

    def __init__(self, path: str | Path, workbook: Workbook | None = None) -> None:
        self.path = Path(path)
        if workbook is None:
            declared = check_readable(self.path)
            keep_vba = self.path.suffix.lower() == ".xlsm"
            try:
                workbook = load_workbook(self.path, keep_vba=keep_vba, rich_text=False)
            except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
                raise UserError(
                    f"文件“{self.path.name}”含有不安全的 XML 内容（实体或外部引用），已拒绝读取。"
                ) from exc
            except Exception as exc:  # any parser failure means a damaged file, not a bug
                raise UserError(
                    f"文件“{self.path.name}”已损坏或不是有效的 Excel 工作簿，无法读取"
                    f"（{type(exc).__name__}）。"
                ) from exc
            check_loaded(self.path, declared, workbook.sheetnames)
            _check_cell_counts(self.path, workbook)
        self.wb = workbook
        self._grids: dict[str, Grid] = {}
        #: where ``save()`` writes: the file itself, or ``for_update``'s output
        self.target = self.path

    @classmethod
    @contextmanager
    def for_update(cls, path: str | Path, out: str | Path | None = None
                   ) -> Iterator[FileBook]:
        """Open a workbook to change it, every writing command's one way in: the result
        goes to ``out`` (in place when it is None or names the input, however spelled).

        What is written is checked first (not a symlink, device or folder; not open in
        another program; not read-only), its write lock is held until the block ends
        (the input is read inside the lock, so two writers never interleave), and the
        book's ``save()`` writes it atomically, keeping the replaced file as ``.bak``.
        """
        path = Path(path)
        target = path if out is None or same_file(path, Path(out)) else Path(out)
        check_output(target)
        check_write_target(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cannot_write(target, exc) from exc
        with WriteLock(target.resolve()):
            book = cls(path)
            book.target = target
            yield book

    # -- reading ---------------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def is_hidden(self, sheet: str) -> bool:
        return self.wb[sheet].sheet_state != "visible"

    def read(self, sheet: str) -> Grid:
        """One pass over the sheet; cached until the sheet changes."""
        if sheet not in self._grids:
            ws = self.wb[sheet]
            values = [list(row) for row in ws.iter_rows(values_only=True)]
            merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            blank_covered(values, [(m.min_row, m.min_col, m.max_row, m.max_col)
                                   for m in _huge_merges(ws)])
            self._grids[sheet] = Grid(sheet, values, merged)
        return copy.deepcopy(self._grids[sheet])

    def defined_name(self, name: str) -> str | None:
        dn = self.wb.defined_names.get(name)
        return dn.attr_text if dn is not None else None

    # -- writing ---------------------------------------------------------------------
    def cell_states(
        self, sheet: str, cells: list[tuple[int, int]]
    ) -> dict[tuple[int, int], CellState]:
        ws = self.wb[sheet]
        out = {}
        for r, c in cells:
            cell = ws.cell(row=r, column=c)
            fill = cell.fill
            rgb = fill.fgColor.rgb if fill is not None and fill.fill_type == "solid" else ""
            out[(r, c)] = CellState(
                fill=rgb[-6:] if isinstance(rgb, str) else "",
                note=cell.comment.text if cell.comment is not None else "",
            )
        return out

    def apply(self, patch: Patch) -> None:
        for op in patch.ops:
            self._grids.pop(op.sheet, None)
            if isinstance(op, WriteTable):
                write_table(self.wb, op)
                continue
            if isinstance(op, WriteReport):
                write_report(self.wb, op)
                continue
            if isinstance(op, DeleteSheet):
                if op.sheet in self.wb.sheetnames:
                    del self.wb[op.sheet]
                continue
            ws = self.wb[op.sheet]
            if isinstance(op, StyleCells):
                style_cells(ws, op.states)
            elif isinstance(op, GrowRows):
                grow_rows(ws, op.template_row, op.first_row, op.count)
            elif isinstance(op, InsertRows):
                shift_down(ws, op.first_row, op.count)
                grow_rows(ws, op.template_row, op.first_row, op.count)
            elif isinstance(op, FitRows):
                fit_rows(ws, op.rows)
            elif isinstance(op, SetCells):
                huge = _huge_merges(ws)
                for (r, c), value in op.values.items():
                    hidden = covering(ws, r, c, huge)
                    if hidden is not None:
                        if value is None:
                            continue
                        raise UserError(
                            f"工作表“{op.sheet}”的单元格 {get_column_letter(c)}{r} 在合并区域 "
                            f"{hidden.coord} 之内，无法写入。请取消该处的合并后再试。"
                        )
                    cell = ws.cell(row=r, column=c)
                    if isinstance(value, Formula):
                        cell.value = value.text
                    else:
                        cell.value = value
                        if isinstance(value, str):
                            cell.data_type = "s"  # '=19人' stays text, never a formula

    def copy_sheet(self, source: str, new_name: str, before: str | None = None) -> None:
        src = self.wb[source]
        new = self.wb.copy_worksheet(src)
        new.title = new_name
        new.sheet_state = "visible"
        for dv in src.data_validations.dataValidation:
            new.add_data_validation(copy.deepcopy(dv))
        new.protection = copy.deepcopy(src.protection)
        new.HeaderFooter = copy.deepcopy(src.HeaderFooter)
        if src.print_title_rows:
            new.print_title_rows = src.print_title_rows
        if before is not None:
            sheets = self.wb._sheets
            sheets.remove(new)
            sheets.insert(sheets.index(self.wb[before]), new)

    def worksheet(self, name: str) -> Worksheet:
        """The openpyxl sheet, for file-only work (building whole sheets)."""
        self._grids.pop(name, None)
        return self.wb[name]

    def save(self, path: str | Path | None = None, *, backup: bool = True) -> Path:
        """Write atomically; keep the replaced file as ``<name>.bak``."""
        target = Path(path) if path is not None else self.target
        return replace_file(target, lambda out: _write(self.wb, out), backup=backup,
                            what="工作簿")


def _write(wb: Workbook, out: Path) -> None:
    """``wb.save(out)`` with openpyxl's own temporaries (one file per sheet while it
    writes) in a private folder that goes whatever happens: a Ctrl-C or SIGTERM in the
    middle of a sheet would otherwise leave an ``openpyxl.*`` file in the system's
    temporary folder, which openpyxl removes only once the sheet is written."""
    with tempfile.TemporaryDirectory(prefix="xl-addin-save-") as private:
        before, tempfile.tempdir = tempfile.tempdir, private
        try:
            wb.save(out)
        finally:
            tempfile.tempdir = before


def _check_cell_counts(path: Path, wb: Workbook) -> None:
    cap = limits().max_cells_per_sheet
    for ws in wb.worksheets:
        check_row_count(path, ws.title, ws.max_row)
        if ws.max_row * ws.max_column > cap:
            raise UserError(
                f"文件“{path.name}”的工作表“{ws.title}”有 {ws.max_row} 行 × {ws.max_column} 列，"
                f"超过每表 {cap} 个单元格的上限，未读取。请删除多余的行列后再试。"
            )


def grow_rows(ws: Worksheet, template_row: int, first_row: int, count: int) -> None:
    """Give ``count`` rows from ``first_row`` the template row's styles, merges, height
    and dropdowns (data validations covering the template row are extended)."""
    sources = list(ws[template_row])
    height = ws.row_dimensions[template_row].height
    merges = [m for m in ws.merged_cells.ranges if m.min_row == m.max_row == template_row]
    last = first_row + count - 1
    for r in range(first_row, last + 1):
        for src in sources:
            if src.has_style:
                ws.cell(row=r, column=src.column)._style = copy.copy(src._style)
        if height is not None:
            ws.row_dimensions[r].height = height
        for m in merges:
            ws.merge_cells(start_row=r, start_column=m.min_col, end_row=r, end_column=m.max_col)
    for dv in ws.data_validations.dataValidation:
        for rng in list(dv.sqref.ranges):
            if rng.min_row <= template_row <= rng.max_row:
                dv.sqref.add(CellRange(min_col=rng.min_col, max_col=rng.max_col,
                                       min_row=first_row, max_row=last))


def shift_down(ws: Worksheet, first_row: int, count: int) -> None:
    """Insert ``count`` blank rows before ``first_row`` as Excel does: openpyxl moves the
    cells (values, styles, notes), this moves the rest — merged ranges, dropdown ranges
    (a range spanning the insertion grows), row heights and hyperlink anchors."""
    ws.insert_rows(first_row, count)
    for m in ws.merged_cells.ranges:
        if m.min_row >= first_row:
            m.shift(row_shift=count)
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange([_moved_range(r, first_row, count) for r in dv.sqref.ranges])
    for cf_range in list(ws.conditional_formatting._cf_rules):
        moved = MultiCellRange([_moved_range(r, first_row, count) for r in cf_range.sqref.ranges])
        if str(moved) != str(cf_range.sqref):
            rules = ws.conditional_formatting._cf_rules.pop(cf_range)
            for cf_rule in rules:
                ws.conditional_formatting.add(str(moved), cf_rule)
    dims = ws.row_dimensions
    for r in sorted((r for r in dims if r >= first_row), reverse=True):
        dim = dims.pop(r)
        dim.index = r + count
        dims[r + count] = dim
    for row in ws.iter_rows(min_row=first_row + count):
        for cell in row:
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate


def _moved_range(rng: CellRange, first_row: int, count: int) -> CellRange:
    moved = CellRange(rng.coord)
    if moved.min_row >= first_row:
        moved.shift(row_shift=count)
    elif moved.max_row >= first_row:
        moved.expand(down=count)
    return moved


def fit_rows(ws: Worksheet, rows: list[int]) -> None:
    """Make each row tall enough for its wrapped text (``forms.row_heights``): openpyxl
    cannot measure text, and LibreOffice keeps the stored height, so without this long
    text is cut off.  A row already taller (a user's, or the template's) stays so.

    Each row is read up to the sheet's last column, found once: ``ws[r]`` finds it
    anew from every cell of the sheet, which made this quadratic (a report of 6,000
    findings took 30 s)."""
    merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    last_col = ws.max_column
    widths: dict[int, float] = {}

    def width(col: int) -> float:
        if col not in widths:
            widths[col] = ws.column_dimensions[get_column_letter(col)].width or 8.43
        return widths[col]

    for r in rows:
        lines = 1
        (row,) = ws.iter_rows(min_row=r, max_row=r, max_col=last_col)
        for cell in row:
            if isinstance(cell, MergedCell) or cell.value in (None, "") or (
                    cell.data_type == "f"):  # a formula's text is not what it shows
                continue
            m = merged.get((r, cell.column))
            cols = range(m.min_col, m.max_col + 1) if m else [cell.column]
            n = line_count(str(cell.value), sum(width(c) for c in cols))
            if m and m.max_row > m.min_row:
                n = -(-n // (m.max_row - m.min_row + 1))
            lines = max(lines, n)
        current = ws.row_dimensions[r].height or 0.0
        ws.row_dimensions[r].height = max(current, height_for(lines))


NOTE_AUTHOR = "绩效目标校验"


def style_cells(ws: Worksheet, states: dict[tuple[int, int], CellState]) -> None:
    """Set each cell's fill and note; an empty fill/note removes it.  A cell a merged
    range hides is left alone: it shows neither (``marks`` puts a finding on the cell
    that shows it), and openpyxl's ``MergedCell`` cannot take a note.  Only a damaged
    file (overlapping ranges) or a record older than the user's merge leads here."""
    huge = _huge_merges(ws)
    for (r, c), state in states.items():
        if covering(ws, r, c, huge) is not None:
            continue
        cell = ws.cell(row=r, column=c)
        cell.fill = (PatternFill("solid", fgColor=state.fill) if state.fill else PatternFill())
        if state.note:
            comment = Comment(state.note, NOTE_AUTHOR, height=120, width=260)
            cell.comment = comment
        else:
            cell.comment = None


LINK_FONT = Font(name=st.FONT_NAME, size=10, color="0563C1", underline="single")


def _links_and_widths(ws: Worksheet, links: dict[tuple[int, int], str],
                      widths: list[float]) -> None:
    """Internal links ("'Sheet'!A1") styled as links, and the column widths."""
    for (r, c), target in links.items():
        cell = ws.cell(row=r, column=c)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target)
        cell.font = LINK_FONT
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def write_table(wb: Workbook, op: WriteTable) -> None:
    """Recreate a tool-owned table sheet in place (same position if it existed), laid
    out as ``WriteTable.cells`` (the block above the header, when there is one)."""
    ws = _recreate(wb, op.sheet, op.after)
    bold = Font(name="宋体", size=10, bold=True)
    plain = Font(name="宋体", size=10)
    for row in op.cells():
        ws.append(row)
    head = op.header_row
    last = ws.max_row
    heads = [head, 2] if op.top else [head]
    #: the body's style, made once and copied: setting a font or an alignment hashes
    #: it (~0.1 ms a cell); a cell styled already (a date's format) is styled itself
    body: StyleArray | None = None
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if body is not None and not cell.has_style:
                cell._style = copy.copy(body)
            else:
                cell.font = plain
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if body is None and cell.number_format == "General":
                    body = copy.copy(cell._style)
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for r in heads:
        (row,) = ws.iter_rows(min_row=r, max_row=r, max_col=op.width)
        for cell in row:
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
    if op.top:  # the block's title: bold, on one line over the empty cells beside it
        ws["A1"].font = bold
        if isinstance(ws["A1"].value, str):
            ws["A1"].data_type = "s"
    _links_and_widths(ws, op.links, op.widths)
    _choices(ws, op, head + 1, last)
    if not op.top:
        ws.freeze_panes = "A2"
    if op.rows:
        ws.auto_filter.ref = f"A{head}:{get_column_letter(len(op.header))}{last}"
    ws.sheet_state = "veryHidden" if op.hidden else "visible"
    if not op.hidden:  # a sheet users see is a sheet they print
        fit_rows(ws, list(range(2, last + 1)))
        st.print_a4(ws, f"{head}:{head}", landscape=op.landscape, side_margin=0.4)


def _choices(ws: Worksheet, op: WriteTable, first: int, last: int) -> None:
    """The body's dropdowns: a stop error for any other value, the prompt on select."""
    if last < first:
        return
    for col, values in op.choices.items():
        letter = get_column_letter(col)
        st.list_validation(ws, f"{letter}{first}:{letter}{last}", '"' + ",".join(values) + '"',
                           op.header[col - 1], op.prompt, error=op.choice_error(col),
                           strict=True)


def _recreate(wb: Workbook, sheet: str, after: str | None) -> Worksheet:
    """A new empty sheet where ``sheet`` was, else after ``after``, else last."""
    if sheet in wb.sheetnames:
        index = wb.sheetnames.index(sheet)
        del wb[sheet]
    elif after is not None and after in wb.sheetnames:
        index = wb.sheetnames.index(after) + 1
    else:
        index = len(wb.sheetnames)
    return wb.create_sheet(sheet, index)


def _put(cell, value: object) -> None:
    """Write a value as ``SetCells`` does: ``Formula`` as a formula, text always text."""
    if isinstance(value, Formula):
        cell.value = value.text
        return
    if isinstance(value, datetime.datetime):  # before the value, or openpyxl picks its own
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def write_report(wb: Workbook, op: WriteReport) -> None:
    """Recreate a report sheet as ``WriteReport`` describes it (see there for the layout)."""
    ws = _recreate(wb, op.sheet, op.after)
    n = max(len(op.header), 3)
    last = get_column_letter(n)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    _put(ws["A1"], op.title)
    ws["A1"].font, ws["A1"].alignment = st.FONT_TITLE, st.CENTER
    _put(ws["A2"], op.subtitle)
    ws["A2"].font, ws["A2"].alignment = st.FONT, st.LEFT
    ws.row_dimensions[1].height = 30
    header_row = op.HEADER_ROW
    for c, text_ in enumerate(op.header, start=1):
        cell = ws.cell(row=header_row, column=c)
        _put(cell, text_)
        cell.font, cell.fill, cell.alignment, cell.border = (
            st.FONT_BOLD, st.HEADER_FILL, st.CENTER, st.BORDER)
    table = [(row, False) for row in op.rows] + [(row, True) for row in op.totals]
    for i, (values, total) in enumerate(table):
        r = op.FIRST_ROW + i
        for c in range(1, len(op.header) + 1):
            cell = ws.cell(row=r, column=c)
            value = values[c - 1] if c <= len(values) else None
            _put(cell, value)
            cell.font = st.FONT_BOLD if total else st.FONT
            number = isinstance(value, int | float | Formula)
            cell.alignment, cell.border = (st.RIGHT if number else st.LEFT), st.BORDER
            if c in op.formats:
                cell.number_format = op.formats[c]
    for i, (label_, value) in enumerate(op.notes):
        r = op.note_row(i)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=n)
        _put(ws.cell(row=r, column=1), label_)
        _put(ws.cell(row=r, column=3), value)
        ws.cell(row=r, column=1).font = st.FONT_BOLD
        ws.cell(row=r, column=3).font = st.FONT
        ws.cell(row=r, column=3).alignment = st.LEFT
    _links_and_widths(ws, op.links, op.widths)
    ws.row_dimensions[header_row].height = 30  # two lines of header text
    fit_rows(ws, list(range(op.FIRST_ROW, op.FIRST_ROW + len(op.rows))))
    ws.freeze_panes = ws.cell(row=op.FIRST_ROW, column=1)
    st.print_a4(ws, f"1:{op.HEADER_ROW}", landscape=op.landscape, side_margin=0.4)
    ws.protection.sheet = True
    if op.password:
        ws.protection.password = op.password
