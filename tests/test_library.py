"""The default indicator library: every category has valid, measurable rows in both
frames, placeholders are recognised, and ``missing_rows`` fills only what is missing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from xl_addin.core.errors import UserError
from xl_addin.core.model import Indicator, Project, WorkbookModel
from xl_addin.library import (
    Library,
    Recast,
    has_placeholder,
    load_library,
    missing_rows,
    unmet_requirements,
)
from xl_addin.library.source import packaged
from xl_addin.rules import profiles

FRAMES = ("2015", "2021")
PROFILES = {frame: profiles.load(frame) for frame in FRAMES}
NAMES = packaged()["names"]
LIBRARY = load_library()
VAGUE = ("是/否", "是否", "是", "否", "进一步保障", "按要求支出", "进一步推动")


def _is_cost(row: Indicator) -> bool:
    return "成本指标" in (row.level1, row.level2)


def _position(profile: profiles.Profile, row: Indicator) -> tuple[int, int]:
    return profile.level1.index(row.level1), profile.framework[row.level1].index(row.level2)


def test_every_dropdown_category_has_rows() -> None:
    assert LIBRARY.categories() == NAMES


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("category", NAMES)
def test_rows_fit_the_frame(category: str, frame: str) -> None:
    profile = PROFILES[frame]
    rows = LIBRARY.rows(category, frame)
    assert rows
    for row in rows:
        assert row.level2 in profile.framework.get(row.level1, []), row
        assert row.basis in profile.bases, row
        assert row.level1_written
        assert row.description.startswith("反映") and row.description.endswith("。"), row
    names = [row.level3 for row in rows]
    assert len(names) == len(set(names))
    for req in profile.requirements:
        assert any(req.met_by(row.level1, row.level2) for row in rows), req.label


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("category", NAMES)
def test_values_are_measurable(category: str, frame: str) -> None:
    for row in LIBRARY.rows(category, frame):
        assert row.value not in VAGUE
        assert has_placeholder(row.value) or re.search(r"\d", row.value) \
            or row.value == "达到预期目标", row
        if row.level1 == "满意度指标":
            assert re.fullmatch(r"≥9\d%", row.value), row
        if _is_cost(row):
            assert row.value.startswith("≤") and "元" in row.value, row
            assert row.basis == "预算支出标准", row
        if row.level3.endswith("率"):
            assert row.value.endswith("%"), row


@pytest.mark.parametrize("category", NAMES)
def test_2021_rows_are_the_2015_rows_recast(category: str) -> None:
    old, new = LIBRARY.rows(category, "2015"), LIBRARY.rows(category, "2021")
    assert [r.level3 for r in old] == [r.level3 for r in new]
    for before, after in zip(old, new, strict=True):
        if before.level2 == "成本指标":
            assert (after.level1, after.level2) == ("成本指标", "经济成本指标")
        else:
            assert (after.level1, after.level2) == (before.level1, before.level2)
    assert all(r.level2 != "可持续影响指标" for r in new)


def test_rows_are_fresh_objects() -> None:
    first = LIBRARY.rows("人员类", "2015")
    first[0].value = "=19人"
    assert LIBRARY.rows("人员类", "2015")[0].value == "＝N人"


def test_unknown_category_is_a_user_error() -> None:
    with pytest.raises(UserError, match="没有类别“不存在”"):
        LIBRARY.rows("不存在", "2015")


# --- replacing the packaged rows ----------------------------------------------------

SHEET_ROWS = [
    {"项目类别": "会议类", "一级指标": "产出指标", "二级指标": "数量指标",
     "三级指标": "会议场次", "绩效指标描述": "反映召开会议的场次。", "指标值": "≥N场",
     "指标值确定依据": "计划标准"},
    {"项目类别": None, "一级指标": "", "二级指标": None},
    {"category": "会议类", "level1": "效益指标", "level2": "可持续影响指标",
     "level3": "会议精神落实", "value": "达到预期目标"},
    {"category": "会议类", "level1": "产出指标", "level2": "成本指标", "level3": "单场会议成本",
     "value": "≤X元/场"},
]


def test_from_rows_accepts_sheet_labels_and_recasts_for_2021() -> None:
    library = Library.from_rows(SHEET_ROWS)
    assert library.categories() == ["会议类"]
    assert [r.level3 for r in library.rows("会议类", "2015")] == [
        "会议场次", "会议精神落实", "单场会议成本"]
    assert [(r.level1, r.level2) for r in library.rows("会议类", "2021")] == [
        ("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("成本指标", "经济成本指标")]


def test_rows_written_for_a_frame_replace_the_recast_ones() -> None:
    own = {"category": "会议类", "frame": 2021, "level1": "成本指标",
           "level2": "社会成本指标", "level3": "参会误工", "value": "≤N人次"}
    library = Library.from_rows([*SHEET_ROWS, own])
    assert [r.level3 for r in library.rows("会议类", "2021")] == ["参会误工"]
    assert len(library.rows("会议类", "2015")) == 3


def test_from_rows_with_declared_recasts_only() -> None:
    recasts = [Recast("2021", ("产出指标", "成本指标"), ("成本指标", "社会成本指标"))]
    library = Library.from_rows(SHEET_ROWS, base_frame="2015", recasts=recasts)
    levels = [(r.level1, r.level2) for r in library.rows("会议类", "2021")]
    assert levels[1:] == [("效益指标", "可持续影响指标"), ("成本指标", "社会成本指标")]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"项目类别": "会议类", "一级指标": "产出指标", "二级指标": "数量指标"}],
         "第1行缺少“三级指标”"),
        ([{"一级指标": "", "三级指标": None}], "没有任何指标行"),
    ],
)
def test_from_rows_rejects_incomplete_rows(rows: list[dict], message: str) -> None:
    with pytest.raises(UserError, match=message):
        Library.from_rows(rows)


def test_load_library_from_a_bureau_file(tmp_path: Path) -> None:
    path = tmp_path / "bureau.toml"
    path.write_text(
        '[[row]]\ncategory = "会议类"\nlevel1 = "产出指标"\nlevel2 = "成本指标"\n'
        'level3 = "单场会议成本"\nvalue = "≤X元/场"\nbasis = "预算支出标准"\n',
        encoding="utf-8",
    )
    row = load_library(path).rows("会议类", "2021")[0]
    assert (row.level1, row.level2, row.basis) == ("成本指标", "经济成本指标", "预算支出标准")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "找不到指标库文件"), ("row = [", "格式有误"),
     ('[[library.recast]]\nframe = "2021"\nfrom = "产出指标"\nto = ["成本指标", "经济成本指标"]\n'
      '[[row]]\ncategory = "甲"\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nlevel3 = "乙"\n',
      "library.recast")],
)
def test_load_library_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "bureau.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_library(path)


# --- placeholders ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=N人", True), ("≤X万元", True), ("≥N次", True), ("≥X%", True), ("≤X万元/人", True),
        ("N", True), ("≤X.X万元", True),
        ("≥95%", False), ("PM2.5", False), ("达到预期目标", False), ("NOx", False),
        ("N95口罩发放数", False), ("拉力≥500N", False), ("=19人", False), ("", False),
    ],
)
def test_has_placeholder(value: str, expected: bool) -> None:
    assert has_placeholder(value) is expected


# --- missing rows -----------------------------------------------------------------------

def _with(project: Project, rows: list[Indicator]) -> Project:
    return dataclasses.replace(project, indicators=[*project.indicators, *rows])


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("category", NAMES)
def test_missing_rows_on_seed_projects(seed_model: WorkbookModel, category: str,
                                       frame: str) -> None:
    profile = PROFILES[frame]
    for project in seed_model.projects:
        unmet = unmet_requirements(project, profile)
        added = missing_rows(project, profile, category, LIBRARY)
        for row in added:
            assert any(req.met_by(row.level1, row.level2) for req in unmet), (project.name, row)
        names = [r.level3 for r in project.indicators] + [r.level3 for r in added]
        assert len(names) == len(set(names)), project.name
        assert added == sorted(added, key=lambda r: _position(profile, r))
        filled = _with(project, added)
        assert unmet_requirements(filled, profile) == [], project.name
        assert missing_rows(filled, profile, category, LIBRARY) == [], project.name


def test_seed_projects_lacking_only_cost(seed_model: WorkbookModel) -> None:
    car = seed_model.projects[0]
    assert [r.level3 for r in missing_rows(car, PROFILES["2015"], "车辆保险", LIBRARY)] == [
        "单车保费"]
    for project in seed_model.projects:
        added = missing_rows(project, PROFILES["2021"], "公用经费", LIBRARY)
        assert [(r.level1, r.level2, r.level3) for r in added] == [
            ("成本指标", "经济成本指标", "经费总额")], project.name


@pytest.mark.parametrize("frame", FRAMES)
def test_empty_project_gets_the_whole_category_in_framework_order(frame: str) -> None:
    profile = PROFILES[frame]
    added = missing_rows(Project(), profile, "补贴类", LIBRARY)
    assert sorted(r.level3 for r in added) == sorted(
        r.level3 for r in LIBRARY.rows("补贴类", frame))
    order = ["产出指标", "成本指标", "效益指标", "满意度指标"]
    assert [order.index(r.level1) for r in added] == sorted(order.index(r.level1) for r in added)
    assert added[-1].level1 == "满意度指标"


def test_existing_name_is_never_added_again() -> None:
    misplaced = Indicator(level1="效益指标", level2="社会效益指标", level3="补贴 户数",
                          value="≥120户", basis="计划标准")
    project = Project(indicators=[misplaced])
    added = missing_rows(project, PROFILES["2015"], "补贴类", LIBRARY)
    assert "补贴户数" not in [r.level3 for r in added]
    assert missing_rows(_with(project, added), PROFILES["2015"], "补贴类", LIBRARY) == []


def test_complete_project_gets_nothing() -> None:
    project = Project(indicators=LIBRARY.rows("其他", "2021"))
    assert missing_rows(project, PROFILES["2021"], "人员类", LIBRARY) == []
