"""Issue 13: the add-in built from a wheel install, built twice to the same bytes, and
installed with the interpreter that runs ``xl-addin install``.

The wheel test installs the package as a user would and builds from there, with nothing
of the source checkout in reach:

- the wheel is built from a *copy* of the project's files (``pip wheel --no-deps``, so a
  stale ``build/`` folder of the checkout cannot leak into it);
- it is installed into a fresh venv made without pip (``python -m venv --without-pip``)
  by the project venv's pip (``pip --python FRESH install --no-deps --no-index``), which
  also writes the ``xl-addin`` console script;
- the fresh venv finds the dependencies (openpyxl, click, …) through one ``.pth`` file
  naming the project venv's site-packages.  A directory added by a ``.pth`` line is not
  itself scanned for ``.pth`` files, so the editable install's finder of the project venv
  is never loaded, and the fresh venv's own site-packages (with the wheel) comes first;
- ``xl-addin build-addin`` then runs from a folder outside the repository, without
  ``PYTHONPATH``; the test checks where ``xl_addin`` was imported from.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner
from setuptools import find_namespace_packages

from xl_addin.addin import parts, reproducible
from xl_addin.addin.build import bridge_dir, build_addin, interpreter, modules
from xl_addin.addin.vba_export import export_vba
from xl_addin.cli import cli

ROOT = Path(__file__).resolve().parents[1]
#: what a wheel is built from (everything ``pyproject.toml`` names)
PROJECT_FILES = ("pyproject.toml", "README.md", "xl_addin", "vba_bridge")
FIELDS = ("CMG", "DPB", "GC")


def _run(args: list[str], cwd: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in PROJECT_FILES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, src / name)
    run = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                str(work / "dist"), str(src)], cwd=work)
    assert run.returncode == 0, run.stderr[-3000:]
    (found,) = (work / "dist").glob("xl_addin-*.whl")
    return found


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the wheel; its dependencies come from the project venv."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    assert run.returncode == 0, run.stderr
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                "--no-deps", "--no-index", str(wheel)], cwd=venv.parent)
    assert run.returncode == 0, run.stderr[-3000:]
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=venv.parent).stdout.strip()
    (Path(purelib) / "project_deps.pth").write_text(sysconfig.get_path("purelib") + "\n",
                                                     encoding="utf-8")
    return python


def test_pyproject_lists_every_package_folder() -> None:
    """The packages are listed by hand (the vba_bridge mapping needs it): a new folder
    under xl_addin/ left out of the list would be missing from every wheel."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["packages"]
    on_disk = set(find_namespace_packages(where=str(ROOT), include=["xl_addin*"],
                                          exclude=["*.__pycache__"]))
    assert set(listed) == on_disk | {"xl_addin.vba_bridge"}


