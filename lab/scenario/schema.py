"""Validate a scenario document: marshmallow schemas for the metadata, setup and
expectations, the verb table for steps, and a check that every ``${name}`` is
saved by an earlier step.

Every error becomes a Problem with file, line and column (and the step index and
verb for steps); a misspelt key or verb gets the nearest valid one suggested.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lab.scenario import article
from lab.scenario.source import Document, InvalidScenario, Path_, Problem, read
from lab.scenario.verbs import (
    SERVICES,
    USERNAME_FORMATS,
    VERBS,
    Count,
    CybozuUser,
    Flag,
    Person,
    Strict,
    Text,
)

STEP_KEYS = {"name", "expect", "expect_error", "save"}
EXPECT_VERB = "expect"
REFERENCE = re.compile(r"\$\{([^}]*)\}")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TAG = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


# -- setup ---------------------------------------------------------------------


class IpRestriction(Strict):
    enabled = Flag(load_default=True)
    allowed = fields.List(Text(), load_default=list)


class SetupUser(CybozuUser):
    class Meta:
        exclude = ("tenant",)


class Tenant(Strict):
    subdomain = Text(required=True)
    licenses = fields.Dict(
        keys=fields.String(validate=validate.OneOf(SERVICES)),
        values=Count(1, 1_000_000),
        load_default=lambda: {"kintone": 10, "garoon": 10},
        metadata={"doc": "licensed services and their seat counts"},
    )
    propagate_provisioning = Flag(load_default=False)
    users = fields.List(fields.Nested(SetupUser), load_default=list)
    ip_restriction = fields.Nested(IpRestriction)


class CybozuSetup(Strict):
    tenants = fields.List(fields.Nested(Tenant), required=True, validate=validate.Length(min=1))


class Generate(Strict):
    count = Count(1, 20_000, required=True)
    seed = Count(0, 2**31, load_default=0)
    email_domain = Text(load_default="example.com")
    group = Text(metadata={"doc": "put the generated people in this group (created if missing)"})


class Group(Strict):
    name = Text(required=True)
    members = fields.List(Text(), load_default=list)


class OktaSetup(Strict):
    people = fields.List(fields.Nested(Person), load_default=list)
    generate = fields.List(fields.Nested(Generate), load_default=list)
    groups = fields.List(fields.Nested(Group), load_default=list)


class Setup(Strict):
    clock = fields.String(
        metadata={"doc": "the frozen start instant, ISO 8601 (default 2026-01-05T09:00:00Z)"}
    )
    cybozu = fields.Nested(CybozuSetup)
    okta = fields.Nested(OktaSetup)


# -- expectations --------------------------------------------------------------


class ExpectCybozuUser(Strict):
    login = Text(required=True)
    display = fields.String()
    surname = fields.String()
    given = fields.String()
    email = fields.String()
    status = fields.String(validate=validate.OneOf(["Active", "Inactive"]))
    services = fields.List(fields.String(validate=validate.OneOf(SERVICES)))
    linked = Flag(metadata={"doc": "synced through SCIM (Propagate Provisioning links the user to the IdP)"})
    held = Flag(
        metadata={"doc": "added in the console while Propagate Provisioning was on: hidden from the IdP"}
    )


class ExpectAppUser(Strict):
    user = Text(required=True, metadata={"doc": "the person's Okta username"})
    status = fields.String(validate=validate.OneOf(["STAGED", "PROVISIONED", "DEPROVISIONED"]))
    sync_state = fields.String(validate=validate.OneOf(["SYNCHRONIZED", "OUT_OF_SYNC", "ERROR", "DISABLED"]))
    user_name = fields.String()
    scope = fields.String(validate=validate.OneOf(["USER", "GROUP"]))


class ExpectTask(Strict):
    user = Text(required=True)
    status = fields.String(validate=validate.OneOf(["OPEN", "RESOLVED"]), load_default="OPEN")
    error = fields.String(metadata={"doc": "the task's exact error text"})
    error_contains = fields.String()
    operation = fields.String()


class ExpectExchange(Strict):
    method = fields.String(validate=validate.OneOf(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    path = Text(metadata={"doc": "the path after the SCIM base URL; * and ? are wildcards"})
    status = fields.Integer(strict=True, allow_none=True, metadata={"doc": "null: no answer"})
    request = fields.Raw(metadata={"doc": "a subset of the request body"})
    response = fields.Raw(metadata={"doc": "a subset of the response body"})
    source = fields.String(metadata={"doc": "the address the request left from"})


class ExpectEvent(Strict):
    event_type = Text(required=True)
    outcome = fields.String(validate=validate.OneOf(["SUCCESS", "FAILURE"]))
    message = fields.String()
    message_contains = fields.String()


class ToApp(Strict):
    create = Flag()
    update = Flag()
    deactivate = Flag()


class ExpectApp(Strict):
    domain_name = Text()
    api_integration = Flag(metadata={"doc": '"Enable API integration" saved'})
    to_app = fields.Nested(ToApp, metadata={"doc": "Provisioning to App: create, update, deactivate"})
    attributes = fields.List(
        fields.String(validate=validate.OneOf(SERVICES)),
        metadata={"doc": "the Profile Editor's service attributes"},
    )
    username_format = fields.String(validate=validate.OneOf(USERNAME_FORMATS))


class Expect(Strict):
    tenant = Text(metadata={"doc": "the cybozu.com tenant checked (default: the first)"})
    app = Text(metadata={"doc": "the Okta app checked (default: the last added)"})
    message = fields.String(metadata={"doc": "the step's message, exactly"})
    message_contains = fields.String()
    cybozu_users = fields.List(fields.Nested(ExpectCybozuUser))
    cybozu_absent = fields.List(Text(), metadata={"doc": "log in names that must not exist"})
    cybozu_user_count = Count(0)
    okta_app_users = fields.List(fields.Nested(ExpectAppUser))
    okta_unassigned = fields.List(Text(), metadata={"doc": "people who must have no assignment"})
    okta_app_user_count = Count(0)
    tasks = fields.List(fields.Nested(ExpectTask))
    open_tasks = Count(0, metadata={"doc": "the number of open tasks"})
    exchanges = fields.List(
        fields.Nested(ExpectExchange),
        metadata={"doc": "SCIM requests of the step, in this order (others may come between)"},
    )
    exchange_count = Count(0, metadata={"doc": "SCIM requests the step sent"})
    syslog = fields.List(fields.Nested(ExpectEvent))
    api_tokens = Count(0, metadata={"doc": "the tenant's API tokens that are enabled and not expired"})
    propagate_provisioning = Flag(metadata={"doc": 'the tenant\'s "Propagate Provisioning"'})
    ip_restriction = Flag(metadata={"doc": "the tenant's IP address restriction is on"})
    okta_app = fields.Nested(ExpectApp, metadata={"doc": "the Okta app's settings"})

    @validates_schema
    def not_empty(self, data: dict[str, Any], **kwargs: object) -> None:
        if not set(data) - {"tenant", "app"}:
            raise ValidationError("an expect block needs at least one expectation")


class ExpectError(Strict):
    message = fields.String(metadata={"doc": "the error, exactly"})
    contains = fields.String()

    @validates_schema
    def one(self, data: dict[str, Any], **kwargs: object) -> None:
        if len(data) != 1:
            raise ValidationError("give message or contains")


class ChecklistItem(Strict):
    step = Text(required=True, metadata={"doc": "the article's words for the step"})
    done = fields.Nested(
        Expect, required=True, metadata={"doc": "ticks when the lab's state matches (no message/exchanges)"}
    )


class WrongTurn(Strict):
    when = fields.Nested(
        Expect, required=True, metadata={"doc": "the state that shows the trainee went wrong"}
    )
    hint = Text(required=True, metadata={"doc": "what to show, e.g. the article's troubleshooting text"})


class Exercise(Strict):
    """A scenario marked as an exercise: its steps are the solution, the checklist ticks from the lab's state."""

    title = Text(required=True)
    goal = fields.String(load_default="")
    checklist = fields.List(fields.Nested(ChecklistItem), required=True, validate=validate.Length(min=1))
    wrong_turns = fields.List(fields.Nested(WrongTurn), load_default=list)


