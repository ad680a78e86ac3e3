"""Validate a scenario document: marshmallow schemas for the metadata, setup and
expectations, the verb table for steps, and a check that every ``${name}`` is
saved by an earlier step.

Every error becomes a Problem with file, line and column (and the step index and
verb for steps); a misspelt key or verb gets the nearest valid one suggested.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from lab.scenario.expect import Expect, ExpectError
from lab.scenario.metadata import Metadata
from lab.scenario.model import EXPECT_VERB, REFERENCE, Scenario, Step
from lab.scenario.problems import problems_from, suggest
from lab.scenario.source import Document, InvalidScenario, Path_, Problem, read
from lab.scenario.verbs import VERBS

STEP_KEYS = {"name", "expect", "expect_error", "save"}
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def load(document: Document) -> Scenario:
    """Validate a read document; raise InvalidScenario listing every problem found."""
    data = document.data
    if not isinstance(data, dict):
        raise InvalidScenario([document.problem((), "a scenario is a mapping with name, setup and steps")])
    problems: list[Problem] = []
    try:
        meta = Metadata().load(data)
    except ValidationError as error:
        problems += problems_from(document, error.messages, Metadata, ())
        meta = None
    raw_steps = data.get("steps")
    steps: list[Step] = []
    if raw_steps is not None and not isinstance(raw_steps, list):
        problems.append(document.problem(("steps",), "steps is a list of steps, one per '-'"))
    elif isinstance(raw_steps, list):
        if not raw_steps:
            problems.append(document.problem(("steps",), "a scenario needs at least one step"))
        saved: set[str] = set()
        for position, raw in enumerate(raw_steps):
            step, found = load_step(document, position, raw, saved)
            problems += found
            if step:
                steps.append(step)
    if problems or meta is None:
        raise InvalidScenario(problems)
    return Scenario(
        file=document.file,
        name=meta["name"],
        description=meta["description"],
        tags=meta["tags"],
        covers=meta["covers"],
        setup=meta["setup"],
        steps=steps,
        exercise=meta.get("exercise"),
    )


def load_step(
    document: Document, position: int, raw: Any, saved: set[str]
) -> tuple[Step | None, list[Problem]]:
    index = position + 1
    path: Path_ = ("steps", position)
    if not isinstance(raw, dict):
        return None, [document.problem(path, "a step is a mapping: '- verb: {parameters}'", index)]
    verbs = [key for key in raw if key in VERBS or key == EXPECT_VERB]
    unknown = [key for key in raw if key not in VERBS and key not in STEP_KEYS and key != EXPECT_VERB]
    problems = []
    for key in unknown:
        hint = suggest(key, [*VERBS, *STEP_KEYS, EXPECT_VERB])
        problems.append(document.problem((*path, key), f"unknown verb or step key {key!r}{hint}", index))
    if len(verbs) > 1 and not (len(verbs) == 2 and EXPECT_VERB in verbs):
        problems.append(document.problem(path, f"a step has one verb, found {', '.join(verbs)}", index))
        return None, problems
    action = next((v for v in verbs if v != EXPECT_VERB), None)
    verb = action or (EXPECT_VERB if EXPECT_VERB in verbs else None)
    if verb is None:
        if not unknown:
            problems.append(
                document.problem(path, "a step needs a verb, e.g. '- okta.force_sync: {}'", index)
            )
        return None, problems
    problems += check_references(document, raw, path, saved, index, verb)
    params: dict[str, Any] = {}
    if action:
        schema = VERBS[action].schema
        given = raw[action] if raw[action] is not None else {}
        if not isinstance(given, dict):
            problems.append(
                document.problem((*path, action), f"{action} takes a mapping of parameters", index, verb)
            )
        else:
            try:
                params = schema().load(given)
            except ValidationError as error:
                problems += problems_from(document, error.messages, schema, (*path, action), (), index, verb)
    expect = None
    if EXPECT_VERB in raw:
        try:
            given = raw[EXPECT_VERB]
            expect = Expect().load(given if isinstance(given, dict) else _not_mapping("expect is a mapping"))
        except ValidationError as error:
            problems += problems_from(document, error.messages, Expect, (*path, EXPECT_VERB), (), index, verb)
    expect_error = None
    if "expect_error" in raw:
        if action is None:
            problems.append(
                document.problem(
                    (*path, "expect_error"), "expect_error belongs to a verb's step", index, verb
                )
            )
        value = raw["expect_error"]
        value = {"message": value} if isinstance(value, str) else value
        try:
            expect_error = ExpectError().load(
                value
                if isinstance(value, dict)
                else _not_mapping("expect_error is the error text or {message: ...} / {contains: ...}")
            )
        except ValidationError as error:
            problems += problems_from(
                document, error.messages, ExpectError, (*path, "expect_error"), (), index, verb
            )
    save = raw.get("save", {})
    problems += check_save(document, save, path, action, index, verb)
    if isinstance(save, dict):
        saved.update(name for name in save if isinstance(name, str) and VARIABLE.match(name))
    title = raw.get("name", "")
    if not isinstance(title, str):
        problems.append(document.problem((*path, "name"), "name is text", index, verb))
    if problems:
        return None, problems
    line, _ = document.where(path)
    return Step(index, verb, params, line, title, expect, expect_error, dict(save)), []


def _not_mapping(message: str) -> Any:
    raise ValidationError(message)


def check_save(
    document: Document, save: Any, path: Path_, action: str | None, index: int, verb: str
) -> list[Problem]:
    where = (*path, "save")
    if not isinstance(save, dict):
        return [document.problem(where, "save is a mapping {variable: result}", index, verb)]
    results = VERBS[action].results if action else {}
    problems = []
    for name, result in save.items():
        if not VARIABLE.match(name):
            problems.append(
                document.problem(
                    (*where, name), f"{name!r} is not a variable name (letters, digits, _)", index, verb
                )
            )
        if result not in results:
            offered = ", ".join(results) or "nothing"
            problems.append(
                document.problem(
                    (*where, name),
                    f"{action or 'expect'} has no result {result!r}; it returns {offered}"
                    + suggest(str(result), results),
                    index,
                    verb,
                )
            )
    return problems


def check_references(
    document: Document, value: Any, path: Path_, saved: set[str], index: int, verb: str
) -> list[Problem]:
    """Every ``${name}`` must be saved by an earlier step."""
    if isinstance(value, dict):
        return [
            p
            for k, v in value.items()
            if k != "save"
            for p in check_references(document, v, (*path, k), saved, index, verb)
        ]
    if isinstance(value, list):
        return [
            p
            for i, v in enumerate(value)
            for p in check_references(document, v, (*path, i), saved, index, verb)
        ]
    if not isinstance(value, str):
        return []
    problems = []
    for name in REFERENCE.findall(value):
        if name not in saved:
            hint = suggest(name, saved)
            known = f" (saved so far: {', '.join(sorted(saved))})" if saved and not hint else ""
            problems.append(
                document.problem(
                    path, f"${{{name}}} is not saved by an earlier step{hint}{known}", index, verb
                )
            )
    return problems


def load_file(path: str | Path) -> Scenario:
    return load(read(path))


def collect(paths: list[str]) -> list[Path]:
    """Scenario files named by the user: files as given, folders searched for *.yaml and *.yml."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            found.append(path)
    return found
