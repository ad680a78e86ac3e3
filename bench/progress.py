"""The progress bar every long benchmark shows on a terminal (stderr; silent when piped)."""

from __future__ import annotations

import sys

WIDTH = 30


def progress(label: str, done: int, total: int) -> None:
    if not sys.stderr.isatty() or total <= 0:
        return
    filled = WIDTH * done // total
    sys.stderr.write(f"\r  {label:<28} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
