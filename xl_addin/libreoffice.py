"""Running LibreOffice headless: recalculating workbooks and rendering them to PDF.

Each call uses its own throw-away user profile so runs never share state (and never
fight over a lock) with a desktop LibreOffice or with each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import UserError

TIMEOUT_S = 180


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


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``src`` to ``fmt`` ('pdf', 'xlsx', …) in ``outdir``; return the new file."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xl-addin-lo-") as profile:
        cmd = [
            soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
            "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(src),
        ]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                                 check=False)
        except subprocess.TimeoutExpired as exc:
            raise UserError(f"LibreOffice 转换“{src.name}”超时（{TIMEOUT_S} 秒）。") from exc
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    if run.returncode != 0 or not out.exists():
        raise UserError(
            f"LibreOffice 未能把“{src.name}”转换为 {fmt}：{(run.stderr or run.stdout).strip()}"
        )
    return out
