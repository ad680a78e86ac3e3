"""The provisioning engine: assignments, and what Okta sends to cybozu.com when they change.

Okta queues provisioning; the lab runs it synchronously, in the request that
caused it, so a scenario or a test sees the outcome at once. Every push goes
through :func:`sync`, which compares what Okta says (assignment, Okta status,
mapped profile) with what it last pushed, and sends only the difference,
within the "Provisioning to App" toggles. Failures leave the app user in
ERROR with a task an administrator can retry.

The store is held while deciding and while recording an outcome, never while
a request is on the wire: one app user is pushed by one thread at a time,
and everything else stays responsive however slow cybozu.com answers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import okta_sim.apps as apps
import okta_sim.directory as directory
from okta_sim import ids, syslog, usernames
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid, NotFound
from okta_sim.scim_client import OktaScimClient, ScimFailure

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
CYBOZU_EXTENSION = "urn:ietf:params:scim:schemas:extension:cybozu:2.0:User"
ENABLE, DISABLE = "Enable", "Disable"
LOGIN_LOCKED = (
    "Login names cannot be changed after the user is provisioned. To change it, delete the user from "
    "cybozu.com, recreate the user on Okta, and sync again."
)
ASSIGNED_BEFORE_PROVISIONING = (
    "User was assigned this application before Provisioning was enabled and not provisioned in the "
    "downstream application. Click Provision User."
)
SYNCHRONIZED, OUT_OF_SYNC, ERROR, DISABLED = "SYNCHRONIZED", "OUT_OF_SYNC", "ERROR", "DISABLED"
# The fields of an app user that a push writes; an administrator's fields are left as they are now.
PUSH_FIELDS = ("syncState", "lastError", "lastSync", "externalId", "status", "note", "pushed")


@dataclass
class Outcome:
    ok: bool
    message: str


# -- keys and lookups -------------------------------------------------------


def app_user_key(app_id: str, user_id: str) -> str:
    return f"{app_id}:{user_id}"


def app_users_of_app(
    backend: OktaBackend, app_id: str, *, include_pending: bool = False
) -> list[dict[str, Any]]:
    found = backend.app_users.find(lambda au: au["app_id"] == app_id)
    if not include_pending:
        found = [au for au in found if not au.get("pendingRemoval")]
    # Stable sort: assignments made in the same millisecond (a frozen lab clock) keep their order.
    return sorted(found, key=lambda au: au["created"])


def app_groups_of_app(backend: OktaBackend, app_id: str) -> list[dict[str, Any]]:
    found = backend.app_groups.find(lambda ag: ag["app_id"] == app_id)
    return sorted(found, key=lambda ag: (ag["priority"], ag["created"]))


def get_app_user(backend: OktaBackend, app_id: str, user_id: str) -> dict[str, Any]:
    app_user = backend.app_users.get(app_user_key(app_id, user_id))
    if app_user is None or app_user.get("pendingRemoval"):
        raise NotFound(f"Not found: Resource not found: {user_id} (AppUser)")
    return app_user


def get_app_group(backend: OktaBackend, app_id: str, group_id: str) -> dict[str, Any]:
    app_group = backend.app_groups.get(app_user_key(app_id, group_id))
    if app_group is None:
        raise NotFound(f"Not found: Resource not found: {group_id} (ApplicationGroupAssignment)")
    return app_group


def check_profile(app: dict[str, Any], profile: Any) -> dict[str, str]:
    """An assignment's app profile: each service attribute Enable, Disable or unset."""
    if profile is None:
        return {}
    if not isinstance(profile, dict):
        raise Invalid("Api validation failed: profile", ["profile: must be an object"])
    clean: dict[str, str] = {}
    causes = []
    for name, value in profile.items():
        if name not in app["attributes"]:
            causes.append(f"{name}: Property name '{name}' is not defined in the app user profile")
        elif value in (None, ""):
            continue
        elif value is True or value == ENABLE:
            clean[name] = ENABLE
        elif value is False or value == DISABLE:
            clean[name] = DISABLE
        else:
            causes.append(f"{name}: must be {ENABLE} or {DISABLE}")
    if causes:
        raise Invalid("Api validation failed: profile", causes)
    return clean


