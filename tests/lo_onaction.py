"""Run under LibreOffice's Python: load add-ins and press ribbon buttons in their VBA.

``python lo_onaction.py JOB.json`` with ``{"soffice", "load": [paths], "press": path,
"ids": [...], "active": path or null, "calls": [[script, [args]], ...]}``:

- opens every file of ``load`` as LibreOffice opens a macro-enabled workbook and lists
  its VBA modules;
- opens ``press`` (a copy of the add-in whose ``ProcessStart.StartProcess`` only
  records its command line), then ``active`` (a user's workbook, which becomes the
  active workbook, as in Excel when a clerk clicks a button), and calls ``OnAction``
  once per control id with an argument that has an ``Id`` (a UNO struct: Basic reads
  its field like a property), reading back the command line it would have started;
- calls each ``calls`` entry (a Sub or Function of ``press``, with string arguments).

Prints the result as JSON.
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
    result: dict[str, object] = {"modules": {}, "commands": {}, "calls": [], "active": None}
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
        user = _open(desktop, job["active"]) if job.get("active") else None
        if user is not None:  # the clerk's workbook in front, as when a button is clicked
            frame = user.getCurrentController().getFrame()
            frame.activate()
            desktop.setActiveFrame(frame)
        on_action = provider.getScript(SCRIPT.format("RibbonCallbacks.OnAction"))
        last = provider.getScript(SCRIPT.format("ProcessStart.LastCommand"))
        active = provider.getScript(SCRIPT.format("ProcessStart.ActiveName"))
        for control_id in job["ids"]:
            control = uno.createUnoStruct("com.sun.star.document.CmisProperty")
            control.Id = control_id
            on_action.invoke((control,), (), ())
            result["commands"][control_id] = last.invoke((), (), ())[0]  # type: ignore[index]
        result["active"] = active.invoke((), (), ())[0]
        for script, args in job.get("calls", []):
            answer = provider.getScript(SCRIPT.format(script)).invoke(tuple(args), (), ())[0]
            result["calls"].append(answer)  # type: ignore[union-attr]
        if user is not None:
            user.close(True)
        doc.close(True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
