"""The two programs the floor comparison times, each run in a fresh process.

``python -m benchmarks.run_pool floor DIR --jobs N`` reads every sheet of every workbook
under DIR with calamine in a spawned process pool and does nothing else: the floor.
``python -m benchmarks.run_pool review DIR --jobs N`` runs ``review_folder`` the same
way, keeping what the command keeps (``District``), without writing review.xlsx;
``--no-reuse`` judges every indicator row afresh (see ``rules.validate``).

Both pay the same start-up: a fresh interpreter, then workers that import this module
(spawned processes re-import the main module) and what their task needs.  So this
module imports only the standard library and calamine at its top; the review's imports
happen in ``main`` and, in the workers, when ``review_file`` is unpickled.  Timed in
one process instead, both pools would pay the benchmark's own imports (pandas …) in
every worker, which flattered the ratio.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from python_calamine import CalamineWorkbook


def bare_read(path: str) -> int:
    """The floor: every sheet of a workbook read into Python by calamine, nothing else."""
    wb = CalamineWorkbook.from_path(path)
    return sum(len(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
               for name in wb.sheet_names)


def workbooks(folder: Path) -> list[str]:
    """The same files the review takes, in its order."""
    return sorted(str(p) for p in folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm")
                  and not p.name.startswith(("~$", ".~")))


def floor(folder: Path, jobs: int) -> int:
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    with pool:
        return sum(pool.map(bare_read, workbooks(folder), chunksize=8))


def review(folder: Path, jobs: int, reuse: bool = True) -> int:
    from xl_addin.actions.review import District, review_folder

    district = District()
    for result in review_folder(folder, jobs=jobs, reuse=reuse):
        district.add(result)
    return len(district.files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["floor", "review"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-reuse", action="store_true",
                        help="review: judge every row afresh (rules.validate's reuse off)")
    args = parser.parse_args()
    if args.what == "floor":
        print(floor(args.folder, args.jobs))
    else:
        print(review(args.folder, args.jobs, reuse=not args.no_reuse))


if __name__ == "__main__":
    main()
