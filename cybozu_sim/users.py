"""cybozu.com users as the console shows them, and the rules every write must follow.

The users themselves are SCIM User resources (plain JSON dicts) in the
tenant's user store, so a user added in the console is the same record an IdP
finds with ``userName eq``. :func:`check_user_fields` is the one rule set used by the
console, the lab API and the SCIM service.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cybozu_sim import accounts, propagation
from cybozu_sim.backend import Backend
from cybozu_sim.errors import Conflict, Invalid, NotFound
from cybozu_sim.licenses import SERVICES, service_name
from cybozu_sim.scim.schema import CYBOZU_EXTENSION, USER_SCHEMA, read_user
from cybozu_sim.tenants import Tenant, get_tenant
from cybozu_sim.user_store import LoginTaken

LOGIN_MAX = 128
DISPLAY_MAX = 128
NAME_MAX = 64
EMAIL_MAX = 256
LOGIN_FORBIDDEN = '\\[]":;<>,/'
SPACES = " \u3000"  # half-width and full-width spaces


@dataclass
class CybozuUser:
    id: str
    login: str
    display: str
    surname: str
    given: str
    email: str
    active: bool
    services: dict[str, bool]
    external_id: str | None
    created: str
    modified: str
    linked: bool
    held: bool

    @property
    def status(self) -> str:
        return "Active" if self.active else "Inactive"

    def service_names(self) -> list[str]:
        return [service_name(code) for code, on in self.services.items() if on]

    def to_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["status"] = self.status
        return data


def check_login_name(login: object) -> str | None:
    """Return what is wrong with a login name, or None."""
    if not isinstance(login, str) or not login:
        return "The login name is required."
    if len(login) > LOGIN_MAX:
        return f"The login name can have at most {LOGIN_MAX} characters."
    if login[0] in SPACES or login[-1] in SPACES:
        return "The login name cannot start or end with a space."
    bad = sorted({c for c in login if c in LOGIN_FORBIDDEN})
    if bad:
        return "The login name cannot contain " + " ".join(bad) + "."
    if any(unicodedata.category(c) == "Cc" for c in login):
        return "The login name cannot contain control characters."
    return None


def check_user_fields(
    *, login: object, display: object, surname: object, given: object, email: object
) -> None:
    """Raise Invalid with the first rule a user's fields break."""
    problem = check_login_name(login)
    if problem:
        raise Invalid(problem)
    if not isinstance(display, str) or not display.strip():
        raise Invalid("The display name is required.")
    for label, value, limit in (
        ("display name", display, DISPLAY_MAX),
        ("surname", surname, NAME_MAX),
        ("given name", given, NAME_MAX),
        ("email address", email, EMAIL_MAX),
    ):
        if value is not None and len(str(value)) > limit:
            raise Invalid(f"The {label} can have at most {limit} characters.")


def profile_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """Extract cybozu's fields from a SCIM User in JSON form."""
    name = data.get("name") or {}
    emails = data.get("emails") or []
    primary = next((e for e in emails if e.get("primary")), emails[0] if emails else {})
    return {
        "login": data.get("userName"),
        "display": data.get("displayName"),
        "surname": name.get("familyName"),
        "given": name.get("givenName"),
        "email": primary.get("value"),
    }


def services_of(data: Mapping[str, Any]) -> dict[str, bool]:
    """The services a SCIM User in JSON form sets, by service code."""
    extension = data.get(CYBOZU_EXTENSION) or {}
    return {code: bool(extension[code]) for code in SERVICES if extension.get(code) is not None}


def check_services(tenant: Tenant, new: Mapping[str, bool], old: Mapping[str, bool] | None = None) -> None:
    """Refuse enabling a service the environment is not licensed for. Disabling it (an admin
    backing out from the dropdown, Okta sending "Disable") and leaving it as it was pass
    (inference: cybozu.com documents the refusal only for using a service without a licence)."""
    for code, value in new.items():
        if code not in tenant.licenses and value and (old is None or not old.get(code)):
            raise Invalid(
                f'The service "{service_name(code)}" ({code}) is not licensed for this '
                f"cybozu.com environment ({tenant.subdomain}). Delete its attribute in the IdP "
                "or leave it unset."
            )


def to_user(data: Mapping[str, Any], annotations: Mapping[str, Any]) -> CybozuUser:
    """The console's view of a stored SCIM User."""
    profile = profile_of(data)
    meta = data.get("meta") or {}
    return CybozuUser(
        id=data.get("id") or "",
        login=profile["login"],
        display=profile["display"] or "",
        surname=profile["surname"] or "",
        given=profile["given"] or "",
        email=profile["email"] or "",
        active=data.get("active") is not False,
        services=services_of(data),
        external_id=data.get("externalId"),
        created=meta.get("created", ""),
        modified=meta.get("lastModified", ""),
        linked=bool(annotations.get(propagation.LINKED)),
        held=bool(annotations.get(propagation.HELD)),
    )


def list_users(backend: Backend, subdomain: str) -> list[CybozuUser]:
    get_tenant(backend, subdomain)
    storage = backend.user_storage(subdomain)
    users = (to_user(data, storage.annotations(data["id"])) for data in storage.all())
    return sorted(users, key=lambda u: (u.created, u.login))


