"""Merge tangles (issue 18, round two): overlapping merged ranges and merges of absurd
size are read quickly, reported once as ``sheet-structure`` findings, never crash a
writer, and survive every save unchanged.

The slow cases run in child processes with a timeout: before, openpyxl expanded a merge
of the whole sheet into 17 billion ``MergedCell``s and never came back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.corpus import ROUND_TWO, SHEET
from xl_addin.core.errors import UserError
from xl_addin.core.grid import Grid
from xl_addin.core.patch import Patch
from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.file import FileBook
from xl_addin.forms import merges

ROOT = Path(__file__).resolve().parents[1]
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
CASES = ["merges_overlap_body.xlsx", "merges_overlap_header.xlsx", "merge_whole_sheet.xlsx",
         "merge_huge_body.xlsx", "merges_many.xlsx"]
#: a hang guard, not a benchmark: the whole command (interpreter start included) takes
#: about two seconds on this shared machine; before, it never ended
TIMEOUT_S = 30


def _make(name: str, seed: Path, folder: Path) -> Path:
    path = folder / name
    ROUND_TWO[name].make(seed, path)
    return path


def _cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xl_addin", *map(str, args)], env=CHILD_ENV,
                          timeout=TIMEOUT_S, capture_output=True, text=True)


def _merges_by_sheet(path: Path) -> dict[str, set[str]]:
    """Each sheet's merged ranges as saved (read by our loader, which does not expand)."""
    wb = FileBook(path).wb
    return {ws.title: {m.coord for m in ws.merged_cells.ranges} for ws in wb.worksheets}


def test_the_cases_are_registered_as_read_with_their_finding() -> None:
    for name in CASES:
        assert ROUND_TWO[name].refused is False
        assert ROUND_TWO[name].says in ("S002", "S003")


@pytest.mark.parametrize("name", CASES)
def test_dump_and_validate_end_quickly_and_report_the_ranges(
        name: str, seed_book_path: Path, tmp_path: Path) -> None:
    path = _make(name, seed_book_path, tmp_path)
    start = time.monotonic()
    dumped = _cli("dump", path)
    assert time.monotonic() - start < TIMEOUT_S
    assert dumped.returncode in (0, 1), dumped.stderr
    assert "Traceback" not in dumped.stderr and "内部错误" not in dumped.stderr
    checked = _cli("validate", "--json", path)
    assert checked.returncode == 1, checked.stderr
    found = [f for f in json.loads(checked.stdout)["findings"]
             if f["code"] == ROUND_TWO[name].says]
    assert len(found) == 1  # once, however many times the sheet is read
    assert found[0]["type"] == "sheet-structure" and found[0]["sheet"] == SHEET
    assert "请在 Excel 中取消" in found[0]["message"]


def test_the_overlap_finding_names_both_ranges(seed_book_path: Path, tmp_path: Path) -> None:
    path = _make("merges_overlap_body.xlsx", seed_book_path, tmp_path)
    grid = FileBook(path).read(SHEET)
    (overlap,) = [f for f in merges.findings(grid) if f.code == "S002"]
    assert "B12:D14 与 C13:E15" in overlap.message
    assert overlap.cell == "B12"


def test_the_size_finding_names_the_range_and_its_size(seed_book_path: Path,
                                                       tmp_path: Path) -> None:
    path = _make("merge_whole_sheet.xlsx", seed_book_path, tmp_path)
    (huge,) = [f for f in merges.findings(FileBook(path).read(SHEET)) if f.code == "S003"]
    assert "A1:XFD1048576（17179869184 个单元格）" in huge.message
    assert huge.cell == "A1"


def test_many_merges_are_reported_by_the_cells_they_cover_together(
        seed_book_path: Path, tmp_path: Path) -> None:
    path = _make("merges_many.xlsx", seed_book_path, tmp_path)
    (many,) = merges.findings(FileBook(path).read(SHEET))
    assert many.code == "S003" and "128 个合并区域共覆盖 50073 个单元格" in many.message


def test_ordinary_merges_give_no_finding(seed_book_path: Path) -> None:
    book = FileBook(seed_book_path)
    assert [f for name in book.sheet_names() for f in merges.findings(book.read(name))] == []


def test_overlaps_are_found_by_their_rows_and_columns() -> None:
    side_by_side = [(1, 1, 5, 1), (1, 2, 5, 2), (6, 1, 6, 2)]
    assert merges.overlaps(side_by_side) == []
    assert merges.overlaps([(1, 1, 5, 2), (5, 2, 6, 3)]) == [((1, 1, 5, 2), (5, 2, 6, 3))]
    many = [(1, 1, 9, 9)] * 10
    assert len(merges.overlaps(many)) == merges.MAX_PAIRS


