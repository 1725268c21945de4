"""Sample published documents, made by code, in every format units publish.

Each document is what one unit of 湖南, 湖北 or 四川 could have published (2020–2023), in
one of the forms those provinces use (see ``FORMS``).  It is held as plain data: what the
document says (``Says``: unit, year, money as written, projects with their indicator
rows) and how it is drawn (paragraphs and tables of cells with row/col spans).  The
drawing is *made from* what it says by one layout function per form, so the two can
never disagree, and interpreter tests can compare what they read with ``says``.

Renderers write each document as .docx (real merged cells: gridSpan and vMerge), HTML
(a saved government web page, GBK or UTF-8 with a ``<meta charset>``) and .xlsx (merged
ranges, the title as merged rows on top); LibreOffice makes the .xls from the .xlsx and
the PDFs from the .docx and from the HTML (``render``).

``python -m tests.documents DIR`` writes them all for a look by hand.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

from xl_addin.documents.libreoffice import convert_all

# --- what a document says ------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """Amounts exactly as the document writes them (in the document's money unit)."""

    total: str
    fiscal: str
    other: str


@dataclass(frozen=True)
class Indicator:
    """One indicator row.  ``value`` is the annual target as a reader reads it, even
    where the form splits it over 指标性质 + 指标值 + 度量单位 (form B: “≥” “95” “%” is
    ``"≥95%"``; “定性” “达到预期目标” is ``"达到预期目标"``)."""

    level1: str
    level2: str
    level3: str
    value: str
    basis: str = ""  # 指标值确定依据 / 指标值设定依据
    note: str = ""  # 指标解释 (form A) or 备注 (form B)
    long_term: str = ""  # 中长期指标值 (form D)
    weight: str = ""  # 权重 (form B)
    direction: str = ""  # 指标方向性 (form B)
    scoring: str = ""  # 评(扣)分标准 (form B)


@dataclass(frozen=True)
class Project:
    name: str
    money: Money
    goals: tuple[str, ...]  # 年度(绩效)目标, one line each
    indicators: tuple[Indicator, ...]
    unit: str = ""  # 实施单位 / 单位名称
    department: str = ""  # 主管部门
    long_term_goals: tuple[str, ...] = ()  # 中长期目标 / 实施期目标
    period: str = ""  # 项目支出实施期


@dataclass(frozen=True)
class Department:
    """A 部门整体绩效目标表 (form E)."""

    name: str
    money: Money
    duties: tuple[str, ...]
    goals: tuple[str, ...]
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Says:
    """What a document says, field by field, as written."""

    unit: str  # the publishing unit
    year: int
    money_unit: str  # "万元" or "元"
    projects: tuple[Project, ...]
    department: Department | None = None


# --- how it is drawn -----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str  # lines separated by "\n"
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableSpec:
    """A ruled table: per row, the cells that start in it, left to right (as HTML
    writes them); ``widths`` in mm; ``header_rows`` repeat on each page (Word).
    Every column and row edge is drawn somewhere (no grid column is merged in every
    row), so the grid is the one a reader of the printed page sees too."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    header_rows: int = 0

    def placed(self) -> Iterator[tuple[int, int, Cell]]:
        """(row, column, cell) for every cell, by the HTML table algorithm."""
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                yield r, c, cell
                taken.update((r + i, c + j) for i in range(cell.rowspan)
                             for j in range(cell.colspan))
                c += cell.colspan

    def grid(self) -> list[list[str]]:
        """The full grid, a merged cell's text in every position it covers."""
        out = [[""] * len(self.widths) for _ in self.rows]
        for r, c, cell in self.placed():
            for i in range(cell.rowspan):
                for j in range(cell.colspan):
                    out[r + i][c + j] = cell.text
        return out


@dataclass(frozen=True)
class Section:
    """Blocks (paragraph texts and tables) that the .xlsx puts on one sheet."""

    sheet: str
    blocks: tuple[str | TableSpec, ...]


@dataclass(frozen=True)
class Document:
    key: str  # "A" … "E"
    name: str  # the files' stem
    form: str  # what the form is, in a line
    says: Says
    sections: tuple[Section, ...]
    html_encoding: str = "utf-8"
    landscape: bool = False
    #: labels a PDF shows wrapped over lines inside a narrow cell (each must read whole)
    wrapped_labels: tuple[str, ...] = ()
    #: paragraphs that start a new page (in Word and on the web page)
    new_page_before: tuple[str, ...] = ()

    @property
    def blocks(self) -> list[str | TableSpec]:
        return [b for s in self.sections for b in s.blocks]

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    @property
    def tables(self) -> list[TableSpec]:
        return [b for b in self.blocks if isinstance(b, TableSpec)]


# --- layouts: one per form -----------------------------------------------------------


def _lines(lines: Sequence[str]) -> str:
    return "\n".join(lines)


def _merged_down(values: Sequence[str]) -> list[int]:
    """Per row, the rowspan of a cell merged over equal neighbours below (0 = covered)."""
    spans = [0] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            spans[start] = i - start
            start = i
    return spans


def _indicator_rows(indicators: Sequence[Indicator], cells: Sequence[Sequence[str]],
                    merge_level2: bool = True) -> list[list[Cell]]:
    """Rows of 一级 | 二级 | ``cells``…, 一级 merged over its group and 二级 over equal
    neighbours in a group (as the forms print them)."""
    l1_spans = _merged_down([i.level1 for i in indicators])
    keys = [(i.level1, i.level2) for i in indicators]
    l2_spans = _merged_down(keys) if merge_level2 else [1] * len(keys)
    rows: list[list[Cell]] = []
    for ind, s1, s2, rest in zip(indicators, l1_spans, l2_spans, cells, strict=True):
        row: list[Cell] = []
        if s1:
            row.append(Cell(ind.level1, rowspan=s1))
        if s2:
            row.append(Cell(ind.level2, rowspan=s2))
        row.extend(Cell(t) for t in rest)
        rows.append(row)
    return rows


def _money_rows(label: str, money: Money, label_span: int, value_span: int) -> list[list[Cell]]:
    return [
        [Cell(label, rowspan=3), Cell("年度资金总额", colspan=label_span),
         Cell(money.total, colspan=value_span)],
        [Cell("其中：财政拨款", colspan=label_span), Cell(money.fiscal, colspan=value_span)],
        [Cell("其他资金", colspan=label_span), Cell(money.other, colspan=value_span)],
    ]


@dataclass(frozen=True)
class LabelsA:
    """Form A's labels: 湖南's 项目支出绩效目标表 and its variants."""

    name: str = "项目支出名称"
    level2: str = "二级指标(年度)"
    basis: str = "指标值设定依据"
    money: str = "项目资金（万元）"
    empty_rows: int = 2  # pre-printed indicator rows left blank


def layout_a(p: Project, labels: LabelsA = LabelsA()) -> TableSpec:
    """One table per project: header rows, then the indicator rows under a 绩效指标
    label merged down over them all (blank pre-printed rows included)."""
    n = len(p.indicators) + 1 + labels.empty_rows
    head: list[list[Cell]] = [
        [Cell(labels.name), Cell(p.name, colspan=6)],
        [Cell("主管部门"), Cell(p.department, colspan=2), Cell("实施单位"),
         Cell(p.unit, colspan=3)],
        *_money_rows(labels.money, p.money, 2, 4),
        [Cell("年度绩效目标"), Cell(_lines(p.goals), colspan=6)],
        [Cell("绩效指标", rowspan=n), Cell("一级指标"), Cell(labels.level2), Cell("三级指标"),
         Cell("指标值"), Cell(labels.basis), Cell("指标解释")],
    ]
    body = _indicator_rows(p.indicators, [(i.level3, i.value, i.basis, i.note)
                                          for i in p.indicators])
    blank = [[Cell("") for _ in range(6)] for _ in range(labels.empty_rows)]
    return TableSpec(tuple(tuple(r) for r in head + body + blank),
                     widths=(16, 20, 24, 38, 20, 14, 28))


_COMPARATOR = re.compile(r"^([≥≤＝＞＜])([\d.,]+)(.*)$")


def split_value(value: str) -> tuple[str, str, str]:
    """Form B's 指标性质, 指标值, 度量单位 for a target: ``"≥95%"`` → (≥, 95, %),
    a qualitative target → (定性, target, "")."""
    m = _COMPARATOR.match(value)
    return (m.group(1), m.group(2), m.group(3)) if m else ("定性", value, "")


def layout_b(p: Project) -> tuple[TableSpec, TableSpec]:
    """湖北's 申报表: a header table (实施期, 中长期目标 beside 年度目标), then an
    indicator table with the target split over three columns and scoring columns."""
    head = TableSpec((
        (Cell("项目名称"), Cell(p.name, colspan=3)),
        (Cell("主管部门"), Cell(p.department), Cell("实施单位"), Cell(p.unit)),
        (Cell("项目属性"), Cell("延续项目"), Cell("项目支出实施期"), Cell(p.period)),
        *(tuple(r) for r in _money_rows("项目资金", p.money, 1, 2)),
        (Cell("总体目标", rowspan=2), Cell("中长期目标"), Cell("年度目标", colspan=2)),
        (Cell(_lines(p.long_term_goals)), Cell(_lines(p.goals), colspan=2)),
    ), widths=(30, 82, 35, 100))
    header = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重",
              "指标方向性", "评(扣)分标准", "备注")
    body = _indicator_rows(p.indicators, [
        (i.level3, *split_value(i.value), i.weight, i.direction, i.scoring, i.note)
        for i in p.indicators
    ], merge_level2=False)
    inds = TableSpec((tuple(Cell(h) for h in header), *(tuple(r) for r in body)),
                     widths=(20, 26, 60, 16, 18, 16, 12, 16, 16, 47), header_rows=1)
    return head, inds


