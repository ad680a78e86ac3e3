"""STEP2 of the article and its troubleshooting, clicked through the Okta console in Chromium.

Both apps run on real sockets; cybozu.com is set up (tenant, Propagate
Provisioning, API token, IP restriction) and checked through its lab API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from lab.drivers.consoles import okta_menu
from lab.wiring import AppPair
from okta_sim import apps
from okta_sim.backend import OktaBackend
from okta_sim.backend import get_backend as okta_backend
from okta_sim.directory import reads
from okta_sim.provisioning import assignments, integration
from okta_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from tests.conftest import Lab
from tests.ui import screenshots
from tests.ui.layout import LAPTOP, sideways_scroll

pytestmark = pytest.mark.ui

ALICE = "alice.smith@example.com"


@dataclass
class Sandbox:
    okta_url: str
    okta_app: Flask
    cybozu: Lab  # cybozu_sim's lab control API
    token: str  # the API Token noted down in STEP1

    @property
    def okta(self) -> OktaBackend:
        return okta_backend(self.okta_app)  # type: ignore[no-any-return]

    def cybozu_user(self, login: str) -> dict[str, Any]:
        return next(u for u in self.cybozu.users("example") if u["login"] == login)

    def provisioned_app(self) -> dict[str, Any]:
        """STEP2 done through okta_sim's domain, for the tests that start after it."""
        app = apps.add_app(self.okta, "cybozu", domain_name="example")
        integration.configure_api_integration(self.okta, app["id"], enabled=True, token=self.token)
        integration.set_provisioning_to_app(self.okta, app["id"], create=True, update=True, deactivate=True)
        return app


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with AppPair(okta={"SEED_DEMO": True, "SCIM_TIMEOUT": 5.0, "PUSH_MODE": "inline"}) as pair:
        lab = Lab(pair.cybozu.app)
        # STEP1: the environment, Propagate Provisioning "Enabled", and an API token.
        lab.tenant("example", licenses={"kintone": 10, "garoon": 10}, propagate=True)
        token = lab.token("example", notes="Okta")
        yield Sandbox(pair.okta.url, pair.okta.app, lab, token)


def sign_in(page: Page, sandbox: Sandbox) -> None:
    """1-2. Access the Okta environment and log in as an administrator."""
    page.goto(f"{sandbox.okta_url}/admin/")
    page.get_by_label("Username").fill(ADMIN_LOGIN)
    page.get_by_label("Password").fill(DEFAULT_ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def open_app(page: Page, label: str = "Cybozu (cybozu.com)") -> None:
    okta_menu(page, "Applications")
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=label, level=1)).to_be_visible()


def test_step2_set_up_okta_and_provision_a_person(page: Page, sandbox: Sandbox) -> None:
    sign_in(page, sandbox)
    # 1. Add the cybozu.com Application
    okta_menu(page, "Applications")
    page.get_by_role("button", name="Browse App Catalog").click()
    page.get_by_label("Search").fill("cybozu")
    page.get_by_label("Search").press("Enter")
    page.get_by_role("link", name="Cybozu (cybozu.com)", exact=True).click()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_label("Application label")).to_have_value("Cybozu (cybozu.com)")
    page.get_by_label("Domain Name").fill("example")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", name="Cybozu (cybozu.com)", level=1)).to_be_visible()

    # 2. Configure the API Integration Settings for cybozu.com
    page.get_by_role("tab", name="Provisioning").click()
    page.get_by_role("button", name="Configure API Integration").click()
    page.get_by_label("Enable API integration").check()
    page.get_by_label("API Token").fill(sandbox.token)
    page.get_by_role("button", name="Test API Credentials").click()
    expect(page.get_by_role("status")).to_have_text("Cybozu (cybozu.com) was verified successfully!")
    screenshots.save(page, "okta-api-integration")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="To App").click()
    provisioning_to_app = page.get_by_role("region", name="Provisioning to App")
    provisioning_to_app.get_by_role("button", name="Edit", exact=True).click()
    for option in ("Create Users", "Update User Attributes", "Deactivate Users"):
        page.get_by_label(option).check()
    expect(page.get_by_label("Sync Password")).to_be_disabled()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The Provisioning to App settings were saved.")
    screenshots.save(page, "okta-provisioning")

    # 3. Delete Redundant Services from the Attributes List
    mappings = page.get_by_role("region", name="Cybozu (cybozu.com) Attribute Mappings")
    mappings.get_by_role("button", name="Go to Profile Editor").click()
    expect(page.get_by_role("heading", name="Profile Editor")).to_be_visible()
    attributes = page.get_by_role("region", name="Attributes")
    attributes.get_by_role("button", name="Delete attribute Cybozu Office").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete Attribute").click()
    expect(page.get_by_role("status")).to_have_text("The attribute Cybozu Office was deleted.")
    expect(attributes.get_by_role("cell", name="Cybozu Office", exact=True)).to_have_count(0)

    # 4. Assign Users and Start the Provisioning (per user)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Cybozu (cybozu.com)").click()
    page.get_by_role("tab", name="Assignments").click()
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_role("link", name="Assign to People").click()
    screenshots.save(page, "okta-assign-to-people")
    page.get_by_role("button", name="Assign Alice Smith").click()
    expect(page.get_by_label("User Name")).to_have_value(ALICE)
    expect(page.get_by_text("The cybozu.com login name.")).to_be_visible()
    page.get_by_label("kintone").select_option("Enable")
    page.get_by_role("button", name="Save and Go Back").click()
    expect(page.get_by_role("status")).to_have_text("Alice Smith is assigned to Cybozu (cybozu.com).")
    picker = page.get_by_role("dialog", name="Assign Cybozu (cybozu.com) to People")
    expect(picker.get_by_role("row", name=re.compile("^Alice Smith"))).to_contain_text("Assigned")
    picker.get_by_role("link", name="Done").click()
    row = page.get_by_role("table", name="People").get_by_role("row").filter(has_text="Alice Smith")
    expect(row).to_contain_text("Synchronized")
    screenshots.save(page, "okta-assignments")

    user = sandbox.cybozu_user(ALICE)
    assert user["active"] and user["services"] == {"kintone": True}
    assert (user["display"], user["email"]) == ("Alice Smith", ALICE)


