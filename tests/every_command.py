"""Runs one corpus case through every command that reads a workbook, in one process, and
prints one JSON line per command (its exit code, what it said, how long it took).

    python -m tests.every_command CASE SEED WORKDIR

The case is made fresh by its maker from ``tests.corpus.ROUND_TWO`` (a FIFO or a device
cannot be copied); a command that writes in place (add-project) gets a case of its own.
A command that runs past ``STEP_LIMIT_S`` is reported as hung and the process ends at
once: a hang must show which command it was, not only that the test timed out.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tests.corpus import ROUND_TWO
from xl_addin.cli import cli

STEP_LIMIT_S = 60

#: every command that reads a workbook: {book} the case, {out} a folder for outputs,
#: {own} a case made for this command alone (written in place), {folder} the case's folder
COMMANDS: dict[str, list[str]] = {
    "dump": ["dump", "{book}"],
    "validate": ["validate", "{book}"],
    "validate --json": ["validate", "{book}", "--json"],
    "validate --write": ["validate", "{book}", "--write", "-o", "{out}/validated.xlsx"],
    "fill": ["fill", "{book}", "-o", "{out}/filled.xlsx"],
    "consolidate --csv": ["consolidate", "{book}", "-o", "{out}/consolidated.xlsx",
                          "--csv", "{out}/summary.csv"],
    "accept --list": ["accept", "{book}", "--list"],
    "clear-marks": ["clear-marks", "{book}", "-o", "{out}/cleared.xlsx"],
    "submit": ["submit", "{book}", "-o", "{out}/submission"],
    "review": ["review", "{folder}", "-o", "{out}/review.xlsx"],
    "add-project": ["add-project", "{own}", "--name", "新项目"],
    "next-year": ["next-year", "{book}", "-o", "{out}/next.xlsx", "--year", "2023"],
    "drop-project": ["drop-project", "{own}", "车辆保险费"],
    "drop-project --unticked": ["drop-project", "{own}", "--unticked"],
}


def state(path: Path) -> tuple:
    """What a command must leave as it was: the kind of file and, for a regular file, its
    bytes (a symlink is followed only to name its target)."""
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(st.st_mode):
        return ("file", path.read_bytes())
    return ("other", stat.S_IFMT(st.st_mode))


def _hung(signum: int, frame: object) -> None:
    print(json.dumps({"hung": True}), flush=True)
    os._exit(124)


def run(case: str, seed: Path, work: Path) -> None:
    folder, out, own = work / "case", work / "out", work / "own"
    for d in (folder, out, own):
        d.mkdir(parents=True)
    book = folder / case
    ROUND_TWO[case].make(seed, book)
    before = state(book)
    signal.signal(signal.SIGALRM, _hung)
    for label, command in COMMANDS.items():
        target = own / label / case  # a case of its own for each command that writes it
        if "{own}" in command:
            target.parent.mkdir()
            ROUND_TWO[case].make(seed, target)
        args = [a.format(book=book, out=out, own=target, folder=folder) for a in command]
        print(json.dumps({"command": label}, ensure_ascii=False), flush=True)
        signal.alarm(STEP_LIMIT_S)
        started = time.monotonic()
        result = CliRunner().invoke(cli, args)
        signal.alarm(0)
        print(json.dumps({
            "exit": result.exit_code,
            # validate --json whole: the test reads its findings
            "stdout": result.stdout if label == "validate --json" else result.stdout[-3000:],
            "stderr": result.stderr[-3000:],
            "seconds": round(time.monotonic() - started, 2),
            "input_unchanged": state(book) == before,
            "left_beside_input": sorted(p.name for p in folder.iterdir() if p.name != case),
        }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    run(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
