"""okta_sim's System Log API, GET /api/v1/logs, in process: the query parameters Okta documents
(filter, q, since, until, sortOrder, limit, after), its paging, and its errors."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

import okta_sim.app
from okta_sim import api_tokens, syslog
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from simcore.clock import LabClock, isoformat
from tests.conftest import NOW
from tests.unit.okta_sim.test_api_v1 import Api, assert_error, causes, links

ALICE = {"id": "00ualice", "type": "User", "alternateId": "alice@example.com", "displayName": "Alice Smith"}
BOB = {"id": "00ubob", "type": "User", "alternateId": "bob@example.com", "displayName": "Bob Jones"}
CYBOZU = {"id": "0oacybozu", "type": "AppInstance", "alternateId": "Cybozu (cybozu.com)", "displayName": "Cybozu (cybozu.com)"}  # fmt: skip
ADMIN = {"id": "00uadmin", "type": "User", "alternateId": "admin@example.com", "displayName": "Ada Admin"}


@pytest.fixture
def okta() -> Flask:
    return okta_sim.app.create_app({"TESTING": True, "CLOCK": LabClock(frozen_at=NOW), "EGRESS_BIND": False})


@pytest.fixture
def backend(okta: Flask) -> OktaBackend:
    return okta_backend(okta)  # type: ignore[no-any-return]


@pytest.fixture
def api(okta: Flask, backend: OktaBackend) -> Api:
    _, token = api_tokens.create_token(backend, "test")
    return Api(okta, token)


def event(ago: timedelta = timedelta(0), **fields: Any) -> dict[str, Any]:
    """A LogEvent published ``ago`` before NOW, by the admin, with ``fields`` over the defaults."""
    return {
        "uuid": str(uuid.uuid4()),
        "published": isoformat(NOW - ago),
        "eventType": "user.lifecycle.create",
        "version": "0",
        "severity": "INFO",
        "displayMessage": "Create Okta user",
        "actor": ADMIN,
        "outcome": {"result": "SUCCESS", "reason": None},
        "target": [],
        **fields,
    }


def stored(backend: OktaBackend, *events: dict[str, Any]) -> list[dict[str, Any]]:
    """The events in the System Log's table, in this order (the order Okta "persisted" them)."""
    with backend.store.transaction() as db:
        db.table(syslog.TABLE).insert_multiple(events)
    return list(events)


def uuids(found: list[dict[str, Any]]) -> list[str]:
    return [e["uuid"] for e in found]