def layout_c(projects: Sequence[Project]) -> TableSpec:
    """四川's 汇总表: every project in one wide table, its cells merged down over its
    indicator rows; the header row repeats on each page."""
    header = ("单位名称", "项目名称", "年度资金总额", "年度绩效目标", "一级指标", "二级指标",
              "三级指标", "指标值")
    rows: list[tuple[Cell, ...]] = [tuple(Cell(h) for h in header)]
    for p in projects:
        n = len(p.indicators)
        body = _indicator_rows(p.indicators, [(i.level3, i.value) for i in p.indicators])
        first = [Cell(t, rowspan=n) for t in (p.unit, p.name, p.money.total, _lines(p.goals))]
        rows.append(tuple(first + body[0]))
        rows.extend(tuple(r) for r in body[1:])
    return TableSpec(tuple(rows), widths=(20, 22, 16, 30, 16, 18, 22, 16), header_rows=1)


def layout_d(p: Project, value_labels: tuple[str, str]) -> tuple[TableSpec, TableSpec]:
    """实施期 and 年度 side by side: 实施期目标 | 年度目标 in the header table, the
    long-term and the annual target in two columns of the indicator table."""
    head = TableSpec((
        (Cell("项目名称"), Cell(p.name, colspan=3)),
        (Cell("主管部门"), Cell(p.department), Cell("实施单位"), Cell(p.unit)),
        (Cell("项目实施期"), Cell(p.period, colspan=3)),
        *(tuple(r) for r in _money_rows("项目资金（万元）", p.money, 1, 2)),
        (Cell("总体目标", rowspan=2), Cell("实施期目标"), Cell("年度目标", colspan=2)),
        (Cell(_lines(p.long_term_goals)), Cell(_lines(p.goals), colspan=2)),
    ), widths=(24, 46, 30, 60))
    header = ("一级指标", "二级指标", "三级指标", *value_labels)
    body = _indicator_rows(p.indicators, [(i.level3, i.long_term, i.value)
                                          for i in p.indicators])
    inds = TableSpec((tuple(Cell(h) for h in header), *(tuple(r) for r in body)),
                     widths=(24, 28, 52, 28, 28))
    return head, inds


