"""A finding: one thing wrong in a workbook, as data.

The fields follow ``shared/domain/finding-types.md``; tools outside the package rely on
``type``, ``severity``, ``indicator``, ``field``, ``sheet``, ``cell``, ``project_code``
and ``project_name``, so those names never change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    type: str
    code: str
    severity: Severity
    message: str
    sheet: str = ""
    cell: str = ""
    project_code: str = ""
    project_name: str = ""
    indicator: str = ""
    field: str = ""
    suggestion: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)
