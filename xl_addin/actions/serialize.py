"""The model as JSON-ready data (``xl-addin dump``); the shape is documented in the README.

Money and percentages are strings of exact decimals ('0.40', '25') so no float ever
rounds them; the password setting is never written out.
"""

from __future__ import annotations

from decimal import Decimal

from xl_addin.core.cellvalues import money_text
from xl_addin.core.model import Indicator, Project
from xl_addin.forms.book import BookContents


def _num(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")


def indicator_dict(ind: Indicator) -> dict:
    return {
        "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
        "description": ind.description, "value": ind.value, "basis": ind.basis,
        "level1_written": ind.level1_written, "row": ind.row,
    }


def project_dict(p: Project) -> dict:
    return {
        "sheet": p.sheet, "unit_line": p.unit_line, "code": p.code, "name": p.name,
        "category": p.category,
        "budget": money_text(p.budget) if p.budget is not None else None,
        "fiscal": money_text(p.fiscal) if p.fiscal is not None else None,
        "other": money_text(p.other) if p.other is not None else None,
        "uses": list(p.uses),
        "plan": {k: _num(v) for k, v in p.plan.items()},
        "goals": list(p.goals),
        "indicators": [indicator_dict(i) for i in p.indicators],
        "written": dict(p.written),
        "scaled": dict(p.scaled),
        "with_unit": dict(p.with_unit),
        "cells": dict(p.cells),
    }


def contents_dict(contents: BookContents) -> dict:
    m = contents.model
    s = m.settings
    return {
        "settings": {"year": s.year, "unit": s.unit, "frame": s.frame,
                     "template_version": s.template_version},
        "department": {
            "overall_goal": m.department.overall_goal,
            "duties": [{"number": d.number, "name": d.name, "goal": d.goal}
                       for d in m.department.duties],
            "measures": list(m.department.measures),
            "indicators": [indicator_dict(i) for i in m.department.indicators],
        },
        "projects": [project_dict(p) for p in m.projects],
        "problems": [f.to_dict() for f in contents.problems],
        "other_sheets": list(contents.other_sheets),
    }
