"""Our schema model equals Prisma's own DMMF `datamodel`, schema by schema.

For every corpus schema (cal.com, umami x2, dub's 37-file folder, pingvin-share, epic-stack) and
every valid fixture, the schema model our reader builds is turned into DMMF's shape and compared
with what `@prisma/prisma-schema-wasm` says: every model, field, type, list / optional flag,
default, native type, relation (name, fields, references, actions), id, unique and index with
its fields and its database name.

DMMF spells a database name only where the schema does (`@map`, `map:`); there the names must
be equal, and elsewhere ours must be the ORM name (tables, columns) — the derived constraint
names are checked against Prisma's SQL in `tests/codegen/test_naming.py`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from schemasense.codegen.schema import Column, Default, Relation, Schema, Table
from schemasense.server.sources.prisma import read_prisma_schema

from tests.oracle.dmmf_norm import normalize_datamodel, normalize_default
from tests.oracle.expectations import split_expectations
from tests.oracle.prisma import oracle_available, run_oracle, strip_for_prisma7

REPO = Path(__file__).resolve().parents[4]
CORPUS = REPO.parent / "shared" / "corpus"
VALID = REPO / "tests" / "fixtures" / "prisma" / "valid"


def _corpus_units() -> list[tuple[str, dict[str, str]]]:
    if not CORPUS.is_dir():
        return []
    units: dict[str, dict[str, str]] = {}
    for path in sorted(CORPUS.rglob("*.prisma")):
        multi = path.parent.name == "schema" and len(list(path.parent.glob("*.prisma"))) > 1
        key = str(path.parent if multi else path)
        units.setdefault(key, {})[str(path)] = path.read_text(encoding="utf-8")
    return [(str(Path(k).relative_to(CORPUS)), files) for k, files in units.items()]


def _fixture_units() -> list[tuple[str, dict[str, str]]]:
    return [
        (f"valid/{p.stem}", {str(p): split_expectations(p.read_text(encoding="utf-8"))[0]})
        for p in sorted(VALID.glob("*.prisma"))
    ]


UNITS = _corpus_units() + _fixture_units()


@pytest.fixture(scope="module")
def oracle_datamodels() -> dict[str, Any]:
    if reason := oracle_available():
        pytest.skip(reason)
    requests = [{p: strip_for_prisma7(t) for p, t in files.items()} for _, files in UNITS]
    results = run_oracle(requests, ops=("datamodel",))
    return {name: r.datamodel for (name, _), r in zip(UNITS, results, strict=True)}


def test_corpus_present_or_skipped() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent: the corpus comparisons are skipped")
    assert len(_corpus_units()) == 6


@pytest.mark.oracle
@pytest.mark.parametrize(("name", "files"), UNITS, ids=[u[0] for u in UNITS])
def test_model_equals_prisma_dmmf(name: str, files: dict[str, str], oracle_datamodels) -> None:
    datamodel = oracle_datamodels[name]
    assert datamodel is not None, f"Prisma could not read {name}"
    # the oracle's own input: Prisma 7 refuses datasource URLs and ids on views (see
    # strip_for_prisma7); offsets stay the same, and our reader accepts both forms
    read = read_prisma_schema({p: strip_for_prisma7(t) for p, t in files.items()})
    assert not [f for f in read.findings if f.severity == "error"], read.findings
    expected = _effective_names(normalize_datamodel(datamodel))
    ours = schema_to_dmmf(read.schema)
    differences = _diff(
        {k: v for k, v in ours.items() if k != "indexes"},
        {k: v for k, v in expected.items() if k != "indexes"},
    )
    assert not differences, "ours != Prisma's DMMF:\n" + "\n".join(differences[:30])
    assert _index_keys(ours["indexes"]) == _index_keys(expected["indexes"])


def _diff(ours: Any, theirs: Any, path: str = "") -> list[str]:
    """Readable differences, one line each: `path: ours != prisma`."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out: list[str] = []
        for key in sorted(set(ours) | set(theirs), key=str):
            if key not in ours:
                out.append(f"{path}.{key}: missing in ours (prisma: {theirs[key]!r:.120})")
            elif key not in theirs:
                out.append(f"{path}.{key}: not in Prisma's (ours: {ours[key]!r:.120})")
            else:
                out.extend(_diff(ours[key], theirs[key], f"{path}.{key}"))
        return out
    return [] if ours == theirs else [f"{path}: {ours!r:.150} != {theirs!r:.150}"]


