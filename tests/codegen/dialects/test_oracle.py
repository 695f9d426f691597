"""The dialect tables against Prisma itself: its validator and its schema engine, as wasm.

- native type names, argument counts and scalars equal `native_types` of prisma-schema-wasm;
- referential actions per relation mode equal its `referential_actions`;
- every capability: a schema that needs it validates exactly where the table says so;
- native type SQL, scalar defaults and default onDelete equal what the schema engine writes
  (PostgreSQL, CockroachDB, SQLite: the providers it renders offline).

Skipped, with the reason, where node or node_modules is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from schemasense.codegen.dialects import Dialect, get_dialect
from schemasense.codegen.dialects.capabilities import ALL_CAPABILITIES

from tests.codegen.prisma_wasm import (
    datasource,
    migration_sql,
    oracle_missing,
    require_oracle,
    run,
    validate_all,
)

pytestmark = pytest.mark.oracle

PROVIDERS = ["postgresql", "cockroachdb", "mysql", "sqlite", "sqlserver", "mongodb"]


def dialect(provider: str) -> Dialect:
    d = get_dialect(provider)
    assert d is not None
    return d


@pytest.mark.parametrize("provider", PROVIDERS)
def test_native_types_match_prisma(provider: str) -> None:
    require_oracle()
    [answer] = run([{"op": "native_types", "schema": datasource(provider)}])
    assert answer["ok"], answer
    prisma = {
        t["name"]: (t["_number_of_args"], t["_number_of_optional_args"], tuple(t["prisma_types"]))
        for t in answer["value"]
    }
    ours = {
        name: (spec.required_args, spec.optional_args, spec.scalars)
        for name, spec in dialect(provider).NATIVE_TYPES.items()
    }
    assert ours == prisma


@pytest.mark.parametrize("provider", [*PROVIDERS, "postgres"])
@pytest.mark.parametrize("mode", [None, "foreignKeys", "prisma"])
def test_referential_actions_match_prisma(provider: str, mode: str | None) -> None:
    require_oracle()
    extra = f'  relationMode = "{mode}"\n' if mode else ""
    [answer] = run([{"op": "referential_actions", "schema": datasource(provider, extra)}])
    assert answer["ok"], answer
    assert set(answer["value"]) == dialect(provider).referential_actions(mode)  # type: ignore[arg-type]


# One schema per capability and provider that validates only where the capability is there.


def _id(p: str) -> str:
    return 'id String @id @map("_id") @db.ObjectId' if p == "mongodb" else "id Int @id"


def _ref(p: str, suffix: str = "") -> str:
    """A field type that can reference `_id` of the other model."""
    return f"String{suffix} @db.ObjectId" if p == "mongodb" else f"Int{suffix}"


def _m(p: str, *lines: str) -> str:
    return "model M {\n  " + "\n  ".join([_id(p), *lines]) + "\n}\n"


PREVIEW = 'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["%s"]\n}\n'

Probe = Callable[[str], str]

PROBES: dict[str, Probe] = {
    "ScalarLists": lambda p: _m(p, "tags String[]"),
    "Enums": lambda p: "enum E {\n  A\n}\n" + _m(p, "e E"),
    "Json": lambda p: _m(p, "j Json"),
    "JsonLists": lambda p: _m(p, "j Json[]"),
    "CompositeTypes": lambda p: "type T {\n  s String\n}\n" + _m(p, "t T"),
    "DecimalType": lambda p: _m(p, "d Decimal"),
    "AutoIncrement": lambda p: "model M {\n  id BigInt @id @default(autoincrement())\n}\n",
    "AutoIncrementAllowedOnNonId": lambda p: (
        "model M {\n  id Int @id\n  n BigInt @unique @default(autoincrement())\n}\n"
    ),
    "AutoIncrementMultipleAllowed": lambda p: (
        "model M {\n  id BigInt @id @default(autoincrement())\n"
        "  n BigInt @unique @default(autoincrement())\n}\n"
    ),
    "AutoIncrementNonIndexedAllowed": lambda p: (
        "model M {\n  id Int @id\n  n BigInt @default(autoincrement())\n}\n"
    ),
    "CompoundIds": lambda p: "model M {\n  a Int\n  b Int\n\n  @@id([a, b])\n}\n",
    "AnyId": lambda p: "model M {\n  a Int @unique\n}\n",
    "DefaultValueAuto": lambda p: (
        'model M {\n  id String @id @default(auto()) @map("_id") @db.ObjectId\n}\n'
        if p == "mongodb"
        else "model M {\n  id String @id @default(auto())\n}\n"
    ),
    "NamedPrimaryKeys": lambda p: 'model M {\n  a Int\n  b Int\n\n  @@id([a, b], map: "pk")\n}\n',
    "NamedForeignKeys": lambda p: (
        f"model A {{\n  {_id(p)}\n  bs B[]\n}}\n"
        f"model B {{\n  {_id(p)}\n  aId {_ref(p)}\n"
        '  a A @relation(fields: [aId], references: [id], map: "fk")\n}\n'
    ),
    "NamedDefaultValues": lambda p: _m(p, 'n Int @default(1, map: "df")'),
    "IndexColumnLengthPrefixing": lambda p: _m(p, "s String", "", "@@index([s(length: 10)])"),
    "FullTextIndex": lambda p: _m(p, "s String", "", "@@fulltext([s])"),
    "SortOrderInFullTextIndex": lambda p: _m(
        p, "s String", "t String", "", "@@fulltext([s(sort: Desc), t])"
    ),
    "MultipleFullTextAttributesPerModel": lambda p: _m(
        p, "s String", "t String", "", "@@fulltext([s])", "@@fulltext([t])"
    ),
    "PrimaryKeySortOrderDefinition": lambda p: (
        "model M {\n  a Int\n  b Int\n\n  @@id([a(sort: Desc), b])\n}\n"
    ),
    "ClusteringSetting": lambda p: "model M {\n  id Int @id(clustered: false)\n}\n",
    "ImplicitManyToManyRelation": lambda p: (
        f"model A {{\n  {_id(p)}\n  bs B[]\n}}\nmodel B {{\n  {_id(p)}\n  as A[]\n}}\n"
    ),
    "TwoWayEmbeddedManyToManyRelation": lambda p: (
        f"model A {{\n  {_id(p)}\n  bIds {_ref(p, '[]')}\n"
        "  bs B[] @relation(fields: [bIds], references: [id])\n}\n"
        f"model B {{\n  {_id(p)}\n  aIds {_ref(p, '[]')}\n"
        "  as A[] @relation(fields: [aIds], references: [id])\n}\n"
    ),
    "MultiSchema": lambda p: _m(p, "", '@@schema("a")'),
    "PartialIndex": lambda p: (
        PREVIEW % "partialIndexes" + _m(p, "s String", "", "@@index([s], where: raw(\"s <> 'x'\"))")
    ),
    "RelationFieldsInArbitraryOrder": lambda p: (
        f"model A {{\n  {_id(p)}\n  x Int\n  y Int\n  bs B[]\n\n  @@unique([x, y])\n}}\n"
        f"model B {{\n  {_id(p)}\n  ax Int\n  ay Int\n"
        "  a A @relation(fields: [ay, ax], references: [y, x])\n}\n"
    ),
    # refused where cycles are checked: SQL Server, and emulated relations (MongoDB)
    "ReferenceCycleDetection": lambda p: (
        f"model M {{\n  {_id(p)}\n  parentId {_ref(p, '?')}\n"
        '  parent M? @relation("p", fields: [parentId], references: [id], onDelete: Cascade,'
        " onUpdate: Cascade)\n"
        '  children M[] @relation("p")\n}\n'
    ),
}
INVERTED = {"ReferenceCycleDetection"}
DATASOURCE_EXTRA = {"MultiSchema": '  schemas = ["a"]\n'}

INDEX_TYPE_PROBE = "@@index([s], type: {algo})"


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, str], tuple[bool, str]]:
    """(probe, provider) -> (validates, error) for every probe, in one Node process."""
    if (reason := oracle_missing()) is not None:
        pytest.skip(reason)
    keys: list[tuple[str, str]] = []
    schemas: list[str] = []
    for cap, probe in PROBES.items():
        for p in PROVIDERS:
            keys.append((cap, p))
            schemas.append(datasource(p, DATASOURCE_EXTRA.get(cap, "")) + probe(p))
    for algo in ["BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"]:
        for p in PROVIDERS:
            keys.append((f"index:{algo}", p))
            field = "s Json" if algo == "Gin" else "s String"
            schemas.append(datasource(p) + _m(p, field, "", INDEX_TYPE_PROBE.format(algo=algo)))
    return {k: (v.ok, v.error) for k, v in zip(keys, validate_all(schemas), strict=True)}


def test_every_capability_is_probed() -> None:
    assert set(PROBES) == ALL_CAPABILITIES


@pytest.mark.parametrize("capability", sorted(PROBES))
@pytest.mark.parametrize("provider", PROVIDERS)
def test_capability_matches_prisma(
    capability: str, provider: str, verdicts: dict[tuple[str, str], tuple[bool, str]]
) -> None:
    ok, error = verdicts[(capability, provider)]
    d = dialect(provider)
    if capability in INVERTED:
        assert ok == (not d.checks_reference_cycles()), error[:600]
    else:
        assert ok == d.has(capability), error[:600]


@pytest.mark.parametrize("algo", ["BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_index_type_matches_prisma(
    algo: str, provider: str, verdicts: dict[tuple[str, str], tuple[bool, str]]
) -> None:
    ok, error = verdicts[(f"index:{algo}", provider)]
    d = dialect(provider)
    expected = algo in d.INDEX_TYPES and (algo != "Gin" or d.has("Json"))
    assert ok == expected, error[:600]


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("mode", ["foreignKeys", "prisma"])
def test_set_null_on_required_relation_matches_prisma(provider: str, mode: str) -> None:
    require_oracle()
    d = dialect(provider)
    if mode not in d.RELATION_MODES:
        pytest.skip(f"{provider} has no relationMode {mode}")
    schema = datasource(provider, f'  relationMode = "{mode}"\n') + (
        f"model A {{\n  {_id(provider)}\n  bs B[]\n}}\n"
        f"model B {{\n  {_id(provider)}\n  aId {_ref(provider)}\n"
        "  a A @relation(fields: [aId], references: [id], onDelete: SetNull)\n}\n"
    )
    [verdict] = validate_all([schema])
    assert verdict.ok == (mode in d.SET_NULL_ON_REQUIRED_FIELDS), verdict.error[:600]


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("mode", ["foreignKeys", "prisma"])
def test_reference_cycles_match_prisma(provider: str, mode: str) -> None:
    require_oracle()
    d = dialect(provider)
    if mode not in d.RELATION_MODES:
        pytest.skip(f"{provider} has no relationMode {mode}")
    schema = datasource(provider, f'  relationMode = "{mode}"\n') + PROBES[
        "ReferenceCycleDetection"
    ](provider)
    [verdict] = validate_all([schema])
    assert verdict.ok == (not d.checks_reference_cycles(mode)), verdict.error[:600]  # type: ignore[arg-type]


# What the schema engine writes.


def _column_types(sql: str, table: str) -> dict[str, str]:
    body = re.search(rf'CREATE TABLE "{table}" \((.*?)\n\);', sql, re.S)
    assert body is not None, sql
    columns: dict[str, str] = {}
    for line in body.group(1).splitlines():
        m = re.match(r'\s+"(\w+)" (.*?),?$', line)
        if m:
            columns[m.group(1)] = re.split(r" NOT NULL| PRIMARY KEY| DEFAULT ", m.group(2))[0]
    return columns


def _native_args(d: Dialect, name: str) -> list[tuple[str, ...]]:
    kind = d.NATIVE_TYPES[name].args
    return {
        "none": [()],
        "int": [("3",)],
        "optional_int": [(), ("3",)],
        "optional_int_or_max": [(), ("3",), ("Max",)],
        "optional_precision_scale": [(), ("10", "2")],
    }[kind]


@pytest.mark.parametrize("provider", ["postgresql", "cockroachdb"])
def test_native_sql_matches_schema_engine(provider: str) -> None:
    require_oracle()
    d = dialect(provider)
    fields, expected = [], {}
    for name, spec in d.NATIVE_TYPES.items():
        for i, args in enumerate(_native_args(d, name)):
            column = f"{name.lower()}_{i}"
            call = f"@db.{name}({', '.join(args)})" if args else f"@db.{name}"
            fields.append(f"{column} {spec.scalars[0]} {call}")
            expected[column] = d.native_sql(name, args, scalar=spec.scalars[0])
    for name in d.AUTOINCREMENT_SQL:
        scalar = d.NATIVE_TYPES[name].scalars[0]
        fields.append(f"serial_{name.lower()} {scalar} @db.{name} @default(autoincrement())")
        expected[f"serial_{name.lower()}"] = d.native_sql(name, autoincrement=True)
    schema = datasource(provider) + "model N {\n  id Int @id\n  " + "\n  ".join(fields) + "\n}\n"
    got = _column_types(migration_sql(schema, provider), "N")
    del got["id"]
    assert got == expected


@pytest.mark.parametrize("provider", ["postgresql", "cockroachdb", "sqlite"])
def test_scalar_defaults_match_schema_engine(provider: str) -> None:
    require_oracle()
    d = dialect(provider)
    fields = [f"f_{scalar.lower()} {scalar}" for scalar in d.SCALAR_DEFAULT_NATIVE]
    schema = datasource(provider) + "model S {\n  id Int @id\n  " + "\n  ".join(fields) + "\n}\n"
    got = _column_types(migration_sql(schema, provider), "S")
    assert got == {
        "id": d.SCALAR_DEFAULT_NATIVE["Int"].sql,
        **{f"f_{s.lower()}": default.sql for s, default in d.SCALAR_DEFAULT_NATIVE.items()},
    }


@pytest.mark.parametrize("provider", ["postgresql", "cockroachdb", "sqlite"])
def test_default_referential_actions_match_schema_engine(provider: str) -> None:
    require_oracle()
    d = dialect(provider)
    schema = datasource(provider) + (
        'model A {\n  id Int @id\n  required B[] @relation("r")\n  optional B[] @relation("o")\n}\n'
        "model B {\n  id Int @id\n  rId Int\n  oId Int?\n"
        '  r A @relation("r", fields: [rId], references: [id])\n'
        '  o A? @relation("o", fields: [oId], references: [id])\n}\n'
    )
    sql = migration_sql(schema, provider)
    actions = dict(
        re.findall(r'"B_(\w+)_fkey" FOREIGN KEY .*? ON DELETE ([A-Z ]+?) ON UPDATE', sql)
    )
    update = set(re.findall(r"ON UPDATE ([A-Z ]+?)[,;\n]", sql))
    sql_name = {"Restrict": "RESTRICT", "SetNull": "SET NULL", "NoAction": "NO ACTION"}
    assert actions == {
        "rId": sql_name[d.default_on_delete(required=True)],
        "oId": sql_name[d.default_on_delete(required=False)],
    }
    assert update == {"CASCADE"} == {d.DEFAULT_ON_UPDATE.upper()}