def layout_e(d: Department) -> TableSpec:
    """A 部门整体绩效目标表: name, money, duties, the year's goal, its indicators."""
    n = len(d.indicators) + 1
    head: list[list[Cell]] = [
        [Cell("部门名称"), Cell(d.name, colspan=4)],
        *_money_rows("年度预算资金（万元）", d.money, 1, 3),
        [Cell("部门职责"), Cell(_lines(d.duties), colspan=4)],
        [Cell("年度总体目标"), Cell(_lines(d.goals), colspan=4)],
        [Cell("年度绩效指标", rowspan=n), Cell("一级指标"), Cell("二级指标"), Cell("三级指标"),
         Cell("指标值")],
    ]
    body = _indicator_rows(d.indicators, [(i.level3, i.value) for i in d.indicators])
    return TableSpec(tuple(tuple(r) for r in head + body), widths=(22, 24, 28, 56, 30))


# --- the five documents --------------------------------------------------------------

I = Indicator  # noqa: E741 - the rows below read as a table

_A_UNIT = "湘潭县农业农村局"
_A = Says(unit=_A_UNIT, year=2022, money_unit="万元", projects=(
    Project(
        name="农村人居环境整治专项经费", unit="湘潭县农村人居环境整治服务中心",
        department=_A_UNIT, money=Money("120.00", "100.00", "20.00"),
        goals=("1.完成12个行政村生活垃圾收转运体系建设；",
               "2.改（新）建农村户用卫生厕所800座，粪污无害化处理率达到90%以上。"),
        indicators=(
            I("产出指标", "数量指标", "改（新）建农村户用卫生厕所数量", "≥800座", "计划标准",
              "当年完成改造并验收的户厕数"),
            I("产出指标", "数量指标", "生活垃圾收转运覆盖行政村数", "=12个", "计划标准"),
            I("产出指标", "质量指标", "户厕改造验收合格率", "≥95%", "行业标准",
              "按省农业农村厅验收办法"),
            I("产出指标", "时效指标", "项目完成时间", "2022年11月底前", "计划标准"),
            I("产出指标", "成本指标", "户厕改造补助标准", "≤1000元/座", "预算支出标准"),
            I("效益指标", "社会效益指标", "村庄环境整洁度", "达到预期目标", "历史标准"),
            I("效益指标", "生态效益指标", "粪污无害化处理率", "≥90%", "行业标准"),
            I("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥90%", "历史标准",
              "问卷调查"),
        )),
    Project(
        name="高标准农田建设管护经费", unit="湘潭县农田建设服务站", department=_A_UNIT,
        money=Money("85.5", "85.5", "0"),
        goals=("1.对全县已建成的3.2万亩高标准农田设施开展日常管护；",
               "2.确保灌排设施完好率不低于90%。"),
        indicators=(
            I("产出指标", "数量指标", "管护高标准农田面积", "≥3.2万亩", "计划标准"),
            I("产出指标", "数量指标", "维修灌排渠道长度", "≥15公里", "计划标准"),
            I("产出指标", "质量指标", "灌排设施完好率", "≥90%", "行业标准"),
            I("产出指标", "时效指标", "管护资金拨付及时率", "=100%", "计划标准"),
            I("产出指标", "成本指标", "亩均管护经费", "≤26.7元/亩", "预算支出标准"),
            I("效益指标", "经济效益指标", "项目区粮食亩产增加", "≥50公斤", "历史标准"),
            I("效益指标", "可持续影响指标", "设施使用年限", "≥10年", "行业标准"),
            I("满意度指标", "服务对象满意度指标", "项目区农户满意度", "≥90%", "历史标准"),
        )),
))

