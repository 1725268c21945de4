"""The 汇总 tab: rows in sheet order, formula totals LibreOffice recomputes, a rebuild
that never appends, a fingerprint that notices content changes only, and a CSV export
that no spreadsheet will take for formulas."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from tests.xlsx_compare import differing_parts, parts
from xl_addin.actions.consolidate import (
    FINGERPRINT_LABEL,
    TIME_LABEL,
    check_summary,
    consolidate_book,
    summary_frame,
    totals,
)
from xl_addin.actions.marks import RESULTS_SHEET, mark_patch, results_rows
from xl_addin.actions.summary import is_missing
from xl_addin.actions.summary_csv import csv_cell, write_csv
from xl_addin.actions.workbook import validate_book
from xl_addin.cli import cli
from xl_addin.core.errors import UserError
from xl_addin.core.grid import parse_a1
from xl_addin.documents.libreoffice import convert
from xl_addin.engines.file import FileBook
from xl_addin.engines.memory import MemoryBook
from xl_addin.forms.names import MARKER_NAME, SUMMARY_SHEET

T1 = dt.datetime(2022, 3, 1, 9, 30, 0)
T2 = dt.datetime(2022, 3, 2, 17, 45, 12)
QUARTERS = {"3月底计划支出": "125.41", "6月底计划支出": "250.83", "10月底计划支出": "376.23",
            "12月底计划支出": "501.64"}


@pytest.fixture(scope="module")
def consolidated(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """The seed consolidated once (at T1) and saved; tests copy it before changing it."""
    path = tmp_path_factory.mktemp("consolidated") / "seed.xlsx"
    shutil.copy2(seed_book_path, path)
    book = FileBook(path)
    result = consolidate_book(book, now=T1)
    book.save(backup=False)
    return path, result


@pytest.fixture(scope="module")
def recalculated(consolidated, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The consolidated seed as LibreOffice saves it after calculating every formula."""
    path, _ = consolidated
    return convert(path, "xlsx", tmp_path_factory.mktemp("recalc"))


