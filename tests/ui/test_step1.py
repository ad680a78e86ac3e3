"""STEP1 of the article, clicked through the cybozu.com console in Chromium."""

from __future__ import annotations

import re

import httpx2
import pytest
from playwright.sync_api import Page, expect

from cybozu_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD, DEFAULT_USER_PASSWORD, DEMO_USER_LOGIN
from tests.ui import screenshots

pytestmark = pytest.mark.ui


def sign_in(page: Page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/example/")
    page.get_by_label("Login name").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()


def test_step1_set_up_for_cybozu_com(page: Page, cybozu) -> None:
    base = cybozu.url
    # 1-2. Access the environment and log in as a Users & System Administrators user.
    sign_in(page, base, ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD)
    # 3. [cybozu.com Administration]  4. [Provisioning]
    page.get_by_role("link", name="cybozu.com Administration").click()
    expect(page.get_by_role("heading", name="cybozu.com Administration", level=1)).to_be_visible()
    page.get_by_role("navigation", name="cybozu.com Administration").get_by_role(
        "link", name="Provisioning"
    ).click()
    expect(page.get_by_role("heading", name="Provisioning", exact=True)).to_be_visible()
    # 5. "Create API Token"
    page.get_by_role("link", name="Create API Token").click()
    # 6. "Expiration date" and "Enter notes for this API token.", then [Create]
    page.get_by_label("Expiration date").select_option("1 year")  # a validity period, not a free date
    page.get_by_label("Enter notes for this API token.").fill("Okta provisioning")
    page.get_by_role("button", name="Create").click()
    # 7. Note down the API Token and the SCIM Endpoint.
    dialog = page.get_by_role("dialog")
    expect(
        dialog.get_by_text("There is no way to recheck the value of the API token after closing the dialog.")
    ).to_be_visible()
    screenshots.save(page, "cybozu-api-token")
    token = dialog.get_by_label("API Token").input_value()
    endpoint = dialog.get_by_label("SCIM Endpoint").input_value()
    assert re.fullmatch(r"[A-Za-z0-9]{40}", token)
    assert endpoint == f"{base}/example/scim/v2"
    # 8. [Close]: the value is gone for good.
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", name="Provisioning", exact=True)).to_be_visible()
    assert token not in page.content()
    expect(page.get_by_role("row").filter(has_text="Okta provisioning")).to_contain_text("Enabled")
    # 9. "Propagate Provisioning": "Enabled"
    page.get_by_role("group", name="Propagate Provisioning").get_by_label("Enabled").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text('"Propagate Provisioning" is now Enabled.')

    # The noted token and endpoint are what an IdP needs.
    answer = httpx2.get(
        f"{endpoint}/Users",
        params={"startIndex": 1, "count": 2},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200 and answer.json()["totalResults"] == 2


def test_a_user_without_permission_sees_no_administration(page: Page, cybozu) -> None:
    sign_in(page, cybozu.url, DEMO_USER_LOGIN, DEFAULT_USER_PASSWORD)
    expect(page.get_by_role("heading", name="Example Corp.")).to_be_visible()
    expect(page.get_by_role("link", name="cybozu.com Administration")).to_have_count(0)
    page.goto(f"{cybozu.url}/example/admin/provisioning")
    expect(page.get_by_role("heading", name="No privilege to proceed.")).to_be_visible()


def test_delete_a_user_with_confirmation(page: Page, cybozu) -> None:
    sign_in(page, cybozu.url, ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD)
    page.goto(f"{cybozu.url}/example/admin/users")
    page.get_by_label("Delete sato").click()
    expect(page.get_by_role("heading", name='Delete user "sato"?')).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_have_text('The user "sato" was deleted.')
    expect(page.get_by_role("cell", name="sato", exact=True)).to_have_count(0)