class Metadata(Strict):
    name = Text(required=True)
    description = fields.String(load_default="")
    tags = fields.List(
        fields.String(validate=validate.Regexp(TAG, error="a tag is a word: letters, digits, - and _")),
        load_default=list,
    )
    covers = fields.List(fields.String(), load_default=list, metadata={"doc": "article sections replayed"})
    setup = fields.Nested(Setup, load_default=dict)
    exercise = fields.Nested(Exercise, metadata={"doc": "make this scenario a training exercise"})
    steps = fields.Raw(required=True, metadata={"doc": "the steps, in order"})

    @validates_schema(skip_on_field_errors=False)
    def known_sections(self, data: dict[str, Any], **kwargs: object) -> None:
        errors = {}
        for index, section in enumerate(data.get("covers", [])):
            if section not in article.SECTIONS:
                errors[index] = [
                    f"not a section of the article: {section!r}{suggest(section, article.SECTIONS)}"
                ]
        if errors:
            raise ValidationError({"covers": errors})


# -- the loaded scenario -------------------------------------------------------


@dataclass
class Step:
    index: int  # 1-based, as in messages
    verb: str
    params: dict[str, Any]
    line: int
    title: str = ""
    expect: dict[str, Any] | None = None
    expect_error: dict[str, Any] | None = None
    save: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"step {self.index} ({self.verb})" + (f" {self.title!r}" if self.title else "")


