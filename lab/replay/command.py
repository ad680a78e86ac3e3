"""``lab check`` and ``lab run``: exit 0 all passed, 1 a scenario failed, 2 invalid input."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lab import browser, target
from lab.replay import har, reports, runner
from lab.scenario import selection, shards
from lab.scenario.loader import collect, load_file
from lab.scenario.model import Scenario
from lab.scenario.source import InvalidScenario, Problem

INVALID = 2


def load_all(paths: list[str]) -> tuple[list[Scenario], list[Problem]]:
    scenarios, problems = [], []
    files = collect(paths)
    for path in files:
        try:
            scenarios.append(load_file(path))
        except InvalidScenario as error:
            problems += error.problems
    if not files:
        problems.append(Problem(" ".join(paths), 1, 1, "no scenario files (*.yaml, *.yml) found"))
    return scenarios, problems


def report_problems(problems: list[Problem]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    files = len({p.file for p in problems})
    print(f"lab: {len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
    return INVALID


def check(args: argparse.Namespace) -> int:
    scenarios, problems = load_all(args.paths)
    if problems:
        return report_problems(problems)
    print(f"{len(scenarios)} scenario(s) valid: {sum(len(s.steps) for s in scenarios)} steps")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.har and not args.report:
        print("lab: --har writes the HAR files beside the HTML report: give --report DIR too", file=sys.stderr)
        return INVALID
    try:
        external = target.from_options(args.scim_url, args.scim_token_env, args.scim_token_file)
    except target.TargetError as error:
        print(f"lab: {error}", file=sys.stderr)
        return INVALID
    scenarios, problems = load_all(args.paths)
    if problems:
        return report_problems(problems)
    if args.keyword:
        try:
            scenarios = [s for s in scenarios if selection.matches(args.keyword, s)]
        except selection.BadExpression as error:
            print(f"lab: {error}", file=sys.stderr)
            return INVALID
        if not scenarios:
            print(f"lab: no scenario matches -k {args.keyword!r}", file=sys.stderr)
            return INVALID
    if args.shard:
        scenarios = pick_shard(scenarios, args.shard)
    if scenarios and args.driver == "ui" and not browser.browser_available():
        print(f"lab: {browser.NO_BROWSER}; no scenario was run", file=sys.stderr)
        return INVALID
    started = time.perf_counter()
    results, har_files = [], []
    width = len(str(len(scenarios)))
    for number, scenario in enumerate(scenarios, 1):
        if sys.stdout.isatty():
            print(f"[{number:>{width}}/{len(scenarios)}] {scenario.id} ...", end="\r", flush=True)
        artifacts = Path(args.report) / "artifacts" / scenario.id if args.report else None
        result = runner.run(scenario, args.driver, artifacts=artifacts, target=external)
        results.append(result)
        if args.har and artifacts:
            har_files.append(har.write(result, artifacts))
        print(f"[{number:>{width}}/{len(scenarios)}] {reports.headline(result)}", flush=True)
        if result.not_applicable:
            print(reports.not_applicable_text(result), flush=True)
        if not result.passed:
            print(reports.failure_text(result), flush=True)
    seconds = time.perf_counter() - started
    print(reports.summary(results, seconds))
    if args.junit:
        reports.junit(results, Path(args.junit), seconds, args.shard)
        print(f"JUnit XML: {args.junit}")
    if args.report:
        page = reports.html_report(results, Path(args.report), har_files or None)
        print(f"HTML report: {page}")
    return 0 if all(r.passed for r in results) else 1


def pick_shard(scenarios: list[Scenario], shard: shards.Shard) -> list[Scenario]:
    """The shard's scenarios; an empty shard (more shards than scenarios) is said, not an error,
    so that a fixed CI matrix keeps working while the suite is small."""
    mine = shards.select(scenarios, shard, shards.work)
    if mine:
        steps = sum(len(s.steps) for s in mine)
        print(f"shard {shard}: {len(mine)} of {len(scenarios)} scenario(s), {steps} steps")
    else:
        print(
            f"shard {shard}: no scenarios (the {len(scenarios)} selected are all in other shards); nothing to run"
        )
    return mine
