"""One-click submission: the three files, what the copy holds and lacks, the PDF's pages,
the .docx round trip, and the refusals (errors, a stale 汇总, existing outputs)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.actions.consolidate import check_summary, consolidate_book
from xl_addin.actions.marks import FILLS, NOTE_HEAD, RECORD_SHEET, RESULTS_SHEET, mark_patch
from xl_addin.actions.submit import outputs_for
from xl_addin.actions.workbook import validate_book
from xl_addin.cli import cli
from xl_addin.core.model import WorkbookModel
from xl_addin.documents.importers.docx_reader import read_docx
from xl_addin.documents.importers.published import interpret
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model
from xl_addin.forms.names import MARKER_NAME, SUMMARY_SHEET

PASSWORD = "单位密码1"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def comparable(model: WorkbookModel) -> dict:
    """What a model says, without where it was read from (sheets, cells, rows)."""
    s, d = model.settings, model.department
    return {
        "settings": (s.year, s.unit, s.frame),
        "department": (d.overall_goal, [(x.number, x.name, x.goal) for x in d.duties],
                       d.measures),
        "projects": [
            (p.unit_line, p.code, p.name, p.category, p.budget, p.fiscal, p.other, p.uses,
             p.plan, p.goals, p.written,
             [(i.level1, i.level2, i.level3, i.description, i.value, i.basis, i.level1_written)
              for i in p.indicators])
            for p in model.projects
        ],
    }


@pytest.fixture(scope="module")
def marked_book(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed as a user has it before submitting: validated with marks, consolidated."""
    path = tmp_path_factory.mktemp("book") / "seed.xlsx"
    shutil.copy2(seed_book_path, path)
    wb = load_workbook(path)
    wb["参数"]["B5"] = PASSWORD  # the unit protects its sheets
    wb.save(path)
    book = FileBook(path)
    book.apply(mark_patch(book, validate_book(book).findings))
    consolidate_book(book)
    book.save(backup=False)
    return path


@pytest.fixture(scope="module")
def submitted(marked_book: Path, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """``submit --force`` run once on the marked seed (two LibreOffice runs)."""
    before = marked_book.read_bytes()
    outdir = tmp_path_factory.mktemp("out") / "报送"
    result = run("submit", marked_book, "-o", outdir, "--force")
    return SimpleNamespace(result=result, book=marked_book, before=before, outdir=outdir,
                           outputs=outputs_for(marked_book, outdir))


@pytest.fixture(scope="module")
def pdf_pages(submitted) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(submitted.outputs.pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


def test_submit_writes_the_three_files(submitted) -> None:
    r = submitted.result
    assert r.exit_code == 0, r.output
    assert sorted(submitted.outdir.iterdir()) == sorted(submitted.outputs.all())  # no leftovers
    assert [p.name for p in submitted.outputs.all()] == [
        "seed-报送.xlsx", "seed-报送.pdf", "seed-报送.docx"]
    assert "已按 --force 提交" in r.stderr
    assert submitted.book.read_bytes() == submitted.before  # the workbook is left alone


def test_the_copy_holds_values_only_protected_without_marks(submitted) -> None:
    wb = load_workbook(submitted.outputs.xlsx)
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets
                for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert wb.security.lockStructure
    assert {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"} == {"项目模板", "参数"}
    assert RESULTS_SHEET not in wb.sheetnames and RECORD_SHEET not in wb.sheetnames
    marks = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
             for c in row
             if (c.comment is not None and NOTE_HEAD in c.comment.text)
             or (c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb)[-6:] in FILLS.values())]
    assert marks == []
    assert wb["车辆保险费"]["A1"].value == "车辆保险费绩效目标表"  # the title formula's value
    ws = wb[SUMMARY_SHEET]
    header = [c.value for c in ws[3]]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "合计")
    assert total[header.index("预算数")] == pytest.approx(501.64)
    assert total[header.index("12月底计划支出")] == pytest.approx(501.64)
    errors = validate_book(FileBook(submitted.book)).stats["by_severity"]["error"]
    assert 0 < total[header.index("错误")] <= errors  # the validation run by submit
    assert FileBook(submitted.outputs.xlsx).defined_name(MARKER_NAME)  # still ours to read


