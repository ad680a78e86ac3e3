"""cybozu.com Administration as an admin meets it (issue 15): its menu, its forms with labels
above full-width fields, a confirmation after every [Save], and tables that fit a 1366 px
screen, measured in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cybozu_sim import tokens, users
from cybozu_sim.backend import get_backend
from cybozu_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from tests.ui import screenshots
from tests.ui.layout import LAPTOP, label_above_full_width, sideways_scroll
from tests.ui.test_step1 import sign_in

pytestmark = pytest.mark.ui

LONG = "kazuhiro.watanabe-yamaguchi.sales-planning-department"


def test_every_administration_page_fits_a_1366_pixel_screen(page: Page, cybozu) -> None:
    backend = get_backend(cybozu.app)
    for n in range(3):  # the longest values cybozu.com users are likely to have
        users.add_user(
            backend, "example", login=f"{LONG}{n}@example.co.jp", display=f"Watanabe-Yamaguchi Kazuhiro {n}",
            surname="Watanabe-Yamaguchi", given="Kazuhiro", email=f"{LONG}{n}@example.co.jp",
            services=["kintone", "garoon"],
        )
    tokens.create_token(backend, "example", notes="Okta provisioning for the whole company", validity="1 year")
    page.set_viewport_size(LAPTOP)
    sign_in(page, cybozu.url, ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD)
    page.get_by_role("link", name="cybozu.com Administration").click()
    menu = page.get_by_role("navigation", name="cybozu.com Administration")
    for label, screenshot in [
        ("Departments & Users", "cybozu-users"),
        ("Licenses", None),
        ("Provisioning", "cybozu-provisioning"),
        ("Access Control", None),
    ]:
        menu.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", name=label, level=1)).to_be_visible()
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_attribute("aria-current", "page")
        assert sideways_scroll(page) <= 0, f"{label} scrolls sideways by {sideways_scroll(page)} px"
        if screenshot:
            screenshots.save(page, screenshot)


def test_forms_put_labels_above_full_width_fields(page: Page, cybozu) -> None:
    sign_in(page, cybozu.url, ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD)
    page.goto(f"{cybozu.url}/example/admin/users")
    form = page.get_by_role("region", name="Add user").locator("form")
    for label in ("Login name", "Display name", "Email address"):
        field = page.get_by_label(label, exact=True)
        label_above_full_width(form.locator("label").filter(has=field), field, form)
    page.goto(f"{cybozu.url}/example/admin/provisioning/tokens/new")
    dialog = page.get_by_role("dialog", name="Create API Token")
    select = page.get_by_label("Expiration date")  # ``has`` is matched inside each label: page-level
    label_above_full_width(dialog.locator("label").filter(has=select), select, dialog.locator("form"))


def test_every_save_is_confirmed(page: Page, cybozu) -> None:
    """Each [Save] of the administration answers with a message saying what was saved."""
    sign_in(page, cybozu.url, ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD)
    page.goto(f"{cybozu.url}/example/admin/provisioning")
    propagate = page.get_by_role("group", name="Propagate Provisioning")
    for choice in ("Enabled", "Disabled"):
        propagate.get_by_label(choice).check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text(f'"Propagate Provisioning" is now {choice}.')
    page.goto(f"{cybozu.url}/example/admin/users")
    page.get_by_label("Edit sato").click()
    page.get_by_label("Display name").fill("Sato Hanako")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text('The user "sato" was saved.')
    expect(page.get_by_role("cell", name="Sato Hanako", exact=True)).to_be_visible()
