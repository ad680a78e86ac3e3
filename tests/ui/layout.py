"""What a page's layout must hold on a real screen, measured in Chromium."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

LAPTOP = {"width": 1366, "height": 768}  # the narrowest screen an admin is likely to use


def sideways_scroll(page: Page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the window)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def label_above_full_width(label: Locator, field: Locator, form: Locator) -> None:
    """The label's text sits above its field, and the field is as wide as its form (within the
    form's padding), as cybozu.com lays out its forms."""
    text, box, outer = label.bounding_box(), field.bounding_box(), form.bounding_box()
    assert text and box and outer
    assert box["y"] >= text["y"] + 10, f"the field at y={box['y']} is beside its label at y={text['y']}"
    assert box["width"] >= outer["width"] - 40, f"the field is {box['width']} px in a {outer['width']} px form"
