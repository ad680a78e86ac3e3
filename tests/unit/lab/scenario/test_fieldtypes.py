"""lab.scenario.fieldtypes: the services of an assignment (Enable, Disable, or null for the form's
"(not set)") and the IP address entries of cybozu.set_ip_restriction."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from lab.scenario.verbs import SetIpRestriction, UpdateAssignment


def test_a_service_can_be_set_back_to_not_set() -> None:
    loaded = UpdateAssignment().load({"user": "a@example.com", "services": {"office": None, "kintone": True}})
    assert loaded["services"] == {"office": None, "kintone": "Enable"}
    with pytest.raises(ValidationError, match="or null for not set"):
        UpdateAssignment().load({"user": "a@example.com", "services": {"office": "maybe"}})


def test_ip_entries_are_short_forms_or_rows() -> None:
    loaded = SetIpRestriction().load({"entries": ["192.0.2.8", {"ip": "198.51.100.0", "cidr": 24, "memo": "Osaka"}]})
    assert loaded["mode"] == "allow_specific" and loaded["entries"][1]["cidr"] == 24
    for bad in ([{"cidr": 24}], [{"ip": "1.2.3.4", "mask": 8}], [7]):
        with pytest.raises(ValidationError, match="an entry is"):
            SetIpRestriction().load({"entries": bad})
    with pytest.raises(ValidationError, match="Must be one of"):
        SetIpRestriction().load({"mode": "enabled"})
