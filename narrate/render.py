"""Render: an analysed work -> chaptered, tagged M4B/MP3, transcripts and a manifest.

The work is laid out as a *plan*: a list of segments (the intro, then each
chapter cut at scene/paragraph boundaries into pieces of roughly
``segment_words``), each a sequence of utterances and pauses. Then:

1. **Synthesis** — every utterance missing from the content-addressed cache is
   synthesized in worker processes, each preparing its clip (band-limit,
   levelling, 4x oversampled limiter: the costly DSP, done in parallel and once)
   and writing it to the cache itself (atomically), so a render killed at any
   point loses no finished clip.
2. **Encoding** — each segment is streamed, clip by clip with the book's
   loudness offset applied (and limited again only where that needs it), into its own ffmpeg encode (ADTS AAC and/or frame-only MP3), in
   parallel; encoded segments are cached under the hash of their clip list and
   settings, so a one-word edit re-encodes one segment. Segment PCM is padded
   to a multiple of ``FRAME_ALIGN`` samples so each encoded segment decodes to
   exactly ``samples + ENCODED_EXTRA``: chapter and cue times are computed from
   sample counts and land where the audio is.
3. **Assembly** — the M4B is muxed (FFMETADATA chapters from the planned sample
   counts) while the encoders run, fed each segment in book order as soon as it
   is verified, then tagged with mutagen; MP3 segments are joined with a
   byte-level stream copy and tagged with
   ID3 CHAP/CTOC, transcripts and chapter JSON written, and finally the
   manifest. Every output is written to a temporary name and renamed.

Nothing here holds more than one clip of PCM in memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from narrate import __version__, audio
from narrate.cache import Cache, ClipInfo, clip_key, default_cache_dir
from narrate.errors import InputError, NarrateError, OutputError
from narrate.model import Line, NotesPolicy, VoiceProfile, Work
from narrate.transcript import public_file_mode, write_bytes_atomic

if TYPE_CHECKING:  # the pipeline is imported lazily at run time
    from narrate.pipeline import Analysis


@dataclass(frozen=True)
class Pauses:
    """Silence (seconds) by boundary: line < paragraph < scene < chapter."""

    line: float = 0.15
    paragraph: float = 0.7
    scene: float = 2.0
    chapter_tail: float = 2.0  # after a chapter's last line (the last chapter's too)
    chapter_lead: float = 1.0  # before a chapter's spoken title
    after_title: float = 1.2
    lead_in: float = 0.6
    tail: float = 2.5  # end of a preview, and of the closing notes


@dataclass(frozen=True)
class RenderSettings:
    formats: tuple[str, ...] = ("m4b", "mp3")
    out_dir: Path = Path("output")
    split_chapters: bool = False
    workers: int = 0  # 0: one per CPU
    cache_dir: Path | None = None  # None: NARRATE_CACHE_DIR, else the user cache dir
    cover: Path | None = None
    notes: NotesPolicy = NotesPolicy.SKIP
    scene_chapters: bool = False  # M4B: every scene its own chapter mark (always for one-shots)
    subtitles: tuple[str, ...] = ("vtt",)  # "vtt" always; add "srt"
    engine: str = "espeak"  # engine name, or "module:factory" returning an Engine
    mastering: audio.Mastering = field(default_factory=audio.Mastering)
    pauses: Pauses = field(default_factory=Pauses)
    aac_bitrate: str = "64k"
    mp3_bitrate: str = "64k"
    segment_words: int = 1500  # ~10 minutes: the unit of parallel encoding and re-use
    progress: bool | None = None  # None: bars on a TTY, plain lines otherwise


@dataclass(frozen=True)
class RenderResult:
    out_dir: Path
    files: tuple[Path, ...]
    duration: float
    synthesized: int
    reused: int
    manifest: Path | None

    def summary(self) -> str:
        names = ", ".join(str(p) for p in self.files)
        return (
            f"synthesized {self.synthesized} lines, reused {self.reused} from cache; "
            f"wrote {names}; total duration {format_duration(self.duration)}"
        )


# --- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Utterance:
    key: str  # clip cache key
    speech: str  # speech-ready text handed to the engine
    profile: VoiceProfile
    cue: str  # the author's text for the transcript (whitespace collapsed)
    speaker: str | None
    line_id: str | None


@dataclass(frozen=True)
class Gap:
    seconds: float


Item = Utterance | Gap


@dataclass(frozen=True)
class Segment:
    """A run of audio encoded as one unit; ``part`` is 0 for the intro, the
    chapter index for chapters and ``len(chapters) + 1`` for the closing notes."""

    part: int
    items: tuple[Item, ...]
    scene_starts: tuple[
        tuple[int, int], ...
    ] = ()  # (scene index, item index of its first utterance)


@dataclass(frozen=True)
class Part:
    number: int
    title: str  # what players show
    kind: str  # "intro", "chapter", "outro"


@dataclass(frozen=True)
class Plan:
    work: Work
    parts: tuple[Part, ...]
    segments: tuple[Segment, ...]
    engine: str
    engine_version: str

    def utterances(self) -> Iterator[Utterance]:
        for segment in self.segments:
            for item in segment.items:
                if isinstance(item, Utterance):
                    yield item


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _speech(text: str, lexicon: Mapping[str, str]) -> str:
    from narrate.speech import speech_text

    return speech_text(text, lexicon)


def chapter_announcement(index: int, title: str | None, heading: str | None) -> str:
    """What the narrator says at the top of a chapter."""
    if title and not re.match(r"(?i)\s*(chapter|part|book|prologue|epilogue)\b", title):
        return f"Chapter {index}. {title}"
    return title or heading or f"Chapter {index}"


def build_plan(
    analysis: Analysis,
    settings: RenderSettings,
    engine_version: str,
    *,
    lines: Sequence[Line] | None = None,
    intro: bool = True,
    titles: bool = True,
) -> Plan:
    """Lay out the whole render (or, with ``lines``, a preview of some lines)."""
    work = analysis.work
    pauses = settings.pauses
    narrator = analysis.profiles[analysis.cast.narrator_voice]
    lexicon = analysis.lexicon
    engine_name = settings.engine

    def say(
        text: str,
        profile: VoiceProfile,
        *,
        speaker: str | None = None,
        line_id: str | None = None,
        cue: str | None = None,
    ) -> Utterance:
        speech = _speech(text, lexicon)
        key = clip_key(engine_name, engine_version, profile, speech, lexicon, settings.mastering)
        return Utterance(
            key, speech, profile, _collapse(cue if cue is not None else text), speaker, line_id
        )

    def notes(*texts: str | None) -> list[Item]:
        """An author's notes, announced as such, one utterance per paragraph."""
        spoken: list[Item] = [say("Author's notes.", narrator, cue="Author's notes:")]
        for text in texts:
            for para in _paragraphs(text or ""):
                spoken += [Gap(pauses.paragraph), say(para, narrator)]
        return spoken

    meta = work.meta
    parts: list[Part] = []
    segments: list[Segment] = []
    if intro:
        items: list[Item] = [Gap(pauses.lead_in), say(meta.title, narrator)]
        if meta.author:
            items += [Gap(0.5), say(f"by {meta.author}", narrator)]
        spoken = [meta.summary] if meta.summary else []
        if settings.notes == NotesPolicy.INTRO and meta.notes:
            spoken.append(meta.notes)
        for text in spoken:
            for para in _paragraphs(text):
                items += [Gap(pauses.paragraph), say(para, narrator)]
        items.append(Gap(pauses.chapter_tail))
        parts.append(Part(0, meta.title, "intro"))
        segments.append(Segment(0, tuple(items)))

    chosen = list(analysis.lines if lines is None else lines)
    by_chapter: dict[int, list[Line]] = {}
    for line in chosen:
        by_chapter.setdefault(line.chapter, []).append(line)
    first_segment = True
    for chapter in work.chapters:
        chapter_lines = by_chapter.get(chapter.index)
        if not chapter_lines:
            continue
        parts.append(Part(chapter.index, chapter.display_title, "chapter"))
        lead = pauses.chapter_lead if intro or not first_segment else pauses.lead_in
        items = [Gap(lead)]
        if titles:
            items += [
                say(
                    chapter_announcement(chapter.index, chapter.title, chapter.heading),
                    narrator,
                    cue=chapter.display_title,
                ),
                Gap(pauses.after_title),
            ]
            if settings.notes == NotesPolicy.INTRO and chapter.notes:
                items += [*notes(chapter.notes), Gap(pauses.scene)]
        scene_starts: list[tuple[int, int]] = []
        words = 0
        previous: Line | None = None
        for line in chapter_lines:
            if previous is not None:
                if line.scene != previous.scene:
                    boundary = pauses.scene
                elif line.paragraph != previous.paragraph:
                    boundary = pauses.paragraph
                else:
                    boundary = pauses.line
                # Cut a new segment at a paragraph or scene boundary once this
                # one holds enough words: counted since the last cut, so an
                # edit elsewhere does not move later cuts.
                if boundary > pauses.line and words >= settings.segment_words:
                    segments.append(Segment(chapter.index, tuple(items), tuple(scene_starts)))
                    items, scene_starts, words = [], [], 0
                items.append(Gap(boundary))
            if previous is None or line.scene != previous.scene:
                scene_starts.append((line.scene, len(items)))
            profile = analysis.voice_for(line)
            speaker = line.speaker if line.kind == "dialogue" else None
            items.append(say(line.text, profile, speaker=speaker, line_id=line.id))
            words += len(line.text.split())
            previous = line
        if titles and settings.notes == NotesPolicy.END and (chapter.notes or chapter.end_notes):
            # all of the chapter's notes, after its story, so they never hold it up
            items += [Gap(pauses.scene), *notes(chapter.notes, chapter.end_notes)]
        # Every chapter ends the same way, last or not: a work in progress that
        # gains a chapter must not change the audio of the one before (its
        # podcast episode). Only a preview gets the longer closing tail.
        items.append(Gap(pauses.tail if lines is not None else pauses.chapter_tail))
        segments.append(Segment(chapter.index, tuple(items), tuple(scene_starts)))
        first_segment = False

    if intro and settings.notes == NotesPolicy.END and (meta.notes or meta.end_notes):
        number = len(work.chapters) + 1
        items = [Gap(pauses.chapter_lead), *notes(meta.notes, meta.end_notes), Gap(pauses.tail)]
        parts.append(Part(number, "Author's notes", "outro"))
        segments.append(Segment(number, tuple(items)))
    return Plan(work, tuple(parts), tuple(segments), engine_name, engine_version)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


