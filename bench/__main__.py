"""`make bench` / `python -m bench`: run every benchmark and print its table."""

from __future__ import annotations

import sys

from bench import w1_scim, w2_group_sync


def main(argv: list[str] | None = None) -> int:
    return w1_scim.main(argv) or w2_group_sync.main([])


if __name__ == "__main__":
    sys.exit(main())
