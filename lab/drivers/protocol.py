"""What the runner relies on of a driver, and what performing a verb gives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from lab.drivers.client import LabClient

# A verb's parameters as its schema loaded them (lab.scenario.verbs), defaults included.
Params = Mapping[str, Any]


@dataclass
class Result:
    ok: bool = True
    message: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def ip_entries(params: Params, client: LabClient) -> list[Any]:
    """cybozu.set_ip_restriction's entries, Okta's published egress addresses added if asked
    (the administrator copies them in, as the article advises against)."""
    okta = client.okta_egress() if params["allow_okta_ips"] else []
    return [*params["entries"], *({"ip": address, "memo": "Okta"} for address in okta)]


def csv_file(params: Params) -> bytes:
    """cybozu.import_ip_csv's file as the administrator saved it: its line breaks and encoding."""
    lines = params["csv"].replace("\r\n", "\n").rstrip("\n").split("\n")
    newline = "\r\n" if params["line_breaks"] == "crlf" else "\n"
    return (newline.join(lines) + newline).encode(params["encoding"])


def retried(client: LabClient, message: str | None, task_ids: set[str]) -> Result:
    """[Retry Selected]'s outcome once its pushes have run: it fails while a task stays open."""
    still_open = client.still_open(task_ids)
    values = {"message": message}
    if still_open:
        return Result(ok=False, message=f"{message} {still_open} still open.", values=values)
    return Result(message=message, values=values)


def force_synced(client: LabClient, app_id: str, message: str | None, checked: int) -> Result:
    """[Force Sync]'s outcome once its pushes have run: it fails when app users are in error."""
    errors = client.errors_in(app_id)
    values = {"checked": checked, "errors": errors, "message": message}
    if errors:
        return Result(ok=False, message=f"{message} {errors} in error.", values=values)
    return Result(message=message, values=values)


class Driver(Protocol):
    """Performs a scenario's verbs, one way (HTTP, the consoles); the state is read through ``client``."""

    name: str
    client: LabClient

    def setup(self, setup: dict[str, Any]) -> None: ...

    def perform(self, verb: str, params: Params) -> Result:
        """Do ``verb``; an app's refusal raises ActionError with its message."""
        ...

    def begin_step(self) -> None: ...

    def end_step(self, failed: bool, folder: Path | None) -> list[Path]:
        """Files that show a failing step (the UI driver keeps a screenshot and a trace)."""
        ...

    def close(self) -> None: ...
