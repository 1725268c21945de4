"""V604: an indicator row about a subject its project never mentions (rows copied from
another project), and silence on rows whose subject the project names or implies."""

from __future__ import annotations

import pytest

from xl_addin.core.model import Indicator, Project, WorkbookModel
from xl_addin.rules import validate
from xl_addin.rules.profiles import load as load_profile


def _v604(name: str, level3: str, uses: tuple[str, ...] = (), goals: tuple[str, ...] = ()):
    row = Indicator("效益指标", "生态效益指标", level3, "描述", "≤35微克/立方米", "行业标准",
                    cells={"level3": "C15"})
    project = Project(sheet=name, name=name, uses=list(uses), goals=list(goals),
                      indicators=[row])
    report = validate(WorkbookModel(projects=[project]), load_profile("2015"))
    return [f for f in report.findings if f.code == "V604"]


@pytest.mark.parametrize(
    ("name", "level3", "subject"),
    [("高龄老人生活补贴", "PM2.5年均浓度", "空气质量"),
     ("高龄老人生活补贴", "清洁取暖覆盖率", "取暖"),
     ("公务用车运行维护费", "足额投保率", "保险"),
     ("办公设备购置", "保障社区数", "社区"),
     ("干部教育培训经费", "民兵整组人数", "民兵与征兵")],
)
def test_foreign_subject_is_a_warning(name: str, level3: str, subject: str) -> None:
    [f] = _v604(name, level3)
    assert (f.type, f.severity, f.cell, f.indicator) == (
        "category-mismatch", "warning", "C15", level3)
    assert subject in f.message and name in f.message and "照搬" in f.message


@pytest.mark.parametrize(
    ("name", "level3", "uses", "goals"),
    [("古城社区居民清洁取暖补贴", "PM2.5年均浓度", (), ()),  # 清洁取暖 implies the air
     ("专项补助", "足额投保率", ("公务用车保险费用",), ()),  # 资金用途 mentions it
     ("专项补助", "覆盖社区数", (), ("1.覆盖辖区三个社区",)),  # so does 绩效目标
     ("高龄老人生活补贴", "受益人数", (), ())],  # no subject at all
)
def test_own_subject_is_silent(name: str, level3: str, uses, goals) -> None:
    assert _v604(name, level3, uses, goals) == []


def test_silent_on_the_seed(seed_model: WorkbookModel) -> None:
    """The seed's rows are its own projects' (its PM2.5 row is the heating project's)."""
    report = validate(seed_model, load_profile("2015"))
    assert [f for f in report.findings if f.code == "V604"] == []
