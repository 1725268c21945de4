"""What a rule is: a check function plus the metadata users and tools see.

A rule's ``code`` and ``type`` never change once published (tools and workbook marks
key on them).  The check itself only says *where* and *with which details* something is
wrong, as ``Hit``s; the rule turns each hit into a ``Finding``, filling the location
fields from the model and the message from its template, so that every finding of a
rule reads alike and the catalogue can show what each rule says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from xl_addin.core.findings import Finding, Severity
from xl_addin.core.model import INDICATOR_FIELDS, PROJECT_FIELDS, Department, Indicator, Project

#: ``indicator`` checks run once per indicator row, as ``check(ctx, project, indicator,
#: row)`` (``row``: the row's facts, ``Context.row``); ``project`` checks once per
#: project, as ``check(ctx, project)``; ``workbook`` checks once, as ``check(ctx)``.
Scope = Literal["indicator", "project", "workbook", "department"]

#: how messages name the department's own indicator rows (in place of 项目“…”)
DEPARTMENT_OWNER = "部门整体"


@dataclass
class DepartmentRows(Project):
    """The department's indicator rows (部门整体绩效目标 sheet) as the one project the
    rules that judge rows take.  It has no code, name, money or plan, so its findings
    carry the department sheet and cells, an empty ``project_code`` and
    ``project_name``, and messages name it 部门整体."""


def department_rows(dept: Department) -> DepartmentRows:
    return DepartmentRows(sheet=dept.sheet, indicators=dept.indicators)


@dataclass
class Hit:
    """One place a check found wrong (not frozen: a batch review makes hundreds of
    thousands, and a frozen dataclass costs several times as much to create).

    ``at`` is the key of the cell the finding points at: an indicator column
    (``value``, ``basis`` …) when ``indicator`` is set, else a header field (``code`` …).
    ``field`` overrides the label derived from ``at`` (a missing category names itself);
    ``cell`` gives the cell directly for findings about a whole block (the indicator table).
    """

    project: Project
    indicator: Indicator | None = None
    at: str = ""
    params: Mapping[str, object] = field(default_factory=dict)
    suggestion: str = ""
    field: str = ""
    cell: str = ""


@dataclass(frozen=True, eq=False)
class Rule:
    """Compared and hashed by identity: there is one object per rule, and validation
    keys its kept verdicts on tuples of rules (hashing every field of 18 rules per
    project cost more than the lookup it served)."""

    code: str
    type: str
    severity: Severity
    scope: Scope
    summary: str  # what it checks, for the catalogue
    #: the message; {owner} (项目“名称”, or 部门整体 for the department's rows),
    #: {project} (the bare name), {indicator}, {field}, plus the hit's params
    template: str
    check: Callable[..., Iterable[Hit]]
    #: an indicator rule that reads its project (budget, name …), not only the row and
    #: the profile: its verdict on a row cannot be reused for the same row elsewhere
    uses_project: bool = False
    #: the rule judges the department's indicator rows too (as ``DepartmentRows``)
    on_department: bool = False

    def finding(self, hit: Hit) -> Finding:
        p, ind = hit.project, hit.indicator
        if ind is not None:
            cell = ind.cells.get(hit.at, "")
            field_label = hit.field or INDICATOR_FIELDS.get(hit.at, "")
        else:
            cell = hit.cell or p.cells.get(hit.at, "")
            field_label = hit.field or PROJECT_FIELDS.get(hit.at, "")
        department = isinstance(p, DepartmentRows)
        message = self.template.format(
            owner=DEPARTMENT_OWNER if department else f"项目“{project_label(p)}”",
            project=project_label(p),
            indicator=indicator_label(p, ind) if ind is not None else "",
            field=field_label,
            **hit.params,
        )
        return Finding(
            type=self.type,
            code=self.code,
            severity=self.severity,
            message=message,
            sheet=p.sheet,
            cell=cell,
            project_code=p.code,
            project_name=p.name,
            indicator=ind.level3 if ind is not None else "",
            field=field_label,
            suggestion=hit.suggestion,
        )


def rule(
    code: str, type_: str, severity: Severity, scope: Scope, summary: str, template: str,
    *, uses_project: bool = False, on_department: bool | None = None,
) -> Callable[[Callable[..., Iterable[Hit]]], Rule]:
    """Make a check function into a ``Rule`` with this metadata.

    By default a rule judges the department's rows when it reads nothing but a row and
    the profile: what needs a project's money, plan, code or uses says nothing there."""
    if on_department is None:
        on_department = scope == "indicator" and not uses_project

    def wrap(check: Callable[..., Iterable[Hit]]) -> Rule:
        return Rule(code, type_, severity, scope, summary, template, check, uses_project,
                    on_department)

    return wrap


def project_label(p: Project) -> str:
    """How messages name a project: its name, else its code, else its sheet."""
    return p.name or p.code or p.sheet or "（未命名项目）"


def indicator_label(p: Project, ind: Indicator) -> str:
    """How messages name an indicator row: its 三级指标, else its position."""
    if ind.level3:
        return ind.level3
    if ind.row is not None:
        return f"第{ind.row}行的指标"
    position = next(i for i, other in enumerate(p.indicators, 1) if other is ind)
    return f"第{position}条指标"
