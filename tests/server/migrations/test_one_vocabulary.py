"""The operations the replay reads from SQL are the ones `codegen.emit.sql` renders: read a
statement, render its operations, get the statement back (one line per statement)."""

from __future__ import annotations

import pytest
from schemasense.codegen.ddl import operations
from schemasense.codegen.emit.sql.base import render_statements
from schemasense.server.migrations.sql.postgresql import parse_sql

ROUND_TRIPS = [
    'CREATE SCHEMA IF NOT EXISTS "billing"',
    'CREATE SCHEMA "billing"',
    "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN')",
    'CREATE TYPE "billing"."Plan" AS ENUM (\'FREE\')',
    "ALTER TYPE \"Role\" ADD VALUE 'GUEST'",
    "ALTER TYPE \"Role\" ADD VALUE IF NOT EXISTS 'GUEST' BEFORE 'USER'",
    "ALTER TYPE \"Role\" ADD VALUE 'OWNER' AFTER 'ADMIN'",
    "ALTER TYPE \"Role\" RENAME VALUE 'USER' TO 'MEMBER'",
    # an index (the replay keeps the access method; PostgreSQL's parser fills in `btree`)
    'CREATE INDEX "User_email_idx" ON "User" USING btree ("email")',
    'CREATE UNIQUE INDEX "User_a_b_key" ON "User" USING btree ("a", "b" DESC)',
    'CREATE INDEX CONCURRENTLY "Doc_body_idx" ON "billing"."Doc" USING gin ("body")',
]


@pytest.mark.parametrize("sql", ROUND_TRIPS)
def test_read_then_render_gives_the_statement_back(sql: str) -> None:
    [parsed] = parse_sql(sql + ";")
    assert parsed.error is None
    assert all(isinstance(op, operations.Operation) for op in parsed.ops)
    assert render_statements(parsed.ops, "postgresql") == [sql]


def _classes_defined() -> dict[str, list[str]]:
    """Every class name defined at module level in `codegen/ddl`, with the modules that define
    it (an import re-exporting a class is not a definition)."""
    import ast
    from pathlib import Path

    import schemasense.codegen.ddl as ddl

    found: dict[str, list[str]] = {}
    for path in sorted(Path(ddl.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found.setdefault(node.name, []).append(path.name)
    return found


def test_every_operation_class_is_defined_once() -> None:
    twice = {name: where for name, where in _classes_defined().items() if len(where) > 1}
    assert twice == {}, f"defined more than once in codegen/ddl: {twice}"


def test_the_replay_reads_the_vocabulary_classes() -> None:
    """What the replay imports as `statements.X` is `operations.X`, for every name both
    modules offer."""
    from schemasense.codegen.ddl import statements

    shared = [
        name
        for name in dir(statements)
        if isinstance(getattr(statements, name), type) and hasattr(operations, name)
    ]
    assert "ColumnDef" in shared
    assert [n for n in shared if getattr(statements, n) is not getattr(operations, n)] == []
