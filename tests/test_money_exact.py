"""Money exact to the 元 (four decimals of 万元) and money written with its unit, from the
document or the workbook to the submission (issue 14).

Real documents write 10606.7522 万元; a clerk types 250万 into a cell already in 万元.
Neither is an error, and neither may lose a digit on the way: import → workbook →
validate → consolidate → submit.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from xl_addin.cli import cli
from xl_addin.core.cellvalues import wan_amount, yuan_amount
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model
from xl_addin.forms.names import SUMMARY_SHEET
from xl_addin.rules import validate
from xl_addin.rules.profiles import load

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.txt"
EXACT = "10606.7522"
VEHICLES = "车辆保险费"  # its 预算数 and 财政资金 are 0.40 in the seed


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(("written", "wan", "yuan"), [
    ("250万", Decimal(250), None), ("250万元", Decimal(250), None),
    ("２５０．５万元", Decimal("250.5"), None), (" 1,250 万 ", Decimal(1250), None),
    ("250元", None, Decimal(250)), ("250", None, None), ("二百五十万", None, None),
    (250, None, None),
])
def test_money_texts_with_a_unit(written: object, wan: Decimal | None,
                                 yuan: Decimal | None) -> None:
    assert (wan_amount(written), yuan_amount(written)) == (wan, yuan)


@pytest.fixture(scope="module")
def exact_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed with the 车辆保险费 budget written to the 元, imported."""
    text = SEED.read_text(encoding="utf-8")
    seed_money = "\t0.40\n\t其中：财政    资金\n\t0.40\n"
    assert text.count(seed_money) == 1
    folder = tmp_path_factory.mktemp("exact")
    (folder / "seed.txt").write_text(
        text.replace(seed_money, f"\t{EXACT}\n\t其中：财政    资金\n\t{EXACT}\n"), "utf-8")
    result = run("import", folder / "seed.txt", "-o", folder / "seed.xlsx")
    assert result.exit_code == 0, result.output
    return folder / "seed.xlsx"


def test_four_decimals_survive_import_and_validation(exact_book: Path) -> None:
    ws = load_workbook(exact_book)[VEHICLES]
    assert (ws["C5"].value, ws["E5"].value) == (float(EXACT), float(EXACT))
    assert ws["C5"].number_format == "0.00##"  # shown as written, 0.40 still as 0.40
    project = next(p for p in read_model(FileBook(exact_book)).model.projects
                   if p.name == VEHICLES)
    assert (project.budget, project.fiscal) == (Decimal(EXACT), Decimal(EXACT))
    report = validate(read_model(FileBook(exact_book)).model, load("2015"))
    assert [f for f in report.findings if f.project_name == VEHICLES
            and f.type in ("budget-invalid", "budget-sum-mismatch")] == []


def test_four_decimals_survive_consolidate_and_submit(exact_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy2(exact_book, book)
    result = run("consolidate", book, "--csv", tmp_path / "sum.csv")
    assert result.exit_code == 0, result.output
    with (tmp_path / "sum.csv").open(encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["项目名称"] == VEHICLES)
    assert (row["预算数"], row["财政资金"]) == (EXACT, EXACT)
    # 12月底 = 100% is the budget itself, not the budget rounded to the cent
    assert (row["3月底计划支出"], row["12月底计划支出"]) == ("2651.6881", EXACT)
    summary = load_workbook(book)[SUMMARY_SHEET]
    assert float(EXACT) in [c.value for r in summary.iter_rows() for c in r]

    result = run("submit", book, "-o", tmp_path / "out", "--force")
    assert result.exit_code == 0, result.output
    submitted = load_workbook(tmp_path / "out" / "book-报送.xlsx")[VEHICLES]
    assert submitted["C5"].value == float(EXACT)
    texts = [c.text for t in Document(tmp_path / "out" / "book-报送.docx").tables
             for r in t.rows for c in r.cells]
    assert EXACT in texts


def test_250_wan_typed_into_a_cell_is_read_as_250(seed_book_path: Path,
                                                  tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy2(seed_book_path, book)
    wb = load_workbook(book)
    wb[VEHICLES]["C5"], wb[VEHICLES]["E5"] = "250万", "250万元"
    wb.save(book)
    model = read_model(FileBook(book)).model
    project = next(p for p in model.projects if p.name == VEHICLES)
    assert (project.budget, project.fiscal, project.written) == (Decimal(250), Decimal(250), {})
    found = [[f.code, f.severity, f.cell, f.suggestion]
             for f in validate(model, load("2015")).findings
             if f.project_name == VEHICLES and f.field in ("预算数", "财政资金")]
    assert found == [["V207", "info", "C5", "250.00"], ["V207", "info", "E5", "250.00"]]

    result = run("submit", book, "-o", tmp_path / "out", "--force")
    assert result.exit_code == 0, result.output
    submitted = load_workbook(tmp_path / "out" / "book-报送.xlsx")[VEHICLES]
    assert (submitted["C5"].value, submitted["E5"].value) == (250, 250)