# --- engines and synthesis -------------------------------------------------------------------


def make_engine(spec: str) -> Any:
    """``"espeak"`` -> narrate.engine.get_engine("espeak"); ``"pkg.mod:factory"`` -> factory()."""
    if ":" in spec:
        module, _, name = spec.partition(":")
        return getattr(importlib.import_module(module), name)()
    from narrate.engine import get_engine

    return get_engine(spec)


_worker_engine: Any = None
_worker_cache: Cache | None = None
_worker_mastering = audio.DEFAULT_MASTERING


def keep_freed_memory() -> None:
    """Stop glibc handing freed multi-megabyte blocks back to the kernel.

    Workers allocate and free a few large numpy arrays per clip; returned to
    the kernel (munmap, heap trim), each new array page-faults its memory in
    again. Measured on 150 seed clips: 0.5-1.4 s of system time per 2.5 s of
    DSP, gone with this. What is kept is bounded by the largest clip's arrays,
    whatever the book's length. A no-op where glibc is not the allocator.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: never trim the heap
        libc.mallopt(
            -3, 1 << 25
        )  # M_MMAP_THRESHOLD: 32 MiB (glibc's maximum): arrays come from the heap


def _init_synth_worker(engine_spec: str, cache_root: str, mastering: audio.Mastering) -> None:
    global _worker_engine, _worker_cache, _worker_mastering
    keep_freed_memory()
    _worker_engine = make_engine(engine_spec)
    _worker_cache = Cache(Path(cache_root))
    _worker_mastering = mastering


def _synth_one(key: str, text: str, profile: VoiceProfile) -> tuple[str, ClipInfo]:
    assert _worker_engine is not None and _worker_cache is not None
    clip = _worker_engine.synthesize(text, profile)
    # The clip is prepared (band-limited, levelled, limited) here, in parallel
    # and once: encoding then only applies the book offset.
    return key, _worker_cache.store_clip(key, clip, _worker_mastering)


class Progress:
    """tqdm bars on a terminal; plain, non-animated lines otherwise."""

    def __init__(self, enabled: bool | None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if enabled is None else enabled

    @contextlib.contextmanager
    def bar(self, total: int, desc: str, unit: str) -> Iterator[Callable[[int], None]]:
        if total == 0:
            yield lambda n: None
            return
        if self.tty:
            from tqdm import tqdm

            with tqdm(
                total=total, desc=desc, unit=unit, file=self.stream, dynamic_ncols=True
            ) as bar:
                yield bar.update
            return
        started = time.monotonic()
        done = 0
        next_report = 0.25
        print(f"{desc}: {total} {unit}s", file=self.stream, flush=True)

        def update(n: int) -> None:
            nonlocal done, next_report
            done += n
            if done / total >= next_report and done < total:
                elapsed = time.monotonic() - started
                eta = elapsed / done * (total - done)
                print(
                    f"{desc}: {done}/{total} {unit}s, about {eta:.0f} s left",
                    file=self.stream,
                    flush=True,
                )
                next_report += 0.25

        yield update
        print(
            f"{desc}: {total}/{total} {unit}s in {time.monotonic() - started:.1f} s",
            file=self.stream,
            flush=True,
        )


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=keep_freed_memory)


def synthesize_missing(
    plan: Plan, cache: Cache, workers: int, progress: Progress, mastering: audio.Mastering
) -> tuple[int, int, dict[str, ClipInfo]]:
    """Synthesize every clip not in the cache. Returns (synthesized, reused, infos)."""
    unique: dict[str, Utterance] = {}
    for utt in plan.utterances():
        unique.setdefault(utt.key, utt)
    missing = [u for k, u in unique.items() if not cache.has_clip(k)]
    infos: dict[str, ClipInfo] = {}
    with progress.bar(len(missing), "synthesizing", "line") as update:
        if missing and workers <= 1:
            engine = make_engine(plan.engine)
            for utt in missing:
                infos[utt.key] = cache.store_clip(
                    utt.key, engine.synthesize(utt.speech, utt.profile), mastering
                )
                update(1)
        elif missing:
            with ProcessPoolExecutor(
                max_workers=min(workers, len(missing)),
                initializer=_init_synth_worker,
                initargs=(plan.engine, str(cache.root), mastering),
            ) as pool:
                futures = [pool.submit(_synth_one, u.key, u.speech, u.profile) for u in missing]
                try:
                    for fut in as_completed(futures):
                        key, info = fut.result()
                        infos[key] = info
                        update(1)
                except BaseException:
                    for f in futures:
                        f.cancel()
                    raise
    for key in unique:
        if key not in infos:
            infos[key] = cache.clip_info(key)
    return len(missing), len(unique) - len(missing), infos


# --- timeline --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentLayout:
    segment: Segment
    key: str  # encoded-segment cache key (format appended)
    samples: int  # PCM fed to the encoder, a multiple of FRAME_ALIGN
    offsets: tuple[int, ...]  # start sample of each item
    lengths: tuple[int, ...]  # samples of each item


def layout(
    plan: Plan, infos: Mapping[str, ClipInfo], rate: int, settings: RenderSettings
) -> list[SegmentLayout]:
    out = []
    m = settings.mastering
    for segment in plan.segments:
        offsets: list[int] = []
        lengths: list[int] = []
        pos = 0
        parts: list[str] = [
            f"{rate}",
            f"{m.target}/{m.ceiling}/{m.encoder_headroom}/{m.max_boost}/{m.offset}",
            # the encoder arguments themselves: a changed codec setting must
            # never reuse a segment encoded with the old one
            m.fingerprint(),
            repr(audio.ENCODE_ARGS),
            f"tp{m.ceiling - TRUE_PEAK_MARGIN}x{TRUE_PEAK_RETRIES}/{ENCODER_OVERSHOOT}",
        ]
        for item in segment.items:
            if isinstance(item, Gap):
                n = audio.seconds_to_samples(item.seconds, rate)
                parts.append(f"g{n}")
            else:
                info = infos[item.key]
                n = (
                    info.samples
                    if info.sample_rate == rate
                    else round(info.samples * rate / info.sample_rate)
                )
                parts.append(item.key)
            offsets.append(pos)
            lengths.append(n)
            pos += n
        padded = -(-max(pos, 1) // audio.FRAME_ALIGN) * audio.FRAME_ALIGN
        key = hashlib.sha256("|".join([*parts, str(padded)]).encode()).hexdigest()[:40]
        out.append(SegmentLayout(segment, key, padded, tuple(offsets), tuple(lengths)))
    return out


def with_book_offset(
    plan: Plan,
    infos: Mapping[str, ClipInfo],
    rate: int,
    settings: RenderSettings,
    previous: float | None = None,
) -> RenderSettings:
    """Settings whose mastering brings this book to the target loudness.

    The offset is rounded to 0.1 dB and a previous render's offset is kept while
    it is within 0.5 dB, so a small edit does not change every clip's gain and
    invalidate every encoded segment.
    """

    def book() -> Iterator[tuple[audio.ClipStats | None, int]]:
        for segment in plan.segments:
            for item in segment.items:
                if isinstance(item, Gap):
                    yield None, audio.seconds_to_samples(item.seconds, rate)
                else:
                    yield infos[item.key].stats, infos[item.key].samples

    offset = round(audio.book_offset(book(), rate, settings.mastering), 1)
    if previous is not None and abs(previous - offset) < 0.5:
        offset = previous
    return replace(settings, mastering=replace(settings.mastering, offset=offset))


def _bitrate(settings: RenderSettings, fmt: str) -> str:
    return settings.aac_bitrate if fmt == "m4b" else settings.mp3_bitrate


@dataclass
class PeakBound:
    """The largest ``audio.mastered_peak`` of the clips fed to one encode (linear)."""

    value: float = 0.0


def _segment_pcm(
    lay: SegmentLayout,
    cache: Cache,
    rate: int,
    mastering: audio.Mastering,
    bound: PeakBound | None = None,
) -> Iterator[bytes]:
    fed = 0
    for item, length in zip(lay.segment.items, lay.lengths, strict=True):
        if isinstance(item, Gap):
            chunk = audio.silence(length)
        else:
            clip = cache.load_clip(item.key)
            if bound is not None:
                bound.value = max(
                    bound.value, audio.mastered_peak(clip.stats, clip.peaks, mastering)
                )
            chunk = audio.resample(
                audio.master(clip.pcm, clip.stats, clip.peaks, mastering), clip.sample_rate, rate
            )
        fed += len(chunk) // 2
        yield chunk
    yield audio.silence(lay.samples - fed)


# Each encoded segment must measure at least this far under the ceiling: the
# joined book is measured by ebur128, which agrees with our check to ~0.05 dB.
TRUE_PEAK_MARGIN = 0.2
TRUE_PEAK_RETRIES = 2
# How far (dB) the encoded true peak may land over the 4x peak of the PCM fed
# in, at the bitrates we use. Measured on all 41 segments of both seeds at 64
# kb/s with the limiter at -4.5 dBTP: AAC at most +0.60 dB (mean +0.35), MP3
# at most +2.0 dB (mean +1.1). Kept well over the AAC maximum; a
# segment whose PCM peak plus this could reach ceiling - TRUE_PEAK_MARGIN is
# decoded and measured (so every MP3 segment is, and any AAC segment that a
# lowered limiter margin or a loud book offset brings near the ceiling).
ENCODER_OVERSHOOT = {"m4b": 1.0, "mp3": 2.5}


def _db(linear: float) -> float:
    return 20 * math.log10(linear) if linear > 0 else float("-inf")


def encode_verified(
    chunks: Callable[[audio.Mastering, PeakBound], Iterable[bytes]],
    rate: int,
    fmt: str,
    bitrate: str,
    mastering: audio.Mastering,
    dest: Path,
) -> float:
    """Encode ``chunks(mastering, bound)`` to ``dest`` with its true peak under
    ``ceiling - TRUE_PEAK_MARGIN``; returns the true peak (dBTP) measured, or the
    bound it was predicted under.

    The limiter keeps the PCM under ``mastering.limit``, and ``chunks`` reports
    the bound of what it fed (from the clips' stored block peaks). Where that
    bound plus the encoder's measured overshoot (ENCODER_OVERSHOOT) stays under
    the goal, the file cannot be over it and is not decoded (decoding and
    measuring cost a quarter as much as encoding). Otherwise the encoded file is
    decoded and measured; if it is over, it is encoded again with the limiter
    lowered by the excess, at most ``TRUE_PEAK_RETRIES`` times.
    """
    goal = mastering.ceiling - TRUE_PEAK_MARGIN
    trim = mastering.trim
    peak = float("inf")
    for attempt in range(TRUE_PEAK_RETRIES + 1):
        bound = PeakBound()
        audio.encode_stream(chunks(replace(mastering, trim=trim), bound), rate, fmt, bitrate, dest)
        predicted = _db(bound.value) + ENCODER_OVERSHOOT[fmt]
        if attempt == 0 and predicted <= goal:
            return predicted
        peak = audio.encoded_true_peak(dest, rate)
        if peak <= goal:
            break
        # The overshoot scales with the level going in; the extra step covers
        # the encoder landing a little differently the second time.
        trim += peak - goal + 0.25 * (attempt + 1)
    return peak


def _encode_one(
    lay: SegmentLayout,
    fmt: str,
    cache_root: str,
    rate: int,
    mastering: audio.Mastering,
    bitrate: str,
) -> str:
    cache = Cache(Path(cache_root))
    dest = cache.segment_path(lay.key + "-" + bitrate, fmt)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=dest.name + ".", suffix=".tmp")
    os.close(fd)
    try:
        # Only the verified encode is cached, so a re-render never repeats the check.
        encode_verified(
            lambda m, b: _segment_pcm(lay, cache, rate, m, b),
            rate,
            fmt,
            bitrate,
            mastering,
            Path(tmp),
        )
        os.replace(tmp, dest)
    except BaseException:
        audio.remove_quietly(Path(tmp))
        raise
    return str(dest)


def encode_segments(
    layouts: Sequence[SegmentLayout],
    fmts: Sequence[str],
    cache: Cache,
    rate: int,
    settings: RenderSettings,
    workers: int,
    progress: Progress,
    on_ready: Callable[[int, str, Path], None] | None = None,
) -> dict[tuple[int, str], Path]:
    """Encode (or reuse) every segment in every format; returns (segment no, fmt) -> file.

    ``on_ready(i, fmt, path)`` is called (in this process) for each segment as
    soon as it exists; then segments are encoded in book order, so a consumer
    of the book in order (the streaming M4B mux) can start at once.
    """
    found: dict[tuple[int, str], Path] = {}
    todo: list[tuple[int, str]] = []
    for i, lay in enumerate(layouts):
        for fmt in fmts:
            path = cache.find_segment(lay.key + "-" + _bitrate(settings, fmt), fmt)
            if path is not None:
                found[(i, fmt)] = path
                if on_ready is not None:
                    on_ready(i, fmt, path)
            else:
                todo.append((i, fmt))
    if on_ready is None:
        # Longest first so the last job to start is a short one (less idle time at the end).
        todo.sort(key=lambda job: (-layouts[job[0]].samples, job[1]))

    def done(job: tuple[int, str], path: Path) -> None:
        found[job] = path
        if on_ready is not None:
            on_ready(job[0], job[1], path)

    with progress.bar(len(todo), "encoding", "segment") as update:
        if todo and workers <= 1:
            for i, fmt in todo:
                done(
                    (i, fmt),
                    Path(
                        _encode_one(
                            layouts[i],
                            fmt,
                            str(cache.root),
                            rate,
                            settings.mastering,
                            _bitrate(settings, fmt),
                        )
                    ),
                )
                update(1)
        elif todo:
            with _pool(min(workers, len(todo))) as pool:
                futures: dict[Future[str], tuple[int, str]] = {
                    pool.submit(
                        _encode_one,
                        layouts[i],
                        fmt,
                        str(cache.root),
                        rate,
                        settings.mastering,
                        _bitrate(settings, fmt),
                    ): (i, fmt)
                    for i, fmt in todo
                }
                for fut in as_completed(futures):
                    done(futures[fut], Path(fut.result()))
                    update(1)
    return found


class _InOrder:
    """Feeds M4B segments to the streaming mux in book order as they become ready,
    each checked to decode to the length the chapter times were computed for."""

    def __init__(self, layouts: Sequence[SegmentLayout], mux: audio.M4bMux) -> None:
        self.layouts = layouts
        self.mux = mux
        self.next = 0
        self.ready: dict[int, Path] = {}

    def __call__(self, i: int, fmt: str, path: Path) -> None:
        if fmt != "m4b":
            return
        self.ready[i] = path
        while self.next in self.ready:
            part = self.ready.pop(self.next)
            _check_length(part, "m4b", self.layouts[self.next])
            self.mux.add(part)
            self.next += 1


def _check_length(path: Path, fmt: str, lay: SegmentLayout) -> int:
    decoded = audio.count_frames(path, fmt)
    expected = lay.samples + audio.ENCODED_EXTRA[fmt]
    if decoded != expected:  # the arithmetic chapter times rely on
        raise OutputError(
            f"encoded segment has {decoded} samples, expected {expected}; "
            "clear the cache with `narrate cache --clear` and render again"
        )
    return decoded


def expected_timeline(layouts: Sequence[SegmentLayout], fmt: str, indices: Sequence[int]) -> Timed:
    """A format's timeline from sample counts alone (what encoding must produce)."""
    starts = []
    pos = 0
    for i in indices:
        starts.append(pos)
        pos += layouts[i].samples + audio.ENCODED_EXTRA[fmt]
    return Timed(fmt, tuple(starts), pos)


# --- names -----------------------------------------------------------------------------------------

_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def slugify(text: str | None, *, max_len: int = 60, fallback: str = "untitled") -> str:
    """A file-name-safe ASCII slug: no separators, dots, reserved device names or excess length."""
    # apostrophes join their word ("Lamplighter’s" -> "lamplighters"), other marks separate
    folded = (
        unicodedata.normalize("NFKD", re.sub(r"['’]", "", text or ""))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_len // 2 :] else cut
        slug = slug.strip("-")
    if not slug:
        slug = fallback
    if slug.split("-")[0] in _RESERVED and slug.split("-")[0] == slug:
        slug += "-book"
    return slug


def work_id(title: str, author: str | None) -> str:
    norm = " ".join(f"{title}\n{author or ''}".lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def work_slug(work: Work) -> str:
    return slugify(
        work.meta.title, fallback="work-" + work_id(work.meta.title, work.meta.author)[:8]
    )


def format_duration(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


# --- assembly ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    """A format's timeline: segment starts (samples, in the decoded file)."""

    fmt: str
    starts: tuple[int, ...]
    total: int


def timeline(
    layouts: Sequence[SegmentLayout],
    files: Mapping[tuple[int, str], Path],
    fmt: str,
    indices: Sequence[int],
) -> Timed:
    starts = []
    pos = 0
    for i in indices:
        starts.append(pos)
        pos += _check_length(files[(i, fmt)], fmt, layouts[i])
    return Timed(fmt, tuple(starts), pos)


def _cues_and_marks(
    plan: Plan, layouts: Sequence[SegmentLayout], indices: Sequence[int], timed: Timed, rate: int
) -> tuple[list[Any], list[Any], list[int]]:
    from narrate.transcript import Cue, Mark

    delay = audio.ENCODER_DELAY[timed.fmt]
    cues: list[Cue] = []
    marks: list[Mark] = []
    numbers: list[int] = []
    parts = {p.number: p for p in plan.parts}
    current: int | None = None
    scenes: list[Mark] = []
    chapter_start = 0.0
    for seg_start, i in zip(timed.starts, indices, strict=True):
        lay = layouts[i]
        seg = lay.segment
        if seg.part != current:
            if current is not None:
                marks.append(Mark(chapter_start, parts[current].title, tuple(scenes)))
                numbers.append(current)
            current, scenes, chapter_start = seg.part, [], seg_start / rate
        utt_positions = {}
        for n, (item, off, length) in enumerate(
            zip(seg.items, lay.offsets, lay.lengths, strict=True)
        ):
            if isinstance(item, Utterance):
                start = (seg_start + delay + off) / rate
                utt_positions[n] = start
                cues.append(
                    Cue(
                        start,
                        (seg_start + delay + off + length) / rate,
                        item.speaker,
                        item.cue,
                        item.line_id,
                    )
                )
        for scene, item_index in seg.scene_starts:
            at = utt_positions.get(item_index, (seg_start + delay + lay.offsets[item_index]) / rate)
            # the first scene starts with its chapter; later ones just before their first words
            at = chapter_start if not scenes else max(chapter_start, at - 0.5)
            scenes.append(Mark(at, f"Scene {scene}"))
    if current is not None:
        marks.append(Mark(chapter_start, parts[current].title, tuple(scenes)))
        numbers.append(current)
    # Timeline starts at 0 with the first mark, whatever precedes it.
    if marks and marks[0].start != 0.0:
        marks[0] = replace(marks[0], start=0.0)
    return cues, marks, numbers


def _file_marks(marks: Sequence[Any], total_s: float) -> list[Any]:
    from narrate.tags import Mark as TagMark

    out = []
    for n, mark in enumerate(marks):
        end = marks[n + 1].start if n + 1 < len(marks) else total_s
        children = []
        for k, scene in enumerate(mark.children):
            s_end = mark.children[k + 1].start if k + 1 < len(mark.children) else end
            children.append(TagMark(scene.title, round(scene.start * 1000), round(s_end * 1000)))
        out.append(
            TagMark(mark.title, round(mark.start * 1000), round(end * 1000), tuple(children))
        )
    return out


def _m4b_chapters(
    marks: Sequence[Any], total: int, rate: int, scene_chapters: bool
) -> list[tuple[int, int, str]]:
    flat: list[tuple[int, str]] = []
    for mark in marks:
        flat.append((round(mark.start * rate), mark.title))
        if scene_chapters:
            for scene in mark.children:
                at = round(scene.start * rate)
                if at > flat[-1][0]:
                    flat.append((at, f"{mark.title} — {scene.title}"))
    return [
        (start, flat[n + 1][0] if n + 1 < len(flat) else total, title)
        for n, (start, title) in enumerate(flat)
    ]


SCRATCH_PREFIX = ".narrate-tmp-"


class Scratch:
    """A render's temporary files, in one hidden folder of the output folder
    (``.narrate-tmp-<pid>``, same file system, so finished files are renamed
    into place atomically). Removed as a whole when the render ends; one left by
    a killed render (SIGKILL, power loss) is removed by the next render or
    preview writing to that folder (``remove_stale_scratch``).

    The owner holds an exclusive ``flock`` on ``lock`` inside it for its whole
    life: the kernel drops it when the process dies, however it dies, so a
    folder whose lock can be taken has no live owner (a pid check alone could
    mistake a reused pid, or another container's process, for the owner).
    """

    def __init__(self, out: Path) -> None:
        self.dir = out / f"{SCRATCH_PREFIX}{os.getpid()}"
        self.dir.mkdir(exist_ok=True)
        self._lock = open(self.dir / "lock", "wb")  # noqa: SIM115 - held until close()
        _try_lock(self._lock)

    def temp(self, dest: Path) -> Path:
        """Where ``dest`` is written before it is renamed into place."""
        return self.dir / f"{dest.parent.name}-{dest.name}.partial"

    def close(self) -> None:
        self._lock.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _try_lock(handle: Any) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the pid check in remove_stale_scratch decides
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, someone else's (or cannot tell: keep it)
    return True


STALE_SECONDS = 3600  # unowned leftovers of older narrate versions are removed after this


def remove_stale_scratch(out: Path, now: float | None = None) -> int:
    """Remove what killed renders left in ``out``: scratch folders with no live
    owner, and (after STALE_SECONDS) the hidden ``.NAME.partial`` / ``.ffmeta`` /
    ``.NAME.XXXX.tmp`` files narrate wrote beside its outputs before. Returns
    how many entries were removed."""
    now = time.time() if now is None else now
    removed = 0
    for folder in (out, out / "chapters"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if (
                folder == out
                and name.startswith(SCRATCH_PREFIX)
                and entry.is_dir(follow_symlinks=False)
            ):
                pid = name[len(SCRATCH_PREFIX) :]
                if not pid.isdigit() or int(pid) == os.getpid():
                    continue
                try:
                    with open(Path(entry.path) / "lock", "rb") as lock:
                        free = _try_lock(lock) and not (
                            sys.platform == "win32" and _pid_alive(int(pid))
                        )
                except FileNotFoundError:  # killed before taking its lock
                    free = not _pid_alive(int(pid))
                except OSError:
                    continue
                if free:
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed += 1
            elif name.startswith(".") and (
                name.endswith((".partial", ".partial.ffmeta", ".tmp"))
                or name.startswith(".narrate-write-test-")
            ):
                with contextlib.suppress(OSError):
                    if (
                        now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
                        and entry.is_file()
                    ):
                        os.unlink(entry.path)
                        removed += 1
    return removed


def _publish(tmp: Path, dest: Path) -> None:
    os.chmod(tmp, public_file_mode())  # readable by a media server, as the umask allows
    os.replace(tmp, dest)


def _write_transcripts(
    cues: Sequence[Any],
    marks: Sequence[Any],
    base: Path,
    duration: float,
    settings: RenderSettings,
    meta_title: str,
    author: str | None,
    audio_name: str,
) -> list[Path]:
    from narrate import transcript

    written = [transcript.write_vtt(cues, base.with_suffix(".vtt"), duration=duration)]
    if "srt" in settings.subtitles:
        written.append(transcript.write_srt(cues, base.with_suffix(".srt"), duration=duration))
    written.append(
        transcript.write_chapters_json(
            marks,
            base.with_name(base.name + ".chapters.json"),
            duration=duration,
            title=meta_title,
            author=author,
            file_name=audio_name,
        )
    )
    return written


def _narrator_credit(plan: Plan) -> str:
    """The narrator credit players show ("Narrated by …"): who, not how. Engine
    and voice details stay out of it (they are in the cache keys), so it reads
    well in Audiobookshelf and never differs between one chapter file and the next."""
    engine = "espeak-ng" if plan.engine == "espeak" else plan.engine
    return f"narrate, {engine} voices"


def render(
    path: Path,
    settings: RenderSettings,
    *,
    cast_path: Path | None = None,
    voice_dirs: Sequence[Path] = (),
    stream: TextIO | None = None,
) -> RenderResult:
    """Analyse the work at ``path`` and render it (see :func:`render_analysis`)."""
    from narrate.pipeline import analyse

    return render_analysis(
        analyse(path, cast_path=cast_path, voice_dirs=voice_dirs), settings, stream=stream
    )


def _workers(settings: RenderSettings) -> int:
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


def _prepare_out_dir(path: Path) -> Scratch:
    """Make the output folder, clear what killed renders left there, and
    return this render's scratch folder in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        remove_stale_scratch(path)
        return Scratch(path)
    except OSError as exc:
        raise OutputError(
            f"{path}: output directory is not writable ({exc.strerror or exc}); "
            "pick another with -o DIR"
        ) from None


def render_analysis(
    analysis: Analysis, settings: RenderSettings, *, stream: TextIO | None = None
) -> RenderResult:
    """Render an analysed work to ``settings.out_dir/<slug>/`` (see the module docstring)."""
    fmts = tuple(dict.fromkeys(settings.formats))
    for fmt in fmts:
        if fmt not in ("m4b", "mp3"):
            raise InputError(None, f"unknown format {fmt!r}", "use --format m4b, mp3 or m4b,mp3")
    if not fmts and not settings.split_chapters:
        raise InputError(None, "no output format", "use --format m4b, mp3 or m4b,mp3")
    progress = Progress(settings.progress, stream)
    slug = work_slug(analysis.work)
    out = settings.out_dir / slug
    with _prepare_out_dir(out) as scratch:
        return _render_into(analysis, settings, fmts, progress, out, scratch)


def _render_into(
    analysis: Analysis,
    settings: RenderSettings,
    fmts: tuple[str, ...],
    progress: Progress,
    out: Path,
    scratch: Scratch,
) -> RenderResult:
    from narrate import tags as tagging

    work = analysis.work
    meta = work.meta
    slug = work_slug(work)
    cover = (
        tagging.load_cover(settings.cover)
        if settings.cover
        else tagging.title_card(meta.title, meta.author)
    )
    cache = Cache(default_cache_dir(settings.cache_dir))
    workers = _workers(settings)

    engine_version = str(make_engine(settings.engine).version())
    plan = build_plan(analysis, settings, engine_version)
    synthesized, reused, infos = synthesize_missing(
        plan, cache, workers, progress, settings.mastering
    )
    rate = _book_rate(infos)
    settings = with_book_offset(
        plan, infos, rate, settings, _previous_offset(out / "manifest.json")
    )
    layouts = layout(plan, infos, rate, settings)

    encode_fmts = list(fmts)
    if settings.split_chapters and "mp3" not in encode_fmts:
        encode_fmts.append("mp3")
    all_indices = list(range(len(layouts)))
    # A one-shot's single "Chapter 1" mark is no help for finding your place in
    # it: its scenes are the chapters there.
    by_scene = settings.scene_chapters or len(work.chapters) == 1
    mux: audio.M4bMux | None = None
    if "m4b" in fmts:
        planned = expected_timeline(layouts, "m4b", all_indices)
        _, m4b_marks, _ = _cues_and_marks(plan, layouts, all_indices, planned, rate)
        chapters = _m4b_chapters(m4b_marks, planned.total, rate, by_scene)
        mux = audio.M4bMux(audio.ffmetadata(chapters, rate, {}), scratch.temp(out / f"{slug}.m4b"))
    try:
        files = encode_segments(
            layouts,
            encode_fmts,
            cache,
            rate,
            settings,
            workers,
            progress,
            _InOrder(layouts, mux) if mux is not None else None,
        )
        if mux is not None:
            mux.finish()
    except BaseException:
        if mux is not None:
            mux.abort()
            audio.remove_quietly(mux.dest)
        raise

    timelines = {fmt: timeline(layouts, files, fmt, all_indices) for fmt in encode_fmts}
    primary = timelines["m4b" if "m4b" in fmts else "mp3"]
    duration = primary.total / rate
    cues, marks, mark_parts = _cues_and_marks(plan, layouts, all_indices, primary, rate)
    tag_values = {
        "title": meta.title,
        "author": meta.author or "",
        "narrator": _narrator_credit(plan),
        "genre": "Audiobook",
        "description": meta.summary or "",
        "year": str(datetime.now(UTC).year),
        "language": meta.language or "",
        "series": ", ".join(meta.tags.get("Series", ())),
    }
    written: list[Path] = []
    write_bytes_atomic(out / "cover.jpg", cover)
    for fmt in fmts:
        timed = timelines[fmt]
        dest = out / f"{slug}.{fmt}"
        tmp = scratch.temp(dest)
        try:
            _, fmt_marks, _ = _cues_and_marks(plan, layouts, all_indices, timed, rate)
            if fmt == "m4b":
                # muxed while encoding (M4bMux, above), from the same sample counts
                tagging.write_m4b_tags(tmp, tag_values, cover)
            else:
                audio.concat_files([files[(i, fmt)] for i in all_indices], tmp)
                tagging.write_mp3_tags(
                    tmp, tag_values, cover, _file_marks(fmt_marks, timed.total / rate)
                )
            _publish(tmp, dest)
        except OSError as exc:
            raise OutputError(
                f"{dest}: cannot write ({exc.strerror or exc}); free some space or pick another -o"
            ) from None
        finally:
            audio.remove_quietly(tmp)
        written.append(dest)
    main_audio = written[0].name if written else ""
    written += _write_transcripts(
        cues, marks, out / slug, duration, settings, meta.title, meta.author, main_audio
    )

    chapter_entries = (
        _split_chapters(
            plan,
            layouts,
            files,
            rate,
            settings,
            out,
            scratch,
            tag_values,
            cover,
            dict(zip(mark_parts, marks, strict=True)),
        )
        if settings.split_chapters
        else None
    )
    if chapter_entries:
        written += [out / c["mp3"] for c in chapter_entries]
    manifest = _write_manifest(
        out,
        slug,
        work,
        duration,
        fmts,
        settings.mastering,
        dict(zip(mark_parts, marks, strict=True)),
        plan,
        chapter_entries,
    )
    written.append(manifest)
    shown = (*(p for p in written if p.suffix in (".m4b", ".mp3") and p.parent == out), manifest)
    return RenderResult(out, shown, duration, synthesized, reused, manifest)


def _previous_offset(manifest: Path) -> float | None:
    try:
        return float(json.loads(manifest.read_text(encoding="utf-8"))["mastering"]["offset_db"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _book_rate(infos: Mapping[str, ClipInfo]) -> int:
    rates = [i.sample_rate for i in infos.values()]
    return max(set(rates), key=rates.count) if rates else 22050


def _split_chapters(
    plan: Plan,
    layouts: Sequence[SegmentLayout],
    files: Mapping[tuple[int, str], Path],
    rate: int,
    settings: RenderSettings,
    out: Path,
    scratch: Scratch,
    tag_values: Mapping[str, str],
    cover: bytes,
    book_marks: Mapping[int, Any],
) -> list[dict[str, Any]]:
    """One MP3 per chapter (intro folded into the first, closing notes into the last)."""
    from narrate import tags as tagging

    chapters = [p for p in plan.parts if p.kind == "chapter"]
    groups: dict[int, list[int]] = {p.number: [] for p in chapters}
    first, last = chapters[0].number, chapters[-1].number
    for i, lay in enumerate(layouts):
        number = lay.segment.part
        target = first if number == 0 else last if number not in groups else number
        groups[target].append(i)
    folder = out / "chapters"
    folder.mkdir(exist_ok=True)
    published = _previous_published(out / "manifest.json")
    entries = []
    for n, part in enumerate(chapters, start=1):
        indices = groups[part.number]
        timed = timeline(layouts, files, "mp3", indices)
        cues, marks, numbers = _cues_and_marks(plan, layouts, indices, timed, rate)
        name = f"{part.number:02d}-{slugify(part.title, max_len=40, fallback='chapter')}"
        dest = folder / f"{name}.mp3"
        tmp = scratch.temp(dest)
        # Nothing in a chapter file may depend on the chapters after it (so no
        # "n of total" track number, no book-wide voice list, no render date):
        # an old episode stays byte-identical when a work in progress grows.
        values = {
            **tag_values,
            "title": part.title,
            "narrator": _narrator_credit(plan),
            "year": str(published.get(part.number, datetime.now(UTC)).year),
        }
        try:
            audio.concat_files([files[(i, "mp3")] for i in indices], tmp)
            tagging.write_mp3_tags(
                tmp, values, cover, _file_marks(marks, timed.total / rate), track=n
            )
            _publish(tmp, dest)
        finally:
            audio.remove_quietly(tmp)
        dur = timed.total / rate
        _write_transcripts(
            cues,
            marks,
            folder / name,
            dur,
            settings,
            part.title,
            tag_values.get("author"),
            dest.name,
        )
        chapter_mark = marks[numbers.index(part.number)]
        book_mark = book_marks.get(part.number)
        entries.append(
            {
                "index": part.number,
                "title": part.title,
                "start": round(book_mark.start if book_mark else 0.0, 3),
                "duration": round(dur, 3),
                "mp3": f"chapters/{name}.mp3",
                "vtt": f"chapters/{name}.vtt",
                "chapters_json": f"chapters/{name}.chapters.json",
                "scenes": [
                    {"index": int(s.title.split()[-1]), "start": round(s.start, 3)}
                    for s in (book_mark or chapter_mark).children
                ],
            }
        )
    return entries


def _previous_published(manifest: Path) -> dict[int, datetime]:
    """Chapter index -> when it was first published, from the last render's manifest."""
    found: dict[int, datetime] = {}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        for c in json.loads(manifest.read_text(encoding="utf-8")).get("chapters", []):
            with contextlib.suppress(ValueError, KeyError, TypeError):
                found[int(c["index"])] = datetime.fromisoformat(str(c["published"]))
    return found


def _write_manifest(
    out: Path,
    slug: str,
    work: Work,
    duration: float,
    fmts: Sequence[str],
    mastering: audio.Mastering,
    marks: Mapping[int, Any],
    plan: Plan,
    split: list[dict[str, Any]] | None,
) -> Path:
    meta = work.meta
    path = out / "manifest.json"
    previous: dict[int, str] = {}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        old = json.loads(path.read_text(encoding="utf-8"))
        previous = {
            int(c["index"]): str(c["published"])
            for c in old.get("chapters", [])
            if c.get("published")
        }
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    ordered = sorted(marks.values(), key=lambda m: m.start)
    chapters: list[dict[str, Any]] = []
    if split is not None:
        chapters = [dict(c) for c in split]
    else:
        for part in plan.parts:
            if part.kind != "chapter":
                continue
            mark = marks.get(part.number)
            start = mark.start if mark else 0.0
            nxt = next((m.start for m in ordered if m.start > start), duration)
            chapters.append(
                {
                    "index": part.number,
                    "title": part.title,
                    "start": round(start, 3),
                    "duration": round(nxt - start, 3),
                    "mp3": None,
                    "vtt": None,
                    "chapters_json": None,
                    "scenes": [
                        {"index": int(s.title.split()[-1]), "start": round(s.start, 3)}
                        for s in (mark.children if mark else ())
                    ],
                }
            )
    for c in chapters:
        c["published"] = previous.get(int(c["index"]), now)
    data = {
        "narrate_version": __version__,
        "work_id": work_id(meta.title, meta.author),
        "slug": slug,
        "title": meta.title,
        "author": meta.author,
        "summary": meta.summary,
        "language": meta.language,
        "rating": meta.rating,
        "tags": {k: list(v) for k, v in meta.tags.items()},
        "cover": "cover.jpg",
        "duration": round(duration, 3),
        "files": {
            "m4b": f"{slug}.m4b" if "m4b" in fmts else None,
            "mp3": f"{slug}.mp3" if "mp3" in fmts else None,
            "vtt": f"{slug}.vtt",
            "chapters_json": f"{slug}.chapters.json",
        },
        "chapters": chapters,
        "mastering": {"target_lufs": mastering.target, "offset_db": mastering.offset},
    }
    write_bytes_atomic(
        path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    )
    return path


# --- preview ------------------------------------------------------------------------------------------------


def select_lines(
    analysis: Analysis,
    *,
    scene: str | None = None,
    chapter: int | None = None,
    lines: str | None = None,
) -> tuple[tuple[Line, ...], str]:
    """The lines a preview plays and its label ("2.3", "ch2", "2.3.1-2.3.9")."""
    all_lines = analysis.lines
    if scene is not None:
        m = re.fullmatch(r"\s*(\d+)\.(\d+)\s*", scene)
        if not m:
            raise InputError(None, f"bad scene {scene!r}", "use CHAPTER.SCENE, e.g. --scene 2.3")
        c, s = int(m.group(1)), int(m.group(2))
        chosen = tuple(ln for ln in all_lines if ln.chapter == c and ln.scene == s)
        label = f"{c}.{s}"
    elif chapter is not None:
        chosen = tuple(ln for ln in all_lines if ln.chapter == chapter)
        label = f"ch{chapter}"
    elif lines is not None:
        first, sep, last = lines.partition("..")
        ids = [ln.id for ln in all_lines]
        if not sep or first.strip() not in ids or last.strip() not in ids:
            raise InputError(
                None,
                f"bad line range {lines!r}",
                "use two line ids from `narrate script`, e.g. --lines 2.3.1..2.3.9",
            )
        a, b = ids.index(first.strip()), ids.index(last.strip())
        chosen = tuple(all_lines[min(a, b) : max(a, b) + 1])
        label = f"{first.strip()}-{last.strip()}"
    else:
        raise InputError(
            None, "nothing to preview", "pass --scene 2.3, --chapter 2 or --lines ID..ID"
        )
    if not chosen:
        where = scene or chapter or lines
        raise InputError(
            analysis.work.source,
            f"no lines in {where}",
            "see `narrate scenes WORK` for what exists",
        )
    return chosen, label


def preview_analysis(
    analysis: Analysis,
    settings: RenderSettings,
    *,
    scene: str | None = None,
    chapter: int | None = None,
    lines: str | None = None,
    stream: TextIO | None = None,
) -> Path:
    """Render part of a work with the final voices, pauses and mastering to one MP3."""
    chosen, label = select_lines(analysis, scene=scene, chapter=chapter, lines=lines)
    progress = Progress(settings.progress, stream)
    out = settings.out_dir / work_slug(analysis.work)
    with _prepare_out_dir(out) as scratch:
        return _preview_into(
            analysis, settings, chosen, label, chapter is not None, progress, out, scratch
        )


def _preview_into(
    analysis: Analysis,
    settings: RenderSettings,
    chosen: Sequence[Line],
    label: str,
    titles: bool,
    progress: Progress,
    out: Path,
    scratch: Scratch,
) -> Path:
    cache = Cache(default_cache_dir(settings.cache_dir))
    engine_version = str(make_engine(settings.engine).version())
    plan = build_plan(analysis, settings, engine_version, lines=chosen, intro=False, titles=titles)
    _, _, infos = synthesize_missing(plan, cache, _workers(settings), progress, settings.mastering)
    rate = _book_rate(infos)
    settings = with_book_offset(plan, infos, rate, settings)
    layouts = layout(plan, infos, rate, settings)
    dest = out / f"preview-{label}.mp3"
    tmp = scratch.temp(dest)

    def chunks(mastering: audio.Mastering, bound: PeakBound) -> Iterator[bytes]:
        for lay in layouts:
            yield from _segment_pcm(lay, cache, rate, mastering, bound)

    try:
        encode_verified(chunks, rate, "mp3", settings.mp3_bitrate, settings.mastering, tmp)
        _publish(tmp, dest)
    except OSError as exc:
        raise OutputError(f"{dest}: cannot write ({exc.strerror or exc})") from None
    finally:
        audio.remove_quietly(tmp)
    return dest


def preview(
    path: Path,
    settings: RenderSettings,
    *,
    scene: str | None = None,
    chapter: int | None = None,
    lines: str | None = None,
    cast_path: Path | None = None,
    voice_dirs: Sequence[Path] = (),
    stream: TextIO | None = None,
) -> Path:
    from narrate.pipeline import analyse

    analysis = analyse(path, cast_path=cast_path, voice_dirs=voice_dirs)
    return preview_analysis(
        analysis, settings, scene=scene, chapter=chapter, lines=lines, stream=stream
    )


PLAYERS: tuple[tuple[str, list[str]], ...] = (
    ("mpv", ["--no-video", "--really-quiet"]),
    ("ffplay", ["-nodisp", "-autoexit", "-loglevel", "quiet"]),
    ("afplay", []),
    ("mpg123", ["-q"]),
    ("cvlc", ["--play-and-exit", "--quiet"]),
    ("play", ["-q"]),
)


def find_player() -> list[str] | None:
    for name, args in PLAYERS:
        exe = shutil.which(name)
        if exe:
            return [exe, *args]
    return None


def play(path: Path) -> bool:
    """Play ``path`` with the first audio player found; False when there is none."""
    player = find_player()
    if player is None:
        return False
    try:
        subprocess.run([*player, str(path)], check=False)
    except OSError:
        return False
    return True


__all__ = [
    "NarrateError",
    "Pauses",
    "RenderResult",
    "RenderSettings",
    "build_plan",
    "play",
    "preview",
    "preview_analysis",
    "render",
    "render_analysis",
    "slugify",
    "work_id",
]
