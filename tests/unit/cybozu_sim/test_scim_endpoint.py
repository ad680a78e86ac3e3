"""cybozu_sim's SCIM endpoint, in process: protocol, cybozu's rules, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CYBOZU, PATCH_OP, USER, Lab, Scim, okta_user

SCIM_JSON = "application/scim+json"


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == SCIM_JSON
    body = response.get_json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == str(status)
    return body


def find(scim: Scim, user_name: str) -> dict:
    response = scim(
        "GET", "/Users", query_string={"filter": f'userName eq "{user_name}"', "startIndex": 1, "count": 100}
    )
    assert response.status_code == 200
    return response.get_json()


# -- discovery ------------------------------------------------------------


def test_discovery_serves_users_only_with_the_cybozu_extension(scim: Scim) -> None:
    types = scim("GET", "/ResourceTypes").get_json()
    assert [t["id"] for t in types["Resources"]] == ["User"]
    schemas = {s["id"]: s for s in scim("GET", "/Schemas").get_json()["Resources"]}
    assert set(schemas) == {USER, CYBOZU}
    services = [a["name"] for a in schemas[CYBOZU]["attributes"]]
    assert services == ["kintone", "garoon", "office", "mailwise", "secure_access"]
    user_name = next(a for a in schemas[USER]["attributes"] if a["name"] == "userName")
    assert user_name["caseExact"] is True and user_name["mutability"] == "immutable"
    config = scim("GET", "/ServiceProviderConfig").get_json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 100}


def test_discovery_endpoints_refuse_writes(scim: Scim) -> None:
    error_of(scim("POST", "/Schemas", {}), 405)


def test_unknown_path_and_unknown_tenant_are_scim_404(scim: Scim, app) -> None:
    error_of(scim("GET", "/Groups"), 404)
    error_of(scim("GET", "/Users/nope"), 404)
    response = app.test_client().get("/nowhere/scim/v2/Users", headers={"Authorization": "Bearer x"})
    assert "no cybozu.com environment" in error_of(response, 404)["detail"]


# -- authentication --------------------------------------------------------


def test_requests_without_a_bearer_token_get_401(scim: Scim) -> None:
    response = scim.client.get(scim.base + "/Users")
    assert "Bearer" in error_of(response, 401)["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = scim.client.get(scim.base + "/Users", headers={"Authorization": "Basic abc"})
    error_of(response, 401)


def test_a_wrong_token_gets_401(scim: Scim) -> None:
    scim.token = "x" * 40
    assert error_of(scim("GET", "/Users"), 401)["detail"] == "The API token is invalid."


def test_a_token_of_another_tenant_gets_401(scim: Scim, lab: Lab) -> None:
    lab.tenant("other")
    scim.token = lab.token("other")
    error_of(scim("GET", "/Users"), 401)


def test_expired_and_disabled_tokens_get_401(scim: Scim, lab: Lab, clock) -> None:
    token_id = lab.call("GET", "/tenants/acme")["tokens"][0]["id"]
    lab.call("PUT", f"/tenants/acme/tokens/{token_id}", {"enabled": False}, expect=200)
    assert error_of(scim("GET", "/Users"), 401)["detail"] == "The API token is disabled."
    lab.call("PUT", f"/tenants/acme/tokens/{token_id}", {"enabled": True}, expect=200)
    assert scim("GET", "/Users").status_code == 200
    short = lab.call("POST", "/tenants/acme/tokens", {"expires": "2026-04-02"}, expect=201)
    scim.token = short["token"]
    assert scim("GET", "/Users").status_code == 200
    clock.advance(2 * 86400)  # past the end of 2026-04-02
    assert "expired on 2026-04-02" in error_of(scim("GET", "/Users"), 401)["detail"]


# -- Okta's requests ---------------------------------------------------------


def test_okta_create_then_lookup(scim: Scim) -> None:
    response = scim.create("alice@example.com")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.mimetype == SCIM_JSON
    created = response.get_json()
    assert created["userName"] == "alice@example.com"
    assert created[CYBOZU] == {"kintone": True}
    assert "password" not in created and "groups" not in created
    assert response.headers["Location"].endswith("/acme/scim/v2/Users/" + created["id"])
    found = find(scim, "alice@example.com")
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == created["id"]
    assert all(isinstance(found[k], int) for k in ("totalResults", "startIndex", "itemsPerPage"))


def test_login_names_are_case_sensitive(scim: Scim) -> None:
    scim.create("Alice")
    assert find(scim, "alice")["totalResults"] == 0
    assert scim.create("alice").status_code == 201


def test_test_api_credentials_request(scim: Scim) -> None:
    for n in range(3):
        scim.create(f"user{n}")
    page = scim("GET", "/Users", query_string={"startIndex": 1, "count": 2}).get_json()
    assert (
        page["totalResults"] == 4 and page["itemsPerPage"] == 2
    )  # and the Administrator and len(page["Resources"]) == 2


def test_duplicate_login_name_is_409(scim: Scim) -> None:
    scim.create("alice")
    body = error_of(scim.create("alice"), 409)
    assert body["scimType"] == "uniqueness"
    assert body["detail"] == 'The login name "alice" is already in use.'


def test_okta_deactivate_patch_without_path(scim: Scim, lab: Lab) -> None:
    user_id = scim.create("alice").get_json()["id"]
    patch = {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]}
    assert scim("PATCH", f"/Users/{user_id}", patch).status_code in (200, 204)
    assert scim("GET", f"/Users/{user_id}").get_json()["active"] is False
    assert next(u for u in lab.users("acme") if u["login"] == "alice")["status"] == "Inactive"


def test_okta_update_with_put(scim: Scim, lab: Lab) -> None:
    created = scim.create("alice").get_json()
    body = {**created, "displayName": "Alice L.", "name": {"familyName": "L.", "givenName": "Alice"}}
    body["emails"] = [{"primary": True, "value": "new@example.com", "type": "work"}]
    body[CYBOZU] = {"kintone": True, "garoon": True}
    response = scim("PUT", f"/Users/{created['id']}", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    user = next(u for u in lab.users("acme") if u["login"] == "alice")
    assert (user["display"], user["surname"], user["email"]) == ("Alice L.", "L.", "new@example.com")
    assert user["services"] == {"kintone": True, "garoon": True}


# -- login names cannot be updated -------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "replace", "path": "userName", "value": "bob"},
        {"op": "replace", "value": {"userName": "bob"}},
    ],
)
def test_patching_the_login_name_is_refused(scim: Scim, operation: dict) -> None:
    user_id = scim.create("alice").get_json()["id"]
    body = error_of(
        scim("PATCH", f"/Users/{user_id}", {"schemas": [PATCH_OP], "Operations": [operation]}), 400
    )
    assert body["scimType"] == "mutability"
    assert "Login names of synced users cannot be updated" in body["detail"]
    assert scim("GET", f"/Users/{user_id}").get_json()["userName"] == "alice"


def test_replacing_the_login_name_is_refused_and_nothing_changes(scim: Scim) -> None:
    created = scim.create("alice").get_json()
    body = {**created, "userName": "Alice", "displayName": "Changed"}
    detail = error_of(scim("PUT", f"/Users/{created['id']}", body), 400)["detail"]
    assert detail.startswith('Login names of synced users cannot be updated (login name "alice")')
    assert scim("GET", f"/Users/{created['id']}").get_json()["displayName"] == "Alice Liddell"


# -- cybozu's rules on fields ---------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "message"),
    [
        ("a" * 129, "at most 128"),
        (" alice", "start or end with a space"),
        ("alice\u3000", "start or end with a space"),
        ("ali/ce", "cannot contain /"),
        ('a"b:c', 'cannot contain " :'),
    ],
)
def test_login_name_rules(scim: Scim, user_name: str, message: str) -> None:
    body = error_of(scim.create(user_name), 400)
    assert body["scimType"] == "invalidValue" and message in body["detail"]


def test_field_lengths(scim: Scim) -> None:
    assert "display name" in error_of(scim.create("a", displayName="x" * 129), 400)["detail"]
    too_long = {"givenName": "x" * 65, "familyName": "y"}
    assert "given name" in error_of(scim.create("b", name=too_long), 400)["detail"]
    email = [{"value": "x" * 257, "primary": True}]
    assert "email address" in error_of(scim.create("c", emails=email), 400)["detail"]


def test_unlicensed_service_is_refused(app, lab: Lab) -> None:
    lab.tenant("small", licenses={"kintone": 5})
    scim = Scim(app.test_client(), "small", lab.token("small"))
    body = error_of(scim.create("alice", services={"kintone": True, "office": True}), 400)
    assert 'The service "Cybozu Office" (office) is not licensed' in body["detail"]
    assert scim.create("alice", services={"kintone": True}).status_code == 201


def test_disabling_an_unlicensed_service_is_accepted(app, lab: Lab) -> None:
    """Only enabling is refused: Okta's "Disable" for an unlicensed service, on create and on a
    change, is stored as off, so an admin can back out from the dropdown."""
    lab.tenant("small", licenses={"kintone": 5})
    scim = Scim(app.test_client(), "small", lab.token("small"))
    created = scim.create("bob", services={"kintone": True, "office": False})
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()[CYBOZU] == {"kintone": True, "office": False}
    user_id = created.get_json()["id"]
    off = scim("PATCH", f"/Users/{user_id}", {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {f"{CYBOZU}:garoon": False}}]})  # fmt: skip
    assert off.status_code == 204, off.get_data(as_text=True)  # cybozu answers a PATCH 204
    on = scim("PATCH", f"/Users/{user_id}", {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {f"{CYBOZU}:office": True}}]})  # fmt: skip
    assert 'The service "Cybozu Office" (office) is not licensed' in error_of(on, 400)["detail"]


def test_departments_titles_and_groups_cannot_be_synced(scim: Scim) -> None:
    body = error_of(scim.create("alice", title="Engineer"), 400)
    assert body["detail"].startswith("Departments, job titles and groups (roles) cannot be synced")
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    body = error_of(scim.create("bob", **{enterprise: {"department": "Sales"}}), 400)
    assert "cannot be synced" in body["detail"]
    # groups is read-only: Okta's "groups": [] (or any value) is ignored
    created = scim.create("carol", groups=[{"value": "g1", "display": "Sales"}]).get_json()
    assert "groups" not in created


def test_unknown_attribute_is_named(scim: Scim) -> None:
    detail = error_of(scim.create("alice", nickName="Al"), 400)["detail"]
    assert detail.startswith('Unknown attribute "nickName"')


def test_locale_is_accepted_but_neither_stored_nor_returned(scim: Scim, lab: Lab) -> None:
    """cybozu.com does not sync a user's language: Okta's locale is checked for its type, then dropped."""
    user_id = scim.create("alice", locale="ja-JP-x-lab").get_json()["id"]
    assert "locale" not in scim("GET", f"/Users/{user_id}").get_json()
    assert "ja-JP-x-lab" not in json.dumps(lab.call("GET", "/snapshot"))
    assert error_of(scim.create("bob", locale=5), 400)["detail"] == "Input should be a valid string: locale"


def test_password_is_never_returned_nor_stored_in_clear(scim: Scim, lab: Lab) -> None:
    user_id = scim.create("alice").get_json()["id"]
    assert "password" not in scim("GET", f"/Users/{user_id}").get_json()
    snapshot = json.dumps(lab.call("GET", "/snapshot"))
    assert "Okta-Random-1!" not in snapshot and "sha256$" in snapshot


# -- malformed requests ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "scim_type"),
    [
        (b"{bad json", "invalidSyntax"),
        (b"[]", "invalidSyntax"),
        (b"\xff\xfe", "invalidSyntax"),
        (json.dumps({"schemas": ["urn:x"], "userName": "a", "displayName": "x"}).encode(), "invalidSyntax"),
        (json.dumps({"schemas": [USER]}).encode(), "invalidValue"),  # no userName
        (json.dumps({"schemas": [USER], "userName": 5, "displayName": "x"}).encode(), "invalidValue"),
        (
            json.dumps({"schemas": [USER], "userName": "a", "displayName": "x", "active": "maybe"}).encode(),
            None,
        ),
        (
            json.dumps({"schemas": [USER], "userName": "a", "displayName": "x", "emails": "a@b"}).encode(),
            None,
        ),
    ],
)
def test_malformed_bodies_get_400_and_nothing_is_written(
    scim: Scim, data: bytes, scim_type: str | None
) -> None:
    before = scim("GET", "/Users").get_json()["totalResults"]
    response = scim("POST", "/Users", data=data, headers={"Content-Type": SCIM_JSON})
    body = error_of(response, 400)
    if scim_type:
        assert body["scimType"] == scim_type
    assert scim("GET", "/Users").get_json()["totalResults"] == before


def test_deeply_nested_body_is_400(scim: Scim) -> None:
    data = b'{"userName": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    error_of(scim("POST", "/Users", data=data, headers={"Content-Type": SCIM_JSON}), 400)


def test_body_over_the_limit_is_413(scim: Scim) -> None:
    data = json.dumps(okta_user("alice", displayName="x" * (1024 * 1024))).encode()
    error_of(scim("POST", "/Users", data=data, headers={"Content-Type": SCIM_JSON}), 413)


def test_non_json_body_is_415(scim: Scim) -> None:
    error_of(
        scim(
            "POST",
            "/Users",
            data=b"userName=alice",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        415,
    )


@pytest.mark.parametrize("flt", ["userName eq", 'userName xx "a"', '(userName eq "a"', 'nope eq "a" and'])
def test_invalid_filters_are_400(scim: Scim, flt: str) -> None:
    assert error_of(scim("GET", "/Users", query_string={"filter": flt}), 400)["scimType"] == "invalidFilter"


@pytest.mark.parametrize("query", [{"startIndex": "x"}, {"count": "-x"}])
def test_invalid_paging_is_400(scim: Scim, query: dict) -> None:
    error_of(scim("GET", "/Users", query_string=query), 400)


def test_invalid_patch_is_400(scim: Scim) -> None:
    user_id = scim.create("alice").get_json()["id"]
    for body in (
        {"schemas": [PATCH_OP], "Operations": [{"op": "explode", "value": {}}]},
        {"schemas": [PATCH_OP], "Operations": "nope"},
        {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "nickName", "value": 1}]},
        {"schemas": [PATCH_OP], "Operations": []},
        {"schemas": [PATCH_OP], "Operations": [{"op": "remove", "path": "displayName"}]},
    ):
        error_of(scim("PATCH", f"/Users/{user_id}", body), 400)
    assert scim("GET", f"/Users/{user_id}").get_json()["active"] is True


# -- Propagate Provisioning and the article's limitations --------------------


def test_propagation_disabled_refuses_user_operations(scim: Scim, lab: Lab) -> None:
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": False}, expect=200)
    body = error_of(scim("GET", "/Users"), 403)
    assert body["detail"].startswith("Propagate Provisioning is disabled")
    error_of(scim.create("alice"), 403)
    assert scim("GET", "/ServiceProviderConfig").status_code == 200
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    assert scim.create("alice").status_code == 201


def test_a_synced_user_deleted_in_cybozu_is_not_recreated_until_propagation_is_toggled(
    scim: Scim, lab: Lab
) -> None:
    created = scim.create("alice", external_id="00uALICE").get_json()
    lab.call("DELETE", f"/tenants/acme/users/{created['id']}", expect=204)
    error_of(scim("GET", f"/Users/{created['id']}"), 404)
    assert find(scim, "alice")["totalResults"] == 0
    body = error_of(scim.create("alice", external_id="00uALICE"), 409)
    assert body["detail"].startswith('The user "alice" was deleted from cybozu.com after it was synced')
    # the externalId alone is enough to recognise the deleted user
    error_of(scim.create("alice2", external_id="00uALICE"), 409)
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": False}, expect=200)
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    assert scim.create("alice", external_id="00uALICE").status_code == 201


def test_a_user_never_synced_leaves_no_tombstone(scim: Scim, lab: Lab) -> None:
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": False}, expect=200)
    user = lab.call("POST", "/tenants/acme/users", {"login": "bob", "display": "Bob"}, expect=201)
    lab.call("DELETE", f"/tenants/acme/users/{user['id']}", expect=204)
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    assert scim.create("bob").status_code == 201


def test_users_that_existed_before_enabling_are_matched(scim: Scim, lab: Lab) -> None:
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": False}, expect=200)
    bob = lab.call(
        "POST", "/tenants/acme/users", {"login": "bob", "display": "Bob", "services": ["kintone"]}, expect=201
    )
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    found = find(scim, "bob")
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == bob["id"]
    # Okta links the account and pushes its profile
    body = okta_user("bob", displayName="Bob Okta")
    assert scim("PUT", f"/Users/{bob['id']}", body).status_code == 200
    user = next(u for u in lab.users("acme") if u["login"] == "bob")
    assert user["display"] == "Bob Okta" and user["linked"] is True


def test_users_added_in_the_console_after_enabling_cannot_be_linked_until_toggled(
    scim: Scim, lab: Lab
) -> None:
    scim.create("zed")
    carol = lab.call("POST", "/tenants/acme/users", {"login": "carol", "display": "Carol"}, expect=201)
    assert carol["held"] is True
    assert find(scim, "carol")["totalResults"] == 0
    assert scim("GET", "/Users").get_json()["totalResults"] == 2  # zed and the administrator
    error_of(scim("GET", f"/Users/{carol['id']}"), 404)
    body = error_of(scim.create("carol"), 409)
    assert 'added in cybozu.com after "Propagate Provisioning" was enabled' in body["detail"]
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": False}, expect=200)
    lab.call("PUT", "/tenants/acme/propagate-provisioning", {"enabled": True}, expect=200)
    assert find(scim, "carol")["Resources"][0]["id"] == carol["id"]


def test_scim_delete_removes_the_user_without_a_tombstone(scim: Scim) -> None:
    user_id = scim.create("alice").get_json()["id"]
    assert scim("DELETE", f"/Users/{user_id}").status_code == 204
    error_of(scim("GET", f"/Users/{user_id}"), 404)
    assert scim.create("alice").status_code == 201


# -- the protocol, beyond Okta's requests --------------------------------------------


def test_filters_follow_rfc_7644(scim: Scim) -> None:
    scim.create("alice", emails=[{"value": "alice@example.com", "type": "work", "primary": True}])
    scim.create("bob", active=False, emails=[{"value": "bob@home.example", "type": "home"}])

    def names(flt: str) -> list[str]:
        response = scim("GET", "/Users", query_string={"filter": flt})
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(r["userName"] for r in response.get_json()["Resources"])

    assert names('USERNAME Eq "alice"') == ["alice"]  # attribute names and operators in any case
    assert names('displayName eq "ALICE LIDDELL"') == ["alice", "bob"]  # caseExact false
    assert names('emails[type eq "work" and primary eq true]') == ["alice"]
    assert names('emails[type eq "home"].value ew "example"') == ["bob"]
    assert names('emails co "home"') == ["bob"]  # a multi-valued attribute compares its value
    assert names('active eq false or (userName sw "al" and not (externalId pr))') == ["bob"]
    assert names(f'{CYBOZU}:kintone eq true and userName ne "Administrator"') == ["alice", "bob"]
    assert names('meta.created ge "2026-04-01T00:00:00Z" and userName gt "b"') == ["bob"]
    for bad in (
        "password pr",
        "active gt true",
        'emails[type eq "work"',
        "(" * 40 + 'userName eq "a"' + ")" * 40,
    ):
        assert (
            error_of(scim("GET", "/Users", query_string={"filter": bad}), 400)["scimType"] == "invalidFilter"
        )


def test_patch_paths(scim: Scim) -> None:
    user_id = scim.create("alice", emails=[{"value": "a@example.com", "type": "work"}]).get_json()["id"]

    def patch(*operations: dict) -> dict:
        response = scim("PATCH", f"/Users/{user_id}", {"schemas": [PATCH_OP], "Operations": list(operations)})
        assert response.status_code == 204, response.get_data(as_text=True)
        return scim("GET", f"/Users/{user_id}").get_json()

    user = patch({"op": "add", "path": "emails", "value": [{"value": "h@example.com", "type": "home"}]})
    assert [e["value"] for e in user["emails"]] == ["a@example.com", "h@example.com"]
    user = patch({"op": "replace", "path": 'emails[type eq "home"].value', "value": "home@example.com"})
    assert user["emails"][1] == {"value": "home@example.com", "type": "home"}
    user = patch(
        {"op": "remove", "path": 'emails[type eq "home"]'},
        {"op": "replace", "path": "name.givenName", "value": "Al"},
    )
    assert len(user["emails"]) == 1 and user["name"] == {"givenName": "Al", "familyName": "Liddell"}
    # locale is accepted and ignored: cybozu.com does not sync a user's language.
    user = patch({"op": "add", "value": {"locale": "ja-JP", f"{CYBOZU}:garoon": True}})
    assert "locale" not in user and user[CYBOZU] == {"kintone": True, "garoon": True}
    user = patch({"op": "remove", "path": f"{CYBOZU}:garoon"}, {"op": "replace", "path": "locale", "value": "en-US"})
    assert "locale" not in user and user[CYBOZU] == {"kintone": True}
    for operation, scim_type in (
        ({"op": "remove"}, "noTarget"),
        ({"op": "replace", "path": 'emails[type eq "other"].value', "value": "x"}, "noTarget"),
        ({"op": "replace", "path": "id", "value": "x"}, "mutability"),
        ({"op": "add", "path": "groups", "value": [{"value": "g"}]}, "mutability"),
        ({"op": "replace", "path": "emails[type eq", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": "active", "value": "maybe"}, "invalidValue"),
    ):
        body = {"schemas": [PATCH_OP], "Operations": [operation]}
        assert error_of(scim("PATCH", f"/Users/{user_id}", body), 400)["scimType"] == scim_type


def test_attributes_and_paging(scim: Scim) -> None:
    user_id = scim.create("alice").get_json()["id"]
    only = scim(
        "GET", f"/Users/{user_id}", query_string={"attributes": "name.givenName,emails.value"}
    ).get_json()
    assert only == {
        "schemas": [USER],
        "id": user_id,
        "userName": "alice",  # returned always
        "name": {"givenName": "Alice"},
        "emails": [{"value": "alice@example.com"}],
    }
    without = scim(
        "GET", f"/Users/{user_id}", query_string={"excludedAttributes": "emails,meta,userName"}
    ).get_json()
    assert "emails" not in without and "meta" not in without and without["userName"] == "alice"
    for n in range(3):
        scim.create(f"user{n}")
    page = scim("GET", "/Users", query_string={"startIndex": 2, "count": 2}).get_json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    assert scim("GET", "/Users", query_string={"count": 1000}).get_json()["itemsPerPage"] == 5
    search = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName sw "user"',
        "count": 1,
    }
    found = scim("POST", "/Users/.search", search).get_json()
    assert found["totalResults"] == 3 and len(found["Resources"]) == 1


def test_invalid_utf8_nan_and_lone_surrogates_are_400(scim: Scim) -> None:
    for data in (
        b'{"userName": "\xc3\x28"}',
        b'{"userName": "a", "displayName": NaN}',
        b'{"userName": "\\ud800", "displayName": "x"}',
    ):
        error_of(scim("POST", "/Users", data=data, headers={"Content-Type": SCIM_JSON}), 400)


def test_concurrent_creates_through_the_endpoint(app, scim: Scim) -> None:
    """8 threads create overlapping login names: one user per login name, the others 409, no 5xx."""
    from concurrent.futures import ThreadPoolExecutor

    def worker(offset: int) -> list[int]:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {scim.token}"}
        return [
            client.post(
                scim.base + "/Users", json=okta_user(f"racer{(n + offset) % 60}"), headers=headers
            ).status_code
            for n in range(60)
        ]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for batch in pool.map(worker, range(0, 80, 10)) for s in batch]
    assert statuses.count(201) == 60 and statuses.count(409) == 420
    users = scim("GET", "/Users", query_string={"filter": 'userName sw "racer"', "count": 100}).get_json()
    assert sorted(r["userName"] for r in users["Resources"]) == sorted(f"racer{n}" for n in range(60))
