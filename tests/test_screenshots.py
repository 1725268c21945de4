"""The README's pictures come from ``scripts/screenshots.py``: it makes every one, and
none is blank paper."""

from __future__ import annotations

from PIL import Image

from scripts.screenshots import DOCX_PICTURE, SHEET_PICTURES, make


def test_the_script_renders_every_picture_with_something_on_it(tmp_path) -> None:
    made = make(tmp_path)
    assert sorted(p.name for p in made) == sorted([*SHEET_PICTURES, DOCX_PICTURE])
    for path in made:
        with Image.open(path) as img:
            grey = img.convert("L")
            dark = sum(grey.histogram()[:128])  # pixels of ink, not paper
            assert grey.width > 300 and grey.height > 200, path.name
            assert dark / (grey.width * grey.height) > 0.01, path.name
