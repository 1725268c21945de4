"""Whether a command can write where it was told to, checked before any work is done.

A review of four hundred workbooks, or a submission that waits a minute on LibreOffice,
must not fail at its very end because ``-o`` names a read-only mount, a folder the user
may not write, a path through a file, or a name longer than the file system allows.  The
check asks the file system itself (its flags, its name limit, the permissions of the
folder that will hold the file); what only the write can tell (a disk that fills) is
answered when it happens, with the same words (``errors.cannot_write``).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from xl_addin.core.errors import UserError, cannot_write

_NAME_MAX = 255  # where the file system does not say (pathconf is POSIX only)
#: the longest suffix a write adds to the name: ``.~NAME.XXXXXXXX.tmp`` beside it, and
#: ``NAME.bak`` and the lock ``.~xl-addin.NAME.lock``
_EXTRA = len(".~xl-addin..lock")


def _existing_ancestor(path: Path) -> Path:
    """The nearest folder of ``path`` that exists (or a file standing where a folder
    should be)."""
    for parent in path.absolute().parents:
        if os.path.lexists(parent):
            return parent
    return Path(path.absolute().anchor)


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return _NAME_MAX


def _refuse(path: Path, err: int) -> UserError:
    return cannot_write(path, OSError(err, os.strerror(err)))


def check_output(path: Path) -> None:
    """Refuse, before any work, a file ``path`` that could not be written: every folder
    on the way is a folder, the nearest existing one is writable and on a writable file
    system, and the name (with the temporary names made beside it) fits."""
    ancestor = _existing_ancestor(path)
    if not ancestor.is_dir():
        raise UserError(f"无法写入“{path}”：“{ancestor}”是文件，不是文件夹。未作改动。"
                        "请换一个输出位置。")
    limit = _name_max(ancestor)
    parts = path.absolute().relative_to(ancestor).parts
    if any(len(os.fsencode(part)) > limit for part in parts[:-1]) or (
            parts and len(os.fsencode(parts[-1])) + _EXTRA > limit):
        raise UserError(f"无法写入“{path}”：文件名太长，超过了文件系统允许的 {limit} 字节"
                        f"（本工具还要在旁边写临时文件，文件名请不超过 {limit - _EXTRA} 字节）。"
                        "未作改动。")
    check_folder_writable(ancestor, path)


def check_folder_writable(folder: Path, target: Path | None = None) -> None:
    """Refuse a folder the process may not create files in (read-only file system, no
    write permission); the message names ``target``, what the user asked to write."""
    named = folder if target is None else target
    if hasattr(os, "statvfs") and hasattr(os, "ST_RDONLY"):
        try:
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                raise _refuse(named, errno.EROFS)
        except OSError as exc:
            raise cannot_write(named, exc) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(named, errno.EACCES)


def check_output_folder(folder: Path) -> None:
    """Refuse an output folder (``submit -o DIR``, ``build-addin -o DIR``) that is a
    file or could not be made or written."""
    # os.path's tests answer False on any error (a name too long): the checks below say why
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise UserError(f"“{folder}”是一个文件，不是文件夹；请用 -o 指定输出文件夹。未作改动。")
    if os.path.isdir(folder):
        check_folder_writable(folder)
    else:
        check_output(folder)
