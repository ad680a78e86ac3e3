"""lab.replay.runner: saved values put in place of ${name}; the sandbox's ports out of its records."""

from __future__ import annotations

from lab.replay.runner import resolve, stable


def test_references_keep_their_type_when_whole() -> None:
    saved = {"n": 3, "token": "abc"}
    assert resolve({"a": "${n}", "b": "x${token}y", "c": ["${token}"]}, saved) == {
        "a": 3,
        "b": "xabcy",
        "c": ["abc"],
    }


def test_the_sandboxes_ports_are_written_as_the_apps_names() -> None:
    urls = {"cybozu": "http://127.0.0.1:4100", "okta": "http://127.0.0.1:41000"}
    exchange = {
        "response": {"meta": {"location": "http://127.0.0.1:4100/example/scim/v2/Users/1"}},
        "detail": ["could not connect to http://127.0.0.1:41000/x", "127.0.0.1:410001 is no app's", 7],
    }
    assert stable(exchange, urls) == {
        "response": {"meta": {"location": "http://cybozu_sim/example/scim/v2/Users/1"}},
        "detail": ["could not connect to http://okta_sim/x", "127.0.0.1:410001 is no app's", 7],
    }