# -- what Okta would push ---------------------------------------------------


def groups_for(backend: OktaBackend, app_id: str, user_id: str) -> list[dict[str, Any]]:
    """The app's group assignments that include the user, highest priority first."""
    assigned = app_groups_of_app(backend, app_id)
    if not assigned:
        return []
    members = backend.groups.derived(member_sets)
    return [ag for ag in assigned if user_id in members.get(ag["group_id"], ())]


def member_sets(groups: list[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Each group's members as a set: a push asks "is this person in that group?" for every
    member of a 10,000-person group, and a list answers in time proportional to its length."""
    return {group["id"]: frozenset(group["members"]) for group in groups}


def effective_profile(backend: OktaBackend, app: dict[str, Any], app_user: dict[str, Any]) -> dict[str, str]:
    """An individual assignment's values win; else the highest-priority group's."""
    if app_user["individual"]:
        profile = app_user.get("profile") or {}
    else:
        groups = groups_for(backend, app["id"], app_user["user_id"])
        profile = groups[0]["profile"] if groups else {}
    return {k: v for k, v in profile.items() if k in app["attributes"]}


# The Cybozu (cybozu.com) Attribute Mappings that mapped() applies, as the console shows them:
# (cybozu.com attribute, label in the Profile Editor, the Okta value it takes).
ATTRIBUTE_MAPPINGS = [
    ("userName", "Username", "Application username (the User Name of the assignment)"),
    ("givenName", "Given name", "user.firstName"),
    ("familyName", "Family name", "user.lastName"),
    ("email", "Primary email", "user.email"),
    ("displayName", "Display name", "user.displayName (else first and last name)"),
    ("locale", "Locale", "user.locale (else en_US)"),
]


def mapped(
    backend: OktaBackend, app: dict[str, Any], user: dict[str, Any], app_user: dict[str, Any]
) -> dict[str, Any]:
    """The Cybozu (cybozu.com) Attribute Mappings applied: the values Okta keeps in sync."""
    profile = user["profile"]
    services = effective_profile(backend, app, app_user)
    return {
        "userName": app_user["userName"],
        "givenName": profile.get("firstName"),
        "familyName": profile.get("lastName"),
        "email": profile.get("email"),
        "displayName": directory.display_name(user),
        "locale": profile.get("locale") or "en_US",
        "services": {name: value == ENABLE for name, value in sorted(services.items())},
    }


def scim_body(user: dict[str, Any], values: dict[str, Any], *, active: bool) -> dict[str, Any]:
    """The body of Okta's POST /Users (and the fields it overwrites on PUT)."""
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA, CYBOZU_EXTENSION],
        "userName": values["userName"],
        "name": {"givenName": values["givenName"], "familyName": values["familyName"]},
        "emails": [{"primary": True, "value": values["email"], "type": "work"}],
        "displayName": values["displayName"],
        "locale": values["locale"],
        "externalId": user["id"],
        "groups": [],
        "active": active,
    }
    if values["services"]:
        body[CYBOZU_EXTENSION] = dict(values["services"])
    return body


def merged(
    remote: dict[str, Any], user: dict[str, Any], values: dict[str, Any], *, active: bool
) -> dict[str, Any]:
    """GET, merge, PUT: Okta's update keeps what it does not manage."""
    body = dict(remote)
    ours = scim_body(user, values, active=active)
    for field in ("userName", "name", "emails", "displayName", "locale", "externalId", "active"):
        body[field] = ours[field]
    body["schemas"] = ours["schemas"]
    extension = dict(remote.get(CYBOZU_EXTENSION) or {})
    extension.update(values["services"])
    if extension:
        body[CYBOZU_EXTENSION] = extension
    body.pop("groups", None)
    return body


def should_be_active(user: dict[str, Any]) -> bool:
    return user["status"] in (directory.ACTIVE, directory.PROVISIONED)


