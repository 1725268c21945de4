"""Indicator-table rules: empty cells, categories against the framework, required
categories, a 三级指标 written twice, and one people's satisfaction asked twice."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from xl_addin.core.cellvalues import label
from xl_addin.core.model import INDICATOR_FIELDS, Indicator, Project
from xl_addin.rules.base import Hit, rule
from xl_addin.rules.context import Context, Row
from xl_addin.rules.profiles import Requirement


@rule(
    "V301", "empty-indicator-cell", "error", "indicator",
    "已使用的指标行的一级、二级、三级指标、绩效指标描述、指标值、指标值确定依据都已填写",
    "{owner}指标“{indicator}”的“{field}”为空。请填写{field}。",
)
def empty_cell(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    for key in INDICATOR_FIELDS:
        if not getattr(ind, key).strip():
            yield Hit(p, ind, key)


def _closest(text: str, options: list[str]) -> str:
    match = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    return match[0] if match else ""


@rule(
    "V302", "unknown-category", "error", "indicator",
    "一级指标是所选指标框架中的一级指标",
    "{owner}指标“{indicator}”的一级指标“{value}”不在{frame}中"
    "（应为{allowed}之一）。{fix}",
)
def unknown_level1(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    level1 = row.level1
    framework = ctx.profile.framework
    if not level1 or level1 in framework or not ind.level1_written:
        return
    suggestion = _closest(level1, ctx.profile.level1)
    fix = f"可改为“{suggestion}”。" if suggestion else "请从下拉列表中选择。"
    yield Hit(p, ind, "level1", {
        "value": ind.level1, "frame": ctx.profile.title or "指标框架",
        "allowed": "、".join(framework), "fix": fix,
    }, suggestion=suggestion)


def _level2_problem(ctx: Context, level1: str, level2: str) -> tuple[str, str, str]:
    """(what is wrong, how to fix it, suggestion) for a 二级 not under its 一级."""
    framework = ctx.profile.framework
    owner = next((l1 for l1, l2s in framework.items() if level2 in l2s), "")
    choices = "、".join(framework[level1])
    if owner:
        return (
            f"不属于一级指标“{level1}”（它属于“{owner}”）",
            f"请把一级指标改为“{owner}”，或改用“{level1}”下的二级指标（{choices}）。",
            owner,
        )
    if level2 in framework:
        first = framework[level2][0] if framework[level2] else level2
        return (
            "在本框架中是一级指标",
            f"请把一级指标改为“{level2}”，二级指标选用其下的“{first}”等。",
            first,
        )
    suggestion = _closest(level2, framework[level1]) or _closest(level2, ctx.profile.all_level2)
    fix = (f"可改为“{suggestion}”。" if suggestion
           else f"请从“{level1}”下的二级指标（{choices}）中选择。")
    return f"不在{ctx.profile.title or '指标框架'}中", fix, suggestion


@rule(
    "V303", "unknown-category", "error", "indicator",
    "二级指标是所选框架中、属于该行一级指标的二级指标",
    "{owner}指标“{indicator}”的二级指标“{value}”{problem}。{fix}",
)
def unknown_level2(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    level1, level2 = row.level1, row.level2
    if not level2 or level1 not in ctx.profile.framework:
        return
    if level2 in ctx.profile.framework[level1]:
        return
    problem, fix, suggestion = _level2_problem(ctx, level1, level2)
    yield Hit(p, ind, "level2", {"value": ind.level2, "problem": problem, "fix": fix},
              suggestion=suggestion)


def _need(req: Requirement) -> str:
    if not req.level2_any:
        return f"一级指标“{req.level1}”"
    return f"“{req.level1}”下的" + "或".join(f"“{l2}”" for l2 in req.level2_any)


@rule(
    "V304", "missing-category", "error", "project",
    "项目至少有规则文件 [[require]] 所列各类指标各一行"
    "（默认：数量、质量或时效、成本、效益、满意度）",
    "{owner}缺少{field}：没有属于{need}的指标行。请至少补充一行。",
)
def missing_category(ctx: Context, p: Project) -> Iterator[Hit]:
    written = {(row.level1, row.level2)
               for row in (ctx.row(i) for i in p.indicators if not i.is_blank())}
    for req in ctx.profile.requirements:
        if not any(req.met_by(l1, l2) for l1, l2 in written):
            yield Hit(p, field=req.label, params={"need": _need(req)})


@rule(
    "V305", "duplicate-indicator", "warning", "project",
    "同一项目中三级指标名称不重复",
    "{owner}的三级指标“{indicator}”与{first}重名。请删除重复的一行，或改用不同的指标名称。",
    on_department=True,
)
def duplicate_indicator(ctx: Context, p: Project) -> Iterator[Hit]:
    seen: dict[str, Indicator] = {}
    for ind in p.indicators:
        key = label(ind.level3)
        if not key:
            continue
        if key in seen:
            first = seen[key]
            where = f"第{first.row}行" if first.row is not None else "前面的同名指标"
            yield Hit(p, ind, "level3", {"first": where})
        else:
            seen[key] = ind


def _population(ctx: Context, level3: str) -> tuple[str, str] | None:
    """(key, how messages name it) of whom a satisfaction row asks, None when the name
    is no satisfaction: the words before 满意度; a group of the table when one of its
    words is there (群众, 居民 … are one people), else those words without filler."""
    t = ctx.tables
    at = min((i for w in t.satisfaction_words if (i := level3.find(w)) >= 0), default=-1)
    if at < 0:
        return None
    asked = level3[:at]
    for word, group in t.satisfaction_groups:
        if word in asked:
            return f"group:{group}", word
    for filler in t.satisfaction_filler:
        asked = asked.replace(filler, "")
    return f"text:{asked}", asked or "未写明对象"


@rule(
    "V306", "duplicate-indicator", "warning", "project",
    "同一项目中同一人群的满意度不重复计量（如“群众满意度”与“居民满意度”；"
    "人群的分组见 placement.toml [satisfaction_duplicate]）",
    "{owner}的满意度指标“{indicator}”与{first}的“{first_name}”调查的是同一人群（{who}），"
    "同一满意度计量了两次。请删除其中一行，或改为调查不同的对象（如受益对象与社会公众）。",
    on_department=True,
)
def duplicate_satisfaction(ctx: Context, p: Project) -> Iterator[Hit]:
    seen: dict[str, Indicator] = {}
    for ind in p.indicators:
        name = label(ind.level3)
        found = _population(ctx, name) if name else None
        if found is None:
            continue
        key, who = found
        first = seen.get(key)
        if first is None:
            seen[key] = ind
        elif label(first.level3) != name:  # the same name twice is V305's
            where = f"第{first.row}行" if first.row is not None else "前面"
            yield Hit(p, ind, "level3", {"first": where, "first_name": first.level3.strip(),
                                         "who": who})


RULES = (empty_cell, unknown_level1, unknown_level2, missing_category, duplicate_indicator,
         duplicate_satisfaction)
