"""Shared fixtures: the seed document, imported once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xl_addin.actions.workbook import import_document
from xl_addin.core.model import WorkbookModel
from xl_addin.documents.importers.published import interpret
from xl_addin.documents.importers.text_reader import read_text
from xl_addin.engines.file import FileBook

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed.txt"


@pytest.fixture(scope="session")
def seed_model() -> WorkbookModel:
    """The seed as read from its text form (no workbook involved)."""
    return interpret(read_text(SEED.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def seed_book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed imported into a workbook once; tests copy it before changing it."""
    out = tmp_path_factory.mktemp("seed") / "seed.xlsx"
    import_document(SEED, out).save(backup=False)
    return out


@pytest.fixture(scope="session")
def corpus(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bad-input corpus (tests/corpus.py), made once per session."""
    from tests.corpus import make_corpus

    return make_corpus(seed_book_path, tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def sample_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The sample documents A–E (tests/documents.py) in every format, {key: {format:
    path}}, made once per session (LibreOffice runs three times in all)."""
    from tests.documents import render

    return render(tmp_path_factory.mktemp("documents"))


@pytest.fixture
def seed_copy(seed_book_path: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "book.xlsx"
    shutil.copy2(seed_book_path, dst)
    return dst


@pytest.fixture
def seed_book(seed_copy: Path) -> FileBook:
    return FileBook(seed_copy)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test proves nothing: the suite fails when any test was skipped."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(f"{len(skipped)} test(s) skipped: every test must run here.",
                            red=True)
        session.exitstatus = 1
