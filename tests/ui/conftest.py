"""Playwright in a real Chromium, never downloaded at test time (see lab/browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Playwright

import cybozu_sim.app
from lab.browser import LAUNCH_ARGS, browser_available, find_browser
from lab.drivers.consoles import shared_playwright
from lab.server import ServerThread

if not browser_available():  # `make test` installs one; a bare `pytest` run says what is missing
    pytest.exit("No Chromium for Playwright: run `make browser` (or apt-get install chromium).", returncode=3)


@pytest.fixture(scope="session")
def playwright() -> Playwright:
    """pytest-playwright's fixture, on the Playwright the UI driver keeps for its scenarios: two
    in one process refuse each other."""
    return shared_playwright()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = find_browser()
    args = {**browser_type_launch_args, "args": LAUNCH_ARGS, "headless": True}
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture
def cybozu() -> Iterator[ServerThread]:
    app = cybozu_sim.app.create_app({"SEED_DEMO": True})
    with ServerThread(app) as server:
        server.app = app  # type: ignore[attr-defined]
        yield server
