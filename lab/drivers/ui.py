"""The UI driver: performs each scenario verb by clicking through the two consoles in
Chromium (Playwright), by the article's labels.

What has no console in the real products it does like every driver, through the lab
API (lab_verbs: the setup's tenants, the lab verbs, the wire log) and the client (the
state expectations read). What it learns from a page (the token in the one-time
dialog, an app's id in its URL) it takes from the page; what a page does not show (a
token's id) it reads through the lab control API, like an expectation would.
"""

from __future__ import annotations

import re
from pathlib import Path

from cybozu_sim.public import IP_RESTRICTION_MODES, ip_entry_cells
from cybozu_sim.public import SERVICES as CYBOZU_SERVICES
from lab.drivers.client import ActionError, LabClient
from lab.drivers.consoles import Consoles
from lab.drivers.lab_verbs import LabVerbs
from lab.drivers.protocol import Params, Result, csv_file, force_synced, ip_entries, retried
from okta_sim.public import PROFILE_FORM, USERNAME_FORMATS, USERNAME_UPDATE_ON, attribute_label

APP_URL = re.compile(r"/admin/apps/([^/]+)/")
TO_APP = {"create": "Create Users", "update": "Update User Attributes", "deactivate": "Deactivate Users"}


class UiDriver(LabVerbs):
    name = "ui"

    def __init__(self, client: LabClient, *, trace: bool = False) -> None:
        super().__init__(client)
        self.consoles = Consoles(client, trace=trace)
        self.page = self.consoles.page

    def close(self) -> None:
        try:
            self.consoles.close()
        finally:
            super().close()

    def begin_step(self) -> None:
        super().begin_step()
        self.consoles.begin_step()

    def end_step(self, failed: bool, folder: Path | None) -> list[Path]:
        return self.consoles.end_step(failed, folder)

    # -- cybozu.com console -------------------------------------------------------------

    def cybozu_create_api_token(self, params: Params) -> Result:
        subdomain = self.consoles.cybozu_admin(params.get("tenant"), "Provisioning")
        self.page.get_by_role("link", name="Create API Token").click()
        self.page.get_by_label("Expiration date").select_option(params["validity"])
        self.page.get_by_label("Enter notes for this API token.").fill(params.get("notes", ""))
        self.page.get_by_role("button", name="Create").click()
        dialog = self.page.get_by_role("dialog")
        if not self.consoles.present(dialog.get_by_label("API Token")):
            self.consoles.checked()
        token = dialog.get_by_label("API Token").input_value()
        endpoint = dialog.get_by_label("SCIM Endpoint").input_value()
        dialog.get_by_role("button", name="Close").click()
        token_id = self.client.tenant_state(subdomain)["tokens"][-1]["id"]
        return Result(values={"token": token, "scim_endpoint": endpoint, "id": token_id})

    def cybozu_disable_api_token(self, params: Params) -> Result:
        row = self.consoles.token_row(params.get("tenant"), params["id"])
        row.get_by_role("button", name=re.compile("^Disable token")).click()
        return self.consoles.checked()

    def cybozu_enable_api_token(self, params: Params) -> Result:
        row = self.consoles.token_row(params.get("tenant"), params["id"])
        row.get_by_role("button", name=re.compile("^Enable token")).click()
        return self.consoles.checked()

    def cybozu_delete_api_token(self, params: Params) -> Result:
        row = self.consoles.token_row(params.get("tenant"), params["id"])
        row.get_by_role("button", name=re.compile("^Delete token")).click()
        return self.consoles.checked()

    def cybozu_set_propagate_provisioning(self, params: Params) -> Result:
        self.consoles.cybozu_admin(params.get("tenant"), "Provisioning")
        group = self.page.get_by_role("group", name="Propagate Provisioning")
        group.get_by_label("Enabled" if params["enabled"] else "Disabled").check()
        self.page.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def cybozu_set_ip_restriction(self, params: Params) -> Result:
        entries = ip_entries(params, self.client)
        self.consoles.cybozu_store(params.get("tenant"))
        self.page.get_by_role("link", name="Change IP Address Restrictions").click()
        self.page.get_by_label(IP_RESTRICTION_MODES[params["mode"]], exact=True).check()
        rows = self.page.get_by_role("table", name="IP addresses to allow").locator("tbody tr")
        while rows.count() < len(entries):
            self.page.get_by_role("button", name="Add rows").click()
        for n in range(1, rows.count() + 1):
            cells = ip_entry_cells(entries[n - 1]) if n <= len(entries) else ("", "", "")
            ip, cidr, memo = ("" if value is None else str(value) for value in cells)
            self.page.get_by_label(f"IP Address {n}", exact=True).fill(ip)
            self.page.get_by_label(f"CIDR {n}", exact=True).fill(cidr)
            self.page.get_by_label(f"Memo {n}", exact=True).fill(memo)
        self.page.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def cybozu_import_ip_csv(self, params: Params) -> Result:
        self.consoles.cybozu_store(params.get("tenant"))
        self.page.get_by_role("link", name="Change IP Address Restrictions").click()
        upload = {"name": "ip-addresses.csv", "mimeType": "text/csv", "buffer": csv_file(params)}
        self.page.get_by_label("CSV file").set_input_files(upload)  # type: ignore[arg-type]
        self.page.get_by_role("button", name="Import").click()
        self.consoles.checked()
        self.page.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def cybozu_set_basic_auth(self, params: Params) -> Result:
        self.consoles.cybozu_store(params.get("tenant"))
        self.page.get_by_role("link", name="Change Basic Authentication").click()
        self.page.get_by_label("Use Basic authentication").set_checked(params["enabled"])
        if params["enabled"]:
            self.page.get_by_label("User name").fill(params["user"])
            self.page.get_by_label("Password").fill(params.get("password") or "")
        self.page.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def cybozu_add_user(self, params: Params) -> Result:
        login = params["login"]
        subdomain = self.consoles.cybozu_admin(params.get("tenant"), "Departments & Users")
        for label, value in (
            ("Login name", login),
            ("Display name", params.get("display") or login),
            ("Surname", params.get("surname", "")),
            ("Given name", params.get("given", "")),
            ("Email address", params.get("email", "")),
        ):
            self.page.get_by_label(label, exact=True).fill(value)
        status = self.page.get_by_role("group", name="Status")
        status.get_by_label("Active" if params["active"] else "Inactive", exact=True).check()
        for code in params["services"]:
            box = self.page.get_by_role("group", name="Services").get_by_label(
                CYBOZU_SERVICES[code], exact=True
            )
            if not self.consoles.present(box):
                raise ActionError(f"{CYBOZU_SERVICES[code]} is not licensed: the form has no such service")
            box.check()
        self.page.get_by_role("button", name="Add", exact=True).click()
        self.consoles.checked()
        found = next(u for u in self.client.cybozu_users(subdomain) if u["login"] == login)
        return Result(values={"id": found["id"]})

    def cybozu_user_link(self, params: Params, action: str) -> None:
        """Departments & Users > the user's [Edit] or [Delete] link."""
        login = params["login"]
        self.consoles.cybozu_admin(params.get("tenant"), "Departments & Users")
        link = self.page.get_by_label(f"{action} {login}", exact=True)
        if not self.consoles.present(link):
            subdomain = self.client.tenant(params.get("tenant"))
            raise ActionError(f"no user with the log in name {login!r} in {subdomain}")
        link.click()

    def cybozu_view_user(self, params: Params) -> Result:
        self.cybozu_user_link(params, "Edit")
        user_id = self.page.url.rstrip("/").split("/")[-2]  # .../admin/users/<id>/edit
        status = "Inactive" if self.page.get_by_label("Inactive", exact=True).is_checked() else "Active"
        return Result(values={"id": user_id, "status": status})

    def cybozu_delete_user(self, params: Params) -> Result:
        self.cybozu_user_link(params, "Delete")
        self.page.get_by_role("button", name="Delete").click()
        return self.consoles.checked()

    def cybozu_edit_user(self, params: Params) -> Result:
        self.cybozu_user_link(params, "Edit")
        labels = {"new_login": "Login name", "display": "Display name", "surname": "Surname", "given": "Given name", "email": "Email address"}  # fmt: skip
        for key, label in labels.items():
            if params.get(key) is not None:
                field = self.page.get_by_label(label, exact=True)
                if not self.consoles.present(field):
                    raise ActionError(
                        f"the [{label}] field is not offered now (Propagate Provisioning is on)"
                    )
                field.fill(params[key])
        self.page.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def cybozu_user_status(self, params: Params, status: str) -> Result:
        self.cybozu_user_link(params, "Edit")
        self.page.get_by_label(status, exact=True).check()
        self.page.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def cybozu_deactivate_user(self, params: Params) -> Result:
        return self.cybozu_user_status(params, "Inactive")

    def cybozu_activate_user(self, params: Params) -> Result:
        return self.cybozu_user_status(params, "Active")

    # -- Okta console -----------------------------------------------------------------

    def okta_add_catalog_app(self, params: Params) -> Result:
        search = params["search"]
        self.consoles.applications()
        self.page.get_by_role("button", name="Browse App Catalog").click()
        self.page.get_by_label("Search").fill(search)
        self.page.get_by_label("Search").press("Enter")
        found = self.page.get_by_role("link", name="Cybozu (cybozu.com)", exact=True)
        if not self.consoles.present(found):
            raise ActionError(f'Searching the App Catalog for "{search}" does not find Cybozu (cybozu.com).')
        found.click()
        self.page.get_by_role("button", name="Add", exact=True).click()
        if params.get("label"):
            self.page.get_by_label("Application label").fill(params["label"])
        self.page.get_by_label("Domain Name").fill(self.client.domain(params["domain_name"]))
        self.page.get_by_role("button", name="Done").click()
        self.consoles.checked()
        match = APP_URL.search(self.page.url)
        if not match:
            raise ActionError("the app was not added")
        app_id = match.group(1)
        self.client.apps.append(app_id)
        return Result(values={"id": app_id, "label": self.client.okta_app(app_id)["label"]})

    def okta_configure_api_integration(self, params: Params) -> Result:
        return self.integration(params.get("app"), params["enabled"], params.get("token"))

    def integration(self, app: str | None, on: bool, token: str | None = None) -> Result:
        """Save "Enable API integration" (the token field keeps the saved token unless one is given)."""
        self.consoles.integration_form(app)
        self.page.get_by_label("Enable API integration").set_checked(on)
        if token:
            self.page.get_by_label("API Token").fill(token)
        self.page.get_by_role("button", name="Save", exact=True).click()
        return self.consoles.checked(keep_message=True)

    def okta_test_api_credentials(self, params: Params) -> Result:
        self.consoles.integration_form(params.get("app"))
        self.page.get_by_label("Enable API integration").check()
        self.page.get_by_label("API Token").fill(params["token"])
        self.page.get_by_role("button", name="Test API Credentials").click()
        ok, message = self.consoles.outcome()
        return Result(ok=ok, message=message)

    def okta_set_provisioning_to_app(self, params: Params) -> Result:
        self.consoles.to_app(params.get("app"))
        self.page.get_by_role("region", name="Provisioning to App").get_by_role(
            "button", name="Edit", exact=True
        ).click()
        for key, label in TO_APP.items():
            self.page.get_by_label(label).set_checked(params[key])
        self.page.get_by_role("button", name="Save", exact=True).click()
        return self.consoles.checked()

    def okta_delete_profile_attribute(self, params: Params) -> Result:
        attribute = params["attribute"]
        self.consoles.to_app(params.get("app"))
        self.page.get_by_role("button", name="Go to Profile Editor").click()
        button = self.page.get_by_role("region", name="Attributes").get_by_role(
            "button", name=f"Delete attribute {attribute_label(attribute)}"
        )
        if not self.consoles.present(button):
            raise ActionError(
                f"{attribute}: is not an attribute of this app (the Profile Editor does not list it)"
            )
        button.click()
        self.page.get_by_role("dialog").get_by_role("button", name="Delete Attribute").click()
        return self.consoles.checked()

    def okta_set_username_format(self, params: Params) -> Result:
        chosen = params["format"]
        self.consoles.okta_app_page(params.get("app"), "Sign On")
        self.page.get_by_role("region", name="Settings").get_by_role(
            "button", name="Edit", exact=True
        ).click()
        self.page.get_by_label("Application username format").select_option(label=USERNAME_FORMATS[chosen][0])
        if chosen == "custom":
            self.page.get_by_label("Custom expression").fill(params.get("expression") or "")
        if params.get("update_on"):
            self.page.get_by_label("Update application username on").select_option(
                label=USERNAME_UPDATE_ON[params["update_on"]][0]
            )
        self.page.get_by_role("button", name="Save", exact=True).click()
        return self.consoles.checked()

    def okta_assign_people(self, params: Params) -> Result:
        user = params["user"]
        found = f"Not found: Resource not found: {user} (User)"
        path = f"/assign/people/{self.client.user_id(user)}"
        app_id = self.consoles.open_assignment(params.get("app"), "People", user, found, path)
        saved = self.consoles.assignment_form(params.get("user_name"), params["services"])
        return self.consoles.pushed(app_id, user, saved)

    def okta_update_assignment(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        user_id = self.client.user_id(params["user"])
        tasks = self.client.tasks()
        task = next((t for t in tasks if t["user_id"] == user_id and t["app_id"] == app_id), None)
        if task is not None and "services" not in params and "user_name" in params:
            # Tasks: the User Name a failed push needs, then [Save Assignment and Retry] - the page
            # offers it only for a blank-username failure; any other goes through the assignment.
            self.consoles.okta_go("/admin/tasks")
            field = self.page.locator(f"#user-name-{task['id']}")
            if self.consoles.present(field):
                field.fill(params["user_name"])
                field.locator("xpath=ancestor::form").get_by_role(
                    "button", name="Save Assignment and Retry"
                ).click()
                ok, message = self.consoles.outcome()
                return self.consoles.pushed(app_id, params["user"], Result(ok=ok, message=message))
        self.consoles.existing_assignment(app_id, "People", f"/assign/people/{user_id}")
        saved = self.consoles.assignment_form(params.get("user_name"), params.get("services"))
        return self.consoles.pushed(app_id, params["user"], saved)

    def okta_assign_group(self, params: Params) -> Result:
        group = params["group"]
        found = f"Not found: Resource not found: {group} (UserGroup)"
        path = f"/assign/groups/{self.client.group_id(group)}"
        self.consoles.open_assignment(params.get("app"), "Groups", group, found, path)
        if "priority" in params:
            self.page.get_by_label("Priority").fill(str(params["priority"]))
        self.consoles.assignment_form(None, params["services"])
        return Result()

    def okta_unassign(self, params: Params) -> Result:
        self.consoles.okta_app_page(params.get("app"), "Assignments")
        filters = self.page.get_by_role("navigation", name="Filters")
        if "user" in params:
            filters.get_by_role("link", name="People").click()
            label = self.consoles.person_name(params["user"])
        else:
            filters.get_by_role("link", name="Groups").click()
            label = params["group"]
        button = self.page.get_by_role("button", name=f"Unassign {label}", exact=True)
        if not self.consoles.present(button):
            raise ActionError(f"{label} is not assigned individually")
        button.first.click()
        self.page.get_by_role("dialog").get_by_role("button", name="OK").click()
        return self.consoles.checked()

    def okta_add_person(self, params: Params) -> Result:
        login = params["login"]
        self.consoles.okta_go("/admin/people")
        add = self.page.get_by_role("region", name="Add Person")
        add.get_by_label("First name").fill(params["first_name"])
        add.get_by_label("Last name").fill(params["last_name"])
        add.get_by_label("Username").fill(login)
        add.get_by_label("Primary email").fill(params.get("email") or login)
        add.get_by_role("button", name="Save").click()
        self.consoles.checked()
        user_id = self.client.user_id(login)
        if params.get("display_name"):
            self.do("okta.update_user", user=login, profile={"displayName": params["display_name"]})
        return Result(values={"id": user_id})

    def okta_update_user(self, params: Params) -> Result:
        """The person's [Profile] tab > [Edit] > the fields > [Save]."""
        self.consoles.person_page(params["user"])
        self.page.get_by_role("tab", name="Profile").click()
        form = self.page.get_by_role("region", name="Profile")
        form.get_by_role("button", name="Edit", exact=True).click()
        labels = dict(PROFILE_FORM)
        for key, value in params["profile"].items():
            if key not in labels:
                raise ActionError(f"the person's Profile form has no {key}")
            form.get_by_label(labels[key], exact=True).fill(value)
        form.get_by_role("button", name="Save").click()
        return self.consoles.checked()

    def lifecycle(self, user: str, button: str) -> Result:
        """A person's lifecycle action: [Activate] on the page, the others under [More Actions];
        Deactivate asks first, in the "Deactivate Person" dialog."""
        self.consoles.person_page(user)
        more = self.page.get_by_text("More Actions", exact=True)
        if self.consoles.present(more):  # its buttons are hidden until the menu opens
            more.click()
        found = self.page.get_by_role("button", name=button, exact=True)
        if not self.consoles.present(found):
            raise ActionError(f"{user} has no [{button}] button now (their status does not allow it)")
        found.click()
        if button == "Deactivate":
            self.page.get_by_role("dialog", name="Deactivate Person").get_by_role(
                "button", name="Deactivate", exact=True
            ).click()
        return self.consoles.checked()

    def okta_deactivate_user(self, params: Params) -> Result:
        return self.lifecycle(params["user"], "Deactivate")

    def okta_activate_user(self, params: Params) -> Result:
        return self.lifecycle(params["user"], "Activate")

    def okta_suspend_user(self, params: Params) -> Result:
        return self.lifecycle(params["user"], "Suspend")

    def okta_unsuspend_user(self, params: Params) -> Result:
        return self.lifecycle(params["user"], "Unsuspend")

    def okta_unlock_user(self, params: Params) -> Result:
        return self.lifecycle(params["user"], "Unlock")

    def okta_add_to_group(self, params: Params) -> Result:
        self.consoles.group_page(params["group"])
        self.page.get_by_label("Person").select_option(self.client.user_id(params["user"]))
        self.page.get_by_role("button", name="Add to group").click()
        return self.consoles.checked()

    def okta_remove_from_group(self, params: Params) -> Result:
        self.consoles.group_page(params["group"])
        name = self.consoles.person_name(params["user"])
        self.page.get_by_role("button", name=f"Remove {name}", exact=True).first.click()
        return self.consoles.checked()

    def okta_force_sync(self, params: Params) -> Result:
        self.consoles.to_app(params.get("app"))
        self.page.get_by_role("button", name="Force Sync").click()
        ok, message = self.consoles.outcome()
        if not ok:
            return Result(ok=False, message=message)
        found = re.search(r"for (\d+) users", message or "")
        checked = int(found.group(1)) if found else 0
        return force_synced(self.client, self.client.app(params.get("app")), message, checked)

    def okta_retry_tasks(self, params: Params) -> Result:
        user_id = self.client.user_id(params["user"]) if params.get("user") else None
        open_tasks = [t for t in self.client.tasks() if user_id is None or t["user_id"] == user_id]
        self.consoles.okta_go("/admin/tasks")
        for task in open_tasks:
            self.page.locator(f'input[name="task"][value="{task["id"]}"]').check()
        self.page.get_by_role("button", name="Retry Selected").click()
        ok, message = self.consoles.outcome()
        if not open_tasks:
            raise ActionError(message or "Select the tasks to retry.")
        if not ok:
            return Result(ok=False, message=message)
        return retried(self.client, message, {t["id"] for t in open_tasks})

    def okta_turn_off_provisioning(self, params: Params) -> Result:
        return self.do("okta.configure_api_integration", enabled=False, app=params.get("app"))

    def okta_restart_provisioning(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        enabled = self.integration(app_id, True)
        self.do("okta.set_provisioning_to_app", app=app_id)
        return Result(message=enabled.message, values={"message": enabled.message})