def found(api: Api, **query: str) -> list[str]:
    response = api("GET", "/logs", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return uuids(response.get_json())


def every_page(api: Api, **query: str) -> tuple[list[str], int]:
    """Follow rel="next" until a page has none: the uuids read, and the pages."""
    response = api("GET", "/logs", query_string=query)
    read, pages = uuids(response.get_json()), 1
    while "next" in links(response):
        response = api("GET", links(response)["next"])
        read, pages = read + uuids(response.get_json()), pages + 1
    return read, pages


# -- filter ---------------------------------------------------------------------------


@pytest.fixture
def sample(backend: OktaBackend) -> dict[str, dict[str, Any]]:
    """Four events with the attributes the reference's filter examples use."""
    events = {
        "assign": event(
            eventType="application.user_membership.add",
            displayMessage="Add user to application membership",
            target=[ALICE, CYBOZU],
            client={"ipAddress": "184.73.186.14", "userAgent": {"os": "Mac OS X"}},
            authenticationContext={"authenticationStep": 0, "externalSessionId": "XOxBw-2JIRnCFd0gG0GjHAAABjY"},
            debugContext={"debugData": {"requestUri": "/api/v1/apps/0oacybozu/users", "url": "/api/v1/apps?x=1"}},
        ),
        "push_failed": event(
            eventType="application.provision.user.push",
            severity="ERROR",
            displayMessage='Automatic provisioning of user alice@example.com to app Cybozu (cybozu.com) failed: Error "Conflict"',  # fmt: skip
            actor={"id": "0oa_system", "type": "SystemPrincipal", "displayName": "Okta System"},
            outcome={"result": "FAILURE", "reason": "Conflict"},
            target=[ALICE, CYBOZU],
            securityContext={"isProxy": True, "asNumber": 16509},
        ),
        "sign_in": event(
            eventType="user.session.start",
            displayMessage="User login to Okta",
            actor=BOB,
            outcome={"result": "FAILURE", "reason": "INVALID_CREDENTIALS"},
            transaction={"id": "Wn4f-0RQ8D8lTSLkAmkKdQAADqo", "type": "WEB", "detail": {"requestApiTokenId": "00T94e3cn9kSEO3c51s5"}},  # fmt: skip
        ),
        "token": event(
            eventType="system.api_token.create",
            displayMessage="Create API token",
            target=[{"id": "00T1", "type": "Token", "changeDetails": {"to": {"name": "sdk"}}}],
        ),
    }
    stored(backend, *events.values())
    return events


def names(sample: dict[str, dict[str, Any]], found_uuids: list[str]) -> list[str]:
    by_uuid = {e["uuid"]: name for name, e in sample.items()}
    return [by_uuid[u] for u in found_uuids]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # The System Log query guide's own examples.
        ('eventType eq "user.session.start"', ["sign_in"]),
        ('target.id eq "00ualice"', ["assign", "push_failed"]),
        ('actor.id ne "00uadmin"', ["push_failed", "sign_in"]),
        ('eventType eq "user.session.start" and outcome.result eq "FAILURE"', ["sign_in"]),
        ('target.id eq "00ualice" and target.id eq "0oacybozu"', ["assign", "push_failed"]),
        ('client.ipAddress eq "184.73.186.14"', ["assign"]),
        ('eventType sw "application"', ["assign", "push_failed"]),
        ('eventType co "session"', ["sign_in"]),
        ('eventType ew "create"', ["token"]),
        ('transaction.detail.requestApiTokenId eq "00T94e3cn9kSEO3c51s5"', ["sign_in"]),
        # Every operator, and the attributes of any LogEvent object.
        ('severity eq "ERROR"', ["push_failed"]),
        ('outcome.reason pr', ["push_failed", "sign_in"]),
        ("client pr", ["assign"]),
        ("target pr", ["assign", "push_failed", "token"]),
        ('displayMessage co "Cybozu (cybozu.com) failed"', ["push_failed"]),
        ('displayMessage eq "create api token"', []),  # values compare exactly
        ('eventType gt "system"', ["sign_in", "token"]),
        ('eventType ge "user.session.start"', ["sign_in"]),
        ('eventType lt "application.user"', ["push_failed"]),
        ('eventType le "application.user_membership.add"', ["assign", "push_failed"]),
        ("authenticationContext.authenticationStep eq 0", ["assign"]),
        ("securityContext.asNumber gt 1.5e4", ["push_failed"]),
        ('securityContext.asNumber eq "16509"', []),  # a number is not a string
        ("securityContext.isProxy eq true", ["push_failed"]),
        ('debugContext.debugData.requestUri sw "/api/v1/apps/"', ["assign"]),
        ('target.changeDetails.to.name eq "sdk"', ["token"]),
        ('client.userAgent.os eq "Mac OS X"', ["assign"]),
        ('target.displayName eq "Cybozu (cybozu.com)"', ["assign", "push_failed"]),
        # and / or / not, parentheses, precedence (and before or), case-insensitive operators.
        ('eventType eq "user.session.start" or severity eq "ERROR" and outcome.result eq "SUCCESS"', ["sign_in"]),
        ('(eventType eq "user.session.start" or severity eq "ERROR") and outcome.result eq "FAILURE"', ["push_failed", "sign_in"]),  # fmt: skip
        ('not (target.id eq "00ualice")', ["sign_in", "token"]),
        ('NOT (eventType sw "application") AND NOT (actor.id EQ "00ubob")', ["token"]),
        ('outcome.result Eq "FAILURE" Or eventType EW "create"', ["push_failed", "sign_in", "token"]),
        ('((((eventType eq "user.session.start"))))', ["sign_in"]),
        # Strings are JSON strings: escapes work.
        (r'displayMessage co "Error \"Conflict\""', ["push_failed"]),
        (r'actor.displayName eq "\u0042ob Jones"', ["sign_in"]),
        ("  ", ["assign", "push_failed", "sign_in", "token"]),  # an empty filter filters nothing
    ],
)
def test_filter_expressions(
    api: Api, sample: dict[str, dict[str, Any]], expression: str, expected: list[str]
) -> None:
    assert names(sample, found(api, filter=expression)) == expected


