"""The streaming .xlsx writer: what it writes reads back the same in openpyxl, calamine
and LibreOffice, with its styles, frozen header, widths and filters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from xl_addin.documents.exporters.xlsx_stream import StreamBook, Style
from xl_addin.documents.libreoffice import convert

ODD_NAME = "甲&乙'单位"
ROWS = [
    ["=SUM(A1:A2)", 7, 0.4, Decimal("1234567.89"), None, "a<b>&\"c\"", "坏\x07字", "  空格  "],
    ["多行\n文字", -3, 1e-7, Decimal("0.10"), "", True, "\u4e2d", "x"],
]
EXPECTED = [
    ["=SUM(A1:A2)", 7, 0.4, 1234567.89, None, "a<b>&\"c\"", "坏字", "  空格  "],
    ["多行\n文字", -3, 1e-7, 0.1, None, True, "中", "x"],
]
HEADER = [f"列{i}" for i in range(1, 9)]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = tmp_path_factory.mktemp("stream") / "out.xlsx"
    book = StreamBook("宋体", 10, "0.00")
    data = book.add_sheet("数据", [10, 20, 8, 14, 5, 12, 9, 9], HEADER, autofilter=True)
    for row in ROWS:
        data.append(row, [Style.PLAIN, Style.PLAIN, Style.PLAIN, Style.MONEY] + [0] * 4)
    data.append(["合计", None, None, Decimal("1234567.99")], [Style.BOLD] * 3 + [Style.BOLD_MONEY])
    book.add_sheet(ODD_NAME, [30], ["单位"], at=0).append(["甲"])
    book.save(path, what="测试")
    return path


def test_values_and_types_read_back_in_openpyxl(written) -> None:
    wb = load_workbook(written)
    assert wb.sheetnames == [ODD_NAME, "数据"]
    rows = [list(r) for r in wb["数据"].iter_rows(values_only=True)]
    assert rows[0] == HEADER and rows[1:3] == EXPECTED
    assert rows[3][:4] == ["合计", None, None, 1234567.99]
    assert wb["数据"]["A2"].data_type == "s"  # never a formula


def test_styles_view_and_filter(written) -> None:
    ws = load_workbook(written)["数据"]
    header, money, total = ws["A1"], ws["D2"], ws["D4"]
    assert header.font.b and header.fill.fgColor.rgb == "FFD9D9D9" and header.font.name == "宋体"
    assert money.number_format == "0.00" and not money.font.b
    assert total.font.b and total.number_format == "0.00" and ws["A4"].font.b
    assert ws.freeze_panes == "A2"
    assert [ws.column_dimensions[c].width for c in "ABD"] == [10, 20, 14]
    assert ws.auto_filter.ref == "A1:H4"


def test_calamine_reads_the_same(written) -> None:
    rows = CalamineWorkbook.from_path(str(written)).get_sheet_by_name("数据").to_python()
    assert rows[1][:4] == ["=SUM(A1:A2)", 7, 0.4, 1234567.89]
    assert rows[2][6] == "中"


def test_libreoffice_opens_it(written, tmp_path) -> None:
    """A second implementation of the format reads every sheet and value."""
    back = load_workbook(convert(written, "xlsx", tmp_path))
    assert back.sheetnames == [ODD_NAME, "数据"]
    rows = [list(r) for r in back["数据"].iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1][:4] == ["=SUM(A1:A2)", 7, 0.4, 1234567.89]
    assert rows[1][5:7] == ["a<b>&\"c\"", "坏字"]
    assert back["数据"]["A2"].data_type == "s" and back["数据"]["D2"].number_format == "0.00"


def test_no_filter_over_a_header_alone(tmp_path) -> None:
    book = StreamBook("宋体", 10, "0.00")
    book.add_sheet("空", [10], ["列"], autofilter=True)
    book.save(tmp_path / "e.xlsx", what="测试")
    wb = load_workbook(tmp_path / "e.xlsx")
    assert wb["空"].auto_filter.ref is None and not wb.defined_names
