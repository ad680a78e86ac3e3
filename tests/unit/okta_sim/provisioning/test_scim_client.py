"""okta_sim.provisioning.scim_client: the texts Okta shows for a failed SCIM request."""

from __future__ import annotations

from okta_sim.provisioning.scim_client import ScimFailure, filter_user_name, json_complaint, masked


def test_okta_error_texts() -> None:
    assert json_complaint("<!doctype html>").startswith("Invalid JSON: Unexpected character ('<' (code 60))")
    assert json_complaint("<!doctype html>").endswith("at line: 1, column: 2")
    assert json_complaint("\n\n  oops").endswith("at line: 3, column: 4")
    assert json_complaint("") == "Invalid JSON: No content to map due to end-of-input"
    failure = ScimFailure("Conflict", 'The login name "a" is already in use.', 409)
    assert (
        failure.describe()
        == 'Conflict. Errors reported by remote server: The login name "a" is already in use.'
    )
    assert ScimFailure("Read timed out").describe() == "Read timed out"
    assert filter_user_name('a"b\\c') == 'userName eq "a\\"b\\\\c"'
    assert masked({"userName": "a", "password": "secret"}) == {"userName": "a", "password": "********"}
