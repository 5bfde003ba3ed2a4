"""The analysis pipeline: the one explicit list of stages from a file to a cast script.

    ingest -> split lines -> attribute speakers -> apply the cast file -> cast voices

Each stage is a plain function over the frozen model dataclasses; this module only
wires them together in order so that every command (``cast``, ``script``,
``render``, ``preview``) sees exactly the same analysis. Heavy stage modules are
imported inside :func:`analyse` so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from narrate.model import Cast, Line, VoiceProfile, Work


@dataclass(frozen=True)
class Analysis:
    """Everything render needs: the work, its attributed lines and who voices them.

    ``lines`` already carry the cast file's renames, merges and per-line
    overrides; ``cast.voice_for(line.speaker)`` gives the profile id for any line
    (narration and unknown speakers get ``cast.narrator_voice``).
    """

    work: Work
    lines: tuple[Line, ...]
    cast: Cast
    profiles: dict[str, VoiceProfile]
    lexicon: Mapping[str, str]  # word -> respelling: built-in < work.lexicon.toml < cast file
    cast_path: Path  # where the cast file is (or would be written)
    warnings: tuple[str, ...] = field(default=())  # cast-file and casting problems to show

    def voice_for(self, line: Line) -> VoiceProfile:
        """The profile that speaks ``line``."""
        return self.profiles[self.cast.voice_for(line.speaker if line.kind == "dialogue" else None)]


def default_cast_path(work_path: Path) -> Path:
    """``story.txt`` -> ``story.cast.toml``, next to the work."""
    return work_path.with_name(f"{work_path.stem}.cast.toml")


def analyse(
    path: Path,
    *,
    cast_path: Path | None = None,
    voice_dirs: Sequence[Path] = (),
) -> Analysis:
    """Run every analysis stage on the work at ``path``.

    The cast file (default :func:`default_cast_path`) is read when it exists; a
    missing one is not an error, it simply means "no user corrections yet".
    """
    from narrate import cast as casting
    from narrate.attribute import attribute
    from narrate.ingest import load_work
    from narrate.lines import split_lines
    from narrate.voices import lexicon_for_work, load_profiles

    cast_path = cast_path if cast_path is not None else default_cast_path(path)
    # Stage 1: ingest.
    work = load_work(path)
    # Stage 2: narration/dialogue lines with source offsets.
    lines = split_lines(work)
    # Stage 3: who says each line. First as if there were no cast file (AO3
    # "Characters" tags only); then, only if the user changed names, aliases or
    # genders that attribution uses, again with those corrections: an unedited
    # cast file changes no line, an edited one is obeyed by attribution itself.
    cast_file = casting.read_cast_file(cast_path)
    known = casting.known_characters(work, cast_file)
    attribution = attribute(work, lines, known=known)
    corrected = casting.known_characters(work, cast_file, found=attribution.characters)
    if corrected != known:
        attribution = attribute(work, lines, known=corrected)
    # Stage 4: voices, then the user's corrections and voice casting.
    profiles = load_profiles(extra_dirs=tuple(voice_dirs))
    result = casting.build_cast(attribution.lines, attribution.characters, profiles, cast_file)
    # Pronunciations: built-in, then <work>.lexicon.toml, then the cast file's
    # [lexicon]; a plain ordered mapping so render can hash the entries it uses.
    lexicon = dict(lexicon_for_work(path, cast_file.lexicon).entries)
    return Analysis(
        work=work,
        lines=result.lines,
        cast=result.cast,
        profiles=profiles,
        lexicon=lexicon,
        cast_path=cast_path,
        warnings=result.warnings,
    )
