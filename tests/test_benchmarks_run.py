"""The benchmark scripts are not tests, but they must keep working: each module imports,
and the workbook generator and the review run on a tiny input."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["benchmarks.generate", "benchmarks.units", "benchmarks.review_speed",
           "benchmarks.run_pool",
           "benchmarks.workbook_speed", "benchmarks.validate_speed", "benchmarks.docx_speed"]


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_module_imports(name) -> None:
    assert hasattr(importlib.import_module(name), "__doc__")


def test_generated_workbook_reviews(tmp_path) -> None:
    from benchmarks.generate import write
    from xl_addin.actions.review import review_file

    path = write(tmp_path / "u.xlsx", 3)
    result = review_file(str(path), str(tmp_path))
    assert len(result.rows) == 3 and result.totals["预算数"] > 0


def test_pool_programs_read_what_one_process_reads(tmp_path) -> None:
    """The floor program reads every row of every file; the review program every file."""
    from benchmarks.generate import write
    from benchmarks.run_pool import bare_read, floor, review, workbooks

    for i in range(3):
        write(tmp_path / f"u{i}.xlsx", 2 + i)
    (tmp_path / "~$u0.xlsx").write_bytes(b"owner file")  # not a workbook: skipped by both
    paths = workbooks(tmp_path)
    assert len(paths) == 3
    assert floor(tmp_path, 2) == sum(bare_read(p) for p in paths) > 0
    assert review(tmp_path, 2) == 3


def test_docx_benchmark_runs(capsys) -> None:
    from benchmarks.docx_speed import main

    main(["--rows", "5", "10"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("每行用时 10 行 / 5 行")


def test_docx_benchmark_times_the_rows_it_says(tmp_path) -> None:
    """One project of n indicator rows in groups, read back by the .docx importer."""
    from benchmarks.docx_speed import model_with_rows
    from xl_addin.documents.exporters.docx_writer import write_docx
    from xl_addin.documents.importers.docx_reader import read_docx
    from xl_addin.documents.importers.published import interpret

    model = model_with_rows(20)
    write_docx(model, tmp_path / "b.docx")
    got = interpret(read_docx(tmp_path / "b.docx"))
    assert [len(p.indicators) for p in got.projects] == [20]
    assert [i.level1 for i in got.projects[0].indicators] == [
        i.level1 for i in model.projects[0].indicators]
