"""The names the template gives its sheets and its marks.

Readers (the layouts, the batch review's workers) need these without the builder,
which loads openpyxl; the builder takes them from here too.
"""

from __future__ import annotations

from xl_addin.forms import department_sheet as dept_layout
from xl_addin.forms import settings_sheet

TEMPLATE_VERSION = "1"
MARKER_NAME = "XL_ADDIN_TEMPLATE"
MARKER_VALUE = f"xl-addin/perf-targets/{TEMPLATE_VERSION}"
#: the same mark as a range name (the 模板版本 cell): xlwings' VBA client sends range
#: names only, so without it the add-in could not recognise our workbooks there
MARKER_CELL_NAME = "XL_ADDIN_TEMPLATE_CELL"
MASTER_SHEET = "项目模板"
HELP_SHEET = "说明"
SUMMARY_SHEET = "汇总"
TEMPLATE_FILE = "performance_targets.xlsx"
LIBRARY_SHEET = "指标库"
#: 复制上年's list to tick: which projects continue (next_year)
CHOICE_SHEET = "续建项目"

#: sheets the tool owns that are not project sheets
RESERVED_SHEETS = {
    HELP_SHEET,
    dept_layout.SHEET,
    SUMMARY_SHEET,
    MASTER_SHEET,
    settings_sheet.SHEET,
    LIBRARY_SHEET,
    "校验结果",
    "_xl_addin_marks",
    "导入说明",  # what an import read (importers.report.SHEET)
    "已说明",  # the accepted findings (acceptances.SHEET)
    "上年对照",  # what 复制上年 changed (next_year.SHEET)
    CHOICE_SHEET,
}
