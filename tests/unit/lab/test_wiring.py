"""Both apps in one process push one person at a time unless told otherwise."""

from __future__ import annotations

from lab.wiring import IN_PROCESS_PUSH_WORKERS, AppPair


def test_an_in_process_pair_has_one_push_worker_unless_its_settings_say() -> None:
    pairs = [AppPair(), AppPair(okta={"PUSH_WORKERS": 3})]
    try:
        assert [pair.okta.app.config["PUSH_WORKERS"] for pair in pairs] == [IN_PROCESS_PUSH_WORKERS, 3]
        assert IN_PROCESS_PUSH_WORKERS == 1
    finally:
        for pair in pairs:
            pair.stop()
