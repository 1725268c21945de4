"""指标值确定依据 rules: one of the allowed standards, mapped from common free text."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from xl_addin.core.cellvalues import label
from xl_addin.core.model import INDICATOR_FIELDS, Indicator, Project
from xl_addin.rules.base import Hit, indicator_label, rule
from xl_addin.rules.config import BasisMapping, tables
from xl_addin.rules.context import Context, Row

_BUDGET_STANDARD = "预算支出标准"


def _allowed(ctx: Context, basis: str) -> bool:
    """An allowed standard, possibly followed by a note (计划标准（年度工作计划）)."""
    return basis.startswith(ctx.bases)


def _mapping(ctx: Context, basis: str) -> BasisMapping | None:
    return mapping_for(basis, ctx.bases)


@lru_cache(maxsize=4096)
def mapping_for(basis: str, bases: tuple[str, ...]) -> BasisMapping | None:
    """The first mapping of the tables to one of ``bases`` that matches ``basis``.

    Cached per process: workbooks repeat the same few 确定依据 on every row, and the
    tables are the package's own."""
    return next((m for m in tables().basis_mappings if m.standard in bases and m.matches(basis)),
                None)


@rule(
    "V501", "basis-invalid", "info", "project",
    "确定依据写成了常见的自由表述（如“年度工作计划”、文件文号），可对应到规定的标准名称："
    "规则文件 [basis] accept_free_text = false 时每个项目提示一次（列出各行），默认不提示",
    "{owner}有{count}行指标的确定依据不是规定的标准名称，请改写：{rows}。{note}",
    on_department=True,
)
def basis_mapped(ctx: Context, p: Project) -> Iterator[Hit]:
    """One info per project, none when the profile accepts free text: a mapped text
    such as 年度工作计划 says plainly which standard it means, so a finding on every
    row (105 on the seed) buried the findings a clerk must act on."""
    if ctx.settings.accept_free_text:
        return
    mapped: list[tuple[Indicator, BasisMapping]] = []
    for ind in p.indicators:
        basis = label(ind.basis)
        if ind.is_blank() or not basis or _allowed(ctx, basis):
            continue
        m = _mapping(ctx, basis)
        if m is not None:
            mapped.append((ind, m))
    if not mapped:
        return
    groups: dict[tuple[str, str], list[str]] = {}
    for ind, m in mapped:
        groups.setdefault((ind.basis.strip(), m.standard), []).append(_where(p, ind))
    listed = "；".join(f"“{text}”应为“{standard}”：{'、'.join(where)}"
                      for (text, standard), where in groups.items())
    notes = dict.fromkeys(f"{m.note}。" for _, m in mapped if m.note)
    standards = {standard for _, standard in groups}
    yield Hit(p, None, params={"count": len(mapped), "rows": listed, "note": "".join(notes)},
              suggestion=standards.pop() if len(standards) == 1 else "",
              field=INDICATOR_FIELDS["basis"], cell=mapped[0][0].cells.get("basis", ""))


def _where(p: Project, ind: Indicator) -> str:
    """A row as the list names it: its cell and 三级指标 (the name alone when the row was
    not read from a sheet)."""
    cell = ind.cells.get("basis", "")
    name = indicator_label(p, ind)
    return f"{cell}（{name}）" if cell else name


@rule(
    "V502", "basis-invalid", "warning", "indicator",
    "确定依据是规则文件 [basis] allowed 所列标准之一（无法对应时提示）",
    "{owner}指标“{indicator}”的确定依据“{value}”不是规定的标准。请从{allowed}中选择。",
)
def basis_unknown(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    basis = row.basis
    if not basis or _allowed(ctx, basis) or _mapping(ctx, basis) is not None:
        return
    allowed = "、".join(f"“{b}”" for b in ctx.profile.bases)
    yield Hit(p, ind, "basis", {"value": ind.basis.strip(), "allowed": allowed})


@rule(
    "V503", "basis-invalid", "warning", "indicator",
    "“预算支出标准”只用于成本指标",
    "{owner}指标“{indicator}”不是成本指标，确定依据却是“预算支出标准”。"
    "请改用计划标准、历史标准或行业标准。",
)
def budget_standard_off_cost(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if row.basis.startswith(_BUDGET_STANDARD) and not row.is_cost:
        yield Hit(p, ind, "basis")


RULES = (basis_mapped, basis_unknown, budget_standard_off_cost)
