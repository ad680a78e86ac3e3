"""A scenario document's own fields: name, description, tags, the article sections it
covers, its setup, and the ``exercise:`` block that makes it a training exercise."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from lab.scenario import article
from lab.scenario.expect import Expect
from lab.scenario.fieldtypes import Strict, Text
from lab.scenario.problems import suggest
from lab.scenario.setup import Setup

TAG = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


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
    diagnosis = fields.Boolean(
        load_default=False,
        metadata={"doc": "a diagnosis exercise: each checklist step's text stays hidden until it is done, so the checklist does not give the answer away"},
    )


class Metadata(Strict):
    name = Text(required=True)
    description = fields.String(load_default="")
    tags = fields.List(
        fields.String(validate=validate.Regexp(TAG, error="a tag is a word: letters, digits, - and _")),
        load_default=list,
    )
    covers = fields.List(fields.String(), load_default=list, metadata={"doc": "article sections replayed"})
    # A file without setup: has the defaults of one (its seed), as the drivers read them.
    setup = fields.Nested(Setup, load_default=lambda: Setup().load({}))
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
