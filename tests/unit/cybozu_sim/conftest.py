"""What cybozu_sim's unit tests share: a signed-in administrator's browser on the console."""

from __future__ import annotations

import html
import re

import pytest

from cybozu_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from tests.conftest import Lab


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Console:
    def __init__(self, app, subdomain: str = "acme") -> None:
        self.client = app.test_client()
        self.sub = subdomain

    def get(self, path: str, **kw):
        return self.client.get(f"/{self.sub}{path}", **kw)

    def post(self, path: str, data: dict, form_page: str | None = None, **kw):
        page = self.get(form_page or path).get_data(as_text=True)
        return self.client.post(f"/{self.sub}{path}", data={"csrf_token": csrf(page), **data}, **kw)

    def login(self, login: str = ADMIN_LOGIN, password: str = DEFAULT_ADMIN_PASSWORD):
        return self.post("/login", {"login": login, "password": password})


@pytest.fixture
def console(app, lab: Lab) -> Console:
    lab.tenant("acme", licenses={"kintone": 2, "garoon": 5}, propagate=False)
    b = Console(app)
    assert b.login().status_code == 302
    return b


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
