"""`make bench` / `python -m bench [-n N]`: run every benchmark and print its table.

``-n`` sets W1's requests per phase; W2 runs 1,000 then 10,000 people (and
reports W4, each process's peak RSS); W3 replays the scenarios folder.
"""

from __future__ import annotations

import sys

from bench import w1_scim, w2_group_sync, w3_scenarios


def main(argv: list[str] | None = None) -> int:
    return w1_scim.main(argv) or w2_group_sync.main([]) or w3_scenarios.main([])


if __name__ == "__main__":
    sys.exit(main())
