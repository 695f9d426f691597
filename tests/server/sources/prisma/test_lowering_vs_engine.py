"""Our lowered schema model equals the SQL Prisma's schema engine writes, schema by schema.

For every corpus schema on PostgreSQL or SQLite (cal.com, umami, pingvin-share, epic-stack),
every valid fixture on those providers and the small schemas below (maps, long names, composite
keys, m:n, 1:1, enums, native types, defaults, lists, relationMode, multi-schema), Prisma's own
`migrate diff --from-empty` SQL (`@prisma/schema-engine-wasm`, offline) is parsed into every
table, column (SQL type, NOT NULL, DEFAULT), primary key, unique index, index (method, sort,
operator class), foreign key (columns, target, ON DELETE / ON UPDATE) and enum; our `Schema` is
rendered into the same shape through the dialects (`codegen.dialects.render`), and the two must
be equal. A failure lists each difference as `path: ours != prisma`.

Prisma's DDL is regular enough for a small tokenizer (below) rather than a SQL parser.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.render import (
    autoincrement_keyword,
    column_type_sql,
    datetime_literal_sql,
    default_sql,
    index_predicate_sql,
    operator_class_sql,
)
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema

from tests.codegen.prisma_wasm import ENGINE_ADAPTER, oracle_missing, run
from tests.conftest import CORPUS
from tests.oracle.expectations import split_expectations
from tests.oracle.prisma import strip_for_prisma7

REPO = Path(__file__).resolve().parents[4]
VALID = REPO / "tests" / "fixtures" / "prisma" / "valid"
CORPUS_SCHEMAS = (
    "calcom/packages/prisma/schema.prisma",
    "umami/db/postgresql/schema.prisma",
    "pingvin-share/backend/prisma/schema.prisma",
    "epic-stack/prisma/schema.prisma",
)
PROVIDERS = ("postgresql", "sqlite")


def _ds(provider: str, extra: str = "") -> str:
    return f'datasource db {{\n  provider = "{provider}"\n{extra}}}\n'


LONG = "VeryLongModelNameThatGoesOnAndOnBeyondPostgresIdentifierLimit"

OWN: dict[str, str] = {
    "maps": _ds("postgresql")
    + """
model User {
  id      Int     @id(map: "user_pk") @default(autoincrement()) @map("user_id")
  email   String  @unique(map: "user_email_uq") @map("email_address")
  name    String? @map("full_name")
  posts   Post[]

  @@map("users")
  @@index([name], map: "users_by_name")
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId Int    @map("author_id")
  title    String
  author   User   @relation(fields: [authorId], references: [id], map: "post_author_fk")

  @@unique([authorId, title])
  @@index([title])
  @@map("posts")
}
""",
    "long_names": _ds("postgresql")
    + f"""
model {LONG} {{
  id                                                         Int    @id
  aFieldWithAVeryLongNameThatIsLongerThanTheLimitOfSixtyThree Int
  otherFieldWithALongNameToo                                 String
  parentId                                                   Int?
  parent {LONG}? @relation("Tree", fields: [parentId], references: [id])
  children {LONG}[] @relation("Tree")
  tags Tag[]

  @@unique([aFieldWithAVeryLongNameThatIsLongerThanTheLimitOfSixtyThree, otherFieldWithALongNameToo])
  @@index([otherFieldWithALongNameToo, aFieldWithAVeryLongNameThatIsLongerThanTheLimitOfSixtyThree])
}}

model Tag {{
  id    String @id
  items {LONG}[]
}}
""",  # noqa: E501
    "composite_keys": _ds("postgresql")
    + """
model Tenant {
  id    Int
  slug  String
  users Member[]

  @@id([id, slug])
}

model Member {
  tenantId   Int
  tenantSlug String
  userId     BigInt
  role       String  @default("member")
  tenant     Tenant  @relation(fields: [tenantId, tenantSlug], references: [id, slug], onDelete: Cascade, onUpdate: NoAction)
  grants     Grant[]

  @@id([tenantId, tenantSlug, userId], map: "member_pk")
  @@unique([userId, tenantId(sort: Desc)])
}

