"""Normalise a DMMF ``datamodel`` (from ``run_oracle``) into a plain, comparable structure.

The result is JSON-compatible (dicts, lists, str, int, float, bool, None) and independent of
DMMF's key order and of the order of models, enums, types and indexes::

    {
      "models":  {name: {"name", "dbName", "schema", "documentation",
                         "fields": {name: FIELD}, "fieldOrder": [name, ...],
                         "primaryKey": {"name", "fields"} | None,
                         "uniqueIndexes": [{"name", "fields"}, ...]}},
      "enums":   {name: {"name", "dbName", "documentation", "values": [{"name", "dbName"}]}},
      "types":   {name: {"name", "dbName", "fields": {name: FIELD}, "fieldOrder": [...]}},
      "indexes": [{"model", "type", "name", "dbName", "isDefinedOnField", "algorithm",
                   "clustered", "fields": [{"name", "sortOrder", "length", "operatorClass"}]}],
    }

FIELD has every key of ``FIELD_KEYS``; keys DMMF leaves out are None.

What DMMF does and does not carry (Prisma 7, prisma-schema-wasm 8.1.0), which a comparison must
allow for:

- Views are in ``models`` with nothing to tell them from models.
- Implicit many-to-many join tables (``_PostToTag``) are not there; both relation fields have
  ``relationFromFields == relationToFields == []``, like the back side of a 1:n.
- Fields of type ``Unsupported(...)``, fields with ``@ignore`` and models with ``@@ignore`` are
  left out, but an index over an Unsupported field stays in ``indexes``.
- Database names appear only where the schema spells them: ``dbName`` of a field / model / enum
  / enum value is null without ``@map`` / ``@@map``, and an index entry has ``dbName`` only with
  an explicit ``map:``. Default constraint names (``User_pkey``, ``User_email_key``,
  ``Post_authorId_idx``, ``Post_authorId_fkey``) are never in DMMF. Foreign-key names
  (``@relation(map: ...)``) and default-constraint names (``@default(..., map: ...)``, SQL
  Server) are nowhere in DMMF.
- ``primaryKey`` is only set for ``@@id`` (its ``name`` is the client name, not the database
  name); a field-level ``@id`` gives ``primaryKey: null`` and ``isId: true`` on the field. Both
  kinds appear in ``indexes`` as ``type: "id"``.
- ``uniqueIndexes`` lists only ``@@unique`` (compound or not); ``isUnique`` is true on a field
  with ``@unique`` *and* on a field that is alone in a ``@@unique``.
- Enums have no ``schema`` (even with ``@@schema``); models do.
- ``relationOnDelete`` / ``relationOnUpdate`` are present only when written.
- Defaults: functions are ``{"name", "args"}``. ``uuid()`` comes as args ``[4]`` and ``cuid()``
  as ``[1]`` (normalised here to ``[]``, as are explicit ``uuid(4)`` / ``cuid(1)``);
  ``sequence(...)``'s arguments are dropped by DMMF. Literals: BigInt as a string
  (``"9007199254740993"``), Decimal as a float (``"1.50"`` -> ``1.5``), DateTime as RFC 3339
  with ``+00:00``, Json and Bytes as the string written, enum values by name, lists as lists.
- Composite types (MongoDB) have fields without ``isGenerated`` / ``isUpdatedAt``; a field of a
  composite type has ``kind: "object"`` and no relation keys.
"""

from __future__ import annotations

from typing import Any

FIELD_KEYS = (
    "name",
    "dbName",
    "kind",
    "type",
    "isList",
    "isRequired",
    "isId",
    "isUnique",
    "isUpdatedAt",
    "hasDefaultValue",
    "default",
    "nativeType",
    "relationName",
    "relationFromFields",
    "relationToFields",
    "relationOnDelete",
    "relationOnUpdate",
    "documentation",
)

INDEX_KEYS = (
    "model",
    "type",
    "name",
    "dbName",
    "isDefinedOnField",
    "algorithm",
    "clustered",
)

# Versions DMMF fills in when the schema writes none; a bare call means the same.
_DEFAULT_FUNCTION_ARGS: dict[str, list[Any]] = {"uuid": [4], "cuid": [1]}


