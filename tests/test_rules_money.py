"""Money rules: the money cells, their sum, the spending plan, cost targets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_rules_support import change_row, changed, report_of, sound_project

D = Decimal
PLAN = {"mar": D(25), "jun": D(50), "oct": D(75), "dec": D(100)}

CASES = [
    ("budget is text", {"budget": None, "written": {"budget": "十万"}},
     [["V201", "C5", "预算数"]]),
    ("fiscal negative", {"budget": D(-1), "fiscal": D(-1)},
     [["V201", "C5", "预算数"], ["V201", "E5", "财政资金"]]),
    # issue 14: exact to the 元 is four decimals of 万元, as real documents write
    ("four decimals", {"budget": D("10606.7522"), "fiscal": D("10606.7522")}, []),
    ("five decimals", {"budget": D("10.00005"), "fiscal": D("10.00005")},
     [["V201", "C5", "预算数"], ["V201", "E5", "财政资金"]]),
    ("trailing zeros are fine", {"budget": D("10.000000"), "fiscal": D("10")}, []),
    ("250万 reads as 250", {"budget": D(250), "fiscal": D(250), "with_unit": {"budget": "250万"}},
     [["V207", "C5", "预算数"]]),
    ("250元 is refused", {"budget": None, "written": {"budget": "250元"}},
     [["V201", "C5", "预算数"]]),
    ("sum off by a yuan", {"fiscal": D("6"), "other": D("3.9999")}, [["V202", "C5", "预算数"]]),
    ("fiscal plus other", {"fiscal": D("6"), "other": D("4")}, []),
    # issue 12: a split not given is missing, never "预算数 ≠ 0.00"
    ("neither fiscal nor other", {"fiscal": None}, [["V101", "E5", "财政资金"]]),
    ("other alone carries it", {"fiscal": None, "other": D(10)}, []),
    # issue 14: one split written and short of the budget: the blank one is missing
    ("other blank, fiscal short", {"fiscal": D("9.99")}, [["V208", "G5", "其他资金"]]),
    ("fiscal blank, other short", {"fiscal": None, "other": D(4)}, [["V208", "E5", "财政资金"]]),
    ("plan is text", {"plan": {**PLAN, "jun": None}, "written": {"jun": "一半"}},
     [["V203", "D8", "6月底"]]),
    ("plan above 100", {"plan": {**PLAN, "oct": D(120)}},
     [["V203", "E8", "10月底"], ["V203", "F8", "12月底"]]),
    ("plan decreasing", {"plan": {**PLAN, "jun": D(20)}}, [["V203", "D8", "6月底"]]),
    ("plan short of 100", {"plan": {**PLAN, "dec": D(90)}}, [["V204", "F8", "12月底"]]),
]


@pytest.mark.parametrize(("header", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_money_rule(header: dict, expected: list[list[str]]) -> None:
    assert report_of(sound_project(**header)).flatten(["code", "cell", "field"]) == expected


def test_sum_message_shows_the_numbers() -> None:
    [finding] = report_of(sound_project(fiscal=D(6), other=D("3.99"))).findings
    assert "预算数10.00万元不等于财政资金6.00与其他资金3.99之和9.99万元" in finding.message


def test_a_blank_split_names_the_missing_amount() -> None:
    [finding] = report_of(sound_project(fiscal=D("9.99"))).findings
    assert (finding.type, finding.suggestion) == ("missing-field", "0.01")
    assert finding.message == ("项目“测试项目”的“其他资金”未填写：预算数10.00万元，财政资金"
                               "9.99万元，相差0.01万元。请填写其他资金（如为0.01万元），或核对预算数。")


def test_money_with_its_unit_is_read_with_an_info() -> None:
    p = sound_project(budget=D(250), fiscal=D(250), with_unit={"budget": "250万元"})
    [finding] = report_of(p).findings
    assert (finding.type, finding.severity, finding.suggestion) == (
        "nonstandard-value", "info", "250.00")
    assert "写成“250万元”，按250.00万元读取" in finding.message


def test_yuan_is_not_taken_for_wan() -> None:
    """250元 on a sheet in 万元 is 0.025 万元 or a slip for 250 万元: the clerk says which."""
    [finding] = report_of(sound_project(budget=None, written={"budget": "250元"})).findings
    assert "如确为250.00元，请填写0.025；如是250.00万元，请填写250.00" in finding.message


def test_plan_incomplete_suggests_100() -> None:
    [finding] = report_of(sound_project(plan={**PLAN, "dec": D(90)})).findings
    assert (finding.type, finding.suggestion) == ("plan-incomplete", "100%")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("≤12万元", [["V205", "F14"]]), ("≤10万元", []), ("≤120000元", [["V205", "F14"]]),
     ("≤0.5万元/人", [])],
)
def test_cost_exceeds_budget(value: str, expected: list[list[str]]) -> None:
    p = changed(change_row(3, value=value))
    assert report_of(p).flatten(["code", "cell"]) == expected


def test_only_cost_rows_are_held_to_the_budget() -> None:
    p = changed(change_row(4, level3="带动社会投资", value="≥500万元"))
    assert report_of(p).findings == []
