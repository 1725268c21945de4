"""``python -m xl_addin`` and the ``xl-addin`` script: the command line, loaded when called.

A process the batch review spawns re-runs the script that started its parent (that is
how spawned processes find ``__main__``), only without calling ``main``; importing the
command line here, inside ``main``, keeps every worker from loading what only the
commands need (pandas, openpyxl, rich).
"""

from __future__ import annotations


def main() -> None:
    from xl_addin.cli.app import main as run

    run()


if __name__ == "__main__":
    main()
