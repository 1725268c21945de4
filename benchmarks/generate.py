"""Realistic workbooks for benchmarks: the seed's projects repeated with varied values.

``python -m benchmarks.generate OUT.xlsx --projects 200`` writes one such workbook.
"""

from __future__ import annotations

import argparse
import copy
from decimal import Decimal
from pathlib import Path

from xl_addin.actions.workbook import build_workbook
from xl_addin.core.model import WorkbookModel
from xl_addin.documents.importers.published import interpret
from xl_addin.documents.importers.text_reader import read_text

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.txt"


def seed_model() -> WorkbookModel:
    return interpret(read_text(SEED.read_text(encoding="utf-8")))


def big_model(n_projects: int) -> WorkbookModel:
    """``n_projects`` projects cycling through the seed's, each with its own name, code
    and money, so nothing collapses into duplicates the validator would shortcut."""
    base = seed_model()
    model = WorkbookModel(settings=base.settings, department=base.department)
    for i in range(n_projects):
        p = copy.deepcopy(base.projects[i % len(base.projects)])
        p.name = f"{p.name}{i + 1:03d}"
        p.code = p.code[:-4] + f"{i:04d}"[-4:]
        p.budget = p.fiscal = (p.budget or Decimal(0)) + Decimal(i % 7)
        for j, ind in enumerate(p.indicators):
            if j % 3 == i % 3 and ind.value.startswith("≥"):
                ind.value = f"≥{80 + (i + j) % 20}%"
        model.projects.append(p)
    return model


def write(path: Path, n_projects: int) -> Path:
    build_workbook(path, big_model(n_projects)).save(backup=False)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=200)
    args = parser.parse_args()
    print(write(args.out, args.projects))
