"""Indicator-table rules: empty cells, the framework's categories, required categories,
a 三级指标 written twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_rules_support import change_row, changed, indicator, only, report_of

from xl_addin.core.model import Project

FIELDS = ["code", "cell", "field", "suggestion"]


def drop_rows(*ns: int) -> Callable[[Project], None]:
    def apply(p: Project) -> None:
        p.indicators = [ind for i, ind in enumerate(p.indicators) if i not in ns]

    return apply


def add_row(*cells: str) -> Callable[[Project], None]:
    def apply(p: Project) -> None:
        p.indicators.append(indicator(len(p.indicators), *cells))

    return apply


def both(*changes: Callable[[Project], None]) -> Callable[[Project], None]:
    def apply(p: Project) -> None:
        for change in changes:
            change(p)

    return apply


CASES_2015 = [
    ("empty description", change_row(1, description=""), [["V301", "D12", "绩效指标描述", ""]]),
    ("empty value and basis", change_row(1, value="", basis=""),
     [["V301", "F12", "指标值", ""], ["V301", "G12", "指标值确定依据", ""]]),
    ("a row with only 一级 is an unused row", add_row("满意度指标", "", "", "", ""), []),
    ("一级 typo", change_row(0, level1="产出指数"),
     [["V304", "", "数量指标", ""], ["V302", "A11", "一级指标", "产出指标"]]),
    ("二级 typo", change_row(1, level2="质量指数"), [["V303", "B12", "二级指标", "质量指标"]]),
    ("二级 under another 一级", change_row(4, level1="产出指标"),
     [["V304", "", "效益指标", ""], ["V303", "B15", "二级指标", "效益指标"]]),
    ("no cost row", drop_rows(3), [["V304", "", "成本指标", ""]]),
    ("neither quality nor timeliness", drop_rows(1, 2), [["V304", "", "质量指标", ""]]),
    ("timeliness alone is enough", drop_rows(1), []),
    ("no satisfaction", drop_rows(5), [["V304", "", "满意度指标", ""]]),
    ("a bare 一级 is no row of it", both(drop_rows(4), add_row("效益指标", "", "", "", "")),
     [["V304", "", "效益指标", ""]]),
    ("same 三级 twice",
     add_row("效益指标", "社会效益指标", "保障机构正常运转", "达到预期目标", "历史标准"),
     [["V305", "C17", "三级指标", ""]]),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES_2015],
                         ids=[c[0] for c in CASES_2015])
def test_table_rule_2015(change: Callable[[Project], None], expected: list[list[str]]) -> None:
    assert report_of(changed(change)).flatten(FIELDS) == expected


def test_an_inherited_unknown_level1_is_reported_once() -> None:
    def typo(p: Project) -> None:
        p.indicators[0].level1 = "产出指数"
        for ind in p.indicators[1:3]:
            ind.level1, ind.level1_written = "产出指数", False

    report = only(report_of(changed(typo)), "unknown-category")
    assert report.flatten(["code", "cell"]) == [["V302", "A11"]]


def test_frame_2021_cost_is_a_level1() -> None:
    # a 2015-style table judged by frame 2021: 成本指标 as 二级 and 可持续影响 are unknown there
    p = changed(add_row("效益指标", "可持续影响指标", "设施使用年限", "≥10年", "行业标准"))
    report = report_of(p, frame="2021")
    assert report.flatten(FIELDS) == [
        ["V304", "", "成本指标", ""],
        ["V303", "B14", "二级指标", "经济成本指标"],
        ["V303", "B17", "二级指标", ""],
    ]
    assert "在本框架中是一级指标" in report.findings[1].message


def test_frame_2021_sound_table_is_clean() -> None:
    assert report_of(changed(lambda p: None, frame="2021"), frame="2021").findings == []
