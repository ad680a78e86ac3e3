"""The cybozu.com Store's Security & Authentication tab, where IP address restrictions and Basic
authentication are set: reached from Access Control's [Configure Now] or the Store's own login,
and outside the domain's restriction, so a locked-out administrator can undo it."""

from __future__ import annotations

import io

import pytest

from cybozu_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from tests.conftest import Lab
from tests.unit.cybozu_sim.conftest import Console, csrf, text

SECURITY = "/store/domains/acme/security"
IP_FORM = SECURITY + "/ip-restrictions"


class Store:
    """A browser on the Store (a test client that shares the console's cookies)."""

    def __init__(self, console: Console) -> None:
        self.client = console.client

    def post(self, path: str, data: dict, **kw):
        page = self.client.get(path).get_data(as_text=True)
        return self.client.post(path, data={"csrf_token": csrf(page), **data}, **kw)


@pytest.fixture
def store(console: Console) -> Store:
    done = console.post("/admin/access-control/configure", {}, form_page="/admin/access-control")
    assert done.status_code == 302 and done.headers["Location"] == SECURITY
    return Store(console)


def test_access_control_sends_the_administrator_to_the_store(console: Console) -> None:
    page = text(console.get("/admin/access-control"))
    assert "Your current IP address: <strong>127.0.0.1</strong>" in page and "Configure Now" in page
    assert console.client.get(SECURITY).headers["Location"].startswith("/store/login?domain=acme")


def test_the_store_signs_in_administrators_only(app, console: Console, lab: Lab) -> None:
    lab.call("POST", "/tenants/acme/users", {"login": "sato", "display": "Sato", "password": "pw-12345"}, expect=201)
    browser = app.test_client()
    page = browser.get("/store/login?domain=acme").get_data(as_text=True)
    for login, password in (("sato", "pw-12345"), (ADMIN_LOGIN, "wrong")):
        refused = browser.post("/store/login?domain=acme", data={"csrf_token": csrf(page), "domain": "acme",
                                                                 "login": login, "password": password})
        assert "is not an administrator" in text(refused)
    signed = browser.post(f"/store/login?domain=acme&next={IP_FORM}", data={
        "csrf_token": csrf(page), "domain": "acme", "login": ADMIN_LOGIN, "password": DEFAULT_ADMIN_PASSWORD})
    assert signed.headers["Location"] == IP_FORM


def test_saving_modes_and_rows(store: Store, lab: Lab) -> None:
    page = text(store.client.get(IP_FORM))
    for label in ("Allow all", "Deny all", "Allow specific IP addresses", "IP Address 5", "CIDR 5", "Memo 5"):
        assert label in page
    form = {"mode": "allow_specific", "action": "save", "ip": ["127.0.0.1", "", "198.51.100.0"],
            "cidr": ["", "", "24"], "memo": ["My PC", "", "Osaka office"]}
    done = store.post(IP_FORM, form, follow_redirects=True)
    assert "The IP address restrictions were saved." in text(done) and "2 IP address(es)" in text(done)
    assert lab.call("GET", "/tenants/acme")["ip_restriction"]["entries"][1] == {
        "ip": "198.51.100.0", "cidr": 24, "memo": "Osaka office"}
    again = text(store.client.get(IP_FORM))
    assert 'value="Osaka office"' in again and "IP Address 7" in again and "IP Address 8" not in again


def test_a_bad_row_is_named_and_the_form_keeps_what_was_typed(store: Store, lab: Lab) -> None:
    form = {"mode": "allow_specific", "action": "save", "ip": ["127.0.0.1", "10.0.0.300"], "cidr": ["", ""],
            "memo": ["", "typo"]}
    refused = text(store.post(IP_FORM, form))
    assert "Row 2: &#39;10.0.0.300&#39; is not an IP address." in refused or "Row 2: '10.0.0.300' is not an IP address." in refused
    assert 'value="10.0.0.300"' in refused
    assert lab.call("GET", "/tenants/acme")["ip_restriction"]["mode"] == "allow_all"


