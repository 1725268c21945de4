"""Department rules: the 部门整体绩效目标 sheet's goals, the part of the submission
that opens the PDF and the docx.

An empty overview used to validate clean and be submitted as a blank first page; its
indicator rows are judged by the row rules (``on_department``), these rules judge the
texts: 总体目标 and each 职责's 绩效目标 present, not a restatement of the duty or a
string of set phrases, and no goal copied from another duty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from xl_addin.core.model import Department
from xl_addin.rules.base import DepartmentRows, Hit, rule
from xl_addin.rules.config import keyword_text, rule_data
from xl_addin.rules.context import Context

_NOT_CONTENT = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"[0-9０-９一二三四五六七八九十百千万]+[%％个次人项场户件元天]")


@cache
def _settings() -> tuple[int, tuple[str, ...]]:
    data = rule_data("department")
    phrases = sorted({keyword_text(p) for p in data["vague_phrases"]}, key=len, reverse=True)
    return int(data["min_specific_chars"]), tuple(phrases)


def _specific(goal: str, duty: str = "") -> str:
    """What a goal says beyond its duty's name and the set phrases."""
    rest = keyword_text(goal)
    if duty:
        rest = rest.replace(keyword_text(duty), "")
    for phrase in _settings()[1]:
        rest = rest.replace(phrase, "")
    return _NOT_CONTENT.sub("", rest)


def is_vague(goal: str, duty: str = "") -> bool:
    """A goal that names nothing to be achieved: no number with a unit, and fewer than
    ``min_specific_chars`` characters of its own once the set phrases are gone."""
    if _DIGIT.search(goal):
        return False
    return len(_specific(goal, duty)) < _settings()[0]


@rule(
    "V801", "missing-field", "error", "department",
    "部门整体绩效目标表已填写：总体目标，至少一项职责及其绩效目标，每项职责都有绩效目标",
    "{owner}绩效目标表的{what}未填写。{hint}",
)
def department_missing(ctx: Context, dept: Department, owner: DepartmentRows) -> Iterator[Hit]:
    if not dept.overall_goal:
        yield Hit(owner, cell=dept.cells.get("overall_goal", ""), field="总体目标", params={
            "what": "“总体目标”", "hint": "请概括本年度部门整体要达到的目标。"})
    if not any(d.goal for d in dept.duties):
        yield Hit(owner, cell=dept.cells.get("duties", ""), field="分项绩效目标", params={
            "what": "“分项绩效目标”",
            "hint": "请逐项填写部门的职责（序号、职责）及每项职责的绩效目标。"})
        return
    for duty in dept.duties:
        if not duty.goal:
            yield Hit(owner, cell=duty.cells.get("goal", ""), field="绩效目标", params={
                "what": f"职责“{duty.name}”的绩效目标",
                "hint": "请写明这项职责本年度要达到的目标。"})
        elif not duty.name:
            yield Hit(owner, cell=duty.cells.get("name", ""), field="职责", params={
                "what": f"第{duty.number or '？'}项绩效目标所属的职责",
                "hint": "请填写这项目标所属的职责。"})


@rule(
    "V802", "vague-value", "warning", "department",
    "部门的总体目标和各项职责的绩效目标写明要做成什么（不只是职责名称加“工作”“完成各项任务”"
    "等套话，用语见 department.toml）",
    "{owner}绩效目标表中{what}“{goal}”过于笼统，没有写明要做成什么。"
    "请写出具体内容，最好有可衡量的结果（如“开展法制宣传活动12场”）。",
)
def department_vague(ctx: Context, dept: Department, owner: DepartmentRows) -> Iterator[Hit]:
    if dept.overall_goal and is_vague(dept.overall_goal):
        yield Hit(owner, cell=dept.cells.get("overall_goal", ""), field="总体目标",
                  params={"what": "总体目标", "goal": dept.overall_goal})
    for duty in dept.duties:
        if duty.goal and is_vague(duty.goal, duty.name):
            yield Hit(owner, cell=duty.cells.get("goal", ""), field="绩效目标",
                      params={"what": f"职责“{duty.name}”的绩效目标", "goal": duty.goal})


@rule(
    "V803", "boilerplate", "warning", "department",
    "部门各项职责的绩效目标互不相同（不把一项职责的目标照抄给另一项）",
    "{owner}绩效目标表中职责“{duty}”的绩效目标与职责“{first}”的完全相同。"
    "请按这项职责本身的工作写出目标。",
)
def department_copied(ctx: Context, dept: Department, owner: DepartmentRows) -> Iterator[Hit]:
    seen: dict[str, str] = {}
    for duty in dept.duties:
        key = keyword_text(duty.goal)
        if not key:
            continue
        if key in seen:
            yield Hit(owner, cell=duty.cells.get("goal", ""), field="绩效目标",
                      params={"duty": duty.name, "first": seen[key]})
        else:
            seen[key] = duty.name


RULES = (department_missing, department_vague, department_copied)
