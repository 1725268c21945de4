"""Regenerate the committed template: ``python -m xl_addin.template [OUT]``."""

import sys
from pathlib import Path

from ..engines.file import FileBook
from .build import build_template, template_path

out = Path(sys.argv[1]) if len(sys.argv) > 1 else template_path()
FileBook(out, build_template()).save(backup=False)
print(out)
