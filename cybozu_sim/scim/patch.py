"""PATCH (RFC 7644 §3.5.2) applied to a user held as a plain dict.

``add``, ``replace`` and ``remove``; with a path (``displayName``,
``name.givenName``, ``emails[type eq "work"].value``, ``urn:...:User:kintone``)
or without one (a value object whose keys are paths, as Okta sends
``{"op": "replace", "value": {"active": false}}``). Operations apply to a copy,
in order, and every value is checked against the schema as it is written, so
a failing operation leaves the stored user untouched.
"""

from __future__ import annotations

from typing import Any

from cybozu_sim.scim.errors import ScimError
from cybozu_sim.scim.filters import PatchPath, parse_patch_path
from cybozu_sim.scim.paths import AttrPath, resolve
from cybozu_sim.scim.schema import EXTENSION_ATTRIBUTE, read_single, read_value, unknown_attribute
from simcore.store import plain_copy

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
OPERATIONS = ("add", "remove", "replace")
_MISSING = object()


def read_operations(body: Any) -> list[dict[str, Any]]:
    """The Operations of a PatchOp body, checked for shape (a PatchOp without ``schemas`` is accepted)."""
    if not isinstance(body, dict):
        raise ScimError(400, "Input should be an object", "invalidSyntax")
    keys = {k.lower(): k for k in body if isinstance(k, str)}
    schemas = body.get(keys.get("schemas", "schemas"))
    if schemas is not None and (
        not isinstance(schemas, list)
        or PATCH_OP.lower() not in {s.lower() for s in schemas if isinstance(s, str)}
    ):
        raise ScimError(400, f"schemas must contain the base schema '{PATCH_OP}'", "invalidSyntax")
    operations = body.get(keys.get("operations", "Operations"))
    if operations is None:
        raise ScimError(400, "operations attribute is required", "invalidValue")
    if not isinstance(operations, list):
        raise ScimError(400, "Input should be a valid array: Operations", "invalidValue")
    if not operations:
        raise ScimError(400, "Operations must hold at least one operation", "invalidValue")
    for n, operation in enumerate(operations):
        if not isinstance(operation, dict):
            raise ScimError(400, f"Input should be an object: Operations[{n}]", "invalidValue")
    return operations


def apply_patch(user: dict[str, Any], body: Any) -> dict[str, Any]:
    """Return a patched copy of ``user``; raise a 400 ScimError for the first operation that cannot apply."""
    operations = read_operations(body)
    work = plain_copy(user)
    for operation in operations:
        _apply(work, {str(k).lower(): v for k, v in operation.items()})
    return work


def _apply(work: dict[str, Any], operation: dict[str, Any]) -> None:
    op = operation.get("op")
    if not isinstance(op, str) or op.lower() not in OPERATIONS:
        raise ScimError(400, f"{op!r} is not a PATCH operation: add, remove or replace", "invalidValue")
    op = op.lower()
    path = operation.get("path")
    if path is not None and not isinstance(path, str):
        raise ScimError(400, "The path of a PATCH operation must be a string", "invalidPath")
    value = operation.get("value", _MISSING)
    if op == "remove":
        if path is None:
            raise ScimError(400, "Remove operation requires a path", "noTarget")
        _remove(work, parse_patch_path(path))
        return
    if value is _MISSING or (value is None and op == "add"):
        raise ScimError(400, f"value is required for {op} operations", "invalidValue")
    if path is not None:
        _set(work, parse_patch_path(path), value, op)
        return
    if not isinstance(value, dict):
        raise ScimError(
            400, "The value of a PATCH operation without a path must be an object", "invalidValue"
        )
    for key, item in value.items():
        if not isinstance(key, str) or key.lower() == "schemas":
            continue
        target = resolve(key)
        if target is None:
            raise unknown_attribute(key)
        _set(work, PatchPath(target), item, op)


def _put(work: dict[str, Any], name: str, value: Any) -> None:
    if value is None or value == [] or value == {}:
        work.pop(name, None)
    else:
        work[name] = value


def _check_writable(path: AttrPath) -> None:
    if path.top.mutability == "readOnly" or (path.sub is not None and path.sub.mutability == "readOnly"):
        raise ScimError(400, f"'{path}' is read-only", "mutability")


def _set(work: dict[str, Any], target: PatchPath, value: Any, op: str) -> None:
    path = target.path
    top = path.top
    _check_writable(path)
    if value is None:  # replace with null: RFC 7643 §2.5, unassigned
        _remove(work, target)
        return
    if target.filter is not None:
        _set_matching(work, target, value)
        return
    if path.sub is None:
        if top.type == "complex" and not top.multi_valued:  # name, the extension: merge sub-attributes
            merged = {**(work.get(top.name) or {}), **(read_single(top, value, top.name) or {})}
            _put(work, top.name, merged)
        elif top.multi_valued:
            items = read_value(top, value if isinstance(value, list) else [value], top.name) or []
            if op == "add":
                existing = work.get(top.name) or []
                items = existing + [item for item in items if item not in existing]
                items = read_value(top, items, top.name) or []  # one primary at most, still
            _put(work, top.name, items)
        else:
            _put(work, top.name, read_value(top, value, top.name))
        return
    checked = read_value(path.sub, value, str(path))
    if top is EXTENSION_ATTRIBUTE or not top.multi_valued:
        container = dict(work.get(top.name) or {})
        _put(container, path.sub.name, checked)
        _put(work, top.name, container)
        return
    items = work.get(top.name) or []  # emails.type: every value (none: nothing to do)
    _put(work, top.name, [{**item, path.sub.name: checked} for item in items])


def _set_matching(work: dict[str, Any], target: PatchPath, value: Any) -> None:
    top = target.path.top
    items = list(work.get(top.name) or [])
    matched = [n for n, item in enumerate(items) if target.filter(item)]  # type: ignore[misc]
    if not matched:
        raise ScimError(400, f"no value of '{top.name}' matches the path filter", "noTarget")
    for n in matched:
        if target.item_sub is not None:
            items[n] = {**items[n], target.item_sub.name: read_value(target.item_sub, value, top.name)}
        else:
            items[n] = {**items[n], **(read_single(top, value, top.name) or {})}
    _put(work, top.name, read_value(top, items, top.name))


def _remove(work: dict[str, Any], target: PatchPath) -> None:
    path = target.path
    top = path.top
    _check_writable(path)
    if target.filter is not None:
        items = work.get(top.name) or []
        if target.item_sub is None:
            kept = [item for item in items if not target.filter(item)]
        else:
            name = target.item_sub.name
            kept = [
                {k: v for k, v in item.items() if k != name} if target.filter(item) else item
                for item in items
            ]
        _put(work, top.name, [item for item in kept if item])
        return
    if path.sub is None:
        if top.required:
            raise ScimError(400, f"'{top.name}' is required and cannot be removed", "mutability")
        work.pop(top.name, None)
        return
    if top is EXTENSION_ATTRIBUTE or not top.multi_valued:
        container = {k: v for k, v in (work.get(top.name) or {}).items() if k != path.sub.name}
        _put(work, top.name, container)
        return
    items = [{k: v for k, v in item.items() if k != path.sub.name} for item in work.get(top.name) or []]
    _put(work, top.name, [item for item in items if item])
