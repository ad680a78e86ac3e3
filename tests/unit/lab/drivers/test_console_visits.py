"""A page's first visit in a scenario clicks through the menus; later ones open where it led."""

from __future__ import annotations

from types import SimpleNamespace

from lab.drivers.consoles import Consoles


class Page:
    def __init__(self) -> None:
        self.url = "about:blank"
        self.opened: list[str] = []

    def goto(self, url: str) -> None:
        self.opened.append(url)
        self.url = url


def test_a_later_visit_opens_the_address_the_click_reached_and_signing_in_again_clicks_again() -> None:
    page = Page()
    consoles = SimpleNamespace(page=page, reached={})
    clicks: list[str] = []

    def click_through() -> None:
        clicks.append("menus")
        page.url = "http://okta/admin/apps/0oa1/provisioning"

    key = ("okta app", "0oa1", "Provisioning")
    Consoles.visit(consoles, key, click_through, signed_in=False)  # type: ignore[arg-type]
    Consoles.visit(consoles, key, click_through, signed_in=True)  # type: ignore[arg-type]
    assert clicks == ["menus"] and page.opened == ["http://okta/admin/apps/0oa1/provisioning"]
    Consoles.visit(consoles, key, click_through, signed_in=False)  # type: ignore[arg-type]
    assert clicks == ["menus", "menus"]
    Consoles.visit(consoles, ("okta app", "0oa1", "Assignments"), click_through, signed_in=True)  # type: ignore[arg-type]
    assert clicks == ["menus", "menus", "menus"]  # another tab is a page of its own
