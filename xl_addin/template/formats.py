"""The workbook's font and number formats as plain values.

``styles`` builds openpyxl's style objects from them; the streamed review workbook
(``exporters.xlsx_stream``) uses them too, without loading openpyxl.
"""

FONT_NAME = "宋体"  # what published tables use; LibreOffice substitutes a CJK font
FONT_SIZE = 10
MONEY_FORMAT = "0.00"
PERCENT_FORMAT = "0%"
TEXT_FORMAT = "@"
