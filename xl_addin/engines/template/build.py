"""Generating the template workbook (committed under ``workbook_templates/``).

The template is code, not a hand-edited file: a test regenerates it and compares it part
by part with the committed copy, so a change to the layout shows up in review as a
change to this module.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin import __version__
from xl_addin.core.grid import a1
from xl_addin.core.model import INDICATOR_FIELDS, Department, Settings
from xl_addin.engines.file import fit_rows
from xl_addin.engines.template import styles as st
from xl_addin.forms import department_sheet as dept_layout
from xl_addin.forms import project_sheet as proj
from xl_addin.forms import settings_sheet
from xl_addin.forms.indicator_rows import written_rows
from xl_addin.forms.names import (
    HELP_SHEET,
    LIBRARY_SHEET,
    MARKER_CELL_NAME,
    MARKER_NAME,
    MARKER_VALUE,
    MASTER_SHEET,
    SUMMARY_SHEET,
    TEMPLATE_FILE,
    TEMPLATE_VERSION,
)
from xl_addin.rules.profiles import Profile
from xl_addin.rules.profiles import load as load_profile

HELP_LINES = [
    "预算项目绩效目标表 —— 使用说明",
    "",
    "一、本工作簿的结构",
    "“部门整体绩效目标”：总体目标、分项绩效目标（按职责）、工作保障措施，以及部门整体的绩效指标（填法同项目表）。",
    "“汇总”：由“汇总”按钮（或命令 xl-addin consolidate）生成，请勿手工填写。",
    "其余每张工作表是一个项目的绩效目标表；白色单元格可填写，灰色为标签，已保护。",
    "",
    "二、填写要点",
    "1. 预算数 = 财政资金 + 其他资金（万元，最多四位小数，即精确到元）。",
    "2. 资金支出计划为累计百分比，逐季不减，12月底为 100%。",
    "3. 一级、二级指标请从下拉列表选择；一级指标只在每组第一行填写，下面留空表示同上。",
    "4. 指标值写“比较符 + 数字 + 单位”，如 ≥95%、=19人、≤35微克/立方米；不要写“是/否”。",
    "5. 指标值确定依据从下拉列表选择：计划标准、行业标准、历史标准、预算支出标准、其他标准。",
    "",
    "三、加载项按钮（Excel“绩效目标”选项卡）",
    "新增项目、填充默认指标、校验当前表、校验全部、清除标记、汇总、一键提交。",
    "WPS 或 LibreOffice 用户请使用命令行：xl-addin validate / fill / consolidate / submit。",
    "",
    "四、校验标记",
    "红色底纹为错误，黄色底纹为警告；鼠标移到单元格上可看到说明，“校验结果”表列出全部问题。",
]


HELP_WIDTH = 70


def _categories() -> list[str]:
    text = resources.files("xl_addin").joinpath("data/categories.toml").read_text("utf-8")
    return list(tomllib.loads(text)["names"])


def _style(ws: Worksheet, row: int, col: int, *, font=st.FONT, fill=st.NO_FILL,
           align=st.LEFT, border=st.BORDER, locked: bool = True, fmt: str | None = None) -> None:
    cell = ws.cell(row=row, column=col)
    cell.font, cell.fill, cell.alignment, cell.border = font, fill, align, border
    cell.protection = st.LOCKED if locked else st.UNLOCKED
    if fmt:
        cell.number_format = fmt


def _protect(ws: Worksheet, password: str = "") -> None:
    p = ws.protection
    p.sheet = True
    # users may resize, insert and delete rows (extra indicator rows) but not edit labels
    p.formatColumns = p.formatRows = p.insertRows = p.deleteRows = False
    if password:
        p.password = password


# ---------------------------------------------------------------- project sheet

#: value cells users type into: field -> number format
_INPUT_FORMATS: dict[str, str | None] = {
    "unit_line": None, "code": st.TEXT_FORMAT, "name": None, "category": None,
    "budget": st.MONEY_FORMAT, "fiscal": st.MONEY_FORMAT, "other": st.MONEY_FORMAT,
    "uses": None, "mar": st.PERCENT_FORMAT, "jun": st.PERCENT_FORMAT,
    "oct": st.PERCENT_FORMAT, "dec": st.PERCENT_FORMAT, "goals": None,
}
COLUMN_WIDTHS = {"A": 13, "B": 14, "C": 20, "D": 16, "E": 16, "F": 14, "G": 16}


def style_indicator_row(ws: Worksheet, row: int) -> None:
    for col in range(1, proj.N_COLS + 1):
        _style(ws, row, col, locked=False,
               align=st.CENTER if col in (1, 2, 6, 7) else st.LEFT)
    for c1, c2 in proj.INDICATOR_ROW_MERGES:
        ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)


def indicator_validations(ws: Worksheet, first: int, last: int) -> None:
    """The dropdowns of indicator rows ``first``..``last`` (a project's or the
    department's): 一级 and 确定依据 from their lists, 二级 from the row's 一级."""
    col = {key: get_column_letter(c) for key, c in proj.INDICATOR_COLUMNS.items()}
    rows = lambda key: f"{col[key]}{first}:{col[key]}{last}"  # noqa: E731
    level1 = f"${col['level1']}{first}"
    l2 = (
        f'IF(ISNA(MATCH({level1},L1_LIST,0)),L2_ALL,'
        f'OFFSET(L2_TABLE,0,MATCH({level1},L1_LIST,0)-1,ROWS(L2_TABLE),1))'
    )
    st.list_validation(ws, rows("level1"), "L1_LIST", "一级指标",
                     "请从列表中选择一级指标；留空表示同上一行。")
    st.list_validation(ws, rows("level2"), l2, "二级指标", "请选择与一级指标对应的二级指标。")
    st.list_validation(ws, rows("basis"), "BASIS_LIST", "确定依据", "请选择指标值确定依据。")


def _project_validations(ws: Worksheet, first: int, last: int) -> None:
    indicator_validations(ws, first, last)
    st.list_validation(ws, a1(*proj.STANDARD_CELLS["category"]), "CATEGORY_LIST", "项目类别",
                     "请选择项目类别，用于填充默认指标。")
    money = [a1(*proj.STANDARD_CELLS[k]) for k in proj.MONEY_FIELDS]
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                        allow_blank=True, showErrorMessage=True, errorStyle="stop",
                        errorTitle="金额", error="请输入不小于 0 的数字（万元，最多四位小数）。")
    for ref in money:
        dv.add(ref)
    ws.add_data_validation(dv)
    plan = [a1(*proj.STANDARD_CELLS[k]) for k in ("mar", "jun", "oct", "dec")]
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1",
                        allow_blank=True, showErrorMessage=True, errorStyle="stop",
                        errorTitle="支出计划", error="请输入 0% 到 100% 之间的累计百分比。")
    for ref in plan:
        dv.add(ref)
    ws.add_data_validation(dv)


def build_project_sheet(ws: Worksheet, password: str = "") -> None:
    """Lay out an empty project sheet (the hidden master every project is copied from)."""
    last = proj.FIRST_INDICATOR_ROW + proj.TEMPLATE_INDICATOR_ROWS - 1
    for row in range(proj.UNIT_ROW + 1, proj.FIRST_INDICATOR_ROW):
        for col in range(1, proj.N_COLS + 1):
            _style(ws, row, col)
    for text, (r, c) in proj.LABELS.items():
        header = r == proj.FIRST_INDICATOR_ROW - 1
        _style(ws, r, c, font=st.FONT_BOLD, fill=st.HEADER_FILL if header else st.LABEL_FILL,
               align=st.CENTER, border=st.NO_BORDER if text == proj.UNIT_LABEL else st.BORDER)
        ws.cell(row=r, column=c, value=text)
    ws.cell(row=proj.UNIT_ROW, column=6).alignment = st.RIGHT
    for key, fmt in _INPUT_FORMATS.items():
        r, c = proj.STANDARD_CELLS[key]
        top = key in ("uses", "goals")
        _style(ws, r, c, locked=False, fmt=fmt, align=st.LEFT_TOP if top else st.LEFT,
               border=st.NO_BORDER if key == "unit_line" else st.BORDER)
    r, c = proj.SUGGESTED_CATEGORY_CELL
    _style(ws, r, c, font=st.FONT_NOTE)
    for col in (4, 5):  # suggestion cells may be merged neighbours: same style
        _style(ws, r, col + 1, font=st.FONT_NOTE)
    title = ws.cell(row=proj.TITLE_ROW, column=1)
    title.value = '=IF({0}="","项目绩效目标表",{0}&"绩效目标表")'.format(
        a1(*proj.STANDARD_CELLS["name"])
    )
    title.font, title.alignment = st.FONT_TITLE, st.CENTER
    for r1, c1, r2, c2 in proj.MERGES:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for row in range(proj.FIRST_INDICATOR_ROW, last + 1):
        style_indicator_row(ws, row)
    for col, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.row_dimensions[proj.TITLE_ROW].height = 30
    ws.row_dimensions[proj.STANDARD_CELLS["uses"][0]].height = 42
    ws.row_dimensions[proj.STANDARD_CELLS["goals"][0]].height = 48
    _project_validations(ws, proj.FIRST_INDICATOR_ROW, last)
    ws.freeze_panes = None
    st.print_a4(ws, f"{proj.TITLE_ROW}:{proj.LABELS['项目编码'][0]}")
    _protect(ws, password)


# ---------------------------------------------------------------- department sheet

def build_department_sheet(ws: Worksheet, dept: Department, password: str = "") -> None:
    """Write the whole overview sheet from ``dept`` (the sheet is wholly generated):
    总体目标, the duties, the measures and the indicator block, top to bottom."""
    n_duties, n_measures, n_indicators = dept_layout.rows_for(dept)
    for col, width in COLUMN_WIDTHS.items():  # first: fitting rows reads the widths
        ws.column_dimensions[col].width = width
    _span(ws, dept_layout.TITLE_ROW, (1, dept_layout.N_COLS), dept_layout.TITLE,
          font=st.FONT_TITLE, align=st.CENTER, border=st.NO_BORDER)
    ws.row_dimensions[dept_layout.TITLE_ROW].height = 30
    row = dept_layout.OVERALL_ROW
    _style(ws, row, 1, font=st.FONT_BOLD, fill=st.LABEL_FILL, align=st.CENTER)
    ws.cell(row=row, column=1, value=dept_layout.OVERALL_LABEL)
    _span(ws, row, (2, dept_layout.N_COLS), dept.overall_goal or None, locked=False,
          align=st.LEFT_TOP)
    ws.row_dimensions[row].height = max(60, 15 * (len(dept.overall_goal) // 60 + 1))
    m_row = _department_duties(ws, dept, dept_layout.DUTIES_ROW, n_duties)
    i_row = _department_measures(ws, dept, m_row, n_measures)
    _department_indicators(ws, dept, i_row, n_indicators)
    st.print_a4(ws, "1:1")
    _protect(ws, password)


def _span(ws: Worksheet, row: int, cols: tuple[int, int], value: object, **style) -> None:
    """One cell over columns ``cols`` of ``row``, every covered cell styled alike (so
    the borders print), holding ``value``."""
    for col in range(cols[0], cols[1] + 1):
        _style(ws, row, col, **style)
    if cols[1] > cols[0]:
        ws.merge_cells(start_row=row, start_column=cols[0], end_row=row, end_column=cols[1])
    _put(ws, row, cols[0], value)


def _put(ws: Worksheet, row: int, col: int, value: object) -> None:
    """Write ``value``; text stays text (an imported target '=19人' is no formula)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def _section(ws: Worksheet, row: int, text: str) -> None:
    _span(ws, row, (1, dept_layout.N_COLS), text, font=st.FONT_BOLD, fill=st.HEADER_FILL,
          align=st.CENTER)


def _department_duties(ws: Worksheet, dept: Department, row: int, n: int) -> int:
    """分项绩效目标 from ``row``: header, then ``n`` duty rows; returns the next row."""
    _section(ws, row, dept_layout.DUTIES_LABEL)
    for cols, text in zip(dept_layout.DUTY_COLUMNS, dept_layout.DUTY_HEADER, strict=True):
        _span(ws, row + 1, cols, text, font=st.FONT_BOLD, fill=st.LABEL_FILL, align=st.CENTER)
    first = row + 2
    for i in range(n):
        d = dept.duties[i] if i < len(dept.duties) else None
        values = (d.number, d.name, d.goal) if d else ("", "", "")
        for cols, value in zip(dept_layout.DUTY_COLUMNS, values, strict=True):
            _span(ws, first + i, cols, value or None, locked=False,
                  align=st.CENTER if cols[0] == 1 else st.LEFT)
    fit_rows(ws, list(range(first, first + len(dept.duties))))
    return first + n


def _department_measures(ws: Worksheet, dept: Department, row: int, n: int) -> int:
    """工作保障措施 from ``row``: ``n`` numbered rows; returns the next row."""
    _section(ws, row, dept_layout.MEASURES_LABEL)
    number_cols, text_cols = dept_layout.MEASURE_COLUMNS
    for i in range(n):
        r = row + 1 + i
        _span(ws, r, number_cols, i + 1, align=st.CENTER)
        _span(ws, r, text_cols, dept.measures[i] if i < len(dept.measures) else None,
              locked=False, align=st.LEFT_TOP)
    fit_rows(ws, list(range(row + 1, row + 1 + len(dept.measures))))
    return row + 1 + n


def _department_indicators(ws: Worksheet, dept: Department, row: int, n: int) -> None:
    """绩效指标 from ``row``: the project sheet's indicator header and ``n`` rows in its
    columns, with its dropdowns; the block is the sheet's last, so rows typed below it
    read as rows of the block."""
    _section(ws, row, dept_layout.INDICATORS_LABEL)
    header = row + 1
    for key, c in proj.INDICATOR_COLUMNS.items():
        _style(ws, header, c, font=st.FONT_BOLD, fill=st.LABEL_FILL, align=st.CENTER)
        ws.cell(row=header, column=c, value=INDICATOR_FIELDS[key])
    for c1, c2 in proj.INDICATOR_ROW_MERGES:
        for col in range(c1 + 1, c2 + 1):
            _style(ws, header, col, font=st.FONT_BOLD, fill=st.LABEL_FILL, align=st.CENTER)
        ws.merge_cells(start_row=header, start_column=c1, end_row=header, end_column=c2)
    first = header + 1
    for r in range(first, first + n):
        style_indicator_row(ws, r)
    for i, cells in enumerate(written_rows(dept.indicators)):
        for key, c in proj.INDICATOR_COLUMNS.items():
            _put(ws, first + i, c, cells[key] or None)
    indicator_validations(ws, first, first + n - 1)
    fit_rows(ws, list(range(first, first + len(dept.indicators))))


# ---------------------------------------------------------------- settings sheet

LIST_NAMES = ("L1_LIST", "L2_TABLE", "L2_ALL", "BASIS_LIST", "CATEGORY_LIST", "FRAME_LIST")


def write_settings_sheet(wb: Workbook, ws: Worksheet, settings: Settings, profile: Profile) -> None:
    """Settings in A:B and the dropdown lists (with their defined names) to the right."""
    for row in ws.iter_rows():
        for cell in row:
            cell.value = None
    ws["A1"], ws["B1"] = "设置", "值"
    for (r, c), value in settings_sheet.cells(settings).items():
        ws.cell(row=r, column=c, value=value)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 40

    def column(col: int, header: str, items: list[str]) -> str:
        ws.cell(row=1, column=col, value=header)
        for i, item in enumerate(items, start=2):
            ws.cell(row=i, column=col, value=item)
        letter = get_column_letter(col)
        return f"'{ws.title}'!${letter}$2:${letter}${max(2, len(items) + 1)}"

    refs = {
        "L1_LIST": column(4, "一级指标", profile.level1),
        "L2_ALL": column(11, "全部二级指标", profile.all_level2),
        "BASIS_LIST": column(13, "确定依据", profile.bases),
        "CATEGORY_LIST": column(15, "项目类别", _categories()),
        "FRAME_LIST": column(17, "指标框架", ["2015", "2021"]),
    }
    height = max(len(v) for v in profile.framework.values())
    for i, (l1, l2s) in enumerate(profile.framework.items()):
        column(6 + i, l1, l2s)
    refs["L2_TABLE"] = (
        f"'{ws.title}'!$F$2:${get_column_letter(5 + len(profile.framework))}${height + 1}"
    )
    for name in LIST_NAMES:
        wb.defined_names[name] = DefinedName(name, attr_text=refs[name])
    dv = DataValidation(type="list", formula1="FRAME_LIST", allow_blank=False)
    dv.add(a1(settings_sheet.FIELDS["frame"][1], 2))
    ws.data_validations.dataValidation = [dv]


# ---------------------------------------------------------------- library sheet

LIBRARY_HEADER = ["项目类别", "指标框架", "一级指标", "二级指标", "三级指标", "绩效指标描述",
                  "指标值", "指标值确定依据"]
LIBRARY_WIDTHS = [16, 8, 12, 16, 22, 40, 14, 14]


def build_library_sheet(ws: Worksheet, password: str = "") -> None:
    """The default rows of every category in both frames, as a protected table.  A
    finance bureau may edit it in its own copy of the template: the sheet then wins
    over the packaged library."""
    from xl_addin.library import load_library

    library = load_library()
    ws.append(LIBRARY_HEADER)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = st.FONT_BOLD, st.HEADER_FILL, st.CENTER
    for frame in ("2015", "2021"):
        for category in library.categories():
            for ind in library.rows(category, frame):
                ws.append([category, frame, ind.level1, ind.level2, ind.level3,
                           ind.description, ind.value, ind.basis])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.font, cell.alignment = st.FONT, st.LEFT
            cell.data_type = "s"  # '=N人' is a target, not a formula
    for i, width in enumerate(LIBRARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    fit_rows(ws, list(range(2, ws.max_row + 1)))
    st.print_a4(ws, "1:1", landscape=True)
    _protect(ws, password)


# ---------------------------------------------------------------- whole workbook

def build_template(settings: Settings | None = None) -> Workbook:
    """The template workbook: no projects yet, every owned sheet laid out."""
    settings = settings or Settings(template_version=TEMPLATE_VERSION)
    settings.template_version = TEMPLATE_VERSION
    profile = load_profile(settings.frame or "2015")
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP_SHEET
    for i, line in enumerate(HELP_LINES, start=1):
        cell = help_ws.cell(row=i, column=1, value=line or None)
        cell.font = st.FONT_TITLE if i == 1 else (st.FONT_BOLD if line[:2] in
                                                  ("一、", "二、", "三、", "四、") else st.FONT)
        cell.alignment = st.LEFT
    # narrow enough to print on A4 portrait unscaled: LibreOffice shifts a wider single
    # column off the page's left edge instead of fitting it
    help_ws.column_dimensions["A"].width = HELP_WIDTH
    help_ws.row_dimensions[1].height = 24  # the 16-pt title
    fit_rows(help_ws, list(range(1, len(HELP_LINES) + 1)))
    st.print_a4(help_ws, None)
    _protect(help_ws, settings.password)

    build_department_sheet(wb.create_sheet(dept_layout.SHEET), Department(), settings.password)

    summary = wb.create_sheet(SUMMARY_SHEET)
    summary["A1"] = "项目汇总（请点击“汇总”按钮或运行 xl-addin consolidate 生成）"
    summary["A1"].font = st.FONT_BOLD
    _protect(summary, settings.password)

    build_library_sheet(wb.create_sheet(LIBRARY_SHEET), settings.password)

    master = wb.create_sheet(MASTER_SHEET)
    build_project_sheet(master, settings.password)
    master.sheet_state = "hidden"

    params = wb.create_sheet(settings_sheet.SHEET)
    write_settings_sheet(wb, params, settings, profile)
    params.sheet_state = "hidden"
    _protect(params, settings.password)

    wb.defined_names[MARKER_NAME] = DefinedName(MARKER_NAME, attr_text=f'"{MARKER_VALUE}"')
    version_row = settings_sheet.FIELDS["template_version"][1]
    wb.defined_names[MARKER_CELL_NAME] = DefinedName(
        MARKER_CELL_NAME, attr_text=f"'{settings_sheet.SHEET}'!$B${version_row}")
    wb.properties.creator = f"xl-addin {__version__}"
    wb.properties.title = "预算项目绩效目标表"
    wb.active = 0
    return wb


def template_path() -> Path:
    """The committed template (in a source checkout)."""
    return Path(__file__).resolve().parents[3] / "workbook_templates" / TEMPLATE_FILE
