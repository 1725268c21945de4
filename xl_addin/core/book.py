"""The ``Book`` protocol every engine implements."""

from __future__ import annotations

from typing import Protocol

from xl_addin.core.grid import Grid
from xl_addin.core.patch import CellState, Patch


class Book(Protocol):
    """A workbook as the actions see it: sheets read in one block, changes in one patch."""

    def sheet_names(self) -> list[str]:
        """All sheets in order, hidden ones included."""
        ...

    def is_hidden(self, sheet: str) -> bool: ...

    def read(self, sheet: str) -> Grid:
        """The sheet's values and merged ranges, read in one block."""
        ...

    def apply(self, patch: Patch) -> None:
        """Apply every change of ``patch`` (in as few calls as the engine allows)."""
        ...

    def copy_sheet(self, source: str, new_name: str, before: str | None = None) -> None:
        """Copy ``source`` (formats, merges, dropdowns, protection) as a visible sheet."""
        ...

    def cell_states(
        self, sheet: str, cells: list[tuple[int, int]]
    ) -> dict[tuple[int, int], CellState]:
        """Fill and note of the given cells (what a validation mark would replace)."""
        ...

    def defined_name(self, name: str) -> str | None:
        """The text of a workbook-level defined name, or None."""
        ...
