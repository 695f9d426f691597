"""Our TypeORM spelling (`codegen.emit.sql.typeorm`) equals TypeORM's own, statement for
statement: each operation is rendered by us and the matching query-runner call (`addColumn`,
`dropColumn`, `changeColumn`, `renameColumn`, `createIndex`, `dropIndex`,
`createUniqueConstraint`, `createForeignKey`, ...) is run by TypeORM 1.1 in SQL-memory mode on
Table objects, no database (`query_runner_sql.cjs`); the up queries must be the same strings.

Where we do not follow TypeORM on purpose (a type or length change: TypeORM drops and re-adds
the column, losing its data; we write its own `ALTER COLUMN ... TYPE`) there is no case."""

from __future__ import annotations

import json
import subprocess

import pytest
from schemasense.codegen.ddl.operations import (
    AddColumn,
    AddConstraint,
    AlterTable,
    ColumnDef,
    ConstraintDef,
    CreateIndex,
    DefaultDef,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropNotNull,
    DropTable,
    ForeignKeyDef,
    IndexDef,
    IndexPart,
    PrimaryKeyDef,
    RenameColumn,
    SetDefault,
    SetNotNull,
    TableDef,
)
from schemasense.codegen.dialects.sql_type import SqlType
from schemasense.codegen.emit.sql.typeorm import render_typeorm

from tests.oracle.prisma import _node
from tests.oracle.typeorm.harness import NODE_MODULES, unavailable

pytestmark = pytest.mark.oracle

SCRIPT = NODE_MODULES.parent / "tests" / "oracle" / "typeorm" / "query_runner_sql.cjs"

VARCHAR80 = SqlType("VARCHAR", (80,))
DISPLAY = ColumnDef("display_name", VARCHAR80, nullable=False)


def _table(dialect: str) -> dict:
    """The `user` and `post` tables as TypeORM's Table options (its normalized type names)."""
    varchar = "varchar" if dialect != "postgres" else "character varying"
    integer = "int" if dialect == "mysql" else "integer"
    return {
        "user": {
            "name": "user",
            "columns": [
                {"name": "id", "type": integer, "isPrimary": True},
                {"name": "display_name", "type": varchar, "length": "80"},
                {"name": "login_count", "type": integer, "default": 0},
            ],
            "indices": [{"name": "IDX_b", "columnNames": ["login_count"]}],
            "uniques": [{"name": "UQ_b", "columnNames": ["login_count"]}],
        },
        "post": {
            "name": "post",
            "columns": [
                {"name": "id", "type": integer, "isPrimary": True},
                {"name": "author_id", "type": integer},
            ],
            "foreignKeys": [
                {
                    "name": "FK_b",
                    "columnNames": ["author_id"],
                    "referencedTableName": "user",
                    "referencedColumnNames": ["id"],
                }
            ],
        },
    }


