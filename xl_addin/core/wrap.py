"""Wrapping Chinese text for a terminal: by display width (a Chinese character takes two
columns), and only where a Chinese reader would accept a line break.

A line may break between two Chinese characters, at a space, and nowhere else: never
inside a run of Latin letters and digits (a project code, “≥95%”, “2022年” keeps its
number), never before closing punctuation (，。”）…) and never after opening punctuation
(“（《).  Rich's own wrapping breaks anywhere between Chinese characters, “。” included,
which is why the findings are wrapped here.
"""

from __future__ import annotations

from rich.cells import cell_len

#: no line begins with one of these: they belong to what comes before them
CLOSING = frozenset("”’）》」』】〕］〉)]}>，。、；：？！,.;:?!…—%·")
#: no line ends with one of these: they belong to what comes after them
OPENING = frozenset("“‘（《「『【〔［〈([{<＝")


def _tokens(text: str) -> list[str]:
    """Spaces, single wide characters, and runs of narrow non-space characters."""
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        if ch.isspace():
            if prev.isspace() and prev:
                out[-1] += " "
            else:
                out.append(" ")
        elif cell_len(ch) == 1 and prev and not prev.isspace() and cell_len(prev[-1]) == 1:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _segments(text: str) -> list[str]:
    """The tokens glued where no break may fall (before closing, after opening
    punctuation); a space stays a segment of its own."""
    out: list[str] = []
    for token in _tokens(text):
        glue = (out and not token.isspace() and not out[-1].isspace()
                and (token[0] in CLOSING or out[-1][-1] in OPENING))
        if glue:
            out[-1] += token
        else:
            out.append(token)
    return out


def _split_wide(segment: str, width: int) -> list[str]:
    """A segment longer than a line, cut by characters (a last resort: a long URL)."""
    parts, current = [], ""
    for ch in segment:
        if current and cell_len(current + ch) > width:
            parts.append(current)
            current = ""
        current += ch
    return [*parts, current] if current else parts


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` display columns; a newline in ``text``
    starts a new line."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for segment in _segments(paragraph):
            if segment.isspace():
                line += " " if line else ""
                continue
            pieces = _split_wide(segment, width) if cell_len(segment) > width else [segment]
            for piece in pieces:
                if line and cell_len(line + piece) > width:
                    lines.append(line.rstrip())
                    line = ""
                line += piece
        lines.append(line.rstrip())
    return lines