def test_ip_restriction_shows_the_articles_error(page: Page, sandbox: Sandbox) -> None:
    apps.add_app(sandbox.okta, "cybozu", domain_name="example")
    sandbox.cybozu.call(
        "PUT", "/tenants/example/ip-restriction", {"mode": "allow_specific", "entries": ["127.0.0.1"]}, expect=200
    )
    sign_in(page, sandbox)
    open_app(page)
    page.get_by_role("tab", name="Provisioning").click()
    page.get_by_role("button", name="Configure API Integration").click()
    page.get_by_label("Enable API integration").check()
    page.get_by_label("API Token").fill(sandbox.token)
    page.get_by_role("button", name="Test API Credentials").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Error authenticating: Forbidden. Errors reported by remote server: Invalid JSON: Unexpected character"
    )
    # [Save] tests the credentials too, and refuses them.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Error authenticating: Forbidden.")
    expect(page.get_by_label("Enable API integration")).to_be_checked()


def test_unassigning_a_person_makes_the_cybozu_user_inactive(page: Page, sandbox: Sandbox) -> None:
    app = sandbox.provisioned_app()
    alice = reads.get_user(sandbox.okta, ALICE)
    assignments.assign_user(sandbox.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    assert sandbox.cybozu_user(ALICE)["status"] == "Active"
    sign_in(page, sandbox)
    open_app(page)
    page.get_by_role("tab", name="Assignments").click()
    # Okta lets the User Name be edited (a change is pushed; cybozu.com refuses it), and the services.
    page.get_by_role("button", name="Edit Alice Smith").click()
    expect(page.get_by_label("User Name")).to_be_editable()
    expect(page.get_by_label("kintone")).to_have_value("Enable")
    page.get_by_role("link", name="Cancel").click()
    # Unassigning Users: [Assignments] > [People] > [×] > [OK]
    page.get_by_role("navigation", name="Filters").get_by_role("link", name="People").click()
    page.get_by_role("button", name="Unassign Alice Smith").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Are you sure you want to unassign Alice Smith from Cybozu (cybozu.com)?")
    dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_role("status")).to_have_text("Alice Smith was unassigned from Cybozu (cybozu.com).")
    expect(page.get_by_role("button", name="Unassign Alice Smith")).to_have_count(0)
    assert sandbox.cybozu_user(ALICE)["status"] == "Inactive"


def test_the_system_log_fits_a_1366_pixel_screen(page: Page, sandbox: Sandbox) -> None:
    """A failed credential test logs a long reason (Jackson's whole complaint); the table wraps it."""
    app = apps.add_app(sandbox.okta, "cybozu", domain_name="example")
    sandbox.cybozu.call("PUT", "/tenants/example/ip-restriction", {"mode": "deny_all"}, expect=200)
    integration.test_credentials(sandbox.okta, app, sandbox.token)
    page.set_viewport_size(LAPTOP)
    sign_in(page, sandbox)
    page.goto(sandbox.okta_url + "/admin/reports/system-log")
    expect(page.get_by_role("cell", name=re.compile("Invalid JSON: Unexpected character"))).to_be_visible()
    assert sideways_scroll(page) <= 0, f"the page scrolls sideways by {sideways_scroll(page)} px"
