"""Regenerate the committed template: ``python -m xl_addin.engines.template [OUT]``."""

from __future__ import annotations

import sys
from pathlib import Path

from xl_addin.engines.file import FileBook
from xl_addin.engines.template.build import build_template, template_path


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else template_path()
    FileBook(out, build_template()).save(backup=False)
    print(out)


if __name__ == "__main__":  # importing the module writes nothing
    main(sys.argv[1:])