# -- talking to cybozu.com --------------------------------------------------


def client(backend: OktaBackend, app: dict[str, Any], token: str | None = None) -> OktaScimClient:
    def on_exchange(exchange: dict[str, Any]) -> None:
        backend.exchanges.append({"app_id": app["id"], "time": backend.now(), **exchange})
        backend.exchanges_sent += 1

    def on_rate_limit(wait: float) -> None:
        syslog.record(
            backend,
            "application.integration.rate_limit_exceeded",
            f"Rate limit exceeded for {app['label']}: retrying after {wait:g} s",
            result="FAILURE",
            targets=[syslog.app_target(app)],
        )

    return OktaScimClient(
        backend.scim_url(app["settings"]["domainName"]),
        token or app["provisioning"]["token"] or "",
        source_address=backend.egress.next_address(),
        timeout=backend.scim_timeout,
        on_exchange=on_exchange,
        on_rate_limit=on_rate_limit,
        # Retry-After is waited on the lab clock: a scenario's frozen clock jumps instead of sleeping.
        sleep=backend.clock.sleep,
        pool=backend.connections,
    )


def test_credentials(backend: OktaBackend, app: dict[str, Any], token: str) -> Outcome:
    """[Test API Credentials]: GET /Users?startIndex=1&count=2 with the token."""
    target = [syslog.app_target(app)]
    try:
        with client(backend, app, token) as scim:
            scim.test()
    except ScimFailure as failure:
        message = f"Error authenticating: {failure.describe()}"
        syslog.record(
            backend,
            "application.provision.integration.test_credentials",
            message,
            result="FAILURE",
            reason=message,
            targets=target,
        )
        return Outcome(False, message)
    message = f"{app['label']} was verified successfully!"
    syslog.record(backend, "application.provision.integration.test_credentials", message, targets=target)
    return Outcome(True, message)


def _log_push(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    operation: str,
    message: str,
    *,
    failed: bool,
) -> None:
    syslog.record(
        backend,
        f"application.provision.user.{operation}",
        message,
        result="FAILURE" if failed else "SUCCESS",
        reason=message if failed else None,
        targets=[
            syslog.target("User", user["id"], user["profile"]["login"]),
            syslog.app_target(app),
        ],
    )


def _open_task(backend: OktaBackend, key: str) -> dict[str, Any] | None:
    return next(iter(backend.tasks.find(lambda t: t["key"] == key and t["status"] == "OPEN")), None)


def _resolve_task(backend: OktaBackend, key: str) -> None:
    task = _open_task(backend, key)
    if task is not None:
        task["status"] = "RESOLVED"
        backend.tasks.put(task)


def _save_push(backend: OktaBackend, app_user: dict[str, Any]) -> bool:
    """Write a push's outcome onto the app user as it is *now*; False if it is gone.

    The push ran without holding the store, so an administrator may have
    changed the assignment meanwhile (unassigned it, changed its services):
    only the fields a push owns are written back, and the caller's copy
    takes the current values of the others.
    """
    current = backend.app_users.get(app_user["key"])
    if current is None:
        return False
    current.update({field: app_user.get(field) for field in PUSH_FIELDS})
    backend.app_users.put(current)
    app_user.update(current)
    return True


def _fail(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    operation: str,
    message: str,
) -> None:
    """A push failed: the app user is in ERROR and its (single) open task says why."""
    with backend.store.transaction():
        app_user["syncState"] = ERROR
        app_user["lastError"] = message
        if _save_push(backend, app_user):
            task = _open_task(backend, app_user["key"]) or {
                "id": ids.new_id(ids.TASK),
                "seq": len(backend.tasks)
                + 1,  # tasks are never deleted: a stable order within one millisecond
                "key": app_user["key"],
                "app_id": app["id"],
                "user_id": user["id"],
                "status": "OPEN",
            }
            task.update(operation=operation, message=message, created=backend.now())
            backend.tasks.put(task)
        _log_push(backend, app, user, operation, message, failed=True)