@dataclass
class Scenario:
    file: str
    name: str
    description: str
    tags: list[str]
    covers: list[str]
    setup: dict[str, Any]
    steps: list[Step]
    exercise: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return Path(self.file).stem


def suggest(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def declared(schema: Schema | type[Schema], path: Path_) -> list[str]:
    """The field names a schema accepts at ``path`` (for "did you mean")."""
    current: Any = schema() if isinstance(schema, type) else schema
    for part in path:
        if isinstance(part, int):
            continue
        found = current.fields.get(part) if isinstance(current, Schema) else None
        while isinstance(found, fields.List):
            found = found.inner
        if not isinstance(found, fields.Nested):
            return []
        current = found.schema
    return list(current.fields) if isinstance(current, Schema) else []


def dotted(path: Path_) -> str:
    """``("cybozu_users", 0, "status")`` -> ``cybozu_users[0].status``; a mapping's key/value errors name the key."""
    text = ""
    for position, part in enumerate(path):
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("key", "value") and position == len(path) - 1 and position >= 2:
            text += " (the key)" if part == "key" else ""
        else:
            text += f".{part}" if text else str(part)
    return text


def problems_from(
    document: Document,
    messages: Any,
    schema: Schema | type[Schema],
    base: Path_,
    local: Path_ = (),
    step: int | None = None,
    verb: str | None = None,
) -> list[Problem]:
    """Turn marshmallow's nested error messages into Problems at the right positions."""
    found: list[Problem] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            sub = local if key == "_schema" else (*local, key)
            found += problems_from(document, value, schema, base, sub, step, verb)
        return found
    for message in messages if isinstance(messages, list) else [messages]:
        if isinstance(message, dict):
            found += problems_from(document, message, schema, base, local, step, verb)
            continue
        text = str(message)
        if text == "Unknown field.":
            name = str(local[-1])
            text = f"unknown field {name!r}" + suggest(name, declared(schema, local[:-1]))
        elif text == "Missing data for required field.":
            text = f"missing required field {local[-1]!r}"
        elif local:
            text = f"{dotted(local)}: {text}"
        found.append(document.problem((*base, *local), text, step, verb))
    return found


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
