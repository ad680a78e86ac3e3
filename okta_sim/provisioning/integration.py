"""The API integration: the SCIM client an app's pushes use, [Test API Credentials], and the
Provisioning tab's settings ("Enable API integration", "Provisioning to App")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from okta_sim import apps, syslog
from okta_sim.backend import OktaBackend
from okta_sim.errors import Invalid
from okta_sim.provisioning.scim_client import OktaScimClient, ScimFailure


@dataclass
class Outcome:
    ok: bool
    message: str


def client(
    backend: OktaBackend, app: dict[str, Any], token: str | None = None, *, login: str | None = None
) -> OktaScimClient:
    """The SCIM client of one push (``login``: the person's, which picks the egress address) or
    of [Test API Credentials] (the pool's next address)."""
    def on_exchange(exchange: dict[str, Any]) -> None:
        backend.exchanges.append({"app_id": app["id"], "time": backend.now(), "order": backend.jobs.stamp(), **exchange})
        backend.exchanges_sent += 1

    def on_rate_limit(wait: float) -> None:
        syslog.record(
            backend,
            "application.integration.rate_limit_exceeded",
            "API rate limit exceeded",
            result="FAILURE",
            reason=f"Rate limit exceeded for {app['label']}: retrying after {wait:g} s",
            transaction="JOB",
            targets=[syslog.app_target(app)],
        )

    return OktaScimClient(
        backend.scim_url(app["settings"]["domainName"]),
        token or app["provisioning"]["token"] or "",
        source_address=backend.egress.address_for(login) if login else backend.egress.next_address(),
        timeout=backend.scim_timeout,
        transient_retries=backend.scim_retries,
        on_exchange=on_exchange,
        on_rate_limit=on_rate_limit,
        # Retry-After is waited on the lab clock: a scenario's frozen clock jumps instead of sleeping.
        sleep=backend.clock.sleep,
        pool=backend.connections,
        clock=backend.clock.now,
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
            "application.integration.authentication_failure",
            "Error authenticating",
            result="FAILURE",
            reason=message,
            targets=target,
        )
        return Outcome(False, message)
    message = f"{app['label']} was verified successfully!"
    syslog.record(backend, "application.provision.integration.call_api", "Application integration API called", targets=target)
    return Outcome(True, message)


def configure_api_integration(
    backend: OktaBackend, app_id: str, *, enabled: bool, token: str | None = None
) -> dict[str, Any]:
    """[Configure API Integration] / [Integration] > [Edit]: "Enable API integration", "API Token", [Save].

    Saving an enabled integration tests the credentials first, as Okta does.
    Turning it off resets "Provisioning to App"; turning it on again restores
    the default attribute list, so unlicensed services must be deleted again.
    """
    app = apps.get_app(backend, app_id)
    settings = app["provisioning"]
    if enabled:
        secret = (token or "").strip() or settings.get("token")
        if not secret:
            raise Invalid("Api validation failed: token", ["API Token: The field cannot be left blank"])
        if not (secret.isascii() and secret.isprintable()):  # it travels in an HTTP header
            raise Invalid("Api validation failed: token", ["API Token: Use printable ASCII characters only"])
        outcome = test_credentials(backend, app, secret)
        if not outcome.ok:
            raise Invalid(outcome.message)
        with backend.store.transaction():
            app = apps.get_app(backend, app_id)
            if not app["provisioning"]["enabled"]:
                app["attributes"] = [name for name, _ in apps.SERVICE_ATTRIBUTES]
            app["provisioning"]["enabled"] = True
            app["provisioning"]["token"] = secret
            return apps.save(
                backend,
                app,
                "application.lifecycle.update",
                f"Enable API integration for {app['label']}",
            )
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        app["provisioning"]["enabled"] = False
        app["provisioning"]["toApp"] = {"create": False, "update": False, "deactivate": False}
        return apps.save(
            backend,
            app,
            "application.lifecycle.update",
            f"Disable API integration for {app['label']}",
        )


def set_provisioning_to_app(
    backend: OktaBackend, app_id: str, *, create: bool, update: bool, deactivate: bool
) -> dict[str, Any]:
    """[To App] > "Provisioning to App" > [Edit]: Create Users, Update User Attributes, Deactivate Users > [Save]."""
    with backend.store.transaction():
        app = apps.get_app(backend, app_id)
        if not app["provisioning"]["enabled"] and (create or update or deactivate):
            raise Invalid("Enable API integration before enabling Provisioning to App.")
        app["provisioning"]["toApp"] = {
            "create": bool(create),
            "update": bool(update),
            "deactivate": bool(deactivate),
        }
        return apps.save(
            backend,
            app,
            "application.lifecycle.update",
            f"Update Provisioning to App for {app['label']}",
        )
