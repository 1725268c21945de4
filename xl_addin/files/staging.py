"""Where ``submit`` makes its files, and how they reach the output folder.

The files are made in a private folder in the system's temporary area (mode 0700,
named after the process), never inside the output folder: that folder is what the
finance bureau's ``review`` reads, and a half-made submission there would be counted as
a unit.  The folder goes on every exit: an exception, Ctrl-C, and SIGTERM too (turned
into an exception while it is in use, so every ``finally`` runs and LibreOffice is
killed).  A folder left by a process that was killed outright (SIGKILL, a power cut)
is removed by the next submission, once its process no longer runs.

``publish`` then copies each file next to its target under a name ``review`` skips
(``.~<name>.<random>.tmp``) and renames them all only when all are there, so a failure
leaves the output folder as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from xl_addin.files.atomic import mode_for
from xl_addin.files.interrupt import Interrupted, Signals, note_saved, shielded, signals_unwind

__all__ = ["PREFIX", "Interrupted", "Signals", "publish", "remove_stale", "staging_folder"]

PREFIX = "xl-addin-submit-"


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (a process of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(root: Path) -> None:
    """Remove the staging folders in ``root`` whose process no longer runs.  Only on
    POSIX: Windows' ``os.kill`` would end the process instead of probing it."""
    if os.name != "posix":
        return
    pattern = re.compile(rf"{re.escape(PREFIX)}(\d+)-")
    for path in root.glob(f"{PREFIX}*"):
        found = pattern.match(path.name)
        if found is None or _running(int(found[1])):
            continue
        with suppress(OSError):
            if path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid():
                shutil.rmtree(path)


@contextmanager
def staging_folder() -> Iterator[tuple[Path, Signals]]:
    """A new private folder for the block, removed after it whatever happens; SIGTERM
    and SIGINT raise ``Interrupted`` inside the block."""
    root = Path(tempfile.gettempdir())
    remove_stale(root)
    with signals_unwind() as signals:
        path: Path | None = None
        try:
            with shielded():  # made and named at once: an interruption finds it to remove
                path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
            yield path, signals
        finally:
            if path is not None:
                shutil.rmtree(path, ignore_errors=True)


def _copy_beside(src: Path, dst: Path) -> Path:
    """``src`` copied, flushed to disk, into ``dst``'s folder under a name review skips."""
    tmp: Path | None = None
    try:
        with shielded():  # made and named at once: an interruption finds it to remove
            fd, name = tempfile.mkstemp(prefix=f".~{dst.name}.", suffix=".tmp", dir=dst.parent)
            tmp = Path(name)
        with os.fdopen(fd, "wb") as out, src.open("rb") as data:
            shutil.copyfileobj(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode_for(dst))
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    return tmp


def publish(pairs: Sequence[tuple[Path, Path]], signals: Signals) -> None:
    """Put each made file (source, target) in place, all or none: on a failure the
    temporary copies are removed, and so is a target folder this call created."""
    folder = pairs[0][1].parent
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []
    try:
        for src, dst in pairs:
            temps.append(_copy_beside(src, dst))
        signals.committing = True
        for tmp, (_src, dst) in zip(temps, pairs, strict=True):
            os.replace(tmp, dst)
            note_saved(dst)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        if created:
            with suppress(OSError):
                folder.rmdir()
        raise
