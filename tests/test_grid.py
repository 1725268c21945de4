"""The grid's own helpers: column letters and merged cells."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from xl_addin.core.grid import Grid, a1, column_letter, parse_a1


@pytest.mark.parametrize("col", [1, 2, 25, 26, 27, 52, 53, 701, 702, 703, 16384])
def test_column_letter_agrees_with_openpyxl(col) -> None:
    assert column_letter(col) == get_column_letter(col)


def test_a1() -> None:
    assert [a1(3, 2), a1(1, 27), a1(10, 16384)] == ["B3", "AA1", "XFD10"]


def test_covered_cells_are_the_merged_ones_but_the_anchor() -> None:
    grid = Grid("s", [[1, 2, 3]] * 3, [(1, 1, 2, 2), (3, 3, 3, 3)])
    assert grid.covered() == {(1, 2), (2, 1), (2, 2)}
    assert grid.anchor(2, 2) == (1, 1) and grid.anchor(3, 3) == (3, 3)


@pytest.mark.parametrize("ref", ["B3", "$AA$10", "xfd1048576", "Z9"])
def test_parse_a1_agrees_with_openpyxl(ref) -> None:
    col, row = coordinate_from_string(ref.upper().replace("$", ""))
    assert parse_a1(ref) == (row, column_index_from_string(col))


@pytest.mark.parametrize("ref", ["", "A0", "A1:B2", "名称", "1A", "ABCD1", None])
def test_parse_a1_refuses_what_is_no_cell(ref) -> None:
    assert parse_a1(ref) is None
