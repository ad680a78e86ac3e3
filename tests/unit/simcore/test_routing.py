"""Apps with the same routes share the compiled URL builders, and each still builds its own URLs."""

from __future__ import annotations

from flask import Flask, url_for

from simcore.routing import SharedBuilderRule


def app_with(defaults: dict[str, str] | None = None, server_name: str = "a.test") -> Flask:
    app = Flask("routing_test")
    app.url_rule_class = SharedBuilderRule
    app.config["SERVER_NAME"] = server_name
    app.add_url_rule("/<subdomain>/scim/v2/Users/<user_id>", "user", lambda **_: "", defaults=defaults)
    return app


def builder(app: Flask) -> object:
    (rule,) = [r for r in app.url_map.iter_rules() if r.endpoint == "user"]
    return rule._build.__func__  # type: ignore[attr-defined]


def test_identical_rules_share_one_builder_and_build_each_apps_urls() -> None:
    first, second = app_with(server_name="a.test"), app_with(server_name="b.test")
    assert builder(first) is builder(second)
    with first.app_context():
        assert url_for("user", subdomain="example", user_id="u 1") == "http://a.test/example/scim/v2/Users/u%201"
    with second.app_context():
        assert url_for("user", subdomain="other", user_id="x", attributes="id") == (
            "http://b.test/other/scim/v2/Users/x?attributes=id"
        )


def test_a_rule_with_other_defaults_gets_a_builder_of_its_own() -> None:
    plain, defaulted = app_with(), app_with({"subdomain": "example"})
    assert builder(plain) is not builder(defaulted)
    with defaulted.app_context():
        assert url_for("user", user_id="x") == "http://a.test/example/scim/v2/Users/x"
