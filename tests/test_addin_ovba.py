"""Issue 13: the built add-in's VBA project compared, record by record, with one Excel
wrote — read with our own MS-OVBA reader (``xl_addin.addin.ovba``).

The Excel-made reference is the add-in the xlwings wheel ships,
``xlwings/addin/xlwings.xlam``: its ``docProps/app.xml`` says
``<Application>Microsoft Excel</Application>`` (AppVersion 16.0300), its workbook.xml has
Excel's ``fileVersion appName="xl"`` and the ``absPath`` of the xlwings author's Windows
checkout, and its VBA project has what only Excel's VBA editor writes: real module
cookies (LibreOffice writes 0xFFFF), window positions in [Workspace], a locked project
(long DPB).  It has the same two references our project has (stdole and Office) and the
document modules ``ThisWorkbook`` and ``Sheet1``.  ``quickstart_addin.xlam`` from the same
wheel (also Excel 16) is a second witness where one Excel file alone would prove little
(module order, DPB of an unlocked project).

Every difference that remains is in ``ALLOWED`` with the reason it is safe.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import pytest
import xlwings
from click.testing import CliRunner

with warnings.catch_warnings():  # olevba's pyparsing grammar warns on import
    warnings.simplefilter("ignore")
    from oletools import olevba

from xl_addin.addin import ovba, parts
from xl_addin.addin.build import modules
from xl_addin.cli import cli

XLWINGS = Path(xlwings.__file__).parent
EXCEL_ADDIN = XLWINGS / "addin" / "xlwings.xlam"
EXCEL_QUICKSTART = XLWINGS / "quickstart_addin.xlam"
FIXED_STREAMS = {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"}
DOCUMENTS = [parts.WORKBOOK_CODE_NAME, parts.SHEET_CODE_NAME]
#: the PROJECT stream lines that name modules (their order is free, see ALLOWED)
MODULE_KEYS = {"Document", "Module", "Class", "BaseClass", "Package"}

#: every difference from the Excel-made project that remains, and why it is safe
ALLOWED = {
    "PROJECTCODEPAGE": "936 (GBK) instead of 1252: the code page the module text is read "
                       "with; ours is ASCII anyway (W(\"…\") hex texts), and Chinese "
                       "Windows Excel uses 936 itself",
    "PROJECTSYSKIND": "1 (Win32) instead of 3 (Win64): the platform the project was last "
                      "saved on; Excel opens both (quickstart_addin.xlam has 1) and "
                      "recompiles for its own",
    "PROJECTNAME": "our project is VBAProject, Excel's default name",
    "PROJECTVERSION": "Excel counts saves in it; no reader checks the value",
    "PROJECTMODULES": "the number of modules: ours are ours",
    "PROJECTCOOKIE": "MS-OVBA 2.3.4.2.3.1: MUST be ignored on read (0xFFFF on write)",
    "MODULECOOKIE": "MS-OVBA 2.3.4.2.3.2.8: MUST be ignored on read (0xFFFF on write)",
    "MODULEOFFSET": "0: no compiled p-code before the source (Excel compiles from source, "
                    "_VBA_PROJECT version 0xFFFF says there is no cache to trust)",
    "_VBA_PROJECT": "the last, reserved byte (MS-OVBA 2.3.4.1: Reserved3, undefined)",
    "module order": "the order of modules in dir and PROJECT is free (MS-OVBA 2.3.1.3); "
                    "Excel itself mixes Document= and Module= lines "
                    "(quickstart_addin.xlam)",
    "reference Office libid": "Office 14.0 path and description instead of 16.0: a "
                              "registered reference is found by its GUID and version "
                              "2.0, the same; the path is only a hint",
    "reference stdole libid": "SysWOW64 instead of System32 path: found by GUID and "
                              "version 2.0, the same",
    "ID": "a project GUID of its own (Excel gives every project one)",
    "CMG/DPB/GC": "encrypted with a random seed, so the texts differ; decrypted, ours is "
                  "what Excel wrote into quickstart_addin.xlam (unlocked: protection 0, "
                  "no password, visible); the xlwings add-in is locked with a password",
    "Workspace": "VBA editor window positions only; LibreOffice leaves the window "
                 "state empty for standard modules",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ovba.Project, dict[str, bytes]]:
    """The project of ``xl-addin build-addin``'s add-in and the package's parts."""
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(cli, ["build-addin", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "xl_addin.xlam") as z:
        files = {n: z.read(n) for n in z.namelist()}
    return ovba.read_project(files["xl/vbaProject.bin"]), files


def _package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def excel() -> ovba.Project:
    return ovba.read_project(_package(EXCEL_ADDIN)["xl/vbaProject.bin"])


@pytest.fixture(scope="module")
def quickstart() -> ovba.Project:
    return ovba.read_project(_package(EXCEL_QUICKSTART)["xl/vbaProject.bin"])


@pytest.mark.parametrize(("container", "expected"), [
    # literals a, b, c, then one copy token: offset 3, length 6 (may overlap itself)
    (bytes.fromhex("0105b0086162630320"), b"abcabcabc"),
    # a raw chunk (flag 0): 4096 bytes as they are, then a compressed one with "z"
    (b"\x01\xff\x3f" + b"x" * 4096 + bytes.fromhex("01b0007a"), b"x" * 4096 + b"z"),
])
def test_decompress_by_hand(container: bytes, expected: bytes) -> None:
    assert ovba.decompress(container) == expected


@pytest.mark.parametrize("container", [b"", b"\x02\x05\xb0", bytes.fromhex("0105b0086162630330")])
def test_decompress_refuses_what_is_not_a_container(container: bytes) -> None:
    with pytest.raises(ovba.OvbaError):
        ovba.decompress(container)


@pytest.mark.parametrize("path", [EXCEL_ADDIN, EXCEL_QUICKSTART])
def test_reader_agrees_with_olevba_on_excel_files(path: Path) -> None:
    """Our reader's module sources are what an independent reader finds."""
    project = ovba.read_project(_package(path)["xl/vbaProject.bin"])
    parser = olevba.VBA_Parser(str(path))
    theirs = {vba_file.rsplit(".", 1)[0]: code
              for _, _, vba_file, code in parser.extract_macros()}
    ours = {name: text.replace("\r\n", "\n") for name, text in project.sources.items()}
    assert ours == {name: text.replace("\r\n", "\n") for name, text in theirs.items()}


