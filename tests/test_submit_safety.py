"""Submission of a hostile workbook: nothing in the copy or its PDF runs, links out or
hides.  Text that looks like a formula stays text, links go only where a user may click
(http, https, mailto), links to other workbooks and sheets nobody sees (or that steer
xlwings) are dropped, and the submit command lists what it dropped."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.packaging.relationship import Relationship
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.external_link.external import (
    ExternalBook,
    ExternalLink,
    ExternalSheetNames,
)

from xl_addin.actions.submit import outputs_for
from xl_addin.cli import cli

EVIL_URL = "http://evil.example/"
LINK_NAME = f'=HYPERLINK("{EVIL_URL}","点击")&'
DDE_NAME = "=cmd|'/c calc'!A1&"
#: cell -> target on the 部门整体绩效目标 sheet; only the first two may stay
LINKS = {
    "A3": "https://www.mof.gov.cn/",
    "A4": "mailto:jxb@example.gov.cn",
    "A5": "javascript:alert(1)",
    "A6": "file:///etc/passwd",
    "A7": "vbscript:msgbox(1)",
    "A8": "data:text/html,<script>alert(1)</script>",
    "A9": "\\\\evil.example\\share\\x.xlsx",
    "A10": " JavaScript:alert(2)",
    "A11": "ftp://evil.example/x",
}
ALLOWED = {"A3", "A4"}
FOREIGN_SHEETS = {"xlwings.conf": "veryHidden", "xl_addin.conf": "visible",
                  "隐藏资料": "hidden", "run.py": "visible"}
#: any element named f (a cell formula), with or without a namespace prefix
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s/>]")


def external_link(target: str) -> ExternalLink:
    """A link part to another workbook, as Excel writes one for ``=[1]Sheet1!A1``."""
    link = ExternalLink(externalBook=ExternalBook(
        sheetNames=ExternalSheetNames(sheetName=["Sheet1"]), id="rId1"))
    link.file_link = Relationship(type="externalLinkPath", Target=target,
                                  TargetMode="External", Id="rId1")
    return link


def make_hostile(seed: Path, path: Path) -> Path:
    """The seed with project names that read as formulas, unsafe links, an external
    workbook reference and sheets that are not ours."""
    shutil.copy2(seed, path)
    wb = load_workbook(path)
    for sheet, name in (("车辆保险费", LINK_NAME), ("社区工作经费", DDE_NAME)):
        wb[sheet]["E3"].value = name
        wb[sheet]["E3"].data_type = "s"
    # the title formula appends the text 绩效目标表; as a defined name it makes the
    # injected HYPERLINK formula valid, so LibreOffice would print a live link
    wb.defined_names["绩效目标表"] = DefinedName("绩效目标表", attr_text='"绩效目标表"')
    dept = wb["部门整体绩效目标"]
    for cell, target in LINKS.items():
        dept[cell].hyperlink = target
    wb._external_links.append(external_link("\\\\evil.example\\share\\prices.xlsx"))
    wb.defined_names["外部单价"] = DefinedName("外部单价", attr_text="[1]Sheet1!$A$1")
    wb.defined_names["外部路径"] = DefinedName(
        "外部路径", attr_text="'C:\\data\\[prices.xlsx]Sheet1'!$B$2")
    for title, state in FOREIGN_SHEETS.items():
        ws = wb.create_sheet(title)
        ws["A1"] = "INTERPRETER_WIN" if title.endswith(".conf") else "秘密资料"
        ws["B1"] = "C:\\evil\\python.exe"
        ws.sheet_state = state
    wb["街道工作专项补助"].sheet_state = "hidden"  # a project sheet the user hid: stays, shown
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def hostile(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> SimpleNamespace:
    """``submit --force`` run once on the hostile workbook."""
    book = make_hostile(seed_book_path, tmp_path_factory.mktemp("hostile") / "evil.xlsx")
    outdir = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["submit", str(book), "-o", str(outdir), "--force"])
    return SimpleNamespace(result=result, book=book, outputs=outputs_for(book, outdir))


def test_the_hostile_workbook_is_submitted(hostile) -> None:
    assert hostile.result.exit_code == 0, hostile.result.output
    assert all(p.exists() for p in hostile.outputs.all())


def test_no_formula_anywhere_in_the_copy(hostile) -> None:
    with zipfile.ZipFile(hostile.outputs.xlsx) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        with_formulas = [n for n in parts if FORMULA_ELEMENT.search(z.read(n))]
    assert parts and with_formulas == []
    wb = load_workbook(hostile.outputs.xlsx)
    for sheet, name in (("车辆保险费", LINK_NAME), ("社区工作经费", DDE_NAME)):
        title = wb[sheet]["A1"]
        assert (title.value, title.data_type) == (f"{name}绩效目标表", "s")


def pdf_links(pdf: Path) -> list[str]:
    """The targets of the PDF's link annotations that leave the document."""
    targets = []
    for page in pypdf.PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_the_pdf_links_only_where_the_user_linked(hostile) -> None:
    links = pdf_links(hostile.outputs.pdf)
    assert not [u for u in links if "evil.example" in u]
    assert set(links) <= {LINKS[c] for c in ALLOWED}


def test_unsafe_hyperlinks_are_dropped_and_safe_ones_kept(hostile) -> None:
    dept = load_workbook(hostile.outputs.xlsx)["部门整体绩效目标"]
    kept = {c: dept[c].hyperlink.target for c in LINKS if dept[c].hyperlink is not None}
    assert kept == {c: LINKS[c] for c in ALLOWED}
    original = load_workbook(hostile.book)["部门整体绩效目标"]
    assert [dept[c].value for c in LINKS] == [original[c].value for c in LINKS]  # text stays
    with zipfile.ZipFile(hostile.outputs.xlsx) as z:
        rels = b"".join(z.read(n) for n in z.namelist() if n.endswith(".rels"))
    assert b"evil.example" not in rels and b"javascript" not in rels.lower()


def test_links_to_other_workbooks_are_dropped(hostile) -> None:
    with zipfile.ZipFile(hostile.outputs.xlsx) as z:
        names = z.namelist()
        book_xml = z.read("xl/workbook.xml")
    assert not [n for n in names if n.startswith("xl/externalLinks/")]
    assert b"externalReference" not in book_xml
    wb = load_workbook(hostile.outputs.xlsx)
    assert "外部单价" not in wb.defined_names and "外部路径" not in wb.defined_names
    assert "绩效目标表" in wb.defined_names  # a name inside the workbook stays


def test_foreign_and_steering_sheets_are_dropped(hostile) -> None:
    wb = load_workbook(hostile.outputs.xlsx)
    assert not set(FOREIGN_SHEETS) & set(wb.sheetnames)
    assert {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"} == {"项目模板", "参数"}
    assert "街道工作专项补助" in wb.sheetnames
    with zipfile.ZipFile(hostile.outputs.xlsx) as z:
        assert not any(b"evil\\python" in z.read(n) for n in z.namelist())


def test_submit_lists_what_it_dropped(hostile) -> None:
    said = "".join(hostile.result.stderr.split())
    assert "已从报送件中移除" in said
    for title in FOREIGN_SHEETS:
        assert f"工作表“{title}”" in said, title
    for cell in set(LINKS) - ALLOWED:
        assert f"部门整体绩效目标!{cell}" in said, cell
    for cell in ALLOWED:
        assert f"部门整体绩效目标!{cell}" not in said, cell
    assert "外部单价" in said and "外部路径" in said
    assert "prices.xlsx" in said  # the link part, named by the workbook it points at
