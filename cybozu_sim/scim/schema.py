"""The User schema cybozu_sim publishes, and the validator built from it.

The attribute definitions in ``schemas.json`` are the single source: /Schemas
serves them, and every body is checked against them (types, multiValued,
mutability, required, sub-attributes), so what the endpoint advertises is what
it accepts. Validated users are plain JSON dicts keyed by the canonical
attribute names, whatever case the client used (RFC 7643 §2.1: attribute
names are case-insensitive).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from cybozu_sim.scim.errors import ScimError

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
CYBOZU_EXTENSION = "urn:ietf:params:scim:schemas:extension:cybozu:2.0:User"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
ENTERPRISE_EXTENSION = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

# What a client may send but cybozu.com cannot store: named in the error so an
# Okta administrator knows which limitation of the article they hit.
UNSYNCABLE = {
    "title": "job titles",
    ENTERPRISE_EXTENSION.lower(): "departments",
    "department": "departments",
    "organization": "departments",
    "roles": "groups (roles)",
    "entitlements": "groups (roles)",
}

# pydantic's lax booleans, which scim2-server accepted (Microsoft Entra sends "True"/"False").
_TRUE = {"true", "t", "yes", "y", "on", "1"}
_FALSE = {"false", "f", "no", "n", "off", "0"}


@dataclass(frozen=True)
class Attribute:
    """One attribute definition (RFC 7643 §7), with its sub-attributes by lower-cased name."""

    name: str
    type: str
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    canonical_values: tuple[str, ...] = ()
    description: str = ""
    sub: dict[str, Attribute] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The attribute as /Schemas shows it (RFC 7643 defaults made explicit)."""
        doc: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
            "caseExact": self.case_exact,
            "mutability": self.mutability,
            "returned": self.returned,
            "uniqueness": self.uniqueness,
        }
        if self.canonical_values:
            doc["canonicalValues"] = list(self.canonical_values)
        if self.sub:
            doc["subAttributes"] = [a.document() for a in self.sub.values()]
        return doc


def _attribute(raw: dict[str, Any]) -> Attribute:
    return Attribute(
        name=raw["name"],
        type=raw["type"],
        multi_valued=raw.get("multiValued", False),
        required=raw.get("required", False),
        case_exact=raw.get("caseExact", False),
        mutability=raw.get("mutability", "readWrite"),
        returned=raw.get("returned", "default"),
        uniqueness=raw.get("uniqueness", "none"),
        canonical_values=tuple(raw.get("canonicalValues", ())),
        description=raw.get("description", ""),
        sub={s["name"].lower(): _attribute(s) for s in raw.get("subAttributes", ())},
    )


RAW_SCHEMAS: list[dict[str, Any]] = json.loads(
    files("cybozu_sim.scim").joinpath("schemas.json").read_text("utf-8")
)
_RAW = {schema["id"]: schema for schema in RAW_SCHEMAS}

CORE: dict[str, Attribute] = {a["name"].lower(): _attribute(a) for a in _RAW[USER_SCHEMA]["attributes"]}
EXTENSION: dict[str, Attribute] = {
    a["name"].lower(): _attribute(a) for a in _RAW[CYBOZU_EXTENSION]["attributes"]
}
# The extension itself, addressed as one complex attribute named by its URN.
EXTENSION_ATTRIBUTE = Attribute(name=CYBOZU_EXTENSION, type="complex", sub=EXTENSION)

