"""The live engine on xlwings' remote engine: it reads what the file engine reads, applies
every patch operation as the file engine does, in few writes, and only on commit; and
its desktop-only helpers (checked with stand-ins for Excel's COM objects).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl.utils import get_column_letter as col

from tests.remote_excel import Applier, actions, cached_payload, remote_book, state
from xl_addin.actions.serialize import contents_dict
from xl_addin.core.model import Indicator, Project
from xl_addin.core.patch import (
    CellState,
    DeleteSheet,
    FitRows,
    Formula,
    GrowRows,
    Patch,
    SetCells,
    StyleCells,
    WriteTable,
)
from xl_addin.engines import live_desktop
from xl_addin.engines.file import FileBook
from xl_addin.engines.live import LiveBook
from xl_addin.engines.xlvalues import from_excel, needs_quote, rectangles, to_excel
from xl_addin.forms import project_sheet
from xl_addin.forms.book import read_model

SHEET = "车辆保险费"


def live(seed: Path, client: str) -> LiveBook:
    return LiveBook(remote_book(cached_payload(seed, client, SHEET, constant_names=True)))


@pytest.mark.parametrize("client", ["VBA", "Office.js"])
def test_reads_what_the_file_engine_reads(seed_book_path, client) -> None:
    book, file = live(seed_book_path, client), FileBook(seed_book_path)
    assert book.sheet_names() == file.sheet_names()
    assert contents_dict(read_model(book)) == contents_dict(read_model(file))
    for name in file.sheet_names():
        a, b = book.read(name), file.read(name)
        formulas = {(r, c) for r, c, v in b.cells() if isinstance(v, str) and v.startswith("=")}
        assert ({(r, c): v for r, c, v in a.cells() if (r, c) not in formulas}
                == {(r, c): v for r, c, v in b.cells() if (r, c) not in formulas}), name
        # Excel sends what a formula shows, the file engine its text
        assert all(a.get(r, c) == f"{SHEET}绩效目标表" for r, c in formulas if name == SHEET)
    if client == "Office.js":  # the VBA client does not send sheet visibility
        assert [n for n in book.sheet_names() if book.is_hidden(n)] == ["项目模板", "参数"]
    assert book.defined_name("XL_ADDIN_TEMPLATE") == file.defined_name("XL_ADDIN_TEMPLATE")


def _request(client: str, values: list[list[object]]) -> dict[str, Any]:
    import xlwings

    return {"client": client, "version": xlwings.__version__,
            "book": {"name": "b.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": [{"name": "S", "values": values, "pictures": [],
                                     "tables": [], "visibility": "Visible", "notes": []}]}


@pytest.mark.parametrize(("client", "empty"), [("VBA", None), ("Office.js", "")])
def test_values_are_normalised_for_each_client(client, empty) -> None:
    """A 21-digit code the VBA client sends as a number, whole numbers, ISO dates and
    empty cells read as the file engine reads them."""
    values = [[130303221234567890123 if client == "VBA" else "130303221234567890123", 25,
               0.4, "2022-03-31T00:00:00.000Z", empty]]
    grid = LiveBook(remote_book(_request(client, values))).read("S")
    assert grid.values == [["130303221234567890123", 25, 0.4, dt.datetime(2022, 3, 31), None]]


def test_value_helpers() -> None:
    assert [needs_quote(t) for t in ("=19人", "0.40", "25%", "2022-1-1", "TRUE", "≥95%",
                                     "产出指标", "12月底", "13030322P00397010017P")] == [
        True, True, True, True, True, False, False, False, False]
    assert to_excel("=19人") == "'=19人" and to_excel(Formula("=A1")) == "=A1"
    assert to_excel("数量指标") == "数量指标" and to_excel(None) is None
    assert from_excel(7.0) == 7 and isinstance(from_excel(7.0), int) and from_excel("") is None
    block = {(r, c) for r in range(11, 41) for c in (1, 2, 3, 4, 6, 7)}
    assert rectangles(block) == [(11, 1, 40, 4), (11, 6, 40, 7)]  # 180 cells, 2 writes
    assert rectangles({(1, 1), (1, 2), (3, 1), (2, 5)}) == [(1, 1, 1, 2), (2, 5, 2, 5),
                                                            (3, 1, 3, 1)]


def _every_op(book: Any) -> Patch:
    """One patch using every operation, as the actions use them."""
    grid = book.read(SHEET)
    last = grid.n_rows
    return Patch([
        SetCells(SHEET, {(last + 1, 1): "产出指标", (last + 1, 2): "数量指标",
                         (last + 1, 3): "新指标", (last + 1, 4): "描述", (last + 1, 6): "=19人",
                         (last + 1, 7): "计划标准", (4, 2): None, (2, 1): Formula('="单位"')}),
        GrowRows(SHEET, last, last + 1, 1),
        FitRows(SHEET, [6, last + 1]),
        StyleCells(SHEET, {(3, 2): CellState("FFC7CE", "编码有误"),
                           (5, 3): CellState("FFEB9C", "")}),
        WriteTable("结果", ["序号", "单元格"], [[1, "B3"], [2, "C5"]],
                   {(2, 2): f"'{SHEET}'!B3"}, [6, 8], after="汇总"),
        WriteTable("_记录", ["a"], [["x"]], hidden=True),
        DeleteSheet("说明"),
    ])


def test_every_patch_operation_as_the_file_engine(seed_book_path) -> None:
    book = live(seed_book_path, "Office.js")
    book.copy_sheet("项目模板", "新项目", before="项目模板")
    patch = _every_op(book)
    book.apply(patch)
    assert book.read(SHEET).get(4, 2) is None and "结果" in book.sheet_names()  # read back
    assert actions(book.xw) == []  # nothing written before commit
    book.commit()
    applied = Applier(seed_book_path).play(actions(book.xw))

    file = FileBook(seed_book_path)
    file.copy_sheet("项目模板", "新项目", before="项目模板")
    file.apply(_every_op(file))
    assert state(applied.wb) == state(file.wb)
    cell = applied.wb[SHEET].cell(file.read(SHEET).n_rows, 6)
    assert (cell.value, cell.data_type) == ("=19人", "s")  # text, not a formula
    assert applied.wb[SHEET]["A2"].value == '="单位"'  # a formula
    assert max(applied.writes.values()) <= 14  # as in test_ribbon: a small constant
    assert book.read(SHEET).get(4, 2) is None


def test_fill_inserting_a_row_as_the_file_engine(seed_book_path) -> None:
    """The seed's car sheet lacks its cost row: fill inserts it under the output rows
    (Excel's own row insertion on the live engine) and both engines agree."""
    from xl_addin.actions.fill import fill_book
    from xl_addin.rules.profiles import load as load_profile

    book = live(seed_book_path, "Office.js")
    [result] = fill_book(book, load_profile("2015"), SHEET)
    assert [i.level2 for i in result.added] == ["成本指标"]
    book.commit()
    todo = actions(book.xw)
    assert [a["func"] for a in todo].count("rangeInsert") == 1
    applied = Applier(seed_book_path).play(todo)
    file = FileBook(seed_book_path)
    fill_book(file, load_profile("2015"), SHEET)
    assert state(applied.wb) == state(file.wb)
    assert book.read(SHEET).values[9:] == file.read(SHEET).values[9:]  # the indicator rows


def test_add_project_writes_a_constant_number_of_blocks(seed_book_path) -> None:
    """Rendering a project with 40 indicator rows costs the writes of one with 4, plus
    one copy of the template row for all the added rows (and clearing its values)."""
    counts = []
    for n in (4, 40):
        book = live(seed_book_path, "Office.js")
        book.copy_sheet("项目模板", "P", before="项目模板")
        indicators = [Indicator("产出指标", "数量指标", f"指标{i}", "描述", "=1人", "计划标准")
                      for i in range(n)]
        book.apply(project_sheet.render(Project(name="P", indicators=indicators), "P"))
        book.commit()
        counts.append(Counter(a["func"] for a in actions(book.xw)))
    assert counts[1] - counts[0] == Counter({"copyRange": 1, "rangeClearContents": 1})
    assert counts[0]["setValues"] <= 10  # header fields in 8 blocks, the table in 2


# ------------------------------------------------------------ desktop-only helpers

class FakeApp:
    def __init__(self) -> None:
        self.screen_updating, self.calculation, self.status_bar = True, "automatic", "x"


def test_quiet_restores_excel_even_when_writing_fails() -> None:
    app = FakeApp()
    with pytest.raises(RuntimeError), live_desktop.quiet(app):
        assert (app.screen_updating, app.calculation) == (False, "manual")
        raise RuntimeError
    assert (app.screen_updating, app.calculation, app.status_bar) == (True, "automatic", False)


def test_protection_is_put_back_as_found() -> None:
    calls: list[dict[str, Any]] = []
    allow = {flag: flag in ("AllowInsertingRows", "AllowDeletingRows")
             for flag in live_desktop._ALLOW_FLAGS}
    sheet = SimpleNamespace(ProtectContents=True, ProtectDrawingObjects=True,
                            ProtectScenarios=False, Protection=SimpleNamespace(**allow),
                            Protect=lambda **kw: calls.append(kw))
    live_desktop.Protection.of(sheet).restore(sheet, "pw")
    assert calls == [{"DrawingObjects": True, "Contents": True, "Scenarios": False, **allow,
                      "Password": "pw"}]
    unprotected = SimpleNamespace(ProtectContents=False)
    live_desktop.Protection.of(unprotected).restore(unprotected, "")  # nothing to call


class FakeSheet:
    """Just enough of Excel's Worksheet for ``merged_areas``.  Its Find by format returns
    every cell of a merged area (the worst case), row by row, wrapping round."""

    def __init__(self, areas: list[tuple[int, int, int, int]]) -> None:
        self.areas = areas
        self.cells = sorted((r, c, a) for a in areas for r in range(a[0], a[2] + 1)
                            for c in range(a[1], a[3] + 1))
        self.Application = SimpleNamespace(FindFormat=SimpleNamespace(Clear=lambda: None))
        self.finds = 0

    def Cells(self, r: int, c: int) -> tuple[int, int]:
        return (r, c)

    def Range(self, a: Any, b: Any) -> Any:
        return SimpleNamespace(MergeCells=None if self.areas else False, Find=self._find)

    def _find(self, After: tuple[int, int], **_: Any) -> Any:
        self.finds += 1
        r, c, (r1, c1, r2, c2) = next((x for x in self.cells if x[:2] > After), self.cells[0])
        return SimpleNamespace(Address=f"${col(c)}${r}", MergeArea=SimpleNamespace(
            Address=f"${col(c1)}${r1}:${col(c2)}${r2}"))


def test_merged_areas_cost_a_find_per_area_and_row() -> None:
    areas = sorted(project_sheet.MERGES + [(r, 4, r, 5) for r in range(11, 23)])
    sheet = FakeSheet(areas)
    assert live_desktop.merged_areas(sheet, 22, 7) == areas
    rows_of_areas = sum(a[2] - a[0] + 1 for a in areas)
    assert sheet.finds == rows_of_areas + 1  # the last one finds the first cell again
    assert live_desktop.merged_areas(FakeSheet([]), 22, 7) == []


def test_address_chunks_fit_excel_range_argument() -> None:
    cells = [f"F{r}" for r in range(1, 200)]
    chunks = live_desktop.address_chunks(cells)
    assert all(len(c) <= live_desktop.MAX_ADDRESS for c in chunks)
    assert ",".join(chunks).split(",") == cells and len(chunks) < 10
