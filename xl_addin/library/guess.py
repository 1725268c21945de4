"""Guessing a project's category from its own words.

A finance officer decides by the 项目名称 first and looks at 资金用途 and 绩效目标 only
when the name says little (“街道工作专项补助” is staff pay only because its 资金用途 says
人员经费).  So the fields are read in that order, keyword weights add up, and the first
field at which one category is decisive settles it.  Generic words (保险, 补贴) carry a
low weight so that 车辆保险费 is about cars and 社区干部生活补贴 about staff.  The table
is data (``[guess]`` in categories.toml); the guess is only a default the user overrides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from xl_addin.core.cellvalues import label
from xl_addin.core.model import PROJECT_FIELDS, Project
from xl_addin.library import source

#: Project fields in the order they are consulted.
FIELDS = ("name", "uses", "goals")


@dataclass(frozen=True)
class Keyword:
    word: str
    category: str
    weight: int


@dataclass(frozen=True)
class KeywordTable:
    """Keywords with weights; ties go to the category listed first in the table."""

    keywords: tuple[Keyword, ...]
    decisive: int
    fallback: str

    def leader(self, scores: dict[str, int]) -> str | None:
        """The category with the highest score, or None when nothing scored."""
        if not scores:
            return None
        priority = list(dict.fromkeys(k.category for k in self.keywords))
        return max(scores, key=lambda c: (scores[c], -priority.index(c)))


@cache
def keyword_table() -> KeywordTable:
    """The packaged keyword table."""
    data = source.packaged()["guess"]
    return KeywordTable(
        keywords=tuple(
            Keyword(word, group["category"], int(group["weight"]))
            for group in data["keywords"] for word in group["words"]
        ),
        decisive=int(data["decisive"]),
        fallback=str(data["fallback"]),
    )


def parents() -> dict[str, str]:
    """Finer category -> the broader one it refines (``[parent]`` in categories.toml)."""
    return dict(source.packaged().get("parent", {}))


def guess_category(project: Project) -> tuple[str, str]:
    """The likely category and a short Chinese reason (e.g. 项目名称含“车辆”)."""
    found = _best(project, None)
    if found is None:
        return keyword_table().fallback, "项目名称、资金用途和绩效目标中没有可判断类别的关键词"
    return found


def refine(project: Project, category: str, known: Iterable[str]) -> tuple[str, str]:
    """The finer category of a broad one (补贴类 → 个人补贴) that the project's own words
    point to, with the reason; the broad category itself, reason '', when none does.

    A workbook typed before the library was refined says 补贴类 for a heating subsidy and
    for a 高龄老人 allowance alike; their rows must differ, the typed cell stays.
    """
    children = {c for c, parent in parents().items() if parent == category} & set(known)
    found = _best(project, children) if children else None
    return found or (category, "")


def _best(project: Project, among: set[str] | None) -> tuple[str, str] | None:
    """The category (of ``among``, or any) the keywords settle on, with the reason."""
    table = keyword_table()
    keywords = [k for k in table.keywords if among is None or k.category in among]
    scores: dict[str, int] = {}
    hits: dict[str, list[tuple[str, str]]] = {}
    leader = None
    for key in FIELDS:
        content = _field_text(project, key)
        for kw in keywords:
            if kw.word in content:
                scores[kw.category] = scores.get(kw.category, 0) + kw.weight
                hits.setdefault(kw.category, []).append((PROJECT_FIELDS[key], kw.word))
        leader = table.leader(scores)
        if leader and scores[leader] >= table.decisive:
            break
    if leader is None:
        return None
    return leader, _reason(hits[leader])


def _field_text(project: Project, key: str) -> str:
    value = getattr(project, key)
    return label("；".join(value) if isinstance(value, list) else value)


def _reason(hits: list[tuple[str, str]]) -> str:
    words_by_field: dict[str, list[str]] = {}
    for field_label, word in hits:
        words_by_field.setdefault(field_label, []).append(word)
    return "；".join(
        field_label + "含" + "".join(f"“{w}”" for w in words)
        for field_label, words in words_by_field.items()
    )
