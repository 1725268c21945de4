"""Converting raw cell values (whatever an engine returns) into model values.

Engines disagree on types: openpyxl gives ``float`` for 0.4, xlwings' VBA client gives
``int`` for whole numbers and turns long digit strings into numbers, calamine gives
floats for ints.  These helpers give one answer for all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from xl_addin.core.numbers import NOT_A_NUMBER, Reading, money_beyond, read_number

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


def number_reading(value: object) -> Reading:
    """A cell as a number within the limits (``numbers.read_number``), text accepted once
    full-width digits and thousands commas are normalised; dates are no number."""
    if value is None or isinstance(value, bool | dt.date):
        return NOT_A_NUMBER
    if isinstance(value, str):
        return read_number(value.translate(_FULLWIDTH).replace(",", ""))
    return read_number(value)


def to_decimal(value: object) -> Decimal | None:
    """An exact decimal from a cell, or None when the cell is not a plain number within
    the limits (``number_reading`` says which: words, dates and formulas' errors are no
    number; 1e308 or three hundred digits are a number out of range).

    Floats go through ``repr`` so 0.4 becomes Decimal('0.4'), not its binary expansion.
    """
    return number_reading(value).number


_WAN = re.compile(r"([-+]?[0-9.,]+)\s*万元?")
_YUAN = re.compile(r"([-+]?[0-9.,]+)\s*元")


def wan_amount(value: object) -> Decimal | None:
    """The number of a money text written with the sheet's own unit (“250万”, “250万元”),
    else None: the number is what the cell means, only the unit is one word too many."""
    money = read_money(value) if isinstance(value, str) else None
    return money.value if money is not None and money.with_unit else None


def yuan_amount(value: object) -> Decimal | None:
    """The number of a money text written in 元 (“250元”), else None: on a sheet in 万元
    it is either 0.025 万元 or a slip for 250 万元, which only the clerk can tell."""
    if not isinstance(value, str):
        return None
    m = _YUAN.fullmatch(value.translate(_FULLWIDTH).strip())
    return to_decimal(m[1]) if m else None


@dataclass(frozen=True)
class MoneyReading:
    """A money cell read: ``value`` in 万元 (None when it is none), ``with_unit`` when
    the cell wrote “万”/“万元” after the number, ``beyond`` why a number written there
    (bare, in 万元 or in 元) is outside what a budget can hold ('' when it is not)."""

    value: Decimal | None
    with_unit: bool = False
    beyond: str = ""


def read_money(value: object) -> MoneyReading:
    """The one reading of a money cell: a number, or a number with 万/万元, within the
    limits (``data/limits.toml``: digits, magnitude, ``max_money_wan``)."""
    reading, with_unit = number_reading(value), False
    if reading.number is None and not reading.beyond and isinstance(value, str):
        folded = value.translate(_FULLWIDTH).strip()
        m = _WAN.fullmatch(folded) or _YUAN.fullmatch(folded)
        if m is not None:
            reading = number_reading(m[1])
            with_unit = m.re is _WAN
            if not with_unit:  # 元: never read as a number (V201), but its range is told
                return MoneyReading(None, beyond=reading.beyond)
    if reading.number is None:
        return MoneyReading(None, beyond=reading.beyond)
    beyond = money_beyond(reading.number)
    if beyond:
        return MoneyReading(None, beyond=beyond)
    return MoneyReading(reading.number, with_unit)


def _before_percent_sign(value: object) -> str | None:
    """The number text of a text ending in “%” (full-width forms folded), else None."""
    if not isinstance(value, str):
        return None
    s = value.translate(_FULLWIDTH).strip()
    return s[:-1] if s.endswith("%") else None


def percent_beyond(value: object) -> str:
    """Why a plan cell or a 权重 as written (“1e999999%”, three hundred digits) holds a
    number outside the limits; '' when it holds a number within them, or none."""
    number = _before_percent_sign(value)
    return number_reading(value if number is None else number).beyond


def to_percent(value: object) -> Decimal | None:
    """One percentage of a published document in percent units (25 for 25%): text may
    carry a '%' sign; a bare number up to 1 is a fraction (0.25), above 1 already in
    percent.  A workbook's four plan cells are read together by ``read_plan``.
    """
    number = _before_percent_sign(value)
    if number is not None:
        return to_decimal(number)
    d = to_decimal(value)
    if d is None:
        return None
    return d * 100 if abs(d) <= 1 else d


@dataclass(frozen=True)
class PlanReading:
    """The four plan cells of a project, read together.

    ``values`` are percentages (25 = 25%); ``written`` holds, as typed, the cells that
    are not a percentage (text, or a number that can be read two ways); ``scaled`` the
    numbers read as percentages although a percent-formatted cell would show them a
    hundred times larger (25 shown as 2500%).
    """

    values: dict[str, Decimal | None]
    written: dict[str, str]
    scaled: dict[str, str]


def read_plan(raws: Mapping[str, object]) -> PlanReading:
    """Read the cumulative plan as the clerk meant it, or say it cannot be.

    A plan cell is formatted as a percentage, so it holds a fraction (0.25 shows as
    25%); a number above 1 was pasted or typed by a script and shows as 2500%.  Such
    numbers are read as percentages only when that is unambiguous — every number of the
    plan lies in 0–100 (and one is above 1) — and the reading is recorded in ``scaled``;
    otherwise the number above 1 goes to ``written`` (neither reading is safe).  Text
    with a “%” sign says what it means and is read as written.
    """
    values: dict[str, Decimal | None] = dict.fromkeys(raws)
    written: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for key, raw in raws.items():
        if raw in (None, ""):
            continue
        number_text = _before_percent_sign(raw)
        if number_text is not None:
            values[key] = to_decimal(number_text)
            if values[key] is None:
                written[key] = text(raw)
            continue
        number = to_decimal(raw)
        if number is None:
            written[key] = text(raw)
        else:
            numbers[key] = number
    scaled: dict[str, str] = {}
    as_percent = any(d > 1 for d in numbers.values()) and all(
        0 <= d <= 100 for d in numbers.values())
    for key, number in numbers.items():
        if as_percent:
            values[key] = number
            if number:
                scaled[key] = text(raws[key])
        elif abs(number) <= 1:
            values[key] = number * 100
        else:
            written[key] = text(raws[key])
    return PlanReading(values, written, scaled)


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