INVALID = "E0000053"
UNSUPPORTED = "E0000031"


@pytest.mark.parametrize(
    ("expression", "code", "summary"),
    [
        # The reference's own error examples, word for word.
        (
            'display_message eqq "Create okta user"',
            INVALID,
            "Invalid filter 'display_message eqq \"Create okta user\"': Unrecognized attribute operator 'eqq'"
            " at position 16. Expected: eq,co,sw,pr,gt,ge,lt,le",
        ),
        ('some_invalid_field eq "x"', INVALID, "field is not valid: some_invalid_field"),
        (
            'debugContext.debugData.url co "/oauth/"',
            UNSUPPORTED,
            "The supplied combination of operator and field is not currently supported. Operator: co,"
            " Field: debugContext.debugData.url",
        ),
        # published belongs to since/until; attribute names are case-sensitive; to/from need a property.
        (
            'published gt "2026-01-01T00:00:00.000Z"',
            UNSUPPORTED,
            "The supplied combination of operator and field is not currently supported. Operator: gt, Field: published",
        ),
        ('EventType eq "user.session.start"', INVALID, "field is not valid: EventType"),
        ('actor.id.x eq "1"', INVALID, "field is not valid: actor.id.x"),
        ("target.changeDetails.to pr", INVALID, "field is not valid: target.changeDetails.to"),
        # Syntax: what is wrong, and where (0-based, as Okta counts).
        ('eventType eq "user', INVALID, "Invalid filter 'eventType eq \"user': Unterminated string at position 13"),
        ('eventType eq "\\x"', INVALID, "Invalid filter 'eventType eq \"\\x\"': Invalid string \"\\x\" at position 13"),
        ("eventType eq user.session.start", INVALID, "Invalid filter 'eventType eq user.session.start': Unrecognized value 'user.session.start' at position 13"),  # fmt: skip
        ("eventType eq", INVALID, "Invalid filter 'eventType eq': Unrecognized value '' at position 12"),
        ('eventType "x"', INVALID, "Invalid filter 'eventType \"x\"': Unrecognized attribute operator '\"x\"' at position 10. Expected: eq,co,sw,pr,gt,ge,lt,le"),  # fmt: skip
        ('target[id eq "x"]', INVALID, "Invalid filter 'target[id eq \"x\"]': Value filters ('[ ]') are not supported at position 6"),  # fmt: skip
        ('(eventType eq "x"', INVALID, "Invalid filter '(eventType eq \"x\"': Expected ')' at position 17"),
        ('not eventType eq "x"', INVALID, "Invalid filter 'not eventType eq \"x\"': Expected '(' at position 4"),
        ('eventType eq "x" severity eq "y"', INVALID, "Invalid filter 'eventType eq \"x\" severity eq \"y\"': Unexpected 'severity' at position 17"),  # fmt: skip
        ('eventType eq "x" and', INVALID, "Invalid filter 'eventType eq \"x\" and': Expected an attribute name at position 20"),  # fmt: skip
        ('"x" eq eventType', INVALID, "Invalid filter '\"x\" eq eventType': Expected an attribute name at position 0"),
        (")", INVALID, "Invalid filter ')': Expected an attribute name at position 0"),
    ],
)
def test_a_filter_okta_cannot_read_is_its_400(api: Api, expression: str, code: str, summary: str) -> None:
    assert_error(api("GET", "/logs", query_string={"filter": expression}), 400, code, summary)


