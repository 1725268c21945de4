"""指标值确定依据 rules: allowed standards, mapping free text onto them."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from test_rules_support import change_row, changed, model_of, report_of, sound_project

from xl_addin.core.errors import UserError
from xl_addin.rules import profiles, validate
from xl_addin.rules.profiles import load

PROFILES = Path(profiles.__file__).parent  # the frames packaged with the rules

MAPPED = [
    # (basis, the standard it maps to)
    ("年度工作计划", "计划标准"),
    ("冀财资[2017]674号", "其他标准"),
    ("冀财预〔2021〕12 号", "其他标准"),
    ("GB 3095-2012", "行业标准"),
    ("上年完成情况", "历史标准"),
    ("历史数据", "历史标准"),
    ("参照国家标准", "行业标准"),
]

CASES = [
    # (row, basis, expected [code, severity, suggestion]) under the default profile
    *((0, basis, []) for basis, _ in MAPPED),  # free text that maps is accepted there
    (0, "领导要求", [["V502", "warning", ""]]),
    (0, "预算支出标准", [["V503", "warning", ""]]),
    (0, "计划标准（年度工作计划）", []),
    (0, " 历史标准 ", []),
    (3, "预算支出标准", []),
]


@pytest.mark.parametrize(("row", "basis", "expected"), CASES,
                         ids=[f"{row}-{basis}" for row, basis, _ in CASES])
def test_basis_rule(row: int, basis: str, expected: list[list[str]]) -> None:
    report = report_of(changed(change_row(row, basis=basis)))
    assert report.flatten(["code", "severity", "suggestion"]) == expected
    assert all(f.cell == f"G{11 + row}" and f.type == "basis-invalid" for f in report.findings)


@pytest.mark.parametrize("frame", ["2015-strict", "2021-strict"])
@pytest.mark.parametrize(("basis", "standard"), MAPPED, ids=[b for b, _ in MAPPED])
def test_a_strict_profile_asks_for_the_standard_name(frame: str, basis: str,
                                                     standard: str) -> None:
    report = report_of(changed(change_row(0, basis=basis), frame=frame.split("-")[0]),
                       frame=frame)
    assert report.flatten(["code", "severity", "suggestion", "cell", "indicator", "field"]) == [
        ["V501", "info", standard, "G11", "", "指标值确定依据"]
    ]
    assert f"“{basis.strip()}”应为“{standard}”：G11（保障人数）" in report.findings[0].message


def test_one_info_per_project_lists_every_row() -> None:
    """Three rows of free text make one finding at the first of them, naming all three
    with the standard each should read; rows already standard are not listed."""
    p = sound_project()
    for n, basis in ((1, "年度工作计划"), (2, "年度工作计划"), (4, "冀财资[2017]674号")):
        change_row(n, basis=basis)(p)
    [finding] = report_of(p, frame="2015-strict").findings
    assert (finding.code, finding.cell, finding.suggestion) == ("V501", "G12", "")
    assert finding.message == (
        "项目“测试项目”有3行指标的确定依据不是规定的标准名称，请改写："
        "“年度工作计划”应为“计划标准”：G12（发放准确率）、G13（按月足额发放率）；"
        "“冀财资[2017]674号”应为“其他标准”：G15（保障机构正常运转）。"
        "文件文号可写入绩效指标描述。"
    )
    assert report_of(p).findings == []


def test_the_strict_profiles_differ_from_their_frames_only_there() -> None:
    """A strict profile is its frame's file with one setting changed: kept in step."""
    for frame in ("2015", "2021"):
        base, strict = (copy.deepcopy(load(name).raw) for name in (frame, f"{frame}-strict"))
        assert base["basis"].pop("accept_free_text") is True
        assert strict["basis"].pop("accept_free_text") is False
        assert strict.pop("title") == base.pop("title") + "（严格：确定依据须写标准名称）"
        assert strict == base


def test_a_setting_that_is_not_true_or_false_is_refused(tmp_path) -> None:
    text = (PROFILES / "frame2015.toml").read_text("utf-8").replace(
        "accept_free_text = true", 'accept_free_text = "否"')
    (tmp_path / "p.toml").write_text(text, "utf-8")
    with pytest.raises(UserError, match="accept_free_text"):
        validate(model_of(sound_project()), load(str(tmp_path / "p.toml")))
