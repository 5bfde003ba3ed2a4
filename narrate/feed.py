"""A podcast feed (RSS 2.0 + iTunes + Podcasting 2.0) from rendered works.

Input is what render leaves behind: ``<outdir>/<slug>/manifest.json`` with the
per-chapter MP3s, transcripts and JSON chapters, paths relative to the manifest
(the contract is in the render issue and repeated in ``load_manifest``). Output
is one ``feed.xml``; every work is one season and every chapter one episode.

Design notes (the *why*):

* Episode identity. ``guid`` is ``narrate:<work_id>:<chapter index>``, never a
  URL and never a hash of the audio, so a re-render, a new host address or a
  fixed typo keeps every episode; a work in progress that gains chapter 7
  gains exactly one item.
* Episode dates. Apps sort by ``pubDate`` even in serial shows, so chapters of
  one work get strictly increasing dates (a chapter published in the same
  second as the previous one is moved one second later). When ``feed.xml``
  already exists, an episode keeps the date it was first published with, even
  if a re-render stamped the manifest anew: otherwise every app would show the
  whole book as "new" again.
* URLs. Enclosures are ``base_url`` + the file's path relative to the feed's
  folder, percent-encoded; every file must live under that folder so the
  server that serves the folder can serve them (``narrate serve`` does).
* Text. Built with ElementTree, so ``&``, ``<`` and quotes are escaped by the
  serializer; characters XML 1.0 forbids (control codes that survive in
  copied text) are dropped from feed text rather than producing a feed that
  every parser rejects.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from narrate import __version__
from narrate.errors import InputError
from narrate.transcript import format_timestamp, write_bytes_atomic

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
FEED_NAME = "feed.xml"
MANIFEST_NAME = "manifest.json"

# The Podcasting 2.0 namespace's own UUIDv5 namespace for podcast:guid.
_PODCAST_GUID_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_EXPLICIT_RATINGS = {"mature", "explicit"}
# AO3 tag groups worth showing on a show page, in AO3's order (not "Stats", "Language").
_SHOWN_TAGS = (
    "Rating",
    "Archive Warning",
    "Category",
    "Fandom",
    "Relationship",
    "Characters",
    "Additional Tags",
    "Series",
)
_GENERIC_TITLE = re.compile(r"(?i)chapter\s+\d+")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("itunes", ITUNES)
ET.register_namespace("podcast", PODCAST)
ET.register_namespace("atom", ATOM)
ET.register_namespace("psc", PSC)


@dataclass(frozen=True)
class Episode:
    """One item of the feed: a chapter MP3 (or the whole book when not split)."""

    guid: str
    title: str
    description: str
    mp3: Path
    duration: float
    published: datetime
    season: int | None
    episode: int
    chapters_json: Path | None
    vtt: Path | None
    srt: Path | None
    image: Path | None


@dataclass(frozen=True)
class RenderedWork:
    manifest: Path
    work_id: str
    title: str
    author: str | None
    summary: str | None
    language: str | None
    rating: str | None
    cover: Path | None
    chapters: tuple[dict[str, Any], ...]
    book_mp3: Path | None
    book_vtt: Path | None
    book_chapters_json: Path | None
    duration: float | None
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    in_progress: bool = False  # AO3 stats say "Chapters: 1/?" (or fewer than planned)

    @property
    def about(self) -> str:
        """Summary, then the tags a reader checks before listening (rating, warnings...)."""
        shown = [
            f"{group}: {', '.join(values)}"
            for group, values in self.tags
            if group in _SHOWN_TAGS and values
        ]
        parts = [self.summary or _chapter_blurb(self, None, self.title), "\n".join(shown)]
        return "\n\n".join(part for part in parts if part)

    @property
    def explicit(self) -> bool:
        return (self.rating or "").strip().lower() in _EXPLICIT_RATINGS


def find_manifest(path: Path) -> Path:
    """``path`` is a rendered work's folder or its ``manifest.json``."""
    path = Path(path)
    if path.is_dir():
        manifest = path / MANIFEST_NAME
        if not manifest.is_file():
            raise InputError(
                path,
                f"no {MANIFEST_NAME} here",
                "render the work first: narrate render WORK --split chapters",
            )
        return manifest
    if path.is_file() and path.name == MANIFEST_NAME:
        return path
    raise InputError(
        path, "not a rendered work folder", "pass output/<slug> as written by narrate render"
    )


