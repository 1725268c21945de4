"""Placement rules: keyword heuristics on the wording of a row.

They judge what a reviewer judges by reading: an indicator whose name says
“及时率” belongs under 时效指标 whatever category it was typed under; a generic phrase
is no indicator at all; a residents' project should ask residents.  Heuristics give
warnings with a suggestion, never errors, and their keyword tables are data
(``rules/data/placement.toml``, roles in the profile).
"""

from __future__ import annotations

from collections.abc import Iterator

from xl_addin.core.cellvalues import label
from xl_addin.core.model import Indicator, Project
from xl_addin.rules.base import Hit, rule
from xl_addin.rules.context import Context, Row


def _target(ctx: Context, row: Row) -> str:
    """The role the name points to, when the row sits where that role may claim it."""
    current, named = row.roles, row.name.roles
    if not current or current.intersection(named) or row.is_vague:
        return ""
    return next(
        (p.role for p in ctx.tables.placements if p.role in named and p.from_ & current), ""
    )


def _full_name(ctx: Context, level2: str) -> str:
    level1 = next((l1 for l1, l2s in ctx.profile.framework.items() if level2 in l2s), "")
    return f"{level1}—{level2}" if level1 else level2


@rule(
    "V601", "category-mismatch", "warning", "indicator",
    "三级指标名称所示的类别与所在二级指标一致（如“及时率”在时效指标、“次数”在数量指标，"
    "关键词见 placement.toml）",
    "{owner}指标“{indicator}”放在“{current}”下，但从名称看属于“{target}”。"
    "请移到“{full}”下。",
)
def category_mismatch(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    role = _target(ctx, row)
    if role:
        target = ctx.settings.roles[role][0]
        yield Hit(p, ind, "level2", {
            "current": ind.level2.strip(), "target": target, "full": _full_name(ctx, target),
        }, suggestion=target)


@rule(
    "V602", "vague-indicator", "warning", "indicator",
    "三级指标不是笼统表述（提高工作效率、长期使用性、业务保障能力等，见 placement.toml）",
    "{owner}的三级指标“{indicator}”是笼统表述，无法考核。"
    "请改为反映本项目产出或效果的具体指标（如服务人次、办结率、覆盖户数）。",
)
def vague_indicator(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if row.is_vague:
        yield Hit(p, ind, "level3")


def _first(words: tuple[str, ...], text: str) -> str:
    return next((w for w in words if w in text), "")


@rule(
    "V603", "satisfaction-population", "warning", "indicator",
    "资金面向居民的项目（名称或资金用途含“服务群众”“居民”等），满意度不只调查本单位人员",
    "{owner}的资金面向群众（“{resident}”），满意度指标“{indicator}”却只调查本单位"
    "人员（“{staff}”）。请改为调查服务对象，如“{suggestion}”。",
    uses_project=True,
)
def satisfaction_population(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    t = ctx.tables
    name = row.level3
    if not any(w in name for w in t.satisfaction_words):
        return
    staff = _first(t.staff, name + label(ind.description))
    if not staff:
        return
    resident = _first(t.residents, label(p.name) + "".join(label(u) for u in p.uses))
    if resident:
        yield Hit(p, ind, "level3", {
            "resident": resident, "staff": staff, "suggestion": t.satisfaction_suggestion,
        }, suggestion=t.satisfaction_suggestion)


RULES = (category_mismatch, vague_indicator, satisfaction_population)
