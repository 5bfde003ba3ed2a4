"""Tags, chapters and cover art for the finished files.

One declarative table (in the spirit of beets' mediafile) says which MP4 atoms
and ID3 frames carry each of our tag names, so the M4B and MP3 writers cannot
drift apart. MP4 chapters are muxed by ffmpeg (mutagen cannot write them) before
these tags are added; MP3 chapters are ID3 ``CHAP`` frames plus an ordered,
top-level ``CTOC`` (BookPlayer and Prologue ignore CHAP frames without one) and,
for scenes, one nested ``CTOC`` per chapter.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate.errors import InputError, OutputError


@dataclass(frozen=True)
class TagField:
    mp4: tuple[str, ...]  # atoms
    id3: tuple[str, ...]  # frame ids (text frames unless noted in the writer)


# Our name -> where players look for it. Audiobookshelf maps album/title to the
# book title, artist to author, composer to narrator; Apple Books wants stik=2.
TAG_TABLE: dict[str, TagField] = {
    "title": TagField(("©nam", "©alb"), ("TIT2", "TALB")),
    "author": TagField(("©ART", "aART"), ("TPE1", "TPE2")),
    "narrator": TagField(("©wrt",), ("TCOM",)),
    "genre": TagField(("©gen",), ("TCON",)),
    "description": TagField(("desc", "ldes"), ("COMM",)),
    "year": TagField(("©day",), ("TDRC",)),
    "series": TagField(("----:com.apple.iTunes:SERIES",), ("TXXX:SERIES",)),
    "language": TagField(("----:com.apple.iTunes:LANGUAGE",), ("TLAN",)),
    "comment": TagField(("©cmt",), ("TXXX:COMMENT",)),
}


@dataclass(frozen=True)
class Mark:
    """A chapter (or scene) mark in the finished file, in milliseconds."""

    title: str
    start_ms: int
    end_ms: int
    children: tuple[Mark, ...] = ()  # scenes of a chapter (MP3 nested TOC)


def write_m4b_tags(
    path: Path,
    tags: Mapping[str, str],
    cover_jpeg: bytes | None,
    track: tuple[int, int] | None = None,
) -> None:
    import mutagen.mp4

    mp4: Any = mutagen.mp4  # untyped library
    MP4Cover, MP4FreeForm = mp4.MP4Cover, mp4.MP4FreeForm
    audio = mp4.MP4(str(path))
    if audio.tags is None:
        audio.add_tags()
    assert audio.tags is not None
    for name, value in tags.items():
        if not value:
            continue
        for atom in TAG_TABLE[name].mp4:
            if atom.startswith("----:"):
                audio.tags[atom] = [MP4FreeForm(value.encode("utf-8"))]
            else:
                audio.tags[atom] = [value]
    audio.tags["stik"] = [2]  # media kind: audiobook
    if track is not None:
        audio.tags["trkn"] = [track]
    if cover_jpeg:
        audio.tags["covr"] = [MP4Cover(cover_jpeg, imageformat=MP4Cover.FORMAT_JPEG)]
    try:
        audio.save()
    except Exception as exc:
        raise OutputError(f"cannot tag {path}: {exc}") from None


def write_mp3_tags(
    path: Path,
    tags: Mapping[str, str],
    cover_jpeg: bytes | None,
    marks: Sequence[Mark],
    track: int | tuple[int, int] | None = None,
) -> None:
    """ID3v2.4 tags, chapters and cover. ``track``: a number, or (number, total)."""
    import mutagen.id3

    id3: Any = mutagen.id3  # untyped library: keep mypy's strict mode to our code
    frames = id3.ID3()
    for name, value in tags.items():
        if not value:
            continue
        for frame_id in TAG_TABLE[name].id3:
            if frame_id == "COMM":
                frames.add(id3.COMM(encoding=3, lang="eng", desc="", text=[value]))
            elif frame_id.startswith("TXXX:"):
                frames.add(id3.TXXX(encoding=3, desc=frame_id[5:], text=[value]))
            else:
                frames.add(getattr(id3, frame_id)(encoding=3, text=[value]))
    if track is not None:
        text = str(track) if isinstance(track, int) else f"{track[0]}/{track[1]}"
        frames.add(id3.TRCK(encoding=3, text=[text]))
    if cover_jpeg:
        frames.add(
            id3.APIC(
                encoding=3,
                mime="image/jpeg",
                type=id3.PictureType.COVER_FRONT,
                desc="Cover",
                data=cover_jpeg,
            )
        )
    top_ids: list[str] = []
    for i, mark in enumerate(marks):
        chap_id = f"ch{i}"
        top_ids.append(chap_id)
        frames.add(_chap(id3, chap_id, mark))
        if mark.children:
            scene_ids = [f"ch{i}s{j}" for j in range(len(mark.children))]
            for scene_id, scene in zip(scene_ids, mark.children, strict=True):
                frames.add(_chap(id3, scene_id, scene))
            frames.add(
                id3.CTOC(
                    element_id=f"toc{i}",
                    flags=id3.CTOCFlags.ORDERED,
                    child_element_ids=scene_ids,
                    sub_frames=[id3.TIT2(encoding=3, text=[mark.title])],
                )
            )
    if top_ids:
        frames.add(
            id3.CTOC(
                element_id="toc",
                flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                child_element_ids=top_ids,
                sub_frames=[id3.TIT2(encoding=3, text=[tags.get("title", "")])],
            )
        )
    try:
        frames.save(str(path), v2_version=4)
    except Exception as exc:
        raise OutputError(f"cannot tag {path}: {exc}") from None


def _chap(id3: Any, element_id: str, mark: Mark) -> Any:
    return id3.CHAP(
        element_id=element_id,
        start_time=mark.start_ms,
        end_time=mark.end_ms,
        start_offset=0xFFFFFFFF,
        end_offset=0xFFFFFFFF,
        sub_frames=[id3.TIT2(encoding=3, text=[mark.title])],
    )


# --- cover art ----------------------------------------------------------------------

COVER_SIZE = 1400  # Apple Podcasts' minimum square artwork


def load_cover(path: Path) -> bytes:
    """A user-supplied cover, as JPEG bytes (any format Pillow reads; square-cropped)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.load()
            rgb = img.convert("RGB")
    except FileNotFoundError:
        raise InputError(
            path, "cover image not found", "pass an existing JPEG or PNG to --cover"
        ) from None
    except (UnidentifiedImageError, OSError):
        raise InputError(
            path, "not an image Pillow can read", "pass a JPEG or PNG to --cover"
        ) from None
    side = min(rgb.size)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    square = rgb.crop((left, top, left + side, top + side))
    if side > 3000:
        square = square.resize((3000, 3000))
    out = io.BytesIO()
    square.save(out, "JPEG", quality=90)
    return out.getvalue()


def title_card(title: str, author: str | None) -> bytes:
    """A generated square JPEG title card: the title, a rule, the author."""
    from PIL import Image, ImageDraw, ImageFont

    size = COVER_SIZE
    img = Image.new("RGB", (size, size), (28, 36, 54))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 60, size - 60, size - 60), outline=(214, 178, 102), width=6)

    def font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        try:
            return ImageFont.load_default(size=px)
        except (TypeError, OSError):  # Pillow without FreeType
            return ImageFont.load_default()

    title_font = font(110)
    lines = textwrap.wrap(title or "Untitled", width=18)[:6]
    y = 380 - 60 * (len(lines) - 1)
    for line in lines:
        width = draw.textlength(line, font=title_font)
        draw.text(((size - width) / 2, y), line, font=title_font, fill=(245, 240, 228))
        y += 135
    y += 40
    draw.line((size / 2 - 220, y, size / 2 + 220, y), fill=(214, 178, 102), width=4)
    if author:
        author_font = font(70)
        byline = textwrap.shorten(author, width=34, placeholder="…")
        width = draw.textlength(byline, font=author_font)
        draw.text(((size - width) / 2, y + 60), byline, font=author_font, fill=(214, 178, 102))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()
