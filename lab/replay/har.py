"""A scenario's SCIM wire log as HAR 1.2 (``lab run --report DIR --har``), so that the requests
Okta sent can be opened in a browser's network panel or any HAR viewer, and diffed between runs.

Spec: http://www.softwareishard.com/blog/har-12-spec/ (mirrored at
github.com/ahmadnassri/har-spec, versions/1.2.md). Each step that sent requests is a page
(``pageref``), so a viewer groups the requests by step. The wire log keeps the bodies parsed,
not the bytes, so a body is JSON again (``bodySize`` -1: the size on the wire is not known)
and its secrets are masked (lab.replay.masking). Times are the lab clock's, as okta_sim
stamped each exchange: a scenario's frozen clock gives 0 ms, and the same run gives the same
file. The clock cannot tell sending from waiting, so the whole time is ``wait``.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lab.replay.masking import redact, redact_headers, redact_url, scrub
from lab.replay.runner import ScenarioResult, StepRecord
from lab.scenario.model import EXPECT_VERB

FILE_NAME = "exchanges.har"
HTTP_VERSION = "HTTP/1.1"  # okta_sim sends with http.client
EPOCH = "1970-01-01T00:00:00.000Z"


def write(result: ScenarioResult, folder: Path) -> Path:
    """``folder/exchanges.har`` for one scenario's run (UTF-8, as the spec requires)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE_NAME
    target.write_text(json.dumps(document(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def document(result: ScenarioResult) -> dict[str, Any]:
    """The HAR of ``result``: every step's exchanges, secrets masked by name and by value."""
    pages, entries = [], []
    for record in result.steps:
        if record.step.verb == EXPECT_VERB or not record.exchanges:
            continue  # a standalone expect shows the exchanges of the action before it again
        page = f"step-{record.step.index}"
        started = entries[-1]["startedDateTime"] if entries else EPOCH
        for exchange in record.exchanges:
            started = exchange.get("started") or exchange.get("time") or started
            entries.append(entry(exchange, page, started))
        pages.append(
            {
                "startedDateTime": next(e["startedDateTime"] for e in entries if e["pageref"] == page),
                "id": page,
                "title": title(record),
                "pageTimings": {"onContentLoad": -1, "onLoad": -1},
            }
        )
    log = {
        "version": "1.2",
        "creator": {"name": "lab (okta-cybozu-lab)", "version": _version()},
        "pages": pages,
        "entries": entries,
        "comment": f"{result.scenario.file}: {result.scenario.name} ({result.driver} driver); "
        "the SCIM requests okta_sim sent, secrets masked",
    }
    return {"log": scrub(log, result.secrets)}


def entry(exchange: dict[str, Any], page: str, started: str) -> dict[str, Any]:
    url = redact_url(str(exchange.get("url") or exchange["path"]))
    elapsed = max(float(exchange.get("elapsed_ms") or 0), 0.0)
    found: dict[str, Any] = {
        "pageref": page,
        "startedDateTime": started,
        "time": elapsed,
        "request": {
            "method": exchange["method"],
            "url": url,
            "httpVersion": HTTP_VERSION,
            "cookies": [],
            "headers": headers(exchange.get("headers")),
            "queryString": [{"name": n, "value": v} for n, v in parse_qsl(urlsplit(url).query, True)],
            "headersSize": -1,
            "bodySize": 0 if exchange.get("request") is None else -1,
        },
        "response": response(exchange),
        "cache": {},
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
    }
    body = exchange.get("request")
    if body is not None:
        mime = _header(exchange.get("headers"), "content-type") or "application/scim+json"
        found["request"]["postData"] = {"mimeType": mime, "text": text(redact(body))}
    if exchange.get("source"):
        found["_sourceAddress"] = exchange["source"]  # okta_sim's egress address (IP restriction)
    return found


def response(exchange: dict[str, Any]) -> dict[str, Any]:
    status = exchange.get("status")
    body = redact(exchange.get("response"))
    content = text(body)
    found: dict[str, Any] = {
        "status": status or 0,
        "statusText": _reason(status),
        "httpVersion": HTTP_VERSION if status else "",
        "cookies": [],
        "headers": headers(exchange.get("response_headers")),
        "content": {
            "size": len(content.encode("utf-8")),
            "mimeType": _header(exchange.get("response_headers"), "content-type")
            or ("application/json" if isinstance(body, dict | list) else "text/plain"),
            "text": content,
        },
        "redirectURL": _header(exchange.get("response_headers"), "location") or "",
        "headersSize": -1,
        "bodySize": -1,
    }
    if status is None:  # no answer came: HAR's status 0, and why (timed out, connection refused)
        found["comment"] = f"no answer: {content}"
    return found


def headers(given: dict[str, Any] | None) -> list[dict[str, str]]:
    return [{"name": str(n), "value": str(v)} for n, v in redact_headers(given or {}).items()]


def text(body: Any) -> str:
    if body is None:
        return ""
    return json.dumps(body, ensure_ascii=False) if isinstance(body, dict | list) else str(body)


def title(record: StepRecord) -> str:
    step = record.step
    return f"step {step.index}: {step.verb}" + (f" ({step.title})" if step.title else "")


def _header(given: dict[str, Any] | None, name: str) -> str | None:
    return next((str(v) for k, v in (given or {}).items() if k.lower() == name), None)


def _reason(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase if status else ""
    except ValueError:  # a status outside the standard list
        return ""


def _version() -> str:
    try:
        return metadata.version("okta-cybozu-lab")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0"
