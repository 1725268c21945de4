"""Every sheet the tool writes, and the submitted docx, printed by LibreOffice on A4:
nothing off the page, no line over another, the footer inside its band, tables fitted
to one page wide with their header on every page; the docx's code on one line, its
header row repeated, no row split over two pages.  Checked from the PDFs' text layer
(``tests/pdf_layout``).  One LibreOffice run renders all the workbooks."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests import pdf_layout as lay
from tests.conftest import SEED
from xl_addin.core.model import Indicator
from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.exporters.xlsx_stream import StreamBook
from xl_addin.documents.libreoffice import convert_all
from xl_addin.engines.file import fit_rows
from xl_addin.forms.row_heights import LINE_HEIGHT

#: sheet -> the header labels every printed page of it must show ('' : not a table)
SHEETS = {
    "说明": (),
    "部门整体绩效目标": (),
    "汇总": ("序号", "项目编码", "项目名称", "工作表"),
    "指标库": ("项目类别", "指标框架", "三级指标", "指标值确定依据"),
    "校验结果": ("序号", "工作表", "单元格", "说明", "建议"),
    "导入说明": ("类别", "位置", "项目", "内容"),
}
#: review sheet -> its header labels, the first one found on no other sheet's page
REVIEW_HEADERS = {"全区汇总": ("项目编码", "单位", "项目名称"),
                  "问题清单": ("建议", "单位", "文件", "说明"),
                  "单位状态": ("原因", "单位", "文件", "状态")}


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "xl_addin", *args], check=True,
                   capture_output=True, text=True)


def _cli_status(*args: str) -> int:
    return subprocess.run([sys.executable, "-m", "xl_addin", *args],
                          capture_output=True, text=True).returncode


def _only(src: Path, sheet: str, dst: Path) -> Path:
    """A copy of ``src`` holding sheet ``sheet`` alone (so its PDF is its pages)."""
    wb = load_workbook(src)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    wb[sheet].sheet_state = "visible"
    wb.save(dst)
    return dst


def _margins(path: Path, sheet: str) -> tuple[float, float]:
    m = load_workbook(path)[sheet].page_margins
    return m.bottom, m.footer


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, seed_model) -> dict[str, Path]:
    """The seed imported, validated with marks and consolidated; each of its sheets
    (and the project sheet with the most lines of 资金用途) alone in a workbook; the
    review of a folder holding it; all rendered in one LibreOffice run."""
    tmp = tmp_path_factory.mktemp("print")
    book = tmp / "seed.xlsx"
    _cli("import", str(SEED), "-o", str(book))
    _cli_status("validate", str(book), "--write")  # exit 1: the seed has errors
    _cli("consolidate", str(book))
    project = max(seed_model.projects, key=lambda p: len(p.uses))
    assert len(project.uses) >= 2, "the seed must have a multi-line 资金用途"
    names = load_workbook(book, read_only=True).sheetnames
    sheet = next(n for n in names if n.startswith(project.name[:10]))
    sources = {name: _only(book, name, tmp / f"sheet-{i}.xlsx")
               for i, name in enumerate([*SHEETS, sheet])}
    folder = tmp / "unit"
    folder.mkdir()
    shutil.copy2(book, folder / "seed.xlsx")
    review = tmp / "review.xlsx"
    _cli_status("review", str(folder), "-o", str(review), "--jobs", "1")
    sources["review"] = review
    pdfs = convert_all(list(sources.values()), "pdf", tmp / "pdf")
    out = dict(zip(sources, pdfs, strict=True))
    out["_book"], out["_review"], out["_sheet"] = book, review, Path(sheet)
    return out


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_each_sheet_prints_whole_on_a4(rendered, sheet) -> None:
    problems = lay.page_problems(rendered[sheet], margins=_margins(rendered["_book"], sheet),
                                 header=SHEETS[sheet])
    assert problems == []


def test_the_results_sheet_prints_its_overview_once_above_the_list(rendered) -> None:
    """The 校验概要 opens page 1, above the list's header; later pages repeat the
    header alone (the block is not a title row)."""
    pages = lay.pages_text(rendered["校验结果"])
    assert len(pages) >= 2
    assert "校验概要" in pages[0] and pages[0].index("校验概要") < pages[0].index("序号")
    assert all("校验概要" not in page for page in pages[1:])


def test_a_project_sheet_prints_every_line_of_its_uses(rendered, seed_model) -> None:
    sheet = rendered["_sheet"].name
    pdf = rendered[sheet]
    assert lay.page_problems(pdf, margins=_margins(rendered["_book"], sheet)) == []
    project = max(seed_model.projects, key=lambda p: len(p.uses))
    text = "".join(lay.pages_text(pdf))
    for line in [*project.uses, *project.goals]:
        assert "".join(line.split()) in text, line


def test_the_review_workbook_prints_fitted_with_its_header_on_every_page(rendered) -> None:
    pdf = rendered["review"]
    wb = load_workbook(rendered["_review"])
    pages = lay.pages_text(pdf)
    problems = []
    for name, header in REVIEW_HEADERS.items():
        m = wb[name].page_margins
        problems += lay.page_problems(pdf, margins=(m.bottom, m.footer))
        first = next(i for i, text in enumerate(pages) if header[0] in text)
        problems += [f"{name}: header {h} not on its first page" for h in header
                     if h not in pages[first]]
    assert problems == []
    findings = wb["问题清单"].max_row - 1
    assert len(pages) <= 3 + findings // 12  # a dozen findings a page, not three columns


# ---------------------------------------------------------------- row heights

def test_wrapped_text_gets_the_height_of_its_lines_and_taller_rows_stay() -> None:
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 20
    ws["A1"] = "保障公务用车保险费用\n保障公务用车正常运转"  # two lines
    ws["A2"] = "反映" * 30  # 120 units in 18.5 usable: 7 lines
    ws.merge_cells("A3:B3")
    ws["A3"] = "反映" * 30  # 120 units in 38.5 usable: 4 lines
    ws["A4"] = "短"
    ws.row_dimensions[4].height = 60  # a user made it taller
    fit_rows(ws, [1, 2, 3, 4])
    heights = [ws.row_dimensions[r].height for r in (1, 2, 3, 4)]
    assert heights[0] >= 2 * LINE_HEIGHT
    assert heights[1] >= 7 * LINE_HEIGHT
    assert 4 * LINE_HEIGHT <= heights[2] < 5 * LINE_HEIGHT
    assert heights[3] == 60


def test_streamed_rows_are_as_tall_as_their_wrapped_text(tmp_path) -> None:
    book = StreamBook("宋体", 10, "0.00")
    sheet = book.add_sheet("问题清单", [10, 20], ["单位", "说明"])
    sheet.append(["甲", "短"])
    sheet.append(["乙", "反映项目全年支出控制在批复预算以内的情况。" * 3])
    book.save(tmp_path / "r.xlsx", what="审核结果")
    ws = load_workbook(tmp_path / "r.xlsx")["问题清单"]
    assert ws.row_dimensions[3].height >= 5 * LINE_HEIGHT
    assert ws.row_dimensions[2].height in (None, 15)
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


# ---------------------------------------------------------------- the docx

LONG = 40  # indicator rows of one project: its table runs over pages


@pytest.fixture(scope="module")
def docx_pdf(tmp_path_factory: pytest.TempPathFactory, seed_model):
    """The seed's docx, one project given ``LONG`` rows with descriptions that wrap."""
    model = copy.deepcopy(seed_model)
    project = model.projects[0]
    project.indicators = [
        Indicator(level1="产出指标", level2="数量指标", level3=f"测试指标{i:02d}",
                  description=f"反映第{i:02d}项工作按计划完成的数量，用于检验本项目年度任务的"
                              f"落实情况和完成进度 R{i:02d}Z", value=f"≥{i}项", basis="计划标准",
                  level1_written=i == 0)
        for i in range(LONG)]
    tmp = tmp_path_factory.mktemp("docx")
    path = tmp / "seed.docx"
    write_docx(model, path)
    return model, convert_all([path], "pdf", tmp)[0]


def test_the_docx_prints_each_code_on_one_line(docx_pdf) -> None:
    model, pdf = docx_pdf
    lines = lay.text_lines(pdf)
    for p in model.projects:
        assert any(p.code in line for line in lines), p.code


def test_the_docx_repeats_the_header_and_keeps_rows_whole(docx_pdf) -> None:
    model, pdf = docx_pdf
    pages = lay.pages_text(pdf)
    on = [i for i, text in enumerate(pages) if "测试指标" in text]
    assert len(on) >= 2, "the long table must run over pages"
    for i in on:  # every page of the long table starts with its header row
        head, _, _ = pages[i].partition("测试指标")
        assert "三级指标" in head and "绩效指标描述" in head, i + 1
    for i, ind in enumerate(model.projects[0].indicators):  # each row whole on a page
        assert any(ind.level3 in text and f"R{i:02d}Z" in text for text in pages), i
    for n, text in enumerate(pages, start=1):  # no header, no title alone at a foot
        assert not text.endswith(("指标值确定依据", "绩效目标表")), n
    with_problems = lay.page_problems(pdf)
    assert with_problems == []
