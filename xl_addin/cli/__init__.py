"""The command line: one module per family of commands, each loaded when it runs.

``app`` holds the group, the shared helpers and the error handling; ``book``,
``submit``, ``review``, ``accept``, ``next_year``, ``addin`` and ``release`` the
commands; ``click_zh`` click's own texts in Chinese."""

from __future__ import annotations

from xl_addin.cli.app import cli, main

__all__ = ["cli", "main"]
