"""Cell styles of the workbook, in one place so every sheet looks the same (fonts and
number formats as plain values: ``formats``)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.engines.template.formats import FONT_NAME, FONT_SIZE
from xl_addin.engines.template.formats import FOOTER as FOOTER
from xl_addin.engines.template.formats import (
    MONEY_FORMAT as MONEY_FORMAT,  # the sheets' builders take all from here
)
from xl_addin.engines.template.formats import PERCENT_FORMAT as PERCENT_FORMAT
from xl_addin.engines.template.formats import PRINT_MARGINS as PRINT_MARGINS
from xl_addin.engines.template.formats import TEXT_FORMAT as TEXT_FORMAT

_thin = Side(style="thin", color="000000")

BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
NO_BORDER = Border()
FONT = Font(name=FONT_NAME, size=FONT_SIZE)
FONT_BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=16, bold=True)
FONT_NOTE = Font(name=FONT_NAME, size=9, color="595959")
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
NO_FILL = PatternFill()
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)


def print_a4(ws: Worksheet, title_rows: str | None, *, landscape: bool = False,
             side_margin: float = 0.5) -> None:
    """A4, fitted to one page wide, centred, page numbers in the footer, and the title
    rows repeated on every page: how every printed sheet of the workbook looks."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = side_margin
    m = ws.page_margins
    m.top, m.bottom, m.header, m.footer = (PRINT_MARGINS[k] for k in
                                           ("top", "bottom", "header", "footer"))
    ws.oddFooter.center.text = FOOTER
    if title_rows:
        ws.print_title_rows = title_rows


def list_validation(ws: Worksheet, sqref: str, formula: str, title: str, prompt: str, *,
                    error: str | None = None, strict: bool = False) -> None:
    """A dropdown over ``sqref`` from ``formula`` (a defined name, or a quoted list),
    ``prompt`` shown when a cell is selected.  Another value gets a warning the user may
    accept (``error``, else “not in the list” and the prompt); with ``strict`` it is
    stopped and a blank is refused too (续建项目's 是/否)."""
    dv = DataValidation(type="list", formula1=formula, allow_blank=not strict,
                        showErrorMessage=True, errorStyle="stop" if strict else "warning",
                        errorTitle=title,
                        error=error if error is not None else f"不在{title}列表中。" + prompt,
                        showInputMessage=bool(prompt), promptTitle=title, prompt=prompt)
    dv.add(sqref)
    ws.add_data_validation(dv)
