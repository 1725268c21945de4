"""A headless LibreOffice session driven through Python-UNO, and the VBA export.

This file runs under the Python that ships Python-UNO (Debian's ``python3-uno``, or
LibreOffice's own ``program/python``), which is usually not the Python the package is
installed in.  It therefore imports nothing but the standard library and ``uno``; the
package runs it as a script (``python uno_session.py JOB.json``), and tests load it by
path.

Why LibreOffice: it is the only program available off Windows that writes a VBA project
(``xl/vbaProject.bin``) from source text.  The recipe (checked with LibreOffice 7.4) is in
``shared/domain/excel-facts.md``: a Calc document with ``VBACompatibilityMode``, a
library named ``VBAProject``, code page 61 (cp936) so Chinese survives, each module
registered with ``insertModuleInfo`` before its source, saved with the filter
"Calc MS Excel 2007 VBA XML".

The project also gets the document modules Excel always writes (the workbook's
``ThisWorkbook`` and the sheet's ``Sheet1``): LibreOffice exports a module registered as
``ModuleType.DOCUMENT`` as a document module (MODULETYPE 0x0022, a ``Document=`` line),
and gives it the Workbook base class (``VB_Base 0{00020819-…}``) only when its
``ModuleObject`` is the document's VBA workbook object; a sheet module without one gets
the Worksheet base class, which is right for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

VBA_FILTER = "Calc MS Excel 2007 VBA XML"
VBA_LIBRARY = "VBAProject"
CP936 = 61  # LibreOffice's rtl_TextEncoding for Windows code page 936
#: how long LibreOffice may take to accept the connection, unless the job says
#: (``connect_timeout_s``, from ``uno_connect_timeout_seconds`` in the package's limits)
CONNECT_TIMEOUT_S = 60


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


@contextlib.contextmanager
def session(soffice: str, connect_timeout_s: float = CONNECT_TIMEOUT_S) -> Iterator[object]:
    """Start LibreOffice headless with a throw-away profile; yield its Desktop.

    The process is always ended, also when the caller fails half way."""
    profile = tempfile.mkdtemp(prefix="xl-addin-uno-")
    pipe = f"xladdin{os.getpid()}_{int(time.time() * 1000)}"
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
         "--invisible", "--norestore", "--nologo", "--nodefault",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + connect_timeout_s
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(
                        f"LibreOffice 未在 {connect_timeout_s:g} 秒内启动并接受连接；"
                        "机器较慢时可调大 xl_addin/data/limits.toml 中的 "
                        "uno_connect_timeout_seconds。") from None
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        yield desktop
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops as soffice quits
                desktop.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load(desktop: object, path: Path, **extra: object) -> object:
    """Open a document hidden (``Hidden=False`` crashes headless LibreOffice)."""
    props = [prop("Hidden", True), *(prop(k, v) for k, v in extra.items())]
    return desktop.loadComponentFromURL(path.resolve().as_uri(), "_blank", 0, tuple(props))


def _document_modules(doc: object, lib: object, workbook: str, sheet: str) -> None:
    """Add the (empty) document modules of the workbook and of its one sheet, named by
    their code names, as Excel has them in every project."""
    from com.sun.star.script.ModuleType import DOCUMENT  # type: ignore[import-not-found]

    doc.setPropertyValue("CodeName", workbook)
    doc.Sheets.getByIndex(0).CodeName = sheet
    objects = doc.createInstance("ooo.vba.VBAObjectModuleObjectProvider")
    # the struct is built with its object in one go: pyuno cannot assign the VBA
    # object to the field afterwards (and cannot convert a sheet's VBA object at all)
    lib.insertModuleInfo(workbook, uno.createUnoStruct(
        "com.sun.star.script.ModuleInfo", objects.getByName(workbook), DOCUMENT))
    lib.insertByName(workbook, "")
    info = uno.createUnoStruct("com.sun.star.script.ModuleInfo")
    info.ModuleType = DOCUMENT
    lib.insertModuleInfo(sheet, info)
    lib.insertByName(sheet, "")


def export_vba(desktop: object, modules: list[dict[str, str]], documents: dict[str, str],
               out: Path) -> None:
    """Write a macro-enabled workbook at ``out`` whose VBA project holds ``modules``
    (standard modules only: LibreOffice writes class modules incorrectly) and the
    document modules named in ``documents`` (keys ``workbook`` and ``sheet``)."""
    from com.sun.star.script.ModuleType import NORMAL  # type: ignore[import-not-found]

    doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0,
                                       (prop("Hidden", True),))
    try:
        libs = doc.BasicLibraries
        libs.VBACompatibilityMode = True
        uno.invoke(libs, "setPropertyValue", ("VBATextEncoding", uno.Any("unsigned short", CP936)))
        if not libs.hasByName(VBA_LIBRARY):
            libs.createLibrary(VBA_LIBRARY)
        libs.ProjectName = VBA_LIBRARY
        lib = libs.getByName(VBA_LIBRARY)
        _document_modules(doc, lib, documents["workbook"], documents["sheet"])
        for module in modules:
            info = uno.createUnoStruct("com.sun.star.script.ModuleInfo")
            info.ModuleType = NORMAL
            lib.insertModuleInfo(module["name"], info)
            lib.insertByName(module["name"], module["source"])
        doc.storeToURL(out.resolve().as_uri(), (prop("FilterName", VBA_FILTER),))
    finally:
        doc.close(True)


def main(job_path: str) -> int:
    """Run the export job described by a JSON file: soffice, modules, documents, out."""
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    with session(job["soffice"], job.get("connect_timeout_s", CONNECT_TIMEOUT_S)) as desktop:
        export_vba(desktop, job["modules"], job["documents"], Path(job["out"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
