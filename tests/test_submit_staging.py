"""Where submission makes its files: a private folder outside the output folder, gone on
every exit (SIGTERM included), never holding the plaintext password; the output folder
gets the three files together or nothing."""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from contextlib import suppress
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_render_libreoffice import processes_mentioning
from xl_addin.actions.submit import _build
from xl_addin.actions.workbook import validate_book
from xl_addin.engines.file import FileBook
from xl_addin.files import staging

PASSWORD = "单位密码2"
ROOT = Path(__file__).resolve().parents[1]


def book_with_password(seed: Path, path: Path) -> Path:
    shutil.copy2(seed, path)
    wb = load_workbook(path)
    wb["参数"]["B5"] = PASSWORD
    wb.save(path)
    return path


def files_holding(folder: Path, secret: str) -> list[str]:
    """The files under ``folder`` holding ``secret``: in their bytes, in the parts of the
    zips among them, as UTF-8 or as XML character references (openpyxl writes 单 as
    ``&#21333;``)."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts = [path.read_bytes()]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n) for n in z.namelist()]
        if any(secret in html.unescape(part.decode("utf-8", "replace")) for part in parts):
            found.append(str(path.relative_to(folder)))
    return found


def test_no_staging_file_holds_the_password(seed_book_path, tmp_path) -> None:
    book = FileBook(book_with_password(seed_book_path, tmp_path / "book.xlsx"))
    made = tmp_path / "staging"
    made.mkdir()
    _build(book, validate_book(book), made, lambda _message: None)
    assert {p.name for p in made.iterdir()} >= {"prepared.xlsx", "copy.xlsx", "print.xlsx"}
    assert files_holding(made, PASSWORD) == []


def wait_for(condition, what: str, limit: float = 120.0) -> None:
    """Poll until ``condition()`` holds (a generous limit: not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"waited {limit} s for {what}"
        time.sleep(0.05)


def test_a_submit_killed_while_libreoffice_runs_leaves_nothing(seed_book_path, tmp_path
                                                                ) -> None:
    book = book_with_password(seed_book_path, tmp_path / "book.xlsx")
    temp = tmp_path / "tmp"
    temp.mkdir()
    outdir = tmp_path / "报送"
    outdir.mkdir()
    (outdir / "上次的说明.txt").write_text("旧文件", encoding="utf-8")
    before = sorted(outdir.iterdir())
    proc = subprocess.Popen(
        [sys.executable, "-m", "xl_addin", "submit", str(book), "-o", str(outdir), "--force"],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: any("soffice" in p for p in processes_mentioning(str(temp)).values()),
                 "LibreOffice to start")
        folders = list(temp.glob(f"{staging.PREFIX}{proc.pid}-*"))
        assert len(folders) == 1, list(temp.iterdir())
        assert folders[0].stat().st_mode & 0o777 == 0o700
        assert files_holding(folders[0], PASSWORD) == []
        assert sorted(outdir.iterdir()) == before
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:  # whatever failed above, end what this test started
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        for pid in processes_mentioning(str(temp)):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 2 and "已中断" in err, err
    assert processes_mentioning(str(temp)) == {}
    assert list(temp.iterdir()) == []  # no staging folder, no LibreOffice profile
    assert sorted(outdir.iterdir()) == before


def test_a_staging_folder_is_private_and_goes_on_sigterm(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    handler = signal.getsignal(signal.SIGTERM)
    with pytest.raises(staging.Interrupted), staging.staging_folder() as (folder, _signals):
        assert folder.parent == tmp_path and f"-{os.getpid()}-" in folder.name
        assert folder.stat().st_mode & 0o777 == 0o700
        (folder / "half.xlsx").write_bytes(b"half written")
        os.kill(os.getpid(), signal.SIGTERM)
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is handler  # the previous handler is back


def test_stale_staging_folders_of_ended_processes_are_removed(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    stale = tmp_path / f"{staging.PREFIX}{ended.stdout.strip()}-abc"
    alive = tmp_path / f"{staging.PREFIX}{os.getppid()}-def"  # pytest's parent runs
    for folder in (stale, alive):
        folder.mkdir()
        (folder / "copy.xlsx").write_bytes(b"unprotected copy")
    with staging.staging_folder() as (folder, _signals):
        assert sorted(tmp_path.iterdir()) == sorted([alive, folder])
    assert list(tmp_path.iterdir()) == [alive]


def test_a_failed_publish_leaves_the_folder_as_it_was(tmp_path) -> None:
    made = tmp_path / "made"
    made.mkdir()
    (made / "a.xlsx").write_bytes(b"new a")
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "a.xlsx").write_bytes(b"old a")
    pairs = [(made / "a.xlsx", outdir / "a.xlsx"), (made / "missing.pdf", outdir / "b.pdf")]
    with pytest.raises(FileNotFoundError):
        staging.publish(pairs, staging.Signals())
    assert [(p.name, p.read_bytes()) for p in outdir.iterdir()] == [("a.xlsx", b"old a")]
    new = [(made / "a.xlsx", tmp_path / "new" / "a.xlsx"),
           (made / "missing.pdf", tmp_path / "new" / "b.pdf")]
    with pytest.raises(FileNotFoundError):
        staging.publish(new, staging.Signals())
    assert not (tmp_path / "new").exists()  # a folder it created goes again


def test_publish_puts_every_file_in_place(tmp_path) -> None:
    made = tmp_path / "made"
    made.mkdir()
    pairs = []
    for name in ("a.xlsx", "a.pdf", "a.docx"):
        (made / name).write_bytes(name.encode())
        pairs.append((made / name, tmp_path / "out" / name))
    staging.publish(pairs, staging.Signals())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "a.pdf", "a.xlsx"]
    assert (tmp_path / "out" / "a.pdf").read_bytes() == b"a.pdf"
