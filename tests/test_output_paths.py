"""Where a command writes (issue 18, round two): every command with an output refuses, up
front and in Chinese with exit 2, a place it cannot write — a read-only mount, a path
through a file, a name longer than the file system allows, a folder the user may not
write — and a disk that fills during the write gives its message and nothing else.
Special files (FIFO, device, socket, folder named x.xlsx) are never opened.

Real mechanisms only: the mounts are tmpfs mounted here (the tests run as root), the
user who may not write is a child without the capabilities that let root write anywhere
(``setpriv`` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: the kernel then checks the
permission bits as for any user; ``runuser -u nobody`` cannot be used because the
interpreter lives under /root, mode 0700).  Each test that needs a mechanism skips with
the reason found at runtime when the sandbox does not allow it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.corpus import ROUND_TWO

ROOT = Path(__file__).resolve().parents[1]
SEED_TXT = ROOT / "examples" / "seed.txt"
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
NO_DAC = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
          "--bounding-set=-dac_override,-dac_read_search", "--"]
SPECIAL = ["fifo.xlsx", "dev_zero.xlsx", "folder.xlsx", "socket.xlsx"]


def _cli(args: list[str], *, prefix: list[str] | None = None, stdout=subprocess.PIPE,
         timeout: float = 120) -> subprocess.CompletedProcess:
    """The command in a child process, bounded in time (a FIFO must not hang it)."""
    return subprocess.run([*(prefix or []), sys.executable, "-m", "xl_addin", *map(str, args)],
                          env=CHILD_ENV, timeout=timeout, stdout=stdout,
                          stderr=subprocess.PIPE, text=True)


def _said(result: subprocess.CompletedProcess) -> str:
    return result.stderr.replace("\n", "")


def _clean_refusal(result: subprocess.CompletedProcess, *words: str) -> None:
    said = _said(result)
    assert result.returncode == 2, result.stderr
    assert "内部错误" not in said and "Traceback" not in said and "Error" not in said, said
    for word in words:
        assert word in said, said


@pytest.fixture
def mount_tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``mount(size_kb, read_only=False)``: a fresh tmpfs under tmp_path, unmounted at
    the end."""
    mounted: list[Path] = []

    def mount(size_kb: int, read_only: bool = False) -> Path:
        where = tmp_path / f"mnt{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                               str(where)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def _remount_ro(where: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(where)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only here: {done.stderr.strip()}")


