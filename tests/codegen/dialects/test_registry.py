"""The dialect machinery: registration, lookup, templates, native type specs, table invariants."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects import Dialect, get_dialect, providers
from schemasense.codegen.dialects.base import fill_template
from schemasense.codegen.dialects.capabilities import (
    ALL_CAPABILITIES,
    PRISMA_SCALARS,
    REFERENTIAL_ACTION_ORDER,
)
from schemasense.codegen.dialects.native import NativeTypeSpec, nt, parse_native

ALL = [get_dialect(p) for p in providers()]


@pytest.mark.parametrize(
    ("provider", "name"),
    [
        ("postgresql", "postgresql"),
        ("postgres", "postgresql"),
        ("cockroachdb", "cockroachdb"),
        ("mysql", "mysql"),
        ("sqlite", "sqlite"),
        ("sqlserver", "sqlserver"),
        ("mongodb", "mongodb"),
        ("PostgreSQL", None),
        ("mariadb", None),
        ("", None),
        (None, None),
    ],
)
def test_get_dialect(provider: str | None, name: str | None) -> None:
    dialect = get_dialect(provider)
    assert (dialect.NAME if dialect else None) == name


def test_registry() -> None:
    assert providers() == ("cockroachdb", "mongodb", "mysql", "postgresql", "sqlite", "sqlserver")
    assert get_dialect("postgres") is get_dialect("postgresql")
    for name in providers():
        cls = Dialect.registry[name]
        assert cls.__name__.lower() == cls.NAME == name


def test_a_new_subclass_registers_itself() -> None:
    class Toy(Dialect):
        NAME = "toy"
        ALIASES = ("toy-alias",)

    try:
        assert Dialect.registry["toy"] is Toy
        assert Dialect.registry["toy-alias"] is Toy
        assert Toy.DEFAULT_REFERENTIAL_ACTIONS[("foreignKeys", "required")] == "Restrict"
    finally:
        del Dialect.registry["toy"], Dialect.registry["toy-alias"]


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("TEXT", {}, "TEXT"),
        ("VARCHAR({length})", {"length": 255}, "VARCHAR(255)"),
        ("VARCHAR({length})", {}, "VARCHAR"),
        ("VARCHAR({length=191})", {}, "VARCHAR(191)"),
        ("VARCHAR({length=191})", {"length": 20}, "VARCHAR(20)"),
        ("DECIMAL({precision},{scale=0})", {"precision": 10}, "DECIMAL(10,0)"),
        ("DECIMAL({precision},{scale=0})", {"scale": 2}, "DECIMAL"),
        ("DECIMAL({precision}, {scale})", {"precision": 65, "scale": 30}, "DECIMAL(65, 30)"),
        ('"{enum}"', {"enum": "Role"}, '"Role"'),
        ('"{enum}"', {}, None),
        ("ENUM({values!})", {}, None),
        ("ENUM({values!})", {"values": "'A', 'B'"}, "ENUM('A', 'B')"),
    ],
)
def test_fill_template(template: str, values: dict[str, object], expected: str | None) -> None:
    assert fill_template(template, values) == expected


@pytest.mark.parametrize(
    ("spec", "args", "accepted", "sql"),
    [
        (nt("TEXT", "String"), (), True, "TEXT"),
        (nt("TEXT", "String"), ("1",), False, None),
        (nt("VARCHAR", "String", args="int"), ("191",), True, "VARCHAR(191)"),
        (nt("VARCHAR", "String", args="int"), (), False, None),
        (nt("VARCHAR", "String", args="optional_int"), (), True, "VARCHAR"),
        (nt("VARCHAR", "String", args="optional_int"), ("x",), False, None),
        (nt("NVARCHAR", "String", args="optional_int_or_max"), ("Max",), True, "NVARCHAR(max)"),
        (nt("NVARCHAR", "String", args="optional_int_or_max"), ("max",), True, "NVARCHAR(max)"),
        (nt("CHAR", "String", args="optional_int"), ("Max",), False, None),
        (nt("DECIMAL", "Decimal", args="optional_precision_scale"), ("10",), False, None),
        (
            nt("DECIMAL", "Decimal", args="optional_precision_scale"),
            ("10", "2"),
            True,
            "DECIMAL(10,2)",
        ),
    ],
)
def test_native_type_spec(
    spec: NativeTypeSpec, args: tuple[str, ...], accepted: bool, sql: str | None
) -> None:
    assert spec.accepts(args) is accepted
    if sql is not None:
        assert spec.render(args) == sql


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("VarChar(255)", ("VarChar", ("255",))),
        ("@db.Decimal(10, 2)", ("Decimal", ("10", "2"))),
        ("db.Text", ("Text", ())),
        ("Uuid()", ("Uuid", ())),
        ("NVarChar(Max)", ("NVarChar", ("Max",))),
        ("character varying(255)", None),
        ("", None),
    ],
)
def test_parse_native(text: str, parsed: tuple[str, tuple[str, ...]] | None) -> None:
    assert parse_native(text) == parsed


@pytest.mark.parametrize("dialect", ALL, ids=lambda d: d.NAME)
def test_tables_use_prisma_vocabulary(dialect: Dialect) -> None:
    assert dialect.CAPABILITIES <= ALL_CAPABILITIES
    assert dialect.DEFAULT_RELATION_MODE in dialect.RELATION_MODES
    for actions in dialect.REFERENTIAL_ACTIONS.values():
        assert actions <= set(REFERENTIAL_ACTION_ORDER)
    for spec in dialect.NATIVE_TYPES.values():
        assert spec.scalars and set(spec.scalars) <= set(PRISMA_SCALARS)
    assert set(dialect.SCALAR_DEFAULT_NATIVE) <= set(PRISMA_SCALARS)
    assert all(word == word.upper() for word in dialect.RESERVED_WORDS)


@pytest.mark.parametrize("dialect", ALL, ids=lambda d: d.NAME)
def test_scalar_defaults_render_through_the_native_table(dialect: Dialect) -> None:
    """A scalar's default SQL is its default native type rendered like any `@db.` type."""
    for scalar, default in dialect.SCALAR_DEFAULT_NATIVE.items():
        if default.native is None:
            assert not dialect.NATIVE_TYPES
            continue
        spec = dialect.native_type(default.native)
        assert spec is not None and scalar in spec.scalars, (scalar, default)
        assert dialect.native_sql(default.native, default.args, scalar=scalar) == default.sql
