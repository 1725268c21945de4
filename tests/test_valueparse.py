"""Parsing 指标值 text: kinds, normalised writing, the aspects that depart from it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_addin.core.valueparse import ASPECTS, COMPARATORS, ParsedValue, parse_value

KINDS = {"quantitative", "qualitative", "yes-no", "vague", "unit-only", "placeholder", "empty",
         "unknown"}

CASES = [
    # text, kind, comparator, number, unit, normalised, aspects
    ("≥95%", "quantitative", "≥", "95", "%", "≥95%", ()),
    ("≤35微克/立方米", "quantitative", "≤", "35", "微克/立方米", "≤35微克/立方米", ()),
    ("＝0.5万元/人", "quantitative", "＝", "0.5", "万元/人", "＝0.5万元/人", ()),
    ("=19人", "quantitative", "＝", "19", "人", "＝19人", ()),  # the same sign as ＝
    (">=95%", "quantitative", "≥", "95", "%", "≥95%", ("ascii-comparator",)),
    ("<5%", "quantitative", "＜", "5", "%", "＜5%", ()),
    ("19人", "quantitative", None, "19", "人", "19人", ("missing-comparator",)),
    ("≥95百分比", "quantitative", "≥", "95", "%", "≥95%", ("percent-word",)),
    ("≥９５％", "quantitative", "≥", "95", "%", "≥95%", ("fullwidth",)),
    (" ≥ 95 % ", "quantitative", "≥", "95", "%", "≥95%", ("spaces",)),
    ("≥95", "quantitative", "≥", "95", "", "≥95", ("missing-unit",)),
    ("不超过2万元", "quantitative", "≤", "2", "万元", "≤2万元", ("comparator-word",)),
    ("95%以上", "quantitative", "≥", "95", "%", "≥95%", ("comparator-word",)),
    ("≥1,000人", "quantitative", "≥", "1000", "人", "≥1,000人", ()),
    ("是/否", "yes-no", None, None, "", "是/否", ()),
    ("是否", "yes-no", None, None, "", "是否", ()),
    ("是", "yes-no", None, None, "", "是", ()),
    ("次", "unit-only", None, None, "次", "次", ()),
    ("≥", "unit-only", "≥", None, "", "≥", ()),
    ("%", "unit-only", None, None, "%", "%", ()),
    ("进一步保障", "vague", None, None, "", "进一步保障", ()),
    ("按要求支出", "vague", None, None, "", "按要求支出", ()),
    ("达到预期目标", "qualitative", None, None, "", "达到预期目标", ()),
    ("优/良/中/差", "qualitative", None, None, "", "优/良/中/差", ()),
    ("较好", "qualitative", None, None, "", "较好", ()),
    ("=N人", "placeholder", "＝", None, "人", "＝N人", ()),
    ("≤X万元", "placeholder", "≤", None, "万元", "≤X万元", ()),
    ("", "empty", None, None, "", "", ()),
    ("  ", "empty", None, None, "", "", ()),
    ("90%-95%", "unknown", None, None, "", "90%-95%", ()),
    ("X光", "unknown", None, None, "", "X光", ()),
]


@pytest.mark.parametrize(("text", "kind", "comparator", "number", "unit", "normalised", "aspects"),
                         CASES, ids=[c[0] or "blank" for c in CASES])
def test_parse(text: str, kind: str, comparator: str | None, number: str | None, unit: str,
               normalised: str, aspects: tuple[str, ...]) -> None:
    assert parse_value(text) == ParsedValue(
        raw=text, kind=kind, comparator=comparator,  # type: ignore[arg-type]
        number=Decimal(number) if number is not None else None, unit=unit,
        normalised=normalised, aspects=aspects,
    )


def test_with_comparator_only_fills_a_gap() -> None:
    assert parse_value("100%").with_comparator("＝") == "＝100%"
    assert parse_value("≥95%").with_comparator("＝") == "≥95%"


NEAR_MISSES = "≥≤＞＜＝<>=%％0123456789０１２３４５６７８９.,NX人次万元百分比是否/ "


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(), max_size=40) | st.text(NEAR_MISSES, max_size=12))
def test_never_raises_and_stays_coherent(text: str) -> None:
    v = parse_value(text)
    assert v.kind in KINDS
    assert v.comparator is None or v.comparator in COMPARATORS
    assert set(v.aspects) <= set(ASPECTS)
    assert (v.kind == "quantitative") == (v.number is not None)
    assert (v.kind == "empty") == (not text.strip())