model Grant {
  id         Int     @id @default(autoincrement()) @db.SmallInt
  tenantId   Int?
  tenantSlug String?
  userId     BigInt?
  member     Member? @relation(fields: [tenantId, tenantSlug, userId], references: [tenantId, tenantSlug, userId], onDelete: SetNull)
}
""",  # noqa: E501
    "many_to_many": _ds("postgresql")
    + """
model Post {
  id         Int        @id @default(autoincrement())
  categories Category[]
  tags       Tag[]      @relation("Tagging")
  editors    User[]     @relation("edits")
}

model Category {
  id    String @id @db.Uuid
  posts Post[]
}

model Tag {
  name  String @id @db.VarChar(40)
  posts Post[] @relation("Tagging")
}

model User {
  id        BigInt @id @default(autoincrement())
  edited    Post[] @relation("edits")
  followers User[] @relation("Follows")
  following User[] @relation("Follows")
  friends   User[] @relation("friends")
  friendOf  User[] @relation("friends")
}
""",
    "many_to_many_sqlite": _ds("sqlite")
    + """
model Post {
  id   Int    @id @default(autoincrement())
  tags Tag[]
}

model Tag {
  id    String @id
  posts Post[]
}

model User {
  id        Int    @id
  followers User[] @relation("Follows")
  following User[] @relation("Follows")
}
""",
    "one_to_one": _ds("postgresql")
    + """
model User {
  id      Int      @id @default(autoincrement())
  profile Profile?
  avatar  Avatar?
}

model Profile {
  id     Int  @id @default(autoincrement())
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}

model Avatar {
  id     Int   @id @default(autoincrement())
  userId Int?  @unique
  user   User? @relation(fields: [userId], references: [id], onDelete: Cascade)
}
""",
    "enums": _ds("postgresql")
    + """
enum Role {
  USER
  ADMIN     @map("admin")
  SUPER_ADMIN

  @@map("user_role")
}

enum Plain {
  B
  A
  C
}

model User {
  id     Int    @id
  role   Role   @default(ADMIN)
  plain  Plain?
  roles  Role[] @default([USER, ADMIN])
  plains Plain[]
  none   Role[] @default([])

  @@index([role])
}
""",
    "native_types": _ds("postgresql")
    + """
model N {
  id     String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  v      String   @db.VarChar(255)
  v0     String   @db.VarChar
  c      String   @db.Char(3)
  t      String   @db.Text
  x      String   @db.Xml
  inet   String   @db.Inet
  cit    String   @db.Citext
  bit    String   @db.Bit(3)
  vbit   String   @db.VarBit(8)
  d      Decimal  @db.Decimal(10, 2)
  d0     Decimal  @db.Decimal
  money  Decimal  @db.Money
  s      Int      @db.SmallInt
  i      Int      @db.Integer
  oid    Int      @db.Oid
  b      BigInt   @db.BigInt
  r      Float    @db.Real
  dp     Float    @db.DoublePrecision
  ts     DateTime @db.Timestamp(0)
  ts6    DateTime @db.Timestamp
  tz     DateTime @default(now()) @db.Timestamptz(6)
  tz0    DateTime @db.Timestamptz
  date   DateTime @db.Date
  time   DateTime @db.Time(2)
  timetz DateTime @db.Timetz
  j      Json     @db.Json
  jb     Json     @db.JsonB
  by     Bytes    @db.ByteA
  bo     Boolean  @db.Boolean
  vs     String[] @db.VarChar(10)
  ds     Decimal[] @db.Decimal(5, 1)
  big    BigInt   @default(autoincrement())
  circle Unsupported("circle")?
}
""",
    "defaults_postgresql": _ds("postgresql")
    + """
enum Color {
  RED
  GREEN @map("green")
}

