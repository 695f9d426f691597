# ruff: noqa: E501 - one edit per line, as the table reads best
"""Schema edits for the migration proofs: each is a `schema.prisma` before and after one change.

An `Edit` names a base (a whole schema) and the text replacements that make the changed
schema, so one line says what changed. `providers` says where the edit applies: PostgreSQL
and SQLite by default (the oracle's providers), MySQL too unless it uses what MySQL lacks.
`to_schema(edit, provider)` and `from_schema(edit, provider)` give the two texts with a
datasource for the provider.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL = ("postgresql", "sqlite", "mysql")
PG = ("postgresql",)
PG_MYSQL = ("postgresql", "mysql")
NO_SQLITE = PG_MYSQL

BASE = """
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  age       Int
  role      Role     @default(USER)
  score     Float    @default(0)
  createdAt DateTime @default(now())
  posts     Post[]
  profile   Profile?
}

model Profile {
  id     Int    @id @default(autoincrement())
  bio    String
  userId Int    @unique
  user   User   @relation(fields: [userId], references: [id])
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  body      String?
  published Boolean  @default(false)
  authorId  Int
  author    User     @relation(fields: [authorId], references: [id])
  tags      Tag[]

  @@index([authorId])
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}
"""

ROLE = """
enum Role {
  USER
  ADMIN
  GUEST
}
"""

NATIVE = """
model Item {
  id     Int      @id @default(autoincrement())
  label  String   @db.VarChar(100)
  code   String   @db.Char(4)
  price  Decimal  @db.Decimal(10, 2)
  data   Json
  at     DateTime @db.Timestamp(3)
  tags   String[]
}
"""

NATIVE_MYSQL = """
model Item {
  id     Int      @id @default(autoincrement())
  label  String   @db.VarChar(100)
  code   String   @db.Char(4)
  price  Decimal  @db.Decimal(10, 2)
  data   Json
  at     DateTime @db.DateTime(3)
}
"""


@dataclass(frozen=True)
class Edit:
    name: str
    replace: tuple[tuple[str, str], ...]
    providers: tuple[str, ...] = ALL
    base: str = "base"
    relation_mode: str | None = None
    note: str = ""


def base_text(edit: Edit, provider: str) -> str:
    if edit.base == "native":
        return NATIVE_MYSQL if provider == "mysql" else NATIVE
    if edit.base == "empty":
        return ""
    text = BASE
    if provider == "sqlite":  # no enums: the role is a string
        text = text.replace(
            "role      Role     @default(USER)", 'role      String   @default("USER")'
        )
    else:
        text = ROLE + text
    return text


def datasource(provider: str, relation_mode: str | None = None) -> str:
    mode = f'  relationMode = "{relation_mode}"\n' if relation_mode else ""
    return f'datasource db {{\n  provider = "{provider}"\n{mode}}}\n'


def from_schema(edit: Edit, provider: str) -> str:
    return datasource(provider, edit.relation_mode) + base_text(edit, provider)


def to_schema(edit: Edit, provider: str) -> str:
    text = base_text(edit, provider)
    for old, new in edit.replace:
        if provider == "sqlite":
            old = old.replace(
                "role      Role     @default(USER)", 'role      String   @default("USER")'
            )
        assert old in text, f"{edit.name}: {old!r} is not in the base schema"
        text = text.replace(old, new, 1)
    return datasource(provider, edit.relation_mode) + text


def _field(after: str, line: str) -> tuple[str, str]:
    """Insert `line` after the line `after` (both as written in the base)."""
    return (after, f"{after}\n  {line}")


USER_AGE = "  age       Int\n"
TAG_NAME = "  name  String @unique\n"
POST_INDEX = "  @@index([authorId])\n"

EDITS: list[Edit] = [
    # columns
    Edit("add optional column", ((USER_AGE, USER_AGE + "  nickname  String?\n"),)),
    Edit(
        "add required column with default",
        ((USER_AGE, USER_AGE + "  level     Int @default(1)\n"),),
    ),
    Edit("add required column without default", ((USER_AGE, USER_AGE + "  city      String\n"),)),
    Edit(
        "add several columns",
        ((USER_AGE, USER_AGE + "  zeta String?\n  alpha Int @default(3)\n  mid Boolean?\n"),),
    ),
    Edit("drop column", ((USER_AGE, ""),)),
    Edit("drop several columns", ((USER_AGE, ""), ("  name      String?\n", ""))),
    Edit("rename column (field renamed)", (("  age       Int\n", "  years     Int\n"),)),
    Edit("@map added to a field", (("  age       Int\n", '  age       Int @map("user_age")\n'),)),
    Edit(
        "@map changed on a field", (("  bio    String\n", '  bio    String @map("biography")\n'),)
    ),
    # types
    Edit("Int to BigInt", (("  age       Int\n", "  age       BigInt\n"),)),
    Edit("Int to Float", (("  age       Int\n", "  age       Float\n"),)),
    Edit("String to Int (no cast)", (("  title     String\n", "  title     Int\n"),)),
    Edit(
        "Float to Decimal",
        (("  score     Float    @default(0)", "  score     Decimal  @default(0)"),),
    ),
    Edit("Boolean to String", (("  published Boolean  @default(false)", "  published String?"),)),
    Edit("varchar length up", (("@db.VarChar(100)", "@db.VarChar(200)"),), PG_MYSQL, "native"),
    Edit("varchar length down", (("@db.VarChar(100)", "@db.VarChar(50)"),), PG_MYSQL, "native"),
    Edit("varchar to text", (("String   @db.VarChar(100)", "String  "),), PG_MYSQL, "native"),
    Edit("char length", (("@db.Char(4)", "@db.Char(8)"),), PG_MYSQL, "native"),
    Edit(
        "decimal precision up", (("@db.Decimal(10, 2)", "@db.Decimal(12, 4)"),), PG_MYSQL, "native"
    ),
    Edit(
        "decimal precision down", (("@db.Decimal(10, 2)", "@db.Decimal(8, 2)"),), PG_MYSQL, "native"
    ),
    Edit("timestamp precision", (("@db.Timestamp(3)", "@db.Timestamp(6)"),), PG, "native"),
    Edit("timestamp to timestamptz", (("@db.Timestamp(3)", "@db.Timestamptz(3)"),), PG, "native"),
    Edit(
        "json to jsonb-less json", (("  data   Json\n", "  data   Json @db.Json\n"),), PG, "native"
    ),
    Edit(
        "list column added",
        (("  tags   String[]\n", "  tags   String[]\n  nums   Int[]\n"),),
        PG,
        "native",
    ),
    Edit("list column dropped", (("  tags   String[]\n", ""),), PG, "native"),
    Edit(
        "list default",
        (("  tags   String[]\n", '  tags   String[] @default(["a", "b"])\n'),),
        PG,
        "native",
    ),
    # nullability and defaults
    Edit("optional to required", (("  name      String?\n", "  name      String\n"),)),
    Edit("required to optional", (("  age       Int\n", "  age       Int?\n"),)),
    Edit("add default", (("  age       Int\n", "  age       Int @default(18)\n"),)),
    Edit("change default", (("@default(0)", "@default(1.5)"),)),
    Edit("drop default", (("  published Boolean  @default(false)", "  published Boolean"),)),
    Edit("string default", (("  name      String?\n", '  name      String? @default("anon")\n'),)),
    Edit(
        "required with default from optional",
        (("  name      String?\n", '  name      String @default("x")\n'),),
    ),
    Edit(
        "now() default added",
        (("  body      String?\n", "  body      String?\n  at        DateTime @default(now())\n"),),
    ),
    Edit("@updatedAt added", ((USER_AGE, USER_AGE + "  updatedAt DateTime @updatedAt\n"),)),
    Edit(
        "@updatedAt removed from a column",
        (("  createdAt DateTime @default(now())", "  createdAt DateTime @updatedAt"),),
    ),
    # indexes
    Edit("add single index", ((USER_AGE, USER_AGE + "\n  @@index([age])\n"),)),
    Edit("drop index", ((POST_INDEX, ""),)),
    Edit("add composite index", ((POST_INDEX, POST_INDEX + "  @@index([published, title])\n"),)),
    Edit("add unique", (("  title     String\n", "  title     String   @unique\n"),)),
    Edit("drop unique", ((TAG_NAME, "  name  String\n"),)),
    Edit("composite unique", ((POST_INDEX, POST_INDEX + "  @@unique([authorId, title])\n"),)),
    Edit("sorted index", ((POST_INDEX, POST_INDEX + "  @@index([title(sort: Desc), id])\n"),)),
    Edit("index sort changed", ((POST_INDEX, "  @@index([authorId(sort: Desc)])\n"),)),
    Edit("index columns changed", ((POST_INDEX, "  @@index([authorId, published])\n"),)),
    Edit("index renamed with map", ((POST_INDEX, '  @@index([authorId], map: "post_author")\n'),)),
    Edit("unique renamed with map", ((TAG_NAME, '  name  String @unique(map: "tag_name_uq")\n'),)),
    Edit("hash index", ((POST_INDEX, POST_INDEX + "  @@index([title], type: Hash)\n"),), PG),
    Edit(
        "gin index on json",
        (
            (
                "  data   Json\n",
                "  data   Json\n\n  @@index([data(ops: JsonbPathOps)], type: Gin)\n",
            ),
        ),
        PG,
        "native",
    ),
    Edit(
        "brin index",
        (
            (
                "  at     DateTime @db.Timestamp(3)\n",
                "  at     DateTime @db.Timestamp(3)\n\n  @@index([at], type: Brin)\n",
            ),
        ),
        PG,
        "native",
    ),
    Edit("index type changed", ((POST_INDEX, "  @@index([authorId], type: Hash)\n"),), PG),
    Edit(
        "primary key renamed with map",
        (
            (
                "  id    Int    @id @default(autoincrement())\n  name  String @unique",
                '  id    Int    @id(map: "tag_pk") @default(autoincrement())\n  name  String @unique',
            ),
        ),
        PG,
    ),
    # foreign keys
    Edit(
        "foreign key onDelete cascade",
        (
            (
                "  author    User     @relation(fields: [authorId], references: [id])",
                "  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)",
            ),
        ),
    ),
    Edit(
        "foreign key onUpdate changed",
        (
            (
                "  author    User     @relation(fields: [authorId], references: [id])",
                "  author    User     @relation(fields: [authorId], references: [id], onUpdate: Restrict)",
            ),
        ),
    ),
    Edit(
        "foreign key renamed with map",
        (
            (
                "  author    User     @relation(fields: [authorId], references: [id])",
                '  author    User     @relation(fields: [authorId], references: [id], map: "post_author_fk")',
            ),
        ),
        PG_MYSQL,
    ),
    Edit(
        "foreign key made optional",
        (
            (
                "  authorId  Int\n  author    User     @relation",
                "  authorId  Int?\n  author    User?    @relation",
            ),
        ),
    ),
    Edit(
        "foreign key dropped (relation removed)",
        (
            ("  author    User     @relation(fields: [authorId], references: [id])\n", ""),
            ("  posts     Post[]\n", ""),
        ),
    ),
    Edit(
        "foreign key added to an existing column",
        (
            (
                "  age       Int\n",
                "  age       Int\n  bestTagId Int?\n  bestTag   Tag? @relation(fields: [bestTagId], references: [id])\n",
            ),
            ("  posts Post[]\n}", "  posts Post[]\n  fans  User[]\n}"),
        ),
    ),
    # relations and models
    Edit(
        "1:1 relation added",
        (
            (
                "}\n\nmodel Profile",
                "  avatar    Avatar?\n}\n\nmodel Avatar {\n  id     Int  @id @default(autoincrement())\n  url    String\n  userId Int  @unique\n  user   User @relation(fields: [userId], references: [id])\n}\n\nmodel Profile",
            ),
        ),
    ),
    Edit(
        "1:1 relation removed",
        (
            ("  profile   Profile?\n", ""),
            (
                "  userId Int    @unique\n  user   User   @relation(fields: [userId], references: [id])\n",
                "",
            ),
        ),
    ),
    Edit(
        "1:n relation added",
        (
            ("  tags      Tag[]\n", "  tags      Tag[]\n  comments  Comment[]\n"),
            (
                "model Tag {",
                "model Comment {\n  id     Int    @id @default(autoincrement())\n  text   String\n  postId Int\n  post   Post   @relation(fields: [postId], references: [id], onDelete: Cascade)\n\n  @@index([postId])\n}\n\nmodel Tag {",
            ),
        ),
    ),
    Edit(
        "1:n relation removed (model dropped)",
        (
            ("  posts     Post[]\n", ""),
            (
                "  authorId  Int\n  author    User     @relation(fields: [authorId], references: [id])\n",
                "",
            ),
            (POST_INDEX, ""),
        ),
    ),
    Edit(
        "m:n relation added",
        (
            ("  profile   Profile?\n", "  profile   Profile?\n  groups    Group[]\n"),
            (
                "model Tag {",
                "model Group {\n  id      Int    @id @default(autoincrement())\n  members User[]\n}\n\nmodel Tag {",
            ),
        ),
    ),
    Edit("m:n relation removed", (("  tags      Tag[]\n", ""), ("  posts Post[]\n}", "}"))),
    Edit(
        "self relation added",
        (
            (
                "  profile   Profile?\n",
                '  profile   Profile?\n  mentorId  Int?\n  mentor    User?  @relation("Mentoring", fields: [mentorId], references: [id])\n  mentees   User[] @relation("Mentoring")\n',
            ),
        ),
    ),
    Edit(
        "self m:n relation added",
        (
            (
                "  profile   Profile?\n",
                '  profile   Profile?\n  followers User[] @relation("Follows")\n  following User[] @relation("Follows")\n',
            ),
        ),
    ),
    Edit(
        "model dropped",
        (
            (
                "model Tag {\n  id    Int    @id @default(autoincrement())\n  name  String @unique\n  posts Post[]\n}\n",
                "",
            ),
            ("  tags      Tag[]\n", ""),
        ),
    ),
    Edit(
        "model renamed",
        (("model Tag {", "model Label {"), ("  tags      Tag[]\n", "  tags      Label[]\n")),
    ),
    Edit(
        "@@map added to a model", (("  posts Post[]\n}", '  posts Post[]\n\n  @@map("tags")\n}'),)
    ),
    Edit(
        "model added",
        (
            (
                "model Tag {",
                "model Setting {\n  key   String   @id\n  value Json?\n  at    DateTime @default(now())\n}\n\nmodel Tag {",
            ),
        ),
    ),
    Edit(
        "id changed to String cuid",
        (
            (
                "  id    Int    @id @default(autoincrement())\n  name  String @unique",
                "  id    String @id @default(cuid())\n  name  String @unique",
            ),
            ("  tags      Tag[]\n", ""),
            ("  posts Post[]\n}", "}"),
        ),
    ),
    Edit(
        "id autoincrement removed",
        (("  id     Int    @id @default(autoincrement())\n  bio", "  id     Int    @id\n  bio"),),
    ),
    Edit(
        "composite id",
        (
            (
                "model Tag {\n  id    Int    @id @default(autoincrement())\n  name  String @unique\n  posts Post[]\n}",
                "model Tag {\n  id    Int\n  name  String\n\n  @@id([id, name])\n}",
            ),
            ("  tags      Tag[]\n", ""),
        ),
    ),
    # enums
    Edit("enum value added", (("  GUEST\n}", "  GUEST\n  OWNER\n}"),), PG_MYSQL),
    Edit("two enum values added", (("  GUEST\n}", "  GUEST\n  OWNER\n  BOT\n}"),), PG_MYSQL),
    Edit("enum value removed", (("  GUEST\n}", "}"),), PG_MYSQL),
    Edit("enum value renamed", (("  GUEST\n}", "  VISITOR\n}"),), PG_MYSQL),
    Edit("enum default value changed", (("@default(USER)", "@default(GUEST)"),), PG_MYSQL),
    Edit(
        "enum added with a column",
        (
            (
                "  score     Float    @default(0)\n",
                "  score     Float    @default(0)\n  tier      Tier?\n",
            ),
            ("enum Role {", "enum Tier {\n  FREE\n  PRO\n}\n\nenum Role {"),
        ),
        PG_MYSQL,
    ),
    Edit(
        "enum column dropped and enum dropped",
        (
            ("  role      Role     @default(USER)\n", ""),
            ("\nenum Role {\n  USER\n  ADMIN\n  GUEST\n}\n", ""),
        ),
        PG_MYSQL,
    ),
    # relation mode prisma
    Edit(
        "relationMode prisma: relation added",
        (
            ("  profile   Profile?\n", "  profile   Profile?\n  notes     Note[]\n"),
            (
                "model Tag {",
                "model Note {\n  id     Int  @id @default(autoincrement())\n  userId Int\n  user   User @relation(fields: [userId], references: [id])\n\n  @@index([userId])\n}\n\nmodel Tag {",
            ),
        ),
        relation_mode="prisma",
    ),
    Edit(
        "relationMode prisma: relation removed",
        (
            ("  posts     Post[]\n", ""),
            ("  author    User     @relation(fields: [authorId], references: [id])\n", ""),
        ),
        relation_mode="prisma",
    ),
]


def edits_for(provider: str) -> list[Edit]:
    return [e for e in EDITS if provider in e.providers]
