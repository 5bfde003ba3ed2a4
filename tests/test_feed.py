"""The podcast feed, read back with real podcast parsers (feedparser, podcastparser)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import imageio_ffmpeg
import podcastparser
import pytest
from click.testing import CliRunner
from PIL import Image

from narrate.cli import main
from narrate.errors import InputError
from narrate.feed import ITUNES, PODCAST, build_feed
from narrate.transcript import Cue, Mark, write_chapters_json, write_srt, write_vtt

BASE = "http://192.0.2.7:8000/"
_MP3_CACHE: dict[float, Path] = {}


def make_mp3(path: Path, seconds: float, tmp_root: Path) -> None:
    """A real MP3 (sine tone) made by the bundled ffmpeg; cached per length."""
    if seconds not in _MP3_CACHE or not _MP3_CACHE[seconds].exists():
        src = tmp_root / f".tone-{seconds}.mp3"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:duration={seconds}",
                "-ac",
                "1",
                "-b:a",
                "32k",
                str(src),
            ],
            check=True,
            timeout=30,
        )
        _MP3_CACHE[seconds] = src
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_MP3_CACHE[seconds], path)


def add_chapter(work_dir: Path, index: int, title: str, seconds: float, published: str) -> None:
    """Render-like output for one chapter: MP3, VTT, SRT, JSON chapters, manifest entry."""
    stem = f"chapters/{index:02d}-ch{index}"
    make_mp3(work_dir / f"{stem}.mp3", seconds, work_dir.parent)
    write_vtt(
        [Cue(0, seconds / 2, None, f"{title} opens."), Cue(seconds / 2, seconds, "Ana", "Hi.")],
        work_dir / f"{stem}.vtt",
        duration=seconds,
    )
    write_srt([Cue(0, seconds, None, title)], work_dir / f"{stem}.srt", duration=seconds)
    write_chapters_json(
        [Mark(0, title, (Mark(0, "Scene 1"), Mark(seconds / 2, "Scene 2")))],
        work_dir / f"{stem}.json",
        duration=seconds,
    )
    manifest_path = work_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    start = sum(ch["duration"] for ch in manifest["chapters"])
    manifest["chapters"].append(
        {
            "index": index,
            "title": title,
            "start": start,
            "duration": seconds,
            "mp3": f"{stem}.mp3",
            "vtt": f"{stem}.vtt",
            "chapters_json": f"{stem}.json",
            "published": published,
            "scenes": [{"index": 1, "start": start}, {"index": 2, "start": start + seconds / 2}],
        }
    )
    manifest["duration"] = start + seconds
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def make_work(
    root: Path,
    slug: str,
    *,
    title: str = "The Lantern Road",
    author: str = "M. Quill",
    summary: str = "Two couriers, one lantern.",
    rating: str | None = "Teen And Up Audiences",
    chapters: int = 3,
    work_id: str | None = None,
) -> Path:
    work_dir = root / slug
    work_dir.mkdir(parents=True)
    Image.new("RGB", (64, 64), (40, 90, 160)).save(work_dir / "cover.jpg", "JPEG")
    manifest: dict[str, Any] = {
        "narrate_version": "0.1.0",
        "work_id": work_id or f"id-{slug}",
        "slug": slug,
        "title": title,
        "author": author,
        "summary": summary,
        "language": "en",
        "rating": rating,
        "tags": {
            **({"Rating": [rating]} if rating else {}),
            "Archive Warning": ["No Archive Warnings Apply"],
            "Stats": ["Words: 12"],
        },
        "cover": "cover.jpg",
        "duration": 0,
        "files": {"m4b": None, "mp3": None, "vtt": None, "chapters_json": None},
        "chapters": [],
    }
    (work_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for i in range(1, chapters + 1):
        add_chapter(work_dir, i, f"Chapter {i}", 1.0 + 0.5 * i, f"2026-03-0{i}T10:00:00+00:00")
    return work_dir


def local_path(url: str, root: Path) -> Path:
    """Where an enclosure URL points inside the feed folder."""
    assert url.startswith(BASE)
    return root / unquote(urlsplit(url).path.lstrip("/"))


def items_by_guid(feed: Path) -> dict[str, str]:
    root = ET.parse(feed).getroot()
    return {
        item.findtext("guid") or "": ET.tostring(item, encoding="unicode")
        for item in root.iter("item")
    }


def test_every_item_enclosure_duration_guid_chapters_and_transcripts(tmp_path: Path) -> None:
    work = make_work(tmp_path, "the-lantern-road", rating="Explicit")
    feed = build_feed([work], tmp_path, base_url=BASE.rstrip("/"))
    assert feed == tmp_path / "feed.xml"

    parsed = feedparser.parse(feed.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "The Lantern Road"
    assert parsed.feed.author == "M. Quill"
    # Summary, then the tags a reader checks first; not AO3's stats.
    assert parsed.feed.subtitle.split("\n") == [
        "Two couriers, one lantern.",
        "",
        "Rating: Explicit",
        "Archive Warning: No Archive Warnings Apply",
    ]
    assert parsed.feed.language == "en"
    assert parsed.feed.image.href == BASE + "the-lantern-road/cover.jpg"
    # Apple's current values are true/false; feedparser only knows the old "yes".
    assert parsed.feed.itunes_explicit is None
    assert len(parsed.entries) == 3

    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    pod = podcastparser.parse(BASE + "feed.xml", io.BytesIO(feed.read_bytes()))
    assert pod["title"] == "The Lantern Road" and pod["type"] == "serial"
    assert pod["explicit"] is True
    by_number = {ep["number"]: ep for ep in pod["episodes"]}
    assert sorted(by_number) == [1, 2, 3]
    for chapter in manifest["chapters"]:
        ep = by_number[chapter["index"]]
        mp3 = work / chapter["mp3"]
        (enclosure,) = ep["enclosures"]
        assert enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["file_size"] == mp3.stat().st_size
        assert local_path(enclosure["url"], tmp_path).read_bytes() == mp3.read_bytes()
        assert ep["total_time"] == round(chapter["duration"])
        assert ep["guid"] == f"narrate:id-the-lantern-road:{chapter['index']}"
        assert ep["published"] == int(
            parsedate_to_datetime(f"0{chapter['index']} Mar 2026 10:00:00 GMT").timestamp()
        )
        # Inline Podlove chapters mirror the JSON (scene 1 folded into the chapter).
        assert [c["title"] for c in ep["chapters"]] == [
            chapter["title"],
            f"{chapter['title']} — Scene 2",
        ]

    # podcastparser 0.6 only knows the namespace's old GitHub URI, and feedparser
    # ignores it, so the Podcasting 2.0 links are checked on the XML itself.
    links = {
        item.findtext("guid"): {
            "chapters": item.find(f"{{{PODCAST}}}chapters").get("url"),  # type: ignore[union-attr]
            "vtt": next(
                t.get("url")
                for t in item.iter(f"{{{PODCAST}}}transcript")
                if t.get("type") == "text/vtt"
            ),
        }
        for item in ET.parse(feed).getroot().iter("item")
    }
    for chapter in manifest["chapters"]:
        link = links[f"narrate:id-the-lantern-road:{chapter['index']}"]
        assert local_path(link["chapters"] or "", tmp_path) == work / chapter["chapters_json"]
        assert local_path(link["vtt"] or "", tmp_path) == work / chapter["vtt"]

    # Raw check of the namespaced elements parsers don't expose.
    root = ET.parse(feed).getroot()
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext(f"{{{ITUNES}}}type") == "serial"
    assert channel.find(f"{{{ITUNES}}}category").get("text") == "Arts"  # type: ignore[union-attr]
    for item in root.iter("item"):
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"
        chapters = item.find(f"{{{PODCAST}}}chapters")
        assert chapters is not None and chapters.get("type") == "application/json+chapters"
        kinds = {t.get("type"): t.get("url") for t in item.iter(f"{{{PODCAST}}}transcript")}
        assert set(kinds) == {"text/vtt", "application/x-subrip"}
        assert local_path(kinds["application/x-subrip"] or "", tmp_path).suffix == ".srt"
        assert item.find(f"{{{ITUNES}}}season") is None  # one work: no seasons


def test_a_new_chapter_adds_one_item_and_changes_no_old_one(tmp_path: Path) -> None:
    work = make_work(tmp_path, "wip", chapters=6)
    feed = build_feed([work], tmp_path, base_url=BASE)
    before = items_by_guid(feed)

    add_chapter(work, 7, "Chapter 7", 2.0, "2026-04-01T09:30:00Z")
    after = items_by_guid(build_feed([work], tmp_path, base_url=BASE))
    assert set(after) - set(before) == {"narrate:id-wip:7"}
    for guid, xml in before.items():
        assert after[guid] == xml

    # A re-render that stamps every chapter anew keeps each episode's first date.
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    for chapter in manifest["chapters"]:
        chapter["published"] = "2026-05-05T05:05:05Z"
    (work / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    again = items_by_guid(build_feed([work], tmp_path, base_url=BASE))
    assert again == after


def test_same_second_chapters_get_increasing_dates(tmp_path: Path) -> None:
    work = make_work(tmp_path, "batch", chapters=0)
    for i in range(1, 4):
        add_chapter(work, i, f"Part {i}", 1.0, "2026-06-01T12:00:00")
    parsed = podcastparser.parse(
        BASE, io.BytesIO(build_feed([work], tmp_path, base_url=BASE).read_bytes())
    )
    dates = {ep["number"]: ep["published"] for ep in parsed["episodes"]}
    assert dates[1] < dates[2] < dates[3]


def test_hostile_text_makes_a_valid_feed(tmp_path: Path) -> None:
    title = "Tom & Jerry <script>\"x\"</script> 'q' 🦊 שלום עולם \x0b]]>"
    work = make_work(
        tmp_path, "weird", title=title, summary="a < b && c > d 🌙 مرحبا", author="A&B"
    )
    feed = build_feed([work], tmp_path, base_url=BASE, title=None)
    parsed = feedparser.parse(feed.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    expected = title.replace("\x0b", "")
    raw = ET.parse(feed).getroot().find("channel")
    assert raw is not None and raw.findtext("title") == expected
    assert (raw.findtext("description") or "").startswith("a < b && c > d 🌙 مرحبا\n\nRating: ")
    pod = podcastparser.parse(BASE, io.BytesIO(feed.read_bytes()))
    assert len(pod["episodes"]) == 3


def test_several_works_share_a_feed_one_season_each(tmp_path: Path) -> None:
    a = make_work(tmp_path, "alpha", title="Alpha", rating="General Audiences", chapters=2)
    b = make_work(tmp_path, "beta", title="Beta", rating="Mature", chapters=3)
    feed = build_feed([a, b], tmp_path, base_url=BASE, title="My shelf")
    pod = podcastparser.parse(BASE, io.BytesIO(feed.read_bytes()))
    assert pod["title"] == "My shelf"
    seasons = sorted((ep["season"], ep["number"]) for ep in pod["episodes"])
    assert seasons == [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3)]
    root = ET.parse(feed).getroot()
    assert root.findtext(f"channel/{{{ITUNES}}}explicit") == "true"  # any Mature work
    names = {s.get("name") for s in root.iter(f"{{{PODCAST}}}season")}
    assert names == {"Alpha", "Beta"}
    explicit = {i.findtext("guid"): i.findtext(f"{{{ITUNES}}}explicit") for i in root.iter("item")}
    assert explicit["narrate:id-alpha:1"] == "false" and explicit["narrate:id-beta:1"] == "true"

    flat = build_feed([a, b], tmp_path / "flat.xml", base_url=BASE, one_season_per_work=False)
    numbers = sorted(
        ep["number"] for ep in podcastparser.parse(BASE, io.BytesIO(flat.read_bytes()))["episodes"]
    )
    assert numbers == [1, 2, 3, 4, 5]


def test_urls_are_percent_encoded(tmp_path: Path) -> None:
    work = make_work(tmp_path, "été #1 & more", chapters=1)
    feed = build_feed([work], tmp_path, base_url=BASE)
    (ep,) = podcastparser.parse(BASE, io.BytesIO(feed.read_bytes()))["episodes"]
    url = ep["enclosures"][0]["url"]
    assert " " not in url and "#" not in url and "é" not in url
    assert local_path(url, tmp_path).is_file()


def test_unsplit_render_becomes_one_episode(tmp_path: Path) -> None:
    work = make_work(tmp_path, "whole", chapters=0)
    make_mp3(work / "whole.mp3", 2.0, tmp_path)
    manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["mp3"] = "whole.mp3"
    manifest["duration"] = 2.0
    manifest["chapters"] = [
        {
            "index": 1,
            "title": "One",
            "start": 0,
            "duration": 2.0,
            "mp3": None,
            "published": "2026-01-01T00:00:00Z",
            "scenes": [],
        }
    ]
    (work / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    pod = podcastparser.parse(
        BASE, io.BytesIO(build_feed([work], tmp_path, base_url=BASE).read_bytes())
    )
    (ep,) = pod["episodes"]
    assert ep["guid"] == "narrate:id-whole:book" and ep["total_time"] == 2
    assert ep["enclosures"][0]["file_size"] == (work / "whole.mp3").stat().st_size


def test_bad_inputs_raise_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no manifest\.json"):
        build_feed([tmp_path], tmp_path, base_url=BASE)
    work = make_work(tmp_path / "out", "w", chapters=1)
    with pytest.raises(InputError, match="outside the feed folder"):
        build_feed([work], tmp_path / "out" / "w" / "chapters", base_url=BASE)
    with pytest.raises(InputError, match="base-url"):
        build_feed([work], tmp_path / "out", base_url="192.168.1.2:8000")
    (work / "chapters" / "01-ch1.mp3").unlink()
    with pytest.raises(InputError, match="missing"):
        build_feed([work], tmp_path / "out", base_url=BASE)
    (work / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        build_feed([work], tmp_path / "out", base_url=BASE)
    assert not (tmp_path / "out" / "feed.xml").exists()  # no partial output


def test_cli_feed(tmp_path: Path) -> None:
    work = make_work(tmp_path, "cli-work", chapters=2)
    runner = CliRunner()
    result = runner.invoke(main, ["feed", str(work), "--base-url", BASE, "--title", "Shelf"])
    assert result.exit_code == 0, result.output
    feed = tmp_path / "feed.xml"
    assert str(feed) in result.output
    assert feedparser.parse(feed.read_bytes()).feed.title == "Shelf"

    (tmp_path / "not-rendered").mkdir()
    result = runner.invoke(main, ["feed", str(tmp_path / "not-rendered")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "narrate render" in result.output
    result = runner.invoke(main, ["feed", str(tmp_path / "nothing-here")])
    assert result.exit_code == 2 and result.output.startswith("Error: ")
    assert "Traceback" not in result.output


TINY_WORK = """# The Tin Kettle

