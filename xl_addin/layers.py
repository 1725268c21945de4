"""The package's layers, bottom to top, and the README's table of the code made from them.

A module may import from its own layer and the ones below it, never from one above
(tests/test_layers.py reads every import of every module).  The folders are the
layers: a newcomer finds where a thing lives from the folder names alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

#: the layers, bottom to top: each folder of ``xl_addin/`` is one
LAYERS = ("core", "files", "forms", "rules", "library", "engines", "documents", "actions",
          "addin", "cli")
#: the only modules outside the layers: the package (its version and the former
#: names), ``python -m xl_addin`` (a face: it belongs with the command line), this one
TOP_LEVEL = {"__init__", "__main__", "layers", "moved"}
PACKAGE = Path(__file__).resolve().parent


def layer_of(module: str) -> str | None:
    """The layer of a module named ``xl_addin.<layer>.…`` (``__main__`` is the command
    line's); None for the package itself and the modules beside it."""
    parts = module.split(".")
    if parts[0] != "xl_addin" or len(parts) < 2:
        return None
    if parts[1] == "__main__":
        return "cli"
    return parts[1] if parts[1] in LAYERS else None


def _summary(path: Path) -> str:
    """The first paragraph of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")


def layout_markdown() -> str:
    """The README's “Layout of the code”: a row per layer (its package's docstring),
    then a row per module under it (the first paragraph of its docstring)."""
    rows = ["| path | what it holds |", "|---|---|"]
    for layer in LAYERS:
        folder = PACKAGE / layer
        rows.append(f"| **`xl_addin/{layer}/`** | **{_summary(folder / '__init__.py')}** |")
        for path in sorted(folder.rglob("*.py"), key=lambda p: p.relative_to(folder).parts):
            if "__pycache__" in path.parts or path == folder / "__init__.py":
                continue
            shown = path.relative_to(PACKAGE.parent).as_posix()
            if path.name == "__init__.py":
                shown = shown.removesuffix("__init__.py")
            rows.append(f"| `{shown}` | {_summary(path)} |")
    return "\n".join(rows) + "\n"
