"""Okta's keep-alive HTTP connections to SCIM servers, shared by every push of an org.

A group assignment of thousands of people is thousands of lookups and
creates; opening a TCP connection and building an HTTP client for each
person cost more than the requests themselves. The pool keeps idle
connections per (server, egress address, timeout), so a push reuses one that
leaves from the same source address: IP address restriction still sees the
egress address the push was given. A connection the server closed while it
sat idle is discarded before reuse, never retried blindly after a failure.

Built on the standard library's http.client: it binds a source address, its
socket timeout is exactly Okta's "60 s without bytes on the socket", and it
costs a fraction of a full-featured client per request.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

# Loading the CA bundle costs ~30 ms; every connection shares one context instead of building its own.
_TLS = ssl.create_default_context()
# Connecting gives up sooner than reading (a server that accepts but answers slowly is "Read timed out").
CONNECT_TIMEOUT = 10.0
# Idle connections kept per key: Okta's pushes of one org to one server run a few at a time.
MAX_IDLE = 8


@dataclass(frozen=True)
class Endpoint:
    """Where a connection goes and how it leaves: the pool's key."""

    scheme: str
    host: str
    port: int
    source: str | None
    timeout: float

    @classmethod
    def of(cls, base_url: str, source: str | None, timeout: float) -> Endpoint:
        parts = urlsplit(base_url)
        scheme = parts.scheme or "http"
        port = parts.port or (443 if scheme == "https" else 80)
        return cls(scheme, parts.hostname or "127.0.0.1", port, source, timeout)


@dataclass
class Reply:
    """A response read to its end (so its connection can carry the next request)."""

    status: int
    headers: http.client.HTTPMessage
    text: str


class ConnectionPool:
    def __init__(self) -> None:
        self._idle: dict[Endpoint, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def send(
        self, endpoint: Endpoint, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        """One request on an idle connection (or a new one); raises OSError or HTTPException on failure.

        An idle connection the server closed meanwhile is never used (see
        ``_acquire``), and a failure is not retried here: a request that got
        no answer may have been processed (a POST may have created the user),
        so whether to send it again is the SCIM client's decision.
        """
        connection = self._acquire(endpoint)
        try:
            reply, keep = _exchange(connection, method, target, body, headers)
        except BaseException:
            connection.close()
            raise
        if keep:
            self._release(endpoint, connection)
        else:
            connection.close()
        return reply

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def _acquire(self, endpoint: Endpoint) -> http.client.HTTPConnection:
        """An idle connection that is still open, else a new one. An idle connection has nothing
        to read: if its socket is readable, the server closed it (EOF) or broke it, and it is
        discarded before a request is lost on it (Apache HttpClient's stale-connection check,
        urllib3's ``is_connection_dropped``)."""
        stale = []
        with self._lock:
            idle = self._idle.get(endpoint) or []
            while idle:
                connection = idle.pop()
                if _still_open(connection):
                    return connection
                stale.append(connection)
        for connection in stale:
            connection.close()
        return _connect(endpoint)

    def _release(self, endpoint: Endpoint, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(endpoint, [])
            if len(idle) < MAX_IDLE:
                idle.append(connection)
                return
        connection.close()


def _still_open(connection: http.client.HTTPConnection) -> bool:
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):  # closed under us
        return False
    return not readable


def _connect(endpoint: Endpoint) -> http.client.HTTPConnection:
    source = (endpoint.source, 0) if endpoint.source else None
    timeout = min(endpoint.timeout, CONNECT_TIMEOUT)
    if endpoint.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            endpoint.host, endpoint.port, timeout=timeout, source_address=source, context=_TLS
        )
    else:
        connection = http.client.HTTPConnection(
            endpoint.host, endpoint.port, timeout=timeout, source_address=source
        )
    connection.connect()
    assert connection.sock is not None
    connection.sock.settimeout(endpoint.timeout)
    return connection


def _exchange(
    connection: http.client.HTTPConnection,
    method: str,
    target: str,
    body: bytes | None,
    headers: dict[str, str],
) -> tuple[Reply, bool]:
    connection.request(method, target, body=body, headers=headers)
    response = connection.getresponse()
    raw = _decoded(response.read(), response.getheader("Content-Encoding"))
    charset = response.headers.get_content_charset() or "utf-8"
    try:
        text = raw.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        text = raw.decode("utf-8", errors="replace")
    return Reply(response.status, response.headers, text), not response.will_close


def _decoded(raw: bytes, encoding: str | None) -> bytes:
    """Okta sends Accept-Encoding: gzip,deflate, so it must read what it asked for."""
    encoding = (encoding or "").strip().lower()
    try:
        if encoding == "gzip":
            return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(raw)
            except zlib.error:
                return zlib.decompress(raw, -zlib.MAX_WBITS)
    except zlib.error:
        return raw
    return raw
