"""Marks in the workbook: repeatable, reversible, and a user's own fills and notes survive."""

from __future__ import annotations

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from tests.xlsx_compare import differing_parts
from xl_addin.actions.marks import (
    RECORD_SHEET,
    RESULTS_HEADER,
    RESULTS_SHEET,
    clear_patch,
    mark_patch,
    results_rows,
)
from xl_addin.actions.results_overview import HEADER as OVERVIEW_HEADER
from xl_addin.core.findings import TYPE_TITLES, Finding
from xl_addin.engines.file import FileBook
from xl_addin.engines.memory import MemoryBook

SHEET = "车辆保险费"
FINDINGS = [
    Finding("yes-no-value", "T1", "error", "指标值不能写“是/否”。", SHEET, "F14",
            project_name=SHEET, indicator="长期使用性"),
    Finding("vague-indicator", "T2", "warning", "三级指标过于笼统。", SHEET, "C14",
            project_name=SHEET, indicator="长期使用性"),
    Finding("threshold", "T3", "warning", "满意度目标偏低。", SHEET, "F14"),
    Finding("missing-category", "T4", "error", "缺少成本指标。", SHEET, "", field="成本指标"),
]


def _header_row(ws) -> int:
    return next(r for r in range(1, ws.max_row + 1)
                if [c.value for c in ws[r]][:8] == RESULTS_HEADER)


def _mark(path, findings=FINDINGS) -> None:
    book = FileBook(path)
    book.apply(mark_patch(book, findings))
    book.save(backup=False)


def _clear(path) -> None:
    book = FileBook(path)
    book.apply(clear_patch(book))
    book.save(backup=False)


def _user_edits(path) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws["C14"].fill = PatternFill("solid", fgColor="CCE5FF")
    ws["C14"].comment = Comment("我自己的批注", "用户")
    ws["G15"].fill = PatternFill("solid", fgColor="00FF00")
    wb.save(path)


def test_marks_colour_note_and_list(seed_copy) -> None:
    _mark(seed_copy)
    wb = load_workbook(seed_copy)
    ws = wb[SHEET]
    assert ws["F14"].fill.fgColor.rgb.endswith("FFC7CE")  # the worst: error, red
    assert "是/否" in ws["F14"].comment.text and "偏低" in ws["F14"].comment.text
    assert ws["C14"].fill.fgColor.rgb.endswith("FFEB9C")  # warning, yellow
    results = wb[RESULTS_SHEET]
    head = _header_row(results)
    assert [c.value for c in results[head]] == ["序号", "工作表", "单元格", "项目", "类型",
                                                "级别", "说明", "建议"]
    assert results.max_row == head + len(FINDINGS)
    assert results[f"C{head + 1}"].hyperlink.location == f"'{SHEET}'!F14"
    assert results.print_title_rows == f"${head}:${head}"  # the list's header on every page
    assert results.auto_filter.ref == f"A{head}:H{head + len(FINDINGS)}"
    assert wb[RECORD_SHEET].sheet_state == "veryHidden"


def test_marking_twice_equals_marking_once(seed_copy, tmp_path) -> None:
    _user_edits(seed_copy)
    once = tmp_path / "once.xlsx"
    _mark(seed_copy)
    once.write_bytes(seed_copy.read_bytes())
    _mark(seed_copy)
    assert differing_parts(once, seed_copy) == []


def test_user_fill_and_note_survive_mark_and_clear(seed_copy) -> None:
    _user_edits(seed_copy)
    _mark(seed_copy)
    ws = load_workbook(seed_copy)[SHEET]
    assert ws["C14"].comment.text.startswith("我自己的批注")  # kept inside the marked note
    assert ws["G15"].fill.fgColor.rgb.endswith("00FF00")  # untouched cell
    _mark(seed_copy, FINDINGS[:1])  # C14 no longer has a finding: its own state comes back
    ws = load_workbook(seed_copy)[SHEET]
    assert ws["C14"].fill.fgColor.rgb.endswith("CCE5FF")
    assert ws["C14"].comment.text == "我自己的批注"
    _clear(seed_copy)
    wb = load_workbook(seed_copy)
    ws = wb[SHEET]
    assert ws["F14"].fill.fill_type is None and ws["F14"].comment is None
    assert ws["C14"].fill.fgColor.rgb.endswith("CCE5FF")
    assert RESULTS_SHEET not in wb.sheetnames and RECORD_SHEET not in wb.sheetnames


def test_links_to_sheets_with_an_apostrophe(seed_copy) -> None:
    wb = load_workbook(seed_copy)
    wb[SHEET].title = "公车'保险"
    wb.save(seed_copy)
    _mark(seed_copy, [Finding("yes-no-value", "T1", "error", "是/否", "公车'保险", "F14")])
    ws = load_workbook(seed_copy)[RESULTS_SHEET]
    assert ws[f"C{_header_row(ws) + 1}"].hyperlink.location == "'公车''保险'!F14"
    assert ws["D3"].hyperlink.location == "'公车''保险'!F14"  # the 校验概要's 首条
    assert ws["E3"].hyperlink.location == "'公车''保险'!A1"  # and its sheet


