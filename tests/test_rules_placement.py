"""Placement heuristics: category by wording, generic indicators, who is asked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_rules_support import change_row, changed, report_of, sound_project

from xl_addin.core.model import Project

CASES = [
    # (change, frame, expected [code, cell, suggestion])
    (change_row(1, level3="资金支付及时率"), "2015", [["V601", "B12", "时效指标"]]),
    (change_row(2, level3="补贴发放准确率"), "2015", [["V601", "B13", "质量指标"]]),
    (change_row(1, level3="活动开展次数", value="≥2次"), "2015", [["V601", "B12", "数量指标"]]),
    (change_row(2, level3="项目控制预算数", value="≤2万元"), "2015",
     [["V601", "B13", "成本指标"]]),
    (change_row(2, level3="项目控制预算数", value="≤2万元"), "2021",
     [["V601", "B13", "经济成本指标"]]),
    (change_row(3, level3="覆盖人数", value="≥30人"), "2015", [["V601", "B14", "数量指标"]]),
    # 测试项目 never mentions the air: V604 says so too
    (change_row(4, level3="PM2.5年均浓度", value="≤35微克/立方米"), "2015",
     [["V601", "B15", "生态效益指标"], ["V604", "C15", ""]]),
    (change_row(4, level3="群众满意度", value="≥90%"), "2015",
     [["V601", "B15", "服务对象满意度指标"]]),
    (change_row(4, level3="受益人数", value="≥100人"), "2015", []),
    (change_row(4, level3="提高工作效率"), "2015", [["V602", "C15", ""]]),
    (change_row(4, level3="节约成本"), "2015", [["V602", "C15", ""]]),
    (change_row(3, level3="节约成本"), "2015", []),
]


@pytest.mark.parametrize(("change", "frame", "expected"), CASES)
def test_placement_rule(change: Callable[[Project], None], frame: str,
                        expected: list[list[str]]) -> None:
    report = report_of(changed(change, frame=frame), frame=frame)
    assert report.flatten(["code", "cell", "suggestion"]) == expected


def test_mismatch_message_names_both_categories() -> None:
    [finding] = report_of(changed(change_row(1, level3="资金支付及时率"))).findings
    assert finding.message == (
        "项目“测试项目”指标“资金支付及时率”放在“质量指标”下，但从名称看属于“时效指标”。"
        "请移到“产出指标—时效指标”下。"
    )


def staff_survey(p: Project) -> None:
    change_row(5, level3="单位工作人员满意度")(p)


@pytest.mark.parametrize(
    ("header", "change", "expected"),
    [
        ({"name": "社区党组织服务群众专项经费"}, staff_survey, [["V603", "C16", "群众满意度"]]),
        ({"uses": ["古城社区居民清洁取暖补贴发放"]}, staff_survey, [["V603", "C16", "群众满意度"]]),
        ({"name": "车辆保险费"}, staff_survey, []),
        ({"name": "社区党组织服务群众专项经费"}, change_row(5, level3="群众满意度"), []),
    ],
)
def test_satisfaction_population(header: dict, change: Callable[[Project], None],
                                 expected: list[list[str]]) -> None:
    p = sound_project(**header)
    change(p)
    assert report_of(p).flatten(["code", "cell", "suggestion"]) == expected
