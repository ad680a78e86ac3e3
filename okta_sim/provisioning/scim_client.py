"""Okta's SCIM 2.0 client: the headers, requests and error texts of Okta's provisioning.

It leaves from one of the org's egress addresses (a real source address on the
socket), retries a 429 after Retry-After, and turns every failure into the
text Okta shows: ``<reason phrase>. Errors reported by remote server: <detail>``
where the detail is the SCIM error's ``detail``, or the JSON parser's
complaint when the body is not JSON (an IP-restricted cybozu.com answers HTML,
a broken one JSON cut short). Without an answer the text is the Java client's
own: "Read timed out", "Connection reset", "<host>:<port> failed to respond".
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlsplit

from okta_sim.connections import ConnectionPool, Endpoint, Reply
from simcore.clock import isoformat

HEADERS = {
    "User-Agent": "Okta SCIM Client 1.0.0",
    "Accept": "application/scim+json",
    "Accept-Charset": "utf-8",
    "Accept-Encoding": "gzip,deflate",
}
CONTENT_TYPE = "application/scim+json; charset=utf-8"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MAX_RETRY_AFTER = 60.0
# A 5xx or a timeout is tried again after this long (on the lab clock): Okta retries transient
# failures before a push ends in a Task, but documents neither how often nor how long it waits
# (inference; okta_sim's SCIM_RETRIES says how often).
TRANSIENT_BACKOFF = 1.0


class ScimFailure(Exception):
    """A request that did not succeed; ``describe()`` is Okta's wording."""

    def __init__(self, reason: str, detail: str | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.status = status

    def describe(self) -> str:
        if self.detail:
            return f"{self.reason}. Errors reported by remote server: {self.detail}"
        return self.reason


def json_complaint(text: str) -> str:
    """What Okta's JSON parser (Jackson) says about a body that is not JSON: empty, cut short
    (an object or array never closed, a string never ended), or starting with a character no
    JSON value starts with (an HTML page)."""
    stripped = text.lstrip()
    if not stripped:
        return "Invalid JSON: No content to map due to end-of-input"
    cut_short = _end_of_input(text) if stripped[0] in "{[" else None
    if cut_short:
        return f"Invalid JSON: Unexpected end-of-input{cut_short}"
    offset = len(text) - len(stripped)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 2  # Jackson reports the column after the character
    char = stripped[0]
    return (
        f"Invalid JSON: Unexpected character ('{char}' (code {ord(char)})): expected a valid value "
        f"(JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line: {line}, column: {column}"
    )


def _end_of_input(text: str) -> str | None:
    """Jackson's complaint about JSON that ends too soon (``_reportInvalidEOF``: in a string, in a
    name, between a name and its value, or with a container open), or None if nothing was left open."""
    open_: list[tuple[str, int, int]] = []  # the containers not closed yet: kind, line, column
    in_string = escaped = name = expect_name = in_entry = False
    line, column = 1, 0
    for char in text:
        line, column = (line + 1, 0) if char == "\n" else (line, column + 1)
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
            in_entry = name and not in_string  # a name closed: its value is still to come
            continue
        if char.isspace() or (char == ":" and in_entry):
            continue
        in_entry = False
        if char == '"':
            in_string, name, expect_name = True, expect_name, False
        elif char in "{[":
            open_.append(("Object" if char == "{" else "Array", line, column))
            expect_name = char == "{"
        elif char in "}]":
            open_ = open_[:-1]
            expect_name = False
        elif char == ",":
            expect_name = bool(open_) and open_[-1][0] == "Object"
    at = f"at line: {line}, column: {column + 1}"
    if in_string:
        return f": was expecting closing '\"' for name {at}" if name else f": was expecting closing quote for a string value {at}"
    if in_entry:
        return f" within/between Object entries {at}"
    if open_:
        kind, start_line, start_column = open_[-1]
        return f": expected close marker for {kind} (start marker at line: {start_line}, column: {start_column}) {at}"
    return None


def filter_user_name(user_name: str) -> str:
    escaped = user_name.replace("\\", "\\\\").replace('"', '\\"')
    return f'userName eq "{escaped}"'


def masked(body: Any) -> Any:
    if isinstance(body, dict) and "password" in body:
        return {**body, "password": "********"}
    return body


class OktaScimClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        source_address: str | None = None,
        timeout: float = 60.0,
        on_exchange: Callable[[dict[str, Any]], None] | None = None,
        on_rate_limit: Callable[[float], None] | None = None,
        max_retries: int = 3,
        transient_retries: int = 0,
        sleep: Callable[[float], None] = time.sleep,
        pool: ConnectionPool | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """``pool``: the org's shared keep-alive connections; without one the client keeps its own.
        ``max_retries``: waits on a 429's Retry-After; ``transient_retries``: tries again after a 5xx,
        and after no answer (a timeout, a reset, an empty reply, a failed connection) for requests
        that are safe to repeat (not POST). ``clock`` times each exchange of the wire log (the org's
        lab clock: a frozen one gives 0 ms)."""
        self.base_url = base_url.rstrip("/")
        self.source_address = source_address
        self.endpoint = Endpoint.of(self.base_url, source_address, timeout)
        self.path_prefix = urlsplit(self.base_url).path
        self.headers = {**HEADERS, "Authorization": f"Bearer {token}"}
        self.pool = pool or ConnectionPool()
        self.own_pool = pool is None
        self.on_exchange = on_exchange
        self.on_rate_limit = on_rate_limit
        self.max_retries = max_retries
        self.transient_retries = transient_retries
        self.sleep = sleep
        self.clock = clock

    def close(self) -> None:
        if self.own_pool:
            self.pool.close()

    def __enter__(self) -> OktaScimClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the requests Okta sends ------------------------------------------

    def test(self) -> dict[str, Any]:
        """Test API Credentials."""
        return self.request("GET", "/Users", params={"startIndex": 1, "count": 2}) or {}

    def find(self, user_name: str) -> dict[str, Any] | None:
        params = {"filter": filter_user_name(user_name), "startIndex": 1, "count": 100}
        try:
            found = self.request("GET", "/Users", params=params) or {}
        except ScimFailure as failure:
            if failure.status == 404:
                return None
            raise
        resources = found.get("Resources") or []
        return resources[0] if resources else None

    def get(self, user_id: str) -> dict[str, Any]:
        return self.request("GET", f"/Users/{user_id}") or {}

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "/Users", body=body) or {}

    def replace(self, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("PUT", f"/Users/{user_id}", body=body) or {}

    def set_active(self, user_id: str, active: bool) -> None:
        body = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": active}}]}
        self.request("PATCH", f"/Users/{user_id}", body=body)

    # -- plumbing ---------------------------------------------------------

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> dict[str, Any] | None:
        target = self.path_prefix + path + ("?" + urlencode(params) if params else "")
        content = json.dumps(body).encode() if body is not None else None
        headers = {**self.headers, "Content-Type": CONTENT_TYPE} if content is not None else self.headers
        waits, tries = 0, 0
        while True:
            failure: ScimFailure | None = None
            sent = self.clock()
            try:
                response = self.pool.send(self.endpoint, method, target, content, headers)
            # ValueError: a header http.client refuses to write (a token that is not ASCII).
            except (OSError, http.client.HTTPException, ValueError) as error:
                self._log(sent, method, path, params, body, None, str(error))
                failure, transient = self.no_answer(method, error)
            else:
                self._log(sent, method, path, params, body, response.status, response.text, response)
                if response.status == 429 and waits < self.max_retries:
                    waits += 1
                    wait = _retry_after(response.headers.get("Retry-After"))
                    if self.on_rate_limit:
                        self.on_rate_limit(wait)
                    self.sleep(wait)
                    continue
                transient = response.status >= 500
            if transient and tries < self.transient_retries:
                tries += 1
                self.sleep(TRANSIENT_BACKOFF)
                continue
            if failure is not None:
                raise failure
            return _result(response)

    def no_answer(self, method: str, error: Exception) -> tuple[ScimFailure, bool]:
        """What Okta says when no HTTP answer came (nothing is "reported by remote server": the
        Java client's own text), and whether the request may be sent again: not a POST, which the
        server may have processed before the answer was lost (the user may now exist)."""
        safe = method != "POST"
        if isinstance(error, TimeoutError):
            return ScimFailure("Read timed out"), safe
        if isinstance(error, http.client.RemoteDisconnected):  # closed after zero bytes: an empty reply
            return ScimFailure(f"{self.endpoint.host}:{self.endpoint.port} failed to respond"), safe
        if isinstance(error, ConnectionResetError):
            return ScimFailure("Connection reset"), safe
        failure = ScimFailure("Connection failed", f"could not connect to {self.base_url}: {error}")
        return failure, safe and not isinstance(error, ValueError)

    def _log(
        self,
        sent: datetime,
        method: str,
        path: str,
        params: Any,
        body: Any,
        status: int | None,
        text: str,
        reply: Reply | None = None,
    ) -> None:
        """One exchange of the wire log: what was sent and what came back (a report's HAR export
        needs the URL, both sides' headers and the times, lab.replay.har)."""
        if self.on_exchange is None:
            return
        try:
            answer: Any = json.loads(text) if text else None
        except ValueError:
            answer = text[:2000]
        path = path + ("?" + urlencode(params) if params else "")
        headers = {**HEADERS, "Content-Type": CONTENT_TYPE} if body is not None else dict(HEADERS)
        self.on_exchange(
            {
                "method": method,
                "path": path,
                "url": self.base_url + path,
                "status": status,
                # The wire log never holds the secret: Authorization is shown masked.
                "headers": {**headers, "Authorization": "Bearer ********"},
                "request": masked(body),
                "response": answer,
                "response_headers": {k: ", ".join(reply.headers.get_all(k) or []) for k in reply.headers}
                if reply
                else {},
                "source": self.source_address,
                "started": isoformat(sent),
                "elapsed_ms": round((self.clock() - sent).total_seconds() * 1000, 3),
            }
        )


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 1), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return 1.0


def _result(response: Reply) -> dict[str, Any] | None:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:  # a status code outside the standard list
        reason = str(response.status)
    text = response.text
    if 200 <= response.status < 300:
        if not text.strip():
            return None
        try:
            return json.loads(text)  # type: ignore[no-any-return]
        except ValueError:
            raise ScimFailure(reason, json_complaint(text), response.status) from None
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        raise ScimFailure(reason, json_complaint(text), response.status) from None
    detail = data.get("detail") if isinstance(data, dict) else None
    raise ScimFailure(reason, detail, response.status)
