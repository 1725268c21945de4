"""Rules across projects: shared codes and names, copy-paste tables, and speed."""

from __future__ import annotations

import time

from test_rules_support import CODE, change_row, indicator, model_of, only, report_of, sound_project

from xl_addin.core.model import Project
from xl_addin.rules import validate
from xl_addin.rules.profiles import load


def numbered(i: int, **header: object) -> Project:
    """A sound project with its own code and name."""
    own = {"code": f"{CODE[:-3]}{i:03d}", "name": f"项目{i}", "sheet": f"项目{i}"}
    return sound_project(**{**own, **header})


def differ(p: Project, tag: str) -> Project:
    """Make ``p``'s table its own: every 三级 name gets ``tag``."""
    for n, ind in enumerate(p.indicators):
        ind.level3 = f"{ind.level3}{tag}"
        ind.description = f"{ind.description}{n}"
    return p


def test_duplicate_code_on_the_later_project() -> None:
    report = only(report_of(numbered(1), numbered(2, code=f"{CODE[:-3]}001")), "duplicate-code")
    assert report.flatten(["code", "project_name", "cell"]) == [["V701", "项目2", "B3"]]
    assert "与工作表“项目1”（“项目1”）重复" in report.findings[0].message


def test_duplicate_name_on_the_later_project() -> None:
    report = report_of(differ(numbered(1), "甲"), differ(numbered(2, name="项目1"), "乙"))
    assert report.flatten(["code", "sheet", "cell", "type"]) == [
        ["V702", "项目2", "E3", "duplicate-name"]
    ]


def test_distinct_tables_are_no_boilerplate() -> None:
    assert report_of(differ(numbered(1), "甲"), differ(numbered(2), "乙")).findings == []


def test_identical_tables_once_per_later_project() -> None:
    report = report_of(numbered(1), numbered(2), numbered(3))
    assert report.flatten(["code", "project_name", "cell"]) == [
        ["V703", "项目2", "A11"],
        ["V703", "项目3", "A11"],
    ]
    assert "项目“项目1”（100%）、项目“项目2”（100%）" in report.findings[1].message


def test_nearly_identical_tables_are_boilerplate() -> None:
    def seven_rows(i: int, value: str) -> Project:
        p = numbered(i)
        extra = ("效益指标", "社会效益指标", "群众诉求办结率", value, "历史标准")
        p.indicators.append(indicator(6, *extra))
        return p

    # 6 of 7 rows equal: 86% ≥ 85%
    report = report_of(seven_rows(1, "≥95%"), seven_rows(2, "≥90%"))
    assert report.flatten(["code", "project_name"]) == [["V703", "项目2"]]


def test_library_rows_filled_differently_are_not_boilerplate() -> None:
    # two 人员类 projects from the default rows: counts and costs differ (4 of 6 equal)
    second = numbered(2)
    change_row(0, value="＝16人")(second)
    change_row(3, value="≤0.4万元/人")(second)
    assert report_of(numbered(1), second).findings == []


def test_tiny_tables_are_not_compared() -> None:
    def tiny(i: int) -> Project:
        p = numbered(i)
        p.indicators = p.indicators[:2]
        return p

    assert only(report_of(tiny(1), tiny(2)), "boilerplate").findings == []


def test_two_hundred_projects_in_well_under_a_second() -> None:
    model = model_of(*(numbered(i) for i in range(200)))
    profile = load("2015")
    start = time.perf_counter()
    report = validate(model, profile)
    elapsed = time.perf_counter() - start
    assert report.stats["by_type"] == {"boilerplate": 199}
    assert elapsed < 0.5, f"validation took {elapsed:.2f}s"