def _done(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    operation: str,
    message: str,
) -> None:
    """A push succeeded: the app user is in sync and its open task, if any, is resolved."""
    with backend.store.transaction():
        app_user["syncState"] = SYNCHRONIZED
        app_user["lastError"] = None
        app_user["lastSync"] = backend.now()
        if _save_push(backend, app_user):
            _resolve_task(backend, app_user["key"])
        _log_push(backend, app, user, operation, message, failed=False)


def sync(
    backend: OktaBackend, app_id: str, user_id: str, *, provision: bool = False
) -> dict[str, Any] | None:
    """Bring cybozu.com in line with Okta for one app user; return the app user (None once removed).

    ``provision`` is the explicit "Provision User" action (and Force Sync):
    it provisions a user assigned while provisioning was off.
    """
    if backend.store.in_transaction():
        # Called inside a caller's unit of work (seeding people into an assigned group): it already
        # holds the store, and a person who did not exist a moment ago has no push in flight.
        return _sync(backend, app_id, user_id, provision)
    with backend.push_lock(app_user_key(app_id, user_id)):
        return _sync(backend, app_id, user_id, provision)


def _sync(backend: OktaBackend, app_id: str, user_id: str, provision: bool) -> dict[str, Any] | None:
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = backend.app_users.get(app_user_key(app_id, user_id))
        if app_user is None:
            return None
        user = directory.get_user(backend, user_id)
        settings = app["provisioning"]
        toggles = settings["toApp"]
        label, login, name = app["label"], user["profile"]["login"], directory.display_name(user)

        if not settings["enabled"]:
            if app_user.get("pendingRemoval"):
                backend.app_users.delete(app_user["key"])
                return None
            app_user["syncState"] = DISABLED
            if not app_user.get("externalId"):
                app_user["note"] = ASSIGNED_BEFORE_PROVISIONING
            backend.app_users.put(app_user)
            return app_user

        active = should_be_active(user)
        if not app_user.get("pendingRemoval"):
            if not app_user.get("externalId") and (
                not active
                or not toggles["create"]
                or (app_user.get("note") == ASSIGNED_BEFORE_PROVISIONING and not provision)
            ):
                return app_user
            values = mapped(backend, app, user, app_user)

    # What to send was decided on a consistent view; the requests go out without holding the
    # store, so the rest of Okta (console, API, other pushes) is not frozen by a slow cybozu.com.
    if app_user.get("pendingRemoval"):
        return _deprovision_removed(backend, app, user, app_user)
    if not app_user.get("externalId"):
        return _create(backend, app, user, app_user, values)

    pushed = app_user.get("pushed") or {}
    try:
        with client(backend, app) as scim:
            if active != pushed.get("active", True) and toggles["deactivate"]:
                scim.set_active(app_user["externalId"], active)
                pushed["active"] = active
                app_user["status"] = "PROVISIONED" if active else "DEPROVISIONED"
                app_user["pushed"] = pushed
                verb = "reactivation" if active else "deactivation"
                _done(
                    backend,
                    app,
                    user,
                    app_user,
                    "reactivate" if active else "deactivate",
                    f"Automatic {verb} of user {login} in app {label} succeeded",
                )
            if active and values != pushed.get("values"):
                if not toggles["update"]:
                    app_user["syncState"] = OUT_OF_SYNC
                    with backend.store.transaction():
                        _save_push(backend, app_user)
                    return app_user
                remote = scim.get(app_user["externalId"])
                scim.replace(app_user["externalId"], merged(remote, user, values, active=True))
                app_user["pushed"] = {"values": values, "active": True}
                _done(
                    backend,
                    app,
                    user,
                    app_user,
                    "update",
                    f"Automatic profile push of user {login} to app {label} succeeded",
                )
    except ScimFailure as failure:
        operation = (
            "update" if active == pushed.get("active", True) else ("reactivate" if active else "deactivate")
        )
        context = {
            "update": f"Automatic profile push of user {login} to app {label} failed: Error while updating user {name}",
            "deactivate": f"Automatic deactivation of user {login} in app {label} failed: Error while deactivating user {name}",
            "reactivate": f"Automatic reactivation of user {login} in app {label} failed: Error while reactivating user {name}",
        }[operation]
        _fail(backend, app, user, app_user, operation, f"{context}: {failure.describe()}")
    return backend.app_users.get(app_user["key"])