def _require_no_dac(tmp_path: Path) -> None:
    """Skip unless a child without the override capabilities is refused a 0555 folder."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed")
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o555)
    probe.chmod(0o555)
    done = subprocess.run([*NO_DAC, "touch", str(probe / "x")], capture_output=True)
    if done.returncode == 0:
        pytest.skip("dropping CAP_DAC_OVERRIDE does not take away write access here")
    probe.rmdir()


# every command with an output: (name, argv for book and output).  submit and
# build-addin take a folder; the checks come before any work (LibreOffice never runs).
COMMANDS: dict[str, Callable[[Path, Path], list]] = {
    "validate --write -o": lambda book, out: ["validate", "--write", book, "-o", out],
    "fill -o": lambda book, out: ["fill", book, "-o", out],
    "consolidate -o": lambda book, out: ["consolidate", book, "-o", out],
    "consolidate --csv": lambda book, out: ["consolidate", book, "--csv",
                                            out.with_suffix(".csv")],
    "clear-marks -o": lambda book, out: ["clear-marks", book, "-o", out],
    "submit -o DIR": lambda book, out: ["submit", book, "--force", "-o", out.with_suffix("")],
    "review -o": lambda book, out: ["review", book.parent, "-o", out],
    "import -o": lambda book, out: ["import", SEED_TXT, "-o", out],
    "new": lambda book, out: ["new", out, "--year", "2022", "--unit", "某单位"],
    "build-addin -o DIR": lambda book, out: ["build-addin", "-o", out.with_suffix("")],
}


def _book(seed_book_path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / "book.xlsx"
    shutil.copy2(seed_book_path, book)
    return book


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("command", COMMANDS)
def test_output_under_a_file_is_refused(seed_book_path, tmp_path, command) -> None:
    book = _book(seed_book_path, tmp_path / "in")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = _cli(COMMANDS[command](book, tmp_path / "afile" / "out.xlsx"))
    _clean_refusal(result, "无法写入", "afile", "不是文件夹")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"
    assert _listing(tmp_path / "in") == ["book.xlsx"]


@pytest.mark.parametrize("command", COMMANDS)
def test_output_name_too_long_is_refused(seed_book_path, tmp_path, command) -> None:
    book = _book(seed_book_path, tmp_path / "in")
    out = tmp_path / ("长" * 100 + ".xlsx")  # 300 bytes in UTF-8: over NAME_MAX
    result = _cli(COMMANDS[command](book, out))
    _clean_refusal(result, "无法写入", "文件名太长")
    assert _listing(tmp_path) == ["in", "in/book.xlsx"]


@pytest.mark.parametrize("command", COMMANDS)
def test_output_on_a_read_only_mount_is_refused(seed_book_path, tmp_path, mount_tmpfs,
                                                command) -> None:
    book = _book(seed_book_path, tmp_path / "in")
    ro = mount_tmpfs(1024)
    _remount_ro(ro)
    result = _cli(COMMANDS[command](book, ro / "out.xlsx"))
    _clean_refusal(result, "无法写入", str(ro), "只读")
    assert _listing(ro) == [] and _listing(tmp_path / "in") == ["book.xlsx"]


@pytest.mark.parametrize("command", COMMANDS)
def test_output_where_the_user_may_not_write_is_refused(seed_book_path, tmp_path,
                                                        command) -> None:
    _require_no_dac(tmp_path)
    book = _book(seed_book_path, tmp_path / "in")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    result = _cli(COMMANDS[command](book, locked / "out.xlsx"), prefix=NO_DAC)
    _clean_refusal(result, "无法写入", "locked", "权限")
    assert _listing(locked) == []


def test_in_place_on_a_read_only_mount_is_refused(seed_book_path, mount_tmpfs) -> None:
    where = mount_tmpfs(1024)
    book = _book(seed_book_path, where)
    before = book.read_bytes()
    _remount_ro(where)
    for args in (["validate", "--write", book], ["fill", book], ["clear-marks", book],
                 ["add-project", book, "--name", "新项目"]):
        _clean_refusal(_cli(args), "无法写入", "只读")
    assert book.read_bytes() == before and _listing(where) == ["book.xlsx"]


def test_disk_full_during_validate_write_gives_the_message_only(seed_book_path,
                                                                mount_tmpfs) -> None:
    """A real full disk: a tmpfs with room for the workbook and its backup, not for the
    new version too.  The message, no traceback after it; the workbook as it was, its
    backup whole, no temporary file left."""
    size = seed_book_path.stat().st_size
    where = mount_tmpfs((2 * size) // 1024 + 8)
    book = _book(seed_book_path, where)
    before = book.read_bytes()
    result = _cli(["validate", "--write", book])
    _clean_refusal(result, "无法写入", "磁盘空间已满", "book.xlsx")
    assert book.read_bytes() == before
    names = _listing(where)
    assert set(names) <= {"book.xlsx", "book.xlsx.bak"}, names
    if "book.xlsx.bak" in names:
        assert (where / "book.xlsx.bak").read_bytes() == before


def test_disk_full_before_the_lock_is_written(seed_book_path, mount_tmpfs) -> None:
    """A disk with not one byte free: even the write lock's PID cannot be written."""
    where = mount_tmpfs(seed_book_path.stat().st_size // 1024 + 8)
    book = _book(seed_book_path, where)
    before = book.read_bytes()
    with (where / "filler").open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    result = _cli(["validate", "--write", book])
    _clean_refusal(result, "磁盘空间已满")
    assert book.read_bytes() == before


def test_output_to_another_file_on_a_full_disk(seed_book_path, tmp_path, mount_tmpfs) -> None:
    book = _book(seed_book_path, tmp_path / "in")
    small = mount_tmpfs(32)  # the workbook is ~80 KB
    for command in ("fill -o", "clear-marks -o", "validate --write -o"):
        _clean_refusal(_cli(COMMANDS[command](book, small / "out.xlsx")),
                       "无法写入", "out.xlsx", "磁盘空间已满")
        assert _listing(small) == []


def test_stdout_on_a_full_disk(seed_book_path, tmp_path) -> None:
    """The report into /dev/full (a disk that is always full): exit 2, one message."""
    book = _book(seed_book_path, tmp_path)
    with open("/dev/full", "w") as full:
        for args in (["validate", "--write", book], ["dump", book]):
            result = _cli(args, stdout=full)
            _clean_refusal(result, "磁盘空间已满")


def _make_special(tmp_path: Path, seed_book_path: Path, name: str) -> Path:
    path = tmp_path / name
    ROUND_TWO[name].make(seed_book_path, path)
    return path


# every command that reads a workbook, on the case at ``path``
READERS: dict[str, Callable[[Path, Path], list]] = {
    "dump": lambda p, t: ["dump", p],
    "validate": lambda p, t: ["validate", p],
    "validate --write": lambda p, t: ["validate", "--write", p],
    "fill": lambda p, t: ["fill", p],
    "add-project": lambda p, t: ["add-project", p, "--name", "新项目"],
    "consolidate": lambda p, t: ["consolidate", p],
    "consolidate --csv": lambda p, t: ["consolidate", p, "--csv", t / "x.csv",
                                       "-o", t / "c.xlsx"],
    "accept --list": lambda p, t: ["accept", p, "--list"],
    "clear-marks": lambda p, t: ["clear-marks", p],
    "submit": lambda p, t: ["submit", p, "--force", "-o", t / "sub"],
    "import": lambda p, t: ["import", p, "-o", t / "i.xlsx"],
}


@pytest.mark.parametrize("name", SPECIAL)
@pytest.mark.parametrize("command", READERS)
def test_special_files_are_refused_by_every_command(seed_book_path, tmp_path, name,
                                                    command) -> None:
    path = _make_special(tmp_path, seed_book_path, name)
    out = tmp_path / "out"
    out.mkdir()
    result = _cli(READERS[command](path, out), timeout=60)
    _clean_refusal(result, name, ROUND_TWO[name].says)
    assert _listing(out) == []


@pytest.mark.parametrize("option", ["--profile", "--forms"])
@pytest.mark.parametrize("name", SPECIAL)
def test_special_files_as_profile_or_forms(seed_book_path, tmp_path, name, option) -> None:
    path = _make_special(tmp_path, seed_book_path, name)
    book = _book(seed_book_path, tmp_path / "in")
    args = (["validate", book, "--profile", path] if option == "--profile"
            else ["import", SEED_TXT, "--forms", path, "-o", tmp_path / "i.xlsx"])
    result = _cli(args, timeout=60)
    _clean_refusal(result, name, ROUND_TWO[name].says)
    assert not (tmp_path / "i.xlsx").exists()


def test_review_lists_special_and_unreadable_files(seed_book_path, tmp_path) -> None:
    """Run as a user who may not read a chmod-000 file: it and the special files are
    listed as 无法读取 on stderr and in review.xlsx, no BrokenPipeError, exit 1."""
    _require_no_dac(tmp_path)
    folder = tmp_path / "units"
    _book(seed_book_path, folder)
    secret = folder / "secret.xlsx"
    shutil.copy2(seed_book_path, secret)
    secret.chmod(0)
    closed = folder / "closed"
    closed.mkdir()
    shutil.copy2(seed_book_path, closed / "hidden.xlsx")
    closed.chmod(0)
    for name in SPECIAL:
        ROUND_TWO[name].make(seed_book_path, folder / name)
    out = tmp_path / "review.xlsx"
    result = _cli(["review", folder, "-o", out], prefix=NO_DAC, timeout=300)
    said = _said(result)
    assert result.returncode == 1, result.stderr
    assert "BrokenPipe" not in said and "内部错误" not in said and "Traceback" not in said
    assert "secret.xlsx" in said and "没有访问权限" in said
    assert "文件夹“" + str(closed) + "”无法读取" in said and "其中的工作簿未审核" in said
    for name in SPECIAL:
        assert name in said, said
    wb = load_workbook(out, read_only=True)
    cells = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    for name in ["secret.xlsx", *SPECIAL, "closed/", "其中的工作簿未审核"]:
        assert name in cells
    assert "无法读取" in cells


def test_only_os_errors_on_the_users_paths_become_user_errors(tmp_path) -> None:
    """The top-level conversion must not hide a bug: an OSError on a file the command was
    not given (the package's own data, say) stays an internal error."""
    from xl_addin.cli.app import _users_path_error

    out = tmp_path / "out.xlsx"
    beside = OSError(13, "Permission denied", str(tmp_path / ".~out.xlsx.abc.tmp"))
    inside = OSError(2, "No such file", str(tmp_path / "sub" / "x.xlsx"))
    own = OSError(2, "No such file", "/usr/lib/python3/xl_addin/data/limits.toml")
    full = OSError(28, "No space left on device", "/var/tmp/elsewhere")
    assert "没有访问权限" in _users_path_error(beside, [out]).message
    assert _users_path_error(inside, [tmp_path]) is not None
    assert _users_path_error(own, [out]) is None
    assert _users_path_error(OSError(5, "I/O"), [out]) is None  # no file named
    assert "磁盘空间已满" in _users_path_error(full, [out]).message


def test_import_never_writes_over_its_document(seed_book_path, tmp_path) -> None:
    """``import BOOK.xlsx -o BOOK.xlsx --force``: the document is the input, not an
    output to replace."""
    book = _book(seed_book_path, tmp_path)
    before = book.read_bytes()
    result = _cli(["import", book, "-o", tmp_path / "." / "book.xlsx", "--force"])
    _clean_refusal(result, "就是要导入的文档本身")
    assert book.read_bytes() == before and _listing(tmp_path) == ["book.xlsx"]