model D {
  id      Int      @id @default(autoincrement())
  s       String   @default("o'neil \\\\ \\"q\\"")
  empty   String   @default("")
  i       Int      @default(-3)
  bi      BigInt   @default(9007199254740993)
  f       Float    @default(2.0)
  f2      Float    @default(0.1)
  f3      Float    @default(2)
  dec     Decimal  @default(-0.50)
  dec2    Decimal  @default(1.23456789012345678901) @db.Decimal(30, 20)
  b       Boolean  @default(false)
  dt      DateTime @default("2020-01-01T10:00:00.123+02:00")
  dt2     DateTime @default("2021-06-01T00:00:00.5Z") @db.Timestamptz(6)
  dt3     DateTime @default("2021-06-01T00:00:00Z") @db.Date
  now     DateTime @default(now())
  upd     DateTime @updatedAt
  j       Json     @default("{\\"a\\": [1, \\"it's\\"]}")
  j2      Json     @default("[]") @db.Json
  by      Bytes    @default("aGVsbG8=")
  by0     Bytes    @default("")
  color   Color    @default(GREEN)
  uid     String   @default(uuid())
  uid7    String   @default(uuid(7)) @db.Uuid
  cid     String   @default(cuid())
  cid2    String   @default(cuid(2))
  nid     String   @default(nanoid(8))
  ulid    String   @default(ulid())
  gen     Int      @default(dbgenerated("1 + 1"))
  gen0    Int      @default(dbgenerated())
  li      Int[]    @default([1, -2, 3])
  lf      Float[]  @default([1.5, 2])
  lb      Boolean[] @default([true, false])
  ls      String[] @default(["a", "it's"])
  ld      DateTime[] @default(["2020-01-01T00:00:00Z"])
  ldec    Decimal[] @default([1.50])
  lbi     BigInt[] @default([1, 2])
  lj      Json[]   @default(["{}"])
  lby     Bytes[]  @default(["aGVsbG8="])
  lc      Color[]  @default([GREEN, RED])
  le      Int[]    @default([])
  lv      String[] @default(["x"]) @db.VarChar(3)
}
""",
    "defaults_sqlite": _ds("sqlite")
    + """
enum Color {
  RED
  GREEN @map("green")
}

model D {
  id    Int      @id @default(autoincrement())
  s     String   @default("o'neil \\\\ \\"q\\"")
  i     Int      @default(-3)
  bi    BigInt   @default(42)
  f     Float    @default(2.0)
  dec   Decimal  @default(-0.50)
  b     Boolean  @default(true)
  dt    DateTime @default("2020-01-01T10:00:00.123456Z")
  now   DateTime @default(now())
  upd   DateTime @updatedAt
  j     Json     @default("{\\"a\\": 1}")
  by    Bytes    @default("aGVsbG8=")
  color Color    @default(GREEN)
  uid   String   @default(uuid())
  gen   String   @default(dbgenerated("(lower(hex(randomblob(16))))"))
  ownerId String
  owner   S      @relation(fields: [ownerId], references: [id], onDelete: Cascade)
}

model S {
  id   String @id @default(cuid())
  name String @unique
  ds   D[]
  ks   K[]
}

model B {
  id BigInt @id @default(autoincrement())
}

model Plain {
  id Int @id
}

model K {
  a    Int
  b    String
  sId  String?
  s    S?     @relation(fields: [sId], references: [id])

  @@id([a, b])
  @@index([b(sort: Desc), a])
}
""",
    "relation_mode_prisma": _ds("postgresql", '  relationMode = "prisma"\n')
    + """
model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
  tags  Tag[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}

model Tag {
  id    Int    @id
  users User[]
}
""",
    "multi_schema": _ds("postgresql", '  schemas = ["auth", "billing", "public"]\n')
    + """
enum Role {
  ADMIN
  MEMBER

  @@map("roles")
  @@schema("auth")
}

enum Currency {
  EUR
  USD

  @@schema("billing")
}

model User {
  id       Int       @id @default(autoincrement())
  role     Role      @default(MEMBER)
  roles    Role[]
  invoices Invoice[]
  groups   Group[]
  zones    Zone[]

  @@schema("auth")
}

model Invoice {
  id       Int      @id
  userId   Int
  currency Currency @default(EUR)
  user     User     @relation(fields: [userId], references: [id])

  @@index([userId])
  @@map("invoices")
  @@schema("billing")
}

model Group {
  id    Int    @id
  users User[]

  @@schema("public")
}

model Zone {
  id    String @id
  users User[]

  @@schema("billing")
}
""",
    "indexes": _ds("postgresql")
    + """
model Doc {
  id      Int      @id
  title   String
  body    Json
  tags    String[]
  point   Int
  ip      String   @db.Inet
  created DateTime @default(now())

  @@index([title(sort: Asc), created(sort: Desc)])
  @@index([body(ops: JsonbPathOps)], type: Gin)
  @@index([body], type: Gin, map: "doc_body_gin")
  @@index([tags(ops: ArrayOps)], type: Gin)
  @@index([title(ops: raw("text_pattern_ops"))])
  @@index([point], type: Brin)
  @@index([point], type: BTree, map: "doc_point_btree")
  @@index([title], type: Hash, map: "doc_title_hash")
  @@index([ip(ops: InetOps)], type: Gist)
  @@index([ip(ops: InetOps)], type: SpGist, map: "doc_ip_spgist")
  @@unique([title, point(sort: Desc)])
}
""",
}


PARTIAL = """
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes"]
}

