"""The one bounded reading of a number in a cell, and the arithmetic context for money.

A cell may hold anything a spreadsheet or a script can put there: ``1e308``, a 40-digit
integer, three hundred digits typed as text, ``1e999999``.  ``Decimal`` reads them all
exactly, and the first multiplication, sum or ``quantize`` on them then raises
(``Overflow``, ``InvalidOperation``) or prints a million digits.  So every numeric cell —
money, the plan, the numbers inside 指标值, the 权重 of a published document — is read by
``read_number`` here, which refuses what no budget can hold: more significant digits, or a
larger or smaller magnitude, than ``data/limits.toml`` allows.  A refused number is not
an exception but a reason, which the caller keeps with the text as written so that a
rule can report it on its cell; only numbers within the limits ever reach arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import cache

from xl_addin.core.limits import limits_file


@dataclass(frozen=True)
class NumberLimits:
    """What a number in a cell may be (``data/limits.toml``)."""

    max_money_wan: Decimal
    max_digits: int
    max_exponent: int


@cache
def number_limits() -> NumberLimits:
    """The limits file's number keys, read once per process."""
    data = limits_file()
    return NumberLimits(
        max_money_wan=Decimal(str(data["max_money_wan"])).normalize(),
        max_digits=int(data["max_number_digits"]),
        max_exponent=int(data["max_number_exponent"]),
    )


def arithmetic() -> Context:
    """A context for sums and roundings of bounded numbers: wide enough that they are
    exact (30 digits times 30 digits, summed over a district), and with no trap set, so
    that no input can ever turn a summary into an exception."""
    lim = number_limits()
    room = 4 * (lim.max_digits + lim.max_exponent) + 40
    return Context(prec=room, rounding=ROUND_HALF_UP, Emax=room, Emin=-room, traps=[])


@dataclass(frozen=True)
class Reading:
    """A cell read as a number: ``number`` when it is one within the limits; otherwise
    None, and ``beyond`` says why when it is a number outside them ('' when it is not a
    number at all: text, a date, inf or nan)."""

    number: Decimal | None
    beyond: str = ""


NOT_A_NUMBER = Reading(None)


def _plain(d: Decimal) -> str:
    """A limit as the messages write it: 10^12 → '10^12', 30 → '30'."""
    d = d.normalize()
    exponent = d.as_tuple().exponent
    if d == 1 or d.as_tuple().digits != (1,) or not isinstance(exponent, int) or exponent < 6:
        return format(d, "f")
    return f"10^{exponent}"


def limit_text(what: str) -> str:
    """A limit for a message: 'money' → '10^12万元'."""
    lim = number_limits()
    return {"money": f"{_plain(lim.max_money_wan)}万元",
            "exponent": f"10^{lim.max_exponent}"}[what]


def bounded(d: Decimal) -> Reading:
    """``d`` when it lies within the limits, else the reason (in Chinese) why not.
    Negative zero is zero: no budget tells them apart, and “-0.00” would only puzzle."""
    if not d.is_finite():
        return NOT_A_NUMBER
    lim = number_limits()
    digits = len(d.as_tuple().digits)
    if digits > lim.max_digits:
        return Reading(None, f"有{digits}位数字，超过本工具可处理的{lim.max_digits}位")
    if d.is_zero():  # 0E-1000000 would print a million zeros
        return Reading(d.copy_abs() if abs(d.adjusted()) <= lim.max_exponent else Decimal(0))
    if d.adjusted() >= lim.max_exponent:
        return Reading(None, f"绝对值达到或超过{limit_text('exponent')}，超出本工具可处理的范围")
    if d.adjusted() < -lim.max_exponent:
        return Reading(None, f"绝对值小于10^-{lim.max_exponent}，超出本工具可处理的范围")
    return Reading(d)


def read_number(value: object) -> Reading:
    """A plain number from a cell value: int, float, ``Decimal``, or numeric text (the
    caller folds full-width digits and thousands commas first).  Bools and other types
    are not numbers.  Floats go through ``repr`` so 0.4 is Decimal('0.4')."""
    if isinstance(value, bool):
        return NOT_A_NUMBER
    if isinstance(value, float):
        if not math.isfinite(value):
            return NOT_A_NUMBER
        return bounded(Decimal(repr(value)))
    if isinstance(value, int):
        return bounded(Decimal(value))
    if isinstance(value, Decimal):
        return bounded(value)
    if not isinstance(value, str):
        return NOT_A_NUMBER
    s = value.strip()
    if not s or not (s[0].isdigit() or s[0] in "+-."):
        return NOT_A_NUMBER  # 'nan', 'Infinity', words: Decimal would read the first two
    try:
        d = Decimal(s)
    except (InvalidOperation, ValueError):
        return _too_long(s)
    return bounded(d)


def _too_long(s: str) -> Reading:
    """An exponent beyond what ``Decimal`` itself reads (1e99999999999999999999) is a
    number too, and out of range; any other text that failed is no number."""
    mantissa, sep, exponent = s.lower().partition("e")
    if sep and exponent.lstrip("+-").isdigit():
        try:
            Decimal(mantissa)
        except (InvalidOperation, ValueError):
            return NOT_A_NUMBER
        return Reading(None, f"绝对值达到或超过{limit_text('exponent')}，超出本工具可处理的范围")
    return NOT_A_NUMBER


def money_beyond(d: Decimal) -> str:
    """Why an amount in 万元 (already within the number limits) is beyond any budget."""
    lim = number_limits().max_money_wan
    if abs(d) > lim:
        return f"超过{limit_text('money')}，超出预算金额可能的范围"
    return ""
