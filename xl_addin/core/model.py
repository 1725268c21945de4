"""The workbook's content as plain data.

Everything the tool knows about a workbook passes through these dataclasses: the
engines read cells into them (via ``forms``), the rules judge them, the exporters
write them.  Values are kept as the user wrote them (text stays text, money stays an
exact ``Decimal``) so that the validator, not the reader, decides what is wrong; and
every field remembers its cell so a finding can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: The four cumulative spending-plan checkpoints, in order: ASCII key -> label.
PLAN_POINTS: dict[str, str] = {"mar": "3月底", "jun": "6月底", "oct": "10月底", "dec": "12月底"}

#: Header fields of a project: ASCII key -> the label users see (also the finding ``field``).
PROJECT_FIELDS: dict[str, str] = {
    "unit_line": "单位",
    "code": "项目编码",
    "name": "项目名称",
    "category": "项目类别",
    "budget": "预算数",
    "fiscal": "财政资金",
    "other": "其他资金",
    "uses": "资金用途",
    **PLAN_POINTS,
    "goals": "绩效目标",
}

#: Columns of an indicator row: ASCII key -> header label.
INDICATOR_FIELDS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "basis": "指标值确定依据",
}


@dataclass
class Settings:
    """Workbook-wide settings, kept on the hidden 参数 sheet."""

    year: int | None = None
    unit: str = ""
    frame: str = "2015"
    password: str = ""
    template_version: str = ""


@dataclass
class Duty:
    """One 职责 of the department overview with its goal (分项绩效目标)."""

    number: str
    name: str
    goal: str
    row: int | None = None
    #: where the duty's 职责 ("name") and 绩效目标 ("goal") cells are, when read from a sheet
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Department:
    """Part 1 of the published document: 部门整体绩效目标."""

    overall_goal: str = ""
    duties: list[Duty] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    sheet: str = ""
    #: the department's own indicator rows (部门整体绩效目标表), read, written and
    #: validated like a project's
    indicators: list[Indicator] = field(default_factory=list)
    #: where the parts are, when read from a sheet: "overall_goal" (its cell) and
    #: "duties" (the first duty row's goal cell)
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Indicator:
    """One indicator row; ``level1_written`` is False where the cell was blank
    ("same as above") and the level was inherited from the row above."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    description: str = ""
    value: str = ""
    basis: str = ""
    level1_written: bool = True
    row: int | None = None
    cells: dict[str, str] = field(default_factory=dict)

    def is_blank(self) -> bool:
        """Nothing but (perhaps) a 一级: an unused template row."""
        return not (self.level2 or self.level3 or self.description or self.value
                    or self.basis)


def same_as_above(rows: list[Indicator]) -> list[Indicator]:
    """Drop blank rows and give a row with a blank 一级 the 一级 above it, as published
    tables mean it (the cell is written only on the first row of its group)."""
    out: list[Indicator] = []
    level1 = ""
    for ind in rows:
        if ind.is_blank() and not ind.level1:
            continue
        if ind.level1:
            level1 = ind.level1
        else:
            ind.level1, ind.level1_written = level1, False
        out.append(ind)
    return out


@dataclass
class Project:
    """One 项目绩效目标表.

    Money is ``Decimal`` in 万元; a money or plan cell that is not a number, or holds one
    beyond the limits (``numbers.read_number``: 1e308, forty digits), keeps its text in
    ``written`` and the number is None.  Plan values are percentages (25 = 25%);
    ``scaled`` lists the plan cells that hold such a number where a fraction belongs.
    """

    sheet: str = ""
    unit_line: str = ""
    code: str = ""
    name: str = ""
    category: str = ""
    budget: Decimal | None = None
    fiscal: Decimal | None = None
    other: Decimal | None = None
    uses: list[str] = field(default_factory=list)
    plan: dict[str, Decimal | None] = field(
        default_factory=lambda: dict.fromkeys(PLAN_POINTS, None)
    )
    goals: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    #: plan numbers read as percentages that the cell shows 100 times larger (25 → 2500%)
    scaled: dict[str, str] = field(default_factory=dict)
    #: money cells holding text with the unit written in (“250万”), read as that number
    #: of 万元; the text as written
    with_unit: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class WorkbookModel:
    """A whole workbook: settings, the department overview, projects in sheet order."""

    settings: Settings = field(default_factory=Settings)
    department: Department = field(default_factory=Department)
    projects: list[Project] = field(default_factory=list)
