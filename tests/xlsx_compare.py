"""Comparing .xlsx files part by part, volatile parts stripped (XlsxWriter-style)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

#: parts that change on every save (timestamps), compared without their volatile fields
_VOLATILE = {
    "docProps/core.xml": re.compile(r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"),
}


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        out = {}
        for name in sorted(z.namelist()):
            data = z.read(name)
            pattern = _VOLATILE.get(name)
            if pattern is not None:
                data = pattern.sub("", data.decode("utf-8")).encode("utf-8")
            out[name] = data
        return out


def differing_parts(a: Path, b: Path) -> list[str]:
    pa, pb = parts(a), parts(b)
    return sorted(n for n in pa.keys() | pb.keys() if pa.get(n) != pb.get(n))