def locate_rendered(path: Path, output_root: Path = Path("output")) -> Path:
    """The rendered folder for ``path``: a work folder, its manifest, or the work file itself.

    For a work file the rendered folder is found among ``output_root/*/`` by the
    manifest's ``source`` (when render records it) or else by the work's title.
    """
    path = Path(path)
    if path.is_dir() or path.name == MANIFEST_NAME:
        return find_manifest(path).parent
    if not path.is_file():
        raise InputError(path, "no such file or folder", "pass output/<slug> or the work file")
    from narrate.ingest import load_work
    from narrate.render import work_slug

    work = load_work(path)
    if (output_root / work_slug(work) / MANIFEST_NAME).is_file():
        return output_root / work_slug(work)
    title = work.meta.title
    source = str(path.resolve())
    by_title: list[Path] = []
    for folder in discover(output_root):
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        if data.get("source") and str(Path(str(data["source"])).resolve()) == source:
            return folder
        if data.get("title") == title:
            by_title.append(folder)
    if len(by_title) == 1:
        return by_title[0]
    raise InputError(
        path,
        f"not rendered yet (no manifest under {output_root}/ for {title!r})",
        f"render it first: narrate render {path} --split chapters",
    )


def load_manifest(path: Path) -> RenderedWork:
    """Read and check a manifest written by render.

    Contract: ``{"work_id", "slug", "title", "author", "summary", "language",
    "rating", "tags", "cover", "duration", "files": {"m4b", "mp3", "vtt",
    "chapters_json"}, "chapters": [{"index", "title", "start", "duration", "mp3",
    "vtt", "chapters_json", "published", "scenes": [...]}]}``; paths relative to
    the manifest. Optional extras read when present: chapter ``"srt"`` and
    ``"summary"``.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            path, f"cannot read ({exc.strerror or exc})", "re-render the work"
        ) from None
    except ValueError as exc:
        raise InputError(path, f"not valid JSON ({exc})", "re-render the work") from None
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        raise InputError(path, "not a narrate manifest (no chapter list)", "re-render the work")
    title = _text(data.get("title")) or path.parent.name
    base = path.parent
    raw_files = data.get("files")
    files: dict[str, Any] = raw_files if isinstance(raw_files, dict) else {}
    chapters = tuple(ch for ch in data["chapters"] if isinstance(ch, dict))
    duration = data.get("duration")
    return RenderedWork(
        manifest=path,
        work_id=_text(data.get("work_id")) or _text(data.get("slug")) or path.parent.name,
        title=title,
        author=_text(data.get("author")),
        summary=_text(data.get("summary")),
        language=_text(data.get("language")),
        rating=_text(data.get("rating")),
        cover=_file(base, data.get("cover")),
        chapters=chapters,
        book_mp3=_file(base, files.get("mp3")),
        book_vtt=_file(base, files.get("vtt")),
        book_chapters_json=_file(base, files.get("chapters_json")),
        duration=float(duration) if isinstance(duration, int | float) else None,
        tags=_tags(data.get("tags")),
        in_progress=_in_progress(data.get("tags")),
    )


def episodes(work: RenderedWork, season: int | None, first_episode: int = 1) -> list[Episode]:
    """The feed items of one work: its chapter MP3s, or the whole book as one."""
    base = work.manifest.parent
    result: list[Episode] = []
    split = [ch for ch in work.chapters if ch.get("mp3")]
    if split:
        for number, chapter in enumerate(split, start=first_episode):
            index = chapter.get("index", number)
            mp3 = _required(work, base, chapter.get("mp3"))
            vtt = _file(base, chapter.get("vtt"))
            srt = _file(base, chapter.get("srt")) or _sibling(vtt, ".srt")
            name = _text(chapter.get("title")) or f"Chapter {index}"
            about = _text(chapter.get("summary")) or _chapter_blurb(work, index, name)
            if len(split) == 1 and not work.in_progress and _GENERIC_TITLE.fullmatch(name):
                # A finished one-shot: "Chapter 1" says nothing in a podcast app. A work
                # in progress keeps "Chapter 1" so the item is unchanged when 2 arrives.
                name = work.title
            if number == first_episode:
                about = f"{about}\n\n{work.about}"  # where a new listener starts
            result.append(
                Episode(
                    guid=f"narrate:{work.work_id}:{index}",
                    title=name,
                    description=about,
                    mp3=mp3,
                    duration=_duration(chapter.get("duration"), mp3),
                    published=_published(chapter.get("published"), mp3),
                    season=season,
                    episode=number,
                    chapters_json=_file(base, chapter.get("chapters_json")),
                    vtt=vtt,
                    srt=srt,
                    image=work.cover,
                )
            )
        return result
    if work.book_mp3 is None:
        raise InputError(
            work.manifest,
            "no MP3 to put in a feed",
            "render with MP3 output: narrate render WORK --format mp3 --split chapters",
        )
    mp3 = work.book_mp3
    first = work.chapters[0] if work.chapters else {}
    return [
        Episode(
            guid=f"narrate:{work.work_id}:book",
            title=work.title,
            description=work.about,
            mp3=mp3,
            duration=_duration(work.duration, mp3),
            published=_published(first.get("published"), mp3),
            season=season,
            episode=first_episode,
            chapters_json=work.book_chapters_json,
            vtt=work.book_vtt,
            srt=_sibling(work.book_vtt, ".srt"),
            image=work.cover,
        )
    ]


def build_feed(
    manifest_dirs: Sequence[Path],
    out: Path,
    *,
    base_url: str,
    title: str | None = None,
    one_season_per_work: bool = True,
) -> Path:
    """Write the feed for the rendered works in ``manifest_dirs`` and return its path.

    ``out`` is the feed file (``*.xml``) or the folder to write ``feed.xml`` in;
    every file the feed links to must be inside that folder. With several works
    and ``one_season_per_work`` each work is a season (episodes numbered per
    work); otherwise episodes are numbered straight through in the given order.
    """
    if not manifest_dirs:
        raise InputError(None, "no rendered works given", "pass output/<slug> folders")
    out = Path(out)
    feed_path = out if out.suffix.lower() == ".xml" else out / FEED_NAME
    root = feed_path.parent.resolve()
    if not root.is_dir():
        raise InputError(root, "feed folder does not exist", "render first or pick another -o")
    base_url = normalise_base_url(base_url)
    works = [load_manifest(find_manifest(Path(d))) for d in manifest_dirs]
    seasons = one_season_per_work and len(works) > 1

    items: list[tuple[RenderedWork, Episode]] = []
    numbered = 1
    for number, work in enumerate(works, start=1):
        eps = episodes(work, number if seasons else None, 1 if seasons else numbered)
        numbered += len(eps)
        items += [(work, ep) for ep in eps]
    previous_dates = _previous_pub_dates(feed_path)
    items = _settle_dates(items, previous_dates)

    def url(path: Path, owner: RenderedWork) -> str:
        return base_url + quote(_relative(path, root, owner).as_posix(), safe="/")

    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    first = works[0]
    feed_title = title or (first.title if len(works) == 1 else ", ".join(w.title for w in works))
    authors = list(dict.fromkeys(w.author for w in works if w.author))
    if len(works) == 1:
        about = first.about
    else:
        about = "\n".join(f"{w.title}" + (f" by {w.author}" if w.author else "") for w in works)
    _sub(channel, "title", feed_title)
    _sub(channel, "link", base_url)
    _sub(channel, "description", about)
    _sub(channel, "language", first.language or "en")
    _sub(channel, "generator", f"narrate {__version__}")
    if items:
        newest = max(ep.published for _, ep in items)
        _sub(channel, "lastBuildDate", format_datetime(newest, usegmt=True))
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": base_url + quote(feed_path.name), "rel": "self", "type": "application/rss+xml"},
    )
    if authors:
        _sub(channel, f"{{{ITUNES}}}author", ", ".join(authors))
    _sub(channel, f"{{{ITUNES}}}summary", about)
    if first.cover is not None:
        cover_url = url(first.cover, first)
        ET.SubElement(channel, f"{{{ITUNES}}}image", {"href": cover_url})
        image = ET.SubElement(channel, "image")
        _sub(image, "url", cover_url)
        _sub(image, "title", feed_title)
        _sub(image, "link", base_url)
    category = ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": "Arts"})
    ET.SubElement(category, f"{{{ITUNES}}}category", {"text": "Books"})
    _sub(channel, f"{{{ITUNES}}}explicit", "true" if any(w.explicit for w in works) else "false")
    _sub(channel, f"{{{ITUNES}}}type", "serial")
    ids = "\n".join(sorted(w.work_id for w in works))
    _sub(channel, f"{{{PODCAST}}}guid", str(uuid.uuid5(_PODCAST_GUID_NS, f"narrate:{ids}")))
    _sub(channel, f"{{{PODCAST}}}medium", "audiobook")

    # Newest first, as feeds conventionally list; serial apps order by episode.
    ordered = sorted(
        items, key=lambda it: (it[1].published, it[1].season or 0, it[1].episode), reverse=True
    )
    for work, ep in ordered:
        item = ET.SubElement(channel, "item")
        shown = (
            f"{work.title}: {ep.title}" if len(works) > 1 and ep.title != work.title else ep.title
        )
        _sub(item, "title", shown)
        _sub(item, "description", ep.description)
        ET.SubElement(
            item,
            "enclosure",
            {"url": url(ep.mp3, work), "length": str(ep.mp3.stat().st_size), "type": "audio/mpeg"},
        )
        _sub(item, "guid", ep.guid, {"isPermaLink": "false"})
        _sub(item, "pubDate", format_datetime(ep.published, usegmt=True))
        _sub(item, f"{{{ITUNES}}}title", ep.title)
        _sub(item, f"{{{ITUNES}}}duration", _hms(ep.duration))
        _sub(item, f"{{{ITUNES}}}episode", str(ep.episode))
        _sub(item, f"{{{ITUNES}}}episodeType", "full")
        _sub(item, f"{{{ITUNES}}}explicit", "true" if work.explicit else "false")
        if ep.season is not None:
            _sub(item, f"{{{ITUNES}}}season", str(ep.season))
            _sub(item, f"{{{PODCAST}}}season", str(ep.season), {"name": work.title})
        _sub(item, f"{{{PODCAST}}}episode", str(ep.episode))
        if ep.image is not None:
            ET.SubElement(item, f"{{{ITUNES}}}image", {"href": url(ep.image, work)})
        if ep.chapters_json is not None:
            ET.SubElement(
                item,
                f"{{{PODCAST}}}chapters",
                {"url": url(ep.chapters_json, work), "type": "application/json+chapters"},
            )
            _podlove_chapters(item, ep.chapters_json)
        # VTT last: parsers that keep one transcript (podcastparser) keep the last.
        for path, kind in ((ep.srt, "application/x-subrip"), (ep.vtt, "text/vtt")):
            if path is not None:
                attrs = {"url": url(path, work), "type": kind, "rel": "captions"}
                if work.language:
                    attrs["language"] = work.language
                ET.SubElement(item, f"{{{PODCAST}}}transcript", attrs)

    ET.indent(rss, space="  ")
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    data = (declaration + ET.tostring(rss, encoding="unicode") + "\n").encode("utf-8")
    return write_bytes_atomic(feed_path, data)


def _podlove_chapters(item: ET.Element, chapters_json: Path) -> None:
    """Inline the chapters as Podlove Simple Chapters too.

    AntennaPod, gPodder and Podcast Addict read ``psc:chapters`` from the feed
    itself and never fetch ``podcast:chapters``; a copy costs a few lines.
    """
    try:
        doc = json.loads(chapters_json.read_text(encoding="utf-8"))
        entries = [
            (float(ch["startTime"]), str(ch.get("title", "")))
            for ch in doc["chapters"]
            if ch.get("toc", True)
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return  # a broken chapters file costs the inline copy, not the feed
    if not entries:
        return
    psc = ET.SubElement(item, f"{{{PSC}}}chapters", {"version": "1.2"})
    for start, name in entries:
        attrs = {"start": format_timestamp(start), "title": _XML_INVALID.sub("", name)}
        ET.SubElement(psc, f"{{{PSC}}}chapter", attrs)


def check_feed_formats(formats: Sequence[str]) -> None:
    """Episodes are MP3s: refuse a render for a feed that would write none."""
    if "mp3" not in formats:
        raise InputError(
            None, "--feed needs MP3 output", "add mp3 to --format, e.g. --format m4b,mp3"
        )


def normalise_base_url(base_url: str) -> str:
    """``http://host:port/path`` with exactly one trailing slash; anything else is refused."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            None,
            f"--base-url {base_url!r} is not an http(s) address",
            "pass one like http://192.168.1.20:8000/",
        )
    return base_url.strip().rstrip("/") + "/"


