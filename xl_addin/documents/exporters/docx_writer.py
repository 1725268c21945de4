"""Writing a ``WorkbookModel`` as a Word document in the published layout.

The layout copies the published 预算项目绩效目标表 (see the seed document): Part 1 as
paragraphs (followed, when the department has indicator rows, by their table, in the
columns of a project's indicator table), Part 2 as a header table and an indicator
table per project.  Reading the
result back with ``read_docx`` + ``interpret`` gives the same model, which is what makes
this usable both for publishing and as an exchange format; so values are written
exactly as the model holds them (a money or plan cell that was not a number keeps its
``written`` text) and every label is one that ``interpret`` looks for.

Merged cells follow the published tables: a merged region is one ``w:tc`` with a grid
span, and a vertically merged label continues as an empty cell, so the cell sequence of
a row is the same whether Word or this package reads it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.run import Run

from xl_addin.core.cellvalues import money_text, percent_text
from xl_addin.core.model import PLAN_POINTS, Department, Indicator, Project, WorkbookModel
from xl_addin.files.atomic import replace_file

_BODY_FONT = "宋体"
_TITLE_FONT = "黑体"
_LATIN_FONT = "Times New Roman"

#: Column widths (mm) of the 7-column grids; both add up to the A4 text width (160 mm).
#: The code spans columns 1-2: 58 mm hold its 21 characters (capitals too) on one line.
_HEADER_WIDTHS = (22, 24, 34, 20, 20, 18, 22)
_INDICATOR_WIDTHS = (20, 22, 26, 30, 12, 22, 28)

#: A row as (first grid column, last grid column, lines) spans; a span over several
#: columns becomes one merged cell.
Span = tuple[int, int, Sequence[str]]


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


# --- document set-up -----------------------------------------------------------------


def _new_document() -> Document:
    """A4 portrait, CJK body font: without ``w:eastAsia`` Word falls back to the theme
    font, which on many machines renders the Chinese text in a mismatched face."""
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), _LATIN_FONT)
    fonts.set(qn("w:hAnsi"), _LATIN_FONT)
    fonts.set(qn("w:eastAsia"), _BODY_FONT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25.4)
    doc.core_properties.title = "部门预算绩效目标"
    return doc


def _east_asia(run: Run, font: str) -> None:
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(
    doc: Document,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    center: bool = False,
    title_font: bool = False,
    page_break: bool = False,
    keep_with_next: bool = False,
) -> None:
    p = doc.add_paragraph()
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if page_break:
        p.paragraph_format.page_break_before = True
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = Pt(size)
        if title_font:
            _east_asia(run, _TITLE_FONT)


def _title(doc: Document, text: str, *, page_break: bool = False) -> None:
    _paragraph(doc, text, bold=True, size=16, center=True, title_font=True, page_break=page_break)


def _heading(doc: Document, text: str) -> None:
    _paragraph(doc, text, bold=True, size=12, title_font=True)


# --- Part 1 --------------------------------------------------------------------------


def _part_one(doc: Document, dept: Department) -> None:
    _title(doc, "第一部分")
    _title(doc, "部门整体绩效目标")
    _heading(doc, "一、总体绩效目标")
    _paragraph(doc, "总体目标：", bold=True)
    for line in _lines(dept.overall_goal):
        _paragraph(doc, line)
    _heading(doc, "二、分项绩效目标")
    _paragraph(doc, "职责分类绩效目标：", bold=True)
    for duty in dept.duties:
        _paragraph(doc, f"{duty.number}、{duty.name}", bold=True)
        first, *rest = _lines(duty.goal) or [""]
        _paragraph(doc, f"绩效目标：{first}")
        for line in rest:
            _paragraph(doc, line)
    _heading(doc, "三、工作保障措施")
    for measure in dept.measures:
        # one paragraph per measure (a line break inside it stays inside it) so the
        # list of measures reads back with the same length
        _paragraph(doc, measure.strip())
    if dept.indicators:
        # right after the measures, no heading of its own (a paragraph there would read
        # back as one more measure): the table's header row says what it is
        _indicator_table(doc, dept.indicators)


# --- tables --------------------------------------------------------------------------


def _set_lines(cell: _Cell, lines: Sequence[str], *, label: bool = False) -> None:
    """Fill a cell with one paragraph per line; labels are centred like the original."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for i, line in enumerate(lines or [""]):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if label:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            p.add_run(line)