model Task {
  id     Int     @id
  title  String
  done   Boolean @default(false)
  owner  String? @map("owner_id")

  @@index([title], where: raw("done = false"))
  @@index([owner, title(sort: Desc)], map: "task_owner_open", where: raw("(owner_id IS NOT NULL) AND NOT done"))
}
"""  # noqa: E501
OWN["partial_indexes_postgresql"] = _ds("postgresql") + PARTIAL
OWN["partial_indexes_sqlite"] = _ds("sqlite") + PARTIAL

LONG_RELATION = "AVeryLongRelationNameThatIsMuchLongerThanSixtyThreeBytesInTotalLength"
OWN["relations_more"] = _ds("postgresql") + (
    f"""
model Person {{
  id        Int      @id @default(autoincrement())
  email     String
  handle    String
  spouseId  Int?     @unique
  spouse    Person?  @relation("Marriage", fields: [spouseId], references: [id])
  spouseOf  Person?  @relation("Marriage")
  badges    Badge[]  @relation("{LONG_RELATION}")
  posts     Post[]

  @@unique([email, handle])
}}

model Post {{
  id     Int    @id
  email  String
  handle String
  author Person @relation(fields: [email, handle], references: [email, handle], onDelete: NoAction, onUpdate: SetDefault)
}}

model Badge {{
  id     Int      @id
  people Person[] @relation("{LONG_RELATION}")
}}
"""  # noqa: E501
)

OWN["sqlite_more"] = (
    _ds("sqlite", '  relationMode = "prisma"\n')
    + """
model User {
  id      String    @id @default(uuid())
  name    String    @unique
  at      DateTime  @default("2024-02-29T23:59:59.999999999-05:30")
  bytes   Bytes?    @default("")
  posts   Post[]
}

