"""Issue 12, must show: documents of other provinces' forms, in every format units publish
(Word with merged cells, a saved web page with rowspans, PDFs made from both by LibreOffice
Writer, .xlsx and .xls), import field by field as they say (tests/documents.py), and the
seed and its .docx still import exactly as before.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.documents import DOCUMENTS, FORMATS
from xl_addin.cli import cli
from xl_addin.core.cellvalues import to_decimal
from xl_addin.documents.importers.published import interpret_document
from xl_addin.documents.importers.readers import read_document
from xl_addin.forms.published import load, normalise

CASES = [(key, fmt) for key in DOCUMENTS for fmt in FORMATS]
VOCABULARY = load()


def _wan(written: str, unit: str) -> Decimal | None:
    """What an amount as written is in 万元."""
    if not written:
        return None
    number = to_decimal(written.replace(",", ""))
    return number / 10000 if unit == "元" else number


def _placed(level1: str, level2: str) -> tuple[str, str]:
    """Where the workbook's frame puts a category of the document's (2013: 满意度 under 效益)."""
    return VOCABULARY.recast.get((normalise(level1), normalise(level2)), (level1, level2))


@pytest.fixture(scope="module")
def imported(sample_documents: dict[str, dict[str, Path]]) -> dict:
    return {(key, fmt): interpret_document(read_document(sample_documents[key][fmt]))
            for key, fmt in CASES}


@pytest.mark.parametrize(("key", "fmt"), CASES, ids=[f"{k}-{f}" for k, f in CASES])
def test_every_field_as_the_document_says(imported, key: str, fmt: str) -> None:
    says, got = DOCUMENTS[key].says, imported[key, fmt]
    model, report = got.model, got.report
    assert model.settings.year == says.year
    assert report.money_unit == says.money_unit
    assert [p.name for p in model.projects] == [p.name for p in says.projects]
    for p, e in zip(model.projects, says.projects, strict=True):
        assert p.unit_line in {e.unit, e.department}
        assert (p.budget, p.fiscal, p.other) == tuple(
            _wan(w, says.money_unit) for w in (e.money.total, e.money.fiscal, e.money.other))
        assert p.goals == list(e.goals)
        rows = [(i.level1, i.level2, i.level3, i.value, i.basis) for i in p.indicators]
        assert rows == [(*_placed(i.level1, i.level2), i.level3, i.value, i.basis)
                        for i in e.indicators], p.name
        read = next(r for r in report.projects if r.name == p.name)
        notes = "\n".join(read.notes + read.kept)
        for goal in e.long_term_goals:
            assert goal in notes  # kept apart, never mixed into the year's goals
        for i in e.indicators:
            for kept in (i.long_term, i.weight, i.scoring):
                assert not kept or (f"“{i.level3}”的" in notes and kept in notes)
    if says.department is not None:
        d, e = model.department, says.department
        assert [(i.level1, i.level2, i.level3, i.value) for i in d.indicators] == [
            (i.level1, i.level2, i.level3, i.value) for i in e.indicators]
        assert d.overall_goal == "\n".join(e.goals)
        assert [duty.name for duty in d.duties] == list(e.duties)
    assert report.unrecognised == []


def test_the_formats_of_one_document_agree(imported) -> None:
    for key in DOCUMENTS:
        first = imported[key, FORMATS[0]].model
        for fmt in FORMATS[1:]:
            assert imported[key, fmt].model == first, (key, fmt)


@pytest.mark.parametrize("fmt", ["pdf", "html", "xlsx"])
def test_the_command_imports_and_reports(sample_documents, tmp_path: Path, fmt: str) -> None:
    """Form B (元, split values, 权重…): the command, its report, the 导入说明 sheet."""
    out = tmp_path / "b.xlsx"
    result = CliRunner().invoke(cli, ["import", str(sample_documents["B"][fmt]), "-o", str(out),
                                      "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["report"]
    assert (report["year"], report["year_from"], report["money_unit"]) == (2023, "标题", "元")
    first = report["projects"][0]
    assert "预算数 3,309,840.00（元）换算为 330.984 万元" in first["notes"]
    dump = json.loads(CliRunner().invoke(cli, ["dump", str(out)]).stdout)
    project = dump["projects"][0]
    assert (project["name"], project["budget"]) == ("城乡低保对象救助资金", "330.984")
    assert project["indicators"][0]["value"] == "≥1150人"
    sheet = load_workbook(out)["导入说明"]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("换算为 330.984 万元" in t for t in texts)
    assert any("的权重：20" in t for t in texts)


def test_the_seed_and_its_docx_import_exactly_as_before(seed_model, tmp_path: Path) -> None:
    """The new readers give the seed's .docx a grid; the model read from it is the one the
    text form gives (and test_import_seed / test_import_docx pin that one field by field)."""
    from xl_addin.documents.exporters.docx_writer import write_docx

    path = tmp_path / "seed.docx"
    write_docx(seed_model, path)
    got = interpret_document(read_document(path))
    assert got.model == seed_model
    assert got.report.unrecognised == []
