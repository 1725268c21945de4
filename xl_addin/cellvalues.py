"""Converting raw cell values (whatever an engine returns) into model values.

Engines disagree on types: openpyxl gives ``float`` for 0.4, xlwings' VBA client gives
``int`` for whole numbers and turns long digit strings into numbers, calamine gives
floats for ints.  These helpers give one answer for all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％，－＋", "0123456789.%,-+"
)
_SPACES = re.compile(r"\s+")


def text(value: object) -> str:
    """The cell as the user reads it: numbers without a spurious ``.0``, lines
    stripped of trailing blanks, empty lines dropped."""
    if isinstance(value, str):
        return _text_of_str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text_of_str(str(value))


@lru_cache(maxsize=1 << 16)
def _text_of_str(value: str) -> str:
    """Cached: parsing and the rules normalise the same labels and values many times."""
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip()).strip()


def format_number(value: float | int) -> str:
    """Shortest text for a number: 7.0 -> '7', 0.4 -> '0.4', 1e21 -> '1000000000000000000000'."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e22:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def label(value: object) -> str:
    """A label with all white space removed, for matching ('其中：财政    资金')."""
    if isinstance(value, str):
        return _label_of_str(value)
    return _SPACES.sub("", text(value))


@lru_cache(maxsize=1 << 16)
def _label_of_str(value: str) -> str:
    return _SPACES.sub("", _text_of_str(value))


def lines(value: object) -> list[str]:
    """A multi-line cell as a list of its non-empty lines."""
    t = text(value)
    return t.split("\n") if t else []


def to_decimal(value: object) -> Decimal | None:
    """An exact decimal from a cell, or None when the cell is not a plain number.

    Floats go through ``repr`` so 0.4 becomes Decimal('0.4'), not its binary expansion.
    Text is accepted when it is a number once full-width digits and thousands commas
    are normalised; anything else (dates, words, formulas' errors) is None.
    """
    if value is None or isinstance(value, bool | dt.date):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    s = str(value).translate(_FULLWIDTH).replace(",", "").strip()
    if not s:
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def to_percent(value: object) -> Decimal | None:
    """A plan percentage in percent units (25 for 25%).

    A number cell formatted as percent holds a fraction (0.25); a number above 1 is
    taken as already in percent (25).  Text may carry a '%' sign.
    """
    if isinstance(value, str):
        s = value.translate(_FULLWIDTH).strip()
        if s.endswith("%"):
            d = to_decimal(s[:-1])
            return d
        d = to_decimal(s)
    else:
        d = to_decimal(value)
    if d is None:
        return None
    return d * 100 if abs(d) <= 1 else d


def money_text(d: Decimal | None) -> str:
    """Money as the published tables write it: at least two decimals ('0.40')."""
    if d is None:
        return ""
    if d.as_tuple().exponent >= -2:  # type: ignore[operator]
        return f"{d:.2f}"
    return str(d)


def percent_text(d: Decimal | None) -> str:
    """A plan percentage as written in the tables: '25%'."""
    if d is None:
        return ""
    d = d.normalize()
    s = format(d, "f")
    return f"{s}%"


def code_text(value: object) -> str:
    """A project code; a number (long digit codes arrive as numbers) becomes its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)