@pytest.mark.parametrize("name", ["merges_overlap_body.xlsx", "merges_overlap_header.xlsx",
                                  "merge_whole_sheet.xlsx"])
def test_validate_write_marks_and_keeps_every_merge(name: str, seed_book_path: Path,
                                                    tmp_path: Path) -> None:
    """Before, marking a note on a cell an overlapping range covers raised
    ``AttributeError: 'MergedCell' object attribute 'comment'`` (exit 3)."""
    path = _make(name, seed_book_path, tmp_path)
    before = _merges_by_sheet(path)
    done = _cli("validate", "--write", path)
    assert done.returncode == 1, done.stderr
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr
    after = _merges_by_sheet(path)
    assert {s: before[s] == after[s] for s in before} == dict.fromkeys(before, True)
    assert "校验结果" in after


def test_a_mark_on_an_overlapped_range_goes_to_the_cell_that_shows(
        seed_book_path: Path, tmp_path: Path) -> None:
    path = _make("merges_overlap_body.xlsx", seed_book_path, tmp_path)
    assert _cli("validate", "--write", path).returncode == 1
    ws = FileBook(path).wb[SHEET]
    note = ws["B12"].comment
    assert note is not None and "B12:D14 与 C13:E15" in note.text


def test_writing_into_a_huge_merge_is_refused_not_hidden(seed_book_path: Path,
                                                         tmp_path: Path) -> None:
    """openpyxl has no ``MergedCell`` inside a range too large to expand: the range
    itself says the cell is hidden."""
    path = _make("merge_huge_body.xlsx", seed_book_path, tmp_path)
    book = FileBook(path)
    patch = Patch()
    patch.set(SHEET, {(30, 2): "看不见的字"})
    with pytest.raises(UserError, match="B30 在合并区域 A23:Z1000000 之内"):
        book.apply(patch)
    top_left = Patch()
    top_left.set(SHEET, {(23, 1): "左上角可以写"})
    book.apply(top_left)
    assert book.read(SHEET).get(23, 1) == "左上角可以写"


def test_fill_refuses_the_tangled_sheet_with_the_finding(seed_book_path: Path,
                                                         tmp_path: Path) -> None:
    path = _make("merges_overlap_body.xlsx", seed_book_path, tmp_path)
    done = _cli("fill", "--sheet", SHEET, path)
    assert done.returncode in (1, 2), done.stderr
    assert "B12:D14 与 C13:E15" in done.stdout + done.stderr
    assert "内部错误" not in done.stderr


@pytest.mark.parametrize("name", ["merges_overlap_body.xlsx", "merge_whole_sheet.xlsx",
                                  "merges_many.xlsx"])
def test_every_writer_ends_without_an_internal_error(name: str, seed_book_path: Path,
                                                     tmp_path: Path) -> None:
    path = _make(name, seed_book_path, tmp_path)
    before = _merges_by_sheet(path)[SHEET]
    for command in (["fill"], ["add-project", "--name", "新项目"], ["consolidate"],
                    ["accept", "--list"], ["clear-marks"]):
        done = _cli(command[0], path, *command[1:])
        assert done.returncode in (0, 1, 2), (command, done.stderr)
        assert "内部错误" not in done.stderr and "Traceback" not in done.stderr, command
    assert _merges_by_sheet(path)[SHEET] == before
    assert not list(tmp_path.glob(".~xl-addin.*.lock"))


