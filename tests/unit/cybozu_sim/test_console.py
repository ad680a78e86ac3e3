"""The cybozu.com console in process: sign-in, permissions, CSRF, and each administration page."""

from __future__ import annotations

from cybozu_sim.seed import ADMIN_LOGIN
from tests.conftest import Lab
from tests.unit.cybozu_sim.conftest import Console, text


def test_pages_require_sign_in(app, lab: Lab) -> None:
    lab.tenant("acme")
    response = app.test_client().get("/acme/admin/provisioning")
    assert response.status_code == 302 and "/acme/login" in response.headers["Location"]


def test_wrong_password_and_unknown_tenant(app, lab: Lab) -> None:
    lab.tenant("acme")
    b = Console(app)
    assert "The login name or password is incorrect." in text(b.login(password="nope"))
    assert app.test_client().get("/nowhere/login").status_code == 404


def test_forms_without_the_csrf_token_are_refused(console: Console) -> None:
    response = console.client.post("/acme/admin/provisioning", data={"propagate": "enabled"})
    assert response.status_code == 400 and "The form has expired" in text(response)


def test_a_non_administrator_cannot_reach_administration(app, console: Console, lab: Lab) -> None:
    lab.call(
        "POST", "/tenants/acme/users", {"login": "sato", "display": "Sato", "password": "pw-sato"}, expect=201
    )
    other = Console(app)
    assert other.login("sato", "pw-sato").status_code == 302
    portal = text(other.get("/"))
    assert "cybozu.com Administration" not in portal
    denied = other.get("/admin/provisioning")
    assert denied.status_code == 403 and "No privilege to proceed." in text(denied)
    assert "cybozu.com Administration" in text(console.get("/"))


def test_inactive_users_cannot_sign_in(app, lab: Lab) -> None:
    lab.tenant("acme")
    lab.call(
        "POST",
        "/tenants/acme/users",
        {"login": "gone", "display": "Gone", "password": "pw", "active": False},
        expect=201,
    )
    assert "inactive" in text(Console(app).login("gone", "pw"))


def test_provisioning_page_labels_and_propagate_toggle(console: Console, lab: Lab) -> None:
    page = text(console.get("/admin/provisioning"))
    for label in ("Provisioning", "Create API Token", "Propagate Provisioning", "Enabled", "Disabled"):
        assert label in page
    done = console.post("/admin/provisioning", {"propagate": "enabled"}, follow_redirects=True)
    assert '"Propagate Provisioning" is now Enabled.' in text(done)
    assert lab.call("GET", "/tenants/acme")["propagate_provisioning"] is True


def test_token_form_validates_its_fields(console: Console) -> None:
    path = "/admin/provisioning/tokens/new"
    assert "Select the validity period: 1 month, 3 months, 6 months, 1 year, 2 years." in text(
        console.post(path, {"validity": "forever"})
    )
    assert "at most 200 characters" in text(console.post(path, {"validity": "1 year", "notes": "x" * 201}))
    created = text(console.post(path, {"validity": "1 year", "notes": "ok"}))
    assert (
        "API Token" in created and "SCIM Endpoint" in created and "http://localhost/acme/scim/v2" in created
    )


def test_adding_and_deleting_users(console: Console, lab: Lab) -> None:
    added = console.post(
        "/admin/users",
        {
            "login": "yamada",
            "display": "Yamada Taro",
            "surname": "Yamada",
            "given": "Taro",
            "email": "y@example.com",
            "services": "kintone",
        },
        follow_redirects=True,
    )
    assert 'The user "yamada" was added.' in text(added)
    assert "Yamada Taro" in text(added)
    assert "is already in use" in text(console.post("/admin/users", {"login": "yamada", "display": "Again"}))
    assert "cannot contain /" in text(console.post("/admin/users", {"login": "a/b", "display": "Slash"}))
    user = next(u for u in lab.users("acme") if u["login"] == "yamada")
    confirm = text(console.get(f"/admin/users/{user['id']}/delete"))
    assert 'Delete user "yamada"?' in confirm
    deleted = console.post(f"/admin/users/{user['id']}/delete", {}, follow_redirects=True)
    assert 'The user "yamada" was deleted.' in text(deleted)
    admin = next(u for u in lab.users("acme") if u["login"] == ADMIN_LOGIN)
    refused = console.post(f"/admin/users/{admin['id']}/delete", {}, follow_redirects=True)
    assert "You cannot delete the user you are logged in as." in text(refused)


def test_users_added_while_propagating_are_flagged(console: Console) -> None:
    console.post("/admin/provisioning", {"propagate": "enabled"})
    page = text(console.post("/admin/users", {"login": "late", "display": "Late"}, follow_redirects=True))
    assert "not linkable by the IdP" in page


def test_unlicensed_services_cannot_be_given_in_the_console(console: Console) -> None:
    page = text(console.post("/admin/users", {"login": "o", "display": "O", "services": "office"}))
    assert 'The service "Cybozu Office" (office) is not licensed' in page


def test_licenses_page_warns_when_a_license_is_exceeded(console: Console) -> None:
    for n in range(2):  # the Administrator already uses kintone: 3 users for 2 licences
        console.post("/admin/users", {"login": f"k{n}", "display": f"K{n}", "services": "kintone"})
    page = text(console.get("/admin/licenses"))
    assert "kintone: 3 active users use the service but only 2 are licensed." in page
    console.post(
        "/admin/users", {"login": "off", "display": "Off", "services": "garoon", "status": "inactive"}
    )
    assert ">1<" in text(console.get("/admin/licenses"))  # inactive users use no licence: garoon 1 (admin)


def test_create_api_token_is_a_dialog_over_the_provisioning_page(console: Console) -> None:
    page = text(console.get("/admin/provisioning/tokens/new"))
    assert '<dialog open aria-modal="true"' in page and "Propagate Provisioning" in page  # the page behind
    # The unit tests' clock starts on 2026-04-01: each period's date is shown beside it.
    for option in ("1 month (2026-05-01)", "3 months (2026-07-01)", "1 year (2027-04-01)", "2 years (2028-04-01)"):
        assert option in page
    created = text(console.post("/admin/provisioning/tokens/new", {"validity": "3 months", "notes": "Okta"}))
    assert '<dialog open aria-modal="true"' in created and "2026-07-01" in created


def test_expiration_follows_the_calendar() -> None:
    from datetime import UTC, datetime

    from cybozu_sim.tokens import expiration_for

    assert expiration_for("1 month", datetime(2026, 1, 31, tzinfo=UTC)).isoformat() == "2026-02-28"
    assert expiration_for("1 year", datetime(2028, 2, 29, tzinfo=UTC)).isoformat() == "2029-02-28"
    assert expiration_for("6 months", datetime(2026, 8, 31, tzinfo=UTC)).isoformat() == "2027-02-28"


def test_at_most_twenty_api_tokens(console: Console, lab: Lab) -> None:
    for n in range(20):
        lab.call("POST", "/tenants/acme/tokens", {"notes": f"t{n}"}, expect=201)
    refused = text(console.post("/admin/provisioning/tokens/new", {"validity": "1 year", "notes": "21st"}))
    assert "You can create up to 20 API tokens: delete one you no longer use first." in refused
    assert len(lab.call("GET", "/tenants/acme")["tokens"]) == 20
