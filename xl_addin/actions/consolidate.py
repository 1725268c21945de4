"""Consolidation: the 汇总 tab, one row per project, as a DataFrame and as a sheet.

The summary is derived data, so the tab is rebuilt from the project sheets every time
(never appended to).  Its totals are ``SUM`` formulas, so a reviewer who types into a
cell sees Excel or LibreOffice recompute them, and a fingerprint of the project sheets'
contents is stored on the tab: submission compares it with the sheets as they are now
and refuses a summary that no longer describes them.

The fingerprint hashes the parsed model (settings, every project field and indicator
row), not the file: formatting, validation marks, row positions and the 汇总 /
校验结果 tabs themselves do not change it, and it is the same whichever engine read
the values (whole numbers come back as int from Excel and as float from openpyxl).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from xl_addin.actions.marks import RESULTS_SHEET, mark_patch
from xl_addin.actions.summary import (
    AMOUNT_COLUMNS,
    ERRORS,
    LINK_COLUMN,
    MONEY_COLUMNS,
    PLAN_COLUMNS,
    SHEET_COLUMN,
    TOTAL_COUNT,
    WARNINGS,
    counts_from_findings,
    is_missing,
    sum_columns,
    summary_columns,
    summary_rows,
)
from xl_addin.core.book import Book
from xl_addin.core.cellvalues import label
from xl_addin.core.errors import UserError
from xl_addin.core.findings import TYPE_TITLES, Finding
from xl_addin.core.model import PLAN_POINTS, Project, Settings, WorkbookModel
from xl_addin.core.patch import Formula, Patch, WriteReport
from xl_addin.engines.template import styles as st
from xl_addin.forms.book import is_ours, read_model
from xl_addin.forms.department_sheet import SHEET as DEPARTMENT_SHEET
from xl_addin.forms.names import SUMMARY_SHEET

if TYPE_CHECKING:
    import pandas as pd

    from xl_addin.forms.acceptances import Accepted

TITLE = "预算项目绩效目标汇总表"
TIME_LABEL = "汇总时间"
FINGERPRINT_LABEL = "内容指纹"
NOTE_LABEL = "说明"
NOTE_TEXT = "本表由“汇总”生成，请勿手工修改；项目表改动后请重新汇总（xl-addin consolidate）。"
#: bumped when the hashed form changes, so an old fingerprint reads as stale, not as equal
FINGERPRINT_VERSION = "xl-addin/summary-fingerprint/1"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

def summary_frame(model: WorkbookModel,
                  checks: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    """``summary_rows`` as a DataFrame, the in-memory form of the 汇总 tab."""
    import pandas as pd  # here only: see summary.is_missing

    frame = pd.DataFrame(summary_rows(model, checks),
                         columns=summary_columns(model.settings.frame))
    for col in (ERRORS, WARNINGS):
        frame[col] = frame[col].astype("Int64")
    return frame


def summed_columns(frame: pd.DataFrame) -> list[str]:
    """Every column the totals row sums: the amounts, the indicator counts, and errors
    and warnings once validated."""
    columns = list(frame.columns)
    counts = columns[columns.index(AMOUNT_COLUMNS[-1]) + 1 : columns.index(TOTAL_COUNT)]
    checked = [c for c in (ERRORS, WARNINGS) if frame[c].notna().any()]
    return [*AMOUNT_COLUMNS, *counts, TOTAL_COUNT, *checked]


def totals(frame: pd.DataFrame) -> dict[str, Decimal | int]:
    """Python's own column sums (what the totals formulas must compute)."""
    return sum_columns({c: [v for v in frame[c] if not is_missing(v)]
                        for c in summed_columns(frame)})


# --- fingerprint ----------------------------------------------------------------------


