"""Issue 14: where a form prints 权重, each project's weights add up to 100 — the workbook
has no 权重, so the import report (and its 导入说明 sheet) is the one place to say so.

Form B (tests/documents.py) prints a 权重 column; its sample's weights add up to 100 in
both projects.  A variant gives the first project's first row 25 instead of 20 (105 in
all).  Both are written as Word, a saved web page and .xlsx and imported from each.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.documents import DOCUMENTS, Says, document_b, write_docx, write_html, write_xlsx
from xl_addin.cli import cli
from xl_addin.documents.importers.published import interpret_document
from xl_addin.documents.importers.readers import read_document

WRITERS = {"docx": write_docx, "html": write_html, "xlsx": write_xlsx}
SOUND = DOCUMENTS["B"].says
FIRST = SOUND.projects[0].name
OFF = "各指标的权重合计为 105，不等于 100（7 行有权重），请调整权重"


def _reweighed(says: Says) -> Says:
    """The sample with its first project's first weight 25 instead of 20."""
    first = says.projects[0]
    rows = (dataclasses.replace(first.indicators[0], weight="25"), *first.indicators[1:])
    return dataclasses.replace(says, projects=(
        dataclasses.replace(first, indicators=rows), *says.projects[1:]))


def _write(says: Says, name: str, fmt: str, folder: Path) -> Path:
    return WRITERS[fmt](document_b(says, name), folder / f"{name}.{fmt}")


def test_the_variant_is_what_it_claims() -> None:
    weights = [[int(i.weight) for i in p.indicators] for p in _reweighed(SOUND).projects]
    assert [sum(w) for w in weights] == [105, 100]
    assert [sum(int(i.weight) for i in p.indicators) for p in SOUND.projects] == [100, 100]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_weights_that_add_up_say_nothing(tmp_path: Path, fmt: str) -> None:
    report = interpret_document(read_document(_write(SOUND, "sound", fmt, tmp_path))).report
    assert [(p.name, p.warnings) for p in report.projects] == [
        (p.name, []) for p in SOUND.projects]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_weights_that_do_not_are_reported_with_their_sum(tmp_path: Path, fmt: str) -> None:
    report = interpret_document(read_document(
        _write(_reweighed(SOUND), "off", fmt, tmp_path))).report
    assert [(p.name, p.warnings) for p in report.projects] == [
        (FIRST, [OFF]), (SOUND.projects[1].name, [])]
    assert f"    请核对：{OFF}" in report.lines()


def test_the_import_sheet_says_it_beside_the_project(tmp_path: Path) -> None:
    source = _write(_reweighed(SOUND), "off", "xlsx", tmp_path)
    out = tmp_path / "book.xlsx"
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert OFF in result.output
    rows = [list(r) for r in load_workbook(out)["导入说明"].iter_rows(values_only=True)]
    assert [r for r in rows if r[0] == "请核对"] == [["请核对", rows_where(rows), FIRST, OFF]]


def rows_where(rows: list[list[object]]) -> object:
    """Where the sheet says the first project is (its 项目 row)."""
    return next(r[1] for r in rows if r[0] == "项目" and r[2] == FIRST)
