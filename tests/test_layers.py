"""The package's folders are its layers, and imports go one way: from the faces (cli,
addin) down to the core.  Every import in every module counts — at the top, inside a
function, under ``TYPE_CHECKING`` — read from the source (AST), as the rules' own guards
read theirs; and the folders are the ones ``xl_addin.layers`` names, nothing loose.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from xl_addin.layers import LAYERS, TOP_LEVEL, layer_of
from xl_addin.moved import MOVED

PACKAGE = Path(__file__).resolve().parents[1] / "xl_addin"


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path) -> list[tuple[int, str]]:
    """Every module of the package ``name`` imports, absolute, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out += [(node.lineno, f"{module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(line, m) for line, m in out if m == "xl_addin" or m.startswith("xl_addin.")]


MODULES = modules()


def _target(imported: str) -> str:
    """The module an import names: ``xl_addin.core.model.Project`` is ``core.model``."""
    while imported not in MODULES and "." in imported:
        imported = imported.rpartition(".")[0]
    return imported


def test_every_module_is_in_a_layer() -> None:
    beside = {"xl_addin", *(f"xl_addin.{m}" for m in TOP_LEVEL - {"__init__"})}
    loose = [m for m in MODULES if layer_of(m) is None and m not in beside]
    assert loose == [], f"modules in no layer (xl_addin.layers.LAYERS): {loose}"
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {*LAYERS, "data"}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == TOP_LEVEL


def test_imports_go_from_the_faces_down_to_the_core() -> None:
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    upward = []
    for name, path in MODULES.items():
        mine = layer_of(name)
        for line, imported in imports(name, path):
            target = _target(imported)
            theirs = layer_of(target)
            if target == "xl_addin":  # the package itself: its version, nothing else
                assert imported in ("xl_addin", "xl_addin.__version__"), (name, imported)
                continue
            if theirs is not None and mine is not None and rank[theirs] > rank[mine]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({mine}) imports "
                              f"{target} ({theirs})")
    assert upward == []


#: what the core may import beyond the standard library: display widths of CJK text
#: (``core.wrap``), a pure function
CORE_MAY_IMPORT = {"rich.cells"}


def test_the_core_imports_only_the_standard_library() -> None:
    third_party = []
    for name, path in MODULES.items():
        if layer_of(name) != "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom)
                     and not node.level else [])
            for n in names:
                top = n.split(".")[0]
                if (top not in sys.stdlib_module_names and top != "xl_addin"
                        and n not in CORE_MAY_IMPORT):
                    third_party.append(f"{name}: {n}")
    assert third_party == []


@pytest.mark.parametrize(("module", "layer"), [
    ("xl_addin.core.model", "core"), ("xl_addin.files.atomic", "files"),
    ("xl_addin.forms.project_sheet", "forms"), ("xl_addin.rules.money", "rules"),
    ("xl_addin.rules.profiles", "rules"), ("xl_addin.engines.template.build", "engines"),
    ("xl_addin.documents.importers.published", "documents"),
    ("xl_addin.actions.review", "actions"), ("xl_addin.addin.ribbon", "addin"),
    ("xl_addin.cli.app", "cli"), ("xl_addin.__main__", "cli"), ("xl_addin.layers", None),
])
def test_layer_of(module: str, layer: str | None) -> None:
    assert layer_of(module) == layer


def test_a_planted_upward_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a core module importing an action is reported."""
    planted = tmp_path / "model.py"
    planted.write_text("from xl_addin.actions.workbook import build_workbook\n",
                       encoding="utf-8")
    found = [_target(m) for _, m in imports("xl_addin.core.model", planted)]
    assert found == ["xl_addin.actions.workbook"]
    assert LAYERS.index(layer_of(found[0])) > LAYERS.index("core")


@pytest.mark.parametrize("former", sorted(MOVED))
def test_a_former_name_is_the_module_now_holding_it(former: str) -> None:
    present = importlib.import_module(f"xl_addin.{MOVED[former]}")
    assert f"xl_addin.{former}" not in MODULES  # no file of the old name is left
    sys.modules.pop(f"xl_addin.{former}", None)
    with pytest.warns(DeprecationWarning, match=MOVED[former]):
        old = importlib.import_module(f"xl_addin.{former}")
    assert old is present and old.__spec__.name == f"xl_addin.{MOVED[former]}"


def test_the_former_names_the_readme_and_users_wrote_still_work() -> None:
    """``import xl_addin.ribbon as r`` is what an add-in built before the move runs."""
    code = ("import warnings; warnings.simplefilter('ignore')\n"
            "import xl_addin.ribbon as r\nfrom xl_addin.actions import build_workbook\n"
            "from xl_addin.forms import load\nfrom xl_addin.layout import project_sheet\n"
            "print(r.dispatch.__module__, build_workbook.__module__, load.__module__,"
            " project_sheet.__name__)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.split() == ["xl_addin.addin.ribbon", "xl_addin.actions.workbook",
                                   "xl_addin.forms.published", "xl_addin.forms.project_sheet"]


def test_the_readmes_layout_of_the_code_is_current() -> None:
    from xl_addin.layers import layout_markdown

    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- code-layout:start -->\n")[1].split("<!-- code-layout:end")[0]
    assert table == layout_markdown()
