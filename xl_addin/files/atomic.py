"""Replacing a file so that no reader ever sees it half written.

The new content goes to a temporary file in the same folder (same file system, so the
rename is atomic), is flushed to disk, takes the permissions of the file it replaces
(or the usual default for a new one), and only then replaces the target.  The backup of
the replaced file is made the same way (a killed copy or a full disk must not destroy
the previous backup), from the target opened without following a symlink and checked to
be a regular file: a link to ``/dev/zero`` is refused, not copied until the disk is full.
On any failure the temporary files are removed and the target is as it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from xl_addin.core.errors import UserError, cannot_read, cannot_write
from xl_addin.files.interrupt import note_saved, shielded
from xl_addin.files.writable import check_output

#: the staging folders older versions of ``submit`` made inside the output folder (a killed
#: submit left one behind; the batch review must not count its copies as workbooks)
STAGING_PREFIX = ".xl-addin-submit-"
#: opening a file to read it without waiting on it (a FIFO never blocks), binary on
#: Windows; each flag only where the platform has it
READ_NONBLOCK = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CHUNK = 1 << 20


def open_regular(path: Path, what: str = "文件") -> BinaryIO:
    """``path`` opened for reading, refused unless it is a regular file (a symlink to one
    is fine): looked at with ``stat`` before it is opened, so a FIFO, socket, device or
    folder is never opened at all, and again on the open descriptor (opened without
    blocking), so a file swapped in between cannot hang the command or fill the memory.
    Every OS error is the user's, in Chinese."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _not_regular_input(path, what)
        fd = os.open(path, READ_NONBLOCK)
    except FileNotFoundError:
        raise UserError(f"找不到文件“{path}”。请检查路径是否正确。") from None
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        raise _not_regular_input(path, what)
    return f


def read_regular(path: Path, what: str = "文件") -> bytes:
    """The bytes of the regular file ``path`` (see ``open_regular``)."""
    with open_regular(path, what) as f:
        try:
            return f.read()
        except OSError as exc:
            raise cannot_read(path, exc) from exc


def _not_regular_input(path: Path, what: str) -> UserError:
    kind = "文件夹" if path.is_dir() else "设备、管道或套接字等"
    return UserError(f"“{path}”不是普通文件（而是{kind}），不是{what}，未读取。")


def _default_mode() -> int:
    """The umask default for a new file (mkstemp would leave it readable by its owner
    only)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def mode_for(target: Path) -> int:
    """The permissions a file written over ``target`` gets: those of the regular file it
    replaces (a link is not followed), else the umask default."""
    try:
        st = os.lstat(target)
    except OSError:
        return _default_mode()
    return st.st_mode & 0o777 if stat.S_ISREG(st.st_mode) else _default_mode()


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept (not picked up as a workbook)."""
    return path.with_name(path.name + ".bak")


def _temporary(beside: Path) -> Path:
    """A new empty file in ``beside``'s folder, named so that no one takes it for a
    workbook (``.~name.….tmp``; the batch review skips these)."""
    fd, name = tempfile.mkstemp(prefix=f".~{beside.name}.", suffix=".tmp", dir=beside.parent)
    os.close(fd)
    return Path(name)


def _open_existing(target: Path, what: str) -> BinaryIO | None:
    """The file about to be replaced, opened for reading without following a symlink;
    None when there is none.  Anything but a regular file is refused."""
    try:
        fd = os.open(target, READ_NONBLOCK | _NOFOLLOW)
    except FileNotFoundError:
        if target.is_symlink():  # a dangling link: replacing it would write elsewhere
            raise _not_regular(target, what) from None
        return None
    except OSError as exc:
        if target.is_symlink():  # O_NOFOLLOW on a link: ELOOP
            raise _not_regular(target, what) from exc
        raise
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        raise _not_regular(target, what)
    return f


def _not_regular(target: Path, what: str) -> UserError:
    return UserError(f"“{target}”不是普通文件（而是符号链接、文件夹、设备或管道等），"
                     f"未写入{what}。请换一个文件名。")


def _copy(src: BinaryIO, dst: BinaryIO) -> None:
    """The whole of ``src`` into ``dst`` (the step a full disk or a kill interrupts)."""
    while chunk := src.read(_CHUNK):
        dst.write(chunk)


def _write_backup(src: BinaryIO, bak: Path) -> None:
    """``src`` as ``bak``: copied to a temporary file, flushed to disk, given the
    original's permissions and times, then renamed over the previous backup."""
    tmp: Path | None = None
    try:
        with shielded():  # made and named at once: an interruption finds it to remove
            tmp = _temporary(bak)
        with tmp.open("wb") as out:
            _copy(src, out)
            out.flush()
            os.fsync(out.fileno())
        st = os.fstat(src.fileno())
        os.chmod(tmp, st.st_mode & 0o777)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, bak)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def replace_file(target: Path, write: Callable[[Path], None], *, backup: bool = False,
                 what: str = "文件") -> Path:
    """Write ``target`` through ``write(tmp_path)`` atomically; with ``backup`` keep the
    replaced file as ``<name>.bak`` (written first, so it is there whatever happens)."""
    check_output(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        existing = _open_existing(target, what)
    except OSError as exc:
        raise cannot_write(target, exc, "原文件未被改动。") from exc
    tmp: Path | None = None
    try:
        with shielded():  # made and named at once: an interruption finds it to remove
            tmp = _temporary(target)
        mode = _default_mode()
        if existing is not None:
            mode = os.fstat(existing.fileno()).st_mode & 0o777
            if backup:
                _write_backup(existing, backup_path(target))
        write(tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        with shielded():  # in place and noted at once: the message must say it was saved
            os.replace(tmp, target)
            note_saved(target)
    except OSError as exc:
        raise cannot_write(
            target, exc, "原文件未被改动，备份完好；请检查磁盘空间、文件是否只读"
            "或正被其他程序（如 Excel、Word）打开。") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if existing is not None:
            existing.close()
    return target
