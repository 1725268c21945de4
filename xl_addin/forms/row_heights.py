"""How tall a row must be to show all of its wrapped text.

Excel autofits rows but not rows whose text sits in merged cells (资金用途, 绩效目标, a
merged 描述), LibreOffice keeps the stored height, and openpyxl cannot measure text: so
the tool estimates the number of lines from the text's display width (a CJK character
takes two of Excel's character units, a Latin one) and the width of the cell's columns,
and stores a height that shows every line, on screen and in print.
"""

from __future__ import annotations

LINE_HEIGHT = 13.5  # points per line of 10-pt 宋体
MIN_HEIGHT = 18.0
PADDING = 4.0  # above and below the lines
#: a cell's inner margins, in character units: what a column's width leaves for text
CELL_MARGIN = 1.5

def text_width(text: str) -> int:
    """Display width in Excel's character units: CJK characters (three bytes in UTF-8,
    as are full-width punctuation and the symbols 宋体 draws full width) count double.
    Counted through the encoding, in C: the review sizes a hundred thousand rows."""
    extra = len(text.encode("utf-8")) - len(text)
    return len(text) + extra // 2


def line_count(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a cell ``width`` characters wide (its own line breaks
    kept); a cell too narrow to matter still holds one character a line."""
    usable = int(max(4.0, width - CELL_MARGIN))
    count = 0
    for part in text.split("\n"):
        if 2 * len(part) <= usable:  # fits even when all wide: no need to measure
            count += 1
        else:
            count += max(1, -(-text_width(part) // usable))
    return count


def height_for(lines: int) -> float:
    """The row height (points) that shows ``lines`` lines of body text."""
    return max(MIN_HEIGHT, lines * LINE_HEIGHT + PADDING)
