"""The modules' former names, importable for one release (issue 17 moved them into
layered folders): ``import xl_addin.model`` still gives ``xl_addin.core.model`` — the
same module object, so what a caller sets on it is seen everywhere — with a
DeprecationWarning naming the new place.  ``xl_addin/__init__.py`` installs the finder;
tests/test_layers.py checks that every former name leads to a module that exists.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from collections.abc import Callable
from types import ModuleType

#: former name -> present name, both under ``xl_addin.``
MOVED = {
    "acceptances": "forms.acceptances",
    "accepting": "actions.accepting",
    "atomic": "files.atomic",
    "cellvalues": "core.cellvalues",
    "cli_accept": "cli.accept",
    "cli_addin": "cli.addin",
    "cli_book": "cli.book",
    "cli_next": "cli.next_year",
    "cli_release": "cli.release",
    "cli_review": "cli.review",
    "cli_submit": "cli.submit",
    "click_zh": "cli.click_zh",
    "consolidate": "actions.consolidate",
    "engines.base": "core.book",
    "errors": "core.errors",
    "exporters": "documents.exporters",
    "exporters.docx_writer": "documents.exporters.docx_writer",
    "exporters.review_book": "actions.review_book",
    "exporters.summary_csv": "actions.summary_csv",
    "exporters.xlsx_stream": "documents.exporters.xlsx_stream",
    "fill": "actions.fill",
    "findings": "core.findings",
    "folding": "rules.folding",
    "grid": "core.grid",
    "importers": "documents.importers",
    "importers.blocks": "documents.importers.blocks",
    "importers.docx_reader": "documents.importers.docx_reader",
    "importers.html_reader": "documents.importers.html_reader",
    "importers.indicators": "documents.importers.indicators",
    "importers.pdf_reader": "documents.importers.pdf_reader",
    "importers.published": "documents.importers.published",
    "importers.readers": "documents.importers.readers",
    "importers.report": "documents.importers.report",
    "importers.sheet_reader": "documents.importers.sheet_reader",
    "importers.spans": "documents.importers.spans",
    "importers.text_reader": "documents.importers.text_reader",
    "interrupt": "files.interrupt",
    "layout": "forms",
    "layout.book": "forms.book",
    "layout.department_sheet": "forms.department_sheet",
    "layout.indicator_rows": "forms.indicator_rows",
    "layout.merges": "forms.merges",
    "layout.project_sheet": "forms.project_sheet",
    "layout.row_heights": "forms.row_heights",
    "layout.settings_sheet": "forms.settings_sheet",
    "libreoffice": "documents.libreoffice",
    "limits_file": "core.limits",
    "marks": "actions.marks",
    "model": "core.model",
    "next_year": "actions.next_year",
    "numbers": "core.numbers",
    "patch": "core.patch",
    "previous": "actions.previous",
    "profiles": "rules.profiles",
    "report": "rules.report",
    "results_overview": "actions.results_overview",
    "review": "actions.review",
    "ribbon": "addin.ribbon",
    "safety": "forms.safety",
    "scrub": "actions.scrub",
    "serialize": "actions.serialize",
    "staging": "files.staging",
    "submit": "actions.submit",
    "summary": "actions.summary",
    "template": "engines.template",
    "template.build": "engines.template.build",
    "template.formats": "engines.template.formats",
    "template.names": "forms.names",
    "template.styles": "engines.template.styles",
    "ticker": "files.ticker",
    "valueparse": "core.valueparse",
    "wrap": "core.wrap",
    "writable": "files.writable",
}


#: package -> (the module now holding the names it held, those names): a package that
#: took the place of a module (actions) or gave its names to a module (forms)
FORMER_ATTRIBUTES = {
    "actions": ("actions.workbook", ("add_project", "build_workbook", "explain",
                                     "import_document", "import_with_report", "new_workbook",
                                     "read_document", "sheet_name_for", "validate_book",
                                     "validate_contents")),
    "forms": ("forms.published", ("Match", "Vocabulary", "load", "normalise")),
}


def forward(package: str) -> Callable[[str], object]:
    """The module ``__getattr__`` of ``package``: its former names, from where they are
    now, with a DeprecationWarning (PEP 562)."""
    short = package.removeprefix("xl_addin.")
    present, names = FORMER_ATTRIBUTES[short]

    def __getattr__(name: str) -> object:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        warnings.warn(f"{package}.{name} 已移至 xl_addin.{present}.{name}",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(f"xl_addin.{present}"), name)

    return __getattr__


class _Former:
    """Loads a former name as the module now holding it (a loader of the import system's
    protocol, duck-typed: ``importlib.abc`` would cost every start-up its imports)."""

    def __init__(self, present: str) -> None:
        self.present = present
        self._spec: importlib.machinery.ModuleSpec | None = None
        self._former = ""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.present)
        self._spec, self._former = module.__spec__, spec.name
        return module

    def exec_module(self, module: ModuleType) -> None:
        # the import system has set the former name's spec on the module: give it back
        # its own, or reloading and resource lookups would go to a name with no file
        module.__spec__ = self._spec
        warnings.warn(f"{self._former} 已移至 {self.present}，请改为 import {self.present}"
                      "（旧名称只保留一个版本）", DeprecationWarning, stacklevel=2)


class FormerNames:
    """Finds the former names of ``MOVED``; every other name is left to the others."""

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        present = MOVED.get(fullname.removeprefix("xl_addin.")) if fullname.startswith(
            "xl_addin.") else None
        if present is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Former(f"xl_addin.{present}"))


def install() -> None:
    if not any(isinstance(f, FormerNames) for f in sys.meta_path):
        sys.meta_path.insert(0, FormerNames())
