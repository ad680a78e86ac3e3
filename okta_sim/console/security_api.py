"""Security > API: the org's API tokens, [Create Token] and [Revoke]."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for

from okta_sim import api_tokens
from okta_sim.backend import get_backend
from okta_sim.console.pages import confirm, no_store, over, submit

bp = Blueprint("security_api", __name__, url_prefix="/admin/security/api")


def tokens_page(form: dict[str, str] | None = None, error: str | None = None) -> str:
    return render_template(
        "tokens.html", tokens=api_tokens.list_tokens(get_backend()), form=form or {}, error=error
    )


@bp.route("", methods=["GET", "POST"])
def tokens() -> Any:
    """Tokens: the list, and "Create Token" whose value is shown once, in a dialog over the list
    in a page that is not cached."""
    if request.method == "GET":
        return tokens_page()
    form = request.form.to_dict()
    created, error = submit(lambda: api_tokens.create_token(get_backend(), form.get("name", "")))
    if created is None:
        return tokens_page(form, error)
    token, value = created
    return no_store(over(tokens_page, "token_created.html", token=token, value=value))


@bp.route("/tokens/<token_id>/revoke", methods=["GET", "POST"])
def revoke(token_id: str) -> Any:
    token = next((t for t in api_tokens.list_tokens(get_backend()) if t["id"] == token_id), None)
    if token is None:
        abort(404, f"Not found: Resource not found: {token_id} (ApiToken)")
    return confirm(
        title=f"Revoke token {token['name']}?",
        text="Applications that use this token can no longer call the Okta API.",
        button="Revoke",
        action=lambda: api_tokens.revoke_token(get_backend(), token_id),
        success=f"The token {token['name']} was revoked.",
        back=url_for("console.security_api.tokens"),
        page=tokens_page,
    )
