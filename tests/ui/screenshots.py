"""Screenshots for the README, taken by the UI tests themselves.

Written only when ``LAB_UPDATE_SCREENSHOTS=1`` (so a normal test run leaves the
tree clean): ``LAB_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/ui``.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.ui.layout import LAPTOP

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def save(page: Page, name: str) -> None:
    if os.environ.get("LAB_UPDATE_SCREENSHOTS") == "1":
        FOLDER.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size(LAPTOP)  # as a trainee's laptop shows it
        page.screenshot(path=str(FOLDER / f"{name}.png"))
