"""What simcore's unit tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simcore.store import Store


def reloaded(path: Path) -> dict[str, Any]:
    """What a new Store on ``path`` loads: the data as a restart would see it."""
    return Store(path).snapshot()
