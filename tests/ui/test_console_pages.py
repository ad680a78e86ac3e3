"""The console pages no other UI test or scenario clicks: Okta's Dashboard, Groups, Security >
API (a token shown once), System Log; cybozu.com's Licenses."""

from __future__ import annotations

import httpx2
import pytest
from playwright.sync_api import Page, expect

import okta_sim.app
from lab.drivers.consoles import okta_menu
from lab.server import ServerThread
from okta_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from tests.ui.test_step1 import sign_in as cybozu_sign_in

pytestmark = pytest.mark.ui


def test_okta_dashboard_groups_api_tokens_and_system_log(page: Page) -> None:
    with ServerThread(okta_sim.app.create_app({"SEED_DEMO": True})) as okta:
        page.goto(f"{okta.url}/admin/")
        page.get_by_label("Username").fill(ADMIN_LOGIN)
        page.get_by_label("Password").fill(DEFAULT_ADMIN_PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        okta_menu(page, "Groups")
        expect(page.get_by_role("table", name="Groups")).to_contain_text("cybozu users")
        okta_menu(page, "API")
        page.get_by_label("Token name").fill("scenario runner")
        page.get_by_role("button", name="Create Token").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text("Copy this token now. It will not be shown again.")).to_be_visible()
        token = dialog.get_by_label("Token value of scenario runner").input_value()
        answer = httpx2.get(f"{okta.url}/api/v1/users", headers={"Authorization": f"SSWS {token}"})
        assert answer.status_code == 200
        dialog.get_by_role("link", name="OK, got it").click()
        assert token not in page.content()  # shown once
        expect(page.get_by_role("button", name="Revoke scenario runner")).to_be_visible()
        okta_menu(page, "System Log")
        expect(page.get_by_role("heading", name="System Log")).to_be_visible()
        expect(page.get_by_role("table", name="Events")).to_contain_text("Create Okta group cybozu users")


def test_cybozu_licenses_page(page: Page, cybozu) -> None:
    cybozu_sign_in(page, cybozu.url, "Administrator", "cybozu-lab-admin")
    page.get_by_role("link", name="cybozu.com Administration").click()
    page.get_by_role("navigation", name="cybozu.com Administration").get_by_role(
        "link", name="Licenses"
    ).click()
    table = page.get_by_role("table", name="Service licenses")
    expect(table).to_contain_text("kintone")
    expect(table).to_contain_text("Garoon")