def _create(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    app_user: dict[str, Any],
    values: dict[str, Any],
) -> dict[str, Any]:
    """Okta's create: look the login name up, match an existing user or POST a new one."""
    label, login, name = app["label"], user["profile"]["login"], directory.display_name(user)
    prefix = f"Automatic provisioning of user {login} to app {label} failed"
    if not app_user["userName"]:
        _fail(backend, app, user, app_user, "create", f"{prefix}: {usernames.BLANK}")
        return backend.app_users.get(app_user["key"])  # type: ignore[return-value]
    try:
        with client(backend, app) as scim:
            try:
                found = scim.find(app_user["userName"])
            except ScimFailure as failure:
                _fail(
                    backend,
                    app,
                    user,
                    app_user,
                    "create",
                    f"{prefix}: Error while verifying if user {app_user['userName']} exists: {failure.describe()}",
                )
                return backend.app_users.get(app_user["key"])  # type: ignore[return-value]
            if found:
                remote = scim.get(found["id"])
                scim.replace(found["id"], merged(remote, user, values, active=True))
                external_id, verb = found["id"], "matched"
            else:
                body = scim_body(user, values, active=True)
                body["password"] = secrets.token_urlsafe(18)
                created = scim.create(body)
                if not created.get("id"):
                    raise ScimFailure("Create new user returned empty user.")
                external_id, verb = created["id"], "created"
    except ScimFailure as failure:
        detail = failure.describe() if failure.status else failure.reason
        _fail(backend, app, user, app_user, "create", f"{prefix}: Error while creating user {name}: {detail}")
        return backend.app_users.get(app_user["key"])  # type: ignore[return-value]
    app_user.update(
        externalId=external_id, status="PROVISIONED", note=None, pushed={"values": values, "active": True}
    )
    _done(
        backend,
        app,
        user,
        app_user,
        "create",
        f"Automatic provisioning of user {login} to app {label} succeeded ({verb})",
    )
    return backend.app_users.get(app_user["key"])  # type: ignore[return-value]


def _deprovision_removed(
    backend: OktaBackend, app: dict[str, Any], user: dict[str, Any], app_user: dict[str, Any]
) -> None:
    """An unassigned user: deactivate it in cybozu.com (if allowed), then forget the app user."""
    toggles = app["provisioning"]["toApp"]
    label, login, name = app["label"], user["profile"]["login"], directory.display_name(user)
    if (
        app_user.get("externalId")
        and toggles["deactivate"]
        and (app_user.get("pushed") or {}).get("active", True)
    ):
        try:
            with client(backend, app) as scim:
                scim.set_active(app_user["externalId"], False)
        except ScimFailure as failure:
            if failure.status == 404:  # already gone from cybozu.com: nothing left to deactivate
                return _forget(backend, app_user)
            _fail(
                backend,
                app,
                user,
                app_user,
                "deactivate",
                f"Automatic deactivation of user {login} in app {label} failed: Error while deactivating user {name}: {failure.describe()}",
            )
            return None
        # Recorded even though the app user is about to be forgotten: if it was assigned again
        # while this request was on the wire, it stays, and the next push must reactivate it.
        app_user["pushed"] = {**(app_user.get("pushed") or {}), "active": False}
        app_user["status"] = "DEPROVISIONED"
        _done(
            backend,
            app,
            user,
            app_user,
            "deactivate",
            f"Automatic deactivation of user {login} in app {label} succeeded",
        )
    return _forget(backend, app_user)


