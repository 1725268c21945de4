"""A step's progress on stderr: one line a step, kept up to date in a terminal.

In a terminal the line is rewritten in place (``\\r``) as the step goes on (the file it
is on, the seconds used), so a long LibreOffice run is never a silent wait; into a pipe
or a log only the step's first line is written, once, so a log reads one line a step.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Ticker:
    """The progress line of one step (``with Ticker(...) as t: t.update(...)``)."""

    def __init__(self, text: str, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.live = _is_terminal(self.stream)
        self.text = text

    def __enter__(self) -> Ticker:
        self._write(self.text, final=not self.live)
        return self

    def update(self, text: str) -> None:
        """Show ``text`` in place of the line (only in a terminal)."""
        if self.live and text != self.text:
            self.text = text
            self._write(text, final=False)

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self._write(self.text, final=True)

    def _write(self, text: str, *, final: bool) -> None:
        try:
            self.stream.write(f"\r\x1b[2K{text}" if self.live else text)
            if final:
                self.stream.write("\n")
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: progress is not worth failing
            pass


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
