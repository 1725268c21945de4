"""Issue 18, round two: time limits, interruption, big books.

Time limits are data (``data/limits.toml``) and say which key to change; a LibreOffice run
shows its progress (a line kept up to date in a terminal, one line in a pipe); a sheet of
thousands of rows is refused before it is parsed; and a command stopped by Ctrl-C or
SIGTERM leaves no lock, no temporary file, no staging folder, and the workbook as it was.
The interruptions are real: a real subprocess, a real signal, once the lock is there.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

import pytest

from tests.corpus import ROUND_TWO, indicator_rows, rows_5000
from tests.test_render_libreoffice import processes_mentioning
from xl_addin.core.errors import UserError
from xl_addin.documents import libreoffice
from xl_addin.engines import guards
from xl_addin.engines.file import FileBook
from xl_addin.engines.guards import WriteLock, limits
from xl_addin.files import interrupt
from xl_addin.files.atomic import replace_file
from xl_addin.files.ticker import Ticker

ROOT = Path(__file__).resolve().parents[1]
#: rows enough for a writing command to hold its lock for seconds, under the row limit
LONG_ROWS = 1200


def xl_addin(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_addin", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, **kwargs)


# -- the limits file ---------------------------------------------------------------------
def test_every_limit_has_a_chinese_comment() -> None:
    text = (ROOT / "xl_addin" / "data" / "limits.toml").read_text("utf-8")
    keys = {line.split("=")[0].strip(): line for line in text.splitlines()
            if "=" in line and not line.startswith("#")}
    for key in ("libreoffice_timeout_seconds", "vba_export_timeout_seconds",
                "uno_connect_timeout_seconds", "max_rows_per_sheet"):
        assert key in keys, key
        comment = keys[key].partition("#")[2]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in comment), keys[key]
    assert limits().libreoffice_timeout_seconds > 0


# -- big books ---------------------------------------------------------------------------
def test_rows_5000_is_refused_by_every_reader_in_seconds(seed_book_path, tmp_path) -> None:
    book = tmp_path / "rows_5000.xlsx"
    rows_5000(seed_book_path, book)
    before = book.read_bytes()
    assert ROUND_TWO["rows_5000.xlsx"].refused
    for args in (["dump"], ["validate"], ["validate", "--write"], ["fill"], ["consolidate"],
                 ["submit", "-o", str(tmp_path / "out")]):
        start = time.monotonic()
        run = xl_addin(args[0], str(book), *args[1:])
        took = time.monotonic() - start
        assert run.returncode == 2, (args, run.stderr)
        message = run.stderr.replace("\n", "")
        assert "车辆保险费" in message and "5010 行" in message, message
        assert "max_rows_per_sheet" in message and "Traceback" not in run.stderr
        assert took < 20, (args, took)  # parsed, it takes a minute
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows_5000.xlsx"]


def test_a_sheet_that_declares_fewer_rows_than_it_holds_is_refused_once_loaded(
        seed_book_path, tmp_path, monkeypatch) -> None:
    """The declared range is only a quick first look: the loaded sheet is counted too."""
    book = tmp_path / "lying.xlsx"
    indicator_rows(seed_book_path, book, 300)  # 310 rows (指标库 has 225)
    small = replace(limits(), max_rows_per_sheet=250)
    monkeypatch.setattr(guards, "limits", lambda: small)
    with pytest.raises(UserError, match=r"车辆保险费.*310 行，超过每表 250 行"):
        FileBook(book)
    lying = tmp_path / "lying2.xlsx"
    from tests.corpus import _rewrite_zip

    _rewrite_zip(book, lying, lambda name, data: data.replace(
        b'<dimension ref="A1:G310"/>', b'<dimension ref="A1:G22"/>'))
    guards.check_readable(lying)  # the declaration passes…
    with pytest.raises(UserError, match=r"310 行，超过每表 250 行.*max_rows_per_sheet"):
        FileBook(lying)  # …the sheet does not


def test_a_long_book_under_the_limit_stays_in_seconds(seed_book_path, tmp_path) -> None:
    """1,200 indicator rows (thousands of findings): validate --write wrote its report
    row by row in quadratic time before (30 s at 1,500 rows)."""
    book = tmp_path / "long.xlsx"
    indicator_rows(seed_book_path, book, LONG_ROWS)
    start = time.monotonic()
    run = xl_addin("validate", "--write", str(book))
    assert run.returncode == 1, run.stderr
    assert time.monotonic() - start < 45


# -- time limits and progress ------------------------------------------------------------
def test_a_libreoffice_timeout_names_the_file_the_limit_and_the_key(seed_book_path, tmp_path,
                                                                    monkeypatch, capsys) -> None:
    short = replace(limits(), libreoffice_timeout_seconds=0.5)
    monkeypatch.setattr(libreoffice, "limits", lambda: short)
    with pytest.raises(UserError) as caught:
        libreoffice.convert(seed_book_path, "pdf", tmp_path / "out", what="生成 PDF")
    message = caught.value.message
    assert "seed.xlsx" in message and "0.5 秒" in message and "生成 PDF" in message
    assert "limits.toml" in message and "libreoffice_timeout_seconds" in message
    # not a terminal: the step's one line, no updates
    assert capsys.readouterr().err == "正在用 LibreOffice 生成 PDF……\n"


def _read_line_from(fd: int) -> str:
    """What a pty gives until its line ends: it hands written bytes over in pieces (one
    read may see only the first write when the machine is busy)."""
    data = b""
    while not data.endswith(b"\r\n"):
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        data += os.read(fd, 4096)
    return data.decode()


def test_progress_in_a_terminal_is_one_line_kept_up_to_date() -> None:
    main, side = pty.openpty()
    with os.fdopen(side, "w", encoding="utf-8") as stream:
        with Ticker("正在用 LibreOffice 生成 PDF……", stream) as ticker:
            ticker.update("正在用 LibreOffice 生成 PDF（第 2/3 个文件，已用 12 秒）……")
        stream.flush()
        seen = _read_line_from(main)
    os.close(main)
    first = "正在用 LibreOffice 生成 PDF……"
    later = "正在用 LibreOffice 生成 PDF（第 2/3 个文件，已用 12 秒）……"
    clear = "\r\x1b[2K"  # back to the line's start, the line cleared
    assert seen == f"{clear}{first}{clear}{later}{clear}{later}\r\n"  # the pty adds the \r


def test_progress_counts_the_files_done(tmp_path) -> None:
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"]
    outs[0].write_bytes(b"done")
    assert libreoffice._step_text("生成 PDF", outs, 12.2) == \
        "正在用 LibreOffice 生成 PDF（第 2/3 个文件，已用 12 秒）……"
    assert libreoffice._step_text("生成 PDF", outs, 0) == \
        "正在用 LibreOffice 生成 PDF（共 3 个文件）……"


# -- interruption, in process ------------------------------------------------------------
def test_a_signal_in_a_shielded_step_comes_after_it(tmp_path) -> None:
    target = tmp_path / "a.txt"
    with pytest.raises(interrupt.Interrupted), interrupt.signals_unwind() as signals:
        with interrupt.shielded():
            os.kill(os.getpid(), signal.SIGTERM)
            target.write_text("the step ran to its end")
        pytest.fail("the held-back signal was not raised")  # pragma: no cover
    assert target.read_text() == "the step ran to its end"
    assert signals.pending is None


def test_a_file_put_in_place_is_noted_for_the_message(tmp_path) -> None:
    target = tmp_path / "a.txt"
    with interrupt.signals_unwind() as signals:
        replace_file(target, lambda tmp: tmp.write_text("new"))
    assert signals.saved == [target]
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_an_interrupted_lock_wait_leaves_the_holders_lock_alone(tmp_path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"x")
    with WriteLock(book) as held:
        waiter = WriteLock(book, wait_s=30)
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        previous = signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(),
                                                                    signal.SIGTERM))
        try:
            with pytest.raises(interrupt.Interrupted), interrupt.signals_unwind():
                waiter.acquire()
        finally:
            signal.signal(signal.SIGALRM, previous)
        assert not waiter.held and held.lock.exists()
    assert not held.lock.exists()


# -- interruption, real subprocesses -----------------------------------------------------
@pytest.fixture(scope="module")
def long_book(seed_book_path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.xlsx"
    indicator_rows(seed_book_path, path, LONG_ROWS)
    return path


def _wait_for(condition, what: str, proc: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the command ended before {what}: {proc.communicate()}")
        assert time.monotonic() < deadline, f"waited {limit} s for {what}"
        time.sleep(0.01)


def _leftovers(folder: Path, temp: Path) -> list[str]:
    """What a command may leave when stopped: its lock, its temporaries, staging."""
    left = [p.name for p in folder.iterdir() if p.name.startswith(".~")]
    return left + [p.name for p in temp.iterdir()]


def _interrupt(args: list[str], book: Path, temp: Path, signum: int, when: str
               ) -> tuple[int, str]:
    lock = book.with_name(f".~xl-addin.{book.name}.lock")
    proc = subprocess.Popen([sys.executable, "-m", "xl_addin", *args], cwd=ROOT,
                            env={**os.environ, "TMPDIR": str(temp)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if when == "lock":
            _wait_for(lock.exists, "the lock", proc)
        elif when == "temp":
            _wait_for(lambda: any(p.suffix == ".tmp" for p in book.parent.iterdir()),
                      "a temporary file", proc)
        else:
            _wait_for(lambda: any("soffice" in p for p in
                                  processes_mentioning(str(temp)).values()),
                      "LibreOffice", proc)
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        for pid in processes_mentioning(str(temp)):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return proc.returncode, err


COMMANDS = {"fill": ["fill"], "validate-write": ["validate", "--write"],
            "consolidate": ["consolidate"], "submit-reconsolidate":
            ["submit", "--reconsolidate", "--force", "-o", "{out}"]}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_stopped_while_it_holds_the_lock_leaves_nothing(long_book, tmp_path,
                                                                  command, signum) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy2(long_book, book)
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "报送"
    args = [a.replace("{out}", str(out)) for a in COMMANDS[command]]
    before = book.read_bytes()
    code, err = _interrupt([args[0], str(book), *args[1:]], book, temp, signum, "lock")
    assert code == 2, err
    assert "已中断，未作改动" in err and "Traceback" not in err, err
    assert book.read_bytes() == before
    assert _leftovers(tmp_path, temp) == []
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "tmp"]


@pytest.mark.parametrize(("command", "signum"), [("fill", signal.SIGTERM),
                                                 ("consolidate", signal.SIGINT)])
def test_a_command_stopped_while_it_saves_leaves_no_temporary(long_book, tmp_path,
                                                              command, signum) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy2(long_book, book)
    temp = tmp_path / "tmp"
    temp.mkdir()
    before = book.read_bytes()
    code, err = _interrupt([command, str(book)], book, temp, signum, "temp")
    assert code == 2 and "已中断" in err and "Traceback" not in err, err
    assert book.read_bytes() == before  # the save had not put the new file in place
    assert _leftovers(tmp_path, temp) == []


def test_an_interruption_inside_openpyxls_own_write_leaves_no_temporary(
        seed_book_path, tmp_path, monkeypatch) -> None:
    """The race above, made certain: openpyxl writes each sheet to a temporary file of
    its own and removes it only once the sheet is done; a Ctrl-C in between must take
    that file with it, as it takes ours."""
    from openpyxl.worksheet._writer import WorksheetWriter

    book = tmp_path / "book.xlsx"
    shutil.copy2(seed_book_path, book)
    before = book.read_bytes()
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    written: list[str] = []

    def interrupted(self) -> None:
        written.append(self.out)  # openpyxl's temporary for this sheet, already made
        raise KeyboardInterrupt

    monkeypatch.setattr(WorksheetWriter, "write_rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        FileBook(book).save()
    assert written and not Path(written[0]).exists()
    assert list(temp.iterdir()) == [] and book.read_bytes() == before
    assert _leftovers(tmp_path, temp) == []


def test_a_submit_stopped_by_ctrl_c_while_libreoffice_runs_leaves_nothing(seed_book_path,
                                                                          tmp_path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy2(seed_book_path, book)
    temp = tmp_path / "tmp"
    temp.mkdir()
    before = book.read_bytes()
    code, err = _interrupt(["submit", str(book), "--force", "-o", str(tmp_path / "out")],
                           book, temp, signal.SIGINT, "libreoffice")
    assert code == 2 and "已中断，未作改动" in err and "Traceback" not in err, err
    assert book.read_bytes() == before
    assert _leftovers(tmp_path, temp) == []
    assert not (tmp_path / "out").exists()
    # into a pipe, the LibreOffice step is one plain line, never updated in place
    assert err.count("正在用 LibreOffice 计算公式……\n") == 1 and "\r" not in err, err
    assert processes_mentioning(str(temp)) == {}


def test_a_vba_export_timeout_names_its_key_and_leaves_no_libreoffice(tmp_path,
                                                                      monkeypatch) -> None:
    """The script and the soffice it started go together (they were left running)."""
    from xl_addin.addin import vba_export

    short = replace(limits(), vba_export_timeout_seconds=1.0)
    monkeypatch.setattr(vba_export, "limits", lambda: short)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the script's own profile, too
    with pytest.raises(UserError, match=r"超时（1 秒）.*vba_export_timeout_seconds"):
        vba_export.export_vba([("Module1", "Sub A()\nEnd Sub\n")])
    assert processes_mentioning(str(tmp_path)) == {}
    assert list(tmp_path.iterdir()) == []