def _num(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")


def _canonical(settings: Settings, projects: list[Project]) -> list:
    return [
        FINGERPRINT_VERSION,
        [settings.year, settings.unit, settings.frame],
        [
            [
                p.sheet, p.unit_line, p.code, p.name, p.category,
                [_num(getattr(p, key)) for key in MONEY_COLUMNS],
                p.uses, [_num(p.plan.get(key)) for key in PLAN_POINTS], p.goals,
                sorted(p.written.items()),
                [[i.level1, i.level2, i.level3, i.description, i.value, i.basis,
                  i.level1_written] for i in p.indicators],
            ]
            for p in projects
        ],
    ]


def fingerprint(model: WorkbookModel) -> str:
    """sha256 over the settings and every project's fields and indicator rows."""
    data = json.dumps(_canonical(model.settings, model.projects), ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def stored_fingerprint(book: Book) -> str | None:
    """The fingerprint on the 汇总 tab, or None when the workbook was never consolidated."""
    if SUMMARY_SHEET not in book.sheet_names():
        return None
    grid = book.read(SUMMARY_SHEET)
    at = grid.find(lambda v: isinstance(v, str) and label(v) == FINGERPRINT_LABEL)
    if at is None:
        return None
    r, c = at
    value = label(grid.get(r, grid.merge_end(r, c)[1] + 1)).lower()
    return value if _HEX64.match(value) else None


@dataclass(frozen=True)
class SummaryCheck:
    """The stored fingerprint against the project sheets as they are now."""

    stored: str | None
    current: str

    @property
    def consolidated(self) -> bool:
        return self.stored is not None

    @property
    def stale(self) -> bool:
        """Consolidated once, and the project sheets changed since."""
        return self.stored is not None and self.stored != self.current


def check_summary(book: Book) -> SummaryCheck:
    return SummaryCheck(stored_fingerprint(book), fingerprint(read_model(book).model))


# --- the 汇总 tab -----------------------------------------------------------------------

_WIDTHS = {"序号": 5, "项目编码": 24, "项目名称": 26, "类别": 10, TOTAL_COUNT: 7,
           ERRORS: 6, WARNINGS: 6, SHEET_COLUMN: 20} | dict.fromkeys(PLAN_COLUMNS.values(), 12)


def _cell(value: object) -> object:
    """A frame value as a cell value: engines take float, int, str and None."""
    if is_missing(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    return int(value) if hasattr(value, "__index__") else value


def summary_patch(frame: pd.DataFrame, settings: Settings, fingerprint_: str,
                  when: dt.datetime, *, submission: bool = False) -> Patch:
    """The patch that rebuilds the 汇总 tab from ``frame`` (without the link column).

    For a submission the table is what the bureau reads: no 工作表 column of links
    and no 内容指纹 (the tool's own check, meaningless to a reader)."""
    header = [c for c in frame.columns if c != LINK_COLUMN and not (
        submission and c == SHEET_COLUMN)]
    first, last = WriteReport.FIRST_ROW, WriteReport.FIRST_ROW + len(frame) - 1
    rows = [[_cell(v) for v in record] for record in frame[header].itertuples(index=False)]
    total_row: list[object] = [None] * len(header)
    total_row[header.index("项目编码")] = "合计"
    for col in summed_columns(frame):
        c = header.index(col) + 1
        letter = get_column_letter(c)
        total_row[c - 1] = Formula(f"=SUM({letter}{first}:{letter}{last})") if rows else 0
    money = {header.index(c) + 1: st.MONEY_FORMAT for c in AMOUNT_COLUMNS}
    links: dict[tuple[int, int], str] = {}
    notes: list[tuple[str, object]] = [(TIME_LABEL, when)]
    if not submission:
        link_col = header.index(SHEET_COLUMN) + 1
        links = {(first + i, link_col): link for i, link in enumerate(frame[LINK_COLUMN])}
        notes += [(FINGERPRINT_LABEL, fingerprint_), (NOTE_LABEL, NOTE_TEXT)]
    year = f"{settings.year}" if settings.year is not None else "—"
    op = WriteReport(
        SUMMARY_SHEET, TITLE,
        f"单位：{settings.unit or '—'}　　预算年度：{year}　　金额单位：万元",
        header, rows, [total_row], notes=notes,
        links=links, widths=[_WIDTHS.get(c, 10) for c in header], formats=money,
        password=settings.password, after=DEPARTMENT_SHEET,
    )
    return Patch([op])


@dataclass
class ConsolidationResult:
    frame: pd.DataFrame
    totals: dict[str, Decimal | int]
    fingerprint: str
    when: dt.datetime
    #: the workbook's validation marks were brought up to date (it carried them)
    remarked: bool = False


def consolidate_book(book: Book, findings: list[Finding] | None = None,
                     now: dt.datetime | None = None, *, submission: bool = False,
                     accepted: Sequence[Accepted] = ()) -> ConsolidationResult:
    """Rebuild the 汇总 tab of ``book`` through one patch, on any engine.

    Its 错误 and 警告 columns are this moment's: from ``findings`` when given (a
    validation just run), else from a validation run here — never from an earlier
    ``validate --write``, whose counts go stale as soon as a cell is fixed.  A workbook
    that carries validation marks has them renewed with the same findings, so a fixed
    cell loses its mark and 校验结果 agrees with the 汇总.  ``submission`` writes the
    table the bureau reads (see ``summary_patch``); ``now`` is the consolidation time
    (default: now, to the second).  ``accepted``: the findings explained (已说明) of
    the validation that gave ``findings``, listed on a renewed 校验结果 and not counted.
    """
    if not is_ours(book):
        raise UserError(
            "这个工作簿不是由本工具的模板生成的，无法汇总。请用 xl-addin import 或 new 生成工作簿。"
        )
    contents = read_model(book)
    model = contents.model
    if findings is None:
        from xl_addin.actions.workbook import validate_contents

        report = validate_contents(contents)
        findings, accepted = report.findings, report.accepted
    remarked = not submission and RESULTS_SHEET in book.sheet_names()
    if remarked:
        book.apply(mark_patch(book, findings, TYPE_TITLES, accepted=accepted))
    frame = summary_frame(model, counts_from_findings(findings))
    when = (now or dt.datetime.now()).replace(microsecond=0)
    fp = fingerprint(model)
    book.apply(summary_patch(frame, model.settings, fp, when, submission=submission))
    return ConsolidationResult(frame, totals(frame), fp, when, remarked)
