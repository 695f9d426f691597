"""codegen.diff: which operations, in which order, and the rename choices.

The SQL each operation becomes, and that it builds Prisma's catalog, is proved in
tests/codegen/targets; here: what the differ decides.
"""

from __future__ import annotations

from schemasense.codegen.ddl.diff import alternatives, diff
from schemasense.codegen.ddl.operations import (
    AddConstraint,
    AlterTable,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropTable,
    RenameColumn,
    RenameEnumValue,
    RenameTable,
)
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema

DS = 'datasource db {\n  provider = "postgresql"\n}\n'
BASE = (
    DS
    + """
enum Role {
  USER
  ADMIN
}

model User {
  id    Int    @id @default(autoincrement())
  name  String
  role  Role   @default(USER)
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""
)


def read(text: str) -> Schema:
    result = read_prisma_schema({"schema.prisma": text})
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    return result.schema


def kinds(plan) -> list[str]:
    """The operations' classes; a foreign key added is named as Prisma's step names it."""
    return ["AddForeignKey" if _adds_foreign_key(op) else op.kind for op in plan.operations]


def _adds_foreign_key(op: object) -> bool:
    return isinstance(op, AddConstraint) and op.constraint.kind == "foreign_key"


def test_unchanged_gives_nothing() -> None:
    assert diff(read(BASE), read(BASE)).operations == ()


def test_from_empty_order() -> None:
    plan = diff(Schema(provider="postgresql"), read(BASE))
    assert kinds(plan) == [
        "CreateSchema",
        "CreateEnum",
        "CreateTable",
        "CreateTable",
        "AddForeignKey",
    ]
    enum = kinds(plan).index("CreateEnum")
    assert enum < kinds(plan).index("CreateTable") < kinds(plan).index("AddForeignKey")


def _drops_foreign_key(op: object) -> bool:
    return isinstance(op, AlterTable) and [
        (type(c).__name__, getattr(c, "kind", None)) for c in op.changes
    ] == [("DropConstraint", "foreign_key")]


def test_dropping_drops_foreign_keys_first() -> None:
    plan = diff(read(BASE), Schema(provider="postgresql"))
    ops = list(plan.operations)
    fk = next(i for i, op in enumerate(ops) if _drops_foreign_key(op))
    tables = [i for i, op in enumerate(ops) if isinstance(op, DropTable)]
    assert fk < min(tables)
    assert kinds(plan)[-1] == "DropEnum"


def test_indexes_after_their_columns() -> None:
    after = BASE.replace(
        "  name  String\n", "  name  String\n  nick  String\n\n  @@index([nick])\n"
    )
    plan = diff(read(BASE), read(after))
    assert kinds(plan) == ["AlterTable", "CreateIndex"]


def test_map_change_is_a_certain_rename() -> None:
    after = BASE.replace("  name  String\n", '  name  String @map("full_name")\n')
    plan = diff(read(BASE), read(after))
    assert [c.certain for c in plan.renames] == [True]
    assert [type(op) for op in plan.operations] == [RenameColumn]
    assert diff(read(BASE), read(after), renames=False).operations[0].kind == "AlterTable"


def test_model_map_is_a_rename_of_the_table() -> None:
    after = BASE.replace("  posts Post[]\n}", '  posts Post[]\n\n  @@map("users")\n}')
    plan = diff(read(BASE), read(after))
    assert isinstance(plan.operations[0], RenameTable)
    assert plan.operations[0].sequences == (("User_id_seq", "users_id_seq"),)
    # the key and its index follow the table's new name
    assert "AlterTable" in kinds(plan)  # RENAME CONSTRAINT "User_pkey" TO "users_pkey"
    assert not any(isinstance(op, CreateTable | DropTable) for op in plan.operations)


def test_renamed_field_is_a_choice() -> None:
    after = BASE.replace("  name  String\n", "  title String\n")
    choices = alternatives(read(BASE), read(after))
    assert set(choices) == {"rename", "drop_and_add"}
    assert [c.certain for c in choices["rename"].renames] == [False]
    assert [op.kind for op in choices["rename"].operations] == ["RenameColumn"]
    assert [op.kind for op in choices["drop_and_add"].operations] == ["AlterTable"]
    # undecided, a doubtful rename is left as Prisma's engine does it
    assert kinds(diff(read(BASE), read(after))) == ["AlterTable"]


def test_incompatible_column_is_no_rename() -> None:
    after = BASE.replace("  name  String\n", "  title Int\n")
    assert diff(read(BASE), read(after)).renames == ()


def test_enum_value_rename_is_a_choice() -> None:
    after = BASE.replace("  ADMIN\n}", "  OWNER\n}")
    plan = diff(read(BASE), read(after), renames=True)
    assert [type(op) for op in plan.operations] == [RenameEnumValue]
    plain = diff(read(BASE), read(after))
    assert kinds(plain) == ["AlterEnum"]
    assert plain.operations[0].dropped == ("ADMIN",) and plain.operations[0].added == ("OWNER",)


def test_foreign_key_action_change_drops_and_adds() -> None:
    after = BASE.replace("references: [id])", "references: [id], onDelete: Cascade)")
    plan = diff(read(BASE), read(after))
    drop, add = plan.operations
    assert _drops_foreign_key(drop) and _adds_foreign_key(add)


def test_spans_point_at_the_declaration() -> None:
    after = BASE.replace("  name  String\n", "  name  String\n  bio   String?\n")
    plan = diff(read(BASE), read(after))
    [op] = plan.operations
    assert isinstance(op, AlterTable)
    span = op.span
    assert span is not None and after[span.start : span.end].startswith("bio")


def test_new_enum_and_index_have_spans() -> None:
    after = BASE.replace("enum Role {", "enum Tier {\n  A\n}\n\nenum Role {")
    plan = diff(read(BASE), read(after))
    [op] = plan.operations
    assert isinstance(op, CreateEnum) and op.span is not None
    indexed = BASE.replace("  authorId Int\n", "  authorId Int\n\n  @@index([authorId])\n")
    [index] = diff(read(BASE), read(indexed)).operations
    assert isinstance(index, CreateIndex) and index.span is not None
