"""Writing the published-layout .docx of one project with many indicator rows.

``python -m benchmarks.docx_speed [--rows 250 1000 5000]`` writes, for each size, the
seed's Part 1 and its first project given that many indicator rows (the seed's own rows
over and over, a new 一级指标 group every 7 rows, so the vertical merges are exercised), and
prints the seconds taken and the time per row; then the ratio of the per-row times
between consecutive sizes (about 1 when the writer is linear; python-docx's
``table.cell`` made it grow with the size).  Target: 5 000 rows under 10 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from xl_addin.core.model import WorkbookModel
from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.importers.published import interpret
from xl_addin.documents.importers.text_reader import read_text

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.txt"
GROUP = 7  # rows per 一级指标 group


def model_with_rows(n: int) -> WorkbookModel:
    """The seed's Part 1 and its first project only, holding ``n`` indicator rows."""
    model = interpret(read_text(SEED.read_text(encoding="utf-8")))
    first = model.projects[0]
    model.projects = [first]
    pool = [i for p in interpret(read_text(SEED.read_text(encoding="utf-8"))).projects
            for i in p.indicators]
    first.indicators = [
        dataclasses.replace(pool[k % len(pool)], level1=f"{pool[k % len(pool)].level1}{k // GROUP}")
        for k in range(n)
    ]
    return model


def time_write(n: int, folder: Path) -> float:
    model = model_with_rows(n)
    start = time.perf_counter()
    write_docx(model, folder / f"rows{n}.docx")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[250, 1000, 5000])
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.rows:
            seconds = time_write(n, Path(tmp))
            results.append((n, seconds))
            print(f"{n:>6} 行指标：{seconds:7.2f} s，每行 {seconds / n * 1000:.2f} ms")
    for (n1, s1), (n2, s2) in pairwise(results):
        print(f"每行用时 {n2} 行 / {n1} 行：{(s2 / n2) / (s1 / n1):.2f}")


if __name__ == "__main__":
    main()
