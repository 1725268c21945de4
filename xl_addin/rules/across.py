"""Rules across projects: shared codes and names, and copy-paste indicator tables.

Each runs in one pass over the projects (dictionaries keyed by code, name or row), so
a workbook of hundreds of projects costs no pairwise comparison except between tables
that actually share rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from xl_addin.core.cellvalues import label
from xl_addin.core.model import Project
from xl_addin.rules.base import Hit, project_label, rule
from xl_addin.rules.context import Context

_NAMED_AT_MOST = 3

RowKey = tuple[str, str, str]


def _where(projects: list[Project], p: Project) -> str:
    """Where the earlier project is, for a message: its sheet, else its position."""
    if p.sheet:
        return f"工作表“{p.sheet}”"
    return f"第{next(i for i, q in enumerate(projects, 1) if q is p)}个项目"


def _repeats(ctx: Context, key: Callable[[Project], str]) -> Iterator[tuple[Project, Project]]:
    """(later, first) for every project whose key an earlier project already has."""
    first: dict[str, Project] = {}
    for p in ctx.model.projects:
        k = key(p)
        if not k:
            continue
        if k in first:
            yield p, first[k]
        else:
            first[k] = p


@rule(
    "V701", "duplicate-code", "error", "workbook",
    "工作簿中项目编码不重复",
    "{owner}的项目编码“{code}”与{first}（“{first_name}”）重复。每个项目的编码应唯一，请核对。",
)
def duplicate_code(ctx: Context) -> Iterator[Hit]:
    for p, first in _repeats(ctx, lambda p: p.code.strip()):
        yield Hit(p, at="code", params={
            "code": p.code, "first": _where(ctx.model.projects, first),
            "first_name": project_label(first),
        })


@rule(
    "V702", "duplicate-name", "warning", "workbook",
    "工作簿中项目名称不重复",
    "项目名称“{project}”与{first}的项目重复。请在名称中区分（如注明用途或范围），或合并为一个项目。",
)
def duplicate_name(ctx: Context) -> Iterator[Hit]:
    for p, first in _repeats(ctx, lambda p: label(p.name)):
        yield Hit(p, at="name", params={"first": _where(ctx.model.projects, first)})


def _rows(ctx: Context, p: Project) -> Counter[RowKey]:
    return Counter(
        (row.level2, row.level3, row.value.normalised)
        for row in (ctx.row(i) for i in p.indicators if not i.is_blank())
    )


def _similar_earlier(ctx: Context) -> Iterator[tuple[int, list[tuple[int, float]]]]:
    """(j, [(i, share)…]) for each project j whose table matches earlier tables i.

    Rows are indexed by their key, so only tables sharing a row are ever compared;
    the share is the matching rows over the larger table's rows.
    """
    s = ctx.settings
    tables = [_rows(ctx, p) for p in ctx.model.projects]
    sizes = [sum(t.values()) for t in tables]
    holders: dict[RowKey, list[int]] = defaultdict(list)
    for j, rows in enumerate(tables):
        if sizes[j] < s.boilerplate_min_rows:
            continue
        shared: Counter[int] = Counter()
        for key, n in rows.items():
            for i in holders[key]:
                shared[i] += min(n, tables[i][key])
            holders[key].append(j)
        similar = [
            (i, n / max(sizes[i], sizes[j])) for i, n in sorted(shared.items())
            if n / max(sizes[i], sizes[j]) >= s.boilerplate_similarity
        ]
        if similar:
            yield j, similar


@rule(
    "V703", "boilerplate", "warning", "workbook",
    "项目的指标表不与前面的项目相同或几乎相同（相同指标行的比例达到规则文件中的"
    " boilerplate_similarity 即提示，每对项目只在后一个项目上提示一次）",
    "{owner}的指标表与{others}相同或几乎相同（二级、三级指标和指标值一致的行占比见括号），"
    "疑为套用。请按本项目的资金用途和预期产出重新设置指标。",
)
def boilerplate(ctx: Context) -> Iterator[Hit]:
    projects = ctx.model.projects
    for j, similar in _similar_earlier(ctx):
        named = [f"项目“{project_label(projects[i])}”（{share:.0%}）"
                 for i, share in similar[:_NAMED_AT_MOST]]
        more = f"等{len(similar)}个项目" if len(similar) > _NAMED_AT_MOST else ""
        p = projects[j]
        cell = p.indicators[0].cells.get("level1", "") if p.indicators else ""
        yield Hit(p, params={"others": "、".join(named) + more}, cell=cell)


RULES = (duplicate_code, duplicate_name, boilerplate)
