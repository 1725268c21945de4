"""Running LibreOffice headless: recalculating workbooks and rendering them to PDF.

Each call uses its own throw-away user profile so runs never share state (and never
fight over a lock) with a desktop LibreOffice or with each other; LibreOffice's own
temporary files go into that profile's folder too, so they go with it.

``soffice`` is a launcher that starts ``soffice.bin`` and waits for it: killing the
launcher alone (what ``subprocess.run(timeout=…)`` does) leaves ``soffice.bin`` running
on, holding the profile and the files.  So it runs in a session of its own, and a
timeout or an interruption of ours (Ctrl-C, SIGTERM, a bug) kills that whole group.

The time limit is data (``libreoffice_timeout_seconds`` in ``data/limits.toml``), and a
run shows its progress on stderr (``ticker``): a big workbook's PDF takes a while, and a
silent wait looks like a hang.
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

from xl_addin.core.errors import UserError
from xl_addin.engines.guards import limits
from xl_addin.files.ticker import Ticker

#: how often the progress line is brought up to date
_TICK_S = 1.0
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


def kill_group(proc: subprocess.Popen[str]) -> None:
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


def _step_text(what: str, outs: list[Path], seconds: float) -> str:
    """The progress line: the step, which file of how many, the seconds used (the first
    line, all a log gets, says only the step and how many files)."""
    if seconds == 0:
        count = f"（共 {len(outs)} 个文件）" if len(outs) > 1 else ""
        return f"正在用 LibreOffice {what}{count}……"
    done = sum(out.exists() for out in outs)
    where = f"第 {min(done + 1, len(outs))}/{len(outs)} 个文件，" if len(outs) > 1 else ""
    return f"正在用 LibreOffice {what}（{where}已用 {seconds:.0f} 秒）……"


def _timed_out(what: str, srcs: list[Path], outs: list[Path], limit: float) -> UserError:
    """Which file the run was on (the first without its output), the limit, and where
    it is set."""
    stuck = next((src for src, out in zip(srcs, outs, strict=True) if not out.exists()),
                 srcs[0])
    return UserError(
        f"LibreOffice 转换“{stuck.name}”超时（{limit:g} 秒），已终止（{what}）。请确认该文件能在"
        " LibreOffice 中正常打开；机器较慢或文件很大时，可调大 xl_addin/data/limits.toml 中的 "
        f"libreoffice_timeout_seconds（现为 {limit:g}）后重试。"
    )


def _run(cmd: list[str], srcs: list[Path], outs: list[Path], scratch: Path, what: str
         ) -> tuple[int, str]:
    """Run ``cmd`` in its own session, its temporary files in ``scratch``, showing its
    progress and ending it at the time limit; its exit code and output (stderr, else
    stdout)."""
    limit = limits().libreoffice_timeout_seconds
    env = {**os.environ, **dict.fromkeys(("TMPDIR", "TMP", "TEMP"), str(scratch))}
    with Ticker(_step_text(what, outs, 0)) as ticker:  # said before LibreOffice starts
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True, env=env)
        try:
            while True:
                left = limit - (time.monotonic() - start)
                try:  # waiting again after a TimeoutExpired loses no output
                    out, errs = proc.communicate(timeout=max(min(_TICK_S, left), 0))
                    break
                except subprocess.TimeoutExpired:
                    if left <= _TICK_S:
                        kill_group(proc)
                        raise _timed_out(what, srcs, outs, limit) from None
                    ticker.update(_step_text(what, outs, time.monotonic() - start))
        except BaseException:  # Ctrl-C, SIGTERM turned into an exception, a bug: no orphans
            kill_group(proc)
            raise
    return proc.returncode, (errs or out).strip()


def convert(src: Path, fmt: str, outdir: Path, *, writer: bool = False,
            what: str = "转换文件") -> Path:
    """Convert ``src`` to ``fmt`` ('pdf', 'xlsx', …) in ``outdir``; return the new file.
    ``what`` names the step on the progress line (“生成 PDF”)."""
    return convert_all([src], fmt, outdir, writer=writer, what=what)[0]


def convert_all(srcs: list[Path], fmt: str, outdir: Path, *, writer: bool = False,
                what: str = "转换文件") -> list[Path]:
    """Convert each of ``srcs`` to ``fmt`` in ``outdir`` in one LibreOffice run (its
    start-up is most of the time a conversion takes); return the new files in order.

    ``writer`` opens HTML in Writer rather than Writer/Web, so a page prints on paper
    pages as a Word document does (Writer/Web lays it out as one long web page)."""
    outdir.mkdir(parents=True, exist_ok=True)
    outs = [outdir / f"{src.stem}.{fmt.split(':')[0]}" for src in srcs]
    with tempfile.TemporaryDirectory(prefix="xl-addin-lo-") as profile:
        cmd = [
            soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
            "--norestore", *(["--infilter=HTML (StarWriter)"] if writer else []),
            "--convert-to", fmt, "--outdir", str(outdir), *map(str, srcs),
        ]
        # LibreOffice's own temporary files (lu*.tmp): a killed run cannot remove them
        scratch = Path(profile) / "tmp"
        scratch.mkdir()
        code, output = _run(cmd, srcs, outs, scratch, what)
    for src, out in zip(srcs, outs, strict=True):
        if code != 0 or not out.exists():
            raise UserError(f"LibreOffice 未能把“{src.name}”转换为 {fmt}：{output}")
    return outs
