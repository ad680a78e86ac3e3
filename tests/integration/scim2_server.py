"""python-scim's ``scim2-server`` as a real process on an ephemeral port of 127.0.0.1: an external
SCIM 2.0 target the lab did not start (tests/integration/test_external_target.py).

It serves RFC 7643's schemas plus the cybozu.com extension Okta's Cybozu app sends (the schema
cybozu_sim publishes at /Schemas): a SCIM server without it refuses that app's users, as
scim2-server answers "Extra inputs are not permitted".
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
from scim2_server.utils import load_default_resource_types, load_default_schemas

from cybozu_sim.scim.schema import CYBOZU_EXTENSION, schema_documents

SERVER = Path(sys.executable).with_name("scim2-server")
STARTS = 3  # another process may take the port between choosing it and the server binding it


def schema_files(folder: Path) -> list[str]:
    schemas = [s.model_dump(mode="json") for s in load_default_schemas().values()]
    schemas.append(next(d for d in schema_documents() if d["id"] == CYBOZU_EXTENSION))
    types = [t.model_dump(mode="json") for t in load_default_resource_types().values()]
    for resource_type in types:
        if resource_type["id"] == "User":
            resource_type["schemaExtensions"].append({"schema": CYBOZU_EXTENSION, "required": False})
    (folder / "schemas.json").write_text(json.dumps(schemas))
    (folder / "resource-types.json").write_text(json.dumps(types))
    return ["--schema", str(folder / "schemas.json"), "--resource-type", str(folder / "resource-types.json")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Scim2Server:
    """``with Scim2Server(folder, token) as server:`` serves ``server.url`` (``.../v2``)
    accepting only ``Authorization: Bearer <token>``."""

    def __init__(self, folder: Path, token: str) -> None:
        self.folder, self.token = folder, token
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Scim2Server:
        options = schema_files(self.folder)
        for _ in range(STARTS):
            port = free_port()
            self.process = subprocess.Popen(
                [str(SERVER), "--port", str(port), "--bearer-token", self.token, *options],
                stdout=subprocess.PIPE,
                stderr=(self.folder / "scim2-server.log").open("a"),
                text=True,
            )
            assert self.process.stdout is not None
            line = self.process.stdout.readline()  # printed once it listens; "" if it died
            if line.startswith("Serving SCIM on "):
                self.url = line.removeprefix("Serving SCIM on ").strip()
                return self
            self.process.wait()
        raise RuntimeError(
            f"scim2-server did not start: {(self.folder / 'scim2-server.log').read_text()[-2000:]}"
        )

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def users(self) -> list[dict[str, Any]]:
        """What the server holds, read as any SCIM client would."""
        answer = httpx2.get(
            f"{self.url}/Users", headers={"Authorization": f"Bearer {self.token}"}, timeout=10
        )
        answer.raise_for_status()
        return list(answer.json().get("Resources", []))
