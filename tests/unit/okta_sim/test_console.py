"""The Okta admin console in process: sign-in, CSRF, and every page with the article's labels.

No cybozu.com runs here: the SCIM endpoint is a port nobody listens on, so the
few pushes that happen fail at once with Okta's "Connection failed" text.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

import okta_sim.app
from okta_sim import apps, syslog, usernames
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.console import menu
from okta_sim.directory import reads
from okta_sim.provisioning import integration, outcomes, queue, records
from okta_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD


def text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def split_dialog(page: str) -> tuple[str, str]:
    """A page with a dialog over it: (the dialog, the page behind it). Fails without a dialog."""
    found = re.search(r"<dialog open[^>]*>.*?</dialog>", page, re.DOTALL)
    assert found, "the page has no open dialog"
    return found.group(0), page[: found.start()] + page[found.end() :]


def dialog_of(response: TestResponse) -> str:
    return split_dialog(text(response))[0]


class Console:
    """A browser on the console: follows the CSRF token of its session."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def post(
        self, path: str, data: dict[str, Any], form_page: str = "/admin/", **kwargs: Any
    ) -> TestResponse:
        token = csrf(self.get(form_page).get_data(as_text=True))
        return self.client.post(path, data={"csrf_token": token, **data}, **kwargs)

    def sign_in(self, password: str = DEFAULT_ADMIN_PASSWORD, next_path: str = "") -> TestResponse:
        query = f"?next={next_path}" if next_path else ""
        return self.post(
            f"/login{query}", {"username": ADMIN_LOGIN, "password": password}, form_page="/login"
        )


@pytest.fixture
def okta(closed_port: int) -> Flask:
    return okta_sim.app.create_app(
        {
            "TESTING": True,
            "SEED_DEMO": True,
            "SCIM_URL_TEMPLATE": f"http://127.0.0.1:{closed_port}/{{domain}}/scim/v2",
            "SCIM_TIMEOUT": 2.0,
            "EGRESS_BIND": False,
            # The pages' own behaviour, pushed inline and tried once (nothing listens there);
            # the queue's pages have their own test.
            "PUSH_MODE": "inline",
            "SCIM_RETRIES": 0,
        }
    )


@pytest.fixture
def backend(okta: Flask) -> OktaBackend:
    return okta_backend(okta)  # type: ignore[no-any-return]


@pytest.fixture
def console(okta: Flask) -> Console:
    browser = Console(okta)
    assert browser.sign_in().status_code == 302
    return browser


@pytest.fixture
def app_id(console: Console) -> str:
    """[Browse App Catalog] > [Cybozu (cybozu.com)] > [Add] > "Domain Name" = example > [Done]."""
    done = console.post(
        "/admin/apps/catalog/cybozu/add", {"label": "Cybozu (cybozu.com)", "domain_name": "example"}
    )
    assert done.status_code == 302
    return done.headers["Location"].split("/")[3]


def person_id(backend: OktaBackend, login: str) -> str:
    return reads.get_user(backend, login)["id"]


def group_id(backend: OktaBackend, name: str) -> str:
    return next(g["id"] for g in reads.list_groups(backend) if g["profile"]["name"] == name)


def enable_provisioning_without_a_server(backend: OktaBackend, app_id: str) -> None:
    """What [Save] of a verified integration stores (its credential test needs a live cybozu.com)."""
    app = apps.get_app(backend, app_id)
    app["provisioning"].update(enabled=True, token="t" * 40)
    backend.apps.put(app)
    integration.set_provisioning_to_app(backend, app_id, create=True, update=True, deactivate=True)


# -- sign-in and CSRF ---------------------------------------------------------


