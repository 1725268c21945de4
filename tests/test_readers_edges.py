"""The readers' edge cases, each on a small document made here: the HTML table
algorithm (rowspan="0", overlaps, nested tables, layout tables, charsets), workbook
values and blocks, and grid columns that no cell edge separates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from openpyxl import Workbook

from xl_addin.documents.importers.blocks import Paragraph, Table
from xl_addin.documents.importers.docx_reader import read_docx
from xl_addin.documents.importers.html_reader import decode_html, html_blocks
from xl_addin.documents.importers.sheet_reader import cell_text, read_sheets


def _html(body: str) -> list:
    return html_blocks(f"<html><body>{body}</body></html>", "页面.html")


def _only_table(blocks: list) -> Table:
    [table] = [b for b in blocks if isinstance(b, Table)]
    return table


def test_rowspan_zero_reaches_the_last_row_and_spans_are_capped() -> None:
    table = _only_table(_html(
        '<table><tr><td rowspan="0">产出指标</td><td>数量</td></tr>'
        '<tr><td>质量</td></tr><tr><td rowspan="9">时效</td></tr></table>'))
    assert table.grid == [["产出指标", "数量"], ["产出指标", "质量"], ["产出指标", "时效"]]
    assert table.rows == [["产出指标", "数量"], ["", "质量"], ["", "时效"]]


def test_overlapping_spans_keep_the_first_cell() -> None:
    """A colspan running into a rowspan from above: the earlier cell keeps the spot."""
    table = _only_table(_html(
        '<table><tr><td>甲</td><td rowspan="2">乙</td></tr>'
        '<tr><td colspan="2">丙</td><td colspan="x">丁</td></tr></table>'))
    assert table.grid == [["甲", "乙", ""], ["丙", "乙", "丁"]]


def test_lines_nested_tables_and_what_is_not_content() -> None:
    blocks = _html(
        "<style>td{color:red}</style><script>document.write('广告')</script>"
        "<h2>2023年项目支出<br>绩效目标表</h2><!-- 注释 -->"
        "<table><tr><td>绩效目标</td><td>1.甲<br>2.乙<table><tr><td>3.丙</td><td>说明</td>"
        "</tr></table></td></tr></table><p>单位：&nbsp;元</p>")
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "2023年项目支出", "绩效目标表", "单位： 元"]
    assert _only_table(blocks).rows == [["绩效目标", "1.甲\n2.乙\n3.丙\t说明"]]


def test_a_layout_table_is_looked_through() -> None:
    inner = "".join(f"<tr><td>{r}1</td><td>{r}2</td><td>{r}3</td></tr>" for r in "甲乙丙")
    blocks = _html(f"<table><tr><td><p>标题</p><table>{inner}</table></td></tr></table>")
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "标题"
    assert _only_table(blocks).grid == [["甲1", "甲2", "甲3"], ["乙1", "乙2", "乙3"],
                                        ["丙1", "丙2", "丙3"]]


def test_a_source_line_break_between_chinese_characters_is_no_space() -> None:
    table = _only_table(_html("<table><tr><td>农村人居\n  环境整治 经费</td></tr></table>"))
    assert table.grid == [["农村人居环境整治 经费"]]


def test_charsets_from_the_bytes() -> None:
    page = '<html><head><meta charset="gb2312"></head><body>{}</body></html>'
    # 䶮 is not in GB2312 nor GBK: pages declared gb2312 still hold such names
    assert "刘䶮" in decode_html(page.format("刘䶮").encode("gb18030"))
    assert "预算" in decode_html("<p>预算</p>".encode("gbk"))  # no declaration, not UTF-8
    assert "预算" in decode_html("\ufeff<p>预算</p>".encode())


def test_numbers_read_as_written() -> None:
    assert [cell_text(v) for v in (3309840.0, 330.984, 0.1 + 0.2, 25, True, None)] == [
        "3309840", "330.984", "0.3", "25", "TRUE", ""]
    assert cell_text(dt.datetime(2023, 1, 31)) == "2023-01-31"
    assert cell_text(" 1.甲  \r\n\r\n2.乙 ") == " 1.甲\n2.乙"


def test_a_workbook_sheet_by_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目一"
    ws["A1"] = "2023年项目支出绩效目标申报表"
    ws.merge_cells("A1:D1")
    ws["D2"] = "单位：元"
    ws.append(["项目名称", "城乡低保", None, None])
    ws.merge_cells("B3:D3")
    ws.append(["预算数", 3309840.0, "其中：财政", 330.984])
    ws.append([])
    ws.append(["一级指标", "三级指标"])  # a narrower table below a blank row
    ws.append(["产出指标", "人数"])
    hidden = wb.create_sheet("下拉列表")
    hidden["A1"] = "计划标准"
    hidden.sheet_state = "hidden"
    path = tmp_path / "表.xlsx"
    wb.save(path)

    blocks = read_sheets(path)
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "2023年项目支出绩效目标申报表", "单位：元"]
    first, second = (b for b in blocks if isinstance(b, Table))
    assert first.grid == [["项目名称", "城乡低保", "城乡低保", "城乡低保"],
                          ["预算数", "3309840", "其中：财政", "330.984"]]
    assert first.rows == [["项目名称", "城乡低保"], ["预算数", "3309840", "其中：财政", "330.984"]]
    assert second.grid == [["一级指标", "三级指标"], ["产出指标", "人数"]]
    assert first.where == second.where == "工作表“项目一”"


def test_a_grid_column_no_edge_separates_is_not_a_column(tmp_path: Path) -> None:
    """Word documents often hold a sliver column merged over in every row (a table
    edited by hand); the page shows no such column, and neither does the grid."""
    doc = docx.Document()
    table = doc.add_table(rows=2, cols=3)
    for r, (label, value) in enumerate([("项目名称", "车辆保险费"), ("预算数", "0.40")]):
        table.cell(r, 0).text = label
        table.cell(r, 1).merge(table.cell(r, 2)).text = value
    doc.save(tmp_path / "窄列.docx")
    [read] = [b for b in read_docx(tmp_path / "窄列.docx") if isinstance(b, Table)]
    assert read.rows == [["项目名称", "车辆保险费"], ["预算数", "0.40"]]
    assert read.grid == [["项目名称", "车辆保险费"], ["预算数", "0.40"]]