def _row_property(tr, name: str) -> None:
    """Set an on/off property of a table row (``w:cantSplit``, ``w:tblHeader``)."""
    tr.get_or_add_trPr().append(OxmlElement(name))


def _no_wrap(tc) -> None:
    """Keep the cell's text on one line (``w:noWrap``, placed before ``w:vAlign`` as the
    schema orders them)."""
    tc_pr = tc.get_or_add_tcPr()
    no_wrap = OxmlElement("w:noWrap")
    v_align = tc_pr.find(qn("w:vAlign"))
    if v_align is not None:
        v_align.addprevious(no_wrap)
    else:
        tc_pr.append(no_wrap)


def _keep_with_next(tr) -> None:
    """Every paragraph of the row keeps with the next, so the row is never left alone
    at the bottom of a page: Word and LibreOffice move it over with what follows."""
    for p in tr.iter(qn("w:p")):
        p.get_or_add_pPr().keepNext_val = True


def _table(doc: Document, rows: list[list[Span]], widths: Sequence[int]) -> Table:
    """A grid table from rows of spans; columns a row leaves out stay empty cells.

    The spans are made on the row's own ``w:tc`` elements, as python-docx's
    ``cell.merge`` would make them (one cell with a grid span and the widths added up),
    but without ``table.cell`` and ``merge``: each call rebuilds the table's whole cell
    grid, which made a table of n rows cost n² (250 indicator rows took 86 s)."""
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)
    for r, (tr, spans) in enumerate(zip(table._tbl.tr_lst, rows, strict=True)):
        tcs = tr.tc_lst
        for tc, width in zip(tcs, widths, strict=True):
            tc.width = Mm(width)
        for first, last, lines in spans:
            tc = tcs[first]
            for swallowed in tcs[first + 1:last + 1]:  # still empty: nothing to move
                tc.width = Length(tc.width + swallowed.width)
                tc.grid_span += swallowed.grid_span
                tr.remove(swallowed)
            _set_lines(_Cell(tc, table), lines, label=first == 0 and r > 0)
        _row_property(tr, "w:cantSplit")  # a row is read whole on one page
    return table


def _merge_down(table: Table, spans: Sequence[tuple[int, int]]) -> None:
    """Merge the first column's cell of each span's top row over the rows down to its
    bottom row (those cells must still be empty), as ``cell.merge`` would: the top cell
    restarts a vertical merge, the cells below continue it."""
    trs = table._tbl.tr_lst  # once: each call walks every row
    for top, bottom in spans:
        if bottom > top:
            trs[top].tc_lst[0].vMerge = ST_Merge.RESTART
            for tr in trs[top + 1:bottom + 1]:
                tr.tc_lst[0].vMerge = ST_Merge.CONTINUE


def _money(project: Project, key: str) -> str:
    value = getattr(project, key)
    return money_text(value) if value is not None else project.written.get(key, "")


def _plan(project: Project, key: str) -> str:
    value = project.plan.get(key)
    return percent_text(value) if value is not None else project.written.get(key, "")


