"""The command line: exit codes, Chinese messages, nothing overwritten unasked."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from tests.conftest import SEED
from xl_addin.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_new_then_add_project_then_dump(tmp_path) -> None:
    book = tmp_path / "b.xlsx"
    assert run("new", str(book), "--year", "2023", "--unit", "某街道办事处").exit_code == 0
    r = run("add-project", str(book), "--name", "社区工作经费", "--code", "13030323P00000000001A")
    assert r.exit_code == 0, r.output
    d = json.loads(run("dump", str(book)).stdout)
    assert d["settings"] == {"year": 2023, "unit": "某街道办事处", "frame": "2015",
                             "template_version": "1"}
    [p] = d["projects"]
    assert (p["name"], p["code"], p["unit_line"]) == (
        "社区工作经费", "13030323P00000000001A", "某街道办事处")
    assert run("add-project", str(book), "--name", "社区工作经费").exit_code == 2


def test_new_with_frame_2021(tmp_path) -> None:
    book = tmp_path / "b.xlsx"
    assert run("new", str(book), "--year", "2023", "--unit", "X", "--frame", "2021").exit_code == 0
    assert json.loads(run("dump", str(book)).stdout)["settings"]["frame"] == "2021"


@pytest.mark.parametrize("command", [
    ["new", "{out}", "--year", "2022", "--unit", "X"],
    ["import", str(SEED), "-o", "{out}"],
])
def test_never_overwrites_unasked(tmp_path, command) -> None:
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"user's own file")
    r = run(*[a.format(out=out) for a in command])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert out.read_bytes() == b"user's own file"


def test_add_project_refuses_foreign_workbook(tmp_path) -> None:
    path = tmp_path / "foreign.xlsx"
    Workbook().save(path)
    before = path.read_bytes()
    r = run("add-project", str(path), "--name", "X")
    assert r.exit_code == 2 and "不是由本工具的模板生成" in r.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["dump", "missing.xlsx"], "找不到文件"),
    (["import", "missing.txt", "-o", "x.xlsx"], "找不到文件"),
    (["dump"], "命令用法有误：缺少参数 'BOOK'"),
    (["new", "x.xlsx", "--year", "abc", "--unit", "u"], "不是有效的整数"),
    (["nosuch"], "没有这个命令"),
])
def test_user_mistakes_exit_2_without_traceback(tmp_path, args, message) -> None:
    proc = subprocess.run([sys.executable, "-m", "xl_addin", *args], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_import_of_a_document_without_projects(tmp_path) -> None:
    src = tmp_path / "x.txt"
    src.write_text("第一部分\n部门整体绩效目标\n", encoding="utf-8")
    r = run("import", str(src), "-o", str(tmp_path / "o.xlsx"))
    assert r.exit_code == 2 and "没有找到项目绩效目标表" in r.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_import_docx_via_cli(tmp_path, seed_model) -> None:
    from xl_addin.documents.exporters.docx_writer import write_docx

    docx = tmp_path / "seed.docx"
    write_docx(seed_model, docx)
    out = tmp_path / "o.xlsx"
    assert run("import", str(docx), "-o", str(out)).exit_code == 0
    d = json.loads(run("dump", str(out)).stdout)
    assert len(d["projects"]) == 12 and d["settings"]["year"] == 2022


def test_every_command_is_documented_in_the_readme() -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"xl-addin {name}" not in readme]
    assert missing == []


def test_every_command_is_loaded_from_the_module_the_table_names() -> None:
    from xl_addin.cli import app as cli_module

    for module in set(cli_module._COMMANDS.values()):
        importlib.import_module(f"xl_addin.cli.{module}")
    assert set(cli.commands) == set(cli_module._COMMANDS)
    assert all(cmd.callback.__module__ == f"xl_addin.cli.{cli_module._COMMANDS[name]}"
               for name, cmd in cli.commands.items())


@pytest.mark.parametrize("module", ["xl_addin.cli.app", "xl_addin.cli.review"])
def test_the_review_command_starts_without_openpyxl_or_pandas(module) -> None:
    """Commands load lazily; the review needs neither library (its output is streamed)."""
    loaded = subprocess.run(
        [sys.executable, "-c", f"import {module}, sys; "
         "print(*[m for m in ('openpyxl', 'pandas') if m in sys.modules])"],
        capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


@pytest.mark.parametrize("command", [
    ["validate", "{book}", "--write", "-o", "{out}"],
    ["fill", "{book}", "-o", "{out}"],
    ["consolidate", "{book}", "-o", "{out}"],
    ["clear-marks", "{book}", "-o", "{out}"],
    ["consolidate", "{book}", "--csv", "{out}"],
])
def test_an_existing_other_output_needs_force(seed_copy, tmp_path, command) -> None:
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"user's own file")
    before = seed_copy.read_bytes()
    args = [a.format(book=seed_copy, out=out) for a in command]
    r = run(*args)
    assert r.exit_code == 2 and "已存在" in r.stderr and "--force" in r.stderr
    assert out.read_bytes() == b"user's own file" and seed_copy.read_bytes() == before
    assert run(*args, "--force").exit_code in (0, 1)
    assert out.read_bytes() != b"user's own file"


@pytest.mark.parametrize("command", [
    ["validate", "{book}", "--write", "-o", "{book}"],
    ["fill", "{book}", "-o", "{book}"],
    ["consolidate", "{book}", "-o", "{book}", "--csv", "{csv}"],
    ["consolidate", "{book}", "--csv", "{csv}"],  # its own earlier export: replaced
])
def test_the_book_itself_and_an_earlier_export_need_no_force(seed_copy, tmp_path,
                                                             command) -> None:
    csv_path = tmp_path / "汇总.csv"
    assert run("consolidate", str(seed_copy), "--csv", str(csv_path)).exit_code == 0
    r = run(*[a.format(book=seed_copy, csv=csv_path) for a in command])
    assert r.exit_code in (0, 1), r.stderr
