"""Default indicator rows by project category (the 指标库) and category guessing.

The model-level half of filling defaults: which category a project is, which default
rows its category has in a given frame, and which of them a project still lacks.  All
content — rows, frame recasts, placeholder letters, guessing keywords — is data in
``xl_addin/data/categories.toml``; sheets, workbooks and the CLI build on these calls.
"""

from __future__ import annotations

from xl_addin.library.fill import missing_rows, unmet_requirements
from xl_addin.library.guess import guess_category, refine
from xl_addin.library.placeholders import has_placeholder
from xl_addin.library.store import Library, Recast, load_library

__all__ = [
    "Library",
    "Recast",
    "guess_category",
    "has_placeholder",
    "load_library",
    "missing_rows",
    "refine",
    "unmet_requirements",
]
