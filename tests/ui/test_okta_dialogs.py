"""The Okta console's dialogs and menus in Chromium, as a trainee meets them (issue 15).

What only a browser can show: a dialog over its page is modal (the page behind takes no
clicks) and Escape goes back; the picker's search box hides rows as one types; More Actions
opens before its buttons can be clicked and Deactivate asks first; the side menu's sections
open and close and stay as the admin left them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lab.drivers.consoles import okta_menu
from okta_sim.directory import reads
from okta_sim.provisioning import assignments
from tests.ui import screenshots
from tests.ui.test_okta_console import ALICE, Sandbox, open_app, sandbox, sign_in

__all__ = ["sandbox"]  # the fixture, shared with the STEP2 tests

pytestmark = pytest.mark.ui


def covered_by_dialog(page: Page, name: str) -> bool:
    """Whether a click at the centre of the tab ``name`` behind the dialog lands on the dialog
    (its backdrop) rather than on the tab."""
    box = page.get_by_role("tab", name=name).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return bool(page.evaluate(f"document.elementFromPoint({x}, {y}).closest('dialog') !== null"))


def test_a_confirmation_is_modal_and_escape_goes_back(page: Page, sandbox: Sandbox) -> None:
    app = sandbox.provisioned_app()
    alice = reads.get_user(sandbox.okta, ALICE)
    assignments.assign_user(sandbox.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    sign_in(page, sandbox)
    open_app(page)
    page.get_by_role("tab", name="Assignments").click()
    page.get_by_role("button", name="Unassign Alice Smith").click()
    dialog = page.get_by_role("dialog", name="Unassign Application")
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.matches(':modal')")
    assert covered_by_dialog(page, "General")
    screenshots.save(page, "okta-unassign")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/assignments\b"))
    expect(page.get_by_role("button", name="Unassign Alice Smith")).to_be_visible()
    assert sandbox.cybozu_user(ALICE)["status"] == "Active"  # going back unassigned nobody


def test_the_picker_search_hides_rows_as_one_types(page: Page, sandbox: Sandbox) -> None:
    sandbox.provisioned_app()
    sign_in(page, sandbox)
    open_app(page)
    page.get_by_role("tab", name="Assignments").click()
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_role("link", name="Assign to People").click()
    picker = page.get_by_role("dialog", name="Assign Cybozu (cybozu.com) to People")
    rows = picker.locator("tbody tr")
    expect(rows.filter(visible=True)).to_have_count(4)
    picker.get_by_role("searchbox").press_sequentially("jon")
    expect(rows.filter(visible=True)).to_have_count(1)
    expect(rows.filter(visible=True)).to_contain_text("Bob Jones")
    # Enter asks the server, which lists the same row (and keeps what was typed).
    picker.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=jon\b"))
    expect(rows).to_have_count(1)
    expect(picker.get_by_role("searchbox")).to_have_value("jon")
    # Escape leaves the picker for the Assignments tab, as Done does (in the search box, Chromium's
    # first Escape clears the box instead, as in any search field: so from the dialog's heading).
    picker.get_by_role("heading").click()
    page.keyboard.press("Escape")
    expect(picker).to_have_count(0)
    expect(page.get_by_role("table", name="People")).to_be_visible()


def test_more_actions_deactivate_asks_first(page: Page, sandbox: Sandbox) -> None:
    app = sandbox.provisioned_app()
    alice = reads.get_user(sandbox.okta, ALICE)
    assignments.assign_user(sandbox.okta, app["id"], alice["id"], profile={"kintone": "Enable"})
    sign_in(page, sandbox)
    page.goto(f"{sandbox.okta_url}/admin/people/{alice['id']}")
    deactivate = page.get_by_role("button", name="Deactivate", exact=True)
    expect(deactivate).to_be_hidden()  # under More Actions, closed
    page.get_by_text("More Actions", exact=True).click()
    screenshots.save(page, "okta-person")
    deactivate.click()
    dialog = page.get_by_role("dialog", name="Deactivate Person")
    expect(dialog).to_contain_text("Are you sure you want to deactivate Alice Smith")
    dialog.get_by_role("link", name="Cancel").click()
    expect(page.get_by_text("Status: Active")).to_be_visible()
    assert sandbox.cybozu_user(ALICE)["status"] == "Active"
    page.get_by_text("More Actions", exact=True).click()
    deactivate.click()
    dialog.get_by_role("button", name="Deactivate", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Alice Smith was deactivated.")
    expect(page.get_by_text("Status: Deactivated")).to_be_visible()
    assert sandbox.cybozu_user(ALICE)["status"] == "Inactive"


def test_the_side_menu_sections_open_close_and_stay(page: Page, sandbox: Sandbox) -> None:
    sign_in(page, sandbox)
    menu = page.get_by_role("navigation", name="Admin menu")
    people = menu.get_by_role("link", name="People", exact=True)
    expect(people).to_be_hidden()  # Directory is closed on the Dashboard
    expect(menu.get_by_role("link", name="Dashboard", exact=True)).to_have_attribute("aria-current", "page")
    menu.get_by_text("Directory", exact=True).click()
    expect(people).to_be_visible()
    okta_menu(page, "System Log")  # opens Reports, and Directory stays open as it was left
    expect(page.get_by_role("heading", name="System Log")).to_be_visible()
    expect(people).to_be_visible()
    expect(menu.get_by_role("link", name="Applications", exact=True)).to_be_hidden()
    people.click()
    expect(people).to_have_attribute("aria-current", "page")
    menu.get_by_text("Directory", exact=True).click()  # closing the current section is allowed
    expect(people).to_be_hidden()
