"""Issue 14, part 2: what real documents get wrong and the rules did not find.

Each new rule (V209, V306, V411–V414) and the wider V403 has, in a table, the smallest
change to the sound project (test_rules_support) that must trigger it, and one close by
that must not.  Rows of the sound project: 0 保障人数 (数量), 1 发放准确率 (质量),
2 按月足额发放率 (时效), 3 人均经费 (成本), 4 保障机构正常运转 (社会效益),
5 受益人员满意度 (满意度); its budget is 10.00 万元.
"""

from __future__ import annotations

import pytest
from test_rules_support import change_row, changed, indicator, report_of, sound_project

from xl_addin.core.model import Project

ROW_CASES = [
    # (row, 三级指标 (None: keep), 指标值, expected [code, suggestion])
    # V403: vague targets with nothing measurable beside them …
    (4, None, "有所提高", [["V403", ""]]),
    (4, None, "有所提升", [["V403", ""]]),
    (4, None, "优良", [["V403", ""]]),
    (4, None, "巩固提高", [["V403", ""]]),
    (4, None, "持续改善", [["V403", ""]]),
    (4, None, "逐步提升", [["V403", ""]]),
    (4, None, "应保尽保", [["V403", ""]]),
    (4, None, "按月安排", [["V403", ""]]),
    (4, None, "按时", [["V403", ""]]),
    (4, None, "按时完成", [["V403", ""]]),
    (4, None, "参照上年标准", [["V403", ""]]),
    (4, None, "明显改善", [["V403", ""]]),
    (4, None, "达到要求", [["V403", ""]]),
    (3, None, "不超预算", [["V403", ""]]),
    (3, None, "不超过预算", [["V403", ""]]),  # a comparator, but nothing to compare with
    # … and with a number beside them, or the standard outcome phrase, they are not
    (4, None, "按时完成率100%", []),
    (2, "办结时限", "≤3个工作日", []),
    (4, None, "达到预期目标", []),
    # V411: a % on an outcome that is no rate
    (4, "促进经济社会发展", "≥95%", [["V411", ""]]),
    (4, "维护社会稳定", "≥95%", [["V411", ""]]),
    (4, "区域可持续发展", "≥95%", [["V411", ""]]),
    (4, "保护生态环境", "≥95%", [["V411", ""]]),
    (4, "促进就业", "≥95百分比", [["V411", ""]]),  # not also “write % for 百分比”
    (4, "维护社会稳定", "达到预期目标", []),
    (4, "资金到位比例", "≥95%", []),
    (4, "社会稳定率", "≥95%", []),
    (2, "按项目计划完成工作", "≥95%", []),  # the share of the plan done: reviewers accept it
    # V412: an amount under 数量 as a %
    (0, "补贴资金发放", "≥95%", [["V412", ""]]),
    (0, "补贴资金发放", "＝120户", []),
    (0, "补助对象", "≥95%", []),  # persons, not an amount (and no outcome phrase)
    (0, "补贴资金发放率", "＝100%", []),
    # V413: a count in another thing's unit
    (0, "受益人数", "≥500个", [["V413", ""]]),
    (0, "受益人口数", "＝20户", [["V413", ""]]),  # persons are no households
    (0, "检查次数", "≥4人", [["V413", ""]]),
    (0, "受益人数", "≥500人", []),
    (0, "受益人数", "≥500人次", []),
    (0, "检查次数", "≥4场", []),
    # V414: an output count as a 质量 target
    (1, "专业技术服务", "≥1人/年", [["V414", ""]]),
    (1, "服务器配置", "≥5台", [["V414", ""]]),
    (1, "安全事故", "＝0次", []),
    (1, "群众投诉", "≤3次", []),
    (1, "服务质量投诉", "≥1次", []),  # what should not happen, however it is written
    # V209: a cost target far above the budget (元 written as 万元); V205 below that
    (3, "项目总成本", "≤50000万元", [["V209", "≤50000元"]]),
    (3, "项目总成本", "≤1001万元", [["V209", "≤1001元"]]),
    (3, "项目总成本", "≤1000万元", [["V205", ""]]),
    (3, "项目总成本", "≤12万元", [["V205", ""]]),
    (3, "项目总成本", "≤10万元", []),
]


@pytest.mark.parametrize(("row", "level3", "value", "expected"), ROW_CASES,
                         ids=[f"{r}-{n or ''}-{v}" for r, n, v, _ in ROW_CASES])
def test_row_rule(row: int, level3: str | None, value: str, expected: list[list[str]]) -> None:
    fields = {"value": value} if level3 is None else {"level3": level3, "value": value}
    report = report_of(changed(change_row(row, **fields)))
    assert report.flatten(["code", "suggestion"]) == expected
    assert all(f.cell == f"F{11 + row}" for f in report.findings)


def _with_satisfaction(*names: str) -> Project:
    """The sound project with more satisfaction rows after its own 受益人员满意度."""
    p = sound_project()
    for name in names:
        p.indicators.append(indicator(len(p.indicators), "满意度指标", "服务对象满意度指标",
                                      name, "≥90%", "历史标准"))
    return p


SATISFACTION_CASES = [
    # (rows added, expected [code, 三级指标])
    (("受益对象满意度",), [["V306", "受益对象满意度"]]),  # 受益人员 and 受益对象: one people
    (("群众满意度", "居民满意度"), [["V306", "居民满意度"]]),
    (("群众满意度", "辖区群众对服务的满意度"), [["V306", "辖区群众对服务的满意度"]]),
    (("满意度", "总体满意度"), [["V306", "总体满意度"]]),
    (("社会公众满意度",), []),  # the beneficiaries and the public: two peoples
    (("商户满意度", "游客满意度"), []),
    (("受益人员满意度",), [["V305", "受益人员满意度"]]),  # a name twice is V305's alone
]


@pytest.mark.parametrize(("names", "expected"), SATISFACTION_CASES,
                         ids=["+".join(n) for n, _ in SATISFACTION_CASES])
def test_satisfaction_measured_twice(names: tuple[str, ...], expected: list[list[str]]) -> None:
    assert report_of(_with_satisfaction(*names)).flatten(["code", "indicator"]) == expected


def test_the_messages_say_what_to_change() -> None:
    [slip] = report_of(changed(change_row(3, level3="项目总成本", value="≤50000万元"))).findings
    assert slip.message == (
        "项目“测试项目”的成本指标“项目总成本”目标为≤50000万元（合50000.00万元），"
        "是项目预算数10.00万元的5,000倍，多半把“元”写成了“万元”。"
        "如本意是“≤50000元”，请改正单位。")
    [near] = report_of(changed(change_row(3, level3="项目总成本", value="≤1001万元"))).findings
    assert "的100.1倍" in near.message
    [twice] = report_of(_with_satisfaction("群众满意度", "居民满意度")).findings
    assert "与第17行的“群众满意度”调查的是同一人群（居民）" in twice.message
    [count] = report_of(changed(change_row(0, level3="受益人数", value="≥500个"))).findings
    assert "是人数，指标值“≥500个”却以“个”计。请改用“人”“名”“位”等单位" in count.message


def test_a_slip_in_yuan_itself_names_no_smaller_unit() -> None:
    [slip] = report_of(changed(change_row(3, level3="项目总成本", value="≤50000000元"))).findings
    assert (slip.code, slip.suggestion) == ("V209", "")
    assert "金额或单位多半写错。请核对金额和单位。" in slip.message