model Post {
  id     Int    @id @default(autoincrement())
  userId String
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@unique([userId, id(sort: Desc)])
  @@index([userId])
}
"""
)


OPERATOR_CLASSES = """
Json                     | Gin:JsonbOps Gin:JsonbPathOps
String[]                 | Gin:ArrayOps
String                   | SpGist:TextOps TextBloomOps TextMinMaxOps
Int                      | Int4BloomOps Int4MinMaxOps Int4MinMaxMultiOps
BigInt                   | Int8BloomOps Int8MinMaxOps Int8MinMaxMultiOps
Float                    | Float8BloomOps Float8MinMaxOps Float8MinMaxMultiOps
Decimal                  | NumericBloomOps NumericMinMaxOps NumericMinMaxMultiOps
DateTime                 | TimestampBloomOps TimestampMinMaxOps TimestampMinMaxMultiOps
Bytes                    | ByteaBloomOps ByteaMinMaxOps
String @db.Inet          | Gist:InetOps InetBloomOps InetInclusionOps
String @db.Inet          | InetMinMaxOps InetMinMaxMultiOps
String @db.Uuid          | UuidBloomOps UuidMinMaxOps
String @db.Bit(3)        | BitMinMaxOps
String @db.VarBit        | VarBitMinMaxOps
String @db.Char(3)       | BpcharBloomOps BpcharMinMaxOps
Float @db.Real           | Float4BloomOps Float4MinMaxOps Float4MinMaxMultiOps
Int @db.SmallInt         | Int2BloomOps Int2MinMaxOps Int2MinMaxMultiOps
Int @db.Oid              | OidBloomOps OidMinMaxOps OidMinMaxMultiOps
DateTime @db.Date        | DateBloomOps DateMinMaxOps DateMinMaxMultiOps
DateTime @db.Time        | TimeBloomOps TimeMinMaxOps TimeMinMaxMultiOps
DateTime @db.Timetz      | TimeTzBloomOps TimeTzMinMaxOps TimeTzMinMaxMultiOps
DateTime @db.Timestamptz | TimestampTzBloomOps TimestampTzMinMaxOps TimestampTzMinMaxMultiOps
"""
"""Every operator class Prisma names (the wasm's completions for `ops:`), on a field type it fits;
`Type:` is the index type, BRIN where none is given."""


def _operator_class_schema() -> str:
    fields, indexes = [], []
    for n, line in enumerate(OPERATOR_CLASSES.strip().splitlines()):
        field_type, uses = (part.strip() for part in line.split("|"))
        fields.append(f"  f{n} {field_type}")
        for use in uses.split():
            index_type, _, ops = use.rpartition(":")
            index_type = index_type or "Brin"
            indexes.append(f'  @@index([f{n}(ops: {ops})], type: {index_type}, map: "{ops}")')
    body = "\n".join(["  id Int @id", *fields, *indexes])
    return _ds("postgresql") + f"\nmodel Ops {{\n{body}\n}}\n"


OWN["operator_classes"] = _operator_class_schema()


# -- the schemas under test --------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    provider: str
    corpus: bool = False


def _provider(text: str) -> str | None:
    m = re.search(r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(\w+)\"", text)
    return m.group(1) if m else None


def _cases() -> list[Case]:
    cases: list[Case] = []
    for rel in CORPUS_SCHEMAS:
        path = CORPUS / rel
        if path.is_file():
            text = strip_for_prisma7(path.read_text(encoding="utf-8"))
            cases.append(Case(rel, text, _provider(text) or "", corpus=True))
        else:
            cases.append(Case(rel, "", "", corpus=True))
    for path in sorted(VALID.glob("*.prisma")):
        text = split_expectations(path.read_text(encoding="utf-8"))[0]
        provider = _provider(text)
        if provider in PROVIDERS:
            cases.append(Case(f"valid/{path.stem}", text, provider))
    for name, text in OWN.items():
        provider = _provider(text)
        assert provider in PROVIDERS, name
        cases.append(Case(f"own/{name}", text, provider))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def engine_sql() -> dict[str, str | Exception]:
    """Prisma's SQL for every case, from one Node process."""
    if reason := oracle_missing():
        pytest.skip(reason)
    todo = [c for c in CASES if c.text]
    started = time.perf_counter()
    answers = run(
        [{"op": "diff", "schema": c.text, "adapter": ENGINE_ADAPTER[c.provider]} for c in todo]
    )
    print(f"schema engine: {len(todo)} schemas in {time.perf_counter() - started:.2f} s")
    out: dict[str, str | Exception] = {}
    for case, answer in zip(todo, answers, strict=True):
        out[case.name] = answer["sql"] if answer["ok"] else RuntimeError(answer["error"][:2000])
    return out


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = [pytest.mark.oracle]
        if case.corpus:
            marks.append(pytest.mark.corpus)
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_lowering_equals_engine_sql(case: Case, engine_sql: dict[str, str | Exception]) -> None:
    if not case.text:
        pytest.skip(f"corpus schema {case.name} not found under {CORPUS}")
    assert case.provider in PROVIDERS, f"{case.name}: provider {case.provider!r}"
    sql = engine_sql[case.name]
    if isinstance(sql, Exception):
        raise AssertionError(f"the schema engine refused {case.name}: {sql}")
    read = read_prisma_schema({"schema.prisma": case.text})
    errors = [f for f in read.findings if f.severity == "error"]
    assert not errors, errors
    theirs = parse_ddl(sql)
    ours = render_schema(read.schema)
    differences = diff(ours, theirs)
    assert not differences, f"{case.name}: ours != prisma\n" + "\n".join(differences[:60])


def test_cases_cover_the_corpus_and_fixtures() -> None:
    names = {c.name for c in CASES}
    assert set(CORPUS_SCHEMAS) <= names
    assert sum(n.startswith("valid/") for n in names) >= 20
    assert {f"own/{n}" for n in OWN} <= names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-01T10:00:00.123+02:00", "'2020-01-01 10:00:00.123 +02:00'"),
        ("2020-01-01T10:00:00.5Z", "'2020-01-01 10:00:00.500 +00:00'"),
        ("2020-01-01T10:00:00.1234Z", "'2020-01-01 10:00:00.123400 +00:00'"),
        ("2020-01-01T10:00:00.1234567-05:30", "'2020-01-01 10:00:00.123456700 -05:30'"),
        ("2020-01-01T10:00:00Z", "'2020-01-01 10:00:00 +00:00'"),
        ("2020-01-01", None),
    ],
)
def test_datetime_literal_sql(text: str, expected: str | None) -> None:
    assert datetime_literal_sql(text) == expected


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ("JsonbPathOps", "jsonb_path_ops"),
        ("ArrayOps", "array_ops"),
        ("TimestampTzMinMaxMultiOps", "timestamptz_minmax_multi_ops"),
        ("TimeTzBloomOps", "timetz_bloom_ops"),
        ("VarBitMinMaxOps", "varbit_minmax_ops"),
        ("Float4MinMaxOps", "float4_minmax_ops"),
        ("text_pattern_ops", "text_pattern_ops"),  # raw("...")
    ],
)
def test_operator_class_sql(ops: str, expected: str) -> None:
    assert operator_class_sql(ops) == expected


