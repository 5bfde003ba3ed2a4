"""Tags and cover art, read back with mutagen; MP4 chapters survive tagging."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from mutagen.mp4 import MP4
from PIL import Image

from narrate import audio, tags
from narrate.errors import InputError

RATE = 22050


def _m4b(tmp_path: Path) -> Path:
    seg = tmp_path / "a.aac"
    audio.encode_stream([audio.silence(audio.FRAME_ALIGN * 10)], RATE, "m4b", "64k", seg)
    dest = tmp_path / "book.m4b"
    meta = audio.ffmetadata([(0, 40000, "Opening"), (40000, 92160, "Second; part")], RATE, {})
    audio.mux_m4b(seg, meta, dest)
    return dest


def test_mutagen_tags_keep_ffmpeg_chapters(tmp_path: Path) -> None:
    path = _m4b(tmp_path)
    cover = tags.title_card("A Title", "An Author")
    tags.write_m4b_tags(
        path,
        {
            "title": "A Title",
            "author": "An Author",
            "narrator": "espeak",
            "genre": "Audiobook",
            "description": "About it.",
            "series": "Saga",
        },
        cover,
    )
    m4b = MP4(str(path))
    assert [c.title for c in m4b.chapters] == ["Opening", "Second; part"]
    assert abs(m4b.chapters[1].start - 40000 / RATE) < 0.001
    assert m4b.tags["©nam"] == ["A Title"] and m4b.tags["desc"] == ["About it."]
    assert m4b.tags["stik"] == [2] and bytes(m4b.tags["covr"][0]) == cover
    assert bytes(m4b.tags["----:com.apple.iTunes:SERIES"][0]) == b"Saga"


def test_title_card_is_square_jpeg() -> None:
    data = tags.title_card("A Very Long Title That Has To Wrap Over Several Lines", None)
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.size == (tags.COVER_SIZE, tags.COVER_SIZE)


def test_user_cover_is_cropped_square(tmp_path: Path) -> None:
    src = tmp_path / "c.png"
    Image.new("RGB", (800, 500), (10, 200, 30)).save(src)
    img = Image.open(io.BytesIO(tags.load_cover(src)))
    assert img.format == "JPEG" and img.size == (500, 500)
    bad = tmp_path / "c.jpg"
    bad.write_text("not an image")
    with pytest.raises(InputError):
        tags.load_cover(bad)
    with pytest.raises(InputError):
        tags.load_cover(tmp_path / "missing.jpg")
