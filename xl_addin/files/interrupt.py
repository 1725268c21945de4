"""Ctrl-C and SIGTERM end a command cleanly: as an exception, never mid-write.

Python turns SIGINT into ``KeyboardInterrupt`` but lets SIGTERM (what ``kill``, a
scheduler or a closing session sends) end the process on the spot, leaving the write
lock, the ``.~name.….tmp`` file being written and the staging folder behind.  While a
command runs, both raise ``Interrupted`` instead, so every ``finally`` and ``with``
removes what it made, and the command line says what was and was not changed.

A few steps must not be cut in two (a rename that puts a finished file in place, the
taking of a lock together with noting it is ours); ``shielded`` holds a signal back until
the step is done.  What a command has put in place before an interruption is noted
(``saved``), so the message never says "nothing changed" when something was.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

STOPPING = (signal.SIGTERM, signal.SIGINT)


class Interrupted(KeyboardInterrupt):
    """SIGTERM (or Ctrl-C) while a command runs: it unwinds as Ctrl-C does, so the
    command line says 已中断 and nothing is left behind."""


class Signals:
    """The handler of SIGTERM and SIGINT while a command runs.  While ``committing`` a
    signal is held back (``pending``) and raised when the step ends (``shielded``);
    ``staging.publish`` sets it for its renames and keeps it set: stopping halfway would
    leave some files new and some old, and the renames take microseconds."""

    def __init__(self) -> None:
        self.committing = False
        self.pending: int | None = None
        #: files put in place since the handler was installed
        self.saved: list[Path] = []

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        if self.committing:
            self.pending = signum
            return
        raise Interrupted(signum)


@contextmanager
def signals_unwind() -> Iterator[Signals]:
    """Install ``Signals`` for the block and restore the previous handlers after it.
    Python lets only the main thread set handlers; elsewhere signals act as before."""
    handler = Signals()
    if threading.current_thread() is not threading.main_thread():
        yield handler
        return
    previous = {s: signal.signal(s, handler) for s in STOPPING}
    try:
        yield handler
    finally:
        for s, old in previous.items():
            signal.signal(s, old if old is not None else signal.SIG_DFL)


def _current() -> Signals | None:
    handler = signal.getsignal(signal.SIGTERM)
    return handler if isinstance(handler, Signals) else None


@contextmanager
def shielded() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back for the block, then raise the one that came.
    Outside a command (no ``Signals`` installed, or not the main thread) it does nothing."""
    handler = _current() if threading.current_thread() is threading.main_thread() else None
    if handler is None or handler.committing:
        yield
        return
    handler.committing = True
    try:
        yield
    finally:
        handler.committing = False
        signum, handler.pending = handler.pending, None
    if signum is not None:
        raise Interrupted(signum)


def note_saved(path: Path) -> None:
    """Note that ``path`` was put in place (for the message if the command is stopped)."""
    handler = _current()
    if handler is not None:
        handler.saved.append(path)


def saved() -> list[Path]:
    """The files put in place since the running command's handler was installed."""
    handler = _current()
    return list(handler.saved) if handler is not None else []
