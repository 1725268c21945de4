"""Filling default rows: only adds, never touches the user's rows, runs once."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.xlsx_compare import differing_parts
from xl_addin.actions import add_project
from xl_addin.cli import cli
from xl_addin.engines.file import FileBook
from xl_addin.fill import PLACEHOLDER_NOTE, fill_book
from xl_addin.layout.book import read_model
from xl_addin.library import has_placeholder, load_library, unmet_requirements
from xl_addin.marks import RECORD_SHEET, clear_patch
from xl_addin.model import Project
from xl_addin.profiles import load as load_profile


def _dump(path) -> dict:
    return json.loads(CliRunner().invoke(cli, ["dump", str(path)]).stdout)


@pytest.mark.parametrize("frame", ["2015", "2021"])
def test_fill_on_the_seed(seed_copy, tmp_path, frame) -> None:
    before = _dump(seed_copy)
    r = CliRunner().invoke(cli, ["fill", str(seed_copy), "--profile", frame])
    assert r.exit_code == 0, r.output
    after = _dump(seed_copy)
    profile = load_profile(frame)
    for p_before, p_after in zip(before["projects"], after["projects"], strict=True):
        n = len(p_before["indicators"])
        assert p_after["indicators"][:n] == p_before["indicators"][:n]  # untouched
        assert {k: v for k, v in p_after.items() if k != "indicators"} == {
            k: v for k, v in p_before.items() if k != "indicators"}
    for project in read_model(FileBook(seed_copy)).model.projects:
        assert unmet_requirements(project, profile) == []
    added = [i for pb, pa in zip(before["projects"], after["projects"], strict=True)
             for i in pa["indicators"][len(pb["indicators"]):]]
    assert added and any(has_placeholder(i["value"]) for i in added)
    once = tmp_path / "once.xlsx"
    once.write_bytes(seed_copy.read_bytes())
    r = CliRunner().invoke(cli, ["fill", str(seed_copy), "--profile", frame])
    assert "共新增 0 行" in r.stderr
    assert differing_parts(once, seed_copy) == []


def test_placeholder_cells_are_highlighted_and_recorded(seed_copy) -> None:
    CliRunner().invoke(cli, ["fill", str(seed_copy), "--sheet", "车辆保险费"])
    wb = load_workbook(seed_copy)
    ws = wb["车辆保险费"]
    cell = next(c for c in ws["F"] if isinstance(c.value, str) and has_placeholder(c.value))
    assert cell.fill.fgColor.rgb.endswith("DDEBF7")
    assert cell.comment.text == PLACEHOLDER_NOTE
    assert cell.data_type == "s"  # '≤X元/辆' and '=N辆' stay text
    assert wb[RECORD_SHEET].max_row >= 2
    book = FileBook(seed_copy)
    book.apply(clear_patch(book))
    book.save()
    cell = load_workbook(seed_copy)["车辆保险费"][cell.coordinate]
    assert cell.comment is None and cell.fill.fill_type is None


@pytest.mark.parametrize("frame", ["2015", "2021"])
@pytest.mark.parametrize("category", load_library().categories())
def test_fill_a_blank_project(tmp_path, frame, category) -> None:
    path = tmp_path / "b.xlsx"
    CliRunner().invoke(cli, ["new", str(path), "--year", "2022", "--unit", "X", "--frame", frame])
    book = FileBook(path)
    add_project(book, Project(name="新项目", category=category))
    [result] = fill_book(book, load_profile(frame))
    book.save()
    assert result.category == category and not result.guessed
    [project] = read_model(FileBook(path)).model.projects
    rows = [(i.level1, i.level2, i.level3, i.value) for i in project.indicators]
    expected = load_library().rows(category, frame)
    assert rows == [(i.level1, i.level2, i.level3, i.value) for i in expected]
    assert unmet_requirements(project, load_profile(frame)) == []


def test_fill_refuses_unknown_category(seed_copy) -> None:
    r = CliRunner().invoke(cli, ["fill", str(seed_copy), "--category", "不存在"])
    assert r.exit_code == 2 and "未知的项目类别" in r.stderr
