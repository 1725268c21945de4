"""The summary's rows as plain Python: one row per project, and their column sums.

Both the 汇总 tab (``consolidate``, through a DataFrame) and the batch review (in worker
processes, hundreds of workbooks at a time) show these rows; this module needs neither
pandas nor openpyxl, so a review worker starts without loading them.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, localcontext

from xl_addin.core.findings import Finding
from xl_addin.core.model import PLAN_POINTS, Project, WorkbookModel
from xl_addin.core.numbers import arithmetic
from xl_addin.rules.profiles import BUILTIN
from xl_addin.rules.profiles import load as load_profile

MONEY_COLUMNS: dict[str, str] = {"budget": "预算数", "fiscal": "财政资金", "other": "其他资金"}
PLAN_COLUMNS: dict[str, str] = {key: f"{text}计划支出" for key, text in PLAN_POINTS.items()}
#: the columns summed as money (万元)
AMOUNT_COLUMNS = [*MONEY_COLUMNS.values(), *PLAN_COLUMNS.values()]
TOTAL_COUNT = "指标合计"
ERRORS, WARNINGS = "错误", "警告"
SHEET_COLUMN, LINK_COLUMN = "工作表", "链接"
CODE_COLUMN, NAME_COLUMN = "项目编码", "项目名称"
CENT = Decimal("0.01")
YUAN = Decimal("0.0001")  # 万元 to the 元


def count_columns(indicator_frame: str) -> dict[str, str]:
    """一级 -> its count column, for the workbook's frame (成本指标 is a 一级 only in 2021)."""
    profile = load_profile(indicator_frame if indicator_frame in BUILTIN else "2015")
    return {level1: f"{level1}数" for level1 in profile.level1}


def planned(budget: Decimal | None, percent: Decimal | None) -> Decimal | None:
    """Cumulative planned spending in 万元: 预算数 × plan %, half up to the budget's own
    precision (two decimals, or up to four when the budget is exact to the 元), so that
    12月底 = 100% is the budget itself."""
    if budget is None or percent is None:
        return None
    exponent = budget.as_tuple().exponent
    step = CENT if not isinstance(exponent, int) or exponent >= -2 else YUAN
    with localcontext(arithmetic()):  # both are bounded: exact, and never a trap
        return (budget * percent / 100).quantize(step, rounding=ROUND_HALF_UP)


def sheet_link(sheet: str) -> str:
    """An internal hyperlink target to a sheet's top-left cell."""
    return "'{}'!A1".format(sheet.replace("'", "''"))


def _row(i: int, p: Project, counts: dict[str, str], checked: tuple[int, int] | None) -> dict:
    row: dict[str, object] = {"序号": i, CODE_COLUMN: p.code, NAME_COLUMN: p.name,
                              "类别": p.category}
    row |= {col: getattr(p, key) for key, col in MONEY_COLUMNS.items()}
    row |= {col: planned(p.budget, p.plan.get(key)) for key, col in PLAN_COLUMNS.items()}
    by_level1 = Counter(ind.level1 for ind in p.indicators)
    row |= {col: by_level1[level1] for level1, col in counts.items()}
    row[TOTAL_COUNT] = len(p.indicators)
    row[ERRORS], row[WARNINGS] = checked if checked is not None else (None, None)
    row[SHEET_COLUMN], row[LINK_COLUMN] = p.sheet, sheet_link(p.sheet)
    return row


def summary_columns(frame_name: str) -> list[str]:
    """The summary's columns for a frame profile, in order."""
    return ["序号", CODE_COLUMN, NAME_COLUMN, "类别", *MONEY_COLUMNS.values(),
            *PLAN_COLUMNS.values(), *count_columns(frame_name).values(), TOTAL_COUNT,
            ERRORS, WARNINGS, SHEET_COLUMN, LINK_COLUMN]


def summary_rows(model: WorkbookModel,
                 checks: dict[str, tuple[int, int]] | None = None) -> list[dict]:
    """One plain row per project, in sheet order (what ``consolidate.summary_frame``
    holds, without pandas: the batch review builds hundreds of these).

    Money and planned amounts are exact ``Decimal`` (None where the cell is not a
    number); ``checks`` maps a sheet to its (errors, warnings) from the last
    validation, and None means never validated: those columns are then None.
    """
    counts = count_columns(model.settings.frame)
    return [
        _row(i, p, counts, None if checks is None else checks.get(p.sheet, (0, 0)))
        for i, p in enumerate(model.projects, start=1)
    ]


def sum_columns(columns: dict[str, list]) -> dict[str, Decimal | int]:
    """Each column's sum, blanks skipped: exact Decimal for amounts, int for counts."""
    out: dict[str, Decimal | int] = {}
    with localcontext(arithmetic()):
        for col, cells in columns.items():
            values = [v for v in cells if v is not None]
            out[col] = sum(values, Decimal(0)) if col in AMOUNT_COLUMNS else int(sum(values))
    return out


def row_totals(rows: list[dict], frame_name: str) -> dict[str, Decimal | int]:
    """``totals`` of plain ``summary_rows`` (the same columns summed)."""
    columns = summary_columns(frame_name)
    counts = columns[columns.index(AMOUNT_COLUMNS[-1]) + 1 : columns.index(TOTAL_COUNT)]
    checked = [c for c in (ERRORS, WARNINGS) if any(r[c] is not None for r in rows)]
    summed = [*AMOUNT_COLUMNS, *counts, TOTAL_COUNT, *checked]
    return sum_columns({c: [r[c] for r in rows] for c in summed})


def counts_from_findings(findings: list[Finding]) -> dict[str, tuple[int, int]]:
    """(errors, warnings) per sheet."""
    by = Counter((f.sheet, f.severity) for f in findings)
    sheets = {f.sheet for f in findings}
    return {s: (by[(s, "error")], by[(s, "warning")]) for s in sheets}


def is_missing(value: object) -> bool:
    """A blank summary value: None, NaN, or pandas' NA in a DataFrame's column.

    Pandas is never imported for this: a value taken from a frame means pandas is loaded
    already, and commands that build no frame (review, validate, fill) start ~0.15 s
    sooner without it.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pd = sys.modules.get("pandas")
    return pd is not None and value is pd.NA
