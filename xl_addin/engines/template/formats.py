"""The workbook's font and number formats as plain values.

``styles`` builds openpyxl's style objects from them; the streamed review workbook
(``documents.exporters.xlsx_stream``) uses them too, without loading openpyxl.
"""

FONT_NAME = "宋体"  # what published tables use; LibreOffice substitutes a CJK font
FONT_SIZE = 10
#: 万元 with two decimals, up to four when written (exact to the 元: 10606.7522)
MONEY_FORMAT = "0.00##"
PERCENT_FORMAT = "0%"
TEXT_FORMAT = "@"

#: page margins (inches).  The footer sits between ``footer`` and ``bottom`` from the
#: paper's lower edge: LibreOffice gives it ``bottom - footer`` of height, so that must
#: hold a line of 10-pt text (0.6 over 0.5 left 0.1 in and cut the page numbers in half).
PRINT_MARGINS = {"top": 0.6, "bottom": 0.8, "header": 0.3, "footer": 0.3}
FOOTER = "第 &P 页，共 &N 页"
