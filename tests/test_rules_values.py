"""指标值 rules, one row of the sound project changed at a time.

Rows of the sound project: 0 保障人数 (数量), 1 发放准确率 (质量), 2 按月足额发放率 (时效),
3 人均经费 (成本), 4 保障机构正常运转 (社会效益), 5 受益人员满意度 (满意度).
"""

from __future__ import annotations

import pytest
from test_rules_support import change_row, changed, report_of

CELLS = {n: f"F{11 + n}" for n in range(6)}

CASES = [
    # (row, value, expected [code, suggestion])
    (4, "是/否", [["V401", ""]]),
    (4, "是否", [["V401", ""]]),
    (4, "否", [["V401", ""]]),
    (0, "人", [["V402", ""]]),
    (5, "≥", [["V402", ""]]),
    (4, "进一步保障", [["V403", ""]]),
    (4, "有效提升", [["V403", ""]]),
    (0, "=N人", [["V404", ""]]),
    (3, "≤X万元/人", [["V404", ""]]),
    (0, "19人", [["V405", "＝19人"]]),
    (1, "100%", [["V405", "＝100%"]]),
    (3, "0.5万元/人", [["V405", "≤0.5万元/人"]]),
    (5, "≥95百分比", [["V405", "≥95%"]]),
    (5, "≥90", [["V405", "≥90%"]]),
    (0, "＝19", [["V405", ""]]),
    (0, "=19人", []),  # a half-width = is the sign ＝: other provinces write it throughout
    (0, ">=19人", [["V406", "≥19人"]]),
    (5, "≥ 90 %", [["V406", "≥90%"]]),
    (5, "＞＝９０％", [["V406", "≥90%"]]),
    (5, "90%以上", [["V406", "≥90%"]]),
    (1, "＝19人", [["V407", ""]]),
    (0, "＝95%", [["V408", ""]]),
    (5, "≥120%", [["V409", ""]]),
    (5, "≥70%", [["V410", ""]]),
    (5, "＝100%", [["V410", ""]]),
    (1, "≥95%", [["V410", "＝100%"]]),
    # sound writings
    (5, "≥80%", []),
    (5, "≥90分", []),
    (4, "优/良/中/差", []),
    (4, "有所提升", [["V403", ""]]),  # issue 14: any rise at all meets it
    (4, "按时", [["V403", ""]]),  # issue 14: on time, by when?
    (0, "≥19人", []),
]


@pytest.mark.parametrize(("row", "value", "expected"), CASES,
                         ids=[f"{row}-{value}" for row, value, _ in CASES])
def test_value_rule(row: int, value: str, expected: list[list[str]]) -> None:
    report = report_of(changed(change_row(row, value=value)))
    assert report.flatten(["code", "suggestion"]) == expected
    assert all(f.cell == CELLS[row] and f.field == "指标值" for f in report.findings)


def test_a_misfit_unit_is_not_also_called_nonstandard() -> None:
    # 19人 under a rate lacks a comparator too, but “＝19人” would be a wrong fix
    report = report_of(changed(change_row(1, value="19人")))
    assert report.flatten(["type"]) == [["value-unit-mismatch"]]


def test_message_says_what_where_and_how() -> None:
    [finding] = report_of(changed(change_row(0, value="19人"))).findings
    assert finding.message == (
        "项目“测试项目”指标“保障人数”的指标值“19人”写法不规范：缺少比较符（≥ ＞ ＝ ＜ ≤）。"
        "建议写作“＝19人”。"
    )
    assert (finding.indicator, finding.project_code) == ("保障人数", "13030322P004135100045")
