"""Every engine reads the same workbook into the same model."""

from __future__ import annotations

import pytest

from tests.corpus import CASES
from xl_addin.actions.serialize import contents_dict
from xl_addin.actions.summary import row_totals, summary_rows
from xl_addin.core.errors import UserError
from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.file import FileBook
from xl_addin.engines.memory import MemoryBook
from xl_addin.forms.book import project_sheet_names, read_model

READABLE = ["merged_indicator_block.xlsx", "odd_values.xlsx", "hidden_sheets.xlsx",
            "template_sheets_changed.xlsx"]


def _dumps(path) -> list[dict]:
    file_book = FileBook(path)
    return [contents_dict(read_model(b)) for b in
            (file_book, CalamineBook(path), MemoryBook.from_book(file_book))]


def test_seed_reads_the_same_on_every_engine(seed_book_path) -> None:
    file_, calamine, memory = _dumps(seed_book_path)
    assert calamine == file_ and memory == file_


@pytest.mark.parametrize("case", READABLE)
def test_odd_workbooks_read_the_same(corpus, case) -> None:
    file_, calamine, _ = _dumps(corpus[case])
    assert calamine == file_


def test_calamine_is_read_only(seed_book_path) -> None:
    from xl_addin.core.patch import Patch

    with pytest.raises(NotImplementedError):
        CalamineBook(seed_book_path).apply(Patch())


def _outcome(engine, path) -> tuple[str, object]:
    """What an engine makes of a file: its refusal, or the project sheets, each
    project's identity and the money totals (read as the review and consolidate do)."""
    try:
        book = engine(path)
        contents = read_model(book)
    except UserError as exc:
        return "refused", exc.message
    model = contents.model
    totals = row_totals(summary_rows(model), model.settings.frame)
    projects = [(p.sheet, p.name, p.code, p.budget, p.fiscal, p.other) for p in model.projects]
    return "read", (project_sheet_names(book), projects,
                    {k: totals[k] for k in ("预算数", "财政资金", "其他资金")})


@pytest.mark.parametrize("case", ["seed", *sorted(CASES)])
def test_calamine_and_openpyxl_agree_or_both_refuse(corpus, seed_book_path, case) -> None:
    """The batch review (calamine) and every other command (openpyxl) must never see
    different projects or different money in one file: both read it the same, or both
    refuse it with the same message."""
    path = seed_book_path if case == "seed" else corpus[case]
    assert _outcome(CalamineBook, path) == _outcome(FileBook, path)


def test_fill_inserts_rows_alike_in_memory_and_in_the_file(seed_book_path) -> None:
    """Rows inserted between the user's (the seed's missing cost row) read the same."""
    from xl_addin.actions.fill import fill_book
    from xl_addin.rules.profiles import load as load_profile

    file_book = FileBook(seed_book_path)
    memory = MemoryBook.from_book(file_book)
    for book in (file_book, memory):
        fill_book(book, load_profile("2015"))
    assert contents_dict(read_model(memory)) == contents_dict(read_model(file_book))
