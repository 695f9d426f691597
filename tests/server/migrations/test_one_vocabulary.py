"""The operations the replay reads from SQL are the ones `codegen.emit.sql` renders: read a
statement, render its operations, get the statement back (one line per statement).

One class per change to a schema, whoever writes it: the replay, `diff`, the safe plan and the
rules' fixes. How a change is spelled is a field of that class, never a class of its own:
`AddConstraint(ConstraintDef(kind=...))` for every constraint added (a clause of an
`AlterTable`, or on its own with its `table`); `CreateIndex` on its own or as MySQL's `ADD
INDEX` clause; a fix that must keep the user's own text keeps it in `AddColumn.source` (the
column as written) or writes `CreateIndex(printed=True)` (the index as PostgreSQL prints it),
the same change in the database's spelling rather than Prisma's. The retired second spellings
are listed at the end; a class of one of those names anywhere under codegen/ or server/ fails.
"""

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
    # constraints added: what diff (a foreign key) and the safe plan (a NOT NULL check, a
    # unique constraint on an index built before) write, read back as the same AddConstraint
    'ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") '
    'REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE NOT VALID',
    'ALTER TABLE "User" ADD CONSTRAINT "User_email_not_null" CHECK ("email" IS NOT NULL) NOT VALID',
    'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key"',
]


@pytest.mark.parametrize("sql", ROUND_TRIPS)
def test_read_then_render_gives_the_statement_back(sql: str) -> None:
    [parsed] = parse_sql(sql + ";")
    assert parsed.error is None
    assert all(isinstance(op, operations.Operation) for op in parsed.ops)
    assert render_statements(parsed.ops, "postgresql") == [sql]


MYSQL_ROUND_TRIPS = [
    # MySQL's ADD INDEX clause is a CreateIndex inside the AlterTable (as a CREATE TABLE's
    # inline index is, after the table)
    "ALTER TABLE `User` ADD INDEX `User_email_idx`(`email`)",
    "ALTER TABLE `Doc` ADD FULLTEXT INDEX `Doc_body_idx`(`body`)",
    "ALTER TABLE `User` ADD INDEX `a`(`a`),\n    ADD PRIMARY KEY (`id`)",
    "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) "
    "REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE",
]


@pytest.mark.parametrize("sql", MYSQL_ROUND_TRIPS)
def test_mysql_read_then_render_gives_the_statement_back(sql: str) -> None:
    from schemasense.server.migrations.sql import mysql

    [parsed] = mysql.parse_sql(sql + ";")
    assert parsed.error is None
    assert render_statements(parsed.ops, "mysql") == [sql]


def test_what_diff_writes_for_a_foreign_key_is_what_the_replay_reads() -> None:
    """The same change, one class, equal values: the foreign key `diff` adds (after the
    tables, on its own) and the clause the replay reads from its SQL."""
    fk = operations.ForeignKeyDef("P_a_fkey", ("a",), "U", ("id",), "Cascade", "NoAction")
    written = operations.AddConstraint(operations.ConstraintDef.foreign_key(fk), "P")
    [sql] = render_statements([written], "postgresql")
    [parsed] = parse_sql(sql + ";")
    [alter] = parsed.ops
    assert isinstance(alter, operations.AlterTable) and alter.table == "P"
    [read] = alter.changes
    assert type(read) is type(written)
    assert read.constraint == written.constraint
    assert read.constraint.as_foreign_key() == fk


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


# -- one class per change -------------------------------------------------------------------------

REPLAY_ONLY = {
    # objects and settings `diff` never writes: read so the replay builds the right state
    "DropObjects": "views, types, sequences, schemas, extensions, domains dropped",
    "RenameObject": "views, sequences, types, schemas renamed",
    "SetObjectSchema": "ALTER ... SET SCHEMA",
    "SetTableSchema": "ALTER TABLE ... SET SCHEMA",
    "CreateView": "views",
    "CreateDomain": "domains, composite and range types",
    "CreateSequence": "sequences",
    "SetSequenceOwner": "ALTER SEQUENCE ... OWNED BY",
    "CreateExtension": "extensions",
    "Comment": "COMMENT ON",
    "Pragma": "SQLite's PRAGMA",
    "SetColumnIdentity": "identity columns (Prisma writes serials)",
    "IgnoredAction": "table options, storage, ownership, RLS",
}


def _vocabulary() -> set[str]:
    from schemasense.codegen.ddl import statements

    bases = (operations.Operation, operations.TableChange, statements.Op)
    return {
        name
        for module in (operations, statements)
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, bases) and value not in bases
    }


def _constructed(folder: str) -> set[str]:
    """The vocabulary classes the modules under `folder` (or the file) construct."""
    import ast
    from pathlib import Path

    root = Path(operations.__file__).parents[2] / folder  # the repository
    paths = [root] if root.is_file() else sorted(root.rglob("*.py"))
    vocabulary = _vocabulary()
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                if name in vocabulary:
                    found.add(name)
    return found


