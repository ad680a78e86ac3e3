"""lab.replay.command (lab check): every problem of every file with its file, line and column, and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.cli import main
from tests.conftest import ROOT

CORPUS = sorted((ROOT / "tests" / "scenario_errors").glob("*.yaml"))


def expected_error(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# error: ")
    return first.removeprefix("# error: ")


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_lab_check_names_file_line_and_column(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first == f"{path}:{expected_error(path)}"
    assert err.splitlines()[-1].startswith("lab: ")


def test_every_problem_of_a_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "many.yaml"
    bad.write_text(
        "name: many\n"
        "steps:\n"
        "  - okta.force_synk: {}\n"
        "  - okta.assign_people: {usr: a}\n"
        "  - lab.advance_clock: {days: -1}\n"
    )
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == f"{bad}:3:5: step 1: unknown verb or step key 'okta.force_synk'; did you mean 'okta.force_sync'?"
    )
    assert f"{bad}:4:5: step 2 (okta.assign_people): missing required field 'user'" in err
    assert f"{bad}:4:26: step 2 (okta.assign_people): unknown field 'usr'; did you mean 'user'?" in err
    assert any(
        line.startswith(f"{bad}:5:25: step 3 (lab.advance_clock): days: Must be greater") for line in err
    )
    assert err[-1] == "lab: 4 problem(s) in 1 file(s)"


def test_a_missing_file_or_empty_folder_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    assert main(["check", str(tmp_path)]) == 2
    assert "no scenario files" in capsys.readouterr().err


def test_valid_files_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("name: good\nsteps:\n  - lab.advance_clock: {days: 1}\n  - expect: {open_tasks: 0}\n")
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().out == "1 scenario(s) valid: 2 steps\n"