def test_filters_nest_only_so_deep_and_chain_without_limit(api: Api, sample: dict[str, dict[str, Any]]) -> None:
    """Nesting is bounded (the parser recurses once per level); a long chain of and/or is not."""
    deep = "(" * 33 + 'eventType eq "x"' + ")" * 33
    assert_error(api("GET", "/logs", query_string={"filter": deep}), 400, INVALID, f"Invalid filter '{deep}': More than 32 nested parentheses at position 32")  # fmt: skip
    chain = " or ".join(f'eventType eq "{n}"' for n in range(3000)) + ' or eventType eq "user.session.start"'
    assert names(sample, found(api, filter=chain)) == ["sign_in"]


# -- q ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("alice@example.com", ["assign", "push_failed"]),  # a target's alternateId
        ("ALICE SMITH", ["assign", "push_failed"]),  # case-insensitive, every keyword
        ("Alice Jones", []),  # keywords of two different events
        ("Alic", []),  # a keyword matches a whole word
        ("XOxBw", ["assign"]),  # the parts of a hyphenated value...
        ("2JIRnCFd0gG0GjHAAABjY", ["assign"]),
        ("XOxBw-2JIRnCFd0gG0GjHAAABjY", ["assign"]),  # ...and the whole of it
        ("failed", ["push_failed"]),  # "failed:" without its punctuation
        ("cybozu.com", ["assign", "push_failed"]),  # "(cybozu.com)"
        ("184.73.186.14 INVALID_CREDENTIALS", []),
        ("INVALID_CREDENTIALS", ["sign_in"]),
        ("16509", ["push_failed"]),  # numbers are values too
        ("", ["assign", "push_failed", "sign_in", "token"]),  # q= (as in Okta's own links) is no search
    ],
)
def test_keyword_search(api: Api, sample: dict[str, dict[str, Any]], q: str, expected: list[str]) -> None:
    assert names(sample, found(api, q=q)) == expected


def test_keywords_are_limited_in_length_and_number(api: Api) -> None:
    long = api("GET", "/logs", query_string={"q": "a" * 41})
    too_long = (
        "Freeform search cannot contain items longer than 40 characters. Please shorten the items in your "
        "search or use an advanced filter to query by specific fields."
    )
    assert_error(long, 400, "E0000001", f"Api validation failed: 'q': {too_long}")
    assert causes(long) == [f"q: {too_long}"]
    assert api("GET", "/logs", query_string={"q": "a" * 40}).status_code == 200
    assert api("GET", "/logs", query_string={"q": " ".join("abcdefghij")}).status_code == 200
    many = api("GET", "/logs", query_string={"q": " ".join("abcdefghijk")})
    assert_error(many, 400, "E0000001")
    assert "more than 10 items" in many.get_json()["errorSummary"]


def test_filter_and_q_together(api: Api, sample: dict[str, dict[str, Any]]) -> None:
    assert names(sample, found(api, filter='outcome.result eq "FAILURE"', q="alice")) == ["push_failed"]


# -- since, until, retention -----------------------------------------------------------


def test_since_defaults_to_seven_days_before_until(api: Api, backend: OktaBackend) -> None:
    day = timedelta(days=1)
    e = stored(backend, event(10 * day), event(8 * day), event(6 * day), event(day), event())
    assert found(api) == uuids(e[2:])  # now - 7 days
    assert found(api, until=isoformat(NOW - 2 * day)) == uuids(e[1:3])  # until - 7 days
    assert found(api, since=isoformat(NOW - 9 * day)) == uuids(e[1:])
    assert found(api, since=isoformat(NOW - 8 * day), until=isoformat(NOW - day)) == uuids(e[1:4])  # both ends kept
    assert found(api, until="") == found(api) == found(api, since="")  # empty is absent
    assert found(api, since=isoformat(NOW + day)) == []


