"""Plan cells holding 25 / 50 / 75 / 100 where a percent cell holds 0.25 … 1: read as the
clerk meant only when that is unambiguous, with an info; otherwise an error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xl_addin.actions.consolidate import consolidate_book
from xl_addin.actions.workbook import validate_book
from xl_addin.core.cellvalues import read_plan
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model

D = Decimal


@pytest.mark.parametrize(
    ("raws", "values", "written", "scaled"),
    [
        # a percent cell as Excel writes it: fractions
        ((0.25, 0.5, 0.75, 1), (25, 50, 75, 100), {}, {}),
        # pasted percents: all in 0–100, one above 1 → meant as percents, recorded
        ((25, 50, 75, 100), (25, 50, 75, 100), {}, {"mar": "25", "jun": "50", "oct": "75",
                                                    "dec": "100"}),
        ((0, 30, 70, 100), (0, 30, 70, 100), {}, {"jun": "30", "oct": "70", "dec": "100"}),
        # text with % says what it means; a bare number beside it follows the group rule
        (("25%", 50, None, "100%"), (25, 50, None, 100), {}, {"jun": "50"}),
        # one number beyond 100: neither reading is safe for the numbers above 1
        ((25, 50, 75, 150), (None,) * 4, {"mar": "25", "jun": "50", "oct": "75",
                                           "dec": "150"}, {}),
        ((0.25, 0.5, 0.75, 150), (25, 50, 75, None), {"dec": "150"}, {}),
        # text that is no number
        (("一季度", 0.5, 0.75, 1), (None, 50, 75, 100), {"mar": "一季度"}, {}),
        ((None, None, None, None), (None,) * 4, {}, {}),
    ],
)
def test_read_plan(raws, values, written, scaled) -> None:
    got = read_plan(dict(zip(("mar", "jun", "oct", "dec"), raws, strict=True)))
    assert [None if v is None else float(v) for v in got.values.values()] == [
        None if v is None else float(v) for v in values]
    assert got.written == written
    assert got.scaled == scaled


def _set_plan(path: Path, sheet: str, values: tuple[object, ...]) -> None:
    with FileBook.for_update(path) as book:
        project = next(p for p in read_model(book).model.projects if p.sheet == sheet)
        ws = book.worksheet(sheet)
        for key, value in zip(("mar", "jun", "oct", "dec"), values, strict=True):
            ws[project.cells[key]].value = value
        book.save()


def test_pasted_percents_are_an_info_and_sum_as_meant(seed_copy: Path) -> None:
    sheet = "车辆保险费"
    _set_plan(seed_copy, sheet, (25, 50, 75, 100))
    book = FileBook(seed_copy)
    on_sheet = [f for f in validate_book(book).findings if f.sheet == sheet
                and f.code in ("V203", "V204", "V206")]
    assert [(f.code, f.severity, f.cell, f.suggestion) for f in on_sheet] == [
        ("V206", "info", "B8", "25%、50%、75%、100%")]
    assert "2500%" in on_sheet[0].message and "按25%、50%、75%、100%理解" in on_sheet[0].message
    row = consolidate_book(book).frame.set_index("工作表").loc[sheet]
    assert row["3月底计划支出"] == D("0.10") and row["12月底计划支出"] == D("0.40")


def test_ambiguous_plan_numbers_are_errors(seed_copy: Path) -> None:
    sheet = "车辆保险费"
    _set_plan(seed_copy, sheet, (25, 50, 75, 150))
    findings = [f for f in validate_book(FileBook(seed_copy)).findings if f.sheet == sheet
                and f.code.startswith("V20")]
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("V203", "error", c) for c in ("B8", "D8", "E8", "F8")]
    assert "无法确定本意是150%还是15000%" in findings[-1].message
