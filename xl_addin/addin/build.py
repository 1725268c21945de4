"""Building the add-in from ``vba_bridge/``, and installing it.

The VBA text in ``vba_bridge/`` is the source of truth, and it is all the add-in's VBA:
the add-in starts Python through its own small launcher (``Launcher.bas``), not
through xlwings' ``RunPython``, whose settings lookup lets the active workbook choose
the program a button starts (see ``Launcher.bas``).  The Python side still uses
xlwings to talk to Excel.

Two ways to make ``xl/vbaProject.bin``: LibreOffice's VBA export (any system with
LibreOffice; what CI runs) and ``--via-excel``, Excel importing the same modules through
its VBA project object model (Windows with Excel, for a release engineer).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from xl_addin.addin import parts
from xl_addin.addin.launcher import interpreter_problem
from xl_addin.addin.reproducible import normalise
from xl_addin.addin.vba_export import export_vba
from xl_addin.core.errors import UserError
from xl_addin.files.atomic import replace_file

ADDIN_FILE = f"{parts.PROJECT_NAME}.xlam"
BRIDGE_PACKAGE = "xl_addin.vba_bridge"
_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"\s*$', re.MULTILINE)
#: a text for the user in VBA source, ``W("…")``: stored as hex codes (see ``Launcher.bas``)
_TEXT = re.compile(r'\bW\("([^"]*)"\)')

#: the settings sheet's defaults (documented in the README); ``install`` writes the
#: interpreter of the Python it runs in.  The launcher reads no other key.
DEFAULT_CONF = {
    "INTERPRETER_WIN": "python",
}


def bridge_dir() -> Traversable:
    """The add-in's sources, package data ``xl_addin.vba_bridge``: the top-level
    ``vba_bridge/`` folder mapped into the package (see ``pyproject.toml``), so a wheel
    install builds the add-in as a source checkout does."""
    try:
        path = resources.files(BRIDGE_PACKAGE)
    except ModuleNotFoundError:
        path = None
    if path is None or not (path / "customUI14.xml").is_file():
        raise UserError(f"安装的 xl-addin 缺少加载项源文件（{BRIDGE_PACKAGE}）。"
                        "请重新安装：pip install --force-reinstall xl-addin；"
                        "在源代码目录中请运行 pip install -e .")
    return path


def hex_text(text: str) -> str:
    """``text`` as the launcher's ``W`` function reads it: four hex digits per UTF-16
    code unit."""
    return text.encode("utf-16-be").hex().upper()


def split_module(text: str) -> tuple[str, str]:
    """(module name, source) of a .bas file: ``Attribute`` lines are file headers, not
    code (Excel and LibreOffice write them themselves); line ends become LF; ``W("…")``
    texts become hex codes, so the stored source is ASCII whatever the user reads."""
    match = _NAME.search(text)
    if match is None:
        raise UserError("VBA 模块缺少 Attribute VB_Name 行。")
    lines = text.replace("\r\n", "\n").split("\n")
    source = "\n".join(line for line in lines if not line.startswith("Attribute "))
    source = _TEXT.sub(lambda m: f'W("{hex_text(m[1])}")', source)
    if not source.isascii():
        raise UserError(f"VBA 模块 {match[1]} 中有 W(\"…\") 之外的非 ASCII 字符。")
    return match[1], source


def modules() -> list[tuple[str, str]]:
    """Every module of the add-in: ``vba_bridge/*.bas`` in name order."""
    return [split_module(p.read_text(encoding="utf-8"))
            for p in sorted(bridge_dir().iterdir(), key=lambda p: p.name)
            if p.name.endswith(".bas")]


def custom_ui() -> bytes:
    return (bridge_dir() / "customUI14.xml").read_bytes()


def sources_hash(sources: list[tuple[str, str]]) -> bytes:
    """The seed of :func:`reproducible.normalise`: a hash of the modules' names and text,
    so the project's ID changes with its code and with nothing else."""
    digest = hashlib.sha256()
    for name, source in sources:
        digest.update(f"{len(name)}:{name}{len(source)}:{source}".encode())
    return digest.digest()


def build_addin(outdir: Path) -> Path:
    """``outdir/xl_addin.xlam``, its VBA project written by LibreOffice and its random
    bits redrawn from the sources (the same sources give the same bytes)."""
    sources = modules()
    vba = normalise(export_vba(sources), sources_hash(sources))
    package = parts.assemble(vba, DEFAULT_CONF, custom_ui())
    return replace_file(outdir / ADDIN_FILE, lambda tmp: tmp.write_bytes(package),
                        what="加载项")


def _require_windows(what: str) -> None:
    if sys.platform != "win32":
        raise UserError(f"{what}只能在装有 Microsoft Excel 的 Windows 上使用。"
                        "在其他系统上请用 xl-addin build-addin（LibreOffice）生成加载项，"
                        "WPS 与 LibreOffice 用户请直接使用命令行 xl-addin。")


def build_via_excel(outdir: Path) -> Path:  # pragma: no cover - needs Windows and Excel
    """The same add-in with its VBA project made by Excel itself: the modules are
    imported through ``VBProject.VBComponents`` (needs "Trust access to the VBA project
    object model"), the settings written into the sheet, the ribbon added afterwards."""
    _require_windows("--via-excel ")
    import win32com.client

    outdir.mkdir(parents=True, exist_ok=True)
    excel = win32com.client.DispatchEx("Excel.Application")
    excel.Visible, excel.DisplayAlerts = False, False
    with tempfile.TemporaryDirectory(prefix="xl-addin-excel-") as tmp:
        saved = Path(tmp) / ADDIN_FILE
        try:
            book = excel.Workbooks.Add()
            try:
                components = book.VBProject.VBComponents
            except Exception as exc:
                raise UserError("Excel 拒绝访问 VBA 工程：请在 文件 > 选项 > 信任中心 > "
                                "信任中心设置 > 宏设置 中勾选“信任对 VBA 工程对象模型的访问”"
                                "后重试。") from exc
            for name, source in modules():
                bas = Path(tmp) / f"{name}.bas"
                bas.write_text(f'Attribute VB_Name = "{name}"\r\n'
                               + source.replace("\n", "\r\n"), encoding="mbcs")
                components.Import(str(bas))
            sheet = book.Worksheets(1)
            sheet.Name = parts.CONF_SHEET
            for row, (key, value) in enumerate(DEFAULT_CONF.items(), start=1):
                sheet.Cells(row, 1).Value, sheet.Cells(row, 2).Value = key, f"'{value}"
            book.IsAddin = True
            book.SaveAs(str(saved), FileFormat=55)  # xlOpenXMLAddIn
            book.Close(False)
        finally:
            excel.Quit()
        target = outdir / ADDIN_FILE
        target.write_bytes(parts.add_ribbon(saved.read_bytes(), custom_ui()))
    return target


def interpreter(executable: str | None = None) -> str:
    """The Python the add-in should start: the one running this command
    (``sys.executable``; in a virtual environment its ``Scripts`` copy, which has the
    package), as ``pythonw.exe`` beside it when there is one, so a button opens no
    console window."""
    current = Path(executable or sys.executable)
    windowless = current.with_name("pythonw.exe")
    if current.name.lower() == "python.exe" and windowless.is_file():
        return str(windowless)
    return str(current)


def xlstart() -> Path:
    """Excel's per-user startup folder: Excel opens every workbook in it at start."""
    _require_windows("不带 --folder 的 xl-addin install ")
    return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"


def install(addin: Path, folder: Path | None = None, python: str | None = None) -> Path:
    """Copy ``addin`` into ``folder`` (default: Excel's XLSTART) with its settings sheet's
    ``INTERPRETER_WIN`` set to ``python`` (default: :func:`interpreter`), the only way the
    launcher learns which Python has the package; without it the add-in starts the
    ``python`` that comes first on the PATH."""
    folder = folder if folder is not None else xlstart()
    if not addin.is_file():
        raise UserError(f"找不到加载项“{addin}”。请先运行 xl-addin build-addin -o {addin.parent}。")
    python = python or interpreter()
    problem = interpreter_problem(python)
    if problem:
        raise UserError(f"{problem}（{python}）请在 Windows 上、在装有 xl-addin 的 Python 中"
                        "运行 xl-addin install（Python 装在不含引号和百分号的路径下），"
                        "或用 --python 指定那台电脑上的 python.exe / pythonw.exe 的完整路径。")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ADDIN_FILE
    settings = {**DEFAULT_CONF, "INTERPRETER_WIN": python}
    package = parts.with_conf(addin.read_bytes(), settings)
    return replace_file(target, lambda tmp: tmp.write_bytes(package), what="加载项")