# -- DMMF side: database names made explicit ---------------------------------------------------


def _effective_names(dm: dict[str, Any]) -> dict[str, Any]:
    for model in [*dm["models"].values(), *dm["types"].values()]:
        model["dbName"] = model["dbName"] or model["name"]
        for f in model["fields"].values():
            if f["relationName"] is None:
                f["dbName"] = f["name"] if f["dbName"] is None else f["dbName"]
    for enum in dm["enums"].values():
        enum["dbName"] = enum["dbName"] or enum["name"]
        for value in enum["values"]:
            value["dbName"] = value["dbName"] or value["name"]
    return dm


def _index_keys(indexes: list[dict[str, Any]]) -> list[tuple]:
    """Indexes compared on everything; `dbName` only where DMMF spells it."""
    out = []
    for index in indexes:
        out.append(
            (
                index["model"],
                index["type"],
                tuple(
                    (f["name"], f["sortOrder"], f["length"], f["operatorClass"])
                    for f in index["fields"]
                ),
                index["name"],
                index["isDefinedOnField"],
                index["algorithm"],
                index["clustered"],
            )
        )
    return sorted(out, key=repr)


# -- our side: the schema model in DMMF's shape -------------------------------------------------


def schema_to_dmmf(schema: Schema) -> dict[str, Any]:
    models: dict[str, Any] = {}
    types: dict[str, Any] = {}
    indexes: list[dict[str, Any]] = []
    enum_names = {e.model_name or e.name for e in schema.enums}
    for table in schema.tables:
        if table.kind == "join_table" or table.ignored or table.model_name is None:
            continue
        fields, order = _fields(table, enum_names)
        if table.kind == "composite_type":
            types[table.model_name] = {
                "name": table.model_name,
                "dbName": table.name,
                "fields": fields,
                "fieldOrder": order,
            }
            continue
        pk = table.primary_key
        models[table.model_name] = {
            "name": table.model_name,
            "dbName": table.name,
            "schema": table.db_schema,
            "documentation": table.doc,
            "fields": fields,
            "fieldOrder": order,
            "primaryKey": None
            if pk is None or pk.defined_on_field
            else {"name": pk.orm_name, "fields": [c.field_name for c in pk.columns]},
            "uniqueIndexes": sorted(
                (
                    {"name": u.orm_name, "fields": [c.field_name for c in u.columns]}
                    for u in table.uniques
                    if not u.defined_on_field
                ),
                key=lambda u: (u["fields"], u["name"] or ""),
            ),
        }
        indexes.extend(_indexes(table))
    enums = {
        (e.model_name or e.name): {
            "name": e.model_name or e.name,
            "dbName": e.name,
            "documentation": e.doc,
            "values": [{"name": v.orm_name or v.name, "dbName": v.name} for v in e.values],
        }
        for e in schema.enums
    }
    return {"models": models, "enums": enums, "types": types, "indexes": indexes}


def _fields(table: Table, enum_names: set[str]) -> tuple[dict[str, Any], list[str]]:
    pk = table.primary_key
    id_field = pk.columns[0].field_name if pk is not None and pk.defined_on_field else None
    unique_single = {u.columns[0].field_name for u in table.uniques if len(u.columns) == 1}
    items: list[tuple[int, Column | Relation]] = []
    items += [
        (c.span.start if c.span else 0, c)
        for c in table.columns
        if not c.ignored and c.type.kind != "unsupported"
    ]
    items += [(r.span.start if r.span else 0, r) for r in table.relations if not r.ignored]
    items.sort(key=lambda item: item[0])
    fields: dict[str, Any] = {}
    for _, item in items:
        if isinstance(item, Column):
            fields[item.field_name] = _column(item, id_field, unique_single, table)
        else:
            fields[item.field_name] = _relation(item)
    return fields, list(fields)


