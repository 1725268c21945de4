"""The registry: every finding type has a rule, codes are stable and unique, the
catalogue comes from the rules, and rule settings are data a profile can carry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_rules_support import model_of, sound_project

from xl_addin.core.errors import UserError
from xl_addin.rules import FINDING_TYPES, RULES, catalogue_markdown, profiles, validate
from xl_addin.rules.config import ROLES, RuleSettings, tables
from xl_addin.rules.profiles import load
from xl_addin.rules.report import SEVERITIES

PROFILES = Path(profiles.__file__).parent  # the frames packaged with the rules
RULE_SECTIONS = re.compile(r"\n# —— 校验规则的设置.*", re.DOTALL)


def test_every_rule_uses_a_documented_type() -> None:
    assert {r.type for r in RULES} <= set(FINDING_TYPES)


def test_every_type_but_sheet_structure_has_a_rule() -> None:
    # found while reading the workbook, not by rules over the model
    assert set(FINDING_TYPES) - {r.type for r in RULES} == {"sheet-structure", "steering-sheet"}


def test_codes_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"V[1-9][0-9]{2}", c) for c in codes)
    assert all(r.severity in SEVERITIES for r in RULES)


def test_catalogue_lists_every_rule() -> None:
    lines = catalogue_markdown().splitlines()
    assert lines[:2] == ["| 代码 | 类型 | 级别 | 检查内容 |", "|---|---|---|---|"]
    assert [line.split(" | ")[0].lstrip("| ") for line in lines[2:]] == [r.code for r in RULES]
    assert "| V401 | `yes-no-value` | error |" in catalogue_markdown()


@pytest.mark.parametrize("frame", ["2015", "2021"])
def test_the_data_tables_speak_of_known_roles_and_standards(frame: str) -> None:
    profile = load(frame)
    settings = RuleSettings.from_profile(profile)
    t = tables()
    for placement in t.placements:
        assert {placement.role, *placement.from_} <= set(ROLES)
    assert all(v.only <= set(ROLES) for v in t.vague_indicators)
    assert {m.standard for m in t.basis_mappings} <= set(profile.bases)
    assert all(settings.roles[role] for role in ROLES)


def test_a_profile_without_rule_sections_inherits_them(tmp_path: Path) -> None:
    text = (PROFILES / "frame2015.toml").read_text("utf-8")
    custom = tmp_path / "bureau.toml"
    custom.write_text(RULE_SECTIONS.sub("\n", text), "utf-8")
    profile = load(custom)
    assert "roles" not in profile.raw
    assert validate(model_of(sound_project()), profile).findings == []


def test_roles_must_name_the_frames_categories(tmp_path: Path) -> None:
    text = (PROFILES / "frame2015.toml").read_text("utf-8")
    custom = tmp_path / "bureau.toml"
    custom.write_text(text.replace('quality = ["质量指标"]', 'quality = ["品质指标"]'), "utf-8")
    with pytest.raises(UserError, match="品质指标"):
        validate(model_of(sound_project()), load(custom))


def test_thresholds_are_profile_data(tmp_path: Path) -> None:
    text = (PROFILES / "frame2015.toml").read_text("utf-8")
    custom = tmp_path / "bureau.toml"
    custom.write_text(text.replace("satisfaction_min = 80", "satisfaction_min = 95"), "utf-8")
    report = validate(model_of(sound_project()), load(custom))  # the sound row asks ≥90%
    assert report.flatten(["type", "indicator"]) == [["threshold", "受益人员满意度"]]