*by Ora Vell*

## Chapter One: Steam

The kettle sang at dawn. Mira lifted it from the stove.

"Too loud," said Bram.

## Chapter Two: Leaves

The tea was bitter. Bram drank it anyway.
"""


def render_tiny(work: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            str(work),
            "-o",
            str(out),
            "--workers",
            "1",
            "--cache-dir",
            str(out.parent / "cache"),
            "--feed",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"feed: {out / 'feed.xml'}" in result.output


def test_render_feed_end_to_end_and_a_growing_work(tmp_path: Path) -> None:
    """Real render --feed of a tiny work; then the work gains a chapter and is re-rendered."""
    work, out = tmp_path / "kettle.md", tmp_path / "out"
    work.write_text(TINY_WORK, encoding="utf-8")
    render_tiny(work, out, "--subtitles", "srt")
    feed = out / "feed.xml"
    manifest = json.loads((out / "the-tin-kettle" / "manifest.json").read_text(encoding="utf-8"))
    pod = podcastparser.parse("http://localhost:8000/feed.xml", io.BytesIO(feed.read_bytes()))
    assert pod["title"] == "The Tin Kettle"
    episodes = sorted(pod["episodes"], key=lambda ep: ep["number"])
    assert [ep["title"] for ep in episodes] == ["Steam", "Leaves"]
    for ep, chapter in zip(episodes, manifest["chapters"], strict=True):
        mp3 = out / "the-tin-kettle" / chapter["mp3"]
        assert ep["enclosures"][0]["file_size"] == mp3.stat().st_size
        assert ep["total_time"] == round(chapter["duration"])
        assert abs(chapter["duration"] - _mp3_seconds(mp3)) < 0.1
        assert ep["chapters"][0]["title"] in ("The Tin Kettle", "Steam", "Leaves")
    root = ET.parse(feed).getroot()
    for item in root.iter("item"):
        for link in item.iter(f"{{{PODCAST}}}transcript"):
            url = link.get("url") or ""
            path = out / unquote(urlsplit(url).path.lstrip("/"))
            assert path.is_file(), url
        transcripts = {t.get("type") for t in item.iter(f"{{{PODCAST}}}transcript")}
        assert transcripts == {"text/vtt", "application/x-subrip"}
    vtt = (out / "the-tin-kettle" / manifest["chapters"][0]["vtt"]).read_text(encoding="utf-8")
    assert "<v Bram>" in vtt and "Too loud" in vtt
    before = items_by_guid(feed)

    work.write_text(
        TINY_WORK + "\n## Chapter Three: Cups\n\nTwo cups waited on the sill.\n", encoding="utf-8"
    )
    render_tiny(work, out)
    after = items_by_guid(feed)
    new = set(after) - set(before)
    assert len(new) == 1 and next(iter(new)).endswith(":3")
    first = next(g for g in before if g.endswith(":1"))
    assert after[first] == before[first]  # untouched chapter: identical item
    for guid in before:  # every old episode keeps its identity, title and date
        old, now = ET.fromstring(before[guid]), ET.fromstring(after[guid])
        for tag in ("guid", "title", "pubDate", f"{{{ITUNES}}}episode"):
            assert old.findtext(tag) == now.findtext(tag), (guid, tag)


def _mp3_seconds(path: Path) -> float:
    from mutagen.mp3 import MP3

    return float(MP3(path).info.length)


def test_render_feed_needs_mp3(tmp_path: Path) -> None:
    work = tmp_path / "kettle.md"
    work.write_text(TINY_WORK, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["render", str(work), "-o", str(tmp_path / "out"), "--format", "m4b", "--feed"]
    )
    assert result.exit_code == 2 and "--feed needs MP3" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_feed_accepts_the_work_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kettle.md").write_text(TINY_WORK, encoding="utf-8")
    make_work(tmp_path / "output", "the-tin-kettle", title="The Tin Kettle", chapters=1)
    result = CliRunner().invoke(main, ["feed", "kettle.md", "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "feed.xml").is_file()

    (tmp_path / "other.md").write_text("# Unheard\n\nNobody rendered this.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["feed", "other.md"])
    assert result.exit_code == 2
    assert "not rendered yet" in result.output and "narrate render other.md" in result.output


def test_a_one_shot_episode_is_named_after_the_work(tmp_path: Path) -> None:
    work = make_work(tmp_path, "one-shot", title="Paper Boats", chapters=1)
    feed = build_feed([work], tmp_path, base_url=BASE)
    (ep,) = podcastparser.parse(BASE, io.BytesIO(feed.read_bytes()))["episodes"]
    assert ep["title"] == "Paper Boats"
    assert ep["description"].startswith("Chapter 1 of Paper Boats by M. Quill.")

    # An AO3 work in progress ("Chapters: 1/?") keeps "Chapter 1", so chapter 2's
    # arrival adds an item and renames none.
    wip = make_work(tmp_path, "wip-shot", title="Paper Boats", chapters=1)
    manifest = json.loads((wip / "manifest.json").read_text(encoding="utf-8"))
    manifest["tags"]["Stats"] = ["Published: 2026-03-01 Words: 900 Chapters: 1/?"]
    (wip / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = items_by_guid(build_feed([wip], tmp_path / "wip.xml", base_url=BASE))
    assert "<title>Chapter 1</title>" in next(iter(before.values()))
    add_chapter(wip, 2, "Chapter 2", 1.0, "2026-03-09T10:00:00Z")
    after = items_by_guid(build_feed([wip], tmp_path / "wip.xml", base_url=BASE))
    assert len(after) == 2 and all(after[guid] == xml for guid, xml in before.items())
