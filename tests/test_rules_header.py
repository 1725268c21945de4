"""Header rules: required fields, the project code, the year in the name."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_rules_support import CODE, model_of, only, report_of, sound_project

from xl_addin.rules import validate
from xl_addin.rules.profiles import load

CASES = [
    ("code empty", {"code": ""}, [["V101", "B3", "项目编码", ""]]),
    ("name empty", {"name": ""}, [["V101", "E3", "项目名称", ""]]),
    ("budget empty", {"budget": None}, [["V101", "C5", "预算数", ""]]),
    ("uses empty", {"uses": []}, [["V101", "C6", "资金用途", ""]]),
    ("goals empty", {"goals": []}, [["V101", "B9", "绩效目标", ""]]),
    ("plan cell empty", {"plan": {"mar": None, "jun": 50, "oct": 75, "dec": 100}},
     [["V101", "B8", "3月底", ""]]),
    ("code too short", {"code": CODE[:-1]}, [["V102", "B3", "项目编码", ""]]),
    ("code lower case", {"code": CODE.lower()}, [["V102", "B3", "项目编码", ""]]),
    ("code without year digits", {"code": "130303AAP004135100045"},
     [["V102", "B3", "项目编码", ""]]),
    ("code of last year", {"code": "13030321P004135100045"}, [["V103", "B3", "项目编码", ""]]),
    ("last year's name", {"name": "2021年测试项目"},
     [["V104", "E3", "项目名称", "2022年测试项目"]]),
    ("this year's name", {"name": "2022年测试项目"}, []),
    ("a range holding the year", {"name": "2021-2023年测试项目"}, []),
    ("a range before the year", {"name": "2019—2020年测试项目"}, [["V104", "E3", "项目名称", ""]]),
]


@pytest.mark.parametrize(("header", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_header_rule(header: dict, expected: list[list[str]]) -> None:
    report = report_of(sound_project(**header))
    assert report.flatten(["code", "cell", "field", "suggestion"]) == expected


def test_missing_field_names_what_to_fill() -> None:
    [finding] = report_of(sound_project(budget=None)).findings
    assert finding.type == "missing-field"
    assert finding.message.startswith("项目“测试项目”的“预算数”未填写。请填写预算数")


def test_a_field_whose_label_is_missing_is_left_to_sheet_structure() -> None:
    p = sound_project(uses=[])
    del p.cells["uses"]  # the sheet parser found no 资金用途 label (and said so)
    assert report_of(p).findings == []


def test_region_is_the_workbooks_most_common_prefix() -> None:
    other = sound_project(code="13030422P004135100046", name="外区项目")
    model = model_of(sound_project(), sound_project(name="乙", code=CODE[:-1] + "7"), other)
    report = only(validate(model, load("2015")), "code-format")
    assert report.flatten(["code", "project_name"]) == [["V102", "外区项目"]]
    assert "前6位应为行政区划代码“130303”" in report.findings[0].message


def test_a_configured_region_wins() -> None:
    base = load("2015")
    profile = replace(base, raw={**base.raw, "code": {"length": 21, "region": "130304"}})
    report = validate(model_of(sound_project()), profile)
    assert report.flatten(["code"]) == [["V102"]]


def test_no_year_no_year_rules() -> None:
    p = sound_project(code="13030321P004135100045", name="2021年测试项目")
    assert report_of(p, year=None).findings == []
