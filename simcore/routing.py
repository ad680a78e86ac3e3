"""URL rules whose URL builders are compiled once per process, not once per app.

Werkzeug compiles two Python functions for every rule it binds (``Rule._compile_builder``:
an AST, then ``compile``). Each sandbox, test app and trainee org is a new Flask app with
the same 160 routes, so that compiling was most of ``create_app`` (okta_sim 88 ms, cybozu_sim
38 ms here) and a third of a short scenario's run. A builder depends only on what the key
below holds (the rule, its parsed parts, its defaults, and whether unknown arguments are
appended); it takes the rule as its first argument, so one function serves every app's copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule

_builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}
_lock = threading.Lock()


class SharedBuilderRule(Rule):
    """A Werkzeug Rule that reuses the builder compiled for an identical rule (Flask's
    ``url_rule_class``)."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = self.defaults or {}
        key = (
            append_unknown,
            self.rule,
            tuple(self._trace),
            tuple(sorted((str(name), repr(value)) for name, value in defaults.items())),
            tuple(sorted((name, type(converter).__name__) for name, converter in self._converters.items())),
        )
        with _lock:
            builder = _builders.get(key)
            if builder is None:
                builder = _builders[key] = super()._compile_builder(append_unknown)
        return builder