def test_until_includes_its_instant(api: Api, backend: OktaBackend) -> None:
    """Inference: Okta's own next link moves until to the last event read and adds after."""
    e = stored(backend, event(timedelta(seconds=1)), event())
    assert found(api, until=isoformat(NOW - timedelta(seconds=1))) == uuids(e[:1])
    assert found(api, until=isoformat(NOW - timedelta(milliseconds=1001))) == []


def test_events_older_than_90_days_are_not_returned(api: Api, backend: OktaBackend) -> None:
    day = timedelta(days=1)
    e = stored(backend, event(100 * day), event(89 * day))
    assert found(api, since=isoformat(NOW - 120 * day)) == uuids(e[1:])


def test_a_since_over_180_days_old_is_refused(api: Api) -> None:
    old = api("GET", "/logs", query_string={"since": isoformat(NOW - timedelta(days=181))})
    assert_error(old, 400, "E0000053", "Invalid parameter: The since parameter is over 180 days prior to the current day.")  # fmt: skip
    assert api("GET", "/logs", query_string={"since": isoformat(NOW - timedelta(days=179))}).status_code == 200


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "9999-12-31T23:59:59-23:59"])
@pytest.mark.parametrize("name", ["since", "until"])
def test_a_date_okta_cannot_read_is_its_validation_error(api: Api, name: str, value: str) -> None:
    """9999-12-31T23:59:59-23:59 parses, but is past datetime's range in UTC: it was an OverflowError (500)."""
    refused = api("GET", "/logs", query_string={name: value})
    unrecognized = "The date format in your query is not recognized. Please enter dates using ISO8601 string format."
    assert_error(
        refused, 400, "E0000001",
        f"Api validation failed: '{name}': {unrecognized} '{name}': must be a valid date-time or empty.",
    )  # fmt: skip
    assert causes(refused) == [f"{name}: {unrecognized}", f"{name}: must be a valid date-time or empty."]


# -- sortOrder, limit, paging ----------------------------------------------------------


def test_sort_order(api: Api, backend: OktaBackend) -> None:
    e = stored(backend, *(event(timedelta(minutes=m)) for m in (3, 2, 1)))
    assert found(api) == found(api, sortOrder="ASCENDING") == uuids(e)
    assert found(api, sortOrder="DESCENDING") == uuids(e[::-1])
    assert every_page(api, sortOrder="DESCENDING", limit="1") == (uuids(e[::-1]), 3)
    assert_error(api("GET", "/logs?sortOrder=descending"), 400, "E0000001", "Api validation failed: sortOrder")


def test_polling_reads_in_stored_order_and_bounded_in_published_order(api: Api, backend: OktaBackend) -> None:
    """A late event (stored after, published before): Okta's "persistence time" against ``published``."""
    e = stored(backend, event(timedelta(minutes=1)), event(timedelta(minutes=2)))
    assert found(api) == uuids(e)
    assert found(api, until=isoformat(NOW)) == uuids(e[::-1])


def test_limit(api: Api, backend: OktaBackend) -> None:
    stored(backend, *(event() for _ in range(1001)))
    assert len(found(api)) == 100
    assert len(found(api, limit="1000")) == len(found(api, limit="5000")) == 1000
    assert found(api, limit="0") == []
    for wrong in ("-1", "ten", "", "1.5"):
        refused = api("GET", "/logs", query_string={"limit": wrong})
        assert_error(refused, 400, "E0000001", "Api validation failed: limit")
        assert causes(refused) == ["limit: must be an integer from 0 to 1000"]


