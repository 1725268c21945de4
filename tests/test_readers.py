"""Every format of one document reads to the same tables.

The sample documents (tests/documents.py) are written as .docx, HTML and .xlsx by code
and turned into .xls and PDF by LibreOffice; each reader must give back the tables the
document draws: the same grid (merged cells' text in every position they cover), the
same cell sequence, where each table is, and the paragraphs around them.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pdfplumber
import pytest

from tests.documents import DOCUMENTS, FORMATS, TableSpec
from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.importers.blocks import Block, Paragraph, Table
from xl_addin.documents.importers.docx_reader import read_docx
from xl_addin.documents.importers.readers import read_document
from xl_addin.documents.importers.text_reader import read_text

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.txt"
CASES = [(key, fmt) for key in DOCUMENTS for fmt in FORMATS]
WHERE = {
    "docx": r"第 \d+ 个表格", "html": r"第 \d+ 个表格", "xlsx": r"工作表“.+”",
    "xls": r"工作表“.+”", "pdf": r"第 \d+(–\d+)? 页", "html.pdf": r"第 \d+(–\d+)? 页",
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _flat_grid(grid: list[list[str]] | None) -> list[list[str]]:
    assert grid is not None
    return [[_flat(cell) for cell in row] for row in grid]


def _tables(blocks: list[Block]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def _paragraphs(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


@pytest.mark.parametrize(("key", "fmt"), CASES)
def test_each_format_reads_the_drawn_grid(sample_documents, key: str, fmt: str) -> None:
    document = DOCUMENTS[key]
    tables = _tables(read_document(sample_documents[key][fmt]))
    assert len(tables) == len(document.tables)
    for got, spec in zip(tables, document.tables, strict=True):
        if fmt.endswith("pdf"):  # where a PDF's lines break is LibreOffice's choice
            assert _flat_grid(got.grid) == _flat_grid(spec.grid())
        else:
            assert got.grid == spec.grid()
        assert re.fullmatch(WHERE[fmt], got.where), got.where


@pytest.mark.parametrize(("key", "fmt"), [c for c in CASES if c[1] != "docx"])
def test_each_format_gives_the_cells_as_word_does(sample_documents, key: str,
                                                  fmt: str) -> None:
    """``rows``: each cell once, a continued merge as "" — what the .docx reader gives."""
    word = _tables(read_docx(sample_documents[key]["docx"]))
    got = _tables(read_document(sample_documents[key][fmt]))
    assert [_flat_grid(t.rows) for t in got] == [_flat_grid(t.rows) for t in word]


@pytest.mark.parametrize(("key", "fmt"), CASES)
def test_paragraphs_carry_title_year_and_money_unit(sample_documents, key: str,
                                                    fmt: str) -> None:
    document = DOCUMENTS[key]
    paragraphs = [_flat(p) for p in _paragraphs(read_document(sample_documents[key][fmt]))]
    expected = [_flat(p) for p in document.paragraphs]
    found = [p for p in paragraphs if p in expected]
    assert found == expected  # all of them, in document order
    assert any(str(document.says.year) in p for p in paragraphs)
    assert any(p.endswith(f"单位：{document.says.money_unit}") for p in paragraphs)


@pytest.mark.parametrize("key", [k for k, d in DOCUMENTS.items() if d.wrapped_labels])
@pytest.mark.parametrize("fmt", ["pdf", "html.pdf"])
def test_a_label_wrapped_in_a_narrow_cell_reads_whole(sample_documents, key: str,
                                                      fmt: str) -> None:
    path = sample_documents[key][fmt]
    with pdfplumber.open(path) as pdf:
        printed = "\n".join(page.extract_text() for page in pdf.pages)
    cells = {cell for t in _tables(read_document(path)) for row in t.grid or [] for cell in row}
    for label in DOCUMENTS[key].wrapped_labels:
        assert not any(label in line for line in printed.split("\n")), "not wrapped"
        assert label in cells


@pytest.mark.parametrize("fmt", ["pdf", "html.pdf"])
def test_a_table_over_a_page_break_is_one_table(sample_documents, fmt: str) -> None:
    """A's second project table goes on over the page, its 一级 cell cut in two."""
    second = _tables(read_document(sample_documents["A"][fmt]))[1]
    assert second.where == "第 1–2 页"
    assert _flat_grid(second.grid) == _flat_grid(DOCUMENTS["A"].tables[1].grid())


def test_a_repeated_header_row_is_read_once(sample_documents) -> None:
    """C's Word version repeats its header row on the second page (标题行重复)."""
    path = sample_documents["C"]["pdf"]
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
        assert "单位名称" in pdf.pages[1].extract_text()  # printed again on page 2
    [table] = _tables(read_document(path))
    assert table.where == "第 1–2 页"
    assert [row[0] for row in table.grid or []].count("单位名称") == 1
    assert len(table.grid or []) == len(DOCUMENTS["C"].tables[0].rows)


def _owners(spec: TableSpec) -> dict[tuple[int, int], int]:
    return {(r + i, c + j): k for k, (r, c, cell) in enumerate(spec.placed())
            for i in range(cell.rowspan) for j in range(cell.colspan)}


def test_every_sample_draws_each_grid_line() -> None:
    """No grid column of a sample is merged over in every row: a PDF could not show
    such a column, so the formats could not agree on it."""
    for document in DOCUMENTS.values():
        for spec in document.tables:
            owner = _owners(spec)
            for c in range(1, len(spec.widths)):
                assert any(owner[r, c] != owner[r, c - 1] for r in range(len(spec.rows))), (
                    document.key, c)


#: the seed's tables as the Word reader gave them before it knew grids (sha256 of JSON)
SEED_ROWS_SHA256 = "1edc258c34ddeb004a15056bd8ee56f0145d940ac8e67583864dfabde4bf29d6"


def test_the_seed_docx_reads_to_the_same_rows_as_before(tmp_path: Path, seed_model) -> None:
    path = tmp_path / "seed.docx"
    write_docx(seed_model, path)
    tables = _tables(read_document(path))
    rows = [t.rows for t in tables]
    assert hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest() == (
        SEED_ROWS_SHA256)
    assert rows[0][:2] == [
        ["610001古城街道办事处部门秦皇岛市山海关区古城街道办事处本级", "单位：万元"],
        ["项目编码", "13030322P00397010017P", "项目名称", "车辆保险费"],
    ]
    assert all(t.grid is not None and t.where for t in tables)
    assert read_document(path) == read_docx(path)


def test_the_text_form_reads_as_before() -> None:
    assert read_document(SEED) == read_text(SEED.read_text(encoding="utf-8"))