def test_every_page_requires_sign_in(okta: Flask) -> None:
    client = okta.test_client()
    for path in ("/admin/", "/admin/people", "/admin/apps/catalog", "/admin/tasks"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    for path in ("/", "/login"):  # the org's address shows the sign-in form
        page = text(client.get(path))
        for label in ('<label for="field-username">Username</label>', "Password", ">Sign In</button>"):
            assert label in page


def test_sign_in_returns_to_the_page_asked_for_and_sign_out_ends_the_session(okta: Flask) -> None:
    browser = Console(okta)
    signed_in = browser.sign_in(next_path="/admin/apps")
    assert signed_in.headers["Location"] == "/admin/apps"
    # Not "session": cybozu_sim's console on the same host would overwrite it.
    assert signed_in.headers["Set-Cookie"].startswith("okta_session=")
    assert "Sign Out" in text(browser.get("/admin/apps"))
    browser.post("/logout", {})
    assert browser.get("/admin/apps").status_code == 302


def test_a_wrong_password_is_refused_and_logged(okta: Flask, backend: OktaBackend) -> None:
    refused = Console(okta).sign_in(password="nope")
    assert refused.status_code == 200
    assert "the username or password is incorrect" in text(refused)
    last = syslog.events(backend)[-1]
    assert (last["eventType"], last["outcome"]["result"]) == ("user.session.start", "FAILURE")


def test_forms_without_the_csrf_token_are_refused(console: Console) -> None:
    response = console.client.post("/admin/groups", data={"name": "Sneaky"})
    assert response.status_code == 400
    assert "The form has expired. Reload the page and try again." in text(response)
    forged = console.client.post("/admin/groups", data={"name": "Sneaky", "csrf_token": "ümlaut"})
    assert forged.status_code == 400


def test_unknown_ids_get_a_404_page(console: Console, app_id: str) -> None:
    for path in (
        "/admin/people/00unope",
        "/admin/groups/00gnope",
        "/admin/apps/0oanope/general",
        "/admin/apps/catalog/nope",
        f"/admin/apps/{app_id}/profile-editor/nope/delete",
        f"/admin/apps/{app_id}/assign/people/00unope",
        "/admin/security/api/tokens/00Tnope/revoke",
    ):
        response = console.get(path)
        assert response.status_code == 404, path
        assert "Not found" in text(response)


# -- layout, dashboard, directory -----------------------------------------------


def test_the_side_menu_and_the_pages_it_leads_to(console: Console) -> None:
    page = text(console.get("/admin/"))
    assert 'aria-label="Admin menu"' in page and "<h1>Dashboard</h1>" in page
    for link in ("Dashboard", "People", "Groups", "Applications", "API", "System Log", "Tasks"):
        assert f">{link}" in page
    assert "Directory" in page and "Security" in page and "Reports" in page
    expected = {
        "/admin/people": ("Add Person", "First name", "Last name", "Username", "Primary email"),
        "/admin/groups": ("Add Group", "Name", "Description", "cybozu users"),
        "/admin/apps": ("Browse App Catalog",),
        "/admin/security/api": ("Tokens", "Create Token", "Token name"),
        "/admin/reports/system-log": ("System Log", "Event type", "Create Okta user alice.smith@example.com"),
    }
    for path, labels in expected.items():
        page = text(console.get(path))
        for label in labels:
            assert label in page, (path, label)


def test_people_add_edit_and_lifecycle(console: Console, backend: OktaBackend) -> None:
    new = {"firstName": "Erin", "lastName": "Green", "login": "erin@example.com", "email": "erin@example.com"}
    added = console.post("/admin/people", new, follow_redirects=True)
    assert "Erin Green was added." in text(added) and "erin@example.com" in text(added)
    again = text(console.post("/admin/people", {**new, "firstName": "Other"}))
    assert "login: An object with this field already exists in the current organization" in again
    assert 'value="Other"' in again  # the form keeps what was typed
    erin = person_id(backend, "erin@example.com")
    page = f"/admin/people/{erin}"
    profile = text(console.get(f"{page}/profile"))
    assert "<dt>First name</dt><dd>Erin</dd>" in profile and ">Edit</button>" in profile
    assert 'name="firstName"' not in profile  # read-only until [Edit]
    assert 'name="firstName"' in text(console.get(f"{page}/profile", query_string={"mode": "edit"}))
    saved = console.post(f"{page}/profile", {**new, "displayName": "Erin G."}, follow_redirects=True)
    assert "The profile was saved." in text(saved) and "<h1>Erin G.</h1>" in text(saved)
    refused = text(console.post(f"{page}/profile", {**new, "lastName": ""}))
    assert "The field cannot be left blank" in refused and 'name="firstName"' in refused
    actions = r">(Activate|Deactivate|Suspend|Unsuspend|Delete)</(?:button|a)>"
    assert re.findall(actions, text(console.get(page))) == ["Deactivate", "Suspend"]  # under More Actions
    assert ">More Actions</summary>" in text(console.get(page))
    asked, behind = split_dialog(text(console.get(f"{page}/deactivate")))
    assert "Deactivate Person" in asked and ">Deactivate</button>" in asked and ">Cancel</a>" in asked
    assert "<h1>Erin G.</h1>" in behind  # over the person's page
    assert reads.get_user(backend, erin)["status"] == "ACTIVE"  # asking changes nothing
    console.post(f"{page}/deactivate", {})
    assert re.findall(actions, text(console.get(page))) == ["Activate", "Delete"]
    assert "Delete Erin G.?" in dialog_of(console.get(f"{page}/delete"))
    gone = console.post(f"{page}/delete", {}, follow_redirects=True)
    assert "Erin G. was deleted." in text(gone)
    assert console.get(page).status_code == 404


def test_groups_add_and_members(console: Console, backend: OktaBackend) -> None:
    added = console.post(
        "/admin/groups", {"name": "Sales", "description": "Sales team"}, follow_redirects=True
    )
    assert "The group Sales was added." in text(added)
    assert "already exists" in text(console.post("/admin/groups", {"name": "sales"}))
    sales, alice = group_id(backend, "Sales"), person_id(backend, "alice.smith@example.com")
    page = f"/admin/groups/{sales}"
    console.post(f"{page}/members", {"person": alice})
    assert 'aria-label="Remove Alice Smith"' in text(console.get(page))
    removed = console.post(f"{page}/members/{alice}/remove", {}, follow_redirects=True)
    assert "Alice Smith was removed from Sales." in text(removed)
    assert reads.get_group(backend, sales)["members"] == []


# -- applications -----------------------------------------------------------------


def test_catalog_search_finds_the_cybozu_apps_and_only_cybozu_com_can_be_added(console: Console) -> None:
    page = text(console.get("/admin/apps/catalog", query_string={"q": "cybozu"}))
    assert '<label for="catalog-search">Search</label>' in page
    results = re.findall(r'<a href="/admin/apps/catalog/[^"]+">([^<]+)</a>', page)
    # The catalog's decoy "Cybozu Office 10" (on-premises, SAML only) matches "cybozu" too.
    assert results == ["Cybozu (cybozu.com)", "Cybozu Office 10"]
    assert "Slack" not in page
    assert ">Add</button>" in text(console.get("/admin/apps/catalog/cybozu"))
    decoy = text(console.get("/admin/apps/catalog/cybozu-office"))
    assert "disabled" in decoy and "This lab only models the Cybozu (cybozu.com) app." in decoy
    assert console.get("/admin/apps/catalog/cybozu-office/add").status_code == 404


def test_add_app_refuses_a_bad_domain_name_then_adds_it(console: Console) -> None:
    form = text(console.get("/admin/apps/catalog/cybozu/add"))
    assert "General Settings" in form and 'value="Cybozu (cybozu.com)"' in form
    assert (
        "Enter the subdomain of your cybozu.com environment, e.g. example for https://example.cybozu.com/"
        in form
    )
    bad = text(
        console.post(
            "/admin/apps/catalog/cybozu/add", {"label": "Cybozu (cybozu.com)", "domain_name": "https://x"}
        )
    )
    assert 'role="alert"' in bad and "Api validation failed: domainName" in bad
    assert 'value="https://x"' in bad
    done = console.post(
        "/admin/apps/catalog/cybozu/add",
        {"label": "Cybozu (cybozu.com)", "domain_name": "example"},
        follow_redirects=True,
    )
    page = text(done)
    assert "<h1>Cybozu (cybozu.com)</h1>" in page
    assert re.findall(r'role="tab"[^>]*>([^<]+)</a>', page) == [
        "General",
        "Sign On",
        "Provisioning",
        "Assignments",
    ]
    assert "example" in text(console.get("/admin/apps"))


def test_general_settings_edit(console: Console, app_id: str) -> None:
    path = f"/admin/apps/{app_id}/general"
    assert ">Edit</button>" in text(console.get(path))
    assert "Application label" in text(console.get(path, query_string={"mode": "edit"}))
    saved = console.post(path, {"label": "cybozu prod", "domain_name": "example2"}, follow_redirects=True)
    assert "<h1>cybozu prod</h1>" in text(saved) and "example2" in text(saved)
    assert "The field cannot be left blank" in text(console.post(path, {"label": "", "domain_name": "x1"}))


def test_application_username_format(console: Console, app_id: str, backend: OktaBackend) -> None:
    path = f"/admin/apps/{app_id}/sign-on"
    assert "Okta username" in text(console.get(path)) and ">Edit</button>" in text(console.get(path))
    form = text(console.get(path, query_string={"mode": "edit"}))
    assert "Application username format" in form and "Custom expression" in form
    options = re.findall(r"<option value=\"[a-z_]+\"(?: selected)?>([^<]+)</option>", form)
    assert options[:-2] == [label for label, _ in usernames.FORMATS.values()]
    assert options == [
        *("Custom", "Email", "Email Prefix", "Okta username", "Okta username prefix", "(None)"),
        *("Create and update", "Create only"),  # "Update application username on"
    ]
    assert 'String.substringBefore(user.login, "@")' in form
    saved = console.post(path, {"format": "email_prefix", "custom": ""}, follow_redirects=True)
    assert "The Sign On settings were saved." in text(saved) and "Email Prefix" in text(saved)
    broken = 'String.substringBefore(user.login, "@"'
    refused = text(console.post(path, {"format": "custom", "custom": broken}))
    assert 'role="alert"' in refused and "column 39" in refused
    assert f'value="{broken}"' in refused  # kept as typed
    console.post(path, {"format": "custom", "custom": 'user.firstName + "." + user.lastName', "update_on": "create_only"})
    sign_on = apps.get_app(backend, app_id)["signOn"]
    assert sign_on["custom"] == 'user.firstName + "." + user.lastName' and sign_on["updateOn"] == "create_only"
    assert "<dt>Update application username on</dt><dd>Create only</dd>" in text(console.get(path))


def test_provisioning_to_app_needs_the_api_integration(console: Console, app_id: str) -> None:
    provisioning_tab = console.get(f"/admin/apps/{app_id}/provisioning")
    assert provisioning_tab.headers["Location"].endswith("/provisioning/integration")
    page = text(console.get(f"/admin/apps/{app_id}/provisioning/integration"))
    assert (
        ">Configure API Integration</button>" in page and ">To App</a>" in page and ">Integration</a>" in page
    )
    path = f"/admin/apps/{app_id}/provisioning/to-app"
    page = text(console.get(path))
    for label in (
        "Provisioning to App",
        "Cybozu (cybozu.com) Attribute Mappings",
        "Go to Profile Editor",
        "Force Sync",
    ):
        assert label in page
    assert "user.firstName" in page and "user.lastName" in page and "user.email" in page
    form = text(console.get(path, query_string={"mode": "edit"}))
    for label in ("Create Users", "Update User Attributes", "Deactivate Users"):
        assert f">{label}</label>" in form
    assert re.search(r'name="sync_password" disabled>', form)
    refused = text(console.post(path, {"create": "on"}))
    assert "Enable API integration before enabling Provisioning to App." in refused
    synced = console.post(f"/admin/apps/{app_id}/provisioning/force-sync", {}, follow_redirects=True)
    assert "Force Sync started for 0 users." in text(synced)


def test_configure_api_integration_shows_the_test_outcome_and_never_the_saved_token(
    console: Console, app_id: str
) -> None:
    path = f"/admin/apps/{app_id}/provisioning/integration"
    form = text(console.get(path, query_string={"mode": "edit"}))
    assert "Enable API integration" in form and 'type="password"' in form
    assert ">Test API Credentials</button>" in form and ">Save</button>" in form
    token = "s3cret-token-value"
    tested = console.post(path, {"enabled": "on", "token": token, "action": "test"})
    assert tested.headers["Cache-Control"] == "no-store"
    assert 'role="alert">Error authenticating: Connection failed' in text(tested)
    assert f'value="{token}"' in text(tested)  # kept for this one response
    refused = console.post(path, {"enabled": "on", "token": token})
    assert "Error authenticating: Connection failed" in text(refused)
    off = console.post(path, {"token": token}, follow_redirects=True)
    assert "API integration: Disabled" in text(off)
    assert token not in text(console.get(path)) and token not in text(
        console.get(path, query_string={"mode": "edit"})
    )


def test_profile_editor_deletes_an_attribute_after_confirmation(
    console: Console, app_id: str, backend: OktaBackend
) -> None:
    page = text(console.get(f"/admin/apps/{app_id}/profile-editor"))
    assert "<h1>Profile Editor</h1>" in page and ">Attributes</h2>" in page
    for label in ("kintone", "Garoon", "Cybozu Office", "MailWise", "Secure Access"):
        assert f'aria-label="Delete attribute {label}"' in page
    assert "Given name" in page and 'aria-label="Delete attribute Given name"' not in page
    dialog, behind = split_dialog(text(console.get(f"/admin/apps/{app_id}/profile-editor/office/delete")))
    assert "Cybozu Office" in dialog and ">Delete Attribute</button>" in dialog and ">Cancel</a>" in dialog
    assert "<h1>Profile Editor</h1>" in behind  # over the Profile Editor
    done = console.post(f"/admin/apps/{app_id}/profile-editor/office/delete", {}, follow_redirects=True)
    assert "The attribute Cybozu Office was deleted." in text(done)
    assert "office" not in apps.get_app(backend, app_id)["attributes"]


# -- assignments --------------------------------------------------------------------


def test_assign_a_person_before_provisioning_is_enabled(
    console: Console, app_id: str, backend: OktaBackend
) -> None:
    tab = f"/admin/apps/{app_id}/assignments"
    closed = text(console.get(tab))
    assert ">Assign</button>" in closed and ">Assign to People</a>" not in closed
    menu = text(console.get(tab, query_string={"menu": "assign"}))
    assert (
        'aria-expanded="true"' in menu and ">Assign to People</a>" in menu and ">Assign to Groups</a>" in menu
    )
    picker, behind = split_dialog(text(console.get(f"/admin/apps/{app_id}/assign/people")))
    assert "Assign Cybozu (cybozu.com) to People" in picker and ">Done</a>" in picker
    assert 'aria-label="Assign Alice Smith"' in picker and 'name="q"' in picker
    assert 'aria-selected="true" aria-controls="tabpanel">Assignments</a>' in behind  # over the tab
    searched = dialog_of(console.get(f"/admin/apps/{app_id}/assign/people", query_string={"q": "SMITH"}))
    assert 'aria-label="Assign Alice Smith"' in searched and "Carol White" not in searched
    assert "No matches for “nobody”." in dialog_of(
        console.get(f"/admin/apps/{app_id}/assign/people", query_string={"q": "nobody"})
    )
    alice = person_id(backend, "alice.smith@example.com")
    form_path = f"/admin/apps/{app_id}/assign/people/{alice}"
    form = dialog_of(console.get(form_path))
    assert "Assign Cybozu (cybozu.com) to Alice Smith" in form and ">Save and Go Back</button>" in form
    assert '<label for="field-user_name">User Name</label>' in form
    assert 'value="alice.smith@example.com"' in form and "The cybozu.com login name." in form
    for label in ("kintone", "Garoon", "Cybozu Office", "MailWise", "Secure Access"):
        assert f">{label}</label>" in form
    assert ">Enable</option>" in form and ">Disable</option>" in form
    saved = console.post(
        form_path,
        {"user_name": "alice.smith@example.com", "service-kintone": "Enable"},
        follow_redirects=True,
    )
    assert "Alice Smith is assigned to Cybozu (cybozu.com)." in text(saved)
    assert "Assigned" in text(saved) and 'aria-label="Assign Alice Smith"' not in text(saved)
    people = text(console.get(tab))
    assert "User was assigned this application before Provisioning was enabled" in people
    assert "Click Provision User." in people and ">Provision User</button>" in people
    assert "Individual" in people and "kintone: Enable" in people
    assert 'aria-label="Unassign Alice Smith"' in people and 'aria-label="Edit Alice Smith"' in people
    edit = dialog_of(console.get(form_path))
    assert "Edit Cybozu (cybozu.com) assignment of Alice Smith" in edit
    assert "readonly" not in edit and '<option value="Enable" selected>' in edit
    provisioned = console.post(f"{tab}/people/{alice}/provision", {}, follow_redirects=True)
    assert "Provision User: Alice Smith (Disabled)." in text(provisioned)
    refused = console.post(form_path, {"user_name": "alice", "service-office": "Maybe"})
    assert "Api validation failed: profile" in text(refused)


def test_assign_a_group_with_priority_and_services(
    console: Console, app_id: str, backend: OktaBackend
) -> None:
    group = group_id(backend, "cybozu users")
    picker = text(console.get(f"/admin/apps/{app_id}/assign/groups"))
    assert 'aria-label="Assign cybozu users"' in picker
    form_path = f"/admin/apps/{app_id}/assign/groups/{group}"
    assert "Priority" in text(console.get(form_path))
    assert "priority: must be an integer from 0 to 100" in text(console.post(form_path, {"priority": "high"}))
    saved = console.post(form_path, {"priority": "1", "service-garoon": "Enable"}, follow_redirects=True)
    assert "cybozu users is assigned to Cybozu (cybozu.com)." in text(saved)
    groups = text(console.get(f"/admin/apps/{app_id}/assignments", query_string={"show": "groups"}))
    assert "cybozu users" in groups and ">1</td>" in groups and "Garoon: Enable" in groups
    people = text(console.get(f"/admin/apps/{app_id}/assignments"))
    assert "Carol White" in people and "Dave Brown" in people and ">Group</td>" in people
    assert 'aria-label="Unassign Carol White"' not in people  # assigned through the group only
    assert 'aria-label="Edit Carol White"' in people


def test_unassign_asks_for_confirmation(console: Console, app_id: str, backend: OktaBackend) -> None:
    alice, group = person_id(backend, "alice.smith@example.com"), group_id(backend, "cybozu users")
    console.post(f"/admin/apps/{app_id}/assign/people/{alice}", {"user_name": "alice"})
    console.post(f"/admin/apps/{app_id}/assign/groups/{group}", {})
    tab = f"/admin/apps/{app_id}/assignments"
    dialog, behind = split_dialog(text(console.get(f"{tab}/people/{alice}/unassign")))
    assert ">OK</button>" in dialog and ">Cancel</a>" in dialog and "Unassign Application" in dialog
    assert 'aria-label="Unassign Alice Smith"' in behind  # over the Assignments tab
    assert "Are you sure you want to unassign Alice Smith from Cybozu (cybozu.com)?" in dialog
    done = console.post(f"{tab}/people/{alice}/unassign", {}, follow_redirects=True)
    assert "Alice Smith was unassigned from Cybozu (cybozu.com)." in text(done)
    assert "Alice Smith" not in text(console.get(tab))
    assert ">OK</button>" in dialog_of(console.get(f"{tab}/groups/{group}/unassign"))
    console.post(f"{tab}/groups/{group}/unassign", {})
    assert "No groups are assigned." in text(console.get(tab, query_string={"show": "groups"}))
    assert "No people are assigned." in text(console.get(tab))


# -- tasks, API tokens, System Log -------------------------------------------------


def test_tasks_empty_state(console: Console) -> None:
    page = text(console.get("/admin/tasks"))
    assert "<h1>Tasks</h1>" in page and "No open tasks" in page


def test_a_blank_user_name_task_is_fixed_and_retried(
    console: Console, app_id: str, backend: OktaBackend
) -> None:
    enable_provisioning_without_a_server(backend, app_id)
    console.post(f"/admin/apps/{app_id}/sign-on", {"format": "none"})
    console.post(f"/admin/apps/{app_id}/assign/groups/{group_id(backend, 'cybozu users')}", {})
    page = text(console.get("/admin/tasks"))
    assert page.count(usernames.BLANK) == 2 and ">Retry Selected</button>" in page
    assert ">Save Assignment and Retry</button>" in page and ">User Name</label>" in page
    assert '<span class="badge">2' in page
    task_ids = re.findall(r'name="task" value="([^"]+)"', page)
    retried = console.post("/admin/tasks/retry", {"task": task_ids}, follow_redirects=True)
    assert "2 task(s) sent for retry." in text(retried)
    assert "Select the tasks to retry." in text(console.post("/admin/tasks/retry", {}, follow_redirects=True))
    carol = person_id(backend, "carol.white@example.com")
    task = next(t for t in outcomes.list_tasks(backend) if t["user_id"] == carol)
    fixed = console.post(
        f"/admin/tasks/{task['id']}/user-name", {"user_name": "carol"}, follow_redirects=True
    )
    # The User Name is saved; the push itself fails here, for want of a cybozu.com.
    assert "Connection failed" in text(fixed)
    assert records.get_app_user(backend, app_id, carol)["userName"] == "carol"


def test_an_api_token_is_shown_once(console: Console) -> None:
    created = console.post("/admin/security/api", {"name": "CI"})
    assert created.headers["Cache-Control"] == "no-store"
    page = text(created)
    value = re.search(r'id="token-value" readonly value="([^"]+)"', page).group(1)
    dialog, behind = split_dialog(page)
    assert "Copy this token now. It will not be shown again." in dialog and value in dialog
    assert "<h1>API</h1>" in behind and value not in behind
    listing = text(console.get("/admin/security/api"))
    assert value not in listing and f"••••{value[-4:]}" in listing and "CI" in listing
    assert "Enter a token name" in text(console.post("/admin/security/api", {"name": ""}))
    token_id = re.search(r"/admin/security/api/tokens/([^/]+)/revoke", listing).group(1)
    assert ">Revoke</button>" in dialog_of(console.get(f"/admin/security/api/tokens/{token_id}/revoke"))
    revoked = console.post(f"/admin/security/api/tokens/{token_id}/revoke", {}, follow_redirects=True)
    assert "The token CI was revoked." in text(revoked) and "No tokens yet." in text(revoked)


def test_system_log_lists_events_newest_first(console: Console, app_id: str) -> None:
    page = text(console.get("/admin/reports/system-log"))
    assert "application.lifecycle.create" in page and "Create application Cybozu (cybozu.com)" in page
    assert page.index("application.lifecycle.create") < page.index("user.lifecycle.create")
    assert "user.session.start" in page


def test_assignments_show_queued_pushes_as_pending_and_refresh(closed_port: int) -> None:
    okta = okta_sim.app.create_app(
        {
            "TESTING": True,
            "SEED_DEMO": True,
            "SCIM_URL_TEMPLATE": f"http://127.0.0.1:{closed_port}/{{domain}}/scim/v2",
            "EGRESS_BIND": False,
            "SCIM_RETRIES": 0,
        }
    )
    backend = okta_backend(okta)
    console = Console(okta)
    console.sign_in()
    app = apps.add_app(backend, "cybozu", domain_name="example")
    enable_provisioning_without_a_server(backend, app["id"])
    workers, backend.jobs.workers = backend.jobs.workers, 0  # no worker takes the job yet
    alice = person_id(backend, "alice.smith@example.com")
    saved = console.post(
        f"/admin/apps/{app['id']}/assign/people/{alice}",
        {"user_name": "alice.smith@example.com", "service-kintone": "Enable"},
        follow_redirects=True,
    )
    assert "Alice Smith is assigned to Cybozu (cybozu.com)." in text(saved)  # not the push's outcome
    page = text(console.get(f"/admin/apps/{app['id']}/assignments"))
    assert "Provisioning pending" in page and '<meta http-equiv="refresh" content="2">' in page
    person = text(console.get(f"/admin/people/{alice}"))  # the person's Applications tab shows it too
    assert "Provisioning pending" in person and '<meta http-equiv="refresh" content="2">' in person
    assert "Domain Name: example" in person
    # A dialog open over the page stops its refresh: what is being typed is not reloaded away.
    assert 'http-equiv="refresh"' not in text(console.get(f"/admin/apps/{app['id']}/assign/people/{alice}"))
    backend.jobs.workers = workers
    backend.jobs.reload()  # a worker starts and pushes: nothing listens, so the push fails
    assert queue.settle(backend, 10)
    page = text(console.get(f"/admin/apps/{app['id']}/assignments"))
    assert "Provisioning pending" not in page and 'http-equiv="refresh"' not in page
    assert "Connection failed" in page and "Error" in page
    person = text(console.get(f"/admin/people/{alice}"))
    assert "Provisioning pending" not in person and "Connection failed" in person


def test_the_side_menu_has_okta_sections_with_the_current_one_open(console: Console) -> None:
    page = text(console.get("/admin/people"))
    sections = re.findall(r'<details data-section="(\w+)"( open)?>\s*<summary>([^<]+)</summary>', page)
    assert [title for title, _, summary in sections if title == summary] == [
        "Dashboard", "Directory", "Applications", "Security", "Reports", "Settings",
    ]
    assert [title for title, opened, _ in sections if opened] == ["Directory"]
    assert '<a href="/admin/tasks">Tasks' in page  # under Dashboard, as in Okta
    account = text(console.get("/admin/settings/account"))
    assert "<dt>Okta domain</dt><dd><code>http://localhost</code></dd>" in account
    assert '<details data-section="Settings" open>' in account


def test_two_instances_of_the_app_are_told_apart_by_their_domain_name(
    console: Console, backend: OktaBackend
) -> None:
    """Both keep the catalog's label "Cybozu (cybozu.com)"; the app pages, Tasks and the System Log
    show each one's Domain Name beside it."""
    ids = [apps.add_app(backend, "cybozu", domain_name=domain)["id"] for domain in ("alpha", "beta")]
    for app_id, domain in zip(ids, ("alpha", "beta"), strict=True):
        assert f"<h1>Cybozu (cybozu.com)</h1>\n<p class=\"subtitle\"><span class=\"domain\">Domain Name: {domain}</span>" in (
            text(console.get(f"/admin/apps/{app_id}/assignments"))
        )
        enable_provisioning_without_a_server(backend, app_id)
        console.post(f"/admin/apps/{app_id}/assign/groups/{group_id(backend, 'cybozu users')}", {})
    tasks = text(console.get("/admin/tasks"))
    assert "Domain Name: alpha" in tasks and "Domain Name: beta" in tasks
    log = text(console.get("/admin/reports/system-log"))
    assert "(AppInstance, <span class=\"domain\">Domain Name: alpha</span>)" in log


def test_the_menu_names_the_section_of_each_entry_and_the_entries_there_are() -> None:
    """The UI driver opens a link's section from this: a misspelt entry says what exists."""
    assert menu.section_of("Applications") == "Applications"
    assert menu.section_of("Tasks") == "Dashboard"
    with pytest.raises(KeyError, match="no menu entry 'Peple' .*People, Groups"):
        menu.section_of("Peple")


def test_okta_publishes_every_egress_address_of_the_org_as_its_ip_ranges(console: Console, okta: Flask) -> None:
    """Settings > Account names the cell and links the published list, which holds every pool (the
    current and those "reserved for future updates"), so an allowlist of it survives a rotation."""
    backend = okta_backend(okta)
    pools = [a for pool in backend.egress.pools for a in pool]
    page = text(console.get("/admin/settings/account"))
    assert "<dd><code>lab_cell</code></dd>" in page and 'href="/ip_ranges.json"' in page
    assert all(f"<code>{a}</code>" in page for a in pools)
    published = okta.test_client().get("/ip_ranges.json")  # public, as Okta's file is
    assert published.status_code == 200
    assert published.get_json() == {"lab_cell": {"ip_ranges": [f"{a}/32" for a in pools]}}
    backend.egress.rotate()
    assert okta.test_client().get("/ip_ranges.json").get_json() == published.get_json()
