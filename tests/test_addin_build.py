"""Must show 3: the built add-in — its VBA read back by olevba, no p-code, the ribbon's
callbacks and ids, and LibreOffice pressing its buttons.

LibreOffice runs three times in this module: the build itself, the export of a test
copy whose ``RunPython`` only records its command, and one session that loads both
add-ins and presses every button of the test copy.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
from click.testing import CliRunner

with warnings.catch_warnings():  # olevba's pyparsing grammar warns on import
    warnings.simplefilter("ignore")
    from oletools import olevba

import xlwings

from xl_addin.addin import parts
from xl_addin.addin.build import DEFAULT_CONF, bridge_dir, modules, split_module
from xl_addin.addin.vba_export import export_vba, uno_python
from xl_addin.cli import cli
from xl_addin.libreoffice import soffice
from xl_addin.ribbon import HANDLERS

CUI = "{http://schemas.microsoft.com/office/2009/07/customui}"
STUB = """Option Explicit
Private Recorded As String
Public Function RunPython(PythonCommand As String)
    Recorded = PythonCommand
End Function
Public Function LastCommand() As String
    LastCommand = Recorded
End Function
"""


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(cli, ["build-addin", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / "xl_addin.xlam"


@pytest.fixture(scope="module")
def macros(addin: Path) -> dict[str, str]:
    """Module name -> source as olevba reads it back."""
    parser = olevba.VBA_Parser(str(addin))
    return {vba_file.rsplit(".", 1)[0]: code for _, _, vba_file, code in parser.extract_macros()}


def _code(text: str) -> str:
    text = text.replace("\r\n", "\n")
    return "\n".join(line for line in text.split("\n") if not line.startswith("Attribute "))


def _buttons() -> list[ElementTree.Element]:
    root = ElementTree.parse(bridge_dir() / "customUI14.xml").getroot()
    return list(root.iter(f"{CUI}button"))


def test_olevba_reads_back_exactly_our_modules_and_the_installed_xlwings(macros) -> None:
    expected = dict(modules())
    assert set(macros) == {"xlwings", "RibbonCallbacks"} == set(expected)
    for name, source in expected.items():
        assert _code(macros[name]) == source, name
    own = split_module((bridge_dir() / "RibbonCallbacks.bas").read_text(encoding="utf-8"))[1]
    assert _code(macros["RibbonCallbacks"]) == own
    installed = (Path(xlwings.__file__).with_name("xlwings_custom_addin.bas")
                 .read_text(encoding="utf-8"))
    assert _code(macros["xlwings"]) == _code(installed).replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xl_addin"')
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in macros["xlwings"]


def test_no_compiled_pcode(addin: Path) -> None:
    with zipfile.ZipFile(addin) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    # version 0xFFFF and nothing after the header: no performance cache (MS-OVBA 2.3.4.1)
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000000")
    project = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir")
    project.parse_project_stream()
    list(project.parse_modules())  # a generator: parsing fills project.modules
    assert project.codepage == 936
    assert [(m.name, m.textoffset) for m in project.modules] == [
        ("xlwings", 0), ("RibbonCallbacks", 0)]  # source from offset 0: no p-code before it


def test_package_parts(addin: Path) -> None:
    with zipfile.ZipFile(addin) as z:
        files = {n: z.read(n) for n in z.namelist()}
    types = files["[Content_Types].xml"].decode()
    assert f'PartName="/xl/workbook.xml" ContentType="{parts.ADDIN_MAIN}"' in types
    assert 'Extension="xml" ContentType="application/xml"' in types  # customUI14's type
    rels = ElementTree.fromstring(files["_rels/.rels"])
    assert {(r.get("Type"), r.get("Target")) for r in rels} >= {
        (parts.RIBBON_REL, "customUI/customUI14.xml"), (parts.OFFICE_DOC_REL, "xl/workbook.xml")}
    assert files["customUI/customUI14.xml"] == (bridge_dir() / "customUI14.xml").read_bytes()
    assert b'codeName="ThisWorkbook"' in files["xl/workbook.xml"]
    assert f'name="{parts.CONF_SHEET}"'.encode() in files["xl/workbook.xml"]
    conf = re.findall(r"<t xml:space=\"preserve\">([^<]*)</t>",
                      files["xl/worksheets/sheet1.xml"].decode())
    assert dict(zip(conf[::2], conf[1::2], strict=True)) == DEFAULT_CONF


def test_ribbon_callbacks_and_ids(macros) -> None:
    buttons = _buttons()
    subs = set(re.findall(r"^Public Sub (\w+)\(", _code(macros["RibbonCallbacks"]), re.M))
    assert {b.get("onAction") for b in buttons} == {"OnAction"} <= subs
    ids = [b.get("id") for b in buttons]
    assert sorted(ids) == sorted(HANDLERS)  # every control a handler, every handler a control
    for b in buttons:
        assert b.get("id").isascii() and not set("'\" ") & set(b.get("id"))
        assert b.get("imageMso") and b.get("screentip") and not b.get("label").isascii()
    groups = {g.get("label"): [b.get("label") for b in g.iter(f"{CUI}button")]
              for g in ElementTree.parse(bridge_dir() / "customUI14.xml").getroot().iter(
                  f"{CUI}group")}
    assert groups == {"填报": ["新增项目", "填充默认指标"],
                      "校验": ["校验当前表", "校验全部", "清除标记"],
                      "汇总与提交": ["汇总", "一键提交"], "帮助": ["使用说明", "关于"]}


def test_libreoffice_presses_every_button(addin: Path, tmp_path: Path, monkeypatch) -> None:
    callbacks = split_module((bridge_dir() / "RibbonCallbacks.bas").read_text(encoding="utf-8"))
    stubbed = tmp_path / "pressed.xlam"
    ribbon_xml = (bridge_dir() / "customUI14.xml").read_bytes()
    stubbed.write_bytes(parts.assemble(export_vba([callbacks, ("RunPythonStub", STUB)]),
                                       DEFAULT_CONF, ribbon_xml))
    ids = [b.get("id") for b in _buttons()]
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"soffice": soffice(), "load": [str(addin)], "press": str(stubbed),
                               "ids": ids}), encoding="utf-8")
    run = subprocess.run([uno_python(soffice()), str(Path(__file__).with_name("lo_onaction.py")),
                          str(job)], capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(result["modules"][str(addin)]) == ["RibbonCallbacks", "xlwings"]
    assert result["commands"] == {i: f"import xl_addin.ribbon as r; r.dispatch('{i}')"
                                  for i in ids}
    # and each command is Python that dispatches that id
    pressed: list[str] = []
    monkeypatch.setattr("xl_addin.ribbon.dispatch", pressed.append)
    for command in result["commands"].values():
        exec(command, {})
    assert pressed == ids


@pytest.mark.skipif(sys.platform == "win32", reason="the refusal is for other systems")
@pytest.mark.parametrize("args", [["install"], ["build-addin", "--via-excel"]])
def test_windows_only_commands_refuse_clearly(args, tmp_path) -> None:
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path)] if len(args) > 1 else args)
    assert result.exit_code == 2
    assert "只能在装有MicrosoftExcel的Windows上使用" in "".join(result.output.split())
    assert "Traceback" not in result.output


def test_install_writes_the_settings_sheet(addin: Path) -> None:
    settings = {**DEFAULT_CONF, "INTERPRETER_WIN": r"C:\Python311\pythonw.exe"}
    rewritten = parts.with_conf(addin.read_bytes(), settings)
    with zipfile.ZipFile(io.BytesIO(rewritten)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert z.read("xl/vbaProject.bin") == zipfile.ZipFile(addin).read("xl/vbaProject.bin")
    assert r"C:\Python311\pythonw.exe" in sheet
