"""Every engine reads the same workbook into the same model."""

from __future__ import annotations

import pytest

from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.file import FileBook
from xl_addin.engines.memory import MemoryBook
from xl_addin.layout.book import read_model
from xl_addin.serialize import contents_dict

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
    from xl_addin.patch import Patch

    with pytest.raises(NotImplementedError):
        CalamineBook(seed_book_path).apply(Patch())
