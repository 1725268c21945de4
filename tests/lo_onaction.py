"""Run under LibreOffice's Python: load add-ins and press ribbon buttons in their VBA.

``python lo_onaction.py JOB.json`` with ``{"soffice", "load": [paths], "press": path,
"ids": [...]}``: opens every file of ``load`` as LibreOffice opens a macro-enabled
workbook and lists its VBA modules, then, in ``press`` (a copy of the add-in whose
``RunPython`` only records its command), calls ``OnAction`` once per control id with
an argument that has an ``Id`` (a UNO struct: Basic reads its field like a property)
and reads back the command ``RunPython`` was given.  Prints the result as JSON.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import uno  # type: ignore[import-not-found]

_spec = importlib.util.spec_from_file_location(
    "uno_session",
    Path(__file__).resolve().parents[1] / "xl_addin" / "addin" / "uno_session.py")
session_module = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(session_module)  # type: ignore[union-attr]

SCRIPT = "vnd.sun.star.script:VBAProject.{}?language=Basic&location=document"


def _open(desktop: object, path: str) -> object:
    return session_module.load(desktop, Path(path), MacroExecutionMode=4,
                               FilterName=session_module.VBA_FILTER)


def main(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    result: dict[str, object] = {"modules": {}, "commands": {}}
    with session_module.session(job["soffice"]) as desktop:
        for path in job["load"]:
            doc = _open(desktop, path)
            libs = doc.BasicLibraries
            result["modules"][path] = (  # type: ignore[index]
                list(libs.getByName("VBAProject").getElementNames())
                if libs.hasByName("VBAProject") else [])
            doc.close(True)
        doc = _open(desktop, job["press"])
        provider = doc.getScriptProvider()
        on_action = provider.getScript(SCRIPT.format("RibbonCallbacks.OnAction"))
        last = provider.getScript(SCRIPT.format("RunPythonStub.LastCommand"))
        for control_id in job["ids"]:
            control = uno.createUnoStruct("com.sun.star.document.CmisProperty")
            control.Id = control_id
            on_action.invoke((control,), (), ())
            result["commands"][control_id] = last.invoke((), (), ())[0]  # type: ignore[index]
        doc.close(True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
