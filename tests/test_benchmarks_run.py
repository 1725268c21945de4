"""The benchmark scripts are not tests, but they must keep working: each module imports,
and the workbook generator and the review run on a tiny input."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["benchmarks.generate", "benchmarks.units", "benchmarks.review_speed",
           "benchmarks.workbook_speed", "benchmarks.validate_speed"]


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_module_imports(name) -> None:
    assert hasattr(importlib.import_module(name), "__doc__")


def test_generated_workbook_reviews(tmp_path) -> None:
    from benchmarks.generate import write
    from xl_addin.review import review_file

    path = write(tmp_path / "u.xlsx", 3)
    result = review_file(str(path), str(tmp_path))
    assert len(result.rows) == 3 and result.totals["预算数"] > 0