def test_add_rows_offers_five_more(store: Store) -> None:
    page = text(store.post(IP_FORM, {"mode": "allow_all", "action": "add_rows", "blank": "5",
                                     "ip": ["192.0.2.1"], "cidr": [""], "memo": [""]}))
    assert 'value="192.0.2.1"' in page and "IP Address 11" in page and "IP Address 12" not in page


def test_import_fills_the_form_and_save_applies_it(store: Store, lab: Lab) -> None:
    data = '"IP Address","CIDR","Memo"\r\n"127.0.0.1","","自席"\r\n"192.0.2.0","24",""\r\n'.encode("shift_jis")
    page = text(store.post(IP_FORM, {"mode": "allow_all", "action": "import", "file": (io.BytesIO(data), "ips.csv")},
                           content_type="multipart/form-data"))
    assert "2 IP address(es) were read from the file. Click Save to apply them." in page
    assert 'value="自席"' in page and 'value="allow_specific" checked' in page
    assert lab.call("GET", "/tenants/acme")["ip_restriction"]["mode"] == "allow_all"  # not saved yet
    bad = b'"IP Address","CIDR","Memo"\r\n"127.0.0.1","",""\r\n"nope","",""\r\n'
    refused = text(store.post(IP_FORM, {"mode": "allow_all", "action": "import", "file": (io.BytesIO(bad), "b.csv")},
                              content_type="multipart/form-data"))
    assert "Line 3: &#39;nope&#39; is not an IP address." in refused or "Line 3: 'nope' is not an IP address." in refused


def test_export_is_the_import_format(store: Store, lab: Lab) -> None:
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": [
        {"ip": "127.0.0.1", "memo": "東京"}, "10.0.0.0/8"]}, expect=200)
    exported = store.client.get(SECURITY + "/ip-restrictions.csv")
    assert exported.headers["Content-Disposition"] == 'attachment; filename="acme-ip-addresses.csv"'
    assert exported.data == '"IP Address","CIDR","Memo"\r\n"127.0.0.1","","東京"\r\n"10.0.0.0","8",""\r\n'.encode("cp932")


def test_a_locked_out_domain_is_undone_in_the_store(store: Store, console: Console) -> None:
    store.post(IP_FORM, {"mode": "deny_all", "action": "save", "ip": [""], "cidr": [""], "memo": [""]})
    assert console.get("/admin/").status_code == 403  # the console is behind the restriction
    assert "Deny all" in text(store.client.get(SECURITY))  # the Store is not
    store.post(IP_FORM, {"mode": "allow_all", "action": "save", "ip": [""], "cidr": [""], "memo": [""]})
    assert console.get("/admin/").status_code == 200


def test_basic_authentication_form(store: Store, lab: Lab) -> None:
    refused = text(store.post(SECURITY + "/basic-authentication", {"enabled": "on", "user": "staff", "password": "pw"}))
    assert "only together with IP address restrictions" in refused
    lab.call("PUT", "/tenants/acme/ip-restriction", {"mode": "allow_specific", "entries": ["127.0.0.1"]}, expect=200)
    done = store.post(SECURITY + "/basic-authentication", {"enabled": "on", "user": "staff", "password": "pw"},
                      follow_redirects=True)
    assert "The Basic authentication settings were saved." in text(done) and "Enabled (user name: staff)" in text(done)
    # A blank password keeps the one saved.
    store.post(SECURITY + "/basic-authentication", {"enabled": "on", "user": "team", "password": ""})
    assert lab.call("GET", "/tenants/acme")["basic_auth"] == {"enabled": True, "user": "team"}


def test_store_is_a_reserved_subdomain(lab: Lab) -> None:
    assert "reserved" in lab.call("POST", "/tenants", {"subdomain": "store"}, expect=400)["error"]


def test_a_bad_rows_number_is_its_row_on_the_form_shown_again(store: Store) -> None:
    form = {"mode": "allow_specific", "action": "save", "ip": ["127.0.0.1", "", "nope", ""],
            "cidr": ["", "", "", ""], "memo": ["", "", "", ""]}
    refused = text(store.post(IP_FORM, form))
    assert "Row 3: &#39;nope&#39; is not an IP address." in refused or "Row 3: 'nope' is not an IP address." in refused
    assert 'value="nope" aria-label="IP Address 3"' in refused  # the blank row 2 kept its place
