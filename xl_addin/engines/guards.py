"""Checks made before a workbook file is parsed, and the write lock.

Files reach the tool from strangers (the finance bureau's batch review), so nothing in
an archive is trusted: sizes are checked against the declared entries before a byte is
inflated, member names must be plain relative paths, and the limits are data
(``xl_addin/data/limits.toml``).  Writers take a lock so that two commands on one
workbook never interleave.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from pathlib import Path

from xl_addin.core.errors import UserError, cannot_read, cannot_write
from xl_addin.core.limits import Limits, limits
from xl_addin.engines.package import declared_sheets
from xl_addin.files.atomic import open_regular
from xl_addin.files.interrupt import shielded


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB"


def _check_archive(path: Path, data: bytes, lim: Limits) -> list[str]:
    """Refuse zip bombs, unsafe member names and XML with a DTD, from the zip directory
    and the first kilobyte of each XML part; then the declared sheets against the
    archive (``package``: only the workbook part and its relationships are inflated
    whole).  Returns the declared sheet names.

    The parts are inflated straight from the file's bytes, read once by
    ``check_readable``: the batch review runs this on every workbook, and opening ~30
    members through ``zipfile`` cost more than reading them.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            rows = _check_members(path, z, data, lim)
            infos = {info.filename: info for info in z.infolist()}

            def check_rows(sheet: str, part: str) -> None:
                check_row_count(path, sheet, rows.get(part, 0))

            return declared_sheets(path, set(infos),
                                   lambda name: _inflate(path, data, infos[name]), check_rows)
    except (zipfile.BadZipFile, EOFError, zlib.error, struct.error) as exc:
        raise UserError(f"文件“{path.name}”已损坏或不是有效的 .xlsx 文件，无法读取。") from exc


_LOCAL_HEADER = b"PK\x03\x04"
_HEAD_BYTES = 1024


def _inflate(path: Path, data: bytes, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
    """A member (its first ``limit`` bytes, else all of it), inflated from the archive's
    bytes; its declared size was checked against the limits before.

    A local header is 30 bytes, then the name and an extra field of their own lengths;
    the member's data follows.  Encrypted members and compression methods Office never
    writes are refused: no reader of ours could open them anyway.
    """
    at = info.header_offset
    if data[at:at + 4] != _LOCAL_HEADER:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    size = info.file_size if limit is None else min(limit, info.file_size)
    raw = memoryview(data)[start:start + (info.compress_size if limit is None
                                          else min(info.compress_size, 64 * limit))]
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                          zipfile.ZIP_DEFLATED):
        raise UserError(f"文件“{path.name}”的部件“{info.filename}”已加密或使用了不支持的压缩方式，"
                        "无法读取。请在 Excel 中打开并另存为 .xlsx 后再试。")
    if info.compress_type == zipfile.ZIP_STORED:
        return bytes(raw[:size])
    return zlib.decompressobj(-15).decompress(raw, max(size, 1))


#: a worksheet's used range, as its part declares it near the start (``<dimension
#: ref="A1:G5010"/>``): the last row number is what is wanted
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?[A-Za-z]*\$?(\d+)(?::\$?[A-Za-z]*\$?(\d+))?"')


def _declared_rows(head: bytes) -> int:
    """The rows a worksheet part says it uses (0 when it does not say)."""
    found = _DIMENSION.search(head)
    if found is None:
        return 0
    return int(found[2] or found[1])


def check_row_count(path: Path, sheet: str, rows: int) -> None:
    """Refuse a sheet of more rows than any workbook of ours has: openpyxl spends ~3 ms
    on each merged range it loads, so a project sheet pasted 5,000 rows long would keep
    every command busy for a minute.  Checked from the declared range before parsing,
    and from the loaded sheet after (a file may declare less than it holds)."""
    cap = limits().max_rows_per_sheet
    if rows > cap:
        raise UserError(
            f"文件“{path.name}”的工作表“{sheet}”有 {rows} 行，超过每表 {cap} 行的上限，未读取。"
            "项目表通常不到 50 行：请删除多余的行（如误粘贴的大段数据）后再试；确需更大的表，"
            "可调大 xl_addin/data/limits.toml 中的 max_rows_per_sheet。"
        )


