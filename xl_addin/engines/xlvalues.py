"""Values between Python and a live Excel range, and the rectangles a batch is cut into.

Every xlwings call is a round trip (COM on desktop, a JSON action on the remote engine),
so the live engine writes each contiguous rectangle of a change once.  What Excel gives
back also differs by client: COM returns floats for whole numbers, xlwings' VBA client
sends a text of 16 or more digits as a JSON number and empty cells as null, its Office.js
client sends "".  ``from_excel`` folds all of them into what the file engine reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from xl_addin.core.patch import Formula

Rect = tuple[int, int, int, int]  # r1, c1, r2, c2 (1-based, inclusive)

#: texts Excel would turn into a number, date, time, boolean or formula when written as
#: a value: digits with separators, signs, percent, dates (2022-1-1, 2022年1月), times
_COERCIBLE = re.compile(r"[\s\d.,:/%+\-eE年月日时分秒]*\d[\s\d.,:/%+\-eE年月日时分秒]*")
_LONG_DIGITS = 10**15  # 16 digits: beyond a double's exact range, so a code, not a number


def needs_quote(text: str) -> bool:
    """True when Excel would not keep ``text`` as typed (a leading apostrophe keeps it)."""
    stripped = text.strip()
    return bool(stripped) and (
        stripped[0] in "=+-@" or stripped.upper() in ("TRUE", "FALSE")
        or _COERCIBLE.fullmatch(stripped) is not None
    )


def to_excel(value: object) -> object:
    """A patch value as written into a cell: formulas as their text, texts that Excel
    would reinterpret ('=19人', '0.40', '2022-01') behind an apostrophe."""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value


def from_excel(value: object) -> object:
    """A value as read from Excel (any client), as the file engine would read it."""
    if value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) >= _LONG_DIGITS:
        return str(value)  # a code such as 130303221234567890123, sent as a number
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for c in cols:
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def rectangles(cells: Iterable[tuple[int, int]]) -> list[Rect]:
    """Cover ``cells`` exactly with few rectangles: runs of columns per row, stacked
    while consecutive rows have the same run (an indicator block is one rectangle per
    contiguous column group, whatever its number of rows)."""
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    done: list[Rect] = []
    open_: dict[tuple[int, int], int] = {}  # run -> first row, for runs reaching `previous`
    previous = 0
    for r in sorted(by_row):
        runs = set(_runs(sorted(set(by_row[r]))))
        for run in [run for run in open_ if run not in runs or previous != r - 1]:
            done.append((open_.pop(run), run[0], previous, run[1]))
        for run in runs:
            open_.setdefault(run, r)
        previous = r
    done.extend((first, run[0], previous, run[1]) for run, first in open_.items())
    return sorted(done)


def row_runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive rows grouped as (first, last)."""
    return _runs(sorted(set(rows)))
