"""Importing the Word original of a published document.

The seed exists only in its text form, so the .docx side is checked by a round trip:
what ``write_docx`` writes must import to exactly the model the text form gives.  A
hand-built document covers the merged cells Word produces, and broken files must end
in a ``UserError`` the user can act on, never a traceback.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.table import Table as DocxTable

from xl_addin.core.errors import UserError
from xl_addin.core.model import WorkbookModel
from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.importers.blocks import Table
from xl_addin.documents.importers.docx_reader import read_docx
from xl_addin.documents.importers.published import interpret
from xl_addin.documents.importers.text_reader import read_text

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.txt"


def _seed_model() -> WorkbookModel:
    return interpret(read_text(SEED.read_text(encoding="utf-8")))


def _as_is(model: WorkbookModel) -> WorkbookModel:
    return model


def _with_odd_values(model: WorkbookModel) -> WorkbookModel:
    """Cells that are not numbers, a category, and a level repeated on purpose."""
    p = model.projects[0]
    p.budget, p.written["budget"] = None, "待定"
    p.plan["mar"], p.written["mar"] = None, "见说明"
    p.plan["jun"] = Decimal("12.5")
    p.category = "一般项目"
    p.indicators[1].level1_written = True
    return model


@pytest.mark.parametrize("variant", [_as_is, _with_odd_values])
def test_written_docx_imports_to_the_same_model(
    tmp_path: Path, variant: Callable[[WorkbookModel], WorkbookModel]
) -> None:
    expected = variant(_seed_model())
    path = tmp_path / "绩效目标.docx"
    write_docx(expected, path)
    got = interpret(read_docx(path))

    assert asdict(got.settings) == asdict(expected.settings)
    assert asdict(got.department) == asdict(expected.department)
    assert len(got.projects) == len(expected.projects) == 12
    for g, e in zip(got.projects, expected.projects, strict=True):
        g_fields, e_fields = asdict(g), asdict(e)
        g_inds, e_inds = g_fields.pop("indicators"), e_fields.pop("indicators")
        assert g_fields == e_fields, e.name
        assert len(g_inds) == len(e_inds), e.name
        for gi, ei in zip(g_inds, e_inds, strict=True):
            assert gi == ei, e.name
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def _fill(table: DocxTable, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _hand_built(path: Path) -> None:
    """A document as Word makes it: merged 一级 cells, a description merged over two
    grid columns, and the goals in a table nested in their cell."""
    doc = docx.Document()
    doc.add_paragraph("第二部分")
    head = doc.add_table(rows=3, cols=4)
    _fill(head, [["项目编码", "X001", "项目名称", "测试项目"], ["预算数", "1.5", "其他资金", ""]])
    head.cell(2, 0).text = "绩效目标"
    goals = head.cell(2, 1).merge(head.cell(2, 3))
    nested = goals.add_table(rows=2, cols=1)
    _fill(nested, [["1.甲  "], ["2.乙"]])
    doc.add_paragraph("   ")
    inds = doc.add_table(rows=4, cols=7)
    _fill(
        inds,
        [
            ["一级指标", "二级指标", "三级指标", "绩效指标描述", "", "指标值", "指标值确定依据"],
            ["产出指标", "数量指标", "次数", "开展次数", "", "≥2次", "计划"],
            ["", "质量指标", "合格率", "验收合格\n\n  ", "", "100%", "计划"],
            ["效益指标", "社会效益指标", "覆盖", "覆盖人数", "", "≥30人", "计划"],
        ],
    )
    for r in range(4):
        inds.cell(r, 3).merge(inds.cell(r, 4))
    inds.cell(1, 0).merge(inds.cell(2, 0))
    doc.save(str(path))


def test_merged_cells_read_once_and_continuations_blank(tmp_path: Path) -> None:
    path = tmp_path / "手工.docx"
    _hand_built(path)
    blocks = read_docx(path)
    tables = [b for b in blocks if isinstance(b, Table)]

    assert tables[0].rows[2] == ["绩效目标", "1.甲\n2.乙"]
    assert tables[1].rows == [
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
        ["产出指标", "数量指标", "次数", "开展次数", "≥2次", "计划"],
        ["", "质量指标", "合格率", "验收合格", "100%", "计划"],
        ["效益指标", "社会效益指标", "覆盖", "覆盖人数", "≥30人", "计划"],
    ]
    project = interpret(blocks).projects[0]
    assert (project.code, project.budget) == ("X001", Decimal("1.5"))
    assert project.goals == ["1.甲", "2.乙"]
    assert [(i.level1, i.level1_written, i.description) for i in project.indicators] == [
        ("产出指标", True, "开展次数"),
        ("产出指标", False, "验收合格"),
        ("效益指标", True, "覆盖人数"),
    ]


def _zip(entries: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in entries.items():
            z.writestr(name, text)
    return buf.getvalue()


def _valid_docx() -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def _replace_document_xml(content: str | None) -> bytes:
    """A valid package whose word/document.xml is replaced (or dropped when None)."""
    with zipfile.ZipFile(io.BytesIO(_valid_docx())) as src:
        entries: dict[str, str | bytes] = {n: src.read(n) for n in src.namelist()}
    if content is None:
        del entries["word/document.xml"]
    else:
        entries["word/document.xml"] = content
    return _zip(entries)


BROKEN: dict[str, bytes | None] = {
    "随机字节.docx": random.Random(0).randbytes(2048),
    "空文件.docx": b"",
    "普通压缩包.docx": _zip({"readme.txt": "不是 Word 文档"}),
    "缺少正文.docx": _replace_document_xml(None),
    "正文损坏.docx": _replace_document_xml("<w:document"),
    "截断.docx": _valid_docx()[:3000],
    "不存在.docx": None,
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_unreadable_file_is_a_user_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    content = BROKEN[name]
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read_docx(path)
    assert name in caught.value.message
    assert "Word 文档" in caught.value.message


def test_a_project_without_indicator_rows_exports(tmp_path) -> None:
    from xl_addin.core.model import Project, Settings

    model = WorkbookModel(settings=Settings(year=2022),
                          projects=[Project(name="空项目", code="13030322P00000000001A")])
    path = tmp_path / "empty.docx"
    write_docx(model, path)
    [project] = interpret(read_docx(path)).projects
    assert (project.name, project.indicators) == ("空项目", [])
