"""Verdicts reused for rows judged before give exactly the findings of a fresh judgement.

``validate`` keeps, per profile, what the rules that read only the row said of each row
content.  These tests compare it with ``reuse=False`` on workbooks whose projects share
rows but differ in everything else (names, codes, money, uses), and check the guard that
makes reuse safe: an indicator rule reading its project says so.
"""

from __future__ import annotations

import ast
import copy
import inspect
import textwrap
from dataclasses import replace

import pytest

from benchmarks.generate import seed_model
from benchmarks.units import unit_model
from xl_addin.rules import _ROW_VERDICTS, RULES, forget_verdicts, validate
from xl_addin.rules.profiles import load as load_profile


@pytest.fixture(autouse=True)
def _fresh_verdicts():
    forget_verdicts()
    yield
    forget_verdicts()


def _models():
    base = seed_model()
    return [base, *(unit_model(i, base=base)[0] for i in range(12))]


def test_reused_verdicts_give_the_same_findings() -> None:
    models = _models()
    fresh = [validate(m, load_profile(m.settings.frame or "2015"), reuse=False).findings
             for m in models]
    assert not _ROW_VERDICTS
    reused = [validate(m, load_profile(m.settings.frame or "2015")).findings for m in models]
    again = [validate(m, load_profile(m.settings.frame or "2015")).findings for m in models]
    assert reused == fresh and again == fresh
    assert sum(len(t) for t in _ROW_VERDICTS.values()) < sum(
        len(p.indicators) for m in models for p in m.projects) / 2  # rows did repeat


def test_a_row_moved_to_another_project_names_that_project() -> None:
    model = seed_model()
    original = model.projects[0]
    twin = copy.deepcopy(original)
    twin.name, twin.code = "另一个项目", original.code[:-1] + "9"
    model.projects.append(twin)
    findings = [f for f in validate(model, load_profile("2015")).findings if f.indicator]
    first = [f for f in findings if f.project_code == original.code]
    second = [f for f in findings if f.project_code == twin.code]
    assert [f.type for f in first] == [f.type for f in second] and first
    assert all("另一个项目" in f.message and f.project_name == "另一个项目" for f in second)


def test_a_changed_profile_is_judged_anew() -> None:
    model = seed_model()
    profile = load_profile("2015")
    raw = copy.deepcopy(profile.raw)
    raw["thresholds"]["satisfaction_min"] = 99
    strict = replace(profile, raw=raw, digest="strict")
    validate(model, profile)

    def thresholds(p) -> int:
        return sum(f.code == "V410" for f in validate(model, p).findings)

    assert thresholds(strict) > thresholds(profile)


def _reads_project(check) -> list[str]:
    """``p.something`` in a check function's own body (its project parameter)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(check)))
    return [node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "p"]


@pytest.mark.parametrize("rule", [r for r in RULES if r.scope == "indicator"],
                         ids=lambda r: r.code)
def test_indicator_rules_reading_their_project_say_so(rule) -> None:
    assert bool(_reads_project(rule.check)) == rule.uses_project


def _reads_position(check) -> list[str]:
    """``ind.row`` / ``ind.cells`` in a check function's own body: where the row is, which
    a verdict reused for the same content elsewhere must not depend on."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(check)))
    return [node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "ind" and node.attr in ("row", "cells")]


@pytest.mark.parametrize("rule", [r for r in RULES if r.scope == "indicator"
                                  and not r.uses_project], ids=lambda r: r.code)
def test_row_only_rules_do_not_read_where_the_row_is(rule) -> None:
    assert _reads_position(rule.check) == []