# RFC 7643 §3.1 common attributes: id and meta are assigned by the server; externalId is the client's.
_META_SUB = {
    name.lower(): Attribute(name=name, type=kind, mutability="readOnly", case_exact=exact)
    for name, kind, exact in (
        ("resourceType", "string", True),
        ("created", "dateTime", False),
        ("lastModified", "dateTime", False),
        ("location", "reference", True),
        ("version", "string", True),
    )
}
COMMON: dict[str, Attribute] = {
    "id": Attribute(name="id", type="string", mutability="readOnly", returned="always", case_exact=True),
    "externalid": Attribute(name="externalId", type="string", case_exact=True),
    "meta": Attribute(name="meta", type="complex", mutability="readOnly", sub=_META_SUB),
    "schemas": Attribute(
        name="schemas", type="reference", multi_valued=True, mutability="readOnly", returned="always"
    ),
}
TOP: dict[str, Attribute] = {**COMMON, **CORE, CYBOZU_EXTENSION.lower(): EXTENSION_ATTRIBUTE}
REQUIRED = [a for a in CORE.values() if a.required]
# Writable single-valued strings: an ASCII str needs no further check.
_PLAIN = {
    a.name for a in TOP.values() if a.type == "string" and not a.multi_valued and a.mutability != "readOnly"
}


def unknown_attribute(field_name: str) -> ScimError:
    """The error for an attribute cybozu.com does not store, naming the article's limitation if it is one."""
    topic = UNSYNCABLE.get(field_name.lower()) or UNSYNCABLE.get(field_name.split(".")[-1].lower())
    if topic:
        detail = (
            "Departments, job titles and groups (roles) cannot be synced to "
            f"cybozu.com ({topic}: {field_name})."
        )
    else:
        detail = (
            f'Unknown attribute "{field_name}": cybozu.com stores userName, name.familyName, '
            "name.givenName, displayName, emails, active, externalId (locale is accepted and ignored) and the "
            "services of its extension schema."
        )
    return ScimError(400, detail, "invalidSyntax")


def _wrong(kind: str, where: str) -> ScimError:
    return ScimError(400, f"Input should be {kind}: {where}", "invalidValue")


def read_boolean(value: Any, where: str) -> bool:
    """A boolean, read leniently as scim2-server did (Entra sends "True"/"False" strings)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise _wrong("a valid boolean", where)


def read_value(attribute: Attribute, value: Any, where: str) -> Any:
    """Check one attribute's value against its definition; return it with canonical sub-attribute names.

    ``None`` means "absent" (RFC 7643 §2.5: null is equivalent to unassigned).
    """
    if value is None:
        return None
    if attribute.multi_valued:
        if not isinstance(value, list):
            raise _wrong("a valid array", where)
        items = [read_single(attribute, item, f"{where}[{n}]") for n, item in enumerate(value)]
        items = [item for item in items if item is not None]
        if attribute.sub.get("primary") and sum(1 for i in items if i.get("primary") is True) > 1:
            raise ScimError(
                400,
                f"Field '{attribute.name}' has {sum(1 for i in items if i.get('primary') is True)} items "
                "marked as primary, but only one is allowed per RFC 7643",
                "invalidValue",
            )
        return items or None
    return read_single(attribute, value, where)


def read_single(attribute: Attribute, value: Any, where: str) -> Any:
    """One value of an attribute (one item of a multi-valued one)."""
    if value is None:
        return None
    kind = attribute.type
    if kind == "complex":
        if not isinstance(value, dict):
            raise _wrong("an object", where)
        return read_complex(attribute.sub, value, where)
    if kind == "boolean":
        return read_boolean(value, where)
    if kind in ("string", "reference", "dateTime", "binary"):
        if not isinstance(value, str):
            raise _wrong("a valid string", where)
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: JSON allows it, UTF-8 storage cannot hold it
                raise _wrong("a valid string (it holds an unpaired surrogate)", where) from None
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong("a valid integer", where)
        return value
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong("a valid number", where)
        return value
    raise _wrong(f"a {kind}", where)  # pragma: no cover - schemas.json uses the types above


def read_complex(sub: dict[str, Attribute], value: dict[str, Any], where: str) -> dict[str, Any] | None:
    """The sub-attributes of a complex value; unknown ones are refused with cybozu's message."""
    result: dict[str, Any] = {}
    for key, item in value.items():
        attribute = sub.get(key.lower()) if isinstance(key, str) else None
        if attribute is None and where == CYBOZU_EXTENSION and key == "schemas":
            continue  # clients serialising the extension as a resource send its schemas along
        if attribute is None:
            raise unknown_attribute(_join(where, str(key)))
        if attribute.name in result:
            raise ScimError(400, f'Attribute "{_join(where, key)}" appears more than once.', "invalidSyntax")
        checked = read_value(attribute, item, _join(where, attribute.name))
        if checked is not None:
            result[attribute.name] = checked
    return result or None


