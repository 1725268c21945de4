"""Fit rules: an indicator row about a subject its project never mentions.

Rows copied from another project (or added by an older default library) betray
themselves by naming what that other project was about: PM2.5 in a 高龄老人生活补贴,
投保 in a car's running costs, 社区 in an equipment purchase.  A reviewer asks “where does
the project say so?”; so does this rule: each subject (``rules/data/subjects.toml``) has
the words that name it in a 三级指标 and the words by which a project's 名称, 资金用途 or
绩效目标 mention it — including what implies it (清洁取暖 is about the air).  The tests of
the default rows read the same table, so the library and validation judge alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from xl_addin.core.model import Indicator, Project
from xl_addin.rules.base import Hit, rule
from xl_addin.rules.config import keyword_text, rule_data
from xl_addin.rules.context import Context, Row


@dataclass(frozen=True)
class Subject:
    """A subject: the words naming it in a row, the words mentioning it in a project
    (both as ``keyword_text``)."""

    name: str
    words: tuple[str, ...]
    mentions: tuple[str, ...]

    def named_in(self, key: str) -> str:
        """The first of the subject's words in ``key``, or ''."""
        return next((w for w in self.words if w in key), "")

    def mentioned_in(self, key: str) -> bool:
        return any(m in key for m in self.mentions)


@cache
def subjects() -> tuple[Subject, ...]:
    """The packaged subject table."""
    return tuple(
        Subject(str(s["name"]), tuple(keyword_text(w) for w in s["words"]),
                tuple(keyword_text(m) for m in s["mentions"]))
        for s in rule_data("subjects")["subject"]
    )


@cache
def _any_word() -> re.Pattern[str]:
    """Every subject word as one alternation: most rows name no subject at all."""
    return re.compile("|".join(re.escape(w) for s in subjects() for w in s.words))


def project_text(name: str, uses: Iterable[str], goals: Iterable[str]) -> str:
    """What a project says about itself, as ``keyword_text``."""
    return keyword_text("；".join([name, *uses, *goals]))


@lru_cache(maxsize=1 << 12)
def _cached_text(name: str, uses: tuple[str, ...], goals: tuple[str, ...]) -> str:
    return project_text(name, uses, goals)


def absent_subjects(row_text: str, about: str) -> list[tuple[Subject, str]]:
    """The subjects ``row_text`` names (with the word) that ``about`` — a project's
    ``project_text`` — never mentions."""
    key = keyword_text(row_text)
    if not _any_word().search(key):
        return []
    found = [(s, s.named_in(key)) for s in subjects()]
    return [(s, word) for s, word in found if word and not s.mentioned_in(about)]


@rule(
    "V604", "category-mismatch", "warning", "indicator",
    "三级指标所说的具体对象（取暖、PM2.5、保险、社区、车辆、民兵等，见 subjects.toml）"
    "在项目名称、资金用途或绩效目标中有所提及（没有提及的多半是从别的项目照搬的）",
    "{owner}的指标“{indicator}”说的是“{word}”（{subject}），但项目名称、资金用途和绩效目标"
    "都没有提到{subject}。这一行可能是从别的项目照搬的：请删去，或改为反映本项目产出和效果的指标。",
    uses_project=True,
)
def subject_absent(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if not ind.level3:
        return
    about = _cached_text(p.name, tuple(p.uses), tuple(p.goals))
    for subject, word in absent_subjects(ind.level3, about)[:1]:
        yield Hit(p, ind, "level3", {"word": word, "subject": subject.name})


RULES = (subject_absent,)
