"""cybozu_sim on a real socket: console token flow, IP restriction, SCIM compliance."""

from __future__ import annotations

import re
from collections import Counter

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from cybozu_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from simcore.control import LAB_KEY_HEADER
from tests.conftest import PATCH_OP, Lab, okta_user

pytestmark = pytest.mark.integration


def client(base_url: str, source: str = "127.0.0.1", **kwargs) -> httpx2.Client:
    """An HTTP client whose TCP connections really come from ``source``."""
    transport = httpx2.HTTPTransport(local_address=source)
    return httpx2.Client(base_url=base_url, transport=transport, timeout=10, **kwargs)


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def console_login(
    browser: httpx2.Client, subdomain: str, login: str = ADMIN_LOGIN, password: str = DEFAULT_ADMIN_PASSWORD
) -> None:
    page = browser.get(f"/{subdomain}/login")
    answer = browser.post(
        f"/{subdomain}/login", data={"csrf_token": csrf(page.text), "login": login, "password": password}
    )
    assert answer.status_code == 302, answer.text


def create_token_in_console(
    browser: httpx2.Client, subdomain: str, notes: str, validity: str
) -> tuple[str, str, str]:
    form = browser.get(f"/{subdomain}/admin/provisioning/tokens/new")
    assert "Expiration date" in form.text and "Enter notes for this API token." in form.text
    dialog = browser.post(
        f"/{subdomain}/admin/provisioning/tokens/new",
        data={"csrf_token": csrf(form.text), "validity": validity, "notes": notes},
    )
    assert dialog.status_code == 200 and dialog.headers["Cache-Control"] == "no-store"
    assert "There is no way to recheck the value of the API token after closing the dialog." in dialog.text
    token = re.search(r'id="api-token" readonly value="([^"]+)"', dialog.text).group(1)
    endpoint = re.search(r'id="scim-endpoint" readonly value="([^"]+)"', dialog.text).group(1)
    return token, endpoint, dialog.text


def test_console_token_is_shown_once_works_expires_and_can_be_revoked(app, live, lab: Lab, clock) -> None:
    lab.tenant("acme")
    with client(live.url) as browser:
        console_login(browser, "acme")
        token, endpoint, _ = create_token_in_console(browser, "acme", "Okta provisioning", "1 month")
        assert endpoint == f"{live.url}/acme/scim/v2"
        with client(endpoint, headers={"Authorization": f"Bearer {token}"}) as scim:
            assert scim.get("/Users", params={"startIndex": 1, "count": 2}).status_code == 200

            listing = browser.get("/acme/admin/provisioning").text
            assert token not in listing and f"••••{token[-4:]}" in listing
            assert "Okta provisioning" in listing and "2026-05-01" in listing  # 1 month from 2026-04-01
            assert token not in str(lab.call("GET", "/snapshot"))  # stored hashed

            clock.advance(30 * 86400)  # 2026-05-01: the expiration date itself, still valid
            assert scim.get("/Users").status_code == 200
            clock.advance(86400)  # 2026-05-02: expired
            answer = scim.get("/Users")
            assert answer.status_code == 401 and "expired on 2026-05-01" in answer.json()["detail"]
            assert "Expired" in browser.get("/acme/admin/provisioning").text

            token2, _, _ = create_token_in_console(browser, "acme", "reissued", "1 year")
            scim.headers["Authorization"] = f"Bearer {token2}"
            assert scim.get("/Users").status_code == 200
            page = browser.get("/acme/admin/provisioning").text
            token_id = re.findall(r'/admin/provisioning/tokens/([0-9a-f]+)"', page)[-1]
            revoked = browser.post(
                f"/acme/admin/provisioning/tokens/{token_id}",
                data={"csrf_token": csrf(page), "action": "disable"},
            )
            assert revoked.status_code == 302
            assert scim.get("/Users").json()["detail"] == "The API token is disabled."


