"""lab.replay.end_state: what two drivers' end states are compared by."""

from __future__ import annotations


def test_end_states_ignore_ids_but_not_what_people_see() -> None:
    from lab.replay.end_state import differences, plain

    assert plain("User '0123456789abcdef0123456789abcdef' not found") == "User '<id>' not found"
    assert plain("assigned 00u1a2b3c4d5e6f7g8h9 to the app") == "assigned <id> to the app"
    left = {"cybozu": {"example": {"users": [("alice", "Active")]}}, "okta": {"tasks": []}}
    right = {"cybozu": {"example": {"users": [("alice", "Inactive")]}}, "okta": {"tasks": []}}
    assert differences(left, left) == []
    assert differences(left, right) == [
        "cybozu.example.users[0]: ('alice', 'Active') != ('alice', 'Inactive')"
    ]
    assert differences({"a": [1]}, {"a": [1, 2]}) == ["a: [1] != [1, 2]"]