def _cases(dialect: str) -> list[tuple[str, list, list]]:
    """(name, TypeORM call, our operations)."""
    varchar = "varchar" if dialect != "postgres" else "character varying"
    integer = "int" if dialect == "mysql" else "integer"
    nickname = ColumnDef("nickname", SqlType("VARCHAR", (40,)), nullable=True)
    score = ColumnDef("score", SqlType("INTEGER"), nullable=False, default=DefaultDef("value", "0"))
    index = IndexDef("IDX_a", (IndexPart(column="display_name"),))
    fk = ForeignKeyDef("FK_a", ("author_id",), "user", ("id",), "Cascade", "NoAction")
    out = [
        (
            "add column",
            [
                "addColumn",
                "user",
                {
                    "$column": {
                        "name": "nickname",
                        "type": varchar,
                        "length": "40",
                        "isNullable": True,
                    }
                },
            ],
            [AlterTable("user", (AddColumn(nickname),))],
        ),
        (
            "add column with a default",
            ["addColumn", "user", {"$column": {"name": "score", "type": integer, "default": 0}}],
            [AlterTable("user", (AddColumn(score),))],
        ),
        (
            "drop column",
            ["dropColumn", "user", "display_name"],
            [AlterTable("user", (DropColumn("display_name", DISPLAY),))],
        ),
        (
            "create index",
            ["createIndex", "user", {"$index": {"name": "IDX_a", "columnNames": ["display_name"]}}],
            [CreateIndex("user", index)],
        ),
        (
            "drop index",
            ["dropIndex", "user", "IDX_b"],
            [DropIndex("user", IndexDef("IDX_b", (IndexPart(column="login_count"),)))],
        ),
        (
            "create foreign key",
            [
                "createForeignKey",
                "post",
                {
                    "$foreignKey": {
                        "name": "FK_a",
                        "columnNames": ["author_id"],
                        "referencedTableName": "user",
                        "referencedColumnNames": ["id"],
                        "onDelete": "CASCADE",
                        "onUpdate": "NO ACTION",
                    }
                },
            ],
            [AddConstraint(ConstraintDef.foreign_key(fk), "post")],
        ),
        (
            "drop foreign key",
            ["dropForeignKey", "post", "FK_b"],
            [AlterTable("post", (DropConstraint("FK_b", "foreign_key"),))],
        ),
    ]
    if dialect == "postgres":
        unique = IndexDef("UQ_a", (IndexPart(column="display_name"),), True, constraint=True)
        nullable = ColumnDef("display_name", VARCHAR80, nullable=True)
        out += [
            (
                "create unique index where",
                [
                    "createIndex",
                    "user",
                    {
                        "$index": {
                            "name": "IDX_w",
                            "columnNames": ["display_name"],
                            "isUnique": True,
                            "where": '"login_count" > 0',
                        }
                    },
                ],
                [
                    CreateIndex(
                        "user",
                        IndexDef(
                            "IDX_w",
                            (IndexPart(column="display_name"),),
                            True,
                            predicate='"login_count" > 0',
                        ),
                    )
                ],
            ),
            (
                "add unique constraint",
                [
                    "createUniqueConstraint",
                    "user",
                    {"$unique": {"name": "UQ_a", "columnNames": ["display_name"]}},
                ],
                [CreateIndex("user", unique)],
            ),
            (
                "drop unique constraint",
                ["dropUniqueConstraint", "user", "UQ_b"],
                [
                    DropIndex(
                        "user",
                        IndexDef("UQ_b", (IndexPart(column="login_count"),), True, constraint=True),
                    )
                ],
            ),
            (
                "drop not null",
                [
                    "changeColumn",
                    "user",
                    "display_name",
                    {
                        "$column": {
                            "name": "display_name",
                            "type": varchar,
                            "length": "80",
                            "isNullable": True,
                        }
                    },
                ],
                [AlterTable("user", (DropNotNull(nullable.name, nullable),))],
            ),
            (
                "set not null",
                [
                    "changeColumn",
                    "user",
                    {
                        "$column": {
                            "name": "display_name",
                            "type": varchar,
                            "length": "80",
                            "isNullable": True,
                        }
                    },
                    {"$column": {"name": "display_name", "type": varchar, "length": "80"}},
                ],
                [AlterTable("user", (SetNotNull(DISPLAY.name, DISPLAY),))],
            ),
            (
                "set default",
                [
                    "changeColumn",
                    "user",
                    "login_count",
                    {"$column": {"name": "login_count", "type": integer, "default": 1}},
                ],
                [
                    AlterTable(
                        "user",
                        (
                            SetDefault(
                                "login_count",
                                DefaultDef("value", "1"),
                                ColumnDef(
                                    "login_count",
                                    SqlType("INTEGER"),
                                    False,
                                    DefaultDef("value", "1"),
                                ),
                            ),
                        ),
                    )
                ],
            ),
            (
                "rename column",
                ["renameColumn", "user", "display_name", "full_name"],
                [RenameColumn("user", "display_name", "full_name")],
            ),
            (
                "drop table",
                ["dropTable", "post", False, False, False],
                [
                    DropTable(
                        "post",
                        table=TableDef(
                            "post",
                            (ColumnDef("id", SqlType("INTEGER"), False),),
                            PrimaryKeyDef(None, (IndexPart(column="id"),)),
                        ),
                    )
                ],
            ),
        ]
    return out


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_our_statements_are_typeorms(dialect, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    if dialect == "mysql" and not (NODE_MODULES / "mysql2").is_dir():
        pytest.skip("mysql2 is not installed")
    cases = _cases(dialect)
    spec = {
        "type": dialect,
        "tables": _table(dialect),
        "cases": [{"name": name, "call": call} for name, call, _ in cases],
    }
    (tmp_path / "cases.json").write_text(json.dumps(spec))
    node = _node()
    assert node is not None
    proc = subprocess.run(
        [node, str(SCRIPT), str(tmp_path / "cases.json")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NODE_MODULES.parent,
    )
    assert proc.returncode == 0, proc.stderr
    theirs = json.loads(proc.stdout)
    provider = {"postgres": "postgresql", "mysql": "mysql"}[dialect]
    differences = []
    for name, _, operations in cases:
        ours = render_typeorm(operations, provider).statements
        if ours != theirs[name]:
            differences.append(f"{name}:\n  ours:   {ours}\n  TypeORM: {theirs[name]}")
    assert not differences, f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(differences)


def test_sqlite_rebuilds_the_table_as_typeorm_does(tmp_path):
    """SQLite: adding a column is TypeORM's `recreateTable` (indexes dropped, `temporary_<t>`
    created with the new column, rows copied, old table dropped, new one renamed, indexes
    created again), on sql.js's driver (TypeORM's SQLite query runner)."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    spec = {
        "type": "sqljs",
        "tables": {
            "user": {
                "name": "user",
                "columns": [
                    {
                        "name": "id",
                        "type": "integer",
                        "isPrimary": True,
                        "isGenerated": True,
                        "generationStrategy": "increment",
                    },
                    {"name": "display_name", "type": "varchar", "length": "80"},
                    {"name": "login_count", "type": "integer", "default": 0},
                ],
                "indices": [{"name": "IDX_b", "columnNames": ["display_name"]}],
                "uniques": [{"name": "UQ_b", "columnNames": ["login_count"]}],
            }
        },
        "cases": [
            {
                "name": "add column",
                "call": [
                    "addColumn",
                    "user",
                    {
                        "$column": {
                            "name": "nickname",
                            "type": "varchar",
                            "length": "40",
                            "isNullable": True,
                        }
                    },
                ],
            }
        ],
    }
    (tmp_path / "cases.json").write_text(json.dumps(spec))
    node = _node()
    assert node is not None
    proc = subprocess.run(
        [node, str(SCRIPT), str(tmp_path / "cases.json")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NODE_MODULES.parent,
    )
    assert proc.returncode == 0, proc.stderr
    theirs = json.loads(proc.stdout)["add column"]
    key = PrimaryKeyDef(None, (IndexPart(column="id"),))
    columns = (
        ColumnDef("id", SqlType("INTEGER"), False, autoincrement=True),
        ColumnDef("display_name", VARCHAR80, False),
        ColumnDef("login_count", SqlType("INTEGER"), False, DefaultDef("value", "0")),
    )
    indexes = (
        IndexDef("IDX_b", (IndexPart(column="display_name"),)),
        IndexDef("UQ_b", (IndexPart(column="login_count"),), True, constraint=True),
    )
    nickname = ColumnDef("nickname", SqlType("VARCHAR", (40,)), nullable=True)
    before = TableDef("user", columns, key, indexes)
    after = TableDef("user", (*columns, nickname), key, indexes)
    ours = render_typeorm(
        [AlterTable("user", (AddColumn(nickname),), after=after, before=before)], "sqlite"
    ).statements
    assert ours == theirs
