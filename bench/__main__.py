"""`make bench` / `python -m bench`: run every benchmark and print its table."""

from __future__ import annotations

import sys

from bench import w1_scim, w2_group_sync, w3_scenarios


def main(argv: list[str] | None = None) -> int:
    return w1_scim.main(argv) or w2_group_sync.main([]) or w3_scenarios.main([])


if __name__ == "__main__":
    sys.exit(main())