def _forget(backend: OktaBackend, app_user: dict[str, Any]) -> None:
    """Drop an unassigned app user, unless it was assigned again while it was being deactivated."""
    with backend.store.transaction():
        current = backend.app_users.get(app_user["key"])
        if current is not None and current.get("pendingRemoval"):
            _resolve_task(backend, app_user["key"])
            backend.app_users.delete(app_user["key"])
    return None


# -- assignments ------------------------------------------------------------


def _new_app_user(
    backend: OktaBackend,
    app: dict[str, Any],
    user: dict[str, Any],
    user_name: str,
    *,
    individual: bool,
    profile: dict[str, str],
) -> dict[str, Any]:
    stamp = backend.now()
    return {
        "key": app_user_key(app["id"], user["id"]),
        "app_id": app["id"],
        "user_id": user["id"],
        "individual": individual,
        "userName": user_name,
        "profile": profile,
        "status": "STAGED",
        "syncState": DISABLED if not app["provisioning"]["enabled"] else OUT_OF_SYNC,
        "externalId": None,
        "pushed": None,
        "note": ASSIGNED_BEFORE_PROVISIONING if not app["provisioning"]["enabled"] else None,
        "lastError": None,
        "lastSync": None,
        "created": stamp,
        "lastUpdated": stamp,
        "pendingRemoval": False,
    }


def _initial_user_name(app: dict[str, Any], user: dict[str, Any]) -> str:
    sign_on = app["signOn"]
    return usernames.initial_user_name(sign_on["usernameFormat"], sign_on["custom"], user["profile"])


def _check_user_name(app_user: dict[str, Any] | None, user_name: Any) -> str | None:
    if user_name is None:
        return None
    if not isinstance(user_name, str):
        raise Invalid("Api validation failed: userName", ["userName: must be a string"])
    user_name = user_name.strip()
    if app_user and app_user.get("externalId") and user_name != app_user["userName"]:
        raise Invalid(LOGIN_LOCKED)
    if len(user_name) > 128:
        raise Invalid("Api validation failed: userName", ["userName: must be at most 128 characters"])
    return user_name


def assign_user(
    backend: OktaBackend, app_id: str, user_id: str, *, user_name: Any = None, profile: Any = None
) -> dict[str, Any]:
    """[Assign to People] > [Assign] > login name and services > [Save and Go Back]."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        user = directory.get_user(backend, user_id)
        clean = check_profile(app, profile)
        existing = backend.app_users.get(app_user_key(app["id"], user["id"]))
        if existing and existing.get("pendingRemoval"):
            existing = None
        name = _check_user_name(existing, user_name)
        if existing:
            existing["individual"] = True
            existing["profile"] = clean
            if name is not None:
                existing["userName"] = name
            existing["lastUpdated"] = backend.now()
            backend.app_users.put(existing)
        else:
            backend.app_users.delete(app_user_key(app["id"], user["id"]))
            initial = name if name is not None else _initial_user_name(app, user)
            backend.app_users.put(_new_app_user(backend, app, user, initial, individual=True, profile=clean))
        syslog.record(
            backend,
            "application.user_membership.add",
            f"Add user {user['profile']['login']} to app {app['label']}",
            targets=[
                syslog.target("User", user["id"], user["profile"]["login"]),
                syslog.app_target(app),
            ],
        )
    return sync(backend, app["id"], user["id"]) or {}


def update_assignment(
    backend: OktaBackend, app_id: str, user_id: str, *, user_name: Any = None, profile: Any = None
) -> dict[str, Any]:
    """Change an app user's login name (until provisioned) or services, and push."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = get_app_user(backend, app_id, user_id)
        name = _check_user_name(app_user, user_name)
        if name is not None:
            app_user["userName"] = name
        if profile is not None:
            app_user["profile"] = check_profile(app, profile)
            app_user["individual"] = True
        app_user["lastUpdated"] = backend.now()
        backend.app_users.put(app_user)
    return sync(backend, app["id"], user_id, provision=True) or {}


