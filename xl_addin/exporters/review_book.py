"""The review workbook (``xl-addin review -o review.xlsx``) and the same tables as data.

Three sheets: 全区汇总 (one row per unit × project, a subtotal per unit, the district
total), 问题清单 (every finding with its unit and file) and 单位状态 (one row per file).
The workbook is written in openpyxl's write-only mode: findings go to disk as each file's
result arrives, so a review of hundreds of workbooks never holds all findings (openpyxl
keeps only its table of distinct strings), and the small summary and status sheets are
written at the end.  The same rows feed ``--json``
(``table_dicts``), so the two outputs cannot disagree.

Totals are values computed exactly (``Decimal``) by the tool, not formulas: a file
written by openpyxl carries no cached results, and readers such as pandas would see
empty totals.  Text from the units' workbooks is written as text: a leading ``=`` never
becomes a formula in the reviewer's Excel, and control characters (which the file
format cannot hold) are dropped rather than ending the review.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..atomic import replace_file
from ..cellvalues import money_text
from ..findings import TYPE_TITLES, Finding
from ..marks import SEVERITY_LABELS
from ..review import FILE, REVIEW_SHEETS, STATUS_UNREADABLE, UNIT, District, FileReview
from ..summary import AMOUNT_COLUMNS
from ..template import styles as st

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

SUMMARY_SHEET, FINDINGS_SHEET, STATUS_SHEET = REVIEW_SHEETS
FINDINGS_HEADER = [UNIT, FILE, "工作表", "单元格", "类型", "级别", "说明", "建议"]
FINDINGS_WIDTHS = [30, 24, 18, 8, 18, 6, 70, 24]
STATUS_HEADER = [UNIT, FILE, "状态", "错误数", "警告数", "原因"]
STATUS_WIDTHS = [30, 24, 8, 7, 7, 60]
SUBTOTAL, TOTAL = "小计", "全区合计"
NAME_COLUMN = "项目名称"
_WIDTHS = {UNIT: 30, FILE: 24, "序号": 5, "项目编码": 24, NAME_COLUMN: 26, "类别": 10}

_BOLD = Font(name=st.FONT_NAME, size=10, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def _safe(ws: WriteOnlyWorksheet, value: object) -> object:
    """A value as a cell can hold it; user text stays text (see the module docstring)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _styled(ws: WriteOnlyWorksheet, value: object) -> Cell:
    """A cell that can take a font or number format (money as a number)."""
    safe = _safe(ws, value)
    if isinstance(safe, Cell):
        return safe
    return WriteOnlyCell(ws, value=float(safe) if isinstance(safe, Decimal) else safe)


def finding_row(review: FileReview, f: Finding) -> list[object]:
    return [review.unit, review.file, f.sheet, f.cell, TYPE_TITLES.get(f.type, f.type),
            SEVERITY_LABELS.get(f.severity, f.severity), f.message, f.suggestion]


def status_rows(district: District) -> list[list[object]]:
    """One row per file; the counts stay blank for a file that could not be read."""
    return [[f.unit, f.file, f.status, *((None, None) if f.status == STATUS_UNREADABLE
                                          else (f.errors, f.warnings)), f.reason]
            for f in district.files]


def summary_header(district: District) -> list[str]:
    return [UNIT, FILE, *district.columns]


def _sums_row(header: list[str], unit: str, label: str, sums: dict) -> list[object]:
    row: list[object] = [sums.get(col) for col in header]
    row[0], row[header.index(NAME_COLUMN)] = unit, label
    return row


