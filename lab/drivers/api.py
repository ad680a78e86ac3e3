"""The API driver: performs each scenario verb through the apps' HTTP interfaces.

Okta's actions go through okta_sim's /api/v1 (as Okta's own API would take them)
and, for the console buttons Okta has no public API for ([Test API
Credentials], [Force Sync], [Retry Selected]), through okta_sim's lab control
API, which calls the same domain functions as the console. cybozu.com's admin
actions go through cybozu_sim's lab control API. Nothing here touches storage.
"""

from __future__ import annotations

from typing import Any

from lab.drivers.client import ActionError
from lab.drivers.lab_verbs import LabVerbs
from lab.drivers.protocol import Params, Result, csv_file, force_synced, ip_entries, retried
from okta_sim.public import CYBOZU_APP, USERNAME_FORMATS, USERNAME_UPDATE_ON, search_catalog


def enabled(on: bool) -> dict[str, str]:
    return {"status": "ENABLED" if on else "DISABLED"}


EDITED_FIELDS = ("display", "surname", "given", "email")  # cybozu.edit_user's besides new_login
ADMIN_SET_PASSWORD = "Lab-Passw0rd"  # meets Okta's default policy (model.check_password)


class ApiDriver(LabVerbs):
    """Every verb as an HTTP request (or a few) to the app that owns it."""

    name = "api"

    # -- cybozu.com ---------------------------------------------------------------

    def tenant_path(self, params: Params) -> str:
        return f"/_lab/tenants/{self.client.tenant(params.get('tenant'))}"

    def cybozu_create_api_token(self, params: Params) -> Result:
        body: dict[str, Any] = {"notes": params.get("notes", ""), "validity": params["validity"]}
        answer = self.client.call("cybozu", "POST", f"{self.tenant_path(params)}/tokens", body)
        return Result(
            values={"token": answer["token"], "scim_endpoint": answer["scim_endpoint"], "id": answer["id"]}
        )

    def cybozu_disable_api_token(self, params: Params) -> Result:
        return self.set_token(params, enabled=False)

    def cybozu_enable_api_token(self, params: Params) -> Result:
        return self.set_token(params, enabled=True)

    def set_token(self, params: Params, *, enabled: bool) -> Result:
        self.client.token_position(params.get("tenant"), params["id"])  # an id the tenant has
        self.client.call("cybozu", "PUT", f"{self.tenant_path(params)}/tokens/{params['id']}", {"enabled": enabled})
        return Result()

    def cybozu_delete_api_token(self, params: Params) -> Result:
        self.client.token_position(params.get("tenant"), params["id"])  # an id the tenant has
        self.client.call("cybozu", "DELETE", f"{self.tenant_path(params)}/tokens/{params['id']}")
        return Result()

    def cybozu_set_propagate_provisioning(self, params: Params) -> Result:
        path = f"{self.tenant_path(params)}/propagate-provisioning"
        self.client.call("cybozu", "PUT", path, {"enabled": params["enabled"]})
        return Result()

    def cybozu_set_ip_restriction(self, params: Params) -> Result:
        body = {"mode": params["mode"], "entries": ip_entries(params, self.client)}
        self.client.call("cybozu", "PUT", f"{self.tenant_path(params)}/ip-restriction", body)
        return Result()

    def cybozu_import_ip_csv(self, params: Params) -> Result:
        path = f"{self.tenant_path(params)}/ip-restriction.csv"
        self.client.call("cybozu", "PUT", path, content=csv_file(params))
        return Result()

    def cybozu_set_basic_auth(self, params: Params) -> Result:
        body = {key: params.get(key) for key in ("enabled", "user", "password")}
        self.client.call("cybozu", "PUT", f"{self.tenant_path(params)}/basic-auth", body)
        return Result()

    def cybozu_add_user(self, params: Params) -> Result:
        body = {key: params.get(key, "") for key in ("login", "surname", "given", "email")}
        body.update(
            services=params["services"],
            active=params["active"],
            display=params.get("display") or params["login"],
        )
        answer = self.client.call("cybozu", "POST", f"{self.tenant_path(params)}/users", body)
        return Result(values={"id": answer["id"]})

    def cybozu_user(self, params: Params) -> tuple[str, dict[str, Any]]:
        subdomain, login = self.client.tenant(params.get("tenant")), params["login"]
        user = next((u for u in self.client.cybozu_users(subdomain) if u["login"] == login), None)
        if user is None:
            raise ActionError(f"no user with the log in name {login!r} in {subdomain}")
        return subdomain, user

    def cybozu_user_path(self, params: Params) -> str:
        subdomain, user = self.cybozu_user(params)
        return f"/_lab/tenants/{subdomain}/users/{user['id']}"

    def cybozu_view_user(self, params: Params) -> Result:
        _, user = self.cybozu_user(params)
        return Result(values={"id": user["id"], "status": user["status"]})

    def cybozu_delete_user(self, params: Params) -> Result:
        self.client.call("cybozu", "DELETE", self.cybozu_user_path(params))
        return Result()

    def cybozu_edit_user(self, params: Params) -> Result:
        fields = {"login": params.get("new_login")} | {k: params.get(k) for k in EDITED_FIELDS}
        changes = {k: v for k, v in fields.items() if v is not None}
        self.client.call("cybozu", "PUT", self.cybozu_user_path(params), changes)
        return Result()

    def cybozu_deactivate_user(self, params: Params) -> Result:
        self.client.call("cybozu", "PUT", self.cybozu_user_path(params), {"active": False})
        return Result()

    def cybozu_activate_user(self, params: Params) -> Result:
        self.client.call("cybozu", "PUT", self.cybozu_user_path(params), {"active": True})
        return Result()

    # -- Okta -----------------------------------------------------------------------

    def okta_add_catalog_app(self, params: Params) -> Result:
        search = params["search"]
        if not any(entry.key == CYBOZU_APP for entry in search_catalog(search)):
            raise ActionError(f'Searching the App Catalog for "{search}" does not find Cybozu (cybozu.com).')
        domain_name = self.client.domain(params["domain_name"])
        body: dict[str, Any] = {"name": CYBOZU_APP, "settings": {"app": {"domainName": domain_name}}}
        if params.get("label"):
            body["label"] = params["label"]
        app = self.client.okta("POST", "/apps", body)
        self.client.apps.append(app["id"])
        return Result(values={"id": app["id"], "label": app["label"]})

    def okta_configure_api_integration(self, params: Params) -> Result:
        on = params["enabled"]
        self.integration(self.client.app(params.get("app")), on, params.get("token"))
        return Result(message=f"API integration: {'Enabled' if on else 'Disabled'}")

    def integration(self, app_id: str, on: bool, token: str | None = None) -> None:
        """Save "Enable API integration" (with the token when one is given), or turn it off."""
        connection = f"/apps/{app_id}/connections/default"
        if on and token:
            self.client.okta("POST", connection, {"profile": {"authScheme": "TOKEN", "token": token}})
        elif on:  # the saved token is kept
            self.client.okta("POST", f"{connection}/lifecycle/activate")
        else:
            self.client.okta("POST", f"{connection}/lifecycle/deactivate")

    def okta_test_api_credentials(self, params: Params) -> Result:
        path = f"/_lab/apps/{self.client.app(params.get('app'))}/test-credentials"
        answer = self.client.call("okta", "POST", path, {"token": params["token"]})
        return Result(ok=answer["ok"], message=answer["message"])

    def okta_set_provisioning_to_app(self, params: Params) -> Result:
        body = {
            "create": {"lifecycleCreate": enabled(params["create"])},
            "update": {
                "profile": enabled(params["update"]),
                "lifecycleDeactivate": enabled(params["deactivate"]),
            },
        }
        self.client.okta(
            "PUT", f"/apps/{self.client.app(params.get('app'))}/features/USER_PROVISIONING", body
        )
        return Result()

    def okta_delete_profile_attribute(self, params: Params) -> Result:
        body = {"definitions": {"custom": {"properties": {params["attribute"]: None}}}}
        self.client.okta("POST", f"/meta/schemas/apps/{self.client.app(params.get('app'))}/default", body)
        return Result()

    def okta_set_username_format(self, params: Params) -> Result:
        chosen = params["format"]
        if chosen == "none":
            template: dict[str, Any] = {"type": "NONE"}
        elif chosen == "custom":
            template = {"type": "CUSTOM", "template": params.get("expression")}
        else:
            template = {"type": "BUILT_IN", "template": USERNAME_FORMATS[chosen][1]}
        if params.get("update_on"):
            template["pushStatus"] = USERNAME_UPDATE_ON[params["update_on"]][1]
        body = {"credentials": {"userNameTemplate": template}}
        self.client.okta("PUT", f"/apps/{self.client.app(params.get('app'))}", body)
        return Result()

    def pushed(self, app_id: str, app_user: dict[str, Any]) -> Result:
        """The assignment's outcome once its push has run (Okta pushes in the background)."""
        error = self.client.push_error(app_id, app_user["id"])
        return Result() if error is None else Result(ok=False, message=error)

    def okta_assign_people(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        user_id = self.client.user_id(params["user"])
        body: dict[str, Any] = {"id": user_id, "scope": "USER", "profile": params["services"]}
        if "user_name" in params:
            body["credentials"] = {"userName": params["user_name"]}
        return self.pushed(app_id, self.client.okta("POST", f"/apps/{app_id}/users", body))

    def okta_update_assignment(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        user_id = self.client.user_id(params["user"])
        body: dict[str, Any] = {}
        if "user_name" in params:
            body["credentials"] = {"userName": params["user_name"]}
        if "services" in params:
            # The services named change; the others keep their values, as on the console's form.
            current = self.client.okta("GET", f"/apps/{app_id}/users/{user_id}")["profile"]
            body["profile"] = {**current, **params["services"]}
        return self.pushed(app_id, self.client.okta("POST", f"/apps/{app_id}/users/{user_id}", body))

    def okta_assign_group(self, params: Params) -> Result:
        body: dict[str, Any] = {"profile": params["services"]}
        if "priority" in params:
            body["priority"] = params["priority"]
        app_id, group_id = self.client.app(params.get("app")), self.client.group_id(params["group"])
        self.client.okta("PUT", f"/apps/{app_id}/groups/{group_id}", body)
        return Result()

    def okta_unassign(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        if "user" in params:
            self.client.okta("DELETE", f"/apps/{app_id}/users/{self.client.user_id(params['user'])}")
        else:
            self.client.okta("DELETE", f"/apps/{app_id}/groups/{self.client.group_id(params['group'])}")
        return Result()

    def okta_add_person(self, params: Params) -> Result:
        login = params["login"]
        profile = {
            "login": login,
            "firstName": params["first_name"],
            "lastName": params["last_name"],
            "email": params.get("email") or login,
        }
        if params.get("display_name"):
            profile["displayName"] = params["display_name"]
        # A password, as the console's [Add Person] sets one ("Set by admin"): without it Okta leaves
        # the person PROVISIONED until they finish activation themselves.
        body = {"profile": profile, "credentials": {"password": {"value": ADMIN_SET_PASSWORD}}}
        user = self.client.call("okta", "POST", "/api/v1/users", body, activate="true")
        return Result(values={"id": user["id"]})

    def user_path(self, params: Params) -> str:
        return f"/users/{self.client.user_id(params['user'])}"

    def okta_update_user(self, params: Params) -> Result:
        self.client.okta("POST", self.user_path(params), {"profile": params["profile"]})
        return Result()

    def lifecycle(self, params: Params, operation: str) -> Result:
        self.client.okta("POST", f"{self.user_path(params)}/lifecycle/{operation}")
        return Result()

    def okta_deactivate_user(self, params: Params) -> Result:
        return self.lifecycle(params, "deactivate")

    def okta_activate_user(self, params: Params) -> Result:
        return self.lifecycle(params, "activate")

    def okta_suspend_user(self, params: Params) -> Result:
        return self.lifecycle(params, "suspend")

    def okta_unsuspend_user(self, params: Params) -> Result:
        return self.lifecycle(params, "unsuspend")

    def okta_unlock_user(self, params: Params) -> Result:
        return self.lifecycle(params, "unlock")

    def member_path(self, params: Params) -> str:
        return f"/groups/{self.client.group_id(params['group'])}{self.user_path(params)}"

    def okta_add_to_group(self, params: Params) -> Result:
        self.client.okta("PUT", self.member_path(params))
        return Result()

    def okta_remove_from_group(self, params: Params) -> Result:
        self.client.okta("DELETE", self.member_path(params))
        return Result()

    def okta_force_sync(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        answer = self.client.call("okta", "POST", f"/_lab/apps/{app_id}/force-sync")
        return force_synced(self.client, app_id, answer["message"], answer["checked"])

    def okta_retry_tasks(self, params: Params) -> Result:
        user_id = self.client.user_id(params["user"]) if params.get("user") else None
        selected = [t["id"] for t in self.client.tasks() if user_id is None or t["user_id"] == user_id]
        if not selected:
            raise ActionError("Select the tasks to retry.")
        answer = self.client.call("okta", "POST", "/_lab/tasks/retry", {"task_ids": selected})
        return retried(self.client, answer["message"], set(selected))

    def okta_turn_off_provisioning(self, params: Params) -> Result:
        return self.do("okta.configure_api_integration", enabled=False, app=params.get("app"))

    def okta_restart_provisioning(self, params: Params) -> Result:
        app_id = self.client.app(params.get("app"))
        self.integration(app_id, True)
        self.do("okta.set_provisioning_to_app", app=app_id)
        return Result(message="API integration: Enabled", values={"message": "API integration: Enabled"})