def test_the_wheel_carries_the_add_in_sources(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for source in sorted((ROOT / "vba_bridge").iterdir()):
            if source.suffix in (".bas", ".xml"):
                assert z.read(f"xl_addin/vba_bridge/{source.name}") == source.read_bytes()
        for data in sorted((ROOT / "xl_addin").rglob("*.toml")):
            assert data.relative_to(ROOT).as_posix() in names


def test_build_addin_from_a_wheel_install(fresh: Path, tmp_path: Path) -> None:
    where = _run([str(fresh), "-c", "import xl_addin; print(xl_addin.__file__)"], cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(fresh.parents[1]), where.stdout
    script = fresh.with_name("xl-addin.exe" if os.name == "nt" else "xl-addin")
    run = _run([str(script), "build-addin", "-o", "out"], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    built = tmp_path / "out" / "xl_addin.xlam"
    with zipfile.ZipFile(built) as z:
        vba = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    streams = {"/".join(s) for s in vba.listdir()}
    assert {f"VBA/{name}" for name, _ in modules()} <= streams
    # the same sources, so the same bytes as a build from the checkout
    assert built.read_bytes() == build_addin(tmp_path / "here").read_bytes()


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    first = build_addin(tmp_path / "a").read_bytes()
    second = build_addin(tmp_path / "b").read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def _project(vba_project_bin: bytes) -> bytes:
    return olefile.OleFileIO(io.BytesIO(vba_project_bin)).openstream("PROJECT").read()


def _field(project: bytes, name: str) -> bytes:
    match = re.search(rb"^" + name.encode() + rb'="([0-9A-F]+)"', project, re.MULTILINE)
    assert match is not None, name
    return bytes.fromhex(match[1].decode())


@pytest.fixture(scope="module")
def exported() -> bytes:
    """LibreOffice's own VBA project, before normalising."""
    return export_vba(modules())


def test_normalise_changes_only_the_random_bits(exported: bytes) -> None:
    normalised = reproducible.normalise(exported, b"seed")
    before, after = (olefile.OleFileIO(io.BytesIO(b)) for b in (exported, normalised))
    assert before.listdir(storages=True) == after.listdir(storages=True)
    for path in before.listdir():
        if path != ["PROJECT"]:
            assert before.openstream(path).read() == after.openstream(path).read(), path
    old, new = _project(exported), _project(normalised)
    new_id = re.search(rb'^ID="(\{[0-9A-F-]{36}\})"', new, re.MULTILINE)[1]
    for name in FIELDS:
        old_data, _ = reproducible.decrypt(_field(old, name))
        new_data, key = reproducible.decrypt(_field(new, name))
        assert new_data == old_data, name
        assert key == reproducible.project_key(new_id), name
    strip = re.compile(rb'^(ID|CMG|DPB|GC)=.*$', re.MULTILINE)
    assert strip.sub(b"", old) == strip.sub(b"", new)
    assert reproducible.normalise(exported, b"other") != normalised


@pytest.mark.parametrize("data", [b"\x00\x00\x00\x00", b"\x00", b"\xff", bytes(range(29))])
def test_field_encryption_round_trips(data: bytes) -> None:
    for seed in range(256):
        blob = reproducible.encrypt(data, seed, 0x5A)
        assert len(blob) == 3 + (seed & 6) // 2 + 4 + len(data)
        assert reproducible.decrypt(blob) == (data, 0x5A)


INSTALLED_PYTHON = r"C:\Users\kj\AppData\Local\Programs\Python\Python311\pythonw.exe"


def test_install_writes_the_named_interpreter(tmp_path: Path) -> None:
    built = build_addin(tmp_path / "dist")
    result = CliRunner().invoke(cli, ["install", str(built), "--folder", str(tmp_path / "xl"),
                                      "--python", INSTALLED_PYTHON])
    assert result.exit_code == 0, result.output
    installed = tmp_path / "xl" / "xl_addin.xlam"
    assert parts.read_conf(installed.read_bytes())["INTERPRETER_WIN"] == INSTALLED_PYTHON
    assert INSTALLED_PYTHON in "".join(result.output.split())
    with zipfile.ZipFile(installed) as new, zipfile.ZipFile(built) as old:
        assert new.read("xl/vbaProject.bin") == old.read("xl/vbaProject.bin")


@pytest.mark.skipif(sys.platform == "win32", reason="this Python is a python.exe there")
def test_install_refuses_a_python_the_launcher_cannot_start(tmp_path: Path) -> None:
    """Here the running Python is not a python.exe: installing it would give an add-in
    whose buttons refuse to start, so nothing is written."""
    built = build_addin(tmp_path / "dist")
    result = CliRunner().invoke(cli, ["install", str(built), "--folder", str(tmp_path / "xl")])
    assert result.exit_code == 2
    assert "不是python.exe或pythonw.exe" in "".join(result.output.split())
    assert not (tmp_path / "xl").exists()


@pytest.mark.parametrize("executable, siblings, expected", [
    ("python.exe", ["python.exe", "pythonw.exe"], "pythonw.exe"),
    ("python.exe", ["python.exe"], "python.exe"),
    ("pythonw.exe", ["pythonw.exe"], "pythonw.exe"),
    ("python3.11", ["python3.11", "pythonw.exe"], "python3.11"),
])
def test_install_prefers_the_windowless_python(executable, siblings, expected,
                                               tmp_path: Path) -> None:
    """A real folder with the files a Python installation has beside its python.exe."""
    for name in siblings:
        (tmp_path / name).write_bytes(b"")
    assert interpreter(str(tmp_path / executable)) == str(tmp_path / expected)


def test_build_addin_says_install_is_the_supported_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build-addin", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert "xl-addininstall" in said and "MicrosoftStore" in said


def test_bridge_is_read_as_package_data() -> None:
    assert (bridge_dir() / "customUI14.xml").read_bytes() == (
        ROOT / "vba_bridge" / "customUI14.xml").read_bytes()


@pytest.mark.parametrize("size", [0, 63, 4095, 4096, 70_000])
def test_compound_file_holds_streams_of_any_size(exported: bytes, size: int) -> None:
    """The layout :func:`reproducible.normalise` writes, read back by olefile: one stream
    in the mini stream, in regular sectors (from 4096 bytes), spanning several FAT
    sectors' worth of chains, or empty."""
    ole = olefile.OleFileIO(io.BytesIO(exported))
    ole.directory_fp.seek(0)
    raw = ole.directory_fp.read()
    entries = [e for e in ole.direntries if e is not None]
    streams = {e.sid: ole.openstream(p).read() for p in ole.listdir()
               for e in entries if e.name == p[-1]}
    big = next(e.sid for e in entries if e.name == "Launcher")
    streams[big] = bytes(i % 251 for i in range(size))
    rebuilt = olefile.OleFileIO(io.BytesIO(reproducible.compound_file(
        [raw[i * 128:(i + 1) * 128] for i in range(len(entries))], streams)))
    for path in ole.listdir():
        sid = next(e.sid for e in entries if e.name == path[-1])
        assert rebuilt.openstream(path).read() == streams[sid], path
