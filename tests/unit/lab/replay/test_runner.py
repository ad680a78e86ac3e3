"""lab.replay.runner: saved values put in place of ${name}."""

from __future__ import annotations

from lab.replay.runner import resolve


def test_references_keep_their_type_when_whole() -> None:
    saved = {"n": 3, "token": "abc"}
    assert resolve({"a": "${n}", "b": "x${token}y", "c": ["${token}"]}, saved) == {
        "a": 3,
        "b": "xabcy",
        "c": ["abc"],
    }
