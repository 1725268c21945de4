"""The three submission files say the same thing, and nothing of the tool's insides.

A plan pasted as 25 / 50 / 75 / 100 used to show as 2500% … 10000% in the xlsx and the
PDF and as 25% … 100% in the docx; the 汇总 showed its 内容指纹 and a column of links,
project sheets fill's 推荐类别 with its reasoning.  One forced submission of the seed with
such a plan and a filled project is checked here file against file.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.actions.submit import outputs_for
from xl_addin.cli import cli
from xl_addin.core.cellvalues import percent_text
from xl_addin.documents.importers.docx_reader import read_docx
from xl_addin.documents.importers.published import interpret
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model
from xl_addin.forms.names import SUMMARY_SHEET

PASTED = "车辆保险费"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def submitted(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    path = tmp_path_factory.mktemp("book") / "seed.xlsx"
    shutil.copy2(seed_book_path, path)
    assert run("fill", path, "--all").exit_code in (0, 1)  # 推荐类别 and 项目类别 written
    with FileBook.for_update(path) as book:
        project = next(p for p in read_model(book).model.projects if p.sheet == PASTED)
        for key, value in zip(("mar", "jun", "oct", "dec"), (25, 50, 75, 100), strict=True):
            book.worksheet(PASTED)[project.cells[key]].value = value
        book.save()
    assert run("consolidate", path).exit_code == 0
    outdir = tmp_path_factory.mktemp("out")
    result = run("submit", path, "-o", outdir, "--force")
    assert result.exit_code == 0, result.output
    return SimpleNamespace(book=path, outputs=outputs_for(path, outdir))


def _shown_percent(cell) -> str:
    """A plan cell as Excel and LibreOffice display it (their formats are 0% / 0.00%)."""
    assert "%" in cell.number_format
    return percent_text(Decimal(str(cell.value)) * 100)


def test_plan_cells_show_what_the_docx_says(submitted) -> None:
    copy = FileBook(submitted.outputs.xlsx)
    in_xlsx = read_model(copy).model.projects
    in_docx = interpret(read_docx(submitted.outputs.docx)).projects
    assert [p.name for p in in_docx] == [p.name for p in in_xlsx]
    for x, d in zip(in_xlsx, in_docx, strict=True):
        ws = copy.worksheet(x.sheet)
        shown = [_shown_percent(ws[x.cells[k]]) for k in ("mar", "jun", "oct", "dec")]
        assert shown == [percent_text(d.plan[k]) for k in ("mar", "jun", "oct", "dec")], x.name
        assert (x.code, x.budget, x.fiscal, x.other) == (d.code, d.budget, d.fiscal, d.other)
        assert [i.value for i in x.indicators if not i.is_blank()] == [
            i.value for i in d.indicators], x.name
    pasted = next(p for p in in_xlsx if p.sheet == PASTED)
    assert pasted.scaled == {} and pasted.plan["mar"] == Decimal(25)


def test_the_pdf_shows_the_plan_as_meant(submitted) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(submitted.outputs.pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    page = next(p for p in text.split("\f") if PASTED in p and "资金支出计划" in p)
    assert "25%" in page and "100%" in page
    assert "2500%" not in text and "10000%" not in text


def test_the_workbook_itself_is_not_changed_by_the_reading(submitted) -> None:
    project = next(p for p in read_model(FileBook(submitted.book)).model.projects
                   if p.sheet == PASTED)
    assert project.scaled == {"mar": "25", "jun": "50", "oct": "75", "dec": "100"}


def test_no_tool_insides_in_the_submission(submitted) -> None:
    wb = load_workbook(submitted.outputs.xlsx)
    summary = [str(c) for row in wb[SUMMARY_SHEET].iter_rows(values_only=True) for c in row
               if c is not None]
    assert not any("内容指纹" in c or c == "工作表" for c in summary)
    assert not any(len(c) == 64 and all(ch in "0123456789abcdef" for ch in c) for c in summary)
    assert all(cell.hyperlink is None for row in wb[SUMMARY_SHEET].iter_rows() for cell in row)
    for project in read_model(FileBook(submitted.outputs.xlsx)).model.projects:
        texts = [str(c) for row in wb[project.sheet].iter_rows(max_row=10, values_only=True)
                 for c in row if c is not None]
        assert not any("推荐类别" in t for t in texts), project.sheet
        assert project.category, project.sheet  # fill wrote it; it is the clerk's cell
    # the workbook keeps them: the clerk still sees the guess and the tool's check
    own = load_workbook(submitted.book)
    assert any(c == "推荐类别" for row in own[PASTED].iter_rows(max_row=5, values_only=True)
               for c in row)
    assert any(c == "内容指纹" for row in own[SUMMARY_SHEET].iter_rows(values_only=True)
               for c in row)