def build_folder_feed(root: Path, base_url: str, *, title: str | None = None) -> Path | None:
    """``root/feed.xml`` for every rendered work under ``root`` (None: there are none).

    What ``narrate render --feed`` and ``narrate serve`` call: one shared feed for
    the output folder, so rendering another work adds a season to it.
    """
    works = discover(root)
    if not works:
        return None
    return build_feed(works, root, base_url=base_url, title=title)


def discover(root: Path) -> list[Path]:
    """Rendered work folders directly under ``root`` (``root/<slug>/manifest.json``)."""
    found = [p.parent for p in Path(root).glob(f"*/{MANIFEST_NAME}") if p.is_file()]
    return sorted(found, key=lambda p: p.name)


def _settle_dates(
    items: list[tuple[RenderedWork, Episode]], previous: Mapping[str, datetime]
) -> list[tuple[RenderedWork, Episode]]:
    """First-seen dates win; within a work, dates strictly increase in chapter order."""
    from dataclasses import replace

    settled: list[tuple[RenderedWork, Episode]] = []
    last: dict[str, datetime] = {}
    for work, ep in items:
        when = previous.get(ep.guid, ep.published)
        before = last.get(work.work_id)
        if ep.guid not in previous and before is not None and when <= before:
            when = before + timedelta(seconds=1)
        last[work.work_id] = max(when, before) if before is not None else when
        settled.append((work, replace(ep, published=when)))
    return settled


