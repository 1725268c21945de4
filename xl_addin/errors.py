"""Errors a user can cause, and the exit codes the command line uses.

A ``UserError`` carries a Chinese message that says what is wrong and how to fix it;
the CLI prints it without a traceback.  Anything else is a bug and shows a traceback
only with ``--debug``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # the workbook has errors (validation)
EXIT_UNUSABLE = 2  # the input could not be used


class UserError(Exception):
    """A mistake in the user's input: message in Chinese, exit code 2."""

    def __init__(self, message: str, exit_code: int = EXIT_UNUSABLE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