def test_review_reads_every_case_through_calamine(seed_book_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in CASES:
        _make(name, seed_book_path, folder)
    done = _cli("review", folder, "--json")
    assert done.returncode == 1, done.stderr
    codes = {(f["file"], f["code"]) for f in json.loads(done.stdout)["findings"]}
    for name in CASES:
        assert (name, ROUND_TWO[name].says) in codes


def test_both_engines_read_a_whole_sheet_merge_as_one_cell(seed_book_path: Path,
                                                           tmp_path: Path) -> None:
    """What a merge hides shows nothing: openpyxl's reading (MergedCells read empty) is
    the rule, and calamine, which returns the hidden values, is made to agree."""
    path = _make("merge_whole_sheet.xlsx", seed_book_path, tmp_path)
    for engine in (FileBook, CalamineBook):  # A1's title is a formula calamine reads empty
        assert {(r, c) for r, c, _ in engine(path).read(SHEET).cells()} <= {(1, 1)}, engine


def test_a_grid_looks_up_a_huge_merge_without_expanding_it() -> None:
    grid = Grid("表", [["标题", None], [None, "藏起来"]], [(1, 1, 1048576, 16384)])
    assert grid.covered() == {(1, 2), (2, 1), (2, 2)}
    assert grid.anchor(900000, 9000) == (1, 1)
    assert grid.merge_end(1, 1) == (1048576, 16384)


def test_an_overlapped_top_left_cell_leads_to_the_cell_that_shows() -> None:
    grid = Grid("表", [[None] * 6 for _ in range(16)], [(12, 2, 14, 4), (13, 3, 15, 5)])
    assert grid.anchor(13, 3) == (12, 2)
    assert grid.anchor(15, 5) == (12, 2)
    assert grid.anchor(16, 6) == (16, 6)


def test_a_style_on_a_merged_cell_is_left_out(seed_copy: Path) -> None:
    """A record older than the user's merge restores a cell now hidden: no exception,
    and the hidden cell gets nothing (openpyxl's MergedCell cannot take a note)."""
    from openpyxl.cell.cell import MergedCell

    from xl_addin.core.patch import CellState, StyleCells

    book = FileBook(seed_copy)
    assert isinstance(book.wb[SHEET]["E11"], MergedCell)  # D11:E11, the 描述 of row 11
    patch = Patch()
    patch.ops.append(StyleCells(SHEET, {(11, 5): CellState("FFC7CE", "旧的批注"),
                                        (11, 3): CellState("FFC7CE", "看得见")}))
    book.apply(patch)
    assert book.wb[SHEET]["C11"].comment.text == "看得见"
    assert book.wb[SHEET]["D11"].comment is None


def test_a_finding_on_a_hidden_cell_is_marked_where_it_shows(seed_copy: Path) -> None:
    from xl_addin.actions.marks import mark_patch
    from xl_addin.core.findings import Finding

    book = FileBook(seed_copy)
    hidden = Finding(type="vague-value", code="V802", severity="warning",
                     message="描述写在被合并的格里", sheet=SHEET, cell="E11")
    shown = Finding(type="vague-value", code="V802", severity="error",
                    message="描述本身", sheet=SHEET, cell="D11")
    book.apply(mark_patch(book, [hidden, shown]))
    note = book.wb[SHEET]["D11"].comment.text
    assert "描述写在被合并的格里" in note and "描述本身" in note


@pytest.mark.parametrize("name", ["merges_overlap_body.xlsx", "merge_whole_sheet.xlsx"])
def test_submit_refuses_tangled_merges_even_when_forced(name: str, seed_book_path: Path,
                                                        tmp_path: Path) -> None:
    """LibreOffice writes a whole-sheet merge back as ``ref="1:1048576"``, which openpyxl
    cannot read (TypeError, exit 3), and drops overlapping ones: nothing is built."""
    path = _make(name, seed_book_path, tmp_path)
    data = path.read_bytes()
    done = _cli("submit", "--force", "-o", tmp_path / "out", path)
    assert done.returncode == 2, done.stderr
    assert "即使加 --force 也未提交" in done.stderr and "合并区域" in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert path.read_bytes() == data


def test_import_refuses_a_document_with_a_whole_sheet_merge(seed_book_path: Path,
                                                            tmp_path: Path) -> None:
    """The importer indexes every merged cell of a document it reads: it refuses instead
    of indexing 17 billion."""
    path = _make("merge_whole_sheet.xlsx", seed_book_path, tmp_path)
    done = _cli("import", path, "-o", tmp_path / "imported.xlsx")
    assert done.returncode == 2, done.stderr
    assert "合并区域 A1:XFD1048576 覆盖 17179869184 个单元格" in done.stderr
    assert not (tmp_path / "imported.xlsx").exists()


def test_the_department_sheet_is_checked_too(seed_book_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from xl_addin.forms.book import read_model

    path = tmp_path / "dept.xlsx"
    wb = load_workbook(seed_book_path)
    ws = wb["部门整体绩效目标"]
    ws.merge_cells("A30:C31")
    ws.merge_cells("B31:D32")
    wb.save(path)
    found = [f for f in read_model(FileBook(path)).problems if f.code == "S002"]
    assert [(f.sheet, f.cell) for f in found] == [("部门整体绩效目标", "A30")]
    assert "A30:C31 与 B31:D32" in found[0].message
