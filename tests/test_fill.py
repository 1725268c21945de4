"""Filling default rows: only adds, never touches the user's rows, runs once."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.xlsx_compare import differing_parts
from xl_addin.actions.fill import PLACEHOLDER_NOTE, fill_book
from xl_addin.actions.marks import RECORD_SHEET, clear_patch
from xl_addin.actions.workbook import add_project
from xl_addin.cli import cli
from xl_addin.core.model import Project
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model
from xl_addin.library import has_placeholder, load_library, unmet_requirements
from xl_addin.rules.profiles import load as load_profile


def _dump(path) -> dict:
    return json.loads(CliRunner().invoke(cli, ["dump", str(path)]).stdout)


@pytest.mark.parametrize("frame", ["2015", "2021"])
def test_fill_on_the_seed(seed_copy, tmp_path, frame) -> None:
    before = _dump(seed_copy)
    r = CliRunner().invoke(cli, ["fill", str(seed_copy), "--profile", frame])
    assert r.exit_code == 0, r.output
    after = _dump(seed_copy)
    profile = load_profile(frame)
    def written(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "row"} for r in rows]

    for p_before, p_after in zip(before["projects"], after["projects"], strict=True):
        own = {r["level3"] for r in p_before["indicators"]}
        kept = [r for r in p_after["indicators"] if r["level3"] in own]
        assert written(kept) == written(p_before["indicators"])  # same content, same order
        assert p_before["category"] == "" and p_after["category"]  # the empty cell filled
        assert {k: v for k, v in p_after.items() if k not in ("indicators", "category")} == {
            k: v for k, v in p_before.items() if k not in ("indicators", "category")}
    for project in read_model(FileBook(seed_copy)).model.projects:
        assert unmet_requirements(project, profile) == []
    added = [i for pb, pa in zip(before["projects"], after["projects"], strict=True)
             for i in pa["indicators"]
             if i["level3"] not in {r["level3"] for r in pb["indicators"]}]
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


def _numbers_for_placeholders(value: str) -> str:
    """What a user types over a placeholder: a plausible number."""
    return re.sub(r"(?<![A-Za-z])[NX](?![A-Za-z0-9])", "90" if "%" in value else "12", value)


def test_seed_after_fill_has_no_missing_category(seed_copy) -> None:
    from xl_addin.actions.workbook import validate_book

    before = validate_book(FileBook(seed_copy))
    assert "missing-category" in before.stats["by_type"]
    CliRunner().invoke(cli, ["fill", str(seed_copy)])
    after = validate_book(FileBook(seed_copy))
    assert "missing-category" not in after.stats["by_type"]
    placeholders = [f for f in after.findings if f.type == "placeholder-value"]
    assert placeholders and all(f.sheet == "车辆保险费" for f in placeholders)


@pytest.mark.parametrize("frame", ["2015", "2021"])
@pytest.mark.parametrize("category", load_library().categories())
def test_filled_blank_project_validates_clean(tmp_path, frame, category) -> None:
    """With the placeholders replaced by numbers, a filled project has no error or warning
    (named for its category, so that its rows' subjects are the project's own)."""
    from xl_addin.actions.workbook import validate_book

    path = tmp_path / "b.xlsx"
    CliRunner().invoke(cli, ["new", str(path), "--year", "2022", "--unit", "某街道办事处本级",
                             "--frame", frame])
    book = FileBook(path)
    project = Project(name=f"{category}项目", code="13030322P00000000001A", category=category,
                      unit_line="某街道办事处本级", budget=Decimal("50.00"),
                      fiscal=Decimal("50.00"), uses=[f"用于{category}"], goals=["1.完成年度工作"],
                      plan={"mar": Decimal(25), "jun": Decimal(50), "oct": Decimal(75),
                            "dec": Decimal(100)})
    add_project(book, project)
    fill_book(book, load_profile(frame))
    book.save()
    wb = load_workbook(path)
    ws = wb[f"{category}项目"]
    for row in ws.iter_rows(min_row=11, min_col=6, max_col=6):
        if isinstance(row[0].value, str):
            row[0].value = _numbers_for_placeholders(row[0].value)
    wb.save(path)
    report = validate_book(FileBook(path))
    assert [(f.type, f.indicator, f.message) for f in report.findings
            if f.severity != "info" and f.sheet == f"{category}项目"] == []
