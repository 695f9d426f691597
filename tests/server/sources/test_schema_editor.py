"""The `SchemaEditor` seam (`sources/base.py`): what each change means, checked on the Prisma
source's editor, and the rules' side of it: where a unit's editor cannot say a change, the
finding stays and comes without a fix."""

from __future__ import annotations

import inspect

import pytest
from schemasense.codegen.schema import ColumnType
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.engine import run_rules
from schemasense.server.sources.base import SchemaEditor, source_of
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.sources.prisma.editor import PrismaEditor

from tests.server.rules.helpers import POSTGRES, SQLITE, apply_edits, config_for

FILE = "schema.prisma"
METHODS = sorted(
    n for n, v in vars(SchemaEditor).items() if inspect.isfunction(v) and not n.startswith("_")
)

SCHEMA = (
    POSTGRES
    + """model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  token     String   @default(uuid())
  seenAt    DateTime
  updatedAt DateTime
  payload   Json     @db.Json
  price     Float
  posts     Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}

model Legacy {
  code String @unique
  note String @map("text")

  @@map("legacy")
}
"""
)


def _editor(text: str = SCHEMA) -> tuple[PrismaEditor, object]:
    read = read_prisma_schema({FILE: text})
    assert [f for f in read.findings if f.severity == "error"] == []
    editor = source_of("prisma").editor(read, {FILE: text})
    return editor, read.schema


def _applied(change, text: str = SCHEMA) -> str:
    assert change is not None
    assert all(e.span.file == FILE for e in change.edits)
    return apply_edits(text, change.edits)


def _table(schema, name):
    return next(t for t in schema.tables if t.name == name)


def test_the_protocol_lists_the_changes_the_rules_ask_for():
    assert METHODS == [
        "add_index",
        "drop_index",
        "keep_column_name",
        "keep_table_name",
        "make_primary_key",
        "mark_updated_at",
        "set_column_type",
    ]
    editor, _ = _editor()
    assert isinstance(editor, SchemaEditor)
    assert source_of("sql_ddl").editor(source_of("sql_ddl").read({}), {}) is None


def test_add_index_names_columns_by_database_name_and_writes_field_names():
    editor, schema = _editor()
    user = _table(schema, "User")
    change = editor.add_index(user, ["seenAt", "email"])
    assert change.label == "@@index([seenAt, email])"
    assert "  posts     Post[]\n\n  @@index([seenAt, email])\n}" in _applied(change)


def test_set_column_type_per_kind():
    editor, schema = _editor()
    user = _table(schema, "User")
    col = user.column

    tz = editor.set_column_type(
        user, col("seenAt"), ColumnType(kind="timestamp", timezone=True, precision=6)
    )
    assert "seenAt    DateTime @db.Timestamptz(6)\n" in _applied(tz)
    assert tz.label == "DateTime"  # the ORM's name of the new type

    uuid = editor.set_column_type(user, col("token"), ColumnType(kind="uuid"))
    assert "@default(uuid()) @db.Uuid\n" in _applied(uuid)
    assert uuid.label == "String"

    jsonb = editor.set_column_type(user, col("payload"), ColumnType(kind="json", native="jsonb"))
    assert "payload   Json\n" in _applied(jsonb)

    decimal = editor.set_column_type(
        user, col("price"), ColumnType(kind="decimal", precision=19, scale=4)
    )
    assert decimal.label == "Decimal"
    assert "price     Decimal @db.Decimal(19, 4)\n" in _applied(decimal)

    # a type this editor does not write: no change rather than a wrong one
    assert editor.set_column_type(user, col("price"), ColumnType(kind="xml")) is None


def test_set_column_type_with_references_changes_the_referencing_fields():
    editor, schema = _editor()
    user = _table(schema, "User")
    alone = editor.set_column_type(user, user.column("id"), ColumnType(kind="bigint"))
    both = editor.set_column_type(
        user, user.column("id"), ColumnType(kind="bigint"), references=True
    )
    assert both.label == "BigInt"
    assert len(alone.edits) == 1 and len(both.edits) == 2
    text = _applied(both)
    assert "id        BigInt      @id" in text and "authorId BigInt\n" in text


def test_make_primary_key_turns_the_unique_into_the_key():
    editor, schema = _editor()
    legacy = _table(schema, "legacy")
    change = editor.make_primary_key(legacy, legacy.uniques[0])
    assert change.label == "@id"
    assert "code String @id\n" in _applied(change)


def test_mark_updated_at_and_drop_index():
    editor, schema = _editor()
    user, post = _table(schema, "User"), _table(schema, "Post")
    change = editor.mark_updated_at(user, user.column("updatedAt"))
    assert "updatedAt DateTime @updatedAt\n" in _applied(change)
    index = post.indexes[0]
    dropped = editor.drop_index(post, index.span)
    assert dropped.label == "@@index([authorId])"
    assert "@@index" not in _applied(dropped)


def test_keep_names_and_what_is_already_mapped():
    editor, schema = _editor()
    user, legacy = _table(schema, "User"), _table(schema, "legacy")
    table = editor.keep_table_name(user, "Account")
    assert table.label == '@@map("Account")'
    assert '  @@map("Account")\n}' in _applied(table)
    assert editor.keep_table_name(legacy, "old_legacy") is None  # the model names its table
    column = editor.keep_column_name(user, user.column("email"), "mail")
    assert 'email     String   @unique @map("mail")\n' in _applied(column)
    assert editor.keep_column_name(legacy, legacy.column("text"), "body") is None


class _Refuses:
    """An editor that can say none of the changes (every method answers None)."""

    def __getattr__(self, name):
        if name in METHODS:
            return lambda *args, **kwargs: None
        raise AttributeError(name)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (POSTGRES + "model A {\n  id Int @id\n  b B @relation(fields: [bId], references: [id])\n"
         "  bId Int\n}\n\nmodel B {\n  id Int @id\n  a A[]\n}\n", "DB101"),
        (POSTGRES + "model E {\n  id Int @id @default(autoincrement())\n}\n", "DB108"),
        (SQLITE + "model P {\n  id Int @id\n  price Float\n}\n", "DB104"),
        (POSTGRES + "model T {\n  id Int @id\n  updatedAt DateTime\n}\n", "DB111"),
    ],
)  # fmt: skip
def test_the_finding_stays_without_a_fix_where_the_editor_cannot_say_it(text, code):
    read = read_prisma_schema({FILE: text})
    loaded = config_for([code])

    def findings(editor):
        ctx = RuleContext(config=loaded.config, texts={FILE: text}, read=read, editor=editor)
        return [f for f in run_rules(ctx, loaded).findings if f.code == code]

    with_prisma = findings(None)  # the Prisma source's editor
    assert len(with_prisma) == 1 and with_prisma[0].fix is not None
    refused = findings(_Refuses())
    assert len(refused) == 1 and refused[0].fix is None
    assert refused[0].message == with_prisma[0].message
