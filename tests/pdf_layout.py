"""Checks of a rendered page from its PDF text layer with positions (pdfplumber).

What a clerk sees on paper fails in three ways a text search misses: text printed off
the page (cut at an edge), text printed over other text (a row too short for its
wrapped lines lets them run into the next row), and the footer drawn outside the band
LibreOffice gives it (cut in half).  Each check returns what is wrong, as text, so a
failing test says where.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

A4 = (595.3, 841.9)  # points
TOLERANCE = 0.5  # points: rounding of glyph boxes


def words(page) -> list[dict]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=False)


def outside_page(page) -> list[str]:
    """Characters whose box leaves the paper."""
    w, h = page.width, page.height
    return [f"“{c['text']}” at ({c['x0']:.1f}, {c['top']:.1f})" for c in page.chars
            if c["x0"] < -TOLERANCE or c["x1"] > w + TOLERANCE
            or c["top"] < -TOLERANCE or c["bottom"] > h + TOLERANCE]


def overlapping_lines(page) -> list[str]:
    """Pairs of characters on different lines whose boxes meet: two lines of text
    printed over each other.  Characters side by side on one line (tops within 1 pt)
    never count.  Compared glyph by glyph: at a fitted sheet's scale, words of
    neighbouring cells run together."""
    found = []
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["top"])
    for i, a in enumerate(chars):
        for b in chars[i + 1:]:
            if b["top"] >= a["bottom"] - TOLERANCE:  # sorted: no later one can meet ``a``
                break
            if b["top"] - a["top"] <= 1:
                continue
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > TOLERANCE:
                found.append(f"“{a['text']}” over “{b['text']}” near "
                             f"({a['x0']:.1f}, {a['top']:.1f})")
    return found


def footer_words(page) -> list[dict]:
    """The words of the page-number footer (第 N 页，共 M 页): the page's lowest line."""
    ws = words(page)
    if not ws:
        return []
    lowest = max(w["top"] for w in ws)
    line = [w for w in ws if abs(w["top"] - lowest) <= 1]
    return line if "页" in "".join(w["text"] for w in line) else []


def footer_problems(page, bottom_in: float, footer_in: float) -> list[str]:
    """The footer missing, or leaving the band LibreOffice draws it in: from the bottom
    margin down to the footer margin (inches, as the sheet states them); outside that
    band its glyphs are clipped."""
    line = footer_words(page)
    if not line:
        return ["no page-number footer"]
    top_limit = page.height - bottom_in * 72 - TOLERANCE
    bottom_limit = page.height - footer_in * 72 + TOLERANCE
    return [f"footer “{w['text']}” spans y {w['top']:.1f}–{w['bottom']:.1f}, outside "
            f"{top_limit:.1f}–{bottom_limit:.1f}" for w in line
            if w["top"] < top_limit or w["bottom"] > bottom_limit]


def flat(page) -> str:
    """The page's text without any white space (wrapped cells read whole)."""
    return "".join((page.extract_text() or "").split())


def page_problems(pdf: Path, *, margins: tuple[float, float] | None = None,
                  header: tuple[str, ...] = ()) -> list[str]:
    """Everything wrong with every page of ``pdf``: not A4, text off the page, lines
    over each other, the footer clipped (``margins``: bottom and footer, inches), the
    table's ``header`` labels not all on a page (not fitted to width, or not repeated)."""
    problems = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            where = f"{pdf.name} p.{n}"
            size = sorted((round(page.width), round(page.height)))
            if size != sorted(round(v) for v in A4):
                problems.append(f"{where}: page {page.width:.0f}×{page.height:.0f} is not A4")
            problems += [f"{where}: off the page: {p}" for p in outside_page(page)[:3]]
            problems += [f"{where}: overlap: {p}" for p in overlapping_lines(page)[:3]]
            if margins is not None:
                problems += [f"{where}: {p}" for p in footer_problems(page, *margins)]
            text = flat(page)
            problems += [f"{where}: header “{h}” not on the page" for h in header
                         if h not in text]
    return problems


def pages_text(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [flat(page) for page in doc.pages]


def text_lines(pdf: Path) -> list[str]:
    """Every printed line of every page, white space removed."""
    with pdfplumber.open(pdf) as doc:
        return ["".join(line["text"].split()) for page in doc.pages
                for line in page.extract_text_lines()]
