"""Must show 3: the built add-in — its VBA read back by olevba, no p-code, the ribbon's
callbacks and ids, LibreOffice pressing its buttons — and (issue 19) that nothing a
workbook holds can choose what a button starts.

LibreOffice runs three times in this module: the build itself, the export of a test
copy whose ``ProcessStart.StartProcess`` only records its command line, and one session
that loads both add-ins, presses every button of the test copy and calls the
launcher's functions.
"""

from __future__ import annotations

import io
import json
import re
import shlex
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

from xl_addin.addin import parts
from xl_addin.addin.build import DEFAULT_CONF, bridge_dir, hex_text, modules, split_module
from xl_addin.addin.launcher import caller_args, interpreter_problem
from xl_addin.addin.ribbon import HANDLERS
from xl_addin.addin.vba_export import export_vba, uno_python
from xl_addin.cli import cli
from xl_addin.core.errors import UserError
from xl_addin.documents.libreoffice import soffice

CUI = "{http://schemas.microsoft.com/office/2009/07/customui}"
OWN_MODULES = {"Launcher", "ProcessStart", "RibbonCallbacks"}
#: the empty document modules every Excel-made project has (issue 13)
DOCUMENT_MODULES = {parts.WORKBOOK_CODE_NAME, parts.SHEET_CODE_NAME}
STUB = """Option Explicit
Private Recorded As String
Private ActiveSeen As String
Public Function StartProcess(commandLine As String) As Long
    Recorded = commandLine
    ActiveSeen = ActiveWorkbook.Name
    StartProcess = 0
End Function
Public Function LastCommand() As String
    LastCommand = Recorded
End Function
Public Function ActiveName() As String
    ActiveName = ActiveSeen
End Function
"""
#: the interpreter the test copy's own settings sheet names
ADDIN_PYTHON = r"C:\Program Files\Python311\pythonw.exe"
#: what a crafted workbook beside it would like the button to start
CRAFTED = r"\\attacker\share\calc.exe"


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


def test_olevba_reads_back_exactly_our_modules(macros) -> None:
    expected = dict(modules())
    assert set(macros) - DOCUMENT_MODULES == OWN_MODULES == set(expected)  # no xlwings module
    for name, source in expected.items():
        assert _code(macros[name]) == source, name
        assert source.isascii(), name
    own = split_module((bridge_dir() / "RibbonCallbacks.bas").read_text(encoding="utf-8"))[1]
    assert _code(macros["RibbonCallbacks"]) == own


def test_user_texts_are_stored_as_hex_codes() -> None:
    name, source = split_module('Attribute VB_Name = "M"\nSub S()\n  MsgBox W("无法启动 Python")\n'
                                "End Sub\n")
    assert name == "M" and source.isascii()
    assert f'W("{hex_text("无法启动 Python")}")' in source
    assert bytes.fromhex(hex_text("无法启动 Python")).decode("utf-16-be") == "无法启动 Python"
    with pytest.raises(UserError, match="非 ASCII"):
        split_module('Attribute VB_Name = "M"\n\' 中文注释\n')


def test_no_compiled_pcode(addin: Path) -> None:
    with zipfile.ZipFile(addin) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    # version 0xFFFF and nothing after the header: no performance cache (MS-OVBA 2.3.4.1)
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000000")
    project = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir")
    project.parse_project_stream()
    list(project.parse_modules())  # a generator: parsing fills project.modules
    assert project.codepage == 936
    assert sorted((m.name, m.textoffset) for m in project.modules) == sorted(
        (name, 0) for name in OWN_MODULES | DOCUMENT_MODULES)  # source from offset 0: no p-code


# --- what a workbook can reach (issue 19) ------------------------------------------------

_PROC = re.compile(r"^(?:Public |Private )?(?:Function|Sub) (\w+)\((.*?)^End (?:Function|Sub)",
                   re.M | re.S)
#: what reaches the active workbook, its folder or files: none of it may feed a setting
_REACHES_OUTSIDE = re.compile(
    r"ActiveWorkbook|ActiveSheet|ActiveWindow|Workbooks|\.Path\b|FullName|CurDir|\bDir\(|"
    r"\bOpen\b|FileSystemObject|Environ|GetObject|Kill\b|\.conf\b(?!\")", re.I)
