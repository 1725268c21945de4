"""Reading a 指标值 as written into what it states.

Reviewers judge a target value by its shape: a comparator, a number and a unit
(``≥95%``), a grade or outcome phrase (``达到预期目标``), or something that states no
target at all (``是/否``, a bare ``次``, ``进一步保障``).  ``parse_value`` sorts any text into
one of those kinds and records how its writing departs from the standard form, so that
rules can say exactly what to change.  It never raises: a user may type anything.

The word lists (units, grades, outcome and vague phrases, placeholders) are data in
``rules/data/values.toml``; only the comparator and full-width spellings, which are
facts of writing rather than policy, live here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from xl_addin.core.numbers import read_number

Kind = Literal[
    "quantitative", "qualitative", "yes-no", "vague", "unit-only", "placeholder", "empty",
    "out-of-range", "unknown",
]

#: The standard comparators, as the published tables write them.
COMPARATORS = ("≥", "＞", "＝", "＜", "≤")

#: Departures from the standard writing, id -> what to tell the user.
ASPECTS: dict[str, str] = {
    "fullwidth": "数字或符号用了全角",
    "ascii-comparator": "比较符用了“>=”“<=”（应为 ≥ ≤）",
    "comparator-variant": "比较符写法不规范（应为 ≥ ＞ ＝ ＜ ≤）",
    "comparator-word": "比较关系用文字表达（应为 ≥ ＞ ＝ ＜ ≤）",
    "spaces": "含多余空格",
    "percent-word": "“百分比”应写作“%”",
    "missing-comparator": "缺少比较符（≥ ＞ ＝ ＜ ≤）",
    "missing-unit": "缺少计量单位",
}

# written form -> (standard comparator, aspect or None); longest forms are tried first.
# A half-width = > < is the same sign as ＝ ＞ ＜ (other provinces' forms write “=100%”
# throughout, and a reviewer reads it as sound): it is normalised without a finding;
# the digraphs >= <= stand for a sign of their own and are noted.
_COMPARATOR_FORMS: dict[str, tuple[str, str | None]] = {
    **{c: (c, None) for c in COMPARATORS},
    ">=": ("≥", "ascii-comparator"),
    "<=": ("≤", "ascii-comparator"),
    ">": ("＞", None),
    "=": ("＝", None),
    "<": ("＜", None),
    "＞＝": ("≥", "comparator-variant"),
    "＜＝": ("≤", "comparator-variant"),
    "≧": ("≥", "comparator-variant"),
    "≦": ("≤", "comparator-variant"),
    "⩾": ("≥", "comparator-variant"),
    "⩽": ("≤", "comparator-variant"),
    "大于等于": ("≥", "comparator-word"),
    "大于或等于": ("≥", "comparator-word"),
    "不低于": ("≥", "comparator-word"),
    "不少于": ("≥", "comparator-word"),
    "不小于": ("≥", "comparator-word"),
    "小于等于": ("≤", "comparator-word"),
    "小于或等于": ("≤", "comparator-word"),
    "不高于": ("≤", "comparator-word"),
    "不超过": ("≤", "comparator-word"),
    "不多于": ("≤", "comparator-word"),
    "不大于": ("≤", "comparator-word"),
    "大于": ("＞", "comparator-word"),
    "小于": ("＜", "comparator-word"),
    "等于": ("＝", "comparator-word"),
}
_COMPARATOR_ORDER = sorted(_COMPARATOR_FORMS, key=len, reverse=True)
# trailing words that state the comparator, longest first
_SUFFIX_WORDS = {"及以上": "≥", "及以下": "≤", "以上": "≥", "以下": "≤", "以内": "≤"}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，＋－", "0123456789.%,+-")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)(.*)", re.DOTALL)
# a number in scientific notation (1e999999): not a way to write a target, and judged
# only for its range
_EXPONENT = re.compile(r"([0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+)(.*)", re.DOTALL)
# a unit holds no digits, comparators, range marks or sentence punctuation
_UNIT = re.compile(r"[^0-9≥≤＞＜＝<>=~～\-—–至,，;；:：。!！?？]{0,12}")
_YES_NO_NOISE = re.compile(r"[/／、，,|或()（）]")
_GRADE_SPLIT = re.compile(r"[/／、，,|]")
_PERCENT_WORD = "百分比"
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Vocabulary:
    """The word lists ``parse_value`` needs (see ``rules/data/values.toml``)."""

    units: frozenset[str]
    grades: frozenset[str]
    outcomes: tuple[str, ...]
    vague: tuple[str, ...]
    placeholders: frozenset[str]

    @classmethod
    def from_data(cls, data: dict) -> Vocabulary:
        return cls(
            units=frozenset(data["units"]),
            grades=frozenset(data["grades"]),
            outcomes=tuple(data["outcomes"]),
            vague=tuple(data["vague"]),
            placeholders=frozenset(data["placeholders"]),
        )


@cache
def default_vocabulary() -> Vocabulary:
    """The built-in word lists, read once."""
    path = resources.files("xl_addin").joinpath("rules/data/values.toml")
    return Vocabulary.from_data(tomllib.loads(path.read_text("utf-8"))["parse"])


@dataclass(frozen=True)
class ParsedValue:
    """What a 指标值 states.

    ``normalised`` is the standard writing as far as the text alone determines it: a
    quantitative value without comparator stays without one, because the right
    comparator depends on the indicator (see ``with_comparator``).
    """

    raw: str
    kind: Kind
    comparator: str | None = None
    number: Decimal | None = None
    unit: str = ""
    normalised: str = ""
    aspects: tuple[str, ...] = ()
    #: for "out-of-range": why the number is beyond the limits (``numbers.read_number``)
    beyond: str = ""

    def with_comparator(self, comparator: str) -> str:
        """The normalised text with ``comparator`` supplied where none was written."""
        return self.normalised if self.comparator else f"{comparator}{self.normalised}"


def _take_comparator(s: str) -> tuple[str | None, str | None, str]:
    """(standard comparator, aspect, rest) for a comparator at the start of ``s``."""
    for form in _COMPARATOR_ORDER:
        if s.startswith(form):
            standard, aspect = _COMPARATOR_FORMS[form]
            return standard, aspect, s[len(form) :]
    return None, None, s


def _take_suffix_word(s: str) -> tuple[str | None, str]:
    """A trailing 以上/以下/以内, which states the comparator in words."""
    for word, comparator in _SUFFIX_WORDS.items():
        if s.endswith(word) and len(s) > len(word):
            return comparator, s[: -len(word)]
    return None, s


def _is_yes_no(s: str) -> bool:
    return _YES_NO_NOISE.sub("", s) in {"是", "否", "是否", "否是"}


def _is_grades(s: str, vocab: Vocabulary) -> bool:
    parts = [p for p in _GRADE_SPLIT.split(s) if p]
    return bool(parts) and all(p in vocab.grades for p in parts)


@lru_cache(maxsize=8192)
def parse_value(text: str, vocab: Vocabulary | None = None) -> ParsedValue:
    """Sort a 指标值 into its kind and note every non-standard aspect of its writing.

    Cached (the result is immutable): workbooks repeat the same few values row after row."""
    vocab = vocab or default_vocabulary()
    stripped = text.strip()
    if not stripped:
        return ParsedValue(text, "empty")
    aspects: list[str] = []
    s = stripped.translate(_FULLWIDTH)
    if s != stripped:
        aspects.append("fullwidth")
    compact = _SPACE.sub("", s)
    if compact != s:
        aspects.append("spaces")
    if _is_yes_no(compact):
        return ParsedValue(text, "yes-no", normalised=compact, aspects=tuple(aspects))

    comparator, comparator_aspect, rest = _take_comparator(compact)
    if comparator_aspect:
        aspects.append(comparator_aspect)
    suffix_comparator, rest = _take_suffix_word(rest)
    if suffix_comparator is not None:
        comparator = comparator or suffix_comparator
        if "comparator-word" not in aspects:
            aspects.append("comparator-word")

    written_number = _EXPONENT.fullmatch(rest) or _NUMBER.fullmatch(rest)
    beyond = read_number(written_number[1].replace(",", "")).beyond if written_number else ""
    if beyond:
        # 1e999999 or three hundred digits: no rule may compute with it
        return ParsedValue(text, "out-of-range", comparator=comparator, normalised=compact,
                           aspects=tuple(aspects), beyond=beyond)

    number = _NUMBER.fullmatch(rest)
    if number is not None:
        unit = number.group(2)
        if _PERCENT_WORD in unit:
            unit = unit.replace(_PERCENT_WORD, "%")
            aspects.append("percent-word")
        if _UNIT.fullmatch(unit) is None:
            return ParsedValue(text, "unknown", normalised=compact, aspects=tuple(aspects))
        if comparator is None:
            aspects.append("missing-comparator")
        if not unit:
            aspects.append("missing-unit")
        digits = number.group(1)
        return ParsedValue(
            text,
            "quantitative",
            comparator=comparator,
            number=read_number(digits.replace(",", "")).number,
            unit=unit,
            normalised=f"{comparator or ''}{digits}{unit}",
            aspects=tuple(aspects),
        )

    placeholder_unit = rest[1:]
    if rest[:1] in vocab.placeholders and (
        placeholder_unit in vocab.units or (comparator and _UNIT.fullmatch(placeholder_unit))
    ):
        normalised = f"{comparator or ''}{rest}"
        return ParsedValue(
            text, "placeholder", comparator=comparator, unit=placeholder_unit,
            normalised=normalised, aspects=tuple(aspects),
        )
    bare = rest.replace(_PERCENT_WORD, "%")
    if not bare or bare in vocab.units:
        return ParsedValue(
            text, "unit-only", comparator=comparator, unit=bare,
            normalised=f"{comparator or ''}{bare}", aspects=tuple(aspects),
        )
    if _DIGIT.search(compact) is None and any(phrase in compact for phrase in vocab.vague):
        # a number beside the phrase (按时完成率100%) is a target; without one, even after
        # a comparator (不超过预算), the phrase is all there is
        return ParsedValue(text, "vague", normalised=compact, aspects=tuple(aspects))
    if comparator is None and (
            _is_grades(compact, vocab) or any(p in compact for p in vocab.outcomes)):
        return ParsedValue(text, "qualitative", normalised=compact, aspects=tuple(aspects))
    return ParsedValue(text, "unknown", normalised=compact, aspects=tuple(aspects))
