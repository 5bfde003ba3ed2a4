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


def _echo_warnings(warnings: Any) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@main.command("cast")
@WORK
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of characters.")
@click.option(
    "--write", is_flag=True, help="Write (or update) the cast file next to WORK for editing."
)
@click.option(
    "--cast",
    "cast_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Cast file to read/write (default: WORK's name with .cast.toml).",
)
@click.option(
    "--voices-dir",
    "voice_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra directory of voice profiles (repeatable).",
)
def cast_command(
    work: Path, as_json: bool, write: bool, cast_file: Path | None, voice_dirs: tuple[Path, ...]
) -> None:
    """List WORK's characters: name, aliases, gender, lines and voice."""
    from narrate import cast as casting
    from narrate.pipeline import analyse

    analysis = analyse(work, cast_path=cast_file, voice_dirs=voice_dirs)
    _echo_warnings(analysis.warnings)
    if as_json:
        _print_json(casting.cast_rows(analysis.cast))
    else:
        click.echo(casting.format_cast(analysis.cast))
    if write:
        existed = analysis.cast_path.is_file()
        added = casting.write_cast_file(
            analysis.cast_path, analysis.cast, title=analysis.work.meta.title
        )
        verb = "updated" if existed else "wrote"
        click.echo(f"{verb} {analysis.cast_path} ({len(added)} characters added)", err=True)


@main.command()
@WORK
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one per line.")
@click.option(
    "--only-uncertain", is_flag=True, help="Only dialogue lines whose speaker needs checking."
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.6,
    show_default=True,
    help="Confidence below which a speaker is marked '?'.",
)
@click.option("--chapter", type=click.IntRange(min=1), help="Only this chapter.")
@click.option(
    "--cast",
    "cast_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Cast file to read (default: WORK's name with .cast.toml).",
)
@click.option(
    "--voices-dir",
    "voice_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra directory of voice profiles (repeatable).",
)
def script(
    work: Path,
    as_json: bool,
    only_uncertain: bool,
    threshold: float,
    chapter: int | None,
    cast_file: Path | None,
    voice_dirs: tuple[Path, ...],
) -> None:
    """Print WORK's attributed script for review, with line ids for overrides."""
    from narrate import cast as casting
    from narrate.pipeline import analyse

    analysis = analyse(work, cast_path=cast_file, voice_dirs=voice_dirs)
    _echo_warnings(analysis.warnings)
    chapters = {c.index: c.title or c.heading or "" for c in analysis.work.chapters}
    if chapter is not None and chapter not in chapters:
        raise click.BadParameter(f"{work} has chapters 1-{len(chapters)}", param_hint="'--chapter'")
    rows = casting.script_rows(
        analysis.lines,
        analysis.cast,
        chapter=chapter,
        only_uncertain=only_uncertain,
        threshold=threshold,
    )
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for text, dim in casting.format_script(rows, threshold=threshold, chapter_titles=chapters):
        click.echo(click.style(text, dim=True) if dim else text)


@main.command("feed")
@click.argument("works", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    help="Folder (or .xml file) for the feed; it must hold every work. "
    "Default: the folder the works are in (output/).",
)
@click.option(
    "--base-url",
    help="Address the phone fetches files from, e.g. http://192.168.1.20:8000/. "
    "Default http://localhost:8000/; `narrate serve` rewrites it with its own address.",
)
@click.option("--title", help="Feed title (default: the work's title, or all titles).")
@click.option(
    "--season-per-work/--one-season",
    default=True,
    help="With several works: one season each (default), or number episodes straight through.",
)
def feed(
    works: tuple[Path, ...], out: Path | None, base_url: str | None, title: str | None,
    season_per_work: bool,
) -> None:
    """Write a podcast feed (RSS) of rendered WORKS: output/<slug> folders or work files."""
    import os

    from narrate import feed as feeds

    folders = [feeds.locate_rendered(path) for path in works]
    if out is None:
        out = Path(os.path.commonpath([str(f.resolve().parent) for f in folders]))
    written = feeds.build_feed(
        folders,
        out,
        base_url=base_url or "http://localhost:8000/",
        title=title,
        one_season_per_work=season_per_work,
    )
    click.echo(f"wrote {written} ({len(folders)} work{'s' if len(folders) != 1 else ''})")
    if base_url is None:
        click.echo(
            f"addresses use http://localhost:8000/; for a phone run: narrate serve {written.parent}"
            " --host 0.0.0.0"
        )


@main.command("voices")
@click.argument("ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of profiles.")
@click.option(
    "--voices-dir",
    "voice_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra directory of voice profiles (repeatable; same id replaces a built-in).",
)
@click.option(
    "--audition", is_flag=True, help="Render a sample sentence per voice (IDS, or all) to WAVs."
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output/voices"),
    show_default=True,
    help="Folder for --audition WAVs.",
)
@click.option("--text", help="Sentence for --audition instead of the built-in one.")
@click.option(
    "--engine-voices", is_flag=True, help="List the engine's own voice and +variant names."
)
def voices_command(
    ids: tuple[str, ...],
    as_json: bool,
    voice_dirs: tuple[Path, ...],
    audition: bool,
    out_dir: Path,
    text: str | None,
    engine_voices: bool,
) -> None:
    """List voice profiles, or with --audition render IDS (default: all) to hear them."""
    from narrate import voices

    if engine_voices:
        from narrate.engine import get_engine

        engine = get_engine("espeak")
        click.echo(engine.version())
        click.echo(" ".join(engine.voices()))
        return
    profiles = voices.load_profiles(extra_dirs=voice_dirs)
    chosen = voices.pick_profiles(profiles, ids)
    if audition:
        done = voices.audition(chosen, out_dir, text or voices.SAMPLE_SENTENCE)
        for profile, path, audio in done:
            click.echo(f"{path}  {audio.seconds:5.2f}s  {profile.gender:7}  {profile.description}")
        return
    shown = {p.id: p for p in chosen}
    if as_json:
        _print_json(voices.profile_rows(shown))
    else:
        click.echo(voices.format_profiles(shown))


@main.command("say")
@click.argument("text")
@click.option("--voice", "voice_id", default="narrator", show_default=True, help="Profile id.")
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="WAV file to write.",
)
@click.option(
    "--lexicon",
    "lexicons",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pronunciation lexicon TOML, applied after the built-in one (repeatable).",
)
@click.option(
    "--voices-dir",
    "voice_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra directory of voice profiles (repeatable).",
)
def say_command(
    text: str, voice_id: str, out: Path, lexicons: tuple[Path, ...], voice_dirs: tuple[Path, ...]
) -> None:
    """Speak TEXT with one voice into a WAV file (to test a voice or a pronunciation)."""
    from narrate import voices
    from narrate.errors import InputError

    if out.suffix.lower() != ".wav":
        raise InputError(out, "say writes WAV audio", "give the output a .wav name")
    profiles = voices.load_profiles(extra_dirs=voice_dirs)
    (profile,) = voices.pick_profiles(profiles, [voice_id])
    lexicon = voices.load_lexicon(lexicons)
    path, audio, spoken = voices.say(text, profile, out, lexicon)
    if spoken != " ".join(text.split()):
        click.echo(f"spoken as: {spoken}", err=True)
    click.echo(f"wrote {path} ({audio.seconds:.2f}s, voice {profile.id})")


def main_entry() -> None:  # pragma: no cover - kept for ``python -m narrate``
    main(prog_name="narrate")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_entry())
