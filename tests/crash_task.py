"""A stand-in review task for the tests: it kills its worker on a file whose name holds
"crash" — the process ends without a word, as when the reading library crashes or the
system's memory killer strikes.  Importable by spawned workers (a module, not a test)."""

from __future__ import annotations

import os
from pathlib import Path

from xl_addin.actions.review import FileReview, review_batch
from xl_addin.rules.profiles import Profile


def crashing_batch(paths: list[str], root: str, profile: Profile | None = None,
                   reuse: bool = True) -> list[FileReview]:
    if any("crash" in Path(p).name for p in paths):
        os._exit(70)
    return review_batch(paths, root, profile, reuse)
