"""Validation of a workbook model: the rule registry, ``validate`` and the catalogue.

One module per family of rules (header, money, table, values, basis, placement, fit,
across); each exports its ``RULES`` and this package lists them in catalogue order.
``validate`` runs every rule once over the model and returns a ``Report`` whose
findings are in reading order: project by project, header before rows, row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from xl_addin.core.findings import Finding
from xl_addin.core.model import Department, Indicator, Project, WorkbookModel
from xl_addin.rules import across, basis, department, fit, header, money, placement, table, values
from xl_addin.rules.base import Hit, Rule, department_rows
from xl_addin.rules.context import Context, forget_rows
from xl_addin.rules.profiles import Profile
from xl_addin.rules.report import Report

#: The finding types of shared/domain/finding-types.md, in its order (never renamed),
#: then those added since (documented in the README).
FINDING_TYPES = (
    "missing-field",
    "missing-category",
    "empty-indicator-cell",
    "unknown-category",
    "category-mismatch",
    "value-unit-mismatch",
    "yes-no-value",
    "vague-value",
    "unit-only-value",
    "nonstandard-value",
    "vague-indicator",
    "threshold",
    "basis-invalid",
    "budget-sum-mismatch",
    "budget-invalid",
    "cost-exceeds-budget",
    "plan-invalid",
    "plan-incomplete",
    "code-format",
    "code-year-mismatch",
    "name-year-mismatch",
    "duplicate-code",
    "duplicate-name",
    "duplicate-indicator",
    "boilerplate",
    "satisfaction-population",
    "placeholder-value",
    "sheet-structure",
    "steering-sheet",  # a sheet xlwings reads as settings or code (xl_addin.forms.safety)
)

#: Every rule, in catalogue order.
RULES: tuple[Rule, ...] = (
    *header.RULES,
    *money.RULES,
    *table.RULES,
    *values.RULES,
    *basis.RULES,
    *placement.RULES,
    *fit.RULES,
    *across.RULES,
    *department.RULES,
)

__all__ = ["FINDING_TYPES", "RULES", "Report", "Rule", "catalogue_markdown", "forget_verdicts",
           "validate"]


#: an indicator row's content: what the rules that read nothing else judge
RowKey = tuple[str, bool, str, str, str, str, str]
#: (rule, at, params, suggestion, field) of each hit those rules gave a row
CachedHit = tuple[Rule, str, Mapping[str, object], str, str]

#: verdicts of the rules that read only the row and the profile, per (profile digest,
#: those rules) and row content: units copy default and last year's rows, so most rows
#: of a district (94% of the benchmark's) were judged before.  Bounded: a table is
#: cleared when full.
_ROW_VERDICTS: dict[tuple[str, tuple[Rule, ...]], dict[RowKey, list[CachedHit]]] = {}
_ROW_VERDICTS_MAX = 50_000


def forget_verdicts() -> None:
    """Drop every kept verdict and row's facts (for measurements that must start cold)."""
    _ROW_VERDICTS.clear()
    forget_rows()


@dataclass(frozen=True)
class _Selection:
    """The rules one owner of rows is judged by, by how they run."""

    project: tuple[Rule, ...]
    row_only: tuple[Rule, ...]  # indicator rules reading only the row: verdicts reusable
    with_project: tuple[Rule, ...]
    workbook: tuple[Rule, ...]
    department: tuple[Rule, ...]  # the overview's texts (总体目标, 分项绩效目标)

    @classmethod
    def of(cls, rules: tuple[Rule, ...]) -> _Selection:
        indicator = [r for r in rules if r.scope == "indicator"]
        return cls(
            tuple(r for r in rules if r.scope == "project"),
            tuple(r for r in indicator if not r.uses_project),
            tuple(r for r in indicator if r.uses_project),
            tuple(r for r in rules if r.scope == "workbook"),
            tuple(r for r in rules if r.scope == "department"),
        )


#: the rules of a project's rows, and those of the department's rows
_EVERY = _Selection.of(RULES)
_DEPARTMENT = _Selection.of(tuple(r for r in RULES if r.on_department))