_B_UNIT = "襄阳市樊城区民政局"
_B = Says(unit=_B_UNIT, year=2023, money_unit="元", projects=(
    Project(
        name="城乡低保对象救助资金", unit="樊城区社会救助服务中心", department=_B_UNIT,
        period="2023年1月-2023年12月", money=Money("3,309,840.00", "3,309,840.00", "0.00"),
        long_term_goals=("1.健全分层分类的社会救助体系，实现应保尽保；",
                         "2.低保标准与经济社会发展水平相适应。"),
        goals=("1.按月足额发放城乡低保金，保障约1150名困难群众基本生活；",
               "2.低保对象动态管理率达到100%。"),
        indicators=(
            I("产出指标", "数量指标", "保障城乡低保对象人数", "≥1150人", weight="20",
              direction="正向", scoring="每少50人扣2分"),
            I("产出指标", "质量指标", "低保资金发放准确率", "＝100%", weight="15",
              direction="正向", scoring="每降低1个百分点扣1分"),
            I("产出指标", "时效指标", "按月发放及时率", "＝100%", weight="15", direction="正向",
              scoring="每延迟一个月扣3分"),
            I("产出指标", "成本指标", "城市低保月人均补助标准", "≤420元", weight="10",
              direction="反向", scoring="超出标准不得分"),
            I("效益指标", "社会效益指标", "困难群众基本生活保障", "达到预期目标", weight="15",
              direction="正向", scoring="按实际情况评分"),
            I("效益指标", "可持续影响指标", "低保动态管理机制", "长效运行", weight="10",
              direction="正向"),
            I("效益指标", "服务对象满意度指标", "低保对象满意度", "≥90%", weight="15",
              direction="正向", scoring="每降低1个百分点扣1分", note="问卷调查"),
        )),
    Project(
        name="养老服务体系建设补助", unit="樊城区养老服务指导中心", department=_B_UNIT,
        period="2023年1月-2025年12月",
        money=Money("1,250,000.00", "1,000,000.00", "250,000.00"),
        long_term_goals=("1.到2025年建成覆盖城乡的居家社区养老服务网络。",),
        goals=("1.新建社区养老服务站4个；", "2.为600名特殊困难老年人提供居家上门服务。"),
        indicators=(
            I("产出指标", "数量指标", "新建社区养老服务站数量", "≥4个", weight="20",
              direction="正向", scoring="每少1个扣5分"),
            I("产出指标", "数量指标", "居家上门服务老年人数", "≥600人", weight="10",
              direction="正向", scoring="每少50人扣1分"),
            I("产出指标", "质量指标", "服务站验收合格率", "＝100%", weight="15",
              direction="正向", scoring="不合格1个扣5分"),
            I("产出指标", "时效指标", "项目完工时间", "2023年12月底前完成", weight="10",
              direction="正向"),
            I("产出指标", "成本指标", "单个服务站建设补助", "≤25万元", weight="10",
              direction="反向"),
            I("效益指标", "社会效益指标", "社区养老服务覆盖率", "≥60%", weight="15",
              direction="正向"),
            I("效益指标", "服务对象满意度指标", "服务老年人满意度", "≥90%", weight="20",
              direction="正向", scoring="每降低1个百分点扣1分"),
        )),
))