def _column(c: Column, id_field, unique_single, table: Table) -> dict[str, Any]:
    t = c.type
    kind = "enum" if t.kind == "enum" else "object" if t.kind == "composite" else "scalar"
    native = None
    if t.native is not None and t.kind != "unsupported":
        name, _, rest = t.native.partition("(")
        args = [a.strip() for a in rest.rstrip(")").split(",")] if rest else []
        native = {"name": name, "args": args}
    composite = table.kind == "composite_type"
    return {
        "name": c.field_name,
        "dbName": c.name,
        "kind": kind,
        "type": t.orm_type,
        "isList": t.array,
        # a list's column is nullable in the database, and always required for the client
        "isRequired": t.array or not c.nullable,
        "isId": False if composite else c.field_name == id_field,
        "isUnique": not composite and c.field_name in unique_single and c.field_name != id_field,
        "isUpdatedAt": None if composite else c.updated_at,
        "hasDefaultValue": c.default is not None,
        "default": _default(c.default, t.orm_type) if c.default is not None else None,
        "nativeType": native,
        "relationName": None,
        "relationFromFields": None,
        "relationToFields": None,
        "relationOnDelete": None,
        "relationOnUpdate": None,
        "documentation": c.doc,
    }


def _literal(value: Any, orm_type: str | None) -> Any:
    if orm_type == "BigInt":
        return str(value)
    if orm_type == "Decimal":
        return float(Decimal(str(value)))
    if orm_type == "DateTime" and isinstance(value, str):
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed.isoformat()
    return value


def _default(d: Default, orm_type: str | None) -> Any:
    if d.kind in ("function", "expression", "sequence"):
        args = [] if d.kind == "sequence" else list(d.args)
        return normalize_default({"name": d.function, "args": args})
    if d.kind == "list":
        return [_literal(v, orm_type) for v in d.values]
    return _literal(d.value, orm_type)


def _relation(r: Relation) -> dict[str, Any]:
    return {
        "name": r.field_name,
        "dbName": None,
        "kind": "object",
        "type": r.target_model,
        "isList": r.is_list,
        "isRequired": not r.optional,
        "isId": False,
        "isUnique": False,
        "isUpdatedAt": False,
        "hasDefaultValue": False,
        "default": None,
        "nativeType": None,
        "relationName": r.name,
        "relationFromFields": list(r.fields),
        "relationToFields": list(r.references),
        "relationOnDelete": r.on_delete,
        "relationOnUpdate": r.on_update,
        "documentation": r.doc,
    }


_ALGORITHM = {
    "btree": "BTree",
    "hash": "Hash",
    "gist": "Gist",
    "gin": "Gin",
    "spgist": "SpGist",
    "brin": "Brin",
}


def _index_fields(columns) -> list[dict[str, Any]]:
    return [
        {
            "name": c.field_name,
            "sortOrder": c.sort,
            "length": c.length,
            "operatorClass": c.ops,
        }
        for c in columns
    ]


def _indexes(table: Table) -> list[dict[str, Any]]:
    model = table.model_name
    out: list[dict[str, Any]] = []
    if table.primary_key is not None:
        pk = table.primary_key
        out.append(
            {
                "model": model,
                "type": "id",
                "name": pk.orm_name,
                "isDefinedOnField": pk.defined_on_field,
                "algorithm": None,
                "clustered": pk.clustered,
                "fields": _index_fields(pk.columns),
            }
        )
    for u in table.uniques:
        out.append(
            {
                "model": model,
                "type": "unique",
                "name": u.orm_name,
                "isDefinedOnField": u.defined_on_field,
                "algorithm": None,
                "clustered": u.clustered,
                "fields": _index_fields(u.columns),
            }
        )
    for i in table.indexes:
        fulltext = i.method == "fulltext"
        out.append(
            {
                "model": model,
                "type": "fulltext" if fulltext else "normal",
                "name": None,
                "isDefinedOnField": False,
                "algorithm": None if fulltext or i.method is None else _ALGORITHM[i.method],
                "clustered": i.clustered,
                "fields": _index_fields(i.columns),
            }
        )
    return out
