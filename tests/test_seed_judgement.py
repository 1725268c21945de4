"""The seed's findings held to a reviewer's judgement of its rows, both ways (issue 14).

``tests/data/seed_rows.toml`` judges every indicator row of the seed: sound (nothing a
clerk should act on) or defective (what is wrong, in which fields).  No finding of any
severity may land on a sound row — by its 三级指标 or by its cells in the workbook — and
every finding on a row must be on a field judged defective there.  Defects the rules do
not find yet are allowed (recall is judged elsewhere); findings on sound rows are not.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from xl_addin.core.model import WorkbookModel
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model
from xl_addin.rules import validate
from xl_addin.rules.profiles import load
from xl_addin.rules.report import Report

JUDGEMENT = Path(__file__).resolve().parent / "data" / "seed_rows.toml"
_ROW = re.compile(r"[A-Z]+([0-9]+)")


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], dict]:
    judged = tomllib.loads(JUDGEMENT.read_text("utf-8"))["row"]
    return {(r["project"], r["indicator"]): r for r in judged}


@pytest.fixture(scope="module")
def book_model(seed_book_path: Path) -> WorkbookModel:
    return read_model(FileBook(seed_book_path)).model


@pytest.fixture(scope="module")
def report(book_model: WorkbookModel) -> Report:
    """Under the seed's own frame (2015; under 2021 its 可持续影响指标 rows are out of
    the frame, which is another judgement)."""
    return validate(book_model, load("2015"))


def test_every_row_of_the_seed_is_judged(rows: dict, book_model: WorkbookModel) -> None:
    """The file judges the seed as it is: a changed seed needs a fresh judgement."""
    seed = [(p.name, i.level3, i.value) for p in book_model.projects for i in p.indicators]
    assert seed == [(*key, r["value"]) for key, r in rows.items()]
    assert {r["verdict"] for r in rows.values()} == {"sound", "defective"}
    assert all(r["reason"] and (r["verdict"] == "sound") != bool(r.get("fields"))
               for r in rows.values())


def test_no_finding_on_a_sound_row(rows: dict, report: Report) -> None:
    on_sound = [(f.code, f.project_name, f.indicator) for f in report.findings
                if rows.get((f.project_name, f.indicator), {}).get("verdict") == "sound"]
    assert on_sound == []


def test_no_finding_in_the_cells_of_a_sound_row(rows: dict, report: Report,
                                                book_model: WorkbookModel) -> None:
    """Findings about a whole project or block point at a cell too (套用 at A11):
    none of them may sit in a sound row either."""
    sound = {(p.sheet, ind.row) for p in book_model.projects for ind in p.indicators
             if rows[(p.name, ind.level3)]["verdict"] == "sound"}
    placed = [(f.code, f.sheet, f.cell) for f in report.findings
              if (m := _ROW.fullmatch(f.cell)) and (f.sheet, int(m[1])) in sound]
    assert placed == []


def test_every_row_finding_is_on_a_field_judged_defective(rows: dict, report: Report) -> None:
    stray = [(f.code, f.project_name, f.indicator, f.field) for f in report.findings
             if f.indicator and f.field not in rows[(f.project_name, f.indicator)]["fields"]]
    assert stray == []


def test_the_default_profile_leaves_free_text_bases_alone(report: Report) -> None:
    assert [f for f in report.findings if f.type == "basis-invalid"] == []


def test_the_strict_profile_lists_them_once_per_project(book_model: WorkbookModel) -> None:
    found = [f for f in validate(book_model, load("2015-strict")).findings
             if f.type == "basis-invalid"]
    assert [(f.project_name, f.cell, f.indicator) for f in found] == [
        (p.name, "G11", "") for p in book_model.projects]
    rows = sum(len(p.indicators) for p in book_model.projects)
    assert sum(int(re.search(r"有([0-9]+)行", f.message)[1]) for f in found) == rows == 105
