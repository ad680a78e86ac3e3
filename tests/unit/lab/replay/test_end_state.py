"""lab.replay.end_state: what two drivers' end states are compared by."""

from __future__ import annotations


def test_end_states_ignore_ids_but_not_what_people_see() -> None:
    from lab.replay.end_state import differences, plain

    assert plain("User '0123456789abcdef0123456789abcdef' not found") == "User '<id>' not found"
    assert plain("assigned 00u1a2b3c4d5e6f7g8h9 to the app") == "assigned <id> to the app"
    # Each run's cybozu_sim listens on its own ephemeral port, which Okta's empty-reply text names.
    assert plain("Error while creating user a: 127.0.0.1:41234 failed to respond") == (
        "Error while creating user a: 127.0.0.1:<port> failed to respond"
    )
    left = {"cybozu": {"example": {"users": [("alice", "Active")]}}, "okta": {"tasks": []}}
    right = {"cybozu": {"example": {"users": [("alice", "Inactive")]}}, "okta": {"tasks": []}}
    assert differences(left, left) == []
    assert differences(left, right) == [
        "cybozu.example.users[0]: ('alice', 'Active') != ('alice', 'Inactive')"
    ]
    assert differences({"a": [1]}, {"a": [1, 2]}) == ["a: [1] != [1, 2]"]
