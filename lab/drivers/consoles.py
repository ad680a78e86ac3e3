"""The two consoles in one Chromium page (Playwright): signing in as each one's administrator,
finding the pages the article names, and reading what a page answers.

What a page learns from the lab's state (which tenant, which app, a person's id) it asks
the client, as the UI driver's verbs do.
"""

from __future__ import annotations

import atexit
import re
import threading
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright

from cybozu_sim.public import ADMIN_LOGIN as CYBOZU_ADMIN
from cybozu_sim.public import DEFAULT_ADMIN_PASSWORD as CYBOZU_PASSWORD
from lab import browser as browsers
from lab.browser import LAUNCH_ARGS, NO_BROWSER, BrowserMissing
from lab.drivers.client import ActionError, LabClient
from lab.drivers.protocol import Result
from okta_sim.public import ADMIN_LOGIN as OKTA_ADMIN
from okta_sim.public import DEFAULT_ADMIN_PASSWORD as OKTA_PASSWORD
from okta_sim.public import attribute_label, menu_section_of

TIMEOUT_MS = 20_000
NAVIGATION_TIMEOUT_MS = 300_000


def okta_menu(page: Page, label: str) -> None:
    """Click ``label`` in Okta's side menu, opening its section first if it is closed (a link
    in a closed section is hidden, as in Okta). The UI tests use it as the driver does."""
    menu = page.get_by_role("navigation", name="Admin menu")
    section = menu.locator(f'details[data-section="{menu_section_of(label)}"]')
    link = section.get_by_role("link", name=re.compile(rf"^{re.escape(label)}\b"))  # Tasks has a count
    if not link.is_visible():
        section.locator("summary").click()
    link.click()


class Chromium:
    """A Playwright and the Chromium it launched. The main thread keeps one for every scenario it
    replays (``launched_browser()``); another thread (a trainer's run) gets its own, closed with its
    scenario: Playwright's sync API belongs to the thread that started it."""

    def __init__(self, *, kept: bool = False) -> None:
        """``kept``: the Playwright outlives a failed launch (the next one reuses it)."""
        self.kept = kept
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.executable: str | None = None

    def ready(self) -> Browser:
        """The browser, launched if there is none, it went away, or another executable is found."""
        # Looked up at each scenario, so the CLI's check and this one always agree on the browser.
        executable = browsers.find_browser()
        if executable is None:
            raise BrowserMissing(NO_BROWSER)
        if self.browser is not None and self.browser.is_connected() and self.executable == executable:
            return self.browser
        self.close_browser()
        try:
            self.browser = self.started().chromium.launch(
                headless=True, args=LAUNCH_ARGS, executable_path=executable
            )
        except Exception:
            # A second Playwright started in this thread would fail ("Sync API inside the asyncio
            # loop", issue 17): the kept one is reused by the next launch, another one is stopped.
            if not self.kept:
                self.stop()
            raise
        self.executable = executable
        return self.browser

    def started(self) -> Playwright:
        if self.playwright is None:
            self.playwright = sync_playwright().start()
        return self.playwright

    def close_browser(self) -> None:
        browser, self.browser, self.executable = self.browser, None, None
        if browser is not None:
            try:
                browser.close()
            except Exception:  # noqa: BLE001 - a crashed browser is gone already
                pass

    def stop(self) -> None:
        self.close_browser()
        playwright, self.playwright = self.playwright, None
        if playwright is not None:
            playwright.stop()


_MAIN = Chromium(kept=True)
atexit.register(_MAIN.stop)


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def launched_browser() -> Browser:
    """The main thread's Chromium, launched at its first UI scenario and kept for the next ones (a
    launch with Playwright's driver costs about 0.65 s); each scenario still gets a context of its
    own, so no cookie or page outlives it."""
    return _MAIN.ready()


def shared_playwright() -> Playwright:
    """The main thread's Playwright (pytest-playwright's fixtures use it too: two in one thread
    refuse each other)."""
    return _MAIN.started()


