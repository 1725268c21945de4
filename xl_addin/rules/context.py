"""What every rule needs to know about the workbook under validation, computed once.

Several rules ask the same questions of an indicator row (what its value states,
which role its 二级 plays, which role its name suggests, whether it is a rate); the
answers are cached here so a 200-project workbook is judged in one quick pass.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..cellvalues import label
from ..model import Indicator, WorkbookModel
from ..profiles import Profile
from ..valueparse import ParsedValue, parse_value
from .config import RuleSettings, Tables, keyword_text, tables

_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_REGION = re.compile(r"[0-9]{6}")


@dataclass
class Context:
    model: WorkbookModel
    profile: Profile
    settings: RuleSettings
    tables: Tables
    region: str  # the 6-digit region every 项目编码 should start with
    _values: dict[int, ParsedValue] = field(default_factory=dict)
    _name_roles: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _roles_of_level2: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, model: WorkbookModel, profile: Profile) -> Context:
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
            _roles_of_level2={k: frozenset(v) for k, v in roles_of.items()},
        )

    def value(self, ind: Indicator) -> ParsedValue:
        """The row's 指标值, parsed once."""
        key = id(ind)
        if key not in self._values:
            self._values[key] = parse_value(ind.value)
        return self._values[key]

    def row_roles(self, ind: Indicator) -> frozenset[str]:
        """The roles of the 二级 the row is written under (empty when unknown)."""
        return self._roles_of_level2.get(label(ind.level2), frozenset())

    def name_roles(self, ind: Indicator) -> tuple[str, ...]:
        """Roles the 三级 name's wording points to, in the keyword table's priority order."""
        key = id(ind)
        if key not in self._name_roles:
            name = keyword_text(ind.level3)
            self._name_roles[key] = tuple(
                p.role for p in self.tables.placements if p.pattern.search(name)
            )
        return self._name_roles[key]

    def is_cost(self, ind: Indicator) -> bool:
        """Under a cost category, or named like a cost."""
        return "cost" in self.row_roles(ind) or "cost" in self.name_roles(ind)

    def is_rate(self, ind: Indicator) -> bool:
        return _bare_name(ind).endswith(self.tables.rate_suffixes)

    def is_count(self, ind: Indicator) -> bool:
        name = _bare_name(ind)
        return name.endswith(self.tables.count_suffixes) and not name.endswith(
            self.tables.count_exclusions
        )

    def is_vague_indicator(self, ind: Indicator) -> bool:
        """The 三级 name is a generic phrase (under the roles where the phrase counts)."""
        name = keyword_text(ind.level3)
        roles = self.row_roles(ind)
        return any(
            v.key in name and (not v.only or v.only & roles)
            for v in self.tables.vague_indicators
        )


def _bare_name(ind: Indicator) -> str:
    """The 三级 name without blanks and without a trailing note such as （次）."""
    return _TRAILING_NOTE.sub("", label(ind.level3))


def _common_region(model: WorkbookModel) -> str:
    """The most common 6-digit code prefix: the region when none is configured."""
    prefixes = Counter(
        p.code[:6] for p in model.projects if _REGION.fullmatch(p.code[:6])
    )
    return prefixes.most_common(1)[0][0] if prefixes else ""