def _join(where: str, name: str) -> str:
    """The path of a sub-attribute: ``name.givenName``, or ``urn:...:User:kintone`` in the extension."""
    return f"{where}:{name}" if where == CYBOZU_EXTENSION else f"{where}.{name}"


# Attributes an IdP sends that cybozu.com does not sync: checked for their type, then dropped.
# locale: cybozu's list of synced fields has none (jp.cybozu.help admin/scim.html; Entra's
# cybozu-provisioning-tutorial maps none); Okta's app may still send it (inference).
IGNORED = frozenset({"locale"})


def read_user(body: Any) -> dict[str, Any]:
    """Validate a User body (POST or PUT) into a stored-form dict without server-assigned attributes.

    Read-only attributes (id, meta, groups) are checked for their type, then
    ignored, as RFC 7644 §3.3 and §3.5.1 say. Required attributes are checked
    here; cybozu's own rules (lengths, login names, licences) are the service's.
    """
    if not isinstance(body, dict):
        raise ScimError(400, "Input should be an object", "invalidSyntax")
    schemas = body.get("schemas")
    if schemas is not None and (
        not isinstance(schemas, list)
        or not all(isinstance(s, str) for s in schemas)
        or USER_SCHEMA.lower() not in {s.lower() for s in schemas}
    ):
        raise ScimError(400, f"schemas must contain the base schema '{USER_SCHEMA}'", "invalidSyntax")
    user: dict[str, Any] = {}
    for key, value in body.items():
        attribute = TOP.get(key.lower())
        if attribute is None:
            attribute, key = _prefixed(key)
        name = attribute.name
        if name == "schemas":
            continue
        if name in user:
            raise ScimError(400, f'Attribute "{key}" appears more than once.', "invalidSyntax")
        if name in IGNORED:
            read_value(attribute, value, name)  # its type is still checked
            continue
        if name in _PLAIN and type(value) is str and value.isascii():
            user[name] = value  # the common case, without the general checks' calls
            continue
        checked = read_value(attribute, value, name)
        if checked is not None and attribute.mutability != "readOnly":
            user[name] = checked
    for attribute in REQUIRED:
        if not user.get(attribute.name):
            raise ScimError(
                400,
                f"Field '{attribute.name}' is required but value is missing, null or empty",
                "invalidValue",
            )
    return with_schemas(user)


def _prefixed(key: str) -> tuple[Attribute, str]:
    """A top-level key written with its schema URN (``urn:...:User:displayName``)."""
    lowered = key.lower()
    prefix = USER_SCHEMA.lower() + ":"
    if lowered.startswith(prefix):
        attribute = CORE.get(lowered[len(prefix) :]) or COMMON.get(lowered[len(prefix) :])
        if attribute is not None:
            return attribute, key
    raise unknown_attribute(key)


def with_schemas(user: dict[str, Any]) -> dict[str, Any]:
    """Set ``schemas`` to what the user holds: the core schema, plus the extension when it has values."""
    schemas = [USER_SCHEMA, CYBOZU_EXTENSION] if user.get(CYBOZU_EXTENSION) else [USER_SCHEMA]
    return {"schemas": schemas, **{k: v for k, v in user.items() if k != "schemas"}}


def schema_documents() -> list[dict[str, Any]]:
    """The /Schemas resources, with RFC 7643's defaults written out as scim2-server served them."""
    return [
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": raw["id"],
            "name": raw["name"],
            "description": raw.get("description", ""),
            "attributes": [a.document() for a in attributes.values()],
        }
        for raw, attributes in ((_RAW[USER_SCHEMA], CORE), (_RAW[CYBOZU_EXTENSION], EXTENSION))
    ]
