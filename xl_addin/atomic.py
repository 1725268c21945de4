"""Replacing a file so that no reader ever sees it half written.

The new content goes to a temporary file in the same folder (same file system, so the
rename is atomic), is flushed to disk, takes the permissions of the file it replaces
(or the usual default for a new one), and only then replaces the target.  On any
failure the temporary file is removed and the target is as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import UserError


def _mode_for(target: Path) -> int:
    """The replaced file's permissions; for a new file the umask default (mkstemp would
    otherwise leave it readable by its owner only)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept (not picked up as a workbook)."""
    return path.with_name(path.name + ".bak")


def replace_file(target: Path, write: Callable[[Path], None], *, backup: bool = False,
                 what: str = "文件") -> Path:
    """Write ``target`` through ``write(tmp_path)`` atomically; with ``backup`` keep the
    replaced file as ``<name>.bak`` (copied first, so it is there whatever happens)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".~{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if backup and target.exists():
            shutil.copy2(target, backup_path(target))
        write(tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(
            f"无法保存{what}“{target}”：{exc.strerror or exc}。原文件未被改动；"
            "请检查磁盘空间、文件是否只读或正被其他程序（如 Excel、Word）打开。"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target