def get_user(backend: Backend, subdomain: str, user_id: str) -> CybozuUser:
    get_tenant(backend, subdomain)
    storage = backend.user_storage(subdomain)
    data = storage.get(user_id)
    if data is None:
        raise NotFound("The user does not exist.")
    return to_user(data, storage.annotations(user_id))


def find_user_by_login(backend: Backend, subdomain: str, login: str) -> CybozuUser | None:
    storage = backend.user_storage(subdomain)
    data = storage.by_login(login)
    return None if data is None else to_user(data, storage.annotations(data["id"]))


def add_user(
    backend: Backend,
    subdomain: str,
    *,
    login: str,
    display: str,
    surname: str = "",
    given: str = "",
    email: str = "",
    services: Iterable[str] = (),
    active: bool = True,
    password: str | None = None,
    administrator: bool = False,
) -> CybozuUser:
    """Add a user as an administrator does in the console."""
    check_user_fields(login=login, display=display, surname=surname, given=given, email=email)
    chosen = {code: True for code in services}
    unknown = [code for code in chosen if code not in SERVICES]
    if unknown:
        raise Invalid(f"Unknown service(s): {', '.join(unknown)}.")
    with backend.store.transaction():
        tenant = get_tenant(backend, subdomain)
        check_services(tenant, chosen)
        data: dict[str, Any] = {
            "schemas": [USER_SCHEMA, CYBOZU_EXTENSION],
            "userName": login,
            "displayName": display,
            "active": active,
        }
        if surname or given:
            data["name"] = {k: v for k, v in (("familyName", surname), ("givenName", given)) if v}
        if email:
            data["emails"] = [{"value": email, "type": "work", "primary": True}]
        if chosen:
            data[CYBOZU_EXTENSION] = chosen
        storage = backend.user_storage(subdomain)
        try:
            created = storage.create(read_user(data), propagation.console_user_annotations(tenant))
        except LoginTaken:
            raise Conflict(f'The login name "{login}" is already in use.') from None
        if password:
            accounts.set_password(backend, subdomain, login, password, administrator=administrator)
        return to_user(created, storage.annotations(created["id"]))


def edit_user(
    backend: Backend,
    subdomain: str,
    user_id: str,
    *,
    login: str | None = None,
    display: str | None = None,
    surname: str | None = None,
    given: str | None = None,
    email: str | None = None,
    active: bool | None = None,
    acting_login: str | None = None,
) -> CybozuUser:
    """Change a user as an administrator does in the console (None: unchanged). The login name
    cannot change while Propagate Provisioning is on ("users cannot change their login names",
    the provisioning help's Limitations); an administrator cannot deactivate or rename themselves
    (inference). The user's services and the IdP's link are kept."""
    with backend.store.transaction():
        tenant = get_tenant(backend, subdomain)
        storage = backend.user_storage(subdomain)
        data = storage.get(user_id)
        if data is None:
            raise NotFound("The user does not exist.")
        current = to_user(data, storage.annotations(user_id))
        if login is not None and login != current.login and tenant.propagate:
            raise Invalid(
                "Login names cannot be changed while Propagate Provisioning is enabled "
                f'(login name "{current.login}").'
            )
        if acting_login is not None and current.login == acting_login and (active is False or (login or current.login) != current.login):  # fmt: skip
            raise Invalid("You cannot deactivate or rename the user you are logged in as.")
        values = {
            "login": current.login if login is None else login,
            "display": current.display if display is None else display,
            "surname": current.surname if surname is None else surname,
            "given": current.given if given is None else given,
            "email": current.email if email is None else email,
        }
        check_user_fields(**values)
        changed = {k: v for k, v in data.items() if k not in ("name", "emails")}
        changed.update(userName=values["login"], displayName=values["display"])
        if active is not None:
            changed["active"] = active
        if values["surname"] or values["given"]:
            changed["name"] = {
                k: v for k, v in (("familyName", values["surname"]), ("givenName", values["given"])) if v
            }
        if values["email"]:
            changed["emails"] = [{"value": values["email"], "type": "work", "primary": True}]
        try:
            stored = storage.replace(user_id, read_user(changed))
        except LoginTaken:
            raise Conflict(f'The login name "{values["login"]}" is already in use.') from None
        if values["login"] != current.login:
            accounts.rename_account(backend, subdomain, current.login, values["login"])
        return to_user(stored, storage.annotations(user_id))


def delete_user(backend: Backend, subdomain: str, user_id: str, *, acting_login: str | None = None) -> None:
    """Delete a user for good, as the console does (a synced user leaves a tombstone)."""
    with backend.store.transaction():
        user = get_user(backend, subdomain, user_id)
        if acting_login is not None and user.login == acting_login:
            raise Invalid("You cannot delete the user you are logged in as.")
        backend.user_storage(subdomain).delete(user_id)
        propagation.note_deleted_user(
            backend,
            subdomain,
            user_id=user.id,
            login=user.login,
            external_id=user.external_id,
            linked=user.linked,
        )
        accounts.remove_account(backend, subdomain, user.login)