def _label_row(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


def test_one_row_per_project_in_sheet_order(consolidated, seed_model) -> None:
    _, result = consolidated
    frame = result.frame
    assert list(frame["序号"]) == list(range(1, 13))
    assert list(frame["项目名称"]) == [p.name for p in seed_model.projects]
    assert list(frame["项目编码"]) == [p.code for p in seed_model.projects]
    assert list(frame["工作表"]) == [p.name for p in seed_model.projects]
    assert list(frame.columns) == [
        "序号", "项目编码", "项目名称", "类别", "预算数", "财政资金", "其他资金", *QUARTERS,
        "产出指标数", "效益指标数", "满意度指标数", "指标合计", "错误", "警告", "工作表", "链接"]
    first = frame.iloc[0]  # 车辆保险费: 0.40 万元, 25/50/75/100 %
    assert (first["预算数"], first["3月底计划支出"], first["12月底计划支出"]) == (
        Decimal("0.4"), Decimal("0.10"), Decimal("0.40"))
    assert (first["产出指标数"], first["效益指标数"], first["满意度指标数"], first["指标合计"]) == (
        3, 2, 1, 6)
    # counted by a validation run during consolidation: 车辆保险费's 是/否 targets, …
    assert first["错误"] > 0 and not frame["错误"].isna().any()
    assert not result.remarked  # the workbook carried no marks, and still carries none


def test_totals_and_planned_amounts(consolidated) -> None:
    _, result = consolidated
    sums = result.totals
    assert sums["预算数"] == sums["财政资金"] == Decimal("501.64")
    assert sums["其他资金"] == 0
    assert {k: str(sums[k]) for k in QUARTERS} == QUARTERS
    assert sums["指标合计"] == sum(result.frame["指标合计"])


def test_the_tab_on_the_sheet(consolidated) -> None:
    path, result = consolidated
    wb = load_workbook(path)
    assert wb.sheetnames.index(SUMMARY_SHEET) == 2  # where the template put it
    ws = wb[SUMMARY_SHEET]
    header = [c.value for c in ws[3]]
    assert header == [c for c in result.frame.columns if c != "链接"]
    assert [ws.cell(row=r, column=3).value for r in range(4, 16)] == list(result.frame["项目名称"])
    total = {h: ws.cell(row=16, column=i).value for i, h in enumerate(header, start=1)}
    assert total["项目编码"] == "合计"
    assert total["预算数"] == "=SUM(E4:E15)" and total["12月底计划支出"] == "=SUM(K4:K15)"
    link = ws.cell(row=4, column=header.index("工作表") + 1).hyperlink
    assert link.location == "'车辆保险费'!A1"
    assert ws.cell(row=_label_row(ws, TIME_LABEL), column=3).value == T1
    assert ws.cell(row=_label_row(ws, FINGERPRINT_LABEL), column=3).value == result.fingerprint
    assert ws.protection.sheet
    assert (ws.page_setup.orientation, int(ws.page_setup.paperSize)) == ("landscape", 9)  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["E4"].font.name == "宋体" and ws["E4"].border.left.style == "thin"
    assert ws["E4"].number_format == "0.00##"  # two decimals, up to four (to the 元)


def test_libreoffice_recomputes_the_totals(consolidated, recalculated) -> None:
    _, result = consolidated
    ws = load_workbook(recalculated, data_only=True)[SUMMARY_SHEET]
    header = [c.value for c in ws[3]]
    row = _label_row(ws, "合计")
    for column, expected in result.totals.items():
        got = ws.cell(row=row, column=header.index(column) + 1).value
        assert got is not None, column
        assert Decimal(str(round(got, 2))) == expected, column
    assert {k: f"{ws.cell(row=row, column=header.index(k) + 1).value:.2f}" for k in QUARTERS} == (
        QUARTERS)


def _timestamp_stripped(path: Path) -> dict[str, bytes]:
    """The parts of ``path`` with the 汇总 tab's 汇总时间 value cell emptied."""
    ws = load_workbook(path)[SUMMARY_SHEET]
    ref = ws.cell(row=_label_row(ws, TIME_LABEL), column=3).coordinate
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{SUMMARY_SHEET}"[^>]*r:id="([^"]+)"', workbook)[1]
    rel = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*>', rels)[0]
    target = re.search(r'Target="([^"]+)"', rel)[1]
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    out = parts(path)
    stripped, n = re.subn(rf'(<c r="{ref}"[^>]*>)<v>[^<]*</v>', r"\1", out[part].decode())
    assert n == 1
    out[part] = stripped.encode()
    return out


def test_consolidating_twice_gives_the_same_workbook(consolidated, tmp_path) -> None:
    path, _ = consolidated
    once = tmp_path / "once.xlsx"
    twice = tmp_path / "twice.xlsx"
    shutil.copy2(path, once)
    shutil.copy2(path, twice)
    book = FileBook(twice)
    consolidate_book(book, now=T2)
    book.save(backup=False)
    assert len(differing_parts(once, twice)) == 1  # the sheet with the timestamp ...
    assert _timestamp_stripped(once) == _timestamp_stripped(twice)  # ... and only it


def test_the_tab_is_rebuilt_not_appended(consolidated, tmp_path) -> None:
    path = tmp_path / "b.xlsx"
    shutil.copy2(consolidated[0], path)
    wb = load_workbook(path)
    before = wb[SUMMARY_SHEET].max_row
    del wb["车辆保险费"]
    wb.save(path)
    book = FileBook(path)
    result = consolidate_book(book)
    book.save(backup=False)
    ws = load_workbook(path)[SUMMARY_SHEET]
    assert len(result.frame) == 11 and ws.max_row == before - 1
    assert "车辆保险费" not in [c.value for c in ws["C"]]


def test_fingerprint_follows_contents_only(consolidated, tmp_path) -> None:
    path = tmp_path / "b.xlsx"
    shutil.copy2(consolidated[0], path)
    assert not check_summary(FileBook(path)).stale  # survives save and load

    book = FileBook(path)  # validation marks and a user's fill: formatting, not contents
    book.apply(mark_patch(book, validate_book(book).findings))
    book.worksheet("社区工作经费")["C12"].fill = PatternFill("solid", fgColor="00FF00")
    book.save(backup=False)
    check = check_summary(FileBook(path))
    assert check.consolidated and not check.stale

    wb = load_workbook(path)
    wb["社区工作经费"]["C5"] = 16  # 预算数 15 -> 16
    wb.save(path)
    assert check_summary(FileBook(path)).stale


def test_errors_and_warnings_are_counted_now_and_marks_follow(consolidated, tmp_path) -> None:
    """Fix an error after ``validate --write``: the 汇总 counts it gone, and the fixed
    cell loses its mark (校验结果 and the marks are renewed with the same findings)."""
    path = tmp_path / "b.xlsx"
    shutil.copy2(consolidated[0], path)
    book = FileBook(path)
    findings = validate_book(book).findings
    book.apply(mark_patch(book, findings))
    wrong = next(f for f in findings if f.code == "V401")  # a 是/否 target
    assert book.cell_states(wrong.sheet, [parse_a1(wrong.cell)])[parse_a1(wrong.cell)].fill
    # 长期使用性 is no rate: “≥95%” would be V411's; the outcome phrase is the fix
    book.worksheet(wrong.sheet)[wrong.cell].value = "达到预期目标"
    result = consolidate_book(book)
    assert result.remarked
    now = validate_book(book).findings
    assert len(now) < len(findings)
    for _, row in result.frame.iterrows():
        mine = [f for f in now if f.sheet == row["工作表"]]
        assert row["错误"] == sum(f.severity == "error" for f in mine), row["工作表"]
        assert row["警告"] == sum(f.severity == "warning" for f in mine), row["工作表"]
    state = book.cell_states(wrong.sheet, [parse_a1(wrong.cell)])[parse_a1(wrong.cell)]
    assert not any(f.cell == wrong.cell and f.sheet == wrong.sheet and f.severity != "info"
                   for f in now)
    assert state.fill in (None, "") and "校验" not in (state.note or "")
    listed = results_rows(book.read(RESULTS_SHEET).values)
    assert len(listed) == len(now)


def test_any_engine_gives_the_same_summary(consolidated) -> None:
    path, result = consolidated
    file_book = FileBook(path)
    memory = MemoryBook.from_book(file_book)
    memory.names[MARKER_NAME] = file_book.defined_name(MARKER_NAME) or ""
    again = consolidate_book(memory, now=T1)
    assert again.fingerprint == result.fingerprint
    assert again.frame.equals(result.frame)
    assert not check_summary(memory).stale


def test_frame_2021_counts_cost_indicators(seed_model) -> None:
    model = replace(seed_model, settings=replace(seed_model.settings, frame="2021"))
    frame = summary_frame(model)
    counts = [c for c in frame.columns if c.endswith("指标数")]
    assert counts == ["产出指标数", "成本指标数", "效益指标数", "满意度指标数"]
    assert totals(frame)["成本指标数"] == 0  # the seed follows frame 2015


def test_foreign_workbook_is_refused(tmp_path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "foreign.xlsx"
    Workbook().save(path)
    with pytest.raises(UserError, match="不是由本工具的模板生成"):
        consolidate_book(FileBook(path))


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("车辆保险费", "车辆保险费"),
    ("13030322P00397010017P", "13030322P00397010017P"),
    ("a=b", "a=b"),
    ("", ""),
    (None, ""),
    (Decimal("0.4"), "0.40"),
    (Decimal("-1.5"), "-1.50"),
    (12, "12"),
])
def test_csv_cells_never_run_as_formulas(value, expected) -> None:
    assert csv_cell(value) == expected


def test_csv_file_is_utf8_with_bom(consolidated, tmp_path) -> None:
    _, result = consolidated
    frame = result.frame.copy()
    frame.loc[0, "项目名称"] = "=1+1"
    path = write_csv(frame, tmp_path / "汇总.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    assert rows[0][:3] == ["序号", "项目编码", "项目名称"] and "链接" not in rows[0]
    assert len(rows) == 13
    assert rows[1][2] == "'=1+1" and rows[1][4] == "0.40"
    assert rows[2][2] == "2021年市级社区干部生活补贴"


def test_consolidate_command(seed_copy, tmp_path) -> None:
    csv_path = tmp_path / "汇总.csv"
    r = CliRunner().invoke(cli, ["consolidate", str(seed_copy), "--csv", str(csv_path)])
    assert r.exit_code == 0, r.output
    assert "501.64" in r.stderr and csv_path.exists()
    assert seed_copy.with_name(seed_copy.name + ".bak").exists()  # in place, backup kept
    assert not check_summary(FileBook(seed_copy)).stale

    out = tmp_path / "out.xlsx"
    before = seed_copy.read_bytes()
    assert CliRunner().invoke(cli, ["consolidate", str(seed_copy), "-o", str(out)]).exit_code == 0
    assert seed_copy.read_bytes() == before and out.exists()

    r = CliRunner().invoke(cli, ["consolidate", str(seed_copy), "--csv", str(seed_copy)])
    assert r.exit_code == 2 and seed_copy.read_bytes() == before


@pytest.mark.parametrize(("value", "missing"), [
    (None, True), (float("nan"), True), (pd.NA, True),
    (0, False), (0.0, False), ("", False), (Decimal(0), False),
])
def test_is_missing(value, missing) -> None:
    assert is_missing(value) is missing


@pytest.mark.parametrize("module", ["xl_addin.cli.app", "xl_addin.addin.ribbon",
                                    "xl_addin.actions.review"])
def test_commands_load_pandas_only_to_build_a_frame(module) -> None:
    """Pandas takes ~0.15 s to import; only the 汇总 frame needs it."""
    loaded = subprocess.run([sys.executable, "-c", f"import {module}, sys; "
                             "print('pandas' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