_C_UNIT = "成都市武侯区教育局"
_C = Says(unit=_C_UNIT, year=2021, money_unit="万元", projects=(
    Project(
        name="学前教育生均公用经费补助", unit=_C_UNIT, money=Money("1860.00", "", ""),
        goals=("1.按生均600元/年标准拨付公办幼儿园公用经费，保障约3.1万名在园幼儿；",
               "2.普惠性幼儿园覆盖率达到85%以上。"),
        indicators=(
            I("产出指标", "数量指标", "补助在园幼儿人数", "≥31000人"),
            I("产出指标", "数量指标", "补助公办幼儿园数", "=46所"),
            I("产出指标", "质量指标", "资金拨付准确率", "=100%"),
            I("产出指标", "时效指标", "资金拨付时间", "2021年6月底前"),
            I("产出指标", "成本指标", "生均公用经费补助标准", "=600元/生·年"),
            I("效益指标", "社会效益指标", "普惠性幼儿园覆盖率", "≥85%"),
            I("效益指标", "可持续影响指标", "学前教育普惠保障机制", "持续完善"),
            I("满意度指标", "服务对象满意度指标", "幼儿家长满意度", "≥90%"),
        )),
    Project(
        name="中小学校舍维修改造", unit=_C_UNIT, money=Money("650.00", "", ""),
        goals=("1.完成12所中小学校舍维修改造，消除C级危房隐患；", "2.工程验收合格率100%。"),
        indicators=(
            I("产出指标", "数量指标", "维修改造学校数", "=12所"),
            I("产出指标", "数量指标", "维修改造面积", "≥18000平方米"),
            I("产出指标", "质量指标", "工程验收合格率", "=100%"),
            I("产出指标", "时效指标", "暑期完工率", "≥90%"),
            I("产出指标", "成本指标", "单位面积改造成本", "≤361元/平方米"),
            I("效益指标", "社会效益指标", "校舍安全隐患消除率", "=100%"),
            I("效益指标", "可持续影响指标", "校舍使用年限延长", "≥10年"),
            I("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%"),
        )),
    Project(
        name="中小学教师培训经费", unit="成都市武侯区教师发展中心",
        money=Money("120.00", "", ""),
        goals=("1.组织全区中小学教师参加继续教育培训不少于2800人次；",
               "2.培训合格率达到95%以上。"),
        indicators=(
            I("产出指标", "数量指标", "培训教师人次", "≥2800人次"),
            I("产出指标", "数量指标", "开设培训班期数", "≥24期"),
            I("产出指标", "质量指标", "培训合格率", "≥95%"),
            I("产出指标", "时效指标", "培训完成时间", "2021年12月底前"),
            I("产出指标", "成本指标", "人均培训成本", "≤428元/人次"),
            I("效益指标", "社会效益指标", "教师教学能力提升", "达到预期目标"),
            I("效益指标", "可持续影响指标", "教师培训长效机制", "持续运行"),
            I("满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90%"),
        )),
))

_D_UNIT = "宜昌市夷陵区水利和湖泊局"
_D = Says(unit=_D_UNIT, year=2020, money_unit="万元", projects=(
    Project(
        name="中小河流治理工程", unit="夷陵区河道堤防管理站", department=_D_UNIT,
        period="2020年-2022年", money=Money("2400.00", "2000.00", "400.00"),
        long_term_goals=("1.完成黄柏河夷陵段等3条中小河流综合治理，治理河长28公里；",
                         "2.防洪标准达到10年一遇。"),
        goals=("1.完成黄柏河夷陵段治理河长10公里；", "2.完成堤防加固6公里。"),
        indicators=(
            I("产出指标", "数量指标", "治理河道长度", "≥10公里", long_term="≥28公里"),
            I("产出指标", "数量指标", "堤防加固长度", "≥6公里", long_term="≥15公里"),
            I("产出指标", "质量指标", "工程质量合格率", "=100%", long_term="=100%"),
            I("产出指标", "时效指标", "工程完工率", "≥35%", long_term="=100%"),
            I("产出指标", "成本指标", "每公里治理成本", "≤240万元", long_term="≤240万元"),
            I("效益指标", "社会效益指标", "受保护人口", "≥1.8万人", long_term="≥5.2万人"),
            I("效益指标", "生态效益指标", "河道水质达标率", "≥85%", long_term="≥90%"),
            I("满意度指标", "服务对象满意度指标", "沿河群众满意度", "≥90%", long_term="≥90%"),
        )),
    Project(
        name="农村饮水安全巩固提升", unit="夷陵区农村供水管理站", department=_D_UNIT,
        period="2020年", money=Money("360.00", "360.00", "0.00"),
        long_term_goals=("1.巩固提升农村饮水安全水平，农村集中供水率达到92%。",),
        goals=("1.新建改造供水管网45公里；", "2.受益人口1.5万人。"),
        indicators=(
            I("产出指标", "数量指标", "新建改造供水管网长度", "≥45公里", long_term="≥45公里"),
            I("产出指标", "数量指标", "受益人口", "≥1.5万人", long_term="≥1.5万人"),
            I("产出指标", "质量指标", "水质检测合格率", "≥95%", long_term="≥95%"),
            I("产出指标", "时效指标", "工程完工时间", "2020年12月底前",
              long_term="2020年12月底前"),
            I("效益指标", "社会效益指标", "农村集中供水率", "≥92%", long_term="≥92%"),
            I("效益指标", "可持续影响指标", "工程运行年限", "≥15年", long_term="≥15年"),
            I("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", long_term="≥90%"),
        )),
))

