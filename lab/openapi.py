"""``python -m lab.openapi``: write both apps' OpenAPI documents to docs/openapi/ (what GET
/openapi.json serves; tests/architecture/test_openapi.py fails when the copies are stale)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lab.wiring import AppPair

DOCS = Path(__file__).resolve().parents[1] / "docs" / "openapi"


def documents() -> dict[str, dict[str, Any]]:
    """Each app's document as it serves it, keyed by its file name in docs/openapi/ (the pair is
    built, never started: the documents come through each app's test client)."""
    pair = AppPair(cybozu={"TESTING": True}, okta={"TESTING": True})
    return {
        f"{name}_sim.json": server.app.test_client().get("/openapi.json").get_json()
        for name, server in (("okta", pair.okta), ("cybozu", pair.cybozu))
    }


def text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, document in documents().items():
        (DOCS / name).write_text(text(document), encoding="utf-8")
        print(f"wrote docs/openapi/{name}: {len(document['paths'])} paths")


if __name__ == "__main__":
    main()
