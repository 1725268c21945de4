"""The review workbook (``xl-addin review -o review.xlsx``) and the same tables as data.

Four sheets: 全区汇总 (one row per unit × project, a subtotal per unit, the district
total), 问题清单 (every finding with its unit and file), 已说明 (the findings each unit
explained, with the reason; counted nowhere) and 单位状态 (one row per file); with
``--previous`` a fifth, 与上年对照 (one row per change from last year, ``previous``).
The workbook is streamed (``xlsx_stream``): findings go to disk as each file's result
arrives, so a review of hundreds of workbooks never holds all findings, and the small
summary and status sheets are written at the end.  The same rows feed ``--json``
(``table_dicts``), so the two outputs cannot disagree.

Totals are values computed exactly (``Decimal``) by the tool, not formulas: a file
without cached results would show readers such as pandas empty totals.  Text from the
units' workbooks is written as text (inline strings): a leading ``=`` never becomes a
formula in the reviewer's Excel, and control characters (which the file format cannot
hold) are dropped rather than ending the review.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xl_addin.actions.marks import SEVERITY_LABELS
from xl_addin.actions.previous import MONEY, Comparison
from xl_addin.actions.review import (
    FILE,
    PREVIOUS_SHEET,
    REVIEW_SHEETS,
    STATUS_UNREADABLE,
    UNIT,
    District,
    FileReview,
)
from xl_addin.actions.summary import AMOUNT_COLUMNS, NAME_COLUMN
from xl_addin.core.cellvalues import money_text
from xl_addin.core.findings import TYPE_TITLES, Finding
from xl_addin.documents.exporters.xlsx_stream import StreamBook, Style
from xl_addin.engines.template import formats
from xl_addin.forms.acceptances import Accepted

SUMMARY_SHEET, FINDINGS_SHEET, ACCEPTED_SHEET, STATUS_SHEET = REVIEW_SHEETS
FINDINGS_HEADER = [UNIT, FILE, "工作表", "单元格", "类型", "级别", "说明", "建议"]
FINDINGS_WIDTHS = [30, 24, 18, 8, 18, 6, 70, 24]
#: the findings each unit explained (已说明), with the reason: not counted anywhere
ACCEPTED_HEADER = [UNIT, FILE, "工作表", "单元格", "类型", "级别", "代码", "说明", "说明理由",
                   "说明人", "说明时间"]
ACCEPTED_WIDTHS = [30, 24, 18, 8, 18, 6, 7, 60, 40, 10, 16]
STATUS_HEADER = [UNIT, FILE, "状态", "错误数", "警告数", "原因"]
STATUS_WIDTHS = [30, 24, 8, 7, 7, 60]
#: this year against last year (``review --previous``), one row per change
PREVIOUS_HEADER = [UNIT, "项目", "指标/字段", "上年", "本年", "变化", "说明"]
PREVIOUS_WIDTHS = [30, 26, 18, 16, 16, 10, 60]
SUBTOTAL, TOTAL = "小计", "全区合计"
#: after the name of a project row that another file's row of the same code counts for
UNCOUNTED = "（重复，未计入合计）"
_WIDTHS = {UNIT: 30, FILE: 24, "序号": 5, "项目编码": 24, NAME_COLUMN: 26, "类别": 10}


def finding_row(review: FileReview, f: Finding) -> list[object]:
    return [review.unit, review.file, f.sheet, f.cell, TYPE_TITLES.get(f.type, f.type),
            SEVERITY_LABELS.get(f.severity, f.severity), f.message, f.suggestion]


def accepted_row(review: FileReview, a: Accepted) -> list[object]:
    f, s = a.finding, a.acceptance
    return [review.unit, review.file, f.sheet, f.cell, TYPE_TITLES.get(f.type, f.type),
            SEVERITY_LABELS.get(f.severity, f.severity), f.code, f.message, s.reason, s.by,
            s.when]


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
        n = 0
        for f in files:
            for record in f.rows:
                row = [unit, f.file, *(record.get(c) for c in header[2:])]
                if district.counted(f, record):
                    n += 1
                else:
                    row[header.index(NAME_COLUMN)] = f"{record.get(NAME_COLUMN, '')}{UNCOUNTED}"
                out.append(("project", row))
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


class ReviewBook:
    """The review workbook, filled as results arrive and saved atomically at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = StreamBook(formats.FONT_NAME, formats.FONT_SIZE, formats.MONEY_FORMAT)
        self.findings = self.book.add_sheet(FINDINGS_SHEET, FINDINGS_WIDTHS, FINDINGS_HEADER,
                                            autofilter=True)
        self.accepted = self.book.add_sheet(ACCEPTED_SHEET, ACCEPTED_WIDTHS, ACCEPTED_HEADER,
                                            autofilter=True)

    def add(self, review: FileReview) -> None:
        """Write a file's findings now; its summary and status wait for ``save``."""
        for f in review.findings:
            self.findings.append(finding_row(review, f))
        for a in review.accepted:
            self.accepted.append(accepted_row(review, a))

    def _write_summary(self, district: District) -> None:
        header = summary_header(district)
        money = {i for i, c in enumerate(header) if c in AMOUNT_COLUMNS}
        ws = self.book.add_sheet(SUMMARY_SHEET, [_WIDTHS.get(c, 11) for c in header], header,
                                 at=0)
        plain = [Style.MONEY if i in money else Style.PLAIN for i in range(len(header))]
        bold = [Style.BOLD_MONEY if i in money else Style.BOLD for i in range(len(header))]
        for kind, row in summary_rows(district):
            ws.append(row, plain if kind == "project" else bold)

    def _write_previous(self, comparison: Comparison) -> None:
        ws = self.book.add_sheet(PREVIOUS_SHEET, PREVIOUS_WIDTHS, PREVIOUS_HEADER,
                                 autofilter=True)
        money = [Style.PLAIN] * 3 + [Style.MONEY] * 3 + [Style.PLAIN]
        for c in comparison.changes:
            ws.append([c.unit, c.project, c.field, c.previous, c.current, c.change, c.note],
                      money if c.kind == MONEY else None)

    def save(self, district: District, previous: Comparison | None = None) -> Path:
        """Write the findings only the whole review shows (a project in two files), the
        summary and status sheets (and 与上年对照 when last year's folder was compared),
        then the file (temporary file, replace)."""
        for review, f in district.duplicates:
            self.findings.append(finding_row(review, f))
        self._write_summary(district)
        status = self.book.add_sheet(STATUS_SHEET, STATUS_WIDTHS, STATUS_HEADER,
                                     autofilter=True)
        for row in status_rows(district):
            status.append(row)
        if previous is not None:
            self._write_previous(previous)
        return self.book.save(self.path, what="审核结果")
