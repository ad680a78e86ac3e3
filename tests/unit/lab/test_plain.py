"""The checklist's "The lab sees" in plain words (issue 16: it showed Python literals)."""

from __future__ import annotations

import pytest

from lab.training.plain import plain


@pytest.mark.parametrize(
    ("detail", "shown"),
    [
        ("cybozu.com example-t2: api_tokens: expected 1, got 0", "cybozu.com example-t2: API tokens: should be 1, is 0"),
        ("cybozu.com example-t1: propagate_provisioning: expected True, got False",
         'cybozu.com example-t1: "Propagate Provisioning": should be on, is off'),
        ("Okta app: attributes: expected ['kintone', 'garoon'], got ['kintone', 'garoon', 'office']",
         "Okta app: attributes in the Profile Editor: should be kintone, garoon, is kintone, garoon, office"),
        ("Okta app user 'alice.smith@example.com': expected an assignment, found none",
         'Okta app user "alice.smith@example.com": should have an assignment, found none'),
        ("Okta app: to_app: create: expected True, got None", 'Okta app: "Provisioning to App": "Create Users": should be on, is not set'),
    ],
)  # fmt: skip
def test_the_lab_sees_in_the_consoles_words(detail: str, shown: str) -> None:
    assert plain(detail) == shown
    assert "True" not in plain(detail) and "'" not in plain(detail)