def summary_rows(district: District) -> list[tuple[str, list[object]]]:
    """(kind, row) in sheet order; kind is 'project', 'subtotal' or 'total'.  Nothing
    when no file could be read (there is nothing to total)."""
    if not district.units():
        return []
    header = summary_header(district)
    out: list[tuple[str, list[object]]] = []
    projects = 0
    for unit in district.units():
        files = district.unit_files(unit)
        for f in files:
            for record in f.rows:
                out.append(("project", [unit, f.file, *(record.get(c) for c in header[2:])]))
        n = sum(len(f.rows) for f in files)
        projects += n
        label = f"{SUBTOTAL}（{len(files)} 个文件，{n} 个项目）"
        out.append(("subtotal", _sums_row(header, unit, label, district.unit_totals(unit))))
    label = f"{TOTAL}（{len(district.units())} 个单位，{projects} 个项目）"
    out.append(("total", _sums_row(header, TOTAL, label, district.total())))
    return out


def _json_value(col: str, value: object) -> object:
    if isinstance(value, Decimal):
        return money_text(value) if col in AMOUNT_COLUMNS else format(value, "f")
    return value


def table_dicts(district: District) -> dict[str, object]:
    """Summary, units' subtotals, total and statuses as JSON-ready data (money as exact
    decimal strings); findings are streamed separately by the caller."""
    header = summary_header(district)
    rows = {"project": [], "subtotal": [], "total": []}
    for kind, row in summary_rows(district):
        rows[kind].append({c: _json_value(c, v) for c, v in zip(header, row, strict=True)})
    return {
        "files": len(district.files),
        "status_counts": district.counts(),
        "summary": rows["project"],
        "units": rows["subtotal"],
        "total": rows["total"][0] if rows["total"] else {},
        "status": [dict(zip(STATUS_HEADER, r, strict=True)) for r in status_rows(district)],
    }


def _prepare(ws: WriteOnlyWorksheet, header: list[str], widths: list[float]) -> None:
    """Widths and frozen header: write-only sheets take them before the first row."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cells.append(cell)
    ws.append(cells)


class ReviewBook:
    """The review workbook, filled as results arrive and saved atomically at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = Workbook(write_only=True)
        self.summary = self.wb.create_sheet(SUMMARY_SHEET)
        self.findings = self.wb.create_sheet(FINDINGS_SHEET)
        self.status = self.wb.create_sheet(STATUS_SHEET)
        _prepare(self.findings, FINDINGS_HEADER, FINDINGS_WIDTHS)
        self.n_findings = 0

    def add(self, review: FileReview) -> None:
        """Write a file's findings now; its summary and status wait for ``save``."""
        ws = self.findings
        for f in review.findings:
            ws.append([_safe(ws, v) for v in finding_row(review, f)])
        self.n_findings += len(review.findings)

    def _write_summary(self, district: District) -> None:
        header = summary_header(district)
        money = {i for i, c in enumerate(header) if c in AMOUNT_COLUMNS}
        _prepare(self.summary, header, [_WIDTHS.get(c, 11) for c in header])
        ws = self.summary
        for kind, row in summary_rows(district):
            cells: list[object] = []
            for i, value in enumerate(row):
                if i not in money and kind == "project":
                    cells.append(_safe(ws, value))  # a styled cell costs several plain ones
                    continue
                cell = _styled(ws, value)
                if i in money:
                    cell.number_format = st.MONEY_FORMAT
                if kind != "project":
                    cell.font = _BOLD
                cells.append(cell)
            ws.append(cells)

    def save(self, district: District) -> Path:
        """Write the summary and status sheets, then the file (temporary file, replace)."""
        self._write_summary(district)
        _prepare(self.status, STATUS_HEADER, STATUS_WIDTHS)
        for row in status_rows(district):
            self.status.append([_safe(self.status, v) for v in row])
        last = get_column_letter(len(STATUS_HEADER))
        self.status.auto_filter.ref = f"A1:{last}{len(district.files) + 1}"
        if self.n_findings:
            last = get_column_letter(len(FINDINGS_HEADER))
            self.findings.auto_filter.ref = f"A1:{last}{self.n_findings + 1}"
        return replace_file(self.path, self.wb.save, what="审核结果")
