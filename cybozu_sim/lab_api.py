"""cybozu_sim's part of the lab control API (/_lab/...): tenants, tokens, users, settings.

These are what the lab, the CLI and the scenario engine use to set up and
inspect cybozu.com; they call the same domain functions as the console.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from tinydb import where

from cybozu_sim import access_control, accounts, ip_csv, ip_restriction, propagation, tokens, users
from cybozu_sim.backend import get_backend
from cybozu_sim.errors import CybozuError, Invalid
from cybozu_sim.licenses import usage
from cybozu_sim.scim_endpoint import scim_endpoint
from cybozu_sim.seed import DEFAULT_ADMIN_PASSWORD, create_environment
from cybozu_sim.tenants import TABLE as TENANTS_TABLE
from cybozu_sim.tenants import Tenant, get_tenant, list_tenants
from simcore.control import domain_errors, json_object

# A domain error answers the lab's JSON error with the message the console would show.
lab_errors = domain_errors(CybozuError, lambda error: error.message)


def body() -> dict[str, Any]:
    data = json_object()
    if data is None:
        raise Invalid("the body must be a JSON object")
    return data


def describe(tenant: Tenant) -> dict[str, Any]:
    backend = get_backend()
    now = backend.clock.now()
    all_users = users.list_users(backend, tenant.subdomain)
    return {
        "subdomain": tenant.subdomain,
        "name": tenant.name,
        "scim_endpoint": scim_endpoint(tenant.subdomain),
        "propagate_provisioning": tenant.propagate,
        "ip_restriction": {
            **tenant.ip.to_dict(),
            "restricts": tenant.ip.restricts,
            "addresses": [e.text for e in tenant.ip.entries],
        },
        "basic_auth": tenant.basic.public(),
        "licenses": [
            {**vars(u), "exceeded": u.exceeded, "warning": u.warning}
            for u in usage(tenant.licenses, ((u.active, u.services) for u in all_users))
        ],
        "tokens": [
            {
                "id": t.id,
                "notes": t.notes,
                "created": t.created,
                "expires": t.expires,
                "status": t.status(now),
            }
            for t in tokens.list_tokens(backend, tenant.subdomain)
        ],
        "tombstones": [vars(t) for t in tenant.tombstones],
        "users": len(all_users),
    }


def add_routes(bp: Blueprint) -> None:
    """Add cybozu_sim's endpoints to the lab control blueprint."""

    @bp.get("/tenants")
    def tenants_list() -> Response:
        return jsonify([describe(t) for t in list_tenants(get_backend())])

    @bp.post("/tenants")
    @lab_errors
    def tenants_create() -> tuple[Response, int]:
        data = body()
        unknown = set(data) - {"subdomain", "name", "licenses", "admin_password", "propagate_provisioning"}
        if unknown:
            raise Invalid(f"unknown field(s): {', '.join(sorted(unknown))}")
        backend = get_backend()
        tenant = create_environment(
            backend,
            data.get("subdomain"),  # type: ignore[arg-type]
            licenses=data.get("licenses"),  # type: ignore[arg-type]
            name=data.get("name"),
            admin_password=str(data.get("admin_password") or DEFAULT_ADMIN_PASSWORD),
        )
        if data.get("propagate_provisioning"):
            tenant = propagation.set_propagate(backend, tenant.subdomain, True)
        return jsonify(describe(tenant)), 201

    @bp.get("/tenants/<subdomain>")
    @lab_errors
    def tenant_show(subdomain: str) -> Response:
        return jsonify(describe(get_tenant(get_backend(), subdomain)))

    @bp.post("/tenants/<subdomain>/tokens")
    @lab_errors
    def token_create(subdomain: str) -> tuple[Response, int]:
        data = body()
        token, value = tokens.create_token(
            get_backend(),
            subdomain,
            notes=str(data.get("notes") or ""),
            validity=data.get("validity"),
            expires=data.get("expires"),
        )
        return jsonify(
            {
                "token": value,
                "scim_endpoint": scim_endpoint(subdomain),
                "id": token.id,
                "expires": token.expires,
            }
        ), 201

    @bp.put("/tenants/<subdomain>/tokens/<token_id>")
    @lab_errors
    def token_set(subdomain: str, token_id: str) -> Response:
        enabled = body().get("enabled")
        if not isinstance(enabled, bool):
            raise Invalid('send {"enabled": true|false}')
        token = tokens.set_enabled(get_backend(), subdomain, token_id, enabled)
        return jsonify({"id": token.id, "enabled": token.enabled})

    @bp.delete("/tenants/<subdomain>/tokens/<token_id>")
    @lab_errors
    def token_delete(subdomain: str, token_id: str) -> tuple[str, int]:
        tokens.delete_token(get_backend(), subdomain, token_id)
        return "", 204

    @bp.put("/tenants/<subdomain>/propagate-provisioning")
    @lab_errors
    def propagate(subdomain: str) -> Response:
        enabled = body().get("enabled")
        if not isinstance(enabled, bool):
            raise Invalid('send {"enabled": true|false}')
        return jsonify(describe(propagation.set_propagate(get_backend(), subdomain, enabled)))

    @bp.put("/tenants/<subdomain>/ip-restriction")
    @lab_errors
    def ip(subdomain: str) -> Response:
        data = body()
        entries = data.get("entries", [])
        if set(data) - {"mode", "entries"} or not isinstance(entries, list):
            raise Invalid(
                'send {"mode": "allow_all"|"deny_all"|"allow_specific", "entries": '
                '["192.0.2.8", "198.51.100.0/24", {"ip": "203.0.113.5", "cidr": null, "memo": "..."}, ...]}'
            )
        checked = ip_restriction.check_entries(enumerate(entries, start=1), row="Entry")
        return jsonify(
            describe(access_control.set_ip_restriction(get_backend(), subdomain, data.get("mode"), checked))
        )

    @bp.get("/tenants/<subdomain>/ip-restriction.csv")
    @lab_errors
    def ip_csv_export(subdomain: str) -> Response:
        data = ip_csv.write_csv(get_tenant(get_backend(), subdomain).ip.entries)
        return Response(data, content_type=ip_csv.CONTENT_TYPE)

    @bp.put("/tenants/<subdomain>/ip-restriction.csv")
    @lab_errors
    def ip_csv_import(subdomain: str) -> Response:
        """The body is the file's bytes, imported as the Store's [Import] and [Save] would."""
        request.max_content_length = ip_csv.MAX_BYTES + 1  # the file's own limit says "larger than 10 MB"
        return jsonify(describe(access_control.import_csv(get_backend(), subdomain, request.get_data())))

    @bp.put("/tenants/<subdomain>/basic-auth")
    @lab_errors
    def basic(subdomain: str) -> Response:
        data = body()
        enabled, user, password = data.get("enabled"), data.get("user", ""), data.get("password")
        if not isinstance(enabled, bool) or not isinstance(user, str) or not isinstance(password, str | None):
            raise Invalid('send {"enabled": true|false, "user": "...", "password": "..."}')
        tenant = access_control.set_basic_auth(
            get_backend(), subdomain, enabled=enabled, user=user, password=password
        )
        return jsonify(describe(tenant))

    @bp.get("/tenants/<subdomain>/users")
    @lab_errors
    def users_list(subdomain: str) -> Response:
        return jsonify([u.to_dict() for u in users.list_users(get_backend(), subdomain)])

    @bp.post("/tenants/<subdomain>/users")
    @lab_errors
    def users_add(subdomain: str) -> tuple[Response, int]:
        data = body()
        allowed = {"login", "display", "surname", "given", "email", "services", "active", "password"}
        unknown = set(data) - allowed
        if unknown:
            raise Invalid(f"unknown field(s): {', '.join(sorted(unknown))}")
        services = data.get("services", [])
        if not isinstance(services, list):
            raise Invalid("services is a list of service codes")
        user = users.add_user(
            get_backend(),
            subdomain,
            login=data.get("login"),  # type: ignore[arg-type]
            display=data.get("display"),  # type: ignore[arg-type]
            surname=str(data.get("surname") or ""),
            given=str(data.get("given") or ""),
            email=str(data.get("email") or ""),
            services=services,
            active=data.get("active", True) is not False,
            password=data.get("password"),
        )
        return jsonify(user.to_dict()), 201

    @bp.put("/tenants/<subdomain>/users/<user_id>")
    @lab_errors
    def users_edit(subdomain: str, user_id: str) -> Response:
        """[Edit] in Departments & Users: the fields given change, the others stay."""
        data = body()
        texts = ("login", "display", "surname", "given", "email")
        unknown = set(data) - {*texts, "active"}
        if unknown:
            raise Invalid(f"unknown field(s): {', '.join(sorted(unknown))}")
        if any(data.get(name) is not None and not isinstance(data[name], str) for name in texts):
            raise Invalid(f"{', '.join(texts)} are text")
        if "active" in data and not isinstance(data["active"], bool):
            raise Invalid("active is true or false")
        user = users.edit_user(
            get_backend(), subdomain, user_id, **{k: data.get(k) for k in (*texts, "active")}
        )
        return jsonify(user.to_dict())

    @bp.delete("/tenants/<subdomain>/users/<user_id>")
    @lab_errors
    def users_delete(subdomain: str, user_id: str) -> tuple[str, int]:
        users.delete_user(get_backend(), subdomain, user_id)
        return "", 204

    @bp.delete("/tenants/<subdomain>")
    @lab_errors
    def tenant_delete(subdomain: str) -> tuple[str, int]:
        """Remove an environment and everything in it (users, their log ins, API tokens,
        tombstones), so that the subdomain can be created afresh: the lab's training mode
        resets an exercise run this way. cybozu.com itself has no such thing."""
        backend = get_backend()
        with backend.store.transaction() as db:
            get_tenant(backend, subdomain)
            storage = backend.user_storage(subdomain)
            for user in users.list_users(backend, subdomain):
                storage.delete(user.id)
                accounts.remove_account(backend, subdomain, user.login)
            for token in tokens.list_tokens(backend, subdomain):
                tokens.delete_token(backend, subdomain, token.id)
            db.table(TENANTS_TABLE).remove(where("subdomain") == subdomain)
        return "", 204