def test_the_copy_keeps_the_password_hash_not_the_password(submitted) -> None:
    wb = load_workbook(submitted.outputs.xlsx)
    assert wb["参数"]["A5"].value == "保护密码" and wb["参数"]["B5"].value is None
    assert wb["车辆保险费"].protection.password  # a hash
    with zipfile.ZipFile(submitted.outputs.xlsx) as z:
        assert not any(PASSWORD.encode() in z.read(n) for n in z.namelist())


def test_the_copy_says_what_the_workbook_says(submitted) -> None:
    copy = read_model(FileBook(submitted.outputs.xlsx)).model
    assert comparable(copy) == comparable(read_model(FileBook(submitted.book)).model)


def test_pdf_holds_every_project_one_page_each(submitted, pdf_pages, seed_model) -> None:
    everything = "".join(pdf_pages)
    assert "部门整体绩效目标" in pdf_pages[0]
    assert "预算项目绩效目标汇总表" in pdf_pages[1] and "501.64" in pdf_pages[1]
    assert "使用说明" not in everything  # tool sheets are not printed
    for p in seed_model.projects:
        pages = [page for page in pdf_pages if page.startswith(f"{p.name}绩效目标表")]
        assert len(pages) == 1, p.name
        assert p.code in pages[0], p.code
    assert len(pdf_pages) == 2 + len(seed_model.projects)


def test_the_docx_reads_back_as_the_workbook(submitted) -> None:
    got = interpret(read_docx(submitted.outputs.docx))
    expected = read_model(FileBook(submitted.book)).model
    assert got.department.duties and got.department.measures  # Part 1 is there
    assert comparable(got) == comparable(expected)


def test_existing_outputs_are_not_overwritten(submitted) -> None:
    before = {p: p.read_bytes() for p in submitted.outputs.all()}
    r = run("submit", submitted.book, "-o", submitted.outdir)
    assert r.exit_code == 2 and "--force" in r.stderr
    assert {p: p.read_bytes() for p in submitted.outputs.all()} == before


def test_errors_stop_the_submission_and_are_listed(seed_copy, tmp_path) -> None:
    outdir = tmp_path / "报送"
    r = run("submit", seed_copy, "-o", outdir)
    assert r.exit_code == 1
    errors = [f for f in validate_book(FileBook(seed_copy)).findings if f.severity == "error"]
    assert f"有 {len(errors)} 个错误，未提交" in r.stderr
    for f in errors:
        where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or "工作簿")
        assert f"{where}：{f.message}" in r.stderr
    assert not outdir.exists()


def test_a_stale_summary_is_refused_until_reconsolidated(seed_copy, tmp_path) -> None:
    book = FileBook(seed_copy)
    consolidate_book(book)
    book.save(backup=False)
    wb = load_workbook(seed_copy)
    wb["社区工作经费"]["C5"] = 16  # 预算数 changes after the consolidation
    wb["社区工作经费"]["E5"] = 16
    wb.save(seed_copy)
    outdir = tmp_path / "报送"

    r = run("submit", seed_copy, "-o", outdir, "--force")
    assert r.exit_code == 1
    assert "“汇总”表已过期" in r.stderr and "--reconsolidate" in r.stderr
    assert not outdir.exists()

    r = run("submit", seed_copy, "-o", outdir, "--force", "--reconsolidate")
    assert r.exit_code == 0, r.output
    assert not check_summary(FileBook(seed_copy)).stale
    assert seed_copy.with_name(seed_copy.name + ".bak").exists()
    ws = load_workbook(outputs_for(seed_copy, outdir).xlsx)[SUMMARY_SHEET]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "合计")
    assert total[4] == pytest.approx(502.64)
