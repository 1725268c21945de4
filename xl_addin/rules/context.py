"""What every rule needs to know about the workbook under validation, computed once.

Several rules ask the same questions of an indicator row (what its value states,
which role its 二级 plays, which role its name suggests, whether it is a rate); the
answers are worked out once per row (``Context.row``), and what depends on wording
alone once per process (``name_facts``), so a 200-project workbook — or a folder of
hundreds in the batch review — is judged in one quick pass.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from xl_addin.core.cellvalues import label
from xl_addin.core.model import Indicator, WorkbookModel
from xl_addin.core.valueparse import ParsedValue, parse_value
from xl_addin.rules.config import CountUnits, RuleSettings, Tables, keyword_text, tables
from xl_addin.rules.profiles import Profile

_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_REGION = re.compile(r"[0-9]{6}")


@dataclass(frozen=True, slots=True)
class Name:
    """What a 三级 name's wording says: the same in every workbook, so cached per process
    (the tables are the package's own and never change while it runs)."""

    key: str  # keyword_text of the name
    roles: tuple[str, ...]  # roles the wording points to, in the table's priority order
    is_rate: bool  # judged on the name without blanks and a trailing note such as （次）
    is_count: bool
    counted_in: CountUnits | None  # the units a count so named takes (受益人数: 人 …)


@lru_cache(maxsize=1 << 14)
def name_facts(level3: str) -> Name:
    t = tables()
    key = keyword_text(level3)
    bare = _TRAILING_NOTE.sub("", label(level3))
    return Name(
        key=key,
        roles=tuple(p.role for p in t.placements if p.pattern.search(key)),
        is_rate=bare.endswith(t.rate_suffixes),
        is_count=bare.endswith(t.count_suffixes) and not bare.endswith(t.count_exclusions),
        counted_in=next((c for c in t.count_units if bare.endswith(c.suffixes)), None),
    )


@lru_cache(maxsize=1 << 14)
def _is_vague(key: str, roles: frozenset[str]) -> bool:
    return any(v.key in key and (not v.only or v.only & roles) for v in tables().vague_indicators)


@dataclass(slots=True)
class Row:
    """One indicator row as every rule sees it, worked out once per validation."""

    level1: str  # the category cells as labels (blanks removed)
    level2: str
    level3: str
    basis: str
    value: ParsedValue  # the 指标值, parsed
    roles: frozenset[str]  # the roles of the 二级 the row is under (empty when unknown)
    name: Name
    is_cost: bool  # under a cost category, or named like a cost
    is_vague: bool  # the 三级 name is a generic phrase (under roles where that counts)
    misfit: str | None = None  # values.unit_misfit's answer, once a rule has asked


@dataclass
class Context:
    model: WorkbookModel
    profile: Profile
    settings: RuleSettings
    tables: Tables
    region: str  # the 6-digit region every 项目编码 should start with
    bases: tuple[str, ...] = ()  # the allowed 确定依据, for str.startswith
    share_rows: bool = True  # take a row's facts from another row of the same text
    _rows: dict[int, Row] = field(default_factory=dict)
    _roles_of_level2: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, model: WorkbookModel, profile: Profile, *, share_rows: bool = True
              ) -> Context:
        settings = RuleSettings.from_profile(profile)
        roles_of: dict[str, set[str]] = {}
        for role, level2s in settings.roles.items():
            for level2 in level2s:
                roles_of.setdefault(level2, set()).add(role)
        return cls(
            model=model,
            profile=profile,
            settings=settings,
            tables=tables(),
            region=settings.region or _common_region(model),
            bases=tuple(profile.bases),
            share_rows=share_rows and bool(profile.digest),
            _roles_of_level2={k: frozenset(v) for k, v in roles_of.items()},
        )

    def row(self, ind: Indicator) -> Row:
        """The row's facts, computed on the first rule's request and kept: for this
        indicator, and — they depend on nothing but the row's text and the profile —
        for any row of the same text in this process."""
        row = self._rows.get(id(ind))
        if row is None:
            key = (self.profile.digest, ind.level1, ind.level2, ind.level3, ind.value,
                   ind.basis)
            row = _ROWS.get(key) if self.share_rows else None
            if row is None:
                row = self._facts(ind)
                if self.share_rows:
                    if len(_ROWS) >= _ROWS_MAX:
                        _ROWS.clear()
                    _ROWS[key] = row
            self._rows[id(ind)] = row
        return row

    def _facts(self, ind: Indicator) -> Row:
        level2 = label(ind.level2)
        roles = self._roles_of_level2.get(level2, _NO_ROLES)
        name = name_facts(ind.level3)
        return Row(
            level1=label(ind.level1),
            level2=level2,
            level3=label(ind.level3),
            basis=label(ind.basis),
            value=parse_value(ind.value),
            roles=roles,
            name=name,
            is_cost="cost" in roles or "cost" in name.roles,
            is_vague=_is_vague(name.key, roles),
        )


#: rows' facts by (profile digest, the row's text), shared by every workbook a process
#: judges; bounded: cleared when full
_ROWS: dict[tuple[str, str, str, str, str, str], Row] = {}
_ROWS_MAX = 50_000


def forget_rows() -> None:
    _ROWS.clear()
_NO_ROLES: frozenset[str] = frozenset()


def _common_region(model: WorkbookModel) -> str:
    """The most common 6-digit code prefix: the region when none is configured."""
    prefixes = Counter(
        p.code[:6] for p in model.projects if _REGION.fullmatch(p.code[:6])
    )
    return prefixes.most_common(1)[0][0] if prefixes else ""
