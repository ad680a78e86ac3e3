"""The UI driver: performs each scenario verb by clicking through the two consoles in
Chromium (Playwright), by the article's labels.

It inherits everything that has no console in the real products from the API
driver: the setup, the lab verbs (clock, faults, egress, snapshots) and the
reading of state for expectations. What it learns from a page (the token in the
one-time dialog, an app's id in its URL) it takes from the page; what a page
does not show (a token's id) it reads through the lab control API, like an
expectation would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, sync_playwright

from cybozu_sim.public import ADMIN_LOGIN as CYBOZU_ADMIN
from cybozu_sim.public import DEFAULT_ADMIN_PASSWORD as CYBOZU_PASSWORD
from cybozu_sim.public import SERVICES as CYBOZU_SERVICES
from lab.browser import LAUNCH_ARGS, find_browser
from lab.scenario.api_driver import ActionError, ApiDriver, Result
from lab.scenario.sandbox import Sandbox
from okta_sim.public import ADMIN_LOGIN as OKTA_ADMIN
from okta_sim.public import DEFAULT_ADMIN_PASSWORD as OKTA_PASSWORD
from okta_sim.public import LOGIN_LOCKED, attribute_label
from okta_sim.public import PROFILE_FORM as PROFILE_FIELDS
from okta_sim.public import USERNAME_FORMATS as FORMATS

TIMEOUT_MS = 20_000
NAVIGATION_TIMEOUT_MS = 300_000
APP_URL = re.compile(r"/admin/apps/([^/]+)/")
TO_APP = {"create": "Create Users", "update": "Update User Attributes", "deactivate": "Deactivate Users"}


class UiDriver(ApiDriver):
    name = "ui"

    def __init__(self, sandbox: Sandbox, *, trace: bool = False) -> None:
        super().__init__(sandbox)
        self.trace = trace
        self._playwright = sync_playwright().start()
        launch: dict[str, Any] = {"headless": True, "args": LAUNCH_ARGS}
        executable = find_browser()
        if executable:
            launch["executable_path"] = executable
        self.browser = self._playwright.chromium.launch(**launch)
        self.context = self.browser.new_context()
        self.context.set_default_timeout(TIMEOUT_MS)
        # A bulk assignment answers only when every push is done.
        self.context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        if trace:  # a trace costs time: only when the failing step's artifacts are kept
            self.context.tracing.start(screenshots=True, snapshots=True)
        self.page: Page = self.context.new_page()
        self.okta_signed_in = False
        self.cybozu_tenant: str | None = None

    def close(self) -> None:
        try:
            self.context.close()
            self.browser.close()
        finally:
            self._playwright.stop()
            super().close()

    # -- failure artifacts ----------------------------------------------------------

    def begin_step(self) -> None:
        super().begin_step()
        if self.trace:
            self.context.tracing.start_chunk()

    def end_step(self, failed: bool, folder: Path | None) -> list[Path]:
        """Keep the screenshot and the Playwright trace of a failing step (``playwright show-trace``)."""
        if not self.trace:
            return []
        if not failed or folder is None:
            self.context.tracing.stop_chunk()
            return []
        folder.mkdir(parents=True, exist_ok=True)
        screenshot, trace = folder / "screenshot.png", folder / "trace.zip"
        self.page.screenshot(path=str(screenshot), full_page=True)
        self.context.tracing.stop_chunk(path=str(trace))
        return [screenshot, trace]

    # -- page helpers ---------------------------------------------------------------

    def present(self, target: Locator) -> bool:
        """Whether the page shows ``target`` now. Clicks and fills wait for what they need, but a
        count does not: it must not read the page a click is still leaving."""
        self.page.wait_for_load_state("domcontentloaded")
        return target.count() > 0

    def outcome(self) -> tuple[bool, str | None]:
        """The console's flash message: role=status is a success, role=alert an error."""
        alert = self.page.get_by_role("alert")
        if self.present(alert):
            return False, alert.first.inner_text().strip()
        status = self.page.get_by_role("status")
        return True, status.first.inner_text().strip() if self.present(status) else None

    def checked(self, result: tuple[bool, str | None], *, keep_message: bool = False) -> Result:
        ok, message = result
        if not ok:
            raise ActionError(message or "the console refused the action")
        return Result(message=message if keep_message else None)

    # -- cybozu.com console -------------------------------------------------------------

    def cybozu_admin(self, tenant: str | None, section: str) -> str:
        """Sign in to the tenant (as its administrator) and open a [cybozu.com Administration] section."""
        subdomain = self.tenant(tenant)
        base = f"{self.sandbox.urls['cybozu']}/{subdomain}"
        if self.cybozu_tenant != subdomain:
            self.page.goto(f"{base}/login")
            self.page.get_by_label("Login name").fill(CYBOZU_ADMIN)
            self.page.get_by_label("Password").fill(CYBOZU_PASSWORD)
            self.page.get_by_role("button", name="Login").click()
            self.cybozu_tenant = subdomain
        else:
            self.page.goto(f"{base}/")
        self.page.get_by_role("link", name="cybozu.com Administration").click()
        self.page.get_by_role("navigation", name="cybozu.com Administration").get_by_role(
            "link", name=section, exact=True
        ).click()
        return subdomain

    def token_row(self, tenant: str | None, token_id: str) -> Locator:
        subdomain = self.cybozu_admin(tenant, "Provisioning")
        ids = [t["id"] for t in self.tenant_state(subdomain)["tokens"]]
        if token_id not in ids:
            raise ActionError(f"no API token {token_id} in {subdomain}")
        rows = self.page.get_by_role("table", name="API tokens").locator("tbody tr")
        return rows.nth(ids.index(token_id))

    def cybozu_create_api_token(
        self, tenant: str | None = None, notes: str = "", expiration: str | None = None
    ) -> Result:
        subdomain = self.cybozu_admin(tenant, "Provisioning")
        self.page.get_by_role("link", name="Create API Token").click()
        if expiration:
            self.page.get_by_label("Expiration date").fill(expiration)
        self.page.get_by_label("Enter notes for this API token.").fill(notes)
        self.page.get_by_role("button", name="Create").click()
        dialog = self.page.get_by_role("dialog")
        if not self.present(dialog.get_by_label("API Token")):
            self.checked(self.outcome())
        token = dialog.get_by_label("API Token").input_value()
        endpoint = dialog.get_by_label("SCIM Endpoint").input_value()
        dialog.get_by_role("button", name="Close").click()
        token_id = self.tenant_state(subdomain)["tokens"][-1]["id"]
        return Result(values={"token": token, "scim_endpoint": endpoint, "id": token_id})

    def cybozu_disable_api_token(self, id: str, tenant: str | None = None) -> Result:  # noqa: A002
        row = self.token_row(tenant, id)
        row.get_by_role("button", name=re.compile("^Disable token")).click()
        return self.checked(self.outcome())

    def cybozu_delete_api_token(self, id: str, tenant: str | None = None) -> Result:  # noqa: A002
        row = self.token_row(tenant, id)
        row.get_by_role("button", name=re.compile("^Delete token")).click()
        return self.checked(self.outcome())

    def cybozu_set_propagate_provisioning(self, enabled: bool, tenant: str | None = None) -> Result:
        self.cybozu_admin(tenant, "Provisioning")
        group = self.page.get_by_role("group", name="Propagate Provisioning")
        group.get_by_label("Enabled" if enabled else "Disabled").check()
        self.page.get_by_role("button", name="Save").click()
        return self.checked(self.outcome())

    def cybozu_set_ip_restriction(
        self,
        enabled: bool = True,
        allowed: list[str] | None = None,
        allow_okta_ips: bool = False,
        tenant: str | None = None,
    ) -> Result:
        entries = list(allowed or [])
        if allow_okta_ips:  # the administrator copies Okta's published addresses
            entries += self.call("okta", "GET", "/_lab/egress")["addresses"]
        self.cybozu_admin(tenant, "IP Address Restrictions")
        self.page.get_by_label("Restrict access by IP address").set_checked(enabled)
        self.page.get_by_label(re.compile("^Allowed IP addresses")).fill("\n".join(entries))
        self.page.get_by_role("button", name="Save").click()
        return self.checked(self.outcome())

    def cybozu_add_user(
        self,
        login: str,
        display: str | None = None,
        surname: str = "",
        given: str = "",
        email: str = "",
        services: list[str] | None = None,
        active: bool = True,
        tenant: str | None = None,
    ) -> Result:
        subdomain = self.cybozu_admin(tenant, "Departments & Users")
        for label, value in (
            ("Login name", login),
            ("Display name", display or login),
            ("Surname", surname),
            ("Given name", given),
            ("Email address", email),
        ):
            self.page.get_by_label(label, exact=True).fill(value)
        status = self.page.get_by_role("group", name="Status")
        status.get_by_label("Active" if active else "Inactive", exact=True).check()
        for code in services or []:
            box = self.page.get_by_role("group", name="Services").get_by_label(
                CYBOZU_SERVICES[code], exact=True
            )
            if not self.present(box):
                raise ActionError(f"{CYBOZU_SERVICES[code]} is not licensed: the form has no such service")
            box.check()
        self.page.get_by_role("button", name="Add", exact=True).click()
        self.checked(self.outcome())
        found = next(u for u in self.cybozu_users(subdomain) if u["login"] == login)
        return Result(values={"id": found["id"]})

    def cybozu_delete_user(self, login: str, tenant: str | None = None) -> Result:
        self.cybozu_admin(tenant, "Departments & Users")
        link = self.page.get_by_label(f"Delete {login}", exact=True)
        if not self.present(link):
            raise ActionError(f"no user with the log in name {login!r} in {self.tenant(tenant)}")
        link.click()
        self.page.get_by_role("button", name="Delete").click()
        return self.checked(self.outcome())

    # -- Okta console -----------------------------------------------------------------

    def okta_go(self, path: str = "/admin/") -> None:
        self.page.goto(self.sandbox.urls["okta"] + path)
        if not self.okta_signed_in:
            self.page.get_by_label("Username").fill(OKTA_ADMIN)
            self.page.get_by_label("Password").fill(OKTA_PASSWORD)
            self.page.get_by_role("button", name="Sign In").click()
            self.okta_signed_in = True
            self.page.goto(self.sandbox.urls["okta"] + path)

    def okta_app_page(self, app: str | None, tab: str | None = None) -> str:
        """[Applications] > the app > a tab. Several apps may share a label: the id picks the row."""
        app_id = self.app(app)
        self.okta_go()
        self.page.get_by_role("navigation", name="Admin menu").get_by_role(
            "link", name="Applications"
        ).click()
        self.page.locator(f'main a[href*="/admin/apps/{app_id}/"]').first.click()
        if tab:
            self.page.get_by_role("tab", name=tab).click()
        return app_id

    def integration_form(self, app: str | None) -> str:
        """[Provisioning] > [Integration] > [Configure API Integration] or [Edit]."""
        app_id = self.okta_app_page(app, "Provisioning")
        settings = self.page.get_by_role("navigation", name="Settings")
        if self.present(settings):
            settings.get_by_role("link", name="Integration").click()
        configure = self.page.get_by_role("button", name="Configure API Integration")
        (
            configure if self.present(configure) else self.page.get_by_role("button", name="Edit", exact=True)
        ).click()
        return app_id

    def to_app(self, app: str | None) -> str:
        app_id = self.okta_app_page(app, "Provisioning")
        self.page.get_by_role("navigation", name="Settings").get_by_role("link", name="To App").click()
        return app_id

    def okta_add_catalog_app(
        self, domain_name: str, search: str = "cybozu", label: str | None = None
    ) -> Result:
        self.okta_go()
        self.page.get_by_role("navigation", name="Admin menu").get_by_role(
            "link", name="Applications"
        ).click()
        self.page.get_by_role("button", name="Browse App Catalog").click()
        self.page.get_by_label("Search").fill(search)
        self.page.get_by_label("Search").press("Enter")
        found = self.page.get_by_role("link", name="Cybozu (cybozu.com)", exact=True)
        if not self.present(found):
            raise ActionError(f'Searching the App Catalog for "{search}" does not find Cybozu (cybozu.com).')
        found.click()
        self.page.get_by_role("button", name="Add", exact=True).click()
        if label:
            self.page.get_by_label("Application label").fill(label)
        self.page.get_by_label("Domain Name").fill(domain_name)
        self.page.get_by_role("button", name="Done").click()
        self.checked(self.outcome())
        match = APP_URL.search(self.page.url)
        if not match:
            raise ActionError("the app was not added")
        self.apps.append(match.group(1))
        return Result(values={"id": match.group(1), "label": self.okta_app(match.group(1))["label"]})

    def okta_configure_api_integration(
        self, enabled: bool = True, token: str | None = None, app: str | None = None
    ) -> Result:
        self.integration_form(app)
        self.page.get_by_label("Enable API integration").set_checked(enabled)
        if token:
            self.page.get_by_label("API Token").fill(token)
        self.page.get_by_role("button", name="Save", exact=True).click()
        return self.checked(self.outcome(), keep_message=True)

    def okta_test_api_credentials(self, token: str, app: str | None = None) -> Result:
        self.integration_form(app)
        self.page.get_by_label("Enable API integration").check()
        self.page.get_by_label("API Token").fill(token)
        self.page.get_by_role("button", name="Test API Credentials").click()
        ok, message = self.outcome()
        return Result(ok=ok, message=message)

    def okta_set_provisioning_to_app(
        self, create: bool = True, update: bool = True, deactivate: bool = True, app: str | None = None
    ) -> Result:
        self.to_app(app)
        self.page.get_by_role("region", name="Provisioning to App").get_by_role(
            "button", name="Edit", exact=True
        ).click()
        for key, on in (("create", create), ("update", update), ("deactivate", deactivate)):
            self.page.get_by_label(TO_APP[key]).set_checked(on)
        self.page.get_by_role("button", name="Save", exact=True).click()
        return self.checked(self.outcome())

    def okta_delete_profile_attribute(self, attribute: str, app: str | None = None) -> Result:
        self.to_app(app)
        self.page.get_by_role("button", name="Go to Profile Editor").click()
        button = self.page.get_by_role("region", name="Attributes").get_by_role(
            "button", name=f"Delete attribute {attribute_label(attribute)}"
        )
        if not self.present(button):
            raise ActionError(
                f"{attribute}: is not an attribute of this app (the Profile Editor does not list it)"
            )
        button.click()
        self.page.get_by_role("dialog").get_by_role("button", name="Delete Attribute").click()
        return self.checked(self.outcome())

    def okta_set_username_format(
        self,
        format: str,  # noqa: A002
        expression: str | None = None,
        app: str | None = None,
    ) -> Result:
        self.okta_app_page(app, "Sign On")
        self.page.get_by_role("region", name="Settings").get_by_role(
            "button", name="Edit", exact=True
        ).click()
        self.page.get_by_label("Application username format").select_option(label=FORMATS[format][0])
        if format == "custom":
            self.page.get_by_label("Custom expression").fill(expression or "")
        self.page.get_by_role("button", name="Save", exact=True).click()
        return self.checked(self.outcome())

    def assignment_form(self, user_name: str | None, services: dict[str, str] | None, app_id: str) -> Result:
        """The form behind [Assign]: User Name and the services, then [Save and Go Back]."""
        field = self.page.get_by_label("User Name")
        if user_name is not None and user_name != field.input_value():
            if not field.is_editable():
                raise ActionError(f"{LOGIN_LOCKED} (The User Name field is read-only.)")
            field.fill(user_name)
        for name, value in (services or {}).items():
            select = self.page.get_by_label(attribute_label(name), exact=True)
            if not self.present(select):
                raise ActionError(
                    f"Property name '{name}' is not defined in the app user profile: "
                    f"the assignment form has no {attribute_label(name)}"
                )
            select.select_option(value)
        # A group's assignment answers once every member's push is done.
        self.page.get_by_role("button", name="Save and Go Back").click(timeout=NAVIGATION_TIMEOUT_MS)
        ok, message = self.outcome()
        if not ok and self.present(self.page.get_by_role("button", name="Save and Go Back")):
            raise ActionError(message or "the assignment was refused")
        return Result(ok=ok, message=None if ok else message)

    def assign_menu(self, app: str | None, kind: str) -> str:
        app_id = self.okta_app_page(app, "Assignments")
        self.page.get_by_role("button", name="Assign", exact=True).click()
        self.page.get_by_role("link", name=f"Assign to {kind}").click()
        return app_id

    def okta_assign_people(
        self,
        user: str,
        user_name: str | None = None,
        services: dict[str, str] | None = None,
        app: str | None = None,
    ) -> Result:
        found = f"Not found: Resource not found: {user} (User)"
        app_id = self.open_assignment(app, "People", user, found, f"/assign/people/{self.user_id(user)}")
        return self.assignment_form(user_name, services, app_id)

    def open_assignment(self, app: str | None, kind: str, cell: str, missing: str, path: str) -> str:
        """[Assign] > [Assign to People|Groups] > the row's [Assign]; when the row says Assigned
        (a person through a group, a group again), the existing assignment's form instead."""
        app_id = self.assign_menu(app, kind)
        row = self.page.get_by_role("row").filter(has=self.page.get_by_role("cell", name=cell, exact=True))
        if not self.present(row):
            raise ActionError(missing)
        button = row.get_by_role("button", name=re.compile("^Assign "))
        if self.present(button):
            button.click()
        else:
            self.existing_assignment(app_id, kind, path)
        return app_id

    def existing_assignment(self, app_id: str, kind: str, path: str) -> None:
        """[Assignments] > [People|Groups] > the name: the form of an existing assignment."""
        self.okta_go(f"/admin/apps/{app_id}/assignments")
        self.page.get_by_role("navigation", name="Filters").get_by_role("link", name=kind).click()
        self.page.locator(f'main a[href$="{path}"]').first.click()

    def okta_update_assignment(
        self,
        user: str,
        user_name: str | None = None,
        services: dict[str, str] | None = None,
        app: str | None = None,
    ) -> Result:
        app_id = self.app(app)
        user_id = self.user_id(user)
        task = next((t for t in self.tasks() if t["user_id"] == user_id and t["app_id"] == app_id), None)
        if task is not None and services is None and user_name is not None:
            # Tasks: the User Name a failed push needs, then [Save Assignment and Retry].
            self.okta_go("/admin/tasks")
            self.page.locator(f"#user-name-{task['id']}").fill(user_name)
            self.page.locator(f"#user-name-{task['id']}").locator("xpath=ancestor::form").get_by_role(
                "button", name="Save Assignment and Retry"
            ).click()
            ok, message = self.outcome()
            if not ok:
                return Result(ok=False, message=message)
            return Result()
        self.existing_assignment(app_id, "People", f"/assign/people/{user_id}")
        return self.assignment_form(user_name, services, app_id)

    def okta_assign_group(
        self,
        group: str,
        services: dict[str, str] | None = None,
        priority: int | None = None,
        app: str | None = None,
    ) -> Result:
        found = f"Not found: Resource not found: {group} (UserGroup)"
        app_id = self.open_assignment(app, "Groups", group, found, f"/assign/groups/{self.group_id(group)}")
        if priority is not None:
            self.page.get_by_label("Priority").fill(str(priority))
        self.assignment_form(None, services, app_id)
        return Result()

    def okta_unassign(
        self, user: str | None = None, group: str | None = None, app: str | None = None
    ) -> Result:
        self.okta_app_page(app, "Assignments")
        filters = self.page.get_by_role("navigation", name="Filters")
        if user is not None:
            filters.get_by_role("link", name="People").click()
            name = self.okta("GET", f"/users/{self.user_id(user)}")
            label = (
                name["profile"].get("displayName")
                or f"{name['profile']['firstName']} {name['profile']['lastName']}"
            )
        else:
            filters.get_by_role("link", name="Groups").click()
            label = str(group)
        button = self.page.get_by_role("button", name=f"Unassign {label}", exact=True)
        if not self.present(button):
            raise ActionError(f"{label} is not assigned individually")
        button.first.click()
        self.page.get_by_role("dialog").get_by_role("button", name="OK").click()
        return self.checked(self.outcome())

    def okta_add_person(
        self,
        login: str,
        first_name: str,
        last_name: str,
        email: str | None = None,
        display_name: str | None = None,
    ) -> Result:
        self.okta_go("/admin/people")
        add = self.page.get_by_role("region", name="Add Person")
        add.get_by_label("First name").fill(first_name)
        add.get_by_label("Last name").fill(last_name)
        add.get_by_label("Username").fill(login)
        add.get_by_label("Primary email").fill(email or login)
        add.get_by_role("button", name="Save").click()
        self.checked(self.outcome())
        user_id = self.user_id(login)
        if display_name:
            self.okta_update_user(login, {"displayName": display_name})
        return Result(values={"id": user_id})

    def person_page(self, user: str) -> str:
        user_id = self.user_id(user)
        self.okta_go(f"/admin/people/{user_id}")
        return user_id

    def okta_update_user(self, user: str, profile: dict[str, str]) -> Result:
        self.person_page(user)
        labels = dict(PROFILE_FIELDS)
        form = self.page.get_by_role("region", name="Profile")
        for key, value in profile.items():
            if key not in labels:
                raise ActionError(f"the person's Profile form has no {key}")
            form.get_by_label(labels[key], exact=True).fill(value)
        form.get_by_role("button", name="Save").click()
        return self.checked(self.outcome())

    def lifecycle(self, user: str, button: str) -> Result:
        self.person_page(user)
        found = self.page.get_by_role("button", name=button, exact=True)
        if not self.present(found):
            raise ActionError(f"{user} cannot be {button.lower()}d now")
        found.click()
        return self.checked(self.outcome())

    def okta_deactivate_user(self, user: str) -> Result:
        return self.lifecycle(user, "Deactivate")

    def okta_activate_user(self, user: str) -> Result:
        return self.lifecycle(user, "Activate")

    def group_page(self, group: str) -> None:
        self.okta_go(f"/admin/groups/{self.group_id(group)}")

    def okta_add_to_group(self, group: str, user: str) -> Result:
        self.group_page(group)
        user_id = self.user_id(user)
        self.page.get_by_label("Person").select_option(user_id)
        self.page.get_by_role("button", name="Add to group").click()
        return self.checked(self.outcome())

    def okta_remove_from_group(self, group: str, user: str) -> Result:
        self.group_page(group)
        person = self.okta("GET", f"/users/{self.user_id(user)}")["profile"]
        name = person.get("displayName") or f"{person['firstName']} {person['lastName']}"
        self.page.get_by_role("button", name=f"Remove {name}", exact=True).first.click()
        return self.checked(self.outcome())

    def okta_force_sync(self, app: str | None = None) -> Result:
        self.to_app(app)
        self.page.get_by_role("button", name="Force Sync").click()
        ok, message = self.outcome()
        counts = self.parse_force_sync(message or "")
        return Result(ok=ok, message=message, values={**counts, "message": message})

    @staticmethod
    def parse_force_sync(message: str) -> dict[str, int]:
        found = re.search(r"(\d+) users checked, (\d+) errors", message)
        return {"checked": int(found.group(1)), "errors": int(found.group(2))} if found else {}

    def okta_retry_tasks(self, user: str | None = None) -> Result:
        user_id = self.user_id(user) if user else None
        open_tasks = [t for t in self.tasks() if user_id is None or t["user_id"] == user_id]
        self.okta_go("/admin/tasks")
        for task in open_tasks:
            self.page.locator(f'input[name="task"][value="{task["id"]}"]').check()
        self.page.get_by_role("button", name="Retry Selected").click()
        ok, message = self.outcome()
        if not open_tasks:
            raise ActionError(message or "Select the tasks to retry.")
        still_open = any(
            t["status"] == "OPEN" for t in self.tasks("ALL") if t["id"] in {o["id"] for o in open_tasks}
        )
        return Result(ok=ok and not still_open, message=message, values={"message": message})

    def okta_turn_off_provisioning(self, app: str | None = None) -> Result:
        return self.okta_configure_api_integration(enabled=False, app=app)

    def okta_restart_provisioning(self, app: str | None = None) -> Result:
        app_id = self.app(app)
        enabled = self.okta_configure_api_integration(enabled=True, app=app_id)
        self.okta_set_provisioning_to_app(app=app_id)
        return Result(message=enabled.message, values={"message": enabled.message})