def _rendered() -> set[str]:
    """The vocabulary classes `codegen.emit.sql` renders: a `<op>_sql` method of a dialect, or
    a class an ALTER TABLE renderer tests for."""
    import ast
    from pathlib import Path

    from schemasense.codegen.emit.sql import base

    vocabulary = _vocabulary()
    found = {
        name
        for name in vocabulary
        for target in base.SqlTarget.registry.values()
        if hasattr(target, base.method_name(type(name, (), {})()))  # type: ignore[arg-type]
    }
    for path in sorted(Path(base.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance":
                for sub in ast.walk(node.args[1]):
                    if isinstance(sub, ast.Name) and sub.id in vocabulary:
                        found.add(sub.id)
    return found


def test_the_replay_reads_only_what_emit_renders_or_diff_never_writes() -> None:
    """Every class the replay builds from SQL is one `codegen.emit.sql` renders (so it is the
    class `diff` and the fixes write for that change), or one of the few `diff` never writes.
    A replay-only class for a change `diff` has a class for fails here: it is rendered by
    nobody, and not on the list."""
    from schemasense.codegen.emit.sql.base import sql_target

    sql_target("postgresql")  # registers the dialects
    read = _constructed("server/migrations") | _constructed("codegen/ddl/statements.py")
    assert {"CreateTable", "SetNotNull", "DropTable", "ModifyColumn"} <= read
    unrendered = read - _rendered()
    assert unrendered - REPLAY_ONLY.keys() == set(), (
        "the replay builds classes codegen.emit renders nowhere: "
        f"{sorted(unrendered - REPLAY_ONLY.keys())}"
    )


def test_diff_and_the_safe_plan_write_no_replay_only_class() -> None:
    """A class on the replay-only list is never what `diff` or the safe plan writes: else the
    same change would have two spellings, the one the emitters know and the replay's."""
    written = _constructed("codegen/ddl/diff.py") | _constructed("codegen/ddl/safe.py")
    assert {"AlterTable", "SetNotNull", "DropTable", "ModifyColumn"} <= written
    assert written & REPLAY_ONLY.keys() == set()
    assert REPLAY_ONLY.keys() <= _vocabulary(), "a listed class no longer exists: drop it"


def _classes_named_in(*folders: str) -> set[str]:
    """Every class defined (at any depth) in a module under the repository's `folders`."""
    import ast
    from pathlib import Path

    root = Path(operations.__file__).parents[2]
    return {
        node.name
        for folder in folders
        for path in sorted((root / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }


def test_the_former_second_spellings_are_gone() -> None:
    """The replay's own names for changes `diff` computes, retired for the one class each."""
    from schemasense.codegen.ddl import statements

    retired = {
        "SetColumnNotNull": "SetNotNull / DropNotNull",
        "SetColumnDefault": "SetDefault / DropDefault",
        "ReplaceColumn": "ModifyColumn",
        "RequireColumn": "SetNotNull(checked_by=...)",
        "ValidateForeignKey": "ValidateConstraint(kind='foreign_key')",
        "ValidateCheck": "ValidateConstraint(kind='check')",
        "DropCheck": "DropConstraint(kind='check')",
        "DropForeignKey": "DropConstraint(kind='foreign_key')",
        "DropPrimaryKey": "DropConstraint(kind='primary_key')",
        "RenameForeignKey": "RenameConstraint(kind='foreign_key')",
        "RenamePrimaryKey": "RenameConstraint(kind='primary_key')",
        "AddPrimaryKey": "AddConstraint(kind='primary_key')",
        "DropColumnNamed": "DropColumn(name)",
        "AddForeignKey": "AddConstraint(ConstraintDef(kind='foreign_key'), table)",
        "AddNotNullCheck": "AddConstraint(ConstraintDef(kind='check', not_null_of=column), table)",
        "AddUniqueUsingIndex": "AddConstraint(ConstraintDef(kind='unique', using_index=...))",
        "AddIndex": "CreateIndex, a clause of MySQL's AlterTable",
        "AddColumnSql": "AddColumn(source=the column as written)",
        "CreateIndexSql": "CreateIndex(printed=True)",
        "IndexKeySql": "IndexPart",
    }
    assert [n for n in retired if hasattr(statements, n) or hasattr(operations, n)] == []
    assert retired.keys() & _vocabulary() == set()
    assert retired.keys() & _classes_named_in("codegen", "server") == set()
    assert not hasattr(operations.IndexDef("i"), "__dict__")  # frozen, slotted: no extra state
    assert operations.IndexDef("i", method="FULLTEXT").fulltext  # one spelling: `method`