def _check_members(path: Path, z: zipfile.ZipFile, data: bytes, lim: Limits) -> dict[str, int]:
    """Check every member (see ``_check_archive``); return the rows each worksheet part
    declares."""
    total = 0
    rows: dict[str, int] = {}
    for info in z.infolist():
        name = info.filename
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise UserError(
                f"文件“{path.name}”含有不安全的内部路径“{info.filename}”，已拒绝读取。"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        bomb = ratio > lim.max_ratio and info.file_size > 1048576
        if info.file_size > lim.max_part_bytes or bomb:
            raise UserError(
                f"文件“{path.name}”的部件“{info.filename}”解压后有 {_mb(info.file_size)}"
                f"（压缩比 {ratio:.0f} 倍），超过上限，"
                "可能是压缩炸弹或异常巨大的工作表，已拒绝读取。"
            )
        total += info.file_size
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        head = _inflate(path, data, info, _HEAD_BYTES)
        if name.startswith("xl/worksheets/"):
            rows[name] = _declared_rows(head)
        if b"<!DOCTYPE" in head.upper():
            raise UserError(
                f"文件“{path.name}”的部件“{info.filename}”含有 DTD/实体定义（可用于 XML 炸弹），"
                "已拒绝读取。Excel 保存的工作簿不会含有这种内容。"
            )
    if total > lim.max_total_bytes:
        raise UserError(f"文件“{path.name}”解压后共 {_mb(total)}，超过上限 "
                        f"{_mb(lim.max_total_bytes)}，已拒绝读取。")
    return rows


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = (".xlsx", ".xlsm")


def check_readable(path: Path) -> list[str]:
    """Refuse, with a clear message, what no reader of ours can or should open (every
    engine that reads a file comes through here); return the sheet names the workbook
    declares, for the engine to compare with what it loaded (``package.check_loaded``)."""
    if not path.exists():
        raise UserError(f"找不到文件“{path}”。请检查路径是否正确。")
    if path.is_dir():
        raise UserError(f"“{path}”是文件夹，不是工作簿文件。")
    if path.suffix.lower() == ".xls":
        raise UserError(
            f"“{path.name}”是旧版 .xls 格式，无法读取。请在 Excel 中“另存为”.xlsx 后再试。"
        )
    lim = limits()
    with open_regular(path, "工作簿") as f:  # one open, one read: at most max_file_bytes
        size = os.fstat(f.fileno()).st_size
        try:
            data = f.read(8 if size > lim.max_file_bytes else -1)
        except OSError as exc:
            raise cannot_read(path, exc) from exc
    if data[:8] == _OLE_MAGIC:
        raise UserError(
            f"文件“{path.name}”已加密（设置了打开密码），或是旧版 .xls 格式，无法读取。"
            "请在 Excel 中取消打开密码并另存为 .xlsx 后再试。"
        )
    if path.suffix.lower() not in SUFFIXES:
        raise UserError(f"“{path.name}”不是 Excel 工作簿（.xlsx 或 .xlsm）。")
    if size > lim.max_file_bytes:
        raise UserError(f"文件“{path.name}”有 {_mb(size)}，超过上限 {_mb(lim.max_file_bytes)}，"
                        "未读取。绩效目标工作簿通常不到 1 MB，请检查是否选错了文件。")
    return _check_archive(path, data, lim)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (one resolved path, or one inode: a hard link,
    a folder reached two ways)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet
        return False


def check_write_target(path: Path) -> None:
    """Refuse to write ``path`` when that would not change a plain workbook file we may
    change: a symlink (the replace would cut the link, and a copy for the backup would
    follow it), a device, FIFO or folder, a file another program has open, a read-only
    file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    if mode is not None and stat.S_ISLNK(mode) and not os.path.isfile(path):
        raise UserError(f"“{path}”是符号链接，指向的不是普通文件（而是设备、管道或文件夹等），"
                        "未读取也未写入。请换一个文件。")
    if mode is not None and stat.S_ISLNK(mode):
        raise UserError(f"“{path}”是符号链接，未写入（替换它会切断链接，或写到别处）。"
                        "请直接指定它所指向的文件，或换一个输出文件名。")
    if mode is not None and not stat.S_ISREG(mode):
        raise UserError(f"“{path}”不是普通文件（而是文件夹、设备或管道等），未写入。"
                        "请换一个输出文件名。")
    busy = office_lock_files(path)
    if busy:
        raise UserError(
            f"“{path.name}”正被 Excel、WPS 或 LibreOffice 打开（发现锁文件“{busy[0].name}”）。"
            "请先在该程序中保存并关闭它，再运行本命令。"
        )
    if mode is not None and not os.access(path, os.W_OK):
        raise UserError(f"“{path.name}”是只读文件，未作改动。如需修改，请先取消只读属性，"
                        "或用 -o 另存为新文件。")


def office_lock_files(path: Path) -> list[Path]:
    """Lock files Excel/WPS (~$name) and LibreOffice (.~lock.name#) leave beside a
    workbook they have open."""
    candidates = [path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]),
                  path.with_name(f".~lock.{path.name}#")]
    return [p for p in candidates if p.exists()]


class WriteLock:
    """An exclusive lock on a workbook for one command's read-modify-write.

    The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on
    Windows) on a lock file beside the workbook: a process that dies, however killed,
    holds nothing, so there is no staleness to guess.  (Guessing is what failed before:
    a lock file seen in the instant between its creation and the writing of its PID read
    as "left by a dead process", and two writers ran at once.)  The PID written into the
    file is for a person reading it, never for deciding.  The second command waits, then
    refuses.
    """

    def __init__(self, path: Path, wait_s: float | None = None) -> None:
        self.path = path
        self.lock = path.with_name(f".~xl-addin.{path.name}.lock")
        self.wait_s = limits().lock_wait_seconds if wait_s is None else wait_s
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _open(self) -> int:
        try:
            return os.open(self.lock, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:
            raise UserError(
                f"无法在“{self.path.parent}”中创建锁文件：{exc.strerror}。"
            ) from exc

    def _still_ours(self, fd: int) -> bool:
        """The locked file is still the one the path names: a holder removes the lock
        file when it releases, and a waiter that opened it just before must not hold a
        lock on a file nobody else can see."""
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.lock))
        except OSError:
            return False

    def acquire(self) -> WriteLock:
        deadline = time.monotonic() + self.wait_s
        while True:
            try:  # created and held, or gone: never a lock file nobody holds
                with shielded():
                    if self._take():
                        return self
            except BaseException:  # a signal held back while the lock was taken
                self.release()
                raise
            if time.monotonic() >= deadline:
                raise UserError(
                    f"另一个命令正在修改“{self.path.name}”，请等它完成后再试"
                    f"（若确认没有其他命令在运行，可删除锁文件“{self.lock.name}”）。"
                )
            time.sleep(0.1)

    def _take(self) -> bool:
        """One attempt: open (creating) the lock file and lock it without waiting."""
        fd = self._open()
        if _try_lock(fd):
            if self._still_ours(fd):
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
                self._fd = fd
                return True
            _unlock(fd)
        os.close(fd)
        return False

    def release(self) -> None:
        with shielded():
            self._release()

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if os.name != "nt":  # POSIX: remove while still holding, so no one locks it
            self.lock.unlink(missing_ok=True)
        _unlock(fd)
        os.close(fd)
        if os.name == "nt":  # Windows cannot remove an open file; a waiter may have it
            with contextlib.suppress(OSError):
                self.lock.unlink()

    def __enter__(self) -> WriteLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    """Take the OS lock on ``fd`` without waiting; False when another process has it."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass  # nothing held: nothing to release
