"""`lab run --shard I/N` and `pytest --scenario-shard I/N` as CI jobs run them: real processes,
real sandboxes, the JUnit XML they write. The two pick the same scenarios for a shard."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lab.scenario import shards

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
TOTAL = 3
SCENARIO = """name: {name}
setup:
  cybozu:
    tenants:
      - subdomain: example
        licenses: {{kintone: 5}}
steps:
{steps}"""
STEP = "  - cybozu.create_api_token: {notes: n}\n"
# five small scenarios of one to three steps; each starts its own lab
SCENARIOS = {f"s{n}-{word}": 1 + n % 3 for n, word in enumerate(["alpha", "bravo", "charlie", "delta", "echo"])}


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=environment()
    )


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name, steps in SCENARIOS.items():
        (folder / f"{name}.yaml").write_text(SCENARIO.format(name=f"Scenario {name}", steps=STEP * steps))
    return folder


def junit_cases(path: Path) -> tuple[str, list[str]]:
    suite = ET.parse(path).getroot()
    return suite.get("name", ""), [case.get("classname", "").removeprefix("scenarios.") for case in suite]


def test_lab_run_shards_run_every_scenario_once_and_say_which_shard(suite: Path, tmp_path: Path) -> None:
    ran: dict[int, list[str]] = {}
    for index in range(1, TOTAL + 1):
        junit = tmp_path / f"shard-{index}.xml"
        done = command("-m", "lab.cli", "run", str(suite), "--shard", f"{index}/{TOTAL}", "--junit", str(junit), cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        name, ran[index] = junit_cases(junit)
        assert name == f"lab scenarios (shard {index}/{TOTAL})"
        assert f"shard {index}/{TOTAL}: {len(ran[index])} of {len(SCENARIOS)} scenario(s)" in done.stdout
    every = [s for shard in ran.values() for s in shard]
    assert sorted(every) == sorted(SCENARIOS)  # each exactly once
    assert all(ran.values()), ran  # five scenarios over three shards: none empty
    # the files listed the other way round, from another folder: the same split
    files = sorted((str(p) for p in suite.iterdir()), reverse=True)
    junit = tmp_path / "again.xml"
    done = command("-m", "lab.cli", "run", *files, "--shard", f"2/{TOTAL}", "--junit", str(junit), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert sorted(junit_cases(junit)[1]) == sorted(ran[2])
    # pytest's option picks the same scenarios for each shard (collected only: the same function)
    for index, expected in ran.items():
        collected = command(
            "-m", "pytest", str(suite), "--collect-only", "-q", "-p", "no:cacheprovider",
            "--scenario-shard", f"{index}/{TOTAL}", cwd=tmp_path,
        )  # fmt: skip
        assert collected.returncode == 0, collected.stdout + collected.stderr
        ids = [line.rsplit("::", 1)[1] for line in collected.stdout.splitlines() if "::" in line]
        assert sorted(ids) == sorted(expected), index


def test_an_empty_shard_passes_with_a_clear_line(suite: Path, tmp_path: Path) -> None:
    one = suite / "s0-alpha.yaml"
    assert shards.assign([shards.Work("s0-alpha", "", 2)], 8) == [5]  # a lone scenario: the middle shard
    junit = tmp_path / "empty.xml"
    done = command("-m", "lab.cli", "run", str(one), "--shard", "1/8", "--junit", str(junit), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "shard 1/8: no scenarios (the 1 selected are all in other shards); nothing to run" in done.stdout
    assert junit_cases(junit) == ("lab scenarios (shard 1/8)", [])
    for workers in ("0", "2"):  # without and with pytest-xdist, whose controller collects nothing
        tested = command(
            "-m", "pytest", str(one), "-q", "-p", "no:cacheprovider", "-n", workers,
            "--scenario-shard", "1/8", cwd=tmp_path,
        )  # fmt: skip
        assert tested.returncode == 0, tested.stdout + tested.stderr
        assert "scenario shard 1/8: no scenarios" in tested.stdout


def test_a_bad_shard_runs_nothing(suite: Path, tmp_path: Path) -> None:
    """(Each kind of bad value: tests/unit/lab/scenario/test_shards.py.)"""
    value = "4/3"
    junit = tmp_path / "bad.xml"
    done = command("-m", "lab.cli", "run", str(suite), "--shard", value, "--junit", str(junit), cwd=tmp_path)
    assert done.returncode == 2
    assert f"argument --shard: {value!r}" in done.stderr
    assert done.stdout == "" and not junit.exists()
    tested = command("-m", "pytest", str(suite), "-q", "--scenario-shard", value, cwd=tmp_path)
    assert tested.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"argument --scenario-shard: {value!r}" in tested.stderr
