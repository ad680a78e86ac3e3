"""okta_sim.provisioning.mapping: the Attribute Mappings the console shows are what a push sends."""

from __future__ import annotations

from okta_sim import apps, directory_writes
from okta_sim.backend import OktaBackend
from okta_sim.provisioning import assignments, mapping
from tests.unit.okta_sim.conftest import PROFILE


def test_the_mapping_table_the_console_shows_is_what_mapped_pushes(okta: OktaBackend) -> None:
    app = apps.add_app(okta, "cybozu", domain_name="example")
    user = directory_writes.create_user(okta, PROFILE)
    app_user = assignments.assign_user(okta, app["id"], user["id"], profile={"kintone": "Enable"})
    pushed = mapping.mapped(okta, app, user, app_user)
    assert [name for name, _, _ in mapping.ATTRIBUTE_MAPPINGS] == [k for k in pushed if k != "services"]
