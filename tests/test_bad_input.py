"""The bad-input corpus through every command: a documented exit code, one clear Chinese
message naming the file, no traceback, and the input untouched when a command refuses."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.cli import cli
from xl_addin.core.errors import UserError
from xl_addin.engines.file import FileBook
from xl_addin.engines.guards import WriteLock, limits
from xl_addin.files.atomic import backup_path

#: unreadable cases -> what the message must say
REFUSED = {
    "not_a_zip.xlsx": "已损坏",
    "truncated.xlsx": "已损坏",
    "encrypted.xlsx": "已加密",
    "legacy.xls": "另存为",
    "zip_bomb.xlsx": "压缩炸弹",
    "entity_bomb.xlsx": "实体定义",
    "stored_entity_bomb.xlsx": "实体定义",
    "bzip2_part.xlsx": "不支持的压缩方式",
    "zip_slip.xlsx": "不安全的内部路径",
    "million_rows.xlsx": "超过上限",
    "broken_sheet_target.xlsx": "车辆保险费”指向的部件“xl/worksheets/gone.xml”在文件中找不到",
    "duplicate_sheet_names.xlsx": "两张工作表都叫“车辆保险费”",
    "duplicate_sheet_names_case.xlsx": "Excel 不区分大小写",
    "macro_sheet.xlsx": "工作表“参数”是Excel 4.0 宏表",
}
#: cases whose sheets would vanish (or be read twice) without a word: the message says so
SHEETS_AT_RISK = ["broken_sheet_target.xlsx", "duplicate_sheet_names.xlsx",
                  "duplicate_sheet_names_case.xlsx", "macro_sheet.xlsx"]
READABLE = ["merged_indicator_block.xlsx", "formulas_and_errors.xlsx", "odd_values.xlsx",
            "hidden_sheets.xlsx", "template_sheets_changed.xlsx"]
COMMANDS = [["dump"], ["fill"], ["add-project", "--name", "新项目"]]
#: every command that reads a workbook to write it
ALL_COMMANDS = [*COMMANDS, ["validate", "--write"], ["consolidate"]]


#: the tree these tests belong to: child processes run its code, whatever is installed
ROOT = Path(__file__).resolve().parents[1]
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}


def _run(command: list[str], path: Path):
    return CliRunner().invoke(cli, [command[0], str(path), *command[1:]])


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unreadable_files_are_refused(corpus, tmp_path, case, command) -> None:
    path = tmp_path / case
    shutil.copy2(corpus[case], path)
    before = path.read_bytes()
    result = _run(command, path)
    assert result.exit_code == 2, result.output
    said = result.stderr.replace("\n", "")  # the console wraps long messages
    assert REFUSED[case] in said and case in said
    if case in SHEETS_AT_RISK:
        assert "为避免" in said and "未读取" in said
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [case]  # no temp, no lock left


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("case", READABLE)
def test_odd_but_readable_files_work(corpus, tmp_path, case, command) -> None:
    path = tmp_path / case
    shutil.copy2(corpus[case], path)
    result = _run(command, path)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    if result.exit_code == 2:
        assert result.stderr.strip()
    if command[0] != "dump" and result.exit_code == 0:
        load_workbook(path)  # whatever was written opens again


def test_odd_values_are_kept_as_written(corpus) -> None:
    from xl_addin.forms.book import read_model

    project = read_model(FileBook(corpus["odd_values.xlsx"])).model.projects[0]
    assert str(project.budget) == "0.40"  # number stored as text
    assert project.fiscal is None and project.written["fiscal"] == "2022-01-01"
    assert str(project.other) == "0.5"  # full-width digits
    assert project.written["mar"] == "二十五"


def test_hidden_project_sheets_still_count(corpus) -> None:
    from xl_addin.forms.book import read_model

    assert len(read_model(FileBook(corpus["hidden_sheets.xlsx"])).model.projects) == 12


def test_read_only_file_is_not_changed(seed_copy) -> None:
    os.chmod(seed_copy, 0o444)
    before = seed_copy.read_bytes()
    result = _run(["fill"], seed_copy)
    if os.access(seed_copy, os.W_OK):  # root ignores the mode: nothing to prove there
        assert result.exit_code in (0, 2)
    else:
        assert result.exit_code == 2 and "只读" in result.stderr
        assert seed_copy.read_bytes() == before


def test_read_only_check_uses_the_mode(seed_copy, monkeypatch) -> None:
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    before = seed_copy.read_bytes()
    result = _run(["add-project", "--name", "X"], seed_copy)
    assert result.exit_code == 2 and "只读" in result.stderr
    assert seed_copy.read_bytes() == before


@pytest.mark.parametrize("lock_name", ["~$book.xlsx", ".~lock.book.xlsx#"])
def test_workbook_open_in_another_program(seed_copy, lock_name) -> None:
    (seed_copy.parent / lock_name).write_text("someone")
    before = seed_copy.read_bytes()
    result = _run(["fill"], seed_copy)
    assert result.exit_code == 2 and "正被" in result.stderr and lock_name in result.stderr
    assert seed_copy.read_bytes() == before
    assert _run(["dump"], seed_copy).exit_code == 0  # reading is fine


def test_second_writer_waits_then_refuses(seed_copy) -> None:
    with WriteLock(seed_copy):
        lock = WriteLock(seed_copy, wait_s=0.3)
        with pytest.raises(Exception, match="另一个命令正在修改"):
            lock.acquire()
    with WriteLock(seed_copy, wait_s=0.3):  # released: free again
        pass


def test_stale_lock_of_a_dead_process_is_taken_over(seed_copy) -> None:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    lock = WriteLock(seed_copy)
    lock.lock.write_text(proc.stdout.strip())
    with WriteLock(seed_copy, wait_s=0.3):
        pass


_HOLD_LOCK = ("import sys, time\n"
              "from pathlib import Path\n"
              "from xl_addin.engines.guards import WriteLock\n"
              "lock = WriteLock(Path(sys.argv[1])).acquire()\n"
              "print('held', flush=True)\n"
              "time.sleep(60)\n")


def _holder(book: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(book)], env=CHILD_ENV,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_lock_held_by_a_live_process_is_never_taken_over(seed_copy) -> None:
    """Whatever the lock file says — empty, as in the instant after another command
    created it and before it wrote its PID, or a PID that no longer runs — a lock a live
    process holds makes the second writer wait and refuse."""
    holder = _holder(seed_copy)
    try:
        lock = WriteLock(seed_copy, wait_s=0.3)
        for content in ("", "0", "999999999"):
            lock.lock.write_text(content)
            with pytest.raises(UserError, match="另一个命令正在修改"):
                lock.acquire()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_lock_of_a_killed_process_is_free(seed_copy) -> None:
    """A command killed while holding the lock (SIGKILL: no clean-up ran) holds nothing."""
    holder = _holder(seed_copy)
    holder.kill()
    holder.wait()
    holder.stdout.close()
    with WriteLock(seed_copy, wait_s=0.3) as lock:
        assert lock.held


def test_killed_during_save_leaves_original_and_backup(seed_copy) -> None:
    """A process killed in the middle of writing: the workbook opens unchanged."""
    before = seed_copy.read_bytes()
    marker = seed_copy.parent / "writing"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from openpyxl.workbook.workbook import Workbook
        from xl_addin.actions.workbook import add_project
        from xl_addin.engines.file import FileBook
        from xl_addin.core.model import Project

        def slow_save(self, filename):
            with open(filename, "wb") as f:
                f.write(b"PK half a workbook")
            Path({str(marker)!r}).write_text("now")
            time.sleep(60)

        Workbook.save = slow_save
        with FileBook.for_update({str(seed_copy)!r}) as book:
            add_project(book, Project(name="半途"))
            book.save()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the writer never reached the save"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    assert seed_copy.read_bytes() == before
    assert backup_path(seed_copy).read_bytes() == before
    assert len(load_workbook(seed_copy).sheetnames) > 12
    # the dead writer's lock does not block the next command
    assert _run(["add-project", "--name", "之后"], seed_copy).exit_code == 0


def test_a_file_over_the_size_limit_is_not_read(seed_copy, monkeypatch) -> None:
    """The size is checked before the file is read into memory."""
    small = replace(limits(), max_file_bytes=1000)
    monkeypatch.setattr("xl_addin.engines.guards.limits", lambda: small)
    before = seed_copy.read_bytes()
    result = _run(["dump"], seed_copy)
    assert result.exit_code == 2 and "超过上限" in result.stderr.replace("\n", "")
    assert seed_copy.read_bytes() == before


def _short_lock_wait(monkeypatch) -> None:
    short = replace(limits(), lock_wait_seconds=0.3)
    monkeypatch.setattr("xl_addin.engines.guards.limits", lambda: short)


@pytest.mark.parametrize("command", [["fill", "-o", "{same}"],
                                     ["validate", "--write", "-o", "{same}"],
                                     ["clear-marks", "-o", "{same}"],
                                     ["consolidate", "-o", "{same}"]], ids=lambda c: c[0])
def test_output_naming_the_input_waits_for_the_lock_then_refuses(seed_copy, monkeypatch,
                                                                 command) -> None:
    """``-o BOOK`` (spelled another way, too) is writing in place: it takes the lock."""
    _short_lock_wait(monkeypatch)
    same = str(seed_copy.parent / "." / seed_copy.name)
    before = seed_copy.read_bytes()
    with WriteLock(seed_copy):
        result = _run([c.format(same=same) for c in command], seed_copy)
    assert result.exit_code == 2 and "另一个命令正在修改" in result.stderr, result.output
    assert seed_copy.read_bytes() == before
    assert sorted(p.name for p in seed_copy.parent.iterdir()) == [seed_copy.name]


def test_output_to_another_file_takes_its_lock(seed_copy, monkeypatch) -> None:
    _short_lock_wait(monkeypatch)
    other = seed_copy.with_name("other.xlsx")
    shutil.copy2(seed_copy, other)
    before = other.read_bytes()
    with WriteLock(other):
        result = _run(["fill", "-o", str(other), "--force"], seed_copy)
    assert result.exit_code == 2 and "另一个命令正在修改" in result.stderr, result.output
    assert other.read_bytes() == before


@pytest.mark.parametrize("lock_name", ["~$other.xlsx", ".~lock.other.xlsx#"])
def test_output_open_in_another_program_is_refused(seed_copy, lock_name) -> None:
    other = seed_copy.with_name("other.xlsx")
    shutil.copy2(seed_copy, other)
    (seed_copy.parent / lock_name).write_text("someone")
    before = other.read_bytes()
    result = _run(["validate", "--write", "-o", str(other)], seed_copy)
    assert result.exit_code == 2 and "正被" in result.stderr and lock_name in result.stderr
    assert other.read_bytes() == before


def _indicator_count(path: Path) -> int:
    from xl_addin.forms.book import read_model

    return sum(len(p.indicators) for p in read_model(FileBook(path)).model.projects)


def test_two_writers_on_one_book_never_lose_a_change(seed_copy, tmp_path) -> None:
    """Two real commands at once on one workbook: each waits for the other's lock, so
    the result holds both (or the second refuses and says so); never two successes of
    which one was silently overwritten."""
    filled_alone = tmp_path / "filled.xlsx"
    assert _run(["fill", "-o", str(filled_alone)], seed_copy).exit_code == 0
    command = [sys.executable, "-m", "xl_addin"]
    args = {"validate": ["validate", "--write", str(seed_copy), "-o", str(seed_copy)],
            "fill": ["fill", str(seed_copy)]}
    procs = {name: subprocess.Popen([*command, *a], env=CHILD_ENV, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
             for name, a in args.items()}
    codes = {name: (proc.wait(60), proc.stderr.read()) for name, proc in procs.items()}
    for proc in procs.values():
        proc.stderr.close()
    assert codes["validate"][0] in (1, 2) and codes["fill"][0] in (0, 2), codes
    refused = [name for name, (code, said) in codes.items() if code == 2]
    assert len(refused) <= 1, codes
    for name in refused:
        assert "另一个命令正在修改" in codes[name][1], codes
    if "validate" not in refused:
        assert "校验结果" in load_workbook(seed_copy).sheetnames
    if "fill" not in refused:
        assert _indicator_count(seed_copy) == _indicator_count(filled_alone)


def test_a_failed_backup_copy_keeps_the_previous_backup(seed_copy, monkeypatch) -> None:
    """A full disk (or a kill) in the middle of writing the backup: the previous backup
    is byte-identical, the workbook too, no temporary file is left."""
    previous = b"PK the previous backup"
    backup_path(seed_copy).write_bytes(previous)
    before = seed_copy.read_bytes()

    def half_then_full(src, dst) -> None:
        dst.write(src.read()[: len(before) // 2])
        raise OSError(28, "No space left on device")

    # raising=False: were the copy step not this function, the save would succeed and
    # the assertions below would say the previous backup was lost
    monkeypatch.setattr("xl_addin.files.atomic._copy", half_then_full, raising=False)
    with pytest.raises(UserError, match="原文件未被改动"):
        FileBook(seed_copy).save()
    assert backup_path(seed_copy).read_bytes() == previous
    assert seed_copy.read_bytes() == before
    assert sorted(p.name for p in seed_copy.parent.iterdir()) == [seed_copy.name,
                                                                 backup_path(seed_copy).name]


def _bounded(max_bytes: int) -> None:
    """In the child: a regression may not fill the disk or the memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _cli(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xl_addin", *args], env=CHILD_ENV, timeout=60,
                          capture_output=True, text=True, preexec_fn=lambda: _bounded(50 << 20))


