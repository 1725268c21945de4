"""Round two of the bad-input corpus through every command that reads a workbook: each
answers with exit 0, 1 or 2 (never 3, the code of a bug), never hangs, never a traceback,
and leaves the input as it was with nothing beside it.  A refused case says why in every
command and is listed by ``review``; a read case's problem is a finding of ``validate``.

Each case runs in a child process of its own (``tests/every_command.py``), which reports
a command that hangs by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus import ROUND_TWO
from tests.every_command import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
#: the whole case, every command: beyond this the child is killed and the test fails
CASE_LIMIT_S = 600


def _steps(case: str, seed: Path, work: Path) -> dict[str, dict]:
    proc = subprocess.run([sys.executable, "-m", "tests.every_command", case, str(seed),
                           str(work)], cwd=ROOT, env=CHILD_ENV, capture_output=True,
                          text=True, timeout=CASE_LIMIT_S, check=False)
    steps: dict[str, dict] = {}
    label = ""
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        if "command" in record:
            label = record["command"]
        elif record.get("hung"):
            pytest.fail(f"{case}: “{label}” still ran after its limit")
        else:
            steps[label] = record
    assert list(steps) == list(COMMANDS), proc.stderr[-3000:]
    return steps


@pytest.mark.parametrize("case", sorted(ROUND_TWO))
def test_every_command_answers_and_keeps_the_input(case, seed_book_path, tmp_path) -> None:
    steps = _steps(case, seed_book_path, tmp_path)
    expected = ROUND_TWO[case]
    for label, step in steps.items():
        said = step["stdout"] + step["stderr"]
        assert step["exit"] in (0, 1, 2), (label, said)
        assert "Traceback" not in said and "内部错误" not in said, (label, said)
        assert step["input_unchanged"], label
        assert step["left_beside_input"] == [], label
        if expected.refused:
            if label == "review":  # a folder's unreadable file is listed, the rest reviewed
                assert case in said, said
            else:
                assert step["exit"] == 2, (label, said)
                flat = step["stderr"].replace("\n", "")  # a console may wrap the message
                assert expected.says in flat and case in flat, (label, said)
    if not expected.refused and expected.says:
        findings = json.loads(steps["validate --json"]["stdout"])["findings"]
        assert any(expected.says in (f["code"], f["type"]) for f in findings), findings
