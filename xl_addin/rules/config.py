"""What the rules read from data: keyword tables and the profile's rule settings.

Everything a finance bureau may tune is data.  The wording tables (units, keywords,
basis mappings) live in ``rules/data/*.toml`` and are the same for every frame; the
settings that belong to a frame or a unit (which 二级 plays which role, thresholds, the
code's region) live in the profile, so a bureau's copied profile carries them.  A
custom profile that lacks one of these sections inherits it from the built-in frame
of the same name (or 2015), so older profile files keep working.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from importlib import resources

from xl_addin.core.cellvalues import label
from xl_addin.core.errors import UserError
from xl_addin.rules.profiles import BUILTIN, Profile, load

#: Roles a 二级 can play; the profile maps each to its 二级 names.
ROLES = ("quantity", "quality", "timeliness", "cost", "ecology", "benefit", "satisfaction")


@lru_cache(maxsize=1 << 14)
def keyword_text(text: str) -> str:
    """Text for keyword matching: compatibility forms folded, blanks removed, upper case."""
    return label(unicodedata.normalize("NFKC", text)).upper()


def rule_data(name: str) -> dict:
    """The keyword table ``rules/data/<name>.toml``, shared by every rule module."""
    text = resources.files("xl_addin").joinpath(f"rules/data/{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Placement:
    """Names containing one of ``keys`` belong to ``role``, when now under ``from_``.

    Keys are stored as ``keyword_text`` so matching costs one ``in`` per keyword.
    """

    role: str
    keys: tuple[str, ...]
    from_: frozenset[str]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """All keys as one alternation: one scan of a name instead of one per key."""
        return re.compile("|".join(map(re.escape, self.keys))) if self.keys else re.compile("(?!)")


@dataclass(frozen=True)
class VagueIndicator:
    """A generic phrase (as ``keyword_text``) that is no indicator, under ``only`` roles
    (empty: under any)."""

    key: str
    only: frozenset[str]


@dataclass(frozen=True)
class BasisMapping:
    """Free text for a 确定依据 that means ``standard`` (a keyword in it, or a pattern)."""

    standard: str
    keywords: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    note: str

    def matches(self, text: str) -> bool:
        upper = text.upper()
        return any(k.upper() in upper for k in self.keywords) or any(
            p.search(text) for p in self.patterns
        )


@dataclass(frozen=True)
class CountUnits:
    """Counts named with one of ``suffixes`` are counted in one of ``units`` (``what``:
    how messages call them, 人数 …)."""

    what: str
    suffixes: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True)
class Tables:
    """The wording tables of ``rules/data`` (the parser's own lists: ``valueparse``)."""

    rate_suffixes: tuple[str, ...]
    rate_units: frozenset[str]
    rate_may_exceed: tuple[str, ...]
    count_suffixes: tuple[str, ...]
    count_exclusions: tuple[str, ...]
    percent_units: frozenset[str]
    rate_name_words: tuple[str, ...]  # a name holding one is a rate however it ends
    outcome_words: tuple[str, ...]
    money_name_words: tuple[str, ...]
    count_units: tuple[CountUnits, ...]
    known_units: frozenset[str]  # the parser's units and the money units
    quality_count_units: frozenset[str]
    quality_count_exceptions: tuple[str, ...]
    money_units: dict[str, Decimal]
    cost_slip_factor: Decimal
    default_comparator: dict[str, str]
    satisfaction_words: tuple[str, ...]
    rate_words: tuple[str, ...]
    money_words: tuple[str, ...]
    placements: tuple[Placement, ...]
    vague_indicators: tuple[VagueIndicator, ...]
    residents: tuple[str, ...]
    staff: tuple[str, ...]
    satisfaction_suggestion: str
    satisfaction_filler: tuple[str, ...]
    satisfaction_groups: tuple[tuple[str, int], ...]  # (word, group), longest words first
    basis_mappings: tuple[BasisMapping, ...]


@cache
def tables() -> Tables:
    """The built-in tables, read once."""
    values, placement, basis = rule_data("values"), rule_data("placement"), rule_data("basis")
    fit, threshold = values["fit"], values["threshold"]
    population = placement["satisfaction_population"]
    duplicate = placement["satisfaction_duplicate"]
    return Tables(
        rate_suffixes=tuple(fit["rate_suffixes"]),
        rate_units=frozenset(fit["rate_units"]),
        rate_may_exceed=tuple(fit["rate_may_exceed"]),
        count_suffixes=tuple(fit["count_suffixes"]),
        count_exclusions=tuple(fit["count_exclusions"]),
        percent_units=frozenset(fit["percent_units"]),
        rate_name_words=tuple(fit["outcome_percent"]["rate_words"]),
        outcome_words=tuple(fit["outcome_percent"]["outcome_words"]),
        money_name_words=tuple(fit["money_quantity"]["money_words"]),
        count_units=tuple(
            CountUnits(c["what"], tuple(c["suffixes"]), tuple(c["units"]))
            for c in fit["count_units"]
        ),
        known_units=frozenset(values["parse"]["units"]) | frozenset(fit["money_units"]),
        quality_count_units=frozenset(fit["quality_count"]["units"]),
        quality_count_exceptions=tuple(fit["quality_count"]["exceptions"]),
        money_units={unit: Decimal(str(f)) for unit, f in fit["money_units"].items()},
        cost_slip_factor=Decimal(str(fit["cost"]["unit_slip_factor"])),
        default_comparator=dict(fit["default_comparator"]),
        satisfaction_words=tuple(threshold["satisfaction_words"]),
        rate_words=tuple(threshold["rate_words"]),
        money_words=tuple(threshold["money_words"]),
        placements=tuple(
            Placement(p["role"], tuple(map(keyword_text, p["keywords"])), frozenset(p["from"]))
            for p in placement["placement"]
        ),
        vague_indicators=tuple(
            VagueIndicator(keyword_text(v["phrase"]), frozenset(v.get("only", ())))
            for v in placement["vague_indicator"]
        ),
        residents=tuple(population["residents"]),
        staff=tuple(population["staff"]),
        satisfaction_suggestion=population["suggestion"],
        satisfaction_filler=tuple(duplicate["filler"]),
        satisfaction_groups=tuple(sorted(
            ((word, n) for n, words in enumerate(duplicate["groups"]) for word in words),
            key=lambda wn: -len(wn[0]),
        )),
        basis_mappings=tuple(
            BasisMapping(
                m["standard"],
                tuple(m.get("keywords", ())),
                tuple(re.compile(p) for p in m.get("patterns", ())),
                m.get("note", ""),
            )
            for m in basis["map"]
        ),
    )


@dataclass(frozen=True)
class RuleSettings:
    """The profile's rule settings: roles, thresholds and the project code's shape."""

    roles: dict[str, tuple[str, ...]]
    satisfaction_min: Decimal
    satisfaction_warn_full: bool
    money_rate_min: Decimal
    boilerplate_similarity: float
    boilerplate_min_rows: int
    code_length: int
    region: str
    #: 确定依据 written as free text that maps to a standard (年度工作计划) is accepted
    #: silently; false (a strict profile): one info per project lists those rows
    accept_free_text: bool = True

    @classmethod
    def from_profile(cls, profile: Profile) -> RuleSettings:
        roles = _section(profile, "roles")
        thresholds = _section(profile, "thresholds")
        code = _section(profile, "code")
        try:
            settings = cls(
                roles={role: tuple(roles[role]) for role in ROLES},
                satisfaction_min=Decimal(str(thresholds["satisfaction_min"])),
                satisfaction_warn_full=bool(thresholds["satisfaction_warn_full"]),
                money_rate_min=Decimal(str(thresholds["money_rate_min"])),
                boilerplate_similarity=float(thresholds["boilerplate_similarity"]),
                boilerplate_min_rows=int(thresholds["boilerplate_min_rows"]),
                code_length=int(code["length"]),
                region=str(code["region"]),
                accept_free_text=_flag(profile.raw["basis"], "accept_free_text", True),
            )
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise UserError(
                f"规则文件“{profile.name}”的校验设置（[roles]、[thresholds]、[code]、[basis]）"
                f"缺少或写错了 {exc}，请对照内置的 frame2015.toml 修改。"
            ) from exc
        unknown = [l2 for l2s in settings.roles.values() for l2 in l2s
                   if l2 not in profile.all_level2]
        if unknown:
            raise UserError(
                f"规则文件“{profile.name}”的 [roles] 中的“{'、'.join(unknown)}”"
                f"不是本框架的二级指标，请改为框架中已有的二级指标名称。"
            )
        return settings


def _flag(section: dict, key: str, default: bool) -> bool:
    """A true/false setting; a quoted or numeric one is refused rather than read as true."""
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise TypeError(f"{key} 应为 true 或 false")
    return value


def _section(profile: Profile, name: str) -> dict:
    """The profile's section, or the built-in frame's when the profile has none."""
    if name in profile.raw:
        return profile.raw[name]
    builtin = profile.name if profile.name in BUILTIN else BUILTIN[0]
    return load(builtin).raw[name]
