"""A sound project to build rule tests from, and the proof that it is sound.

Every rule test starts from ``sound_project`` (a 人员类 project written the way the
domain notes say is right), changes one thing, and expects exactly the findings that
change deserves; so the sound project itself must give no finding in either frame.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from xl_addin.core.model import Indicator, Project, Settings, WorkbookModel
from xl_addin.rules import validate
from xl_addin.rules.profiles import load
from xl_addin.rules.report import Report

YEAR = 2022
CODE = "13030322P004135100045"
COLUMNS = {"level1": "A", "level2": "B", "level3": "C", "description": "D", "value": "F",
           "basis": "G"}
HEADER_CELLS = {"code": "B3", "name": "E3", "budget": "C5", "fiscal": "E5", "other": "G5",
                "uses": "C6", "mar": "B8", "jun": "D8", "oct": "E8", "dec": "F8", "goals": "B9"}
FIRST_ROW = 11


def rows(frame: str = "2015") -> list[tuple[str, str, str, str, str]]:
    """(一级, 二级, 三级, 指标值, 依据) of a sound 人员类 table."""
    cost = ("产出指标", "成本指标") if frame == "2015" else ("成本指标", "经济成本指标")
    return [
        ("产出指标", "数量指标", "保障人数", "＝19人", "计划标准"),
        ("产出指标", "质量指标", "发放准确率", "＝100%", "计划标准"),
        ("产出指标", "时效指标", "按月足额发放率", "＝100%", "计划标准"),
        (*cost, "人均经费", "≤0.5万元/人", "预算支出标准"),
        ("效益指标", "社会效益指标", "保障机构正常运转", "达到预期目标", "历史标准"),
        ("满意度指标", "服务对象满意度指标", "受益人员满意度", "≥90%", "历史标准"),
    ]


def indicator(n: int, level1: str, level2: str, level3: str, value: str, basis: str) -> Indicator:
    """The n-th (0-based) indicator row, with its cells as the layout places them."""
    row = FIRST_ROW + n
    return Indicator(
        level1=level1, level2=level2, level3=level3,
        description=f"{level3}的说明" if level3 else "",
        value=value, basis=basis, row=row,
        cells={key: f"{col}{row}" for key, col in COLUMNS.items()},
    )


def sound_project(frame: str = "2015", **header: object) -> Project:
    p = Project(
        sheet="测试项目", code=CODE, name="测试项目", budget=Decimal("10.00"),
        fiscal=Decimal("10.00"), uses=["保障测试工作"], goals=["1.保障测试工作"],
        plan={"mar": Decimal(25), "jun": Decimal(50), "oct": Decimal(75), "dec": Decimal(100)},
        indicators=[indicator(n, *r) for n, r in enumerate(rows(frame))],
        cells=dict(HEADER_CELLS),
    )
    for key, value in header.items():
        setattr(p, key, value)
    return p


def model_of(*projects: Project, year: int | None = YEAR) -> WorkbookModel:
    return WorkbookModel(settings=Settings(year=year), projects=list(projects))


def report_of(*projects: Project, frame: str = "2015", year: int | None = YEAR) -> Report:
    return validate(model_of(*projects, year=year), load(frame))


def only(report: Report, *types: str) -> Report:
    """The report restricted to findings of ``types``."""
    return Report([f for f in report.findings if f.type in types])


def change_row(n: int, **fields: str) -> Callable[[Project], None]:
    """A change to the n-th indicator row of a project."""

    def apply(p: Project) -> None:
        for key, value in fields.items():
            setattr(p.indicators[n], key, value)

    return apply


def changed(change: Callable[[Project], None], frame: str = "2015") -> Project:
    p = sound_project(frame)
    change(p)
    return p


@pytest.mark.parametrize("frame", ["2015", "2021", "2015-strict", "2021-strict"])
def test_the_sound_project_gives_no_finding(frame: str) -> None:
    assert report_of(sound_project(frame[:4]), frame=frame).findings == []