_E_UNIT = "长沙市天心区城市管理和综合执法局"
_E = Says(
    unit=_E_UNIT, year=2021, money_unit="万元",
    department=Department(
        name=_E_UNIT, money=Money("5820.36", "5600.00", "220.36"),
        duties=("1.负责城市市容环境卫生管理；", "2.负责城市道路照明和园林绿化管理；",
                "3.负责城市管理综合行政执法。"),
        goals=("1.城区主次干道机械化清扫率达到95%；", "2.生活垃圾无害化处理率100%；",
               "3.违法建设零增长。"),
        indicators=(
            I("产出指标", "数量指标", "道路机械化清扫面积", "≥820万平方米"),
            I("产出指标", "质量指标", "机械化清扫率", "≥95%"),
            I("产出指标", "时效指标", "垃圾日产日清率", "=100%"),
            I("效益指标", "社会效益指标", "违法建设新增面积", "=0平方米"),
            I("效益指标", "生态效益指标", "生活垃圾无害化处理率", "=100%"),
            I("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"),
        )),
    projects=(
        Project(
            name="城区环境卫生作业经费", unit="天心区环境卫生服务中心", department=_E_UNIT,
            money=Money("2860.00", "2860.00", "0.00"),
            goals=("1.保障城区312条道路日常清扫保洁；", "2.城区道路机械化清扫率达到95%。"),
            indicators=(
                I("产出指标", "数量指标", "清扫保洁道路数量", "=312条", "计划标准"),
                I("产出指标", "质量指标", "道路保洁达标率", "≥95%", "行业标准"),
                I("产出指标", "时效指标", "作业经费按月拨付率", "=100%", "计划标准"),
                I("产出指标", "成本指标", "每平方米年保洁成本", "≤3.5元", "预算支出标准"),
                I("效益指标", "社会效益指标", "城市环境卫生状况", "达到预期目标", "历史标准"),
                I("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "历史标准"),
            )),
        Project(
            name="城市道路照明设施维护", unit="天心区市政设施维护中心", department=_E_UNIT,
            money=Money("480.00", "400.00", "80.00"),
            goals=("1.维护路灯1.86万盏，亮灯率保持在98%以上。",),
            indicators=(
                I("产出指标", "数量指标", "维护路灯数量", "≥18600盏", "计划标准"),
                I("产出指标", "质量指标", "主次干道亮灯率", "≥98%", "行业标准"),
                I("产出指标", "时效指标", "故障修复时限", "≤24小时", "行业标准"),
                I("产出指标", "成本指标", "单灯年维护成本", "≤258元/盏", "预算支出标准"),
                I("效益指标", "社会效益指标", "夜间出行安全保障", "达到预期目标", "历史标准"),
                I("效益指标", "生态效益指标", "LED节能灯具占比", "≥80%", "计划标准"),
                I("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "历史标准"),
            )),
    ))


def _numbered(i: int, p: Project) -> str:
    return f"{i}.{p.name}绩效目标表"


def _document_a() -> Document:
    blocks: list[str | TableSpec] = [
        "2022年度项目支出绩效目标表", f"填报单位：{_A.unit}", "单位：万元"]
    for i, p in enumerate(_A.projects, 1):
        blocks += [_numbered(i, p), layout_a(p)]
    return Document("A", "A-湖南-项目支出绩效目标表",
                    "seed-like: one table per project, other labels, blank pre-printed rows",
                    _A, (Section("项目支出绩效目标表", tuple(blocks)),),
                    html_encoding="gbk", wrapped_labels=("指标值设定依据",))


def document_b(says: Says = _B, name: str = "B-湖北-项目支出绩效目标申报表") -> Document:
    """Form B (its 权重 column) drawn from ``says``: the sample, or a variant of it."""
    sections: list[Section] = []
    for i, p in enumerate(says.projects, 1):
        head, inds = layout_b(p)
        title = (("2023年项目支出绩效目标申报表", f"填报单位：{says.unit}", "单位：元")
                 if i == 1 else ())
        sections.append(Section(p.name, (*title, _numbered(i, p), head, "项目绩效指标", inds)))
    return Document("B", name,
                    "a header table and an indicator table per project, amounts in 元",
                    says, tuple(sections), landscape=True, wrapped_labels=("评(扣)分标准",))


def _document_c() -> Document:
    blocks = ("成都市武侯区教育局2021年部门预算项目绩效目标表", "单位：万元",
              layout_c(_C.projects))
    return Document("C", "C-四川-部门预算项目绩效目标表",
                    "one wide table holding all projects, project cells merged down",
                    _C, (Section("项目绩效目标", blocks),), html_encoding="gb18030")


def _document_d() -> Document:
    blocks: list[str | TableSpec] = ["2020年度项目支出绩效目标表", f"单位名称：{_D.unit}",
                                     "金额单位：万元"]
    variants = (("指标值(中长期)", "指标值(年度)"), ("中长期指标值", "年度指标值"))
    for i, (p, labels) in enumerate(zip(_D.projects, variants, strict=True), 1):
        head, inds = layout_d(p, labels)
        blocks += [_numbered(i, p), head, inds]
    return Document("D", "D-湖北-中长期与年度目标表",
                    "long-term and annual targets side by side (goals and indicators)",
                    _D, (Section("绩效目标表", tuple(blocks)),))


def _document_e() -> Document:
    assert _E.department is not None
    labels = LabelsA(name="项目名称", level2="二级指标", basis="指标值确定依据", empty_rows=0)
    projects: list[str | TableSpec] = ["二、项目支出绩效目标表"]
    for i, p in enumerate(_E.projects, 1):
        projects += [_numbered(i, p), layout_a(p, labels)]
    return Document("E", "E-湖南-部门整体与项目绩效目标表",
                    "a department-level table (部门整体绩效目标表) before the project tables",
                    _E, (
                        Section("部门整体绩效目标", (
                            f"{_E.unit}2021年部门整体绩效目标表", "单位：万元",
                            "一、部门整体绩效目标表", layout_e(_E.department))),
                        Section("项目支出绩效目标", tuple(projects)),
                    ), html_encoding="gbk", wrapped_labels=("指标值确定依据",),
                    new_page_before=("二、项目支出绩效目标表",))


DOCUMENTS: dict[str, Document] = {d.key: d for d in (
    _document_a(), document_b(), _document_c(), _document_d(), _document_e())}
"""The sample documents by key, "A" … "E"."""

FORMS: dict[str, str] = {k: d.form for k, d in DOCUMENTS.items()}


# --- renderers -----------------------------------------------------------------------

_FONT = "宋体"


def _east_asia(run, font: str = _FONT) -> None:
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _docx_row_props(row, *, header: bool) -> None:
    """Rows never split over a page (as the forms are set up); header rows repeat."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _docx_table(doc, spec: TableSpec) -> None:
    table = doc.add_table(rows=len(spec.rows), cols=len(spec.widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, spec.widths, strict=True):
        column.width = Mm(width)  # the grid's w:gridCol, which LibreOffice lays out by
    for r, row in enumerate(table.rows):
        _docx_row_props(row, header=r < spec.header_rows)
        for c, cell in enumerate(row.cells):
            cell.width = Mm(spec.widths[c])
    for r, c, spec_cell in spec.placed():
        cell = table.cell(r, c)
        if spec_cell.rowspan > 1 or spec_cell.colspan > 1:
            cell = cell.merge(table.cell(r + spec_cell.rowspan - 1, c + spec_cell.colspan - 1))
        for i, line in enumerate(spec_cell.text.split("\n")):
            para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            _east_asia(para.add_run(line))


def write_docx(document: Document, path: Path) -> Path:
    """The document as Word writes it: titles as paragraphs, tables with merged cells."""
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _FONT)
    section = doc.sections[0]
    width, height = (Mm(297), Mm(210)) if document.landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if document.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    previous: str | TableSpec = ""
    for k, block in enumerate(document.blocks):
        if isinstance(block, TableSpec):
            if isinstance(previous, TableSpec):
                doc.add_paragraph()  # else Word shows (and LibreOffice prints) one table
            _docx_table(doc, block)
            previous = block
            continue
        previous = block
        para = doc.add_paragraph()
        para.paragraph_format.page_break_before = block in document.new_page_before
        run = para.add_run(block)
        _east_asia(run, "黑体" if k == 0 else _FONT)
        if k == 0:
            run.font.size = Pt(16)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.startswith("单位") or block.startswith("金额单位"):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(path))
    return path


def _html_cell(cell: Cell, width_mm: float | None) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if width_mm is not None:
        attrs += f' width="{round(width_mm * 3.78)}"'
    body = "<br>".join(html.escape(line) for line in cell.text.split("\n"))
    return f"<td{attrs}>{body}</td>"


def _html_table(spec: TableSpec) -> str:
    cols = "".join(f'<col width="{round(w * 3.78)}">' for w in spec.widths)
    rows = []
    for r, c, cell in spec.placed():
        while len(rows) <= r:
            rows.append([])
        width = spec.widths[c] if cell.colspan == 1 and r == 0 else None
        rows[r].append(_html_cell(cell, width))
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return (f'<table border="1" cellspacing="0" cellpadding="3" '
            f'style="border-collapse:collapse">\n<colgroup>{cols}</colgroup>\n{body}\n</table>')


def html_page(document: Document) -> str:
    """A saved page of a government site: navigation, the published text, a footer,
    scripts and styles that are not content."""
    parts = []
    for k, block in enumerate(document.blocks):
        if isinstance(block, TableSpec):
            if k and isinstance(document.blocks[k - 1], TableSpec):
                parts.append("<p>&nbsp;</p>")
            parts.append(_html_table(block))
        elif k == 0:
            parts.append(f"<h2 style=\"text-align:center\">{html.escape(block)}</h2>")
        elif block in document.new_page_before:
            parts.append(f'<p style="page-break-before: always">{html.escape(block)}</p>')
        else:
            parts.append(f"<p>{html.escape(block)}</p>")
    content = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={document.html_encoding}">
<title>{html.escape(document.paragraphs[0])}</title>
<style>td {{ font-size: 10pt; }} .nav {{ color: #333; }}</style>
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
</head>
<body>
<div class="nav">首页 &gt; 政务公开 &gt; 财政预决算</div>
<div class="article">
{content}
</div>
<div class="footer">版权所有：{html.escape(document.says.unit)}</div>
</body>
</html>
"""


def write_html(document: Document, path: Path) -> Path:
    path.write_bytes(html_page(document).encode(document.html_encoding))
    return path


_NUMBER = re.compile(r"-?\d+(\.\d*[1-9])?")
_THIN = Side(style="thin")


def _put(ws, row: int, col: int, text: str) -> None:
    """A number where Excel would hold one and it reads back as written ("85.5", "0");
    "120.00" or "3,309,840.00" stay text (a number would lose the zeros), and so does
    "=12个" (typed with Excel's leading apostrophe, it is no formula)."""
    cell = ws.cell(row, col)
    if _NUMBER.fullmatch(text):
        cell.value = float(text) if "." in text else int(text)
    elif text:
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = text.startswith("=")


def _xlsx_table(ws, spec: TableSpec, top: int) -> int:
    wrap = Alignment(wrap_text=True, vertical="center")
    for r, c, cell in spec.placed():
        _put(ws, top + r, c + 1, cell.text)
        for i in range(cell.rowspan):
            for j in range(cell.colspan):
                target = ws.cell(top + r + i, c + 1 + j)
                target.border = Border(_THIN, _THIN, _THIN, _THIN)
                target.alignment = wrap
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=top + r, start_column=c + 1,
                           end_row=top + r + cell.rowspan - 1,
                           end_column=c + cell.colspan)
    return top + len(spec.rows)


def write_xlsx(document: Document, path: Path) -> Path:
    """One sheet per section; a paragraph is a row merged across the table width."""
    wb = Workbook()
    wb.remove(wb.active)
    for section in document.sections:
        ws = wb.create_sheet(section.sheet[:31])
        width = max(len(t.widths) for t in section.blocks if isinstance(t, TableSpec))
        row = 1
        for block in section.blocks:
            if isinstance(block, TableSpec):
                row = _xlsx_table(ws, block, row) + 1  # a blank row after a table
                continue
            _put(ws, row, 1, block)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        for c in range(width):
            ws.column_dimensions[chr(ord("A") + c)].width = 14
    wb.save(path)
    return path


FORMATS = ("docx", "html", "xlsx", "xls", "pdf", "html.pdf")
"""File kinds ``render`` writes: ``pdf`` is made from the .docx, ``html.pdf`` from the
HTML page (both by LibreOffice Writer), ``xls`` from the .xlsx (LibreOffice Calc)."""


def render(folder: Path, keys: Sequence[str] = tuple(DOCUMENTS)) -> dict[str, dict[str, Path]]:
    """Write every document in every format into ``folder``: {key: {format: path}}.

    LibreOffice runs once per target kind (not once per file), as a test session can
    afford."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Path]] = {}
    for key in keys:
        d = DOCUMENTS[key]
        out[key] = {
            "docx": write_docx(d, folder / f"{d.name}.docx"),
            "html": write_html(d, folder / f"{d.name}.html"),
            "xlsx": write_xlsx(d, folder / f"{d.name}.xlsx"),
        }
    made = {
        "xls": convert_all([out[k]["xlsx"] for k in keys], "xls", folder),
        "pdf": convert_all([out[k]["docx"] for k in keys], "pdf", folder),
        "html.pdf": convert_all([out[k]["html"] for k in keys], "pdf", folder / "html-pdf",
                                writer=True),
    }
    for kind, paths in made.items():
        for key, path in zip(keys, paths, strict=True):
            if kind == "html.pdf":
                path = path.replace(folder / f"{DOCUMENTS[key].name}.html.pdf")
            out[key][kind] = path
    (folder / "html-pdf").rmdir()
    return out


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m tests.documents OUT_DIR [A B …]", file=sys.stderr)
        return 2
    for key, paths in render(Path(argv[0]), list(argv[1:]) or list(DOCUMENTS)).items():
        for kind, path in paths.items():
            print(f"{key} {kind:8} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