def test_a_bounded_request_ends_when_its_events_do(api: Api, backend: OktaBackend) -> None:
    e = stored(backend, *(event(timedelta(minutes=m)) for m in range(5, 0, -1)))
    window = {"since": isoformat(NOW - timedelta(hours=1)), "until": isoformat(NOW)}
    assert every_page(api, **window, limit="2") == (uuids(e), 3)
    assert every_page(api, **window, limit="5") == (uuids(e), 1)
    filtered = every_page(api, **window, limit="1", filter=f'uuid eq "{e[2]["uuid"]}"')
    assert filtered == (uuids(e[2:3]), 1)  # no next link once nothing further matches
    empty = api("GET", "/logs", query_string={**window, "filter": 'eventType eq "none"'})
    assert empty.get_json() == [] and set(links(empty)) == {"self"}


def test_a_polling_request_always_has_a_next_link_that_streams_new_events(api: Api, backend: OktaBackend) -> None:
    first = api("GET", "/logs")
    assert first.get_json() == [] and "next" in links(first)
    e = stored(backend, event(), event())
    page = api("GET", links(first)["next"])
    assert uuids(page.get_json()) == uuids(e)
    page = api("GET", links(page)["next"])
    assert page.get_json() == [] and "next" in links(page)
    later = stored(backend, event())
    page = api("GET", links(page)["next"])
    assert uuids(page.get_json()) == uuids(later)
    cursor = parse_qs(urlsplit(links(page)["next"]).query)
    assert cursor["after"] == [later[0]["uuid"]] and cursor["limit"] == ["100"]


def test_a_polling_cursor_passes_events_its_filter_skips(api: Api, backend: OktaBackend) -> None:
    """The next link's cursor is the last event read, so a filtered stream does not read them again."""
    stored(backend, event(eventType="user.session.start"), event())
    page = api("GET", "/logs", query_string={"filter": 'eventType eq "user.lifecycle.create"', "limit": "1"})
    assert len(page.get_json()) == 1
    page = api("GET", links(page)["next"])
    assert page.get_json() == [] and "next" in links(page)
    wanted = stored(backend, event())
    assert uuids(api.ok("GET", links(page)["next"])) == uuids(wanted)


def test_a_polling_stream_goes_on_past_seven_days(api: Api, backend: OktaBackend) -> None:
    """Following ``after`` (without since) starts at the cursor, not 7 days before now."""
    e = stored(backend, event(timedelta(days=1)), event(timedelta(days=1)))
    page = api("GET", "/logs", query_string={"limit": "1"})
    backend.clock.advance(7 * 86400)
    assert uuids(api.ok("GET", links(page)["next"])) == uuids(e[1:])


def test_an_unknown_cursor_is_refused(api: Api) -> None:
    assert_error(api("GET", "/logs?after=nope"), 400, "E0000001", "Api validation failed: after")


# -- what the lab's events already did (moved from test_api_v1.py) --------------------------


def test_logs_filter_window_and_pages(api: Api, backend: OktaBackend) -> None:
    api.person("alice@example.com")
    api.person("bob@example.com")
    created = api.ok("GET", '/logs?filter=eventType eq "user.lifecycle.create"')
    assert [e["displayMessage"] for e in created] == [
        "Create Okta user alice@example.com",
        "Create Okta user bob@example.com",
    ]
    assert {"uuid", "published", "eventType", "actor", "outcome", "target"} <= set(created[0])
    first = api("GET", '/logs?filter=eventType eq "user.lifecycle.create"&limit=1')
    assert len(first.get_json()) == 1
    assert api.ok("GET", links(first)["next"]) == created[1:]
    assert api.ok("GET", "/logs?since=2026-04-01T09:00:01Z") == []
    assert api.ok("GET", "/logs?until=2026-04-01T08:59:59.999Z") == []
    backend.clock.advance(8 * 86400)
    api.group("Later")
    assert [e["eventType"] for e in api.ok("GET", "/logs")] == ["group.lifecycle.create"]
    assert len(api.ok("GET", "/logs?since=2026-03-01T00:00:00Z")) == 3