def _header_table(doc: Document, project: Project) -> None:
    rows: list[list[Span]] = [
        [(0, 5, [project.unit_line]), (6, 6, ["单位：万元"])],
        [
            (0, 0, ["项目编码"]),
            (1, 2, [project.code]),
            (3, 3, ["项目名称"]),
            (4, 6, [project.name]),
        ],
    ]
    if project.category:  # not in the seed's layout; written only when there is one
        rows.append([(0, 0, ["项目类别"]), (1, 6, [project.category])])
    money_row = len(rows)
    rows += [
        [
            (0, 0, ["预算规模及资金用途"]),
            (1, 1, ["预算数"]),
            (2, 2, [_money(project, "budget")]),
            (3, 3, ["其中：财政资金"]),
            (4, 4, [_money(project, "fiscal")]),
            (5, 5, ["其他资金"]),
            (6, 6, [_money(project, "other")]),
        ],
        [(1, 6, project.uses)],
    ]
    plan_row = len(rows)
    # 3月底 and 12月底 span two grid columns, so labels and values stay in step
    plan_cols = dict(zip(PLAN_POINTS, [(1, 2), (3, 3), (4, 4), (5, 6)], strict=True))
    rows += [
        [(0, 0, ["资金支出计划（%）"])]
        + [(a, b, [PLAN_POINTS[k]]) for k, (a, b) in plan_cols.items()],
        [(a, b, [_plan(project, k)]) for k, (a, b) in plan_cols.items()],
        [(0, 0, ["绩效目标"]), (1, 6, project.goals)],
    ]
    table = _table(doc, rows, _HEADER_WIDTHS)
    _merge_down(table, [(money_row, money_row + 1), (plan_row, plan_row + 1)])
    _no_wrap(table._tbl.tr_lst[1].tc_lst[1])  # the code
    for tr in table._tbl.tr_lst:  # the header table goes with its indicator table
        _keep_with_next(tr)


def _indicator_table(doc: Document, indicators: list[Indicator]) -> None:
    """一级指标 is written on the first row of its group only (as published) and merged
    down over the group; a level the model marks as written stays written."""
    rows: list[list[Span]] = [
        [
            (0, 0, ["一级指标"]),
            (1, 1, ["二级指标"]),
            (2, 2, ["三级指标"]),
            (3, 4, ["绩效指标描述"]),
            (5, 5, ["指标值"]),
            (6, 6, ["指标值确定依据"]),
        ]
    ]
    group_starts: list[int] = []
    previous: str | None = None
    for ind in indicators:
        shown = ind.level1_written or ind.level1 != previous
        previous = ind.level1
        if shown:
            group_starts.append(len(rows))
        rows.append(
            [
                (0, 0, _lines(ind.level1) if shown else []),
                (1, 1, _lines(ind.level2)),
                (2, 2, _lines(ind.level3)),
                (3, 4, _lines(ind.description)),
                (5, 5, _lines(ind.value)),
                (6, 6, _lines(ind.basis)),
            ]
        )
    table = _table(doc, rows, _INDICATOR_WIDTHS)
    header = table._tbl.tr_lst[0]
    _row_property(header, "w:tblHeader")  # repeated on every page the table continues on
    _keep_with_next(header)
    ends = [*group_starts[1:], len(rows)] if group_starts else []
    _merge_down(table, [(start, end - 1) for start, end in zip(group_starts, ends, strict=True)])


def _part_two(doc: Document, projects: list[Project]) -> None:
    _title(doc, "第二部分", page_break=True)
    _title(doc, "预算项目绩效目标")
    for i, project in enumerate(projects, start=1):
        _paragraph(doc, f"{i}.{project.name}绩效目标表", bold=True, size=12, center=True,
                   keep_with_next=True)
        _header_table(doc, project)
        _paragraph(doc, keep_with_next=True)  # keeps Word from joining the two tables
        _indicator_table(doc, project.indicators)
        _paragraph(doc)


# --- saving --------------------------------------------------------------------------


def write_docx(model: WorkbookModel, path: str | os.PathLike[str]) -> None:
    """Write ``model`` as a published-layout .docx at ``path`` (replaced atomically)."""
    doc = _new_document()
    _part_one(doc, model.department)
    _part_two(doc, model.projects)
    replace_file(Path(path), doc.save, what="Word 文档")
