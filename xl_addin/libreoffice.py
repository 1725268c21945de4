"""Running LibreOffice headless: recalculating workbooks and rendering them to PDF.

Each call uses its own throw-away user profile so runs never share state (and never
fight over a lock) with a desktop LibreOffice or with each other; LibreOffice's own
temporary files go into that profile's folder too, so they go with it.

``soffice`` is a launcher that starts ``soffice.bin`` and waits for it: killing the
launcher alone (what ``subprocess.run(timeout=…)`` does) leaves ``soffice.bin`` running
on, holding the profile and the files.  So it runs in a session of its own, and a
timeout or an interruption of ours (Ctrl-C, SIGTERM, a bug) kills that whole group.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from .errors import UserError

TIMEOUT_S = 180
#: how long the killed group may take to go (its processes die asynchronously)
_REAP_S = 5.0


def soffice() -> str:
    """The LibreOffice executable, or a clear message on how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise UserError(
        "未找到 LibreOffice（soffice）。生成 PDF 需要它：Debian/Ubuntu 上运行 "
        "apt-get install libreoffice-calc-nogui fonts-wqy-microhei。"
    )


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill the launcher and everything it started, and wait until they are gone."""
    if os.name != "posix":
        proc.kill()
        proc.wait()
        return
    with suppress(ProcessLookupError):  # the group may have ended on its own meanwhile
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + _REAP_S
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def _run(cmd: list[str], src: Path, scratch: Path) -> tuple[int, str]:
    """Run ``cmd`` in its own session, its temporary files in ``scratch``; its exit code
    and output (stderr, else stdout)."""
    env = {**os.environ, **dict.fromkeys(("TMPDIR", "TMP", "TEMP"), str(scratch))}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    try:
        out, errs = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        raise UserError(
            f"LibreOffice 转换“{src.name}”超时（{TIMEOUT_S} 秒），已终止。请确认该文件能在"
            " LibreOffice 中正常打开，或稍后重试。"
        ) from exc
    except BaseException:  # Ctrl-C, SIGTERM turned into an exception, a bug: no orphans
        _kill_group(proc)
        raise
    return proc.returncode, (errs or out).strip()


def convert(src: Path, fmt: str, outdir: Path, *, writer: bool = False) -> Path:
    """Convert ``src`` to ``fmt`` ('pdf', 'xlsx', …) in ``outdir``; return the new file."""
    return convert_all([src], fmt, outdir, writer=writer)[0]


def convert_all(srcs: list[Path], fmt: str, outdir: Path, *, writer: bool = False) -> list[Path]:
    """Convert each of ``srcs`` to ``fmt`` in ``outdir`` in one LibreOffice run (its
    start-up is most of the time a conversion takes); return the new files in order.

    ``writer`` opens HTML in Writer rather than Writer/Web, so a page prints on paper
    pages as a Word document does (Writer/Web lays it out as one long web page)."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xl-addin-lo-") as profile:
        cmd = [
            soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
            "--norestore", *(["--infilter=HTML (StarWriter)"] if writer else []),
            "--convert-to", fmt, "--outdir", str(outdir), *map(str, srcs),
        ]
        # LibreOffice's own temporary files (lu*.tmp): a killed run cannot remove them
        scratch = Path(profile) / "tmp"
        scratch.mkdir()
        code, output = _run(cmd, srcs[0], scratch)
    outs = [outdir / f"{src.stem}.{fmt.split(':')[0]}" for src in srcs]
    for src, out in zip(srcs, outs, strict=True):
        if code != 0 or not out.exists():
            raise UserError(f"LibreOffice 未能把“{src.name}”转换为 {fmt}：{output}")
    return outs