def validate(model: WorkbookModel, profile: Profile, *, reuse: bool = True) -> Report:
    """Judge ``model`` against ``profile`` with every rule.

    The department's own indicator rows come first (its sheet comes first), judged as
    one project by the rules marked ``on_department``: the row rules that read nothing
    but the row, and 三级指标 written twice; no rows, no finding.
    Indicator rows that hold nothing but a 一级 (unused template rows) are skipped.
    A profile whose rule settings are unusable raises ``UserError`` before any rule runs.
    With ``reuse`` a row judged before (same content, same profile, in this process)
    takes its earlier facts (``Context.row``) and its earlier verdicts from the rules
    that read only the row (``uses_project`` false); the findings are the same either
    way, and are built afresh for each row.
    """
    reuse = reuse and bool(profile.digest)  # a profile made in code has no digest
    ctx = Context.build(model, profile, share_rows=reuse)
    order = {id(r): n for n, r in enumerate(RULES)}
    department = department_rows(model.department)
    owners: list[Project] = [department, *model.projects]
    owner_pos = {id(p): n for n, p in enumerate(owners)}
    row_pos = {id(ind): n for p in owners for n, ind in enumerate(p.indicators)}
    keyed: list[tuple[tuple[int, int, int], Finding]] = []

    def add(r: Rule, hit: Hit) -> None:
        row = row_pos[id(hit.indicator)] if hit.indicator is not None else -1
        keyed.append(((owner_pos[id(hit.project)], row, order[id(r)]), r.finding(hit)))

    for p in owners:
        chosen = _DEPARTMENT if p is department else _EVERY
        if p is department and _has_overview(model.department):
            for r in _EVERY.department:
                for hit in r.check(ctx, model.department, department):
                    add(r, hit)
        judged = _ROW_VERDICTS.setdefault((profile.digest, chosen.row_only), {}) if reuse else {}
        for r in chosen.project:
            for hit in r.check(ctx, p):
                add(r, hit)
        for ind in p.indicators:
            if not ind.is_blank():
                _judge_row(ctx, p, ind, chosen, judged, reuse, add)
    for r in _EVERY.workbook:
        for hit in r.check(ctx):
            add(r, hit)
    keyed.sort(key=lambda kf: kf[0])
    return Report([f for _, f in keyed])


def _has_overview(dept: Department) -> bool:
    """The overview's texts are judged when there is one: a sheet was read, or a document
    gave its parts (a workbook model built in code without one is not judged)."""
    return bool(dept.sheet or dept.overall_goal or dept.duties or dept.measures
                or dept.indicators)


def _judge_row(ctx: Context, p: Project, ind: Indicator, chosen: _Selection,
               judged: dict[RowKey, list[CachedHit]], reuse: bool,
               add: Callable[[Rule, Hit], None]) -> None:
    """Every indicator rule's hits on one row: the row-only rules' from ``judged`` when
    a row of the same content was judged before (kept there when not)."""
    row = ctx.row(ind)
    key: RowKey = (ind.level1, ind.level1_written, ind.level2, ind.level3,
                   ind.description, ind.value, ind.basis)
    verdicts = judged.get(key)
    if verdicts is not None:
        for r, at, params, suggestion, field in verdicts:
            add(r, Hit(p, ind, at, params, suggestion, field))
    else:
        fresh: list[CachedHit] = []
        for r in chosen.row_only:
            for hit in r.check(ctx, p, ind, row):
                add(r, hit)
                fresh.append((r, hit.at, hit.params, hit.suggestion, hit.field))
        if reuse:
            if len(judged) >= _ROW_VERDICTS_MAX:
                judged.clear()
            judged[key] = fresh
    for r in chosen.with_project:
        for hit in r.check(ctx, p, ind, row):
            add(r, hit)


def catalogue_markdown() -> str:
    """The rule catalogue as a Markdown table, generated from the rule definitions."""
    lines = ["| 代码 | 类型 | 级别 | 检查内容 |", "|---|---|---|---|"]
    for r in RULES:
        summary = r.summary.replace("|", "\\|")
        lines.append(f"| {r.code} | `{r.type}` | {r.severity} | {summary} |")
    return "\n".join(lines) + "\n"