def test_reader_tells_reference_kinds(quickstart: ovba.Project) -> None:
    """A control reference (REFERENCEORIGINAL + REFERENCECONTROL with its own name
    record) is one reference, not two."""
    assert [(r.name, r.kind, r.libid.split("#")[0]) for r in quickstart.references] == [
        ("MSForms", "control", r"*\G{0D452EE1-E08F-101A-852E-02608C4D0BB4}"),
        ("Office", "registered", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}")]


def test_streams(built, excel: ovba.Project) -> None:
    project, _ = built
    for p in (project, excel):
        modules_streams = {f"VBA/{m.stream_name}" for m in p.modules}
        assert set(p.streams) == FIXED_STREAMS | modules_streams
    assert {f"VBA/{d}" for d in DOCUMENTS} <= set(project.streams) & set(excel.streams)


def _shape(project: ovba.Project) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """The dir stream's record kinds in order: the information records, one tuple per
    reference, and what follows (PROJECTMODULES, PROJECTCOOKIE, terminator)."""
    names = [r.name for r in project.records]
    first_ref = names.index("REFERENCENAME")
    first_module = names.index("PROJECTMODULES")
    refs: list[tuple[str, ...]] = []
    for name in names[first_ref:first_module]:
        if name == "REFERENCENAME":
            refs.append(())
        refs[-1] += (name,)
    rest = [n for n in names[first_module:] if not n.startswith("MODULE")]
    return names[:first_ref], refs, rest


def test_dir_record_kinds_and_order(built, excel: ovba.Project) -> None:
    project, _ = built
    assert _shape(project) == _shape(excel)
    for name in DOCUMENTS:
        assert project.module(name).records == excel.module(name).records
    for name, _source in modules():  # ours: as Excel's standard module Main
        assert project.module(name).records == excel.module("Main").records


def test_information_record_values(built, excel: ovba.Project) -> None:
    project, _ = built
    same = {"PROJECTLCID", "PROJECTLCIDINVOKE", "PROJECTDOCSTRING", "PROJECTHELPFILEPATH",
            "PROJECTHELPCONTEXT", "PROJECTLIBFLAGS", "PROJECTCONSTANTS"}
    ours = {r.name: r.data for r in project.records}
    theirs = {r.name: r.data for r in excel.records}
    assert {n: ours[n] for n in same} == {n: theirs[n] for n in same}
    differ = {n for n in ours if n in theirs and ours[n] != theirs[n]
              and not n.startswith(("REFERENCE", "MODULE"))}
    assert differ <= set(ALLOWED)
    assert project.codepage == 936 and project.lcid == excel.lcid == 0x409


def _libid_key(libid: str) -> str:
    """GUID and version of a registered reference: what Excel finds it by."""
    return "#".join(libid.split("#")[:2])


def test_references(built, excel: ovba.Project) -> None:
    project, _ = built
    ours = {r.name: (r.kind, _libid_key(r.libid)) for r in project.references}
    theirs = {r.name: (r.kind, _libid_key(r.libid)) for r in excel.references}
    assert ours == theirs == {
        "stdole": ("registered", r"*\G{00020430-0000-0000-C000-000000000046}#2.0"),
        "Office": ("registered", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0"),
    }
    full = {r.name: r.libid for r in project.references}
    assert {f"reference {n} libid" for n in full
            if full[n] != next(r.libid for r in excel.references if r.name == n)} <= set(ALLOWED)


def test_module_types(built, excel: ovba.Project) -> None:
    project, _ = built
    for p in (project, excel):
        documents = [v.split("/")[0] for v in p.project_values("Document")]
        assert set(DOCUMENTS) <= set(documents)
        assert all(not p.module(d).procedural for d in documents)
        assert all(p.module(m).procedural for m in p.project_values("Module"))
    assert sorted(project.project_values("Module")) == sorted(n for n, _ in modules())
    assert sorted(project.project_values("Document")) == sorted(f"{d}/&H00000000"
                                                                for d in DOCUMENTS)
    assert project.project_values("Class") == []


def test_document_modules_are_excels_text(built, excel: ovba.Project) -> None:
    """The header Excel writes (VB_Base: Workbook for ThisWorkbook, Worksheet for the
    sheet) and nothing else: no code runs when the add-in opens."""
    project, _ = built
    for name in DOCUMENTS:
        assert project.sources[name] == excel.sources[name], name
    assert '"0{00020819-' in project.sources[parts.WORKBOOK_CODE_NAME]


def _line_kinds(project: ovba.Project) -> list[tuple[str, str]]:
    """(section, key) of each PROJECT line, the module lines as one run, [Workspace]
    entries as one."""
    kinds: list[tuple[str, str]] = []
    for section, key, _value in project.project_lines:
        kind = (section, "<modules>" if key in MODULE_KEYS and not section else
                "<window>" if section == "Workspace" and key else key)
        if not kinds or kinds[-1] != kind or kind[1] not in ("<modules>", "<window>"):
            kinds.append(kind)
    return kinds


def test_project_lines(built, excel: ovba.Project, quickstart: ovba.Project) -> None:
    project, _ = built
    assert _line_kinds(project) == _line_kinds(excel) == _line_kinds(quickstart)
    for key in ("HelpContextID", "VersionCompatible32"):
        assert project.project_values(key) == excel.project_values(key), key
    assert (project.project_values("&H00000001", "Host Extender Info")
            == excel.project_values("&H00000001", "Host Extender Info"))
    windows = {k for s, k, _ in project.project_lines if s == "Workspace" and k}
    assert windows == {m.name for m in project.modules}
    # unlocked and visible, as quickstart_addin.xlam; the xlwings add-in is locked
    state = {k: ovba.decrypt(project.project_values(k)[0]) for k in ("CMG", "DPB", "GC")}
    assert state == {k: ovba.decrypt(quickstart.project_values(k)[0]) for k in state} == {
        "CMG": b"\0\0\0\0", "DPB": b"\0", "GC": b"\xff"}
    assert ovba.decrypt(excel.project_values("GC")[0]) == b"\0"
    # Excel's module order is free too: a Document= line after a Module= line
    keys = [k for s, k, _ in quickstart.project_lines if not s and k in MODULE_KEYS]
    assert keys.index("Module") < len(keys) - 1 - keys[::-1].index("Document")


def test_code_names_match_the_document_modules(built) -> None:
    """workbookPr and sheetPr name the document modules, as in Excel's files."""
    project, files = built
    workbook = re.search(rb'<workbookPr[^>]*codeName="([^"]+)"', files["xl/workbook.xml"])
    sheet = re.search(rb'<sheetPr[^>]*codeName="([^"]+)"', files["xl/worksheets/sheet1.xml"])
    assert workbook and sheet
    assert [workbook[1].decode(), sheet[1].decode()] == DOCUMENTS
    assert all(not project.module(d).procedural for d in DOCUMENTS)
    excel_files = _package(EXCEL_ADDIN)
    assert b'codeName="ThisWorkbook"' in excel_files["xl/workbook.xml"]
    assert b'codeName="Sheet1"' in excel_files["xl/worksheets/sheet1.xml"]


def _zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_install_keeps_the_sheet_code_name(built) -> None:
    """``xl-addin install`` rewrites the settings sheet: the code name stays."""
    _, files = built
    rewritten = parts.with_conf(_zipped(files), {"INTERPRETER_WIN": r"C:\Python\pythonw.exe"})
    sheet = zipfile.ZipFile(io.BytesIO(rewritten)).read("xl/worksheets/sheet1.xml")
    assert f'<sheetPr codeName="{parts.SHEET_CODE_NAME}"/>'.encode() in sheet


def test_install_keeps_a_localized_code_name(built) -> None:
    """An add-in made by a German Excel (``--via-excel``) names its sheet module
    Tabelle1: rewriting the settings must not point the sheet at a module not there."""
    _, files = built
    sheet = files["xl/worksheets/sheet1.xml"].replace(
        f'codeName="{parts.SHEET_CODE_NAME}"'.encode(), b'codeName="Tabelle1"')
    rewritten = parts.with_conf(_zipped({**files, "xl/worksheets/sheet1.xml": sheet}),
                                {"INTERPRETER_WIN": "python"})
    assert b'<sheetPr codeName="Tabelle1"/>' in zipfile.ZipFile(
        io.BytesIO(rewritten)).read("xl/worksheets/sheet1.xml")
