"""The 部门整体绩效目标 sheet's texts: present (V801), not vague (V802), not copied from
another duty (V803).  An empty overview used to validate clean and print a blank page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from xl_addin.actions.workbook import validate_book
from xl_addin.cli import cli
from xl_addin.core.model import Department, Duty, WorkbookModel
from xl_addin.engines.file import FileBook
from xl_addin.rules import validate
from xl_addin.rules.department import is_vague
from xl_addin.rules.profiles import load

SOUND = "开展理论学习活动12次，按规定做好七清理工作，每年按规章发展新党员。"


def _findings(dept: Department) -> list[tuple[str, str, str]]:
    dept.sheet = dept.sheet or "部门整体绩效目标"
    report = validate(WorkbookModel(department=dept), load("2015"))
    return [(f.code, f.severity, f.field) for f in report.findings if f.code.startswith("V8")]


@pytest.mark.parametrize(
    ("goal", "duty", "vague"),
    [
        ("精神文明建设工作。", "精神文明建设", True),  # the duty's name and 工作
        ("努力与相关部门协调，积极发挥管理及服务职能，完成各项辅助工作。", "参政议政", True),
        ("完成区级下达各项工作指标", "人口与计生工作", True),
        ("进一步提高工作效率，确保完成各项任务。", "", True),
        (SOUND, "工委党员干部管理工作", False),
        ("无公车私用现象；公务往来不收礼，不送礼。", "党风廉政建设工作", False),
        ("开展法制宣传活动，排查矛盾纠纷，并及时调节。", "综合治理工作", False),
        ("完成征兵任务12人", "武装工作", False),  # a number with its unit is measurable
    ],
)
def test_is_vague(goal: str, duty: str, vague: bool) -> None:
    assert is_vague(goal, duty) is vague


def test_an_empty_overview_is_two_errors() -> None:
    assert _findings(Department()) == [("V801", "error", "总体目标"),
                                       ("V801", "error", "分项绩效目标")]


def test_a_duty_without_its_goal_and_a_goal_without_its_duty() -> None:
    dept = Department(overall_goal=SOUND, duties=[
        Duty("一", "党建工作", SOUND), Duty("二", "综合治理", ""),
        Duty("三", "", "开展法制宣传活动8场")])
    assert _findings(dept) == [("V801", "error", "绩效目标"), ("V801", "error", "职责")]


def test_copied_and_vague_goals_are_warnings() -> None:
    dept = Department(overall_goal=SOUND, duties=[
        Duty("一", "党建工作", SOUND), Duty("二", "党员管理", SOUND),
        Duty("三", "精神文明建设", "精神文明建设工作。")])
    assert _findings(dept) == [("V802", "warning", "绩效目标"), ("V803", "warning", "绩效目标")]


def test_a_sound_overview_and_a_workbook_without_one_pass() -> None:
    sound = Department(overall_goal=SOUND, duties=[Duty("一", "党建工作", SOUND)])
    assert _findings(sound) == []
    report = validate(WorkbookModel(department=Department()), load("2015"))  # no sheet read
    assert not [f for f in report.findings if f.code.startswith("V8")]


def test_the_seed_overview(seed_book: FileBook) -> None:
    found = [(f.code, f.cell) for f in validate_book(seed_book).findings
             if f.sheet == "部门整体绩效目标"]
    assert found == [("V802", "D9"), ("V802", "D14"), ("V802", "D15"), ("V802", "D16"),
                     ("V803", "D15")]


def test_a_new_workbook_is_not_clean_until_its_overview_is_written(tmp_path: Path) -> None:
    book = tmp_path / "新.xlsx"
    runner = CliRunner()
    made = runner.invoke(cli, ["new", str(book), "--year", "2023", "--unit", "某街道"])
    assert made.exit_code == 0
    result = runner.invoke(cli, ["validate", str(book), "--json"])
    assert result.exit_code == 1
    found = [(f["code"], f["sheet"], f["cell"]) for f in json.loads(result.output)["findings"]]
    assert found == [("V801", "部门整体绩效目标", "B3"), ("V801", "部门整体绩效目标", "D6")]