class Consoles:
    """A browser on the lab's two consoles, for one driver."""

    def __init__(self, client: LabClient, *, trace: bool = False) -> None:
        self.client = client
        self.urls = client.endpoints.urls
        self.trace = trace
        self.chromium = _MAIN if on_main_thread() else Chromium()
        self.browser = self.chromium.ready()
        self.context = self.browser.new_context()
        self.context.set_default_timeout(TIMEOUT_MS)
        # A bulk assignment answers only when every push is done.
        self.context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        # A trace records every field filled and every page's DOM: against an external target that
        # would be its API token, so a failing step keeps only its screenshot (the field is masked).
        self.keep_trace = trace and client.external is None
        if self.keep_trace:  # a trace costs time: only when the failing step's artifacts are kept
            self.context.tracing.start(screenshots=True, snapshots=True)
        self.page: Page = self.context.new_page()
        self.okta_signed_in = False
        self.cybozu_tenant: str | None = None
        self.reached: dict[tuple[str | None, ...], str] = {}  # see visit()

    def close(self) -> None:
        """The scenario's context goes (its cookies and pages with it); the main thread's browser
        stays for the next scenario, another thread's is stopped."""
        try:
            self.context.close()
        finally:
            if self.chromium is not _MAIN:
                self.chromium.stop()

    # -- failure artifacts ----------------------------------------------------------

    def begin_step(self) -> None:
        if self.keep_trace:
            self.context.tracing.start_chunk()

    def end_step(self, failed: bool, folder: Path | None) -> list[Path]:
        """Keep the screenshot and the Playwright trace of a failing step (``playwright show-trace``)."""
        if not self.trace:
            return []
        if not failed or folder is None:
            if self.keep_trace:
                self.context.tracing.stop_chunk()
            return []
        folder.mkdir(parents=True, exist_ok=True)
        screenshot, trace = folder / "screenshot.png", folder / "trace.zip"
        self.page.screenshot(path=str(screenshot), full_page=True)
        if not self.keep_trace:
            return [screenshot]
        self.context.tracing.stop_chunk(path=str(trace))
        return [screenshot, trace]

    # -- reading a page ---------------------------------------------------------------

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

    def checked(self, *, keep_message: bool = False) -> Result:
        """The page's outcome as a step's: an error message raises ActionError."""
        ok, message = self.outcome()
        if not ok:
            raise ActionError(message or "the console refused the action")
        return Result(message=message if keep_message else None)

    # -- finding a page ---------------------------------------------------------------

    def visit(self, page: tuple[str | None, ...], click_through: Callable[[], None], *, signed_in: bool) -> None:
        """Open ``page``: the scenario's first visit clicks its way there through the menus and
        links the article names (which must all be there); a later one opens the address that
        click reached, freshly loaded (one page load instead of three or four, as an admin's
        bookmark would). Signing in again always goes the whole way."""
        address = self.reached.get(page) if signed_in else None
        if address is not None:
            self.page.goto(address)
            return
        click_through()
        self.reached[page] = self.page.url

    # -- cybozu.com console -------------------------------------------------------------

    def cybozu_admin(self, tenant: str | None, section: str) -> str:
        """Sign in to the tenant (as its administrator) and open a [cybozu.com Administration] section."""
        subdomain = self.client.tenant(tenant)
        base = f"{self.urls['cybozu']}/{subdomain}"

        def click_through() -> None:
            if self.cybozu_tenant != subdomain:
                self.page.goto(f"{base}/login")
                self.page.get_by_label("Login name").fill(CYBOZU_ADMIN)
                self.page.get_by_label("Password").fill(self.client.cybozu_password or CYBOZU_PASSWORD)
                self.page.get_by_role("button", name="Login").click()
                self.cybozu_tenant = subdomain
            else:
                self.page.goto(f"{base}/")
            self.page.get_by_role("link", name="cybozu.com Administration").click()
            self.page.get_by_role("navigation", name="cybozu.com Administration").get_by_role(
                "link", name=section, exact=True
            ).click()

        self.visit(("cybozu", subdomain, section), click_through, signed_in=self.cybozu_tenant == subdomain)
        return subdomain

    def cybozu_store(self, tenant: str | None) -> str:
        """Open the domain's "Security & Authentication" tab in the cybozu.com Store, signing in
        there if asked (the Store is outside the domain's IP address restrictions)."""
        subdomain = self.client.tenant(tenant)
        self.page.goto(f"{self.urls['cybozu']}/store/domains/{subdomain}/security")
        if self.page.get_by_role("button", name="Log in").count():
            self.page.get_by_label("Login name").fill(CYBOZU_ADMIN)
            self.page.get_by_label("Password").fill(self.client.cybozu_password or CYBOZU_PASSWORD)
            self.page.get_by_role("button", name="Log in").click()
        return subdomain

    def token_row(self, tenant: str | None, token_id: str) -> Locator:
        subdomain = self.cybozu_admin(tenant, "Provisioning")
        rows = self.page.get_by_role("table", name="API tokens").locator("tbody tr")
        return rows.nth(self.client.token_position(subdomain, token_id))

    # -- Okta console -----------------------------------------------------------------

    def okta_go(self, path: str = "/admin/") -> None:
        self.page.goto(self.urls["okta"] + path)
        if not self.okta_signed_in:
            self.page.get_by_label("Username").fill(OKTA_ADMIN)
            self.page.get_by_label("Password").fill(self.client.okta_password or OKTA_PASSWORD)
            self.page.get_by_role("button", name="Sign In").click()
            self.okta_signed_in = True
            self.page.goto(self.urls["okta"] + path)

    def applications(self) -> None:
        """[Applications] in the admin menu."""

        def click_through() -> None:
            self.okta_go()
            okta_menu(self.page, "Applications")

        self.visit(("okta", "Applications"), click_through, signed_in=self.okta_signed_in)

    def okta_app_page(self, app: str | None, tab: str | None = None) -> str:
        """[Applications] > the app > a tab. Several apps may share a label: the id picks the row."""
        app_id = self.client.app(app)

        def click_through() -> None:
            self.applications()
            self.page.locator(f'main a[href*="/admin/apps/{app_id}/"]').first.click()
            if tab:
                self.page.get_by_role("tab", name=tab).click()

        self.visit(("okta app", app_id, tab), click_through, signed_in=self.okta_signed_in)
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
        app_id = self.client.app(app)

        def click_through() -> None:
            self.okta_app_page(app, "Provisioning")
            self.page.get_by_role("navigation", name="Settings").get_by_role("link", name="To App").click()

        self.visit(("to app", app_id), click_through, signed_in=self.okta_signed_in)
        return app_id

    def assignment_form(self, user_name: str | None, services: dict[str, str] | None) -> Result:
        """The form behind [Assign], in its dialog: User Name and the services, then [Save and Go Back]."""
        dialog = self.page.get_by_role("dialog")
        field = dialog.get_by_label("User Name")
        if user_name is not None and user_name != field.input_value():
            field.fill(user_name)
        for name, value in (services or {}).items():
            select = dialog.get_by_label(attribute_label(name), exact=True)
            if not self.present(select):
                raise ActionError(
                    f"Property name '{name}' is not defined in the app user profile: "
                    f"the assignment form has no {attribute_label(name)}"
                )
            select.select_option("" if value is None else value)  # "" is "(not set)"
        # A group's assignment answers once every member's push is done.
        dialog.get_by_role("button", name="Save and Go Back").click(timeout=NAVIGATION_TIMEOUT_MS)
        ok, message = self.outcome()
        if not ok and self.present(self.page.get_by_role("button", name="Save and Go Back")):
            raise ActionError(message or "the assignment was refused")
        return Result(ok=ok, message=None if ok else message)

    def pushed(self, app_id: str, user: str, saved: Result) -> Result:
        """The outcome of a saved assignment once its push has run: Okta pushes in the
        background, and [Assignments] shows a failed push's error on the person's row."""
        if not saved.ok:
            return saved
        self.client.settle()
        self.okta_go(f"/admin/apps/{app_id}/assignments")
        self.page.get_by_role("navigation", name="Filters").get_by_role("link", name="People").click()
        row = self.page.get_by_role("row").filter(
            has=self.page.get_by_role("cell", name=self.person_name(user), exact=True)
        )
        warning = row.locator(".warning")
        if self.present(warning):
            return Result(ok=False, message=" ".join(warning.first.inner_text().split()))
        return Result()

    def open_assignment(self, app: str | None, kind: str, cell: str, missing: str, path: str) -> str:
        """[Assign] > [Assign to People|Groups] > the row's [Assign] in the dialog; when the row says
        Assigned (a person through a group, a group again), the existing assignment's form instead."""
        app_id = self.okta_app_page(app, "Assignments")
        self.page.get_by_role("button", name="Assign", exact=True).click()
        self.page.get_by_role("link", name=f"Assign to {kind}").click()
        dialog = self.page.get_by_role("dialog", name=re.compile(f" to {kind}$"))
        dialog.get_by_role("searchbox").fill(cell)  # as an admin finds a row: the search box
        # ``has`` is matched inside each row: a page-level locator, not one scoped to the dialog again
        row = dialog.get_by_role("row").filter(has=self.page.get_by_role("cell", name=cell, exact=True))
        if not self.present(row):
            raise ActionError(missing)
        button = row.get_by_role("button", name=re.compile("^Assign "))
        if self.present(button):
            button.click()
        else:
            self.existing_assignment(app_id, kind, path)
        return app_id

    def existing_assignment(self, app_id: str, kind: str, path: str) -> None:
        """[Assignments] > [People|Groups] > the row's pencil: the form of an existing assignment."""
        self.okta_go(f"/admin/apps/{app_id}/assignments")
        self.page.get_by_role("navigation", name="Filters").get_by_role("link", name=kind).click()
        self.page.locator(f'main a[href$="{path}"]').first.click()

    def person_page(self, user: str) -> str:
        user_id = self.client.user_id(user)
        self.okta_go(f"/admin/people/{user_id}")
        return user_id

    def group_page(self, group: str) -> None:
        self.okta_go(f"/admin/groups/{self.client.group_id(group)}")

    def person_name(self, user: str) -> str:
        """A person as the console lists them: the display name, else first and last name."""
        profile = self.client.okta("GET", f"/users/{self.client.user_id(user)}")["profile"]
        return str(profile.get("displayName") or f"{profile['firstName']} {profile['lastName']}")
