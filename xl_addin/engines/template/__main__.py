"""Regenerate the committed template: ``python -m xl_addin.engines.template [OUT]``."""

import sys
from pathlib import Path

from xl_addin.engines.file import FileBook
from xl_addin.engines.template.build import build_template, template_path

out = Path(sys.argv[1]) if len(sys.argv) > 1 else template_path()
FileBook(out, build_template()).save(backup=False)
print(out)
