"""bench/audit_render.py's checks on a small synthetic book: a good one passes,
and a silenced cue, a missing scene pause or a wrong voice are each caught."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

RATE = 22050


def _audit() -> ModuleType:
    path = Path(__file__).parent.parent / "bench" / "audit_render.py"
    spec = importlib.util.spec_from_file_location("audit_render", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_render"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _voice(hz: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * hz * k * t) / k for k in range(1, 6))
    return 0.2 * tone * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))


def _book(
    scene_pause: float = 2.2, silence_line: str | None = None, wrong_voice: bool = False
) -> tuple:
    audit = _audit()
    plan = [
        ("1.1.1", "narration", None, 1, 100.0),
        ("1.1.2", "dialogue", "Ada", 1, 210.0),
        ("1.1.3", "narration", None, 1, 100.0),
        ("1.2.1", "dialogue", "Ada", 2, 100.0 if wrong_voice else 210.0),
    ]
    parts, cues, lines, pos = [np.zeros(RATE // 2)], [], {}, 0.5
    for n, (line_id, kind, speaker, scene, hz) in enumerate(plan):
        sound = _voice(hz, 2.0)
        if line_id == silence_line:
            sound = np.zeros(len(sound))
        cues.append(audit.Cue(pos, pos + 2.0, line_id, "words"))
        lines[line_id] = {
            "id": line_id,
            "kind": kind,
            "speaker": speaker,
            "chapter": 1,
            "scene": scene,
            "voice": "woman" if kind == "dialogue" else "narrator",
        }
        gap = scene_pause if n + 1 < len(plan) and plan[n + 1][3] != scene else 0.7
        parts += [sound, np.zeros(int(gap * RATE))]
        pos += 2.0 + int(gap * RATE) / RATE
    pcm = np.round(np.concatenate(parts) * 32767).astype(np.int16)
    return audit, pcm, cues, lines


@pytest.mark.parametrize("broken", [None, "silenced", "no scene pause", "wrong voice"])
def test_audit_passes_a_good_book_and_catches_each_fault(
    broken: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    audit, pcm, cues, lines = _book(
        scene_pause=0.7 if broken == "no scene pause" else 2.2,
        silence_line="1.1.2" if broken == "silenced" else None,
        wrong_voice=broken == "wrong voice",
    )
    expected = {"narrator": audit.f0(_voice(100.0, 2.0)), "woman": audit.f0(_voice(210.0, 2.0))}
    assert expected["narrator"] == pytest.approx(100, rel=0.05) and expected[
        "woman"
    ] == pytest.approx(210, rel=0.05)
    ok = audit._checks(pcm, cues, lines, expected, "narrator", audit.Pauses(), 5)
    out = capsys.readouterr().out
    assert ok == (broken is None), out
    if broken == "silenced":
        assert "1 silent" in out
    elif broken == "no scene pause":
        assert "1 with less than 2.0 s" in out
    elif broken == "wrong voice":
        assert "1.2.1 Ada" in out