#: xlwings' settings machinery and what it could be steered to run
_XLWINGS_SETTINGS = re.compile(
    r"GetConfig|ADD_WORKBOOK_TO_PYTHONPATH|PYTHONPATH|CONDA|cmd\.exe|UDF SERVER|"
    r"RunPython|INTERPRETER_MAC|LICENSE_KEY", re.I)


def _without_comments(source: str) -> str:
    """VBA code without its comments (a ' outside a string starts one; our code has no
    ' inside strings but in the Python command, whose quotes come in pairs)."""
    lines = []
    for line in source.split("\n"):
        quote = re.search(r"'(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", line)
        lines.append(line[:quote.start()] if quote else line)
    return "\n".join(lines)


def _procedures(sources: dict[str, str]) -> dict[str, str]:
    """Procedure name -> its code, over all modules."""
    return {m[1]: m[2] for code in sources.values() for m in _PROC.finditer(code)}


def _reachable(procs: dict[str, str], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [p for p in procs if re.search(rf"\b{p}\b", procs[name]) and p not in seen]
    return seen


def test_no_settings_lookup_reaches_the_active_workbook(macros) -> None:
    """Every setting comes from the add-in's own sheet: what looks settings up reaches
    no other workbook, folder, file or environment, and nothing else sets the program."""
    sources = {name: _without_comments(_code(code)) for name, code in macros.items()}
    procs = _procedures(sources)
    lookups = [name for name in procs if re.search("config|setting", name, re.I)]
    assert lookups
    for name in {reached for lookup in lookups for reached in _reachable(procs, lookup)}:
        assert not _REACHES_OUTSIDE.search(procs[name]), (name, _REACHES_OUTSIDE.search(
            procs[name]))
    assert lookups == ["AddinSetting"]
    assert "ThisWorkbook.Worksheets(CONF_SHEET)" in procs["AddinSetting"]
    for name, source in sources.items():
        assert not _XLWINGS_SETTINGS.search(source), (name, _XLWINGS_SETTINGS.search(source))
    # the program started is the add-in's setting, checked; the workbook gives its name only
    run = procs["RunButton"]
    assert re.findall(r"^\s*interpreter = (.*)$", run, re.M) == [
        "AddinSetting(INTERPRETER_KEY, DEFAULT_INTERPRETER)"]
    assert "InterpreterProblem(interpreter)" in run
    uses = {m for body in procs.values() for m in re.findall(r"ActiveWorkbook\W*\w*", body)}
    assert uses == {"ActiveWorkbook Is", "ActiveWorkbook.Name"}
    starts = [(name, call) for name, body in procs.items()
              for call in re.findall(r"StartProcess\(.*|CreateObject\(.*|\bShell\s*\(.*", body)]
    assert starts == [
        ("RunButton",
         "StartProcess(CommandLine(interpreter, controlId, ActiveWorkbook.Name, hwnd))"),
        ("StartProcess", 'CreateObject("WScript.Shell").Run(commandLine, 0, True)')]


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
        assert re.fullmatch(r"[a-z_]+", b.get("id"))  # what the launcher lets through
        assert b.get("imageMso") and b.get("screentip") and not b.get("label").isascii()
    groups = {g.get("label"): [b.get("label") for b in g.iter(f"{CUI}button")]
              for g in ElementTree.parse(bridge_dir() / "customUI14.xml").getroot().iter(
                  f"{CUI}group")}
    assert groups == {"填报": ["新增项目", "填充默认指标"],
                      "校验": ["校验当前表", "校验全部", "清除标记", "标记为已说明"],
                      "汇总与提交": ["汇总", "一键提交"],
                      "新年度": ["复制上年", "删除项目", "删除未续建"],
                      "帮助": ["使用说明", "关于"]}


@pytest.fixture(scope="module")
def pressed(addin: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One LibreOffice session: the built add-in loaded, and a test copy (its own
    settings naming ``ADDIN_PYTHON``, ``StartProcess`` recording) pressed and called."""
    tmp = tmp_path_factory.mktemp("pressed")
    own = [m for m in modules() if m[0] != "ProcessStart"] + [("ProcessStart", STUB)]
    stubbed = tmp / "pressed.xlam"
    stubbed.write_bytes(parts.assemble(export_vba(own), {"INTERPRETER_WIN": ADDIN_PYTHON},
                                       (bridge_dir() / "customUI14.xml").read_bytes()))
    job = tmp / "job.json"
    job.write_text(json.dumps({
        "soffice": soffice(), "load": [str(addin)], "press": str(stubbed),
        "ids": [*(b.get("id") for b in _buttons()), "x' & calc & '"],
        "calls": [["Launcher.CommandLine", [ADDIN_PYTHON, "fill_defaults", NASTY_NAME, "4242"]],
                  *(["Launcher.InterpreterProblem", [path]] for path in INTERPRETERS)],
    }), encoding="utf-8")
    run = subprocess.run([uno_python(soffice()), str(Path(__file__).with_name("lo_onaction.py")),
                          str(job)], capture_output=True, text=True, timeout=300, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


#: a file name Windows allows that would break out of a shell line: quotes, &, %, ^
NASTY_NAME = "预算 & 100%PATH%^'x'.xlsx"
#: interpreter settings -> whether the launcher starts them
INTERPRETERS = {
    "python": True,
    r"C:\Python311\pythonw.exe": True,
    r"C:\Users\张三\AppData\Local\Programs\Python\Python311\python.exe": True,
    'C:\\Py"thon\\python.exe': False,
    r"C:\%USERPROFILE%\python.exe": False,
    CRAFTED: False,
    r"C:\Windows\System32\cmd.exe": False,
}


def _argv(command: str) -> list[str]:
    """The command line split as Windows' C runtime splits it (no quote inside)."""
    return shlex.split(command, posix=True)


def test_libreoffice_presses_every_button(pressed: dict, addin: Path, monkeypatch) -> None:
    assert sorted(pressed["modules"][str(addin)]) == sorted(OWN_MODULES | DOCUMENT_MODULES)
    ids = [b.get("id") for b in _buttons()]
    book = hex_text(pressed["active"])
    for control_id in ids:
        command = pressed["commands"][control_id]
        assert command == (f'"{ADDIN_PYTHON}" -B -c "import xl_addin.addin.ribbon as r; '
                           f"r.dispatch('{control_id}')\" --xl-addin-book={book} "
                           "--xl-addin-hwnd=")
    # an id that is not ours is refused: nothing new was started
    assert pressed["commands"]["x' & calc & '"] == pressed["commands"][ids[-1]]
    # and each command is Python that dispatches that id for the workbook it names
    called: list[tuple[str, tuple[str, int | None]]] = []
    monkeypatch.setattr("xl_addin.addin.ribbon.dispatch",
                        lambda i: called.append((i, caller_args(sys.argv))))
    for control_id in ids:
        argv = _argv(pressed["commands"][control_id])
        assert argv[:3] == [ADDIN_PYTHON, "-B", "-c"]
        monkeypatch.setattr(sys, "argv", ["-c", *argv[4:]])
        exec(argv[3], {})
    assert called == [(i, (pressed["active"], None)) for i in ids]


def test_a_workbook_name_reaches_python_unchanged_and_unparsed(pressed: dict) -> None:
    command = pressed["calls"][0]
    assert NASTY_NAME not in command and "%" not in command and "&" not in command
    argv = _argv(command)
    assert caller_args(argv[4:]) == (NASTY_NAME, 4242)


def test_the_launcher_starts_only_a_python_it_can_quote(pressed: dict) -> None:
    verdicts = dict(zip(INTERPRETERS, pressed["calls"][1:], strict=True))
    assert {path: answer == "" for path, answer in verdicts.items()} == INTERPRETERS
    # xl-addin install checks what it writes by the same rule
    assert {path: interpreter_problem(path) for path in INTERPRETERS} == verdicts
    assert verdicts['C:\\Py"thon\\python.exe'] == (
        "设置中的 Python 路径含有引号或百分号，无法安全启动。")


@pytest.mark.parametrize("argv, message", [
    ([], "缺少 --xl-addin-book"),
    (["--xl-addin-book=00"], "无法识别"),
    (["--xl-addin-book=0041\" & calc"], "无法识别"),
])
def test_python_refuses_a_call_without_a_readable_workbook(argv, message) -> None:
    with pytest.raises(UserError, match=message):
        caller_args(argv)


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