def unassign_user(backend: OktaBackend, app_id: str, user_id: str) -> None:
    """People list: [×] then [OK]. A user still in an assigned group stays assigned through it."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_user = get_app_user(backend, app_id, user_id)
        user = directory.get_user(backend, user_id)
        through_groups = groups_for(backend, app_id, user_id)
        if not app_user["individual"] and through_groups:
            names = ", ".join(
                directory.get_group(backend, ag["group_id"])["profile"]["name"] for ag in through_groups
            )
            raise Invalid(
                f"{directory.display_name(user)} is assigned through the group(s) {names}: unassign the group "
                "or remove the person from it."
            )
        if through_groups:  # individually and through groups: the group assignment remains
            app_user["individual"] = False
            app_user["profile"] = {}
        else:
            app_user["pendingRemoval"] = True
        backend.app_users.put(app_user)
        syslog.record(
            backend,
            "application.user_membership.remove",
            f"Remove user {user['profile']['login']} from app {app['label']}",
            targets=[
                syslog.target("User", user["id"], user["profile"]["login"]),
                syslog.app_target(app),
            ],
        )
    sync(backend, app_id, user_id)


def assign_group(
    backend: OktaBackend, app_id: str, group_id: str, *, profile: Any = None, priority: Any = None
) -> dict[str, Any]:
    """[Assign to Groups] > [Assign] > services > [Save and Go Back]: every member gets the app."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        group = directory.get_group(backend, group_id)
        clean = check_profile(app, profile)
        existing = backend.app_groups.get(app_user_key(app_id, group_id))
        others = [ag for ag in app_groups_of_app(backend, app_id) if ag["group_id"] != group_id]
        if priority is None:
            priority = existing["priority"] if existing else len(others)
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 100:
            raise Invalid("Api validation failed: priority", ["priority: must be an integer from 0 to 100"])
        stamp = backend.now()
        app_group = {
            "key": app_user_key(app_id, group_id),
            "app_id": app_id,
            "group_id": group_id,
            "priority": priority,
            "profile": clean,
            "created": existing["created"] if existing else stamp,
            "lastUpdated": stamp,
        }
        backend.app_groups.put(app_group)
        for member in group["members"]:
            _ensure_group_app_user(backend, app, member)
        syslog.record(
            backend,
            "application.user_membership.add",
            f"Assign group {group['profile']['name']} to app {app['label']}",
            targets=[
                syslog.target("UserGroup", group["id"], group["profile"]["name"]),
                syslog.app_target(app),
            ],
        )
        members = list(group["members"])
    for member in members:
        sync(backend, app_id, member)
    return app_group


def _ensure_group_app_user(backend: OktaBackend, app: dict[str, Any], user_id: str) -> None:
    key = app_user_key(app["id"], user_id)
    existing = backend.app_users.get(key)
    if existing and not existing.get("pendingRemoval"):
        return
    if existing:  # unassigned but not yet deactivated: assigned again
        existing["pendingRemoval"] = False
        existing["individual"] = False
        backend.app_users.put(existing)
        return
    user = directory.get_user(backend, user_id)
    backend.app_users.put(
        _new_app_user(backend, app, user, _initial_user_name(app, user), individual=False, profile={})
    )


