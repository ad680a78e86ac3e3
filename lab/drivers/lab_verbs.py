"""What every driver does the same way, whatever reaches the consoles: the lab's own verbs
(``lab.*``: the clock, faults, Okta's egress addresses, snapshots), which neither product
has a console for, go through the lab control APIs; ``lab.connect`` strings the driver's
own verbs together; the setup and the SCIM wire log of each step are the client's.

A verb ``a.b`` is the method ``a_b`` and takes the parameter mapping its schema loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lab.drivers.client import ActionError, LabClient
from lab.drivers.protocol import Params, Result
from lab.scenario.verbs import parameters

FAULT_STATUS = {"rate_limit": 429, "server_error": 503}
# The kinds that are one fixed rule of simcore.faults.
FAULT_RULES: dict[str, dict[str, Any]] = {"connection_reset": {"drop": "reset"}, "empty_reply": {"drop": "close"}}


class LabVerbs:
    """The part of a driver that works through the lab API; ApiDriver and UiDriver extend it."""

    def __init__(self, client: LabClient) -> None:
        self.client = client
        self.snapshots: dict[str, dict[str, Any]] = {}

    def perform(self, verb: str, params: Params) -> Result:
        result: Result = getattr(self, verb.replace(".", "_"))(params)
        return result

    def do(self, verb: str, **given: Any) -> Result:
        """Perform ``verb`` with ``given`` loaded as a step's parameters are (None: not given)."""
        return self.perform(verb, parameters(verb, {k: v for k, v in given.items() if v is not None}))

    def setup(self, setup: dict[str, Any]) -> None:
        self.client.setup(setup, self.do)

    def begin_step(self) -> None:
        self.client.clear_exchanges()

    def end_step(self, failed: bool, folder: Path | None) -> list[Path]:
        """Files that show a failing step; none here."""
        return []

    def close(self) -> None:
        self.client.close()

    # -- lab ------------------------------------------------------------------------

    def lab_connect(self, params: Params) -> Result:
        subdomain = self.client.tenant(params.get("tenant"))
        external = self.client.external
        if external:  # STEP1 was done in the tenant's console: its token is the one given to the run
            token = {"token": external.token}
        else:
            token = self.do("cybozu.create_api_token", tenant=subdomain, notes="Okta").values
            self.do("cybozu.set_propagate_provisioning", enabled=True, tenant=subdomain)
        app_id = self.do("okta.add_catalog_app", domain_name=params.get("domain_name") or subdomain).values[
            "id"
        ]
        self.do("okta.configure_api_integration", token=token["token"], app=app_id)
        self.do("okta.set_provisioning_to_app", app=app_id)
        if params["delete_unlicensed"]:
            self.delete_unlicensed_attributes(subdomain, app_id)
        ids = {"token_id": token["id"]} if "id" in token else {}  # an external token's id is unknown
        return Result(values={"token": token["token"], "app": app_id, **ids})

    def delete_unlicensed_attributes(self, subdomain: str, app_id: str) -> None:
        """Profile Editor: delete the service attributes the tenant has no licences for."""
        for attribute in self.client.unlicensed_attributes(subdomain, app_id):
            self.do("okta.delete_profile_attribute", attribute=attribute, app=app_id)

    def lab_advance_clock(self, params: Params) -> Result:
        seconds = params.get("seconds", 0) + params.get("days", 0) * 86400
        self.client.both("POST", "/_lab/clock", {"advance": seconds})
        return Result()

    def lab_lock_out_user(self, params: Params) -> Result:
        self.client.call("okta", "POST", f"/_lab/users/{self.client.user_id(params['user'])}/lock-out")
        return Result()

    def lab_rotate_okta_ips(self, params: Params) -> Result:
        addresses = self.client.call("okta", "POST", "/_lab/egress/rotate")["addresses"]
        return Result(values={"addresses": ", ".join(addresses)})

    def lab_fault(self, params: Params) -> Result:
        """The verb's kind as a rule of the app's /_lab/faults (simcore.faults)."""
        kind = params["kind"]
        spec: dict[str, Any] = {"path": params["path"], **FAULT_RULES.get(kind, {})}
        if kind in FAULT_STATUS:
            spec["status"] = params.get("status") or FAULT_STATUS[kind]
        if kind == "rate_limit":
            spec["retry_after"] = params.get("retry_after", 1)
        if kind == "latency":
            spec["delay_ms"] = params.get("delay_ms") or 500
        if kind == "timeout":
            spec["delay_ms"] = self.past_timeout_ms()
        if kind == "malformed_body":
            spec.update({key: params[key] for key in ("body", "status") if key in params})
        if kind == "slow_body":
            spec["chunks"] = params.get("chunks", 2)
            spec["slow_body_ms"] = params.get("delay_ms") or self.past_timeout_ms() * (spec["chunks"] - 1)
        if "probability" in params:
            spec.update(probability=params["probability"], seed=self.client.seed)
        for key in ("times", "method"):
            if key in params:
                spec[key] = params[key]
        self.client.call(params["app"], "POST", "/_lab/faults", spec)
        return Result()

    def past_timeout_ms(self) -> int:
        """A wait one second longer than okta_sim's SCIM read timeout."""
        return int((self.client.endpoints.scim_timeout + 1) * 1000)

    def lab_clear_faults(self, params: Params) -> Result:
        self.client.both("DELETE", "/_lab/faults")
        return Result()

    def lab_snapshot(self, params: Params) -> Result:
        okta, cybozu = self.client.both("GET", "/_lab/snapshot")
        self.snapshots[params["name"]] = {
            "okta": okta,
            "cybozu": cybozu,
            "tenants": list(self.client.tenants),
            "apps": list(self.client.apps),
        }
        return Result()

    def lab_restore(self, params: Params) -> Result:
        name = params["name"]
        if name not in self.snapshots:
            raise ActionError(f"no snapshot named {name!r}; take one with lab.snapshot first")
        saved = self.snapshots[name]
        for app in ("okta", "cybozu"):
            self.client.call(app, "POST", "/_lab/restore", saved[app])
        self.client.tenants, self.client.apps = list(saved["tenants"]), list(saved["apps"])
        return Result()
