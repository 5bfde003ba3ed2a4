"""The ``narrate`` command line: parses flags and calls the library, nothing more.

Heavy modules (audio, engines, HTML parsing) are imported inside the commands so
that ``narrate --help`` stays instant. Every ``NarrateError`` becomes one
``error: ...`` line and its exit code in ``NarrateGroup.invoke``: the single
place where library errors meet the terminal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from narrate import __version__
from narrate.errors import NarrateError
from narrate.model import REVIEW_THRESHOLD


class _ExitError(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        # click declares exit_code on the class; each NarrateError carries its own.
        self.exit_code = exit_code  # type: ignore[misc]


class NarrateGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NarrateError as exc:
            raise _ExitError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _ExitError("interrupted; finished clips are kept in the cache", 130) from None


WORK = click.argument("work", type=click.Path(path_type=Path))
# Options shared by every command that analyses a work or picks voices.
CAST_FILE = click.option(
    "--cast",
    "cast_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Cast file (default: WORK's name with .cast.toml, next to it).",
)
VOICES_DIR = click.option(
    "--voices-dir",
    "voice_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra directory of voice profiles (repeatable; a built-in id is replaced).",
)


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
@CAST_FILE
@VOICES_DIR
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
    default=REVIEW_THRESHOLD,
    show_default=True,
    help="Confidence below which a speaker is marked '?'.",
)
@click.option("--chapter", type=click.IntRange(min=1), help="Only this chapter.")
@CAST_FILE
@VOICES_DIR
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
    if as_json:
        rows = casting.script_rows(
            analysis.lines,
            analysis.cast,
            chapter=chapter,
            only_uncertain=only_uncertain,
            threshold=threshold,
            source=analysis.work.text,
        )
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    rows = casting.script_rows(
        analysis.lines, analysis.cast, chapter=chapter, source=analysis.work.text
    )
    shown = casting.format_script(
        rows, threshold=threshold, chapter_titles=chapters, only_uncertain=only_uncertain
    )
    for text, dim in shown:
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
    works: tuple[Path, ...],
    out: Path | None,
    base_url: str | None,
    title: str | None,
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


@main.command("serve")
@click.argument("folder", default="output", required=False, type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets phones on your Wi-Fi connect.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--list", "listing", is_flag=True, help="Allow folder listings.")
@click.option(
    "--base-url",
    help="Address to put in the feed instead of the one served "
    "(e.g. behind a proxy or a host name).",
)
@click.option("--title", help="Feed title when the feed is rebuilt.")
@click.option("--no-feed", is_flag=True, help="Leave feed.xml as it is.")
@click.option("--quiet", is_flag=True, help="Do not print each request.")
def serve_command(
    folder: Path,
    host: str,
    port: int,
    listing: bool,
    base_url: str | None,
    title: str | None,
    no_feed: bool,
    quiet: bool,
) -> None:
    """Serve FOLDER (default output/) and its podcast feed over HTTP, with seeking."""
    import contextlib
    import sys

    from narrate import serve as serving
    from narrate.feed import normalise_base_url

    if base_url is not None:
        base_url = normalise_base_url(base_url)  # a typo is an error, before binding
    log = None if quiet else (lambda line: click.echo(line, err=True))
    server = serving.make_server(folder, host, port, listing=listing, log=log)
    address = serving.feed_base_url(server, host)
    click.echo(f"serving {folder} at {address}")
    feed_path = folder / "feed.xml"
    if not no_feed:
        try:
            feed_base = normalise_base_url(base_url or address)
            built = serving.rebuild_feed(folder, feed_base, title=title)
        except NarrateError as exc:  # still serve the files; say why the feed is stale
            click.echo(f"warning: feed not rebuilt: {exc}", err=True)
            built = None
        feed_path = built or feed_path
    if feed_path.is_file():
        feed_url = (base_url or address).rstrip("/") + "/" + feed_path.name
        if host in ("0.0.0.0", "::"):
            click.echo(
                f"on a phone on the same Wi-Fi, add this feed in your podcast app: {feed_url}"
            )
            click.echo("anyone on this network can download these files while this runs")
            if sys.stdout.isatty():  # a phone camera reads the address off the screen
                with contextlib.suppress(ValueError, UnicodeError):
                    click.echo(serving.qr_text(feed_url))
        else:
            click.echo(f"feed: {feed_url} (this computer only; --host 0.0.0.0 for phones)")
    else:
        click.echo(
            f"no rendered works in {folder}: render one with narrate render WORK --split chapters"
        )
    click.echo("press Ctrl-C to stop")
    try:
        serving.serve(server)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command("voices")
@click.argument("ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of profiles.")
@VOICES_DIR
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
@VOICES_DIR
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


def _render_settings(**kw: Any) -> Any:
    """RenderSettings from CLI values (imported lazily: numpy and friends)."""
    from narrate.model import NotesPolicy
    from narrate.render import RenderSettings

    formats = tuple(f.strip().lower() for f in kw.pop("formats", "m4b,mp3").split(",") if f.strip())
    notes = NotesPolicy(kw.pop("notes", "skip"))
    return RenderSettings(formats=formats, notes=notes, **kw)


_RENDER_OPTIONS = [
    click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(path_type=Path),
        default=Path("output"),
        show_default=True,
        help="Folder for OUTDIR/<slug>/.",
    ),
    click.option(
        "--workers",
        type=click.IntRange(min=0),
        default=0,
        help="Worker processes for synthesis and encoding (default: one per CPU).",
    ),
    click.option(
        "--cache-dir",
        type=click.Path(path_type=Path),
        help="Clip cache (default: $NARRATE_CACHE_DIR, else ~/.cache/narrate).",
    ),
    CAST_FILE,
    VOICES_DIR,
    click.option(
        "--notes",
        type=click.Choice(["skip", "intro", "end"]),
        default="skip",
        show_default=True,
        help="Read author notes: never; at the start (work notes after the summary, "
        "chapter notes after the chapter title); or at the end (chapter notes after the "
        "chapter, work notes after the last one).",
    ),
]


def _with_render_options(func: Any) -> Any:
    for option in reversed(_RENDER_OPTIONS):
        func = option(func)
    return func


@main.command("render")
@WORK
@_with_render_options
@click.option(
    "--format", "formats", default="m4b,mp3", show_default=True, help="Comma-separated: m4b, mp3."
)
@click.option("--split", type=click.Choice(["chapters"]), help="Also one MP3 per chapter.")
@click.option(
    "--cover", type=click.Path(path_type=Path), help="Cover image (default: a title card)."
)
@click.option(
    "--scene-chapters",
    is_flag=True,
    help="M4B: mark every scene as a chapter (a one-shot always is).",
)
@click.option(
    "--subtitles",
    type=click.Choice(["vtt", "srt"]),
    default="vtt",
    show_default=True,
    help="Transcript format besides WebVTT.",
)
@click.option(
    "--feed",
    "with_feed",
    is_flag=True,
    help="Also split chapters and (re)write OUTDIR/feed.xml, a podcast feed of every "
    "rendered work in OUTDIR.",
)
@click.option(
    "--base-url",
    help="With --feed: the address phones fetch files from "
    "(default http://localhost:8000/; narrate serve rewrites it).",
)
def render_command(
    work: Path,
    out_dir: Path,
    workers: int,
    cache_dir: Path | None,
    cast_file: Path | None,
    voice_dirs: tuple[Path, ...],
    notes: str,
    formats: str,
    split: str | None,
    cover: Path | None,
    scene_chapters: bool,
    subtitles: str,
    with_feed: bool = False,
    base_url: str | None = None,
) -> None:
    """Render WORK to a chaptered, tagged audiobook (M4B and MP3) plus transcripts."""
    from narrate import render

    settings = _render_settings(
        formats=formats,
        notes=notes,
        out_dir=out_dir,
        workers=workers,
        cache_dir=cache_dir,
        cover=cover,
        split_chapters=split == "chapters",
        scene_chapters=scene_chapters,
        subtitles=("vtt", "srt") if subtitles == "srt" else ("vtt",),
    )
    if with_feed:
        from narrate import feed as feeds

        feeds.check_feed_formats(settings.formats)  # fail before hours of synthesis
        feed_base = feeds.normalise_base_url(base_url or "http://localhost:8000/")
        import dataclasses

        settings = dataclasses.replace(settings, split_chapters=True)  # one episode per chapter
    result = render.render(work, settings, cast_path=cast_file, voice_dirs=voice_dirs)
    click.echo(result.summary())
    if with_feed:
        written = feeds.build_folder_feed(out_dir, feed_base)
        click.echo(f"feed: {written} (for a phone: narrate serve {out_dir} --host 0.0.0.0)")


@main.command("preview")
@WORK
@_with_render_options
@click.option("--scene", help="CHAPTER.SCENE, e.g. 2.3.")
@click.option("--chapter", type=click.IntRange(min=1), help="A whole chapter.")
@click.option("--lines", "line_range", help="A range of line ids, e.g. 2.3.1..2.3.9.")
@click.option("--no-play", is_flag=True, help="Only write the file.")
def preview_command(
    work: Path,
    out_dir: Path,
    workers: int,
    cache_dir: Path | None,
    cast_file: Path | None,
    voice_dirs: tuple[Path, ...],
    notes: str,
    scene: str | None,
    chapter: int | None,
    line_range: str | None,
    no_play: bool,
) -> None:
    """Render part of WORK with the final voices and mastering, and play it."""
    from narrate import render
    from narrate.errors import InputError

    if sum(x is not None for x in (scene, chapter, line_range)) != 1:
        raise InputError(
            None, "say what to preview", "pass one of --scene 2.3, --chapter 2, --lines ID..ID"
        )
    settings = _render_settings(
        formats="mp3", notes=notes, out_dir=out_dir, workers=workers, cache_dir=cache_dir
    )
    path = render.preview(
        work,
        settings,
        scene=scene,
        chapter=chapter,
        lines=line_range,
        cast_path=cast_file,
        voice_dirs=voice_dirs,
    )
    click.echo(f"wrote {path}")
    if not no_play and not render.play(path):
        click.echo(
            "no audio player found (mpv, ffplay, afplay, mpg123, vlc); open the file yourself"
        )


@main.command("cache")
@click.option("--cache-dir", type=click.Path(path_type=Path), help="Cache to inspect.")
@click.option(
    "--prune", is_flag=True, help="Remove stale and, with the limits below, old or excess entries."
)
@click.option("--older-than", type=click.FloatRange(min=0), help="With --prune: unused for DAYS.")
@click.option(
    "--max-size", help="With --prune: shrink to SIZE (e.g. 500M, 2G), least recently used first."
)
@click.option("--clear", is_flag=True, help="Remove every entry.")
def cache_command(
    cache_dir: Path | None, prune: bool, older_than: float | None, max_size: str | None, clear: bool
) -> None:
    """Show the clip cache's size; prune or clear it."""
    from narrate import cache
    from narrate.errors import InputError

    root = cache.default_cache_dir(cache_dir)
    if (older_than is not None or max_size is not None) and not prune:
        raise InputError(None, "--older-than and --max-size need --prune", "add --prune")
    limit = None
    if max_size is not None:
        try:
            limit = cache.parse_size(max_size)
        except ValueError as exc:
            raise InputError(None, str(exc), "e.g. --max-size 500M") from None
    if clear:
        files, freed = cache.clear(root)
        click.echo(f"cleared {files} files ({cache.format_size(freed)}) from {root}")
    elif prune:
        files, freed = cache.prune(root, older_than_days=older_than, max_bytes=limit)
        click.echo(f"pruned {files} files ({cache.format_size(freed)}) from {root}")
    use = cache.usage(root)
    click.echo(
        f"{root}: {use.clips} clips, {use.segments} encoded segments, {cache.format_size(use.bytes)}"
    )


def main_entry() -> None:  # pragma: no cover - kept for ``python -m narrate``
    main(prog_name="narrate")


if __name__ == "__main__":  # pragma: no cover
    main_entry()
