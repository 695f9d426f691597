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
]


@pytest.mark.parametrize("sql", ROUND_TRIPS)
def test_read_then_render_gives_the_statement_back(sql: str) -> None:
    [parsed] = parse_sql(sql + ";")
    assert parsed.error is None
    assert all(isinstance(op, operations.Operation) for op in parsed.ops)
    assert render_statements(parsed.ops, "postgresql") == [sql]