def test_one_sheet_validation_keeps_the_other_sheets_marks(seed_copy) -> None:
    other = Finding("yes-no-value", "T1", "error", "另一张表的问题。", "社区工作经费", "F14")
    _mark(seed_copy, [*FINDINGS, other])
    book = FileBook(seed_copy)
    book.apply(mark_patch(book, [FINDINGS[1]], scope=SHEET))  # this sheet only: F14 fixed
    book.save(backup=False)
    wb = load_workbook(seed_copy)
    assert wb[SHEET]["F14"].fill.fill_type is None  # fixed here: mark gone
    assert wb[SHEET]["C14"].fill.fgColor.rgb.endswith("FFEB9C")
    assert wb["社区工作经费"]["F14"].fill.fgColor.rgb.endswith("FFC7CE")  # untouched
    values = [[c.value for c in r] for r in wb[RESULTS_SHEET].iter_rows()]
    assert [(r[1], r[2]) for r in results_rows(values)] == [(SHEET, "C14"), ("社区工作经费", "F14")]
    assert "共 2 条（错误 1，警告 1，提示 0）" in values[0][0]  # counted over both sheets
    assert [r[4:7] for r in values[2:4]] == [[SHEET, 1, "错误 0，警告 1，提示 0"],
                                             ["社区工作经费", 1, "错误 1，警告 0，提示 0"]]
    _clear(seed_copy)
    assert load_workbook(seed_copy)["社区工作经费"]["F14"].fill.fill_type is None


def test_a_clean_validation_restores_the_cells_and_says_so(seed_copy) -> None:
    """Marks of an earlier validation go, 校验结果 says 未发现问题, and the 汇总 then
    counts 0 errors (the sheet's absence would mean "never validated")."""
    before = load_workbook(seed_copy)[SHEET]["F14"].fill.fgColor.rgb
    _mark(seed_copy)
    _mark(seed_copy, [])
    wb = load_workbook(seed_copy)
    assert wb[SHEET]["F14"].fill.fgColor.rgb == before and wb[SHEET]["F14"].comment is None
    rows = [[c.value for c in r] for r in wb[RESULTS_SHEET].iter_rows(min_row=2)]
    assert len(rows) == 1 and rows[0][6].startswith("未发现问题（校验时间 20")


def _overview(values: list[list[object]]) -> list[list[object]]:
    """The 校验概要 rows above the list's header (without the blank row)."""
    return [list(r) for r in values[:values.index(RESULTS_HEADER) - 1]]


def test_the_overview_counts_by_type_and_by_sheet(seed_copy) -> None:
    """Types errors first, then the most frequent; each with the cell of its first
    finding (a link); sheets in the book's order with their counts by severity."""
    other = [Finding("yes-no-value", "T1", "error", "另一张表的问题。", "社区工作经费", c)
             for c in ("F11", "F12")]
    names = load_workbook(seed_copy, read_only=True).sheetnames
    assert names.index(SHEET) < names.index("社区工作经费")
    book = FileBook(seed_copy)
    book.apply(mark_patch(book, [*other, *FINDINGS], TYPE_TITLES))  # the list sorts them
    book.save(backup=False)
    ws = load_workbook(seed_copy)[RESULTS_SHEET]
    top = _overview([[c.value for c in r] for r in ws.iter_rows()])
    assert top[0][0].startswith("校验概要：共 6 条（错误 4，警告 2，提示 0），涉及 2 张工作表")
    assert top[1][:7] == OVERVIEW_HEADER
    assert [r[:4] for r in top[2:]] == [
        ["错误", "指标值为是/否", 3, f"{SHEET}!F14"],
        ["错误", "缺少指标类别", 1, SHEET],  # a finding of the sheet, not of a cell
        ["警告", "指标过于笼统", 1, f"{SHEET}!C14"],
        ["警告", "目标值不合常规", 1, f"{SHEET}!F14"],
    ]
    assert [r[4:7] for r in top[2:]] == [[SHEET, 4, "错误 2，警告 2，提示 0"],
                                         ["社区工作经费", 2, "错误 2，警告 0，提示 0"],
                                         [None] * 3, [None] * 3]
    assert [ws[f"D{r}"].hyperlink.location for r in range(3, 7)] == [
        f"'{SHEET}'!F14", f"'{SHEET}'!A1", f"'{SHEET}'!C14", f"'{SHEET}'!F14"]
    assert ws["E4"].hyperlink.location == "'社区工作经费'!A1"


def test_the_memory_engine_holds_the_sheet_the_file_engine_writes(seed_copy) -> None:
    file_book = FileBook(seed_copy)
    memory = MemoryBook.from_book(file_book)
    for book in (file_book, memory):
        book.apply(mark_patch(book, FINDINGS))
    written = [[c for c in row] for row in file_book.read(RESULTS_SHEET).values]
    held = memory.read(RESULTS_SHEET).values
    assert _overview(held) == [r[:len(h)] for r, h in zip(_overview(written), _overview(held),
                                                           strict=True)]
    assert results_rows(held) == results_rows(written)
    assert len(results_rows(held)) == len(FINDINGS)