def _previous_pub_dates(feed_path: Path) -> dict[str, datetime]:
    """guid -> pubDate from the feed we wrote last time (nothing if unreadable)."""
    try:
        tree = ET.parse(feed_path)
    except (OSError, ET.ParseError):
        return {}
    dates: dict[str, datetime] = {}
    for item in tree.getroot().iter("item"):
        guid, pub = item.findtext("guid"), item.findtext("pubDate")
        if guid and pub:
            try:
                dates[guid] = parsedate_to_datetime(pub)
            except (TypeError, ValueError):
                continue
    return dates


def _relative(path: Path, root: Path, work: RenderedWork) -> Path:
    try:
        return path.resolve().relative_to(root)
    except ValueError:
        raise InputError(
            work.manifest,
            f"{path} is outside the feed folder {root}",
            "write the feed into a folder that holds every work, e.g. -o output",
        ) from None


def _sub(parent: ET.Element, tag: str, text: str, attrs: dict[str, str] | None = None) -> None:
    child = ET.SubElement(parent, tag, attrs or {})
    child.text = _XML_INVALID.sub("", text)


def _tags(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        return ()
    groups = []
    for group in _SHOWN_TAGS:
        values = value.get(group)
        if isinstance(values, list | tuple):
            kept = tuple(t for t in (_text(v) for v in values) if t)
            if kept:
                groups.append((group, kept))
    return tuple(groups)


def _in_progress(tags: object) -> bool:
    stats = tags.get("Stats") if isinstance(tags, dict) else None
    text = " ".join(str(v) for v in stats) if isinstance(stats, list | tuple) else ""
    match = re.search(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)", text)
    return match is not None and match.group(1) != match.group(2)


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return _XML_INVALID.sub("", value.strip())
    return None


def _file(base: Path, rel: object) -> Path | None:
    if not isinstance(rel, str) or not rel:
        return None
    path = base / rel
    return path if path.is_file() else None


def _sibling(path: Path | None, suffix: str) -> Path | None:
    if path is None:
        return None
    other = path.with_suffix(suffix)
    return other if other.is_file() else None


def _required(work: RenderedWork, base: Path, rel: object) -> Path:
    path = _file(base, rel)
    if path is None:
        raise InputError(
            work.manifest,
            f"lists {rel} but that file is missing",
            "re-render the work: narrate render WORK --split chapters",
        )
    return path


def _duration(value: object, mp3: Path) -> float:
    if isinstance(value, int | float) and value > 0:
        return float(value)
    from mutagen.mp3 import MP3

    info: Any = MP3(mp3).info  # type: ignore[no-untyped-call]
    return float(info.length)


def _published(value: object, mp3: Path) -> datetime:
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None:
            return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    return datetime.fromtimestamp(int(mp3.stat().st_mtime), tz=UTC)


def _chapter_blurb(work: RenderedWork, index: object, name: str) -> str:
    by = f" by {work.author}" if work.author else ""
    if index is None:
        return f"{work.title}{by}, narrated by narrate."
    if _GENERIC_TITLE.fullmatch(name):
        return f"Chapter {index} of {work.title}{by}."
    return f"{name}: chapter {index} of {work.title}{by}."


def _hms(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"