def normalize_default(value: Any) -> Any:
    """A DMMF ``default``: functions as {"name", "args"} (implied versions dropped), else as is."""
    if isinstance(value, dict) and "name" in value:
        name = value["name"]
        args = list(value.get("args") or [])
        if args == _DEFAULT_FUNCTION_ARGS.get(name):
            args = []
        return {"name": name, "args": args}
    if isinstance(value, list):
        return [normalize_default(v) for v in value]
    return value


def normalize_native_type(value: Any) -> dict[str, Any] | None:
    """DMMF's ``["VarChar", ["255"]]`` as {"name": "VarChar", "args": ["255"]}."""
    if value is None:
        return None
    name, args = value
    return {"name": name, "args": [str(a) for a in args]}


def normalize_field(field: dict[str, Any]) -> dict[str, Any]:
    out = {key: field.get(key) for key in FIELD_KEYS}
    out["default"] = normalize_default(field["default"]) if "default" in field else None
    out["nativeType"] = normalize_native_type(field.get("nativeType"))
    for key in ("relationFromFields", "relationToFields"):
        if out[key] is not None:
            out[key] = list(out[key])
    return out


def _fields(block: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    fields = {f["name"]: normalize_field(f) for f in block.get("fields", [])}
    return fields, [f["name"] for f in block.get("fields", [])]


def _unique_indexes(block: dict[str, Any]) -> list[dict[str, Any]]:
    items = [
        {"name": u.get("name"), "fields": list(u["fields"])}
        for u in block.get("uniqueIndexes") or []
    ]
    return sorted(items, key=lambda u: (u["fields"], u["name"] or ""))


def _primary_key(block: dict[str, Any]) -> dict[str, Any] | None:
    pk = block.get("primaryKey")
    if pk is None:
        return None
    return {"name": pk.get("name"), "fields": list(pk["fields"])}


def normalize_model(model: dict[str, Any]) -> dict[str, Any]:
    fields, order = _fields(model)
    return {
        "name": model["name"],
        "dbName": model.get("dbName"),
        "schema": model.get("schema"),
        "documentation": model.get("documentation"),
        "fields": fields,
        "fieldOrder": order,
        "primaryKey": _primary_key(model),
        "uniqueIndexes": _unique_indexes(model),
    }


def normalize_type(composite: dict[str, Any]) -> dict[str, Any]:
    fields, order = _fields(composite)
    return {
        "name": composite["name"],
        "dbName": composite.get("dbName"),
        "fields": fields,
        "fieldOrder": order,
    }


def normalize_enum(enum: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": enum["name"],
        "dbName": enum.get("dbName"),
        "documentation": enum.get("documentation"),
        "values": [{"name": v["name"], "dbName": v.get("dbName")} for v in enum["values"]],
    }


def normalize_index(index: dict[str, Any]) -> dict[str, Any]:
    out = {key: index.get(key) for key in INDEX_KEYS}
    out["fields"] = [
        {
            "name": f["name"],
            "sortOrder": f.get("sortOrder"),
            "length": f.get("length"),
            "operatorClass": f.get("operatorClass"),
        }
        for f in index["fields"]
    ]
    return out


def index_sort_key(index: dict[str, Any]) -> tuple[Any, ...]:
    return (
        index["model"],
        index["type"],
        [f["name"] for f in index["fields"]],
        index["dbName"] or "",
        index["name"] or "",
        index["algorithm"] or "",
        repr(index["fields"]),
    )


def normalize_datamodel(datamodel: dict[str, Any]) -> dict[str, Any]:
    """The whole ``datamodel`` in the shape described in the module docstring."""
    indexes = [normalize_index(i) for i in datamodel.get("indexes", [])]
    return {
        "models": {m["name"]: normalize_model(m) for m in datamodel.get("models", [])},
        "enums": {e["name"]: normalize_enum(e) for e in datamodel.get("enums", [])},
        "types": {t["name"]: normalize_type(t) for t in datamodel.get("types", [])},
        "indexes": sorted(indexes, key=index_sort_key),
    }
