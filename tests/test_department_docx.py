"""The department's indicator rows in the exported document: Part 1 ends with their
table, in a project indicator table's columns, right after 工作保障措施 (where the
document interpreter will look for it), 一级 merged down over its group."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner
from docx.oxml.ns import qn

from tests.department import SOUND_ROWS, build, with_department_rows
from xl_addin.actions.submit import outputs_for
from xl_addin.cli import cli
from xl_addin.core.model import INDICATOR_FIELDS
from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.importers.blocks import Paragraph, Table
from xl_addin.documents.importers.docx_reader import read_docx
from xl_addin.documents.importers.published import interpret
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model

HEADER = list(INDICATOR_FIELDS.values())


def _part_one(path: Path) -> list:
    blocks = read_docx(path)
    end = next(i for i, b in enumerate(blocks)
               if isinstance(b, Paragraph) and b.text == "第二部分")
    return blocks[:end]


def test_part_one_ends_with_the_department_indicator_table(seed_model, tmp_path) -> None:
    model = with_department_rows(seed_model, SOUND_ROWS)
    path = tmp_path / "dept.docx"
    write_docx(model, path)
    part_one = _part_one(path)
    tables = [b for b in part_one if isinstance(b, Table)]
    assert len(tables) == 1 and part_one[-1] is tables[0]
    assert part_one[-2] == Paragraph(model.department.measures[-1].strip())  # right after
    expected = [HEADER] + [
        [i.level1 if i.level1_written else "", i.level2, i.level3, i.description, i.value,
         i.basis] for i in model.department.indicators]
    assert tables[0].rows == expected


def test_level1_is_merged_down_over_its_group(seed_model, tmp_path) -> None:
    path = tmp_path / "dept.docx"
    write_docx(with_department_rows(seed_model, SOUND_ROWS), path)
    table = docx.Document(str(path)).tables[0]
    merges = [tr.tc_lst[0].vMerge for tr in table._tbl.tr_lst[1:]]
    # 产出 over three rows, then 效益 and 满意度 alone
    assert merges == ["restart", "continue", "continue", None, None]
    spans = [int(tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")))
             for tc in table._tbl.tr_lst[0].tc_lst if tc.tcPr.find(qn("w:gridSpan")) is not None]
    assert spans == [2]  # 绩效指标描述 over two grid columns, as for a project


def test_the_table_leaves_the_rest_of_the_document_as_it_reads(seed_model, tmp_path) -> None:
    model = with_department_rows(seed_model, SOUND_ROWS)
    path = tmp_path / "dept.docx"
    write_docx(model, path)
    got = interpret(read_docx(path))
    d, e = got.department, model.department
    assert (d.overall_goal, d.measures) == (e.overall_goal, e.measures)
    assert [(x.number, x.name, x.goal) for x in d.duties] == [
        (x.number, x.name, x.goal) for x in e.duties]
    assert [(p.code, len(p.indicators)) for p in got.projects] == [
        (p.code, len(p.indicators)) for p in model.projects]


def test_the_rows_come_back_from_the_document(seed_model, tmp_path) -> None:
    """The interpreter reads an indicator table before any project as the department's."""
    model = with_department_rows(seed_model, SOUND_ROWS)
    path = tmp_path / "dept.docx"
    write_docx(model, path)
    got = interpret(read_docx(path)).department.indicators
    fields = ("level1", "level2", "level3", "description", "value", "basis", "level1_written")
    assert [tuple(getattr(i, f) for f in fields) for i in got] == [
        tuple(getattr(i, f) for f in fields) for i in model.department.indicators]


def test_no_rows_no_table_in_part_one(seed_model, tmp_path) -> None:
    path = tmp_path / "seed.docx"
    write_docx(seed_model, path)
    assert not [b for b in _part_one(path) if isinstance(b, Table)]


def test_the_submission_keeps_the_rows(seed_model, tmp_path) -> None:
    """``submit``: the values-only copy still holds the rows, and its .docx the table."""
    model = with_department_rows(seed_model, SOUND_ROWS)
    book = build(model, tmp_path / "dept.xlsx")
    outdir = tmp_path / "报送"
    result = CliRunner().invoke(cli, ["submit", str(book), "-o", str(outdir), "--force"])
    assert result.exit_code == 0, result.output
    outputs = outputs_for(book, outdir)
    copy = read_model(FileBook(outputs.xlsx)).model.department.indicators
    original = read_model(FileBook(book)).model.department.indicators
    assert copy == original and len(copy) == len(SOUND_ROWS)
    tables = [b for b in _part_one(outputs.docx) if isinstance(b, Table)]
    assert [row[2] for row in tables[0].rows[1:]] == [i.level3 for i in SOUND_ROWS]