def unassign_group(backend: OktaBackend, app_id: str, group_id: str) -> None:
    """Groups list: [×] then [OK]. Members not assigned otherwise lose the app."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app_group = backend.app_groups.get(app_user_key(app_id, group_id))
        if app_group is None:
            raise NotFound(f"Not found: Resource not found: {group_id} (ApplicationGroupAssignment)")
        backend.app_groups.delete(app_group["key"])
        group = directory.get_group(backend, group_id)
        affected = _drop_unassigned_members(backend, app_id, group["members"])
        syslog.record(
            backend,
            "application.user_membership.remove",
            f"Unassign group {group['profile']['name']} from app {app['label']}",
            targets=[
                syslog.target("UserGroup", group["id"], group["profile"]["name"]),
                syslog.app_target(app),
            ],
        )
    for member in affected:
        sync(backend, app_id, member)


def _drop_unassigned_members(backend: OktaBackend, app_id: str, members: list[str]) -> list[str]:
    affected = []
    for member in members:
        app_user = backend.app_users.get(app_user_key(app_id, member))
        if app_user is None or app_user.get("pendingRemoval"):
            continue
        affected.append(member)
        if not app_user["individual"] and not groups_for(backend, app_id, member):
            app_user["pendingRemoval"] = True
            backend.app_users.put(app_user)
    return affected


# -- directory events -------------------------------------------------------


def user_changed(backend: OktaBackend, user_id: str) -> None:
    """A profile or status change: push it to every app the user has."""
    for app_user in backend.app_users.find(lambda au: au["user_id"] == user_id):
        sync(backend, app_user["app_id"], user_id)


def membership_changed(backend: OktaBackend, group_id: str, user_id: str) -> None:
    for app_group in backend.app_groups.find(lambda ag: ag["group_id"] == group_id):
        app = apps.get_app(backend, app_group["app_id"])
        with backend.store.transaction():
            group = directory.get_group(backend, group_id)
            if user_id in group["members"]:
                _ensure_group_app_user(backend, app, user_id)
            else:
                _drop_unassigned_members(backend, app["id"], [user_id])
        sync(backend, app["id"], user_id)


def group_deleted(backend: OktaBackend, group_id: str) -> None:
    for app_group in backend.app_groups.find(lambda ag: ag["group_id"] == group_id):
        unassign_group(backend, app_group["app_id"], group_id)


def user_deleted(backend: OktaBackend, user_id: str) -> None:
    for app_user in backend.app_users.find(lambda au: au["user_id"] == user_id):
        backend.app_users.delete(app_user["key"])


# -- administrator actions --------------------------------------------------


def force_sync(backend: OktaBackend, app_id: str) -> dict[str, int]:
    """[Force Sync]: reapply the mappings to every app user; push only what changed."""
    app = apps.get_app(backend, app_id)
    counts = {"checked": 0, "errors": 0}
    for app_user in app_users_of_app(backend, app_id, include_pending=True):
        counts["checked"] += 1
        result = sync(backend, app_id, app_user["user_id"], provision=True)
        if result and result.get("syncState") == ERROR:
            counts["errors"] += 1
    syslog.record(
        backend,
        "application.provision.force_sync",
        f"Force Sync of {app['label']}: {counts['checked']} users checked, {counts['errors']} errors",
        targets=[syslog.app_target(app)],
    )
    return counts


def provision_user(backend: OktaBackend, app_id: str, user_id: str) -> dict[str, Any]:
    """ "Provision User" for someone assigned before provisioning was enabled."""
    get_app_user(backend, app_id, user_id)
    return sync(backend, app_id, user_id, provision=True) or {}


def list_tasks(backend: OktaBackend, *, status: str | None = "OPEN") -> list[dict[str, Any]]:
    tasks = backend.tasks.find(lambda t: status is None or t["status"] == status)
    return sorted(tasks, key=lambda t: t["seq"])


def force_sync_message(counts: dict[str, int]) -> str:
    """What the console shows after [Force Sync] (and what a scenario's step message is)."""
    return f"Force Sync: {counts['checked']} users checked, {counts['errors']} errors."


def retry_message(results: list[dict[str, Any]]) -> str:
    """What the console shows after [Retry Selected]."""
    return f"{len(results)} task(s) retried; {sum(t['status'] == 'OPEN' for t in results)} still open."


def retry_tasks(backend: OktaBackend, task_ids: list[str]) -> list[dict[str, Any]]:
    """Tasks: [Retry Selected]. Returns the tasks as they stand afterwards."""
    results = []
    for task_id in task_ids:
        task = backend.tasks.get(task_id)
        if task is None:
            raise NotFound(f"Not found: Resource not found: {task_id} (Task)")
        if task["status"] == "OPEN":
            sync(backend, task["app_id"], task["user_id"], provision=True)
        results.append(backend.tasks.get(task_id) or {**task, "status": "RESOLVED"})
    return results
