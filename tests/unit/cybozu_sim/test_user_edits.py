"""An administrator's [Edit] of a user (users.edit_user), through the console and the lab API."""

from __future__ import annotations

from typing import Any

from cybozu_sim.seed import ADMIN_LOGIN
from tests.conftest import Lab, Scim
from tests.unit.cybozu_sim.conftest import Console, text


def user(lab: Lab, subdomain: str, login: str) -> dict[str, Any]:
    return next(u for u in lab.users(subdomain) if u["login"] == login)


def test_the_console_edits_names_email_and_status(console: Console, lab: Lab) -> None:
    console.post("/admin/users", {"login": "bob", "display": "Bob", "services": "kintone"})
    bob = user(lab, "acme", "bob")
    page = text(console.get(f"/admin/users/{bob['id']}/edit"))
    assert 'value="bob"' in page and "Status" in page
    fields = {"login": "robert", "display": "Robert J.", "surname": "Jones", "given": "Robert", "email": "r@example.com", "status": "inactive"}  # fmt: skip
    saved = console.post(f"/admin/users/{bob['id']}/edit", fields, follow_redirects=True)
    assert 'The user "robert" was saved.' in text(saved)
    edited = user(lab, "acme", "robert")
    assert (edited["display"], edited["surname"], edited["given"], edited["email"], edited["status"]) == (
        "Robert J.", "Jones", "Robert", "r@example.com", "Inactive",
    )  # fmt: skip
    assert edited["services"] == {"kintone": True}  # kept


def test_login_names_stay_while_propagate_provisioning_is_on_and_admins_keep_themselves(
    console: Console, lab: Lab
) -> None:
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    carol = lab.call("POST", "/tenants/acme/users", {"login": "carol", "display": "Carol"}, expect=201)
    refused = console.post(f"/admin/users/{carol['id']}/edit", {"login": "caroline", "display": "Carol"}, follow_redirects=True)  # fmt: skip
    assert 'Login names cannot be changed while Propagate Provisioning is enabled (login name "carol").' in text(refused)
    assert user(lab, "acme", "carol")["login"] == "carol"
    admin = user(lab, "acme", ADMIN_LOGIN)
    page = console.post(f"/admin/users/{admin['id']}/edit", {"login": ADMIN_LOGIN, "display": "Admin", "status": "inactive"}, follow_redirects=True)  # fmt: skip
    assert "You cannot deactivate or rename the user you are logged in as." in text(page)
    assert user(lab, "acme", ADMIN_LOGIN)["status"] == "Active"


def test_the_lab_api_edits_only_the_fields_given(lab: Lab) -> None:
    lab.tenant("acme", licenses={"kintone": 2}, propagate=False)
    dan = lab.call("POST", "/tenants/acme/users", {"login": "dan", "display": "Dan", "email": "d@example.com"}, expect=201)
    edited = lab.call("PUT", f"/tenants/acme/users/{dan['id']}", {"display": "Daniel", "active": False}, expect=200)
    assert (edited["display"], edited["email"], edited["status"]) == ("Daniel", "d@example.com", "Inactive")
    assert lab.call("PUT", f"/tenants/acme/users/{dan['id']}", {"nickname": "D"}, expect=400)["error"] == "unknown field(s): nickname"
    assert lab.call("PUT", f"/tenants/acme/users/{dan['id']}", {"active": "no"}, expect=400)["error"] == "active is true or false"
    assert lab.call("PUT", f"/tenants/acme/users/{dan['id']}", {"login": "x" * 129}, expect=400)
    lab.call("POST", "/tenants/acme/users", {"login": "erin", "display": "Erin"}, expect=201)
    taken = lab.call("PUT", f"/tenants/acme/users/{dan['id']}", {"login": "erin"}, expect=409)
    assert taken["error"] == 'The login name "erin" is already in use.'
    assert lab.call("PUT", "/tenants/acme/users/nobody", {"display": "X"}, expect=404)


def test_scim_sees_the_edit_and_okta_s_put_replaces_it(lab: Lab, scim: Scim) -> None:
    created = scim.create("frank").get_json()
    lab.call("PUT", f"/tenants/acme/users/{created['id']}", {"display": "Frankie", "active": False}, expect=200)
    seen = scim("GET", f"/Users/{created['id']}").get_json()
    assert (seen["displayName"], seen["active"]) == ("Frankie", False)
    body = {**created, "displayName": "Frank", "active": True}
    body.pop("meta", None)
    assert scim("PUT", f"/Users/{created['id']}", body).status_code == 200
    assert user(lab, "acme", "frank")["status"] == "Active"