def test_ip_restriction_blocks_with_an_html_403_by_real_source_address(app, live, lab: Lab) -> None:
    lab.tenant("acme")
    token = lab.token("acme")
    lab.call(
        "PUT",
        "/tenants/acme/ip-restriction",
        {"mode": "allow_specific", "entries": ["127.0.0.1", "127.0.0.8/30"]},
        expect=200,
    )
    auth = {"Authorization": f"Bearer {token}"}
    scim_path = "/acme/scim/v2/Users"
    with (
        client(live.url, "127.0.0.1") as allowed,
        client(live.url, "127.0.0.11") as in_range,
        client(live.url, "127.0.0.2") as okta,
    ):
        assert allowed.get(scim_path, headers=auth).status_code == 200
        assert in_range.get(scim_path, headers=auth).status_code == 200
        blocked = okta.get(
            scim_path,
            params={"startIndex": 1, "count": 2},
            headers={**auth, "Accept": "application/scim+json"},
        )
        assert blocked.status_code == 403
        assert blocked.headers["Content-Type"].startswith("text/html")
        assert blocked.text.lstrip().startswith(
            "<"
        )  # what makes Okta say "Invalid JSON: Unexpected character"
        # refused before authentication, and no header can talk its way in
        assert okta.get(scim_path).status_code == 403
        spoofed = {
            **auth,
            "X-Forwarded-For": "127.0.0.1",
            "X-Real-IP": "127.0.0.1",
            "Forwarded": "for=127.0.0.1",
        }
        assert okta.get(scim_path, headers=spoofed).status_code == 403
        assert okta.get("/acme/login").status_code == 403  # the console too
        assert okta.get("/").status_code == 200  # the lab's landing page is not the tenant's
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_all"}, expect=200)
    with client(live.url, "127.0.0.2") as okta:
        assert okta.get(scim_path, headers=auth).status_code == 200


def test_an_administrator_who_locks_the_domain_out_undoes_it_in_the_store(app, live, lab: Lab) -> None:
    """The real product lets "Deny all" lock everyone out; the cybozu.com Store is where it is undone
    (jp.cybozu.help, access_denied.html), so the Store is not behind the restriction."""
    lab.tenant("acme")
    with client(live.url) as browser:
        console_login(browser, "acme")
        page = browser.get("/acme/admin/access-control")
        security = browser.post("/acme/admin/access-control/configure", data={"csrf_token": csrf(page.text)},
                                follow_redirects=True)
        assert "Security &amp; Authentication" in security.text
        form = browser.get("/store/domains/acme/security/ip-restrictions")
        browser.post("/store/domains/acme/security/ip-restrictions",
                     data={"csrf_token": csrf(form.text), "mode": "deny_all", "action": "save"})
        assert browser.get("/acme/admin/").status_code == 403
        form = browser.get("/store/domains/acme/security/ip-restrictions")
        assert form.status_code == 200
        browser.post("/store/domains/acme/security/ip-restrictions",
                     data={"csrf_token": csrf(form.text), "mode": "allow_all", "action": "save"})
        assert browser.get("/acme/admin/").status_code == 200


def test_basic_authentication_over_a_socket(app, live, lab: Lab) -> None:
    lab.tenant("acme")
    token = lab.token("acme")
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": ["127.0.0.1"]}, expect=200)
    lab.call("PUT", "/tenants/acme/basic-auth", {"enabled": True, "user": "staff", "password": "pw"}, expect=200)
    with client(live.url, "127.0.0.2") as outside:
        challenged = outside.get("/acme/scim/v2/Users", headers={"Authorization": f"Bearer {token}"})
        assert challenged.status_code == 401 and challenged.headers["WWW-Authenticate"].startswith("Basic ")
        assert challenged.text.lstrip().startswith("<")
        assert outside.get("/acme/login", auth=("staff", "pw")).status_code == 200