def test_output_linked_to_a_device_is_refused(seed_copy) -> None:
    link = seed_copy.with_name("out.xlsx")
    link.symlink_to("/dev/zero")
    result = _cli(["fill", str(seed_copy), "-o", str(link)])
    assert result.returncode == 2, result.stderr
    said = result.stderr.replace("\n", "")
    assert "out.xlsx" in said and "符号链接" in said
    assert sorted(p.name for p in seed_copy.parent.iterdir()) == ["book.xlsx", "out.xlsx"]
    assert link.is_symlink()


def test_output_linked_to_a_workbook_is_refused(seed_copy) -> None:
    """Replacing the link would cut it (the linked workbook left unchanged, the user
    told it was written): refused, the link and its workbook as they were.  Reading
    through the link is fine."""
    other = seed_copy.with_name("other.xlsx")
    shutil.copy2(seed_copy, other)
    before = other.read_bytes()
    link = seed_copy.with_name("link.xlsx")
    link.symlink_to(other.name)
    result = _run(["validate", "--write", "-o", str(link)], seed_copy)
    assert result.exit_code == 2 and "符号链接" in result.stderr, result.output
    assert link.is_symlink() and other.read_bytes() == before
    assert not backup_path(link).exists() and not backup_path(other).exists()
    assert _run(["dump"], link).exit_code == 0


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
def test_reading_what_is_not_a_regular_file_is_refused(tmp_path, kind) -> None:
    """A FIFO named x.xlsx never blocks the command, a device is never read into memory."""
    path = tmp_path / "x.xlsx"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = _cli(["dump", str(path)])
    assert result.returncode == 2, result.stderr
    said = result.stderr.replace("\n", "")
    assert "x.xlsx" in said and "不是普通文件" in said
