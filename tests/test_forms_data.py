"""The project sheet's layout is data (``xl_addin/forms/project_sheet.toml``): every name
in it agrees with the others and with the model, so an edit that breaks the form fails
here, before the template is built from it."""

from __future__ import annotations

from itertools import pairwise

import pytest

from xl_addin.core.grid import a1
from xl_addin.core.model import INDICATOR_FIELDS, PLAN_POINTS, PROJECT_FIELDS
from xl_addin.forms import project_sheet as proj


def test_every_header_field_of_the_model_has_a_label_in_the_form() -> None:
    assert set(proj.HEADER_FIELDS) == set(PROJECT_FIELDS) - {"unit_line"}
    assert {k: proj.HEADER_FIELDS[k][0] for k in PLAN_POINTS} == PLAN_POINTS
    assert {where for _, where in proj.HEADER_FIELDS.values()} <= {"right", "below"}


@pytest.mark.parametrize("labels", [
    [lab for lab, _ in proj.HEADER_FIELDS.values()],
    list(INDICATOR_FIELDS.values()),
    sorted(proj.OPTIONAL_LABELS),
    list(proj.SIGNATURE_LABELS),
    [proj.UNIT_LABEL, proj.SUGGESTION_LABEL],
], ids=["fields", "indicator-columns", "optional", "signature", "unit-and-suggestion"])
def test_every_label_the_form_names_has_a_place(labels: list[str]) -> None:
    assert [lab for lab in labels if lab not in proj.LABELS] == []


def test_places_and_merges_lie_inside_the_form() -> None:
    cells = [*proj.LABELS.values(), proj.SUGGESTED_CATEGORY_CELL, *proj.STANDARD_CELLS.values()]
    assert all(1 <= r < proj.FIRST_INDICATOR_ROW and 1 <= c <= proj.N_COLS for r, c in cells)
    for r1, c1, r2, c2 in proj.MERGES:
        assert 1 <= r1 <= r2 < proj.FIRST_INDICATOR_ROW and 1 <= c1 <= c2 <= proj.N_COLS
    assert len(set(proj.LABELS.values())) == len(proj.LABELS)  # no two labels in one cell
    values = set(proj.STANDARD_CELLS.values())
    assert not values & set(proj.LABELS.values())  # a value never sits on a label
    assert len(values) == len(proj.STANDARD_CELLS)


@pytest.mark.parametrize(("field", "cell"), [
    ("unit_line", "A2"), ("code", "B3"), ("name", "E3"), ("category", "B4"), ("budget", "C5"),
    ("fiscal", "E5"), ("other", "G5"), ("uses", "C6"), ("mar", "B8"), ("jun", "D8"),
    ("oct", "E8"), ("dec", "F8"), ("goals", "B9"),
])
def test_a_value_sits_right_of_its_labels_merge_or_below_it(field: str, cell: str) -> None:
    """Where every workbook made so far has it (the seed's, the committed template's)."""
    assert a1(*proj.STANDARD_CELLS[field]) == cell


def test_the_department_form_is_the_project_sheets_width_and_its_duty_table_fills_it() -> None:
    from xl_addin.forms import department_sheet as dept

    assert dept.N_COLS == proj.N_COLS
    assert len(dept.DUTY_COLUMNS) == len(dept.DUTY_HEADER)
    for spans in (dept.DUTY_COLUMNS, dept.MEASURE_COLUMNS):  # adjacent, from A to G
        assert spans[0][0] == 1 and spans[-1][1] == dept.N_COLS
        assert all(a[1] + 1 == b[0] for a, b in pairwise(spans))
    assert dept.TITLE_ROW < dept.OVERALL_ROW < dept.DUTIES_ROW