def test_okta_like_flow_over_http(app, live, lab: Lab) -> None:
    lab.tenant("acme", propagate=False)
    existing = lab.call(
        "POST", "/tenants/acme/users", {"login": "bob@example.com", "display": "Bob"}, expect=201
    )
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    token = lab.token("acme")
    headers = {
        "Authorization": f"Bearer {token}",
        "User-Agent": "Okta SCIM Client 1.0.0",
        "Accept": "application/scim+json",
        "Content-Type": "application/scim+json; charset=utf-8",
    }
    with client(f"{live.url}/acme/scim/v2", "127.0.0.3", headers=headers) as okta:
        # matching a user that already exists in cybozu.com
        found = okta.get(
            "/Users", params={"filter": 'userName eq "bob@example.com"', "startIndex": 1, "count": 100}
        ).json()
        assert found["totalResults"] == 1 and found["Resources"][0]["id"] == existing["id"]
        assert (
            okta.put(
                f"/Users/{existing['id']}", json=okta_user("bob@example.com", displayName="Bob Okta")
            ).status_code
            == 200
        )
        # creating a new one; a second create of the same login name is a conflict
        created = okta.post("/Users", json=okta_user("alice@example.com"))
        assert created.status_code == 201
        assert okta.post("/Users", json=okta_user("alice@example.com")).status_code == 409
        user_id = created.json()["id"]
        # the login name is locked
        renamed = okta.put(f"/Users/{user_id}", json=okta_user("alice2@example.com"))
        assert renamed.status_code == 400 and renamed.json()["scimType"] == "mutability"
        # deactivation as Okta sends it
        patch = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]}
        assert okta.patch(f"/Users/{user_id}", json=patch).status_code in (200, 204)
        # Propagate Provisioning off: refused with a SCIM error Okta can show
        lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": False}, expect=200)
        off = okta.get(f"/Users/{user_id}")
        assert off.status_code == 403 and off.headers["Content-Type"].startswith("application/scim+json")
    statuses = {u["login"]: (u["status"], u["display"], u["linked"]) for u in lab.users("acme")}
    assert statuses["alice@example.com"] == ("Inactive", "Alice Liddell", True)
    assert statuses["bob@example.com"] == ("Active", "Bob Okta", True)


def test_scim2_tester_finds_no_failure(app, live, lab: Lab) -> None:
    """Every check of scim2-tester passes against the live endpoint (none skipped, none excluded)."""
    lab.tenant("acme")
    token = lab.token("acme")
    engine = client(f"{live.url}/acme/scim/v2", headers={"Authorization": f"Bearer {token}"})
    results = check_server(SyncSCIMClient(engine), raise_exceptions=False)
    engine.close()
    counts = Counter(r.status for r in results)
    failures = [
        f"{r.status.name}: {r.title}: {r.reason}"
        for r in results
        if r.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    assert failures == []
    assert counts[Status.SKIPPED] == 0
    assert counts[Status.SUCCESS] >= 60


def test_lab_control_is_guarded(app, live) -> None:
    with client(live.url) as local, client(live.url, "127.0.0.1") as keyed:
        assert local.post("/_lab/reset").status_code == 403
        assert local.post("/_lab/reset", headers={LAB_KEY_HEADER: "wrong"}).status_code == 403
        assert keyed.get("/_lab/clock", headers={LAB_KEY_HEADER: app.config["LAB_KEY"]}).status_code == 200


def test_fault_injection_gives_a_scim_429_with_retry_after(app, live, lab: Lab) -> None:
    lab.tenant("acme")
    token = lab.token("acme")
    lab.call(
        "POST",
        "/faults",
        {"path": "/scim/v2/Users", "method": "GET", "status": 429, "retry_after": 3, "times": 1},
        expect=201,
    )
    with client(f"{live.url}/acme/scim/v2", headers={"Authorization": f"Bearer {token}"}) as scim:
        first = scim.get("/Users")
        assert first.status_code == 429 and first.headers["Retry-After"] == "3"
        assert first.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
        assert scim.get("/Users").status_code == 200  # fired once


def test_concurrent_creates_of_the_same_login_names(app, live, lab: Lab) -> None:
    """4 clients race to create the same 40 login names: one user each, the rest 409, no 5xx."""
    from concurrent.futures import ThreadPoolExecutor

    lab.tenant("acme")
    token = lab.token("acme")

    def worker(_: int) -> list[int]:
        with client(f"{live.url}/acme/scim/v2", headers={"Authorization": f"Bearer {token}"}) as scim:
            return [scim.post("/Users", json=okta_user(f"racer{n}")).status_code for n in range(40)]

    with ThreadPoolExecutor(4) as pool:
        statuses = [s for batch in pool.map(worker, range(4)) for s in batch]
    assert statuses.count(201) == 40 and statuses.count(409) == 120
    logins = [u["login"] for u in lab.users("acme") if u["login"].startswith("racer")]
    assert sorted(logins) == sorted(f"racer{n}" for n in range(40))
