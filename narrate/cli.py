"""The ``narrate`` command line: parses flags and calls the library, nothing more.

Heavy modules (audio, engines, HTML parsing) are imported inside the commands so
that ``narrate --help`` stays instant. Every ``NarrateError`` becomes one
``error: ...`` line and its exit code in ``NarrateGroup.invoke``: the single
place where library errors meet the terminal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from narrate import __version__
from narrate.errors import NarrateError


class _ExitError(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class NarrateGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NarrateError as exc:
            raise _ExitError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _ExitError("interrupted; finished clips are kept in the cache", 130) from None


WORK = click.argument("work", type=click.Path(path_type=Path))


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


@click.group(cls=NarrateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrate")
def main() -> None:
    """Turn a prose work into a multi-voice, chaptered, tagged audiobook, offline."""


@main.command()
@WORK
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def scenes(work: Path, as_json: bool) -> None:
    """Show the structure of WORK: chapters, scenes, words and listening time."""
    from narrate import report

    data = report.structure(work)
    if as_json:
        _print_json(data)
    else:
        click.echo(report.format_structure(data))


def main_entry() -> None:  # pragma: no cover - kept for ``python -m narrate``
    main(prog_name="narrate")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_entry())
