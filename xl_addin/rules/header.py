"""Header rules: the required fields, the project code and the year in the name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xl_addin.core.model import PLAN_POINTS, Project
from xl_addin.rules.base import Hit, rule
from xl_addin.rules.context import Context

_REQUIRED_HINTS: dict[str, str] = {
    "code": "请填写预算系统中的项目编码（21位）。",
    "name": "请填写项目名称。",
    "budget": "请填写预算数（万元，最多四位小数）。",
    "fiscal": "请填写其中的财政资金（万元）；资金全部来自其他来源时填 0，并填写其他资金。",
    "uses": "请写明资金用途。",
    "goals": "请逐条填写绩效目标（1.…… 2.……）。",
    **dict.fromkeys(PLAN_POINTS, "请填写截至该月底累计支出的百分比，如“25%”。"),
}
_CODE_CHARS = re.compile(r"[0-9A-Z]*")
_TWO_DIGITS = re.compile(r"[0-9]{2}")
_YEAR_RANGE = re.compile(r"((?:19|20)[0-9]{2})\s*年?\s*[-—–~～至到]\s*((?:19|20)[0-9]{2})\s*年")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")


def _is_empty(p: Project, key: str) -> bool:
    value = p.plan.get(key) if key in PLAN_POINTS else getattr(p, key)
    if key == "fiscal" and not _is_empty(p, "other"):
        return False  # the split is given: 其他资金 alone may carry the project
    return value in (None, "", []) and key not in p.written


@rule(
    "V101", "missing-field", "error", "project",
    "必填的表头项已填写：项目编码、项目名称、预算数、财政资金（或其他资金）、资金用途、绩效目标、"
    "资金支出计划（3/6/10/12月底）",
    "{owner}的“{field}”未填写。{hint}",
)
def missing_field(ctx: Context, p: Project) -> Iterator[Hit]:
    for key, hint in _REQUIRED_HINTS.items():
        # a sheet whose label is missing has no cell for the field: sheet-structure says so
        label_missing = bool(p.cells) and key not in p.cells
        if _is_empty(p, key) and not label_missing:
            yield Hit(p, at=key, params={"hint": hint})


@rule(
    "V102", "code-format", "error", "project",
    "项目编码为规定位数（默认21位）的数字和大写字母，前6位为行政区划代码，第7–8位为年度",
    "{owner}的项目编码“{code}”格式不对：{problems}。请核对预算系统中的项目编码。",
)
def code_format(ctx: Context, p: Project) -> Iterator[Hit]:
    code = p.code
    if not code:
        return
    problems = []
    if len(code) != ctx.settings.code_length:
        problems.append(f"应为{ctx.settings.code_length}位，现为{len(code)}位")
    if not _CODE_CHARS.fullmatch(code):
        problems.append("只能由数字和大写字母组成")
    if ctx.region and not code.startswith(ctx.region):
        problems.append(f"前6位应为行政区划代码“{ctx.region}”")
    if not _TWO_DIGITS.fullmatch(code[6:8]):
        problems.append("第7–8位应为预算年度的后两位数字")
    if problems:
        yield Hit(p, at="code", params={"code": code, "problems": "；".join(problems)})


@rule(
    "V103", "code-year-mismatch", "error", "project",
    "项目编码第7–8位的年度与工作簿的预算年度一致",
    "{owner}的项目编码“{code}”第7–8位为“{digits}”，与预算年度{year}年不一致。"
    "请改用{year}年度预算系统中的项目编码。",
)
def code_year(ctx: Context, p: Project) -> Iterator[Hit]:
    year = ctx.model.settings.year
    digits = p.code[6:8]
    if year is None or not _TWO_DIGITS.fullmatch(digits) or int(digits) == year % 100:
        return
    yield Hit(p, at="code", params={"code": p.code, "digits": digits, "year": year})


def _stray_years(name: str, year: int) -> list[str]:
    """Years written in ``name`` that differ from ``year``; a range containing it is fine."""
    stray = []
    for m in _YEAR_RANGE.finditer(name):
        first, last = int(m.group(1)), int(m.group(2))
        if not first <= year <= last:
            stray.append(m.group(2))
    outside = _YEAR_RANGE.sub("", name)
    stray += [y for y in _YEAR.findall(outside) if int(y) != year]
    return stray


@rule(
    "V104", "name-year-mismatch", "warning", "project",
    "项目名称中写的年份与预算年度一致（含该年度的年份区间不提示）",
    "{owner}的名称写有“{written}年”，与预算年度{year}年不一致。"
    "如为本年度项目，请改为{year}年或删去名称中的年份；如为以前年度结转项目，请在名称中注明“结转”。",
)
def name_year(ctx: Context, p: Project) -> Iterator[Hit]:
    year = ctx.model.settings.year
    if year is None or not p.name:
        return
    stray = _stray_years(p.name, year)
    if stray:
        # a range is the user's to redraw; a single year has one obvious fix
        suggestion = "" if _YEAR_RANGE.search(p.name) else _YEAR.sub(f"{year}年", p.name)
        yield Hit(
            p, at="name", params={"written": "年、".join(stray), "year": year},
            suggestion=suggestion,
        )


RULES = (missing_field, code_format, code_year, name_year)
