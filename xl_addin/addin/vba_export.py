"""``xl/vbaProject.bin`` from VBA source text, written by LibreOffice.

The package's Python usually cannot import ``uno`` (Debian's ``python3-uno`` belongs to
the system Python, LibreOffice on Windows ships its own), so the export runs
``uno_session.py`` under a Python that can, found by trying the usual places.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from xl_addin.addin.parts import SHEET_CODE_NAME, WORKBOOK_CODE_NAME
from xl_addin.core.errors import UserError
from xl_addin.documents.libreoffice import kill_group, soffice
from xl_addin.engines.guards import limits

SCRIPT = Path(__file__).with_name("uno_session.py")


def _candidates(office: str) -> list[str]:
    program = Path(office).resolve().parent  # LibreOffice's program/ folder
    found = [os.environ.get("XL_ADDIN_UNO_PYTHON", ""), sys.executable,
             str(program / ("python.exe" if os.name == "nt" else "python")),
             shutil.which("python3") or "", "/usr/bin/python3"]
    return [c for c in dict.fromkeys(found) if c and Path(c).exists()]


def uno_python(office: str) -> str:
    """A Python that can ``import uno``, or a clear message on how to get one."""
    for candidate in _candidates(office):
        probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True,
                               timeout=60, check=False)
        if probe.returncode == 0:
            return candidate
    raise UserError(
        "找不到能使用 LibreOffice 的 Python（import uno 失败）。Debian/Ubuntu 上请运行 "
        "apt-get install python3-uno；也可用环境变量 XL_ADDIN_UNO_PYTHON 指定该 Python。")


def export_vba(modules: list[tuple[str, str]]) -> bytes:
    """The VBA project holding ``modules`` ((name, source) pairs, standard modules) and
    the document modules of the package's workbook and sheet (their code names)."""
    office = soffice()
    python = uno_python(office)
    lim = limits()
    with tempfile.TemporaryDirectory(prefix="xl-addin-vba-") as tmp:
        out = Path(tmp) / "vba.xlsm"
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({
            "soffice": office, "out": str(out),
            "modules": [{"name": n, "source": s} for n, s in modules],
            "documents": {"workbook": WORKBOOK_CODE_NAME, "sheet": SHEET_CODE_NAME},
            "connect_timeout_s": lim.uno_connect_timeout_seconds,
        }, ensure_ascii=False), encoding="utf-8")
        # in a session of its own, its LibreOffice profile in ``tmp``: a timeout or an
        # interruption ends the script and the soffice it started, and the profile goes
        env = {**os.environ, **dict.fromkeys(("TMPDIR", "TMP", "TEMP"), tmp)}
        proc = subprocess.Popen([python, str(SCRIPT), str(job)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env,
                                start_new_session=True)
        limit = lim.vba_export_timeout_seconds
        try:
            stdout, stderr = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired as exc:
            kill_group(proc)
            raise UserError(
                f"LibreOffice 生成 VBA 工程超时（{limit:g} 秒），已终止。机器较慢时可调大 "
                "xl_addin/data/limits.toml 中的 vba_export_timeout_seconds"
                f"（现为 {limit:g}）后重试。"
            ) from exc
        except BaseException:
            kill_group(proc)
            raise
        if proc.returncode != 0 or not out.exists():
            raise UserError(f"LibreOffice 未能生成 VBA 工程：{(stderr or stdout).strip()}")
        with zipfile.ZipFile(out) as z:
            return z.read("xl/vbaProject.bin")