# -- Prisma's DDL, tokenized --------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>--[^\n]*)
  | (?P<ident>"(?:[^"]|"")*")
  | (?P<string>'(?:[^']|'')*')
  | (?P<cast>::)
  | (?P<punct>[(),;.\[\]])
  | (?P<word>[^\s(),;.\[\]"':]+|:)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def value(self) -> str:
        """An identifier unquoted, a keyword upper-cased, anything else as written."""
        if self.kind == "ident":
            return self.text[1:-1].replace('""', '"')
        if self.kind == "word":
            return self.text.upper()
        return self.text

    def is_(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokenize(sql: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        assert m is not None, f"cannot tokenize at {sql[pos : pos + 40]!r}"
        kind = m.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append(Token(kind, m.group(), m.start(), m.end()))
        pos = m.end()
    return tokens


def statements(sql: str) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    depth = 0
    for token in tokenize(sql):
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        if token.text == ";" and depth == 0:
            out.append([])
        else:
            out[-1].append(token)
    return [s for s in out if s]


class Cursor:
    def __init__(self, sql: str, tokens: list[Token]) -> None:
        self.sql, self.tokens, self.i = sql, tokens, 0

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def next(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def expect(self, *words: str) -> None:
        for word in words:
            token = self.next()
            assert token.value == word, f"expected {word}, got {token.text!r}"

    def accept(self, *words: str) -> bool:
        for k, word in enumerate(words):
            token = self.peek(k)
            if token is None or token.value != word:
                return False
        self.i += len(words)
        return True

    def qualified(self) -> str:
        """`"schema"."name"` or `"name"` -> `schema.name` / `name`."""
        name = self.next().value
        while self.peek() is not None and self.peek().text == ".":  # type: ignore[union-attr]
            self.next()
            name += "." + self.next().value
        return name

    def group(self) -> list[list[Token]]:
        """A parenthesised list, split at its top-level commas."""
        assert self.next().text == "("
        items: list[list[Token]] = [[]]
        depth = 0
        while True:
            token = self.next()
            if token.text in ("(", "["):
                depth += 1
            elif token.text in (")", "]"):
                if depth == 0:
                    break
                depth -= 1
            if token.text == "," and depth == 0:
                items.append([])
            else:
                items[-1].append(token)
        return [item for item in items if item]

    def text(self, tokens: list[Token]) -> str:
        return self.sql[tokens[0].start : tokens[-1].end] if tokens else ""


_ACTIONS = {
    "CASCADE": "Cascade",
    "RESTRICT": "Restrict",
    "NO ACTION": "NoAction",
    "SET NULL": "SetNull",
    "SET DEFAULT": "SetDefault",
}
_COLUMN_KEYWORDS = ("NOT", "NULL", "DEFAULT", "PRIMARY", "CONSTRAINT")


def _empty_table() -> dict[str, Any]:
    return {
        "columns": {},
        "primary_key": None,
        "unique_indexes": {},
        "indexes": {},
        "foreign_keys": {},
    }


def parse_ddl(sql: str) -> dict[str, Any]:
    """Prisma's migration SQL as {enums, tables}: see `render_schema` for the shape."""
    enums: dict[str, list[str]] = {}
    tables: dict[str, dict[str, Any]] = {}
    for tokens in statements(sql):
        c = Cursor(sql, tokens)
        if c.accept("CREATE", "SCHEMA") or c.accept("CREATE", "EXTENSION"):
            continue  # schemas and extensions come from the datasource, not from lowering
        if c.accept("CREATE", "TYPE"):
            name = c.qualified()
            c.expect("AS", "ENUM")
            enums[name] = [item[0].text[1:-1].replace("''", "'") for item in c.group()]
        elif c.accept("CREATE", "TABLE"):
            name = c.qualified()
            table = tables.setdefault(name, _empty_table())
            for item in c.group():
                _table_item(Cursor(sql, item), table)
        elif c.accept("CREATE", "UNIQUE", "INDEX") or c.accept("CREATE", "INDEX"):
            unique = tokens[1].is_("UNIQUE")
            index_name = c.next().value
            c.expect("ON")
            table_name = c.qualified()
            method = c.next().value if c.accept("USING") else None
            columns = [_index_column(Cursor(sql, item)) for item in c.group()]
            entry: dict[str, Any] = {"columns": columns, "method": method}
            if c.accept("WHERE"):
                entry["where"] = c.text(c.tokens[c.i :])
            kind = "unique_indexes" if unique else "indexes"
            tables.setdefault(table_name, _empty_table())[kind][index_name] = entry
        elif c.accept("ALTER", "TABLE"):
            table_name = c.qualified()
            c.expect("ADD")
            _table_item(c, tables.setdefault(table_name, _empty_table()))
        else:
            raise AssertionError(f"unexpected statement: {c.text(tokens)[:200]}")
    return {"enums": enums, "tables": tables}


def _table_item(c: Cursor, table: dict[str, Any]) -> None:
    constraint = c.next().value if c.accept("CONSTRAINT") else None
    if c.accept("PRIMARY", "KEY"):
        table["primary_key"] = {
            "name": constraint,
            "columns": [item[0].value for item in c.group()],
        }
    elif c.accept("FOREIGN", "KEY"):
        columns = [item[0].value for item in c.group()]
        c.expect("REFERENCES")
        target = c.qualified()
        referenced = [item[0].value for item in c.group()]
        fk = {
            "columns": columns,
            "references": target,
            "referenced_columns": referenced,
            "on_delete": "NoAction",
            "on_update": "NoAction",
        }
        while not c.at_end():
            c.expect("ON")
            which = "on_delete" if c.next().value == "DELETE" else "on_update"
            action = c.next().value
            if action in ("NO", "SET"):
                action += " " + c.next().value
            fk[which] = _ACTIONS[action]
        table["foreign_keys"][constraint] = fk
    else:
        assert constraint is None, constraint
        name = c.next().value
        type_tokens: list[Token] = []
        while not c.at_end() and not c.peek().is_(*_COLUMN_KEYWORDS):  # type: ignore[union-attr]
            type_tokens.append(c.next())
        column: dict[str, Any] = {
            "type": c.text(type_tokens),
            "not_null": False,
            "default": None,
        }
        while not c.at_end():
            if c.accept("NOT", "NULL"):
                column["not_null"] = True
            elif c.accept("PRIMARY", "KEY"):
                table["primary_key"] = {"name": None, "columns": [name]}
                column["autoincrement"] = c.accept("AUTOINCREMENT")
            elif c.accept("DEFAULT"):
                rest = c.tokens[c.i :]
                column["default"] = c.text(rest)
                c.i = len(c.tokens)
            else:
                raise AssertionError(f"unexpected in column {name}: {c.peek()}")
        table["columns"][name] = column


def _index_column(c: Cursor) -> str:
    """`"title" text_pattern_ops DESC` -> `title text_pattern_ops DESC`."""
    parts = [c.next().value]
    while not c.at_end():
        token = c.next()
        parts.append(token.value if token.is_("ASC", "DESC") else token.text)
    return " ".join(parts)


# -- our side: the schema model in the same shape ----------------------------------------------


ENGINE_SCHEMA = "public"
"""The schema the stub connection says it is on: the engine writes objects there unqualified."""


def _qualified(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema and schema != ENGINE_SCHEMA else name


def render_schema(schema: Schema) -> dict[str, Any]:
    """{enums: {name: [values]}, tables: {name: {columns: {name: {type, not_null, default
    [, autoincrement]}}, primary_key: {name, columns}, unique_indexes / indexes: {name: {columns:
    ["col [ops] [ASC|DESC]"], method}}, foreign_keys: {name: {columns, references,
    referenced_columns, on_delete, on_update}}}}}; names schema-qualified where they have one."""
    provider = schema.provider or ""
    dialect = get_dialect(provider)
    assert dialect is not None
    enums_by_name = {e.model_name or e.name: e for e in schema.enums}
    enums: dict[str, list[str]] = {}
    if dialect.TYPE_MAPPING.get("enum") == '"{enum}"':  # enums are named types (PostgreSQL)
        for e in schema.enums:
            enums[_qualified(e.name, e.db_schema)] = [v.name for v in e.values]
    tables: dict[str, dict[str, Any]] = {}
    for t in schema.tables:
        if t.kind not in ("table", "join_table"):
            continue  # views are not migrated; composite types are no tables
        out = _empty_table()
        for col in t.columns:
            enum = enums_by_name.get(col.type.orm_type or "") if col.type.kind == "enum" else None
            entry: dict[str, Any] = {
                "type": column_type_sql(dialect, col),
                "not_null": not col.nullable,
                "default": default_sql(dialect, col.default, col, enum),
            }
            out["columns"][col.name] = entry
        pk = t.primary_key
        if pk is not None:
            out["primary_key"] = {"name": pk.name, "columns": [c.column for c in pk.columns]}
            if provider == "sqlite" and len(pk.columns) == 1:
                # a one-column key is written on its column, with AUTOINCREMENT where it fits
                col = t.column(pk.columns[0].column or "")
                assert col is not None
                out["columns"][col.name]["autoincrement"] = (
                    autoincrement_keyword(dialect, col) is not None
                )
        for u in t.uniques:
            out["unique_indexes"][u.name] = {"columns": _index_columns(u.columns), "method": None}
        for i in t.indexes:
            kind = "unique_indexes" if i.unique else "indexes"
            method = None if i.method in (None, "btree") else i.method.upper()
            entry = {"columns": _index_columns(i.columns), "method": method}
            if i.predicate:
                entry["where"] = index_predicate_sql(dialect, i.predicate)
            out[kind][i.name] = entry
        for fk in t.foreign_keys:
            out["foreign_keys"][fk.name] = {
                "columns": list(fk.columns),
                "references": _qualified(fk.referenced_table, fk.referenced_schema),
                "referenced_columns": list(fk.referenced_columns),
                "on_delete": fk.on_delete,
                "on_update": fk.on_update,
            }
        tables[_qualified(t.name, t.db_schema)] = out
    return {"enums": enums, "tables": tables}


def _index_columns(columns: list[Any]) -> list[str]:
    out = []
    for c in columns:
        parts = [c.column or c.expression or ""]
        if c.ops:
            parts.append(operator_class_sql(c.ops))
        if c.sort:
            parts.append(c.sort.upper())
        out.append(" ".join(parts))
    return out


def diff(ours: Any, theirs: Any, path: str = "") -> list[str]:
    """Readable differences, one line each: `path: ours != prisma`."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out: list[str] = []
        for key in sorted(set(ours) | set(theirs), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in ours:
                out.append(f"{where}: missing in ours (prisma: {theirs[key]!r:.160})")
            elif key not in theirs:
                out.append(f"{where}: not in Prisma's (ours: {ours[key]!r:.160})")
            else:
                out.extend(diff(ours[key], theirs[key], where))
        return out
    return [] if ours == theirs else [f"{path}: {ours!r:.160} != {theirs!r:.160}"]
