"""codegen.dialects.normalize: one line per behaviour."""

from __future__ import annotations

import pytest
from schemasense.codegen.dialects.normalize import (
    normalize_default,
    normalize_expression,
    normalize_type,
)

DEFAULTS = [
    # PostgreSQL: the casts it adds, E'' strings, numbers it quotes, sequence quoting, case
    ("postgresql", "'CUSTOM'::\"RoleType\"", "'CUSTOM'"),
    ("postgresql", "'CUSTOM'", "'CUSTOM'"),
    ("postgresql", "E'CAL'", "'CAL'"),
    ("postgresql", "E'a\\nb'", "E'a\\nb'"),
    ("postgresql", "'en'::text", "'en'"),
    ("postgresql", "'x'::character varying", "'x'"),
    ("postgresql", "'[]'::jsonb", "'[]'"),
    ("postgresql", "'{}'::\"AccessScope\"[]", "'{}'"),
    ("postgresql", "'2020-01-01 00:00:00'::timestamp without time zone", "'2020-01-01 00:00:00'"),
    ("postgresql", "'-1'::integer", "-1"),
    ("postgresql", "-1", "-1"),
    ("postgresql", "'it''s'::text", "'it''s'"),
    ("postgresql", "nextval('\"User_id_seq\"'::regclass)", "nextval('User_id_seq')"),
    ("postgresql", "nextval('users_id_seq'::regclass)", "nextval('users_id_seq')"),
    ("postgresql", "ARRAY[]::TEXT[]", "array[]::text[]"),
    ("postgresql", "CURRENT_TIMESTAMP", "current_timestamp"),
    ("postgresql", "NOW()", "now()"),
    ("postgresql", "(now())", "now()"),
    ("postgresql", "gen_random_uuid()", "gen_random_uuid()"),
    ("postgresql", "FALSE", "false"),
    # MySQL: CURRENT_TIMESTAMP spellings, booleans, quoting
    ("mysql", "CURRENT_TIMESTAMP(0)", "current_timestamp()"),
    ("mysql", "CURRENT_TIMESTAMP", "current_timestamp()"),
    ("mysql", "current_timestamp()", "current_timestamp()"),
    ("mysql", "CURRENT_TIMESTAMP(3)", "current_timestamp(3)"),
    ("mysql", "now(3)", "current_timestamp(3)"),
    ("mysql", "true", "1"),
    ("mysql", "false", "0"),
    ("mysql", "'1'", "1"),
    ("mysql", '"abc"', "'abc'"),
    ("mysql", "'abc'", "'abc'"),
    ("mysql", "NULL", "null"),
    # SQLite: the text as written, case aside
    ("sqlite", "CURRENT_TIMESTAMP", "current_timestamp"),
    ("sqlite", "'USER'", "'USER'"),
    ("sqlite", "false", "false"),
]


@pytest.mark.parametrize(("dialect", "text", "expected"), DEFAULTS)
def test_normalize_default(dialect: str, text: str, expected: str) -> None:
    assert normalize_default(dialect, text) == expected


EXPRESSIONS = [
    ("postgresql", '("parentId" IS NULL)', '"parentId" is null'),
    ("postgresql", '(("parentId" IS NULL))', '"parentId" is null'),
    ("postgresql", '"parentId" IS NULL', '"parentId" is null'),
    ("postgresql", 'LOWER("valueString")', 'lower("valueString")'),
    ("postgresql", '"slug"', "slug"),
    ("postgresql", "(a) = (b)", "(a)=(b)"),
    ("postgresql", "(status = 'A'::\"Status\")", "status='A'"),
    ("postgresql", "a  =\n 1", "a=1"),
    ("mysql", "`Title`", "title"),
    ("sqlite", '"deletedAt" IS NULL', '"deletedAt" is null'),
]


@pytest.mark.parametrize(("dialect", "text", "expected"), EXPRESSIONS)
def test_normalize_expression(dialect: str, text: str, expected: str) -> None:
    assert normalize_expression(dialect, text) == expected


TYPES = [
    ("mysql", "int(11)", "int"),
    ("mysql", "int(10) unsigned", "int unsigned"),
    ("mysql", "bigint(20)", "bigint"),
    ("mysql", "tinyint(1)", "tinyint(1)"),
    ("mysql", "tinyint(4)", "tinyint"),
    ("mysql", "VARCHAR(191)", "varchar(191)"),
    ("mysql", "ENUM('A','b')", "enum('A','b')"),
    ("mysql", "decimal(65,30)", "decimal(65,30)"),
    ("postgresql", "character varying(191)", "character varying(191)"),
    ("sqlite", "TEXT", "TEXT"),
]


@pytest.mark.parametrize(("dialect", "text", "expected"), TYPES)
def test_normalize_type(dialect: str, text: str, expected: str) -> None:
    assert normalize_type(dialect, text) == expected
