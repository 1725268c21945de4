"""The grid's own helpers: column letters and merged cells."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter

from xl_addin.grid import Grid, a1, column_letter


@pytest.mark.parametrize("col", [1, 2, 25, 26, 27, 52, 53, 701, 702, 703, 16384])
def test_column_letter_agrees_with_openpyxl(col) -> None:
    assert column_letter(col) == get_column_letter(col)


def test_a1() -> None:
    assert [a1(3, 2), a1(1, 27), a1(10, 16384)] == ["B3", "AA1", "XFD10"]


def test_covered_cells_are_the_merged_ones_but_the_anchor() -> None:
    grid = Grid("s", [[1, 2, 3]] * 3, [(1, 1, 2, 2), (3, 3, 3, 3)])
    assert grid.covered() == {(1, 2), (2, 1), (2, 2)}
    assert grid.anchor(2, 2) == (1, 1) and grid.anchor(3, 3) == (3, 3)
