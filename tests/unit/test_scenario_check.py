"""`lab check` on deliberately broken scenario files: each names file, line, column,
step and verb, exits 2, and prints no traceback. The first line of every file in
tests/scenario_errors/ is the exact first error it must produce."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from lab.cli import main
from lab.scenario.jsonschema import scenario_schema

CORPUS = sorted((Path(__file__).parents[1] / "scenario_errors").glob("*.yaml"))


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


def test_the_published_json_schema_is_current() -> None:
    published = json.loads((Path(__file__).parents[2] / "docs" / "scenario.schema.json").read_text())
    assert published == scenario_schema(), (
        "regenerate: python -m lab.scenario.jsonschema > docs/scenario.schema.json"
    )
    jsonschema.Draft202012Validator.check_schema(published)


SCHEMA_CATCHES = [
    "unknown-verb",
    "unknown-param",
    "missing-param",
    "wrong-type-bool",
    "bad-choice",
    "expect-unknown-key",
    "unknown-top-key",
    "setup-typo",
    "unknown-section",
    "two-verbs",
]


@pytest.mark.parametrize("name", SCHEMA_CATCHES)
def test_the_json_schema_refuses_what_lab_check_refuses(name: str) -> None:
    data = yaml.safe_load((Path(__file__).parents[1] / "scenario_errors" / f"{name}.yaml").read_text())
    assert not jsonschema.Draft202012Validator(scenario_schema()).is_valid(data)
