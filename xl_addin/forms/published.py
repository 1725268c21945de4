"""The forms published documents use, as data: which label names which field.

``published.toml`` beside this file holds the vocabulary; a user's file given with
``xl-addin import --forms FILE`` adds labels to it, so a document of another province
in a new form is supported without a line of code.  Only the interpreter
(``documents.importers.published``) asks this module anything.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from xl_addin.core.errors import UserError
from xl_addin.files.atomic import read_regular

_DROPPED = re.compile(r"[\s*＊※]+")
_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "・": "·", "［": "[", "］": "]"})
_QUALIFIED = re.compile(r"^(.+?)\(([^()]*)\)$")
_SECTIONS = ("fields", "indicator_columns", "qualifiers", "comparators", "money", "recast",
             "year", "weights")


def normalise(label: str) -> str:
    """A label as the vocabulary compares it: no white space or stars, half-width
    brackets and colons, no leading "其中:" and no trailing colon."""
    s = _DROPPED.sub("", label).translate(_HALF).strip(":")
    for prefix in ("其中:", "其中"):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix):]
    return s


@dataclass(frozen=True)
class Match:
    """What a label names: a key of its section, the qualifier's kind ("" when the label
    has none, "annual", "long_term" or "other") and its text ("万元" in "项目资金(万元)")."""

    key: str
    qualifier: str = ""
    qualifier_text: str = ""


@dataclass
class Vocabulary:
    """The labels of every field and column, normalised, and the rules around them."""

    fields: dict[str, str] = field(default_factory=dict)  # normalised label -> field key
    columns: dict[str, str] = field(default_factory=dict)  # normalised label -> column key
    qualifiers: dict[str, str] = field(default_factory=dict)  # qualifier -> kind
    comparators: dict[str, str] = field(default_factory=dict)
    money_labels: tuple[str, ...] = ()
    money_units: dict[str, Decimal] = field(default_factory=dict)  # unit -> 元
    default_unit: str = "万元"
    recast: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    year_patterns: tuple[re.Pattern[str], ...] = ()
    #: years written in text that 复制上年 moves on (each group one year)
    moved_years: tuple[re.Pattern[str], ...] = ()
    weight_total: Decimal = Decimal(100)  # what a project's 权重 add up to
    sources: tuple[str, ...] = ()  # the files it was read from, for messages

    def _lookup(self, table: dict[str, str], label: str) -> Match | None:
        s = normalise(label)
        if not s:
            return None
        if s in table:
            return Match(table[s])
        m = _QUALIFIED.match(s)
        if m and m[1] in table:
            return Match(table[m[1]], self.qualifiers.get(m[2], "other"), m[2])
        return None

    def field_of(self, label: str) -> Match | None:
        """The header field ``label`` names, if any."""
        return self._lookup(self.fields, label)

    def column_of(self, label: str) -> Match | None:
        """The indicator-table column ``label`` names, if any."""
        return self._lookup(self.columns, label)

    def comparator(self, text: str) -> str | None:
        """The comparator a 指标性质 cell stands for ("" for 定性), None if unknown."""
        return self.comparators.get(normalise(text))


def _merge(base: dict, extra: dict, where: str) -> None:
    """Add a user file's labels to the built-in ones (lists extend, tables update)."""
    for section, value in extra.items():
        if section not in _SECTIONS:
            raise UserError(f"表样词汇文件“{where}”中的“[{section}]”不是可用的部分，"
                            f"可用的有：{'、'.join(_SECTIONS)}。")
        target = base.setdefault(section, {})
        if not isinstance(value, dict):
            raise UserError(f"表样词汇文件“{where}”中的“{section}”应是一个表（[{section}]）。")
        for key, item in value.items():
            if isinstance(item, list) and isinstance(target.get(key), list):
                target[key] = [*target[key], *item]
            elif isinstance(item, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **item}
            else:
                target[key] = item


def _labels(table: dict[str, object], where: str, section: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, labels in table.items():
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise UserError(f"表样词汇文件“{where}”中 [{section}] 的“{key}”应是文字列表，"
                            '如 name = ["项目名称", "项目支出名称"]。')
        for lab in labels:
            out.setdefault(normalise(lab), key)
    return out


def _build(raw: dict, where: str) -> Vocabulary:
    try:
        money = raw.get("money", {})
        qualifiers = {normalise(q): kind for kind, names in raw.get("qualifiers", {}).items()
                      for q in names}
        recast = {}
        for src, dst in raw.get("recast", {}).items():
            (a, b), (c, d) = src.split("/", 1), dst.split("/", 1)
            recast[(normalise(a), normalise(b))] = (c, d)
        return Vocabulary(
            fields=_labels(raw.get("fields", {}), where, "fields"),
            columns=_labels(raw.get("indicator_columns", {}), where, "indicator_columns"),
            qualifiers=qualifiers,
            comparators={normalise(k): v for k, v in raw.get("comparators", {}).items()},
            money_labels=tuple(normalise(x) for x in money.get("unit_labels", [])),
            money_units={k: Decimal(str(v)) for k, v in money.get("units", {}).items()},
            default_unit=money.get("default_unit", "万元"),
            recast=recast,
            year_patterns=tuple(re.compile(p) for p in raw.get("year", {}).get("patterns", [])),
            moved_years=tuple(re.compile(p) for p in raw.get("year", {}).get("moved", [])),
            weight_total=Decimal(str(raw.get("weights", {}).get("total", 100))),
            sources=tuple(where.split("|")),
        )
    except (AttributeError, TypeError, ValueError, ArithmeticError, re.error) as exc:
        raise UserError(f"表样词汇文件“{where}”的内容无法使用：{exc}。"
                        "请对照 xl_addin/forms/published.toml 的写法修改。") from exc


@cache
def _builtin() -> dict:
    text = resources.files(__package__).joinpath("published.toml").read_text("utf-8")
    return tomllib.loads(text)


def load(user_file: Path | None = None) -> Vocabulary:
    """The built-in vocabulary, with ``user_file``'s labels added when given."""
    import copy

    raw = copy.deepcopy(_builtin())
    where = "published.toml"
    if user_file is not None:
        try:
            extra = tomllib.loads(read_regular(user_file, "表样词汇文件").decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(f"无法读取表样词汇文件“{user_file}”：{exc}。"
                            "它应是 UTF-8 编码的 TOML 文件。") from exc
        _merge(raw, extra, str(user_file))
        where = f"{where}|{user_file}"
    return _build(raw, where)
