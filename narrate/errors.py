"""Errors the CLI turns into one clear line and an exit code.

Library code raises these; ``narrate.cli`` catches ``NarrateError`` in one place
and prints ``error: <message>`` with no traceback.
"""

from __future__ import annotations

from pathlib import Path


class NarrateError(Exception):
    """Base class: something the user can fix. ``exit_code`` is the process status."""

    exit_code = 1


class InputError(NarrateError):
    """A work (or other input file) that cannot be read. Exit 2, like a usage error."""

    exit_code = 2

    def __init__(self, path: Path | str | None, problem: str, fix: str) -> None:
        self.path = Path(path) if path is not None else None
        self.problem = problem
        self.fix = fix
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{problem}; {fix}")


class EngineError(NarrateError):
    """The speech engine is missing, broken, or failed on a line after a retry."""

    exit_code = 3


class OutputError(NarrateError):
    """An output could not be written (unwritable directory, full disk, no encoder)."""

    exit_code = 4
