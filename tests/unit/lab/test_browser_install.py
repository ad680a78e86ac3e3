"""`make browser` when another install holds the package manager's lock (issue 17): it waits
and tries again with a message, and fails with one clear line, never a traceback."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from lab import browser

LOCKED = "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)"


class FakeApt:
    """apt-get answering from a script of (exit status, stderr) and recording its commands."""

    def __init__(self, *answers: tuple[int, str]) -> None:
        self.answers = list(answers)
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        status, stderr = self.answers.pop(0)
        return subprocess.CompletedProcess(command, status, "", stderr)


def test_a_held_lock_is_waited_for_and_tried_again(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setattr(browser.time, "sleep", lambda seconds: None)
    apt = FakeApt((100, LOCKED), (0, ""))
    assert browser.apt_get("install", "-y", "chromium", run=apt) is True
    assert apt.commands[0][:3] == ["apt-get", "-o", f"DPkg::Lock::Timeout={browser.APT_LOCK_WAIT}"]
    assert len(apt.commands) == 2
    assert "another install holds the package manager's lock; trying again" in capsys.readouterr().err


def test_a_lock_held_for_good_fails_with_one_clear_line(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setattr(browser.time, "sleep", lambda seconds: None)
    apt = FakeApt(*[(100, LOCKED)] * 3)
    assert browser.apt_get("update", run=apt) is False
    err = capsys.readouterr().err
    assert "browser: apt-get update failed (the package manager stayed locked by another install): E: Could not get lock" in err
    assert "Traceback" not in err


def test_another_failure_is_not_retried(capsys: Any) -> None:
    apt = FakeApt((100, "E: Unable to locate package chromium"))
    assert browser.apt_get("install", "chromium", run=apt) is False
    assert len(apt.commands) == 1
    assert "browser: apt-get install chromium failed: E: Unable to locate package chromium" in capsys.readouterr().err
