"""The model emitters on small schemas built here: what each decorator and attribute says, and
what it leaves to the ORM's own naming (one behaviour per test). The proofs on real projects
(tsc, TypeORM's DDL, Prisma's validator and engine on real databases) are in
tests/oracle/models/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.emit.models.facts import parse_sql_type, plan
from schemasense.codegen.emit.models.prisma import prisma_models, prisma_schema
from schemasense.codegen.emit.models.typeorm import EntityOptions, typeorm_entity_files
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
from schemasense.codegen.schema import (
    Column,
    ColumnType,
    Default,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)

REPO = Path(__file__).resolve().parents[4]


def col(name: str, native: str, *, nullable: bool = False, default: str | None = None, **kw):
    kind = kw.pop("kind", "string")
    return Column(
        name=name,
        type=ColumnType(kind=kind, native=native),
        nullable=nullable,
        default=Default(kind="expression", value=default) if default else None,
        **kw,
    )


def pk(table: str, *columns: str, name: str | None = None) -> PrimaryKey:
    return PrimaryKey(
        name=name or f"{table}_pkey", columns=[IndexColumn(column=c) for c in columns]
    )


def blog() -> Schema:
    """A database-form schema (as read from SQL or TypeORM): users, and posts with two keys to
    users (author, editor)."""
    users = Table(
        name="user_profile",
        columns=[
            col("id", "integer", kind="int", default="nextval('user_profile_id_seq'::regclass)"),
            col("display_name", "character varying(80)"),
            col("email", "character varying(320)"),
        ],
        primary_key=pk("user_profile", "id"),
        uniques=[
            UniqueConstraint(name="user_profile_email_key", columns=[IndexColumn(column="email")])
        ],
    )
    posts = Table(
        name="posts",
        columns=[
            col("id", "uuid", kind="uuid", default="gen_random_uuid()"),
            col("title", "text", kind="text", default="'untitled'::text"),
            col("author_id", "integer", kind="int"),
            col("editor_id", "integer", kind="int", nullable=True),
            col("created_at", "timestamp(3) with time zone", kind="timestamp", default="now()"),
        ],
        primary_key=pk("posts", "id"),
        foreign_keys=[
            ForeignKey(
                name="posts_author_id_fkey",
                columns=["author_id"],
                referenced_table="user_profile",
                referenced_columns=["id"],
                on_delete="Cascade",
                on_update="Cascade",
            ),
            ForeignKey(
                name="fk_editor",
                columns=["editor_id"],
                referenced_table="user_profile",
                referenced_columns=["id"],
                on_delete="SetNull",
                on_update="Cascade",
            ),
        ],
        indexes=[
            Index(name="posts_author_id_idx", columns=[IndexColumn(column="author_id")]),
            Index(
                name="recent_posts",
                columns=[IndexColumn(column="created_at", sort="desc")],
                predicate="created_at > '2020-01-01'",
            ),
        ],
    )
    return Schema(provider="postgresql", tables=[users, posts])


def entity(files, stem: str) -> str:
    return next(f.text for f in files if f.path.split("/")[-1].startswith(stem))


def test_sql_types_in_one_spelling():
    assert parse_sql_type("character varying(200)").name == "varchar"
    assert parse_sql_type("character varying(200)").length == 200
    t = parse_sql_type("timestamp(3) with time zone")
    assert (t.name, t.precision) == ("timestamptz", 3)
    t = parse_sql_type("NUMERIC(10,2)")
    assert (t.name, t.precision, t.scale) == ("numeric", 10, 2)
    assert parse_sql_type("TEXT[]").array


def test_relations_have_two_sides_and_names_where_ambiguous():
    p = plan(blog())
    fields = {(r.field, r.inverse, r.name) for r in p.relations}
    assert ("author", "authorPosts", "Post_author") in fields
    assert ("editor", "editorPosts", "Post_editor") in fields


def test_prisma_maps_only_what_differs():
    text = prisma_models(blog())
    assert "model UserProfile {" in text and '@@map("user_profile")' in text
    assert '@@map("posts")' in text  # Prisma's name would be Post
    assert 'displayName String @map("display_name") @db.VarChar(80)' in " ".join(text.split())
    assert "@unique @db.VarChar(320)" in text  # user_profile_email_key is Prisma's own name
    assert "@id @default(autoincrement())" in text  # user_profile_pkey likewise
    assert 'map: "fk_editor"' in text and 'map: "posts_author_id_fkey"' not in text
    assert '@default(dbgenerated("gen_random_uuid()"))' in text
    assert '@default("untitled")' in text
    assert 'createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)' in " ".join(
        text.split()
    )
    assert (
        '@relation("Post_editor", fields: [editorId], references: [id], map: "fk_editor")' in text
    )
    assert "@@index([authorId])" in text
    assert "// index recent_posts is partial" in text


def test_typeorm_leaves_names_to_the_naming_strategy():
    files = typeorm_entity_files(blog(), options=EntityOptions(naming=NamingStrategy()))
    user = entity(files, "user-profile")
    assert "@Entity()\n" in user  # DefaultNamingStrategy: UserProfile -> user_profile
    assert '@Column({ name: "display_name", type: "varchar", length: 80 })' in user
    assert "@Unique(" in user  # a unique constraint stays one
    snake = typeorm_entity_files(blog(), options=EntityOptions(naming=SnakeNamingStrategy()))
    user = entity(snake, "user-profile")
    assert '@Column({ type: "varchar", length: 80 })\n  displayName!: string;' in user


def test_typeorm_names_what_its_hashes_would_not():
    naming = NamingStrategy()
    schema = blog()
    posts = schema.tables[1]
    hashed = naming.index_name("posts", ["author_id"])
    posts.indexes[0] = posts.indexes[0].model_copy(update={"name": hashed})
    post = entity(typeorm_entity_files(schema), "post")
    assert '@Index(["authorId"])' in post  # TypeORM's own name: not repeated
    assert '@Entity("posts")' in post
    assert 'primaryKeyConstraintName: "posts_pkey"' in post
    assert '@JoinColumn({ name: "editor_id", foreignKeyConstraintName: "fk_editor" })' in post
    assert (
        "  @PrimaryColumn({\n"
        '    type: "uuid",\n'
        '    default: () => "gen_random_uuid()",\n'
        '    primaryKeyConstraintName: "posts_pkey",\n'
        "  })\n"
        "  id!: string;\n"
    ) in post  # Prettier's break of a decorator longer than 80 columns
    assert '@CreateDateColumn({ name: "created_at", type: "timestamptz", precision: 3 })' in post
    assert "@ManyToOne(() => UserProfile, (userProfile) => userProfile.authorPosts" in post
    assert 'import { UserProfile } from "./user-profile.entity";' in post
    user = entity(typeorm_entity_files(schema), "user-profile")
    assert "@OneToMany(() => Post, (post) => post.editor)\n  editorPosts!: Post[];" in user
    assert "import {\n  Column,\n" in post and '} from "typeorm";\n' in post
    assert "@PrimaryGeneratedColumn({ primaryKeyConstraintName: " in user


def test_typeorm_in_the_projects_style():
    style = CodeStyle(quote="'", indent="    ", semicolons=False, file_case="pascal")
    files = typeorm_entity_files(blog(), style=style, options=EntityOptions(suffix=""))
    assert sorted(f.path for f in files) == ["Post.ts", "UserProfile.ts"]
    post = entity(files, "Post")
    assert "from 'typeorm'\n" in post and ";" not in post.split("export class")[1]
    assert "import { UserProfile } from './UserProfile'" in post
    assert "\n    title!: string\n" in post


def _prisma_format(schemas: list[str]) -> list[str]:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "@prisma" / "prisma-schema-wasm").is_dir():
        pytest.skip("node or node_modules/@prisma/prisma-schema-wasm is missing")
    proc = subprocess.run(
        [node, str(Path(__file__).with_name("prisma_format.cjs")), str(REPO)],
        input=json.dumps(schemas),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(proc.stdout)


@pytest.mark.oracle
def test_prisma_layout_is_prisma_formats():
    """The emitter's layout is what `prisma format` (Prisma's own formatter) makes of it."""
    from schemasense.server.workspace.workspace import Workspace

    workspace = Workspace()
    samples = [REPO / "samples" / "typeorm-nest" / "src" / "data-source.ts"]
    samples += [REPO / "samples" / "sequelize-js", REPO / "samples" / "typeorm-sqlite"]
    schemas = [blog()]
    for sample in samples:
        [unit] = [u for u in workspace.units_at(str(sample)) if u.kind != "prisma"][:1]
        schemas.append(workspace.analyze(unit).read.schema)
    texts = [prisma_schema(s) for s in schemas]
    assert _prisma_format(texts) == texts


def test_typeorm_unique_column_and_update_date():
    """A unique constraint with TypeORM's own name is `unique: true`; `updated_at` with `now()`
    is an @UpdateDateColumn (its catalog is the same)."""
    schema = blog()
    users = schema.tables[0]
    hashed = NamingStrategy().unique_constraint_name("user_profile", ["email"])
    users.uniques[0] = users.uniques[0].model_copy(update={"name": hashed})
    users.columns.append(col("updated_at", "timestamp(6) without time zone", kind="timestamp",
                             default="CURRENT_TIMESTAMP"))  # fmt: skip
    user = entity(typeorm_entity_files(schema), "user-profile")
    assert '@Column({ type: "varchar", length: 320, unique: true })' in user
    assert "@Unique(" not in user
    assert '@UpdateDateColumn({ name: "updated_at", type: "timestamp", precision: 6 })' in user


@pytest.mark.oracle
def test_names_prisma_would_refuse_are_made_valid():
    """Enum values and columns that are not Prisma identifiers get one, with `@map`."""
    from schemasense.codegen.schema import Enum, EnumValue

    from tests.codegen.prisma_wasm import require_oracle, validate_all

    require_oracle()
    table = Table(
        name="1st table",
        columns=[
            col("id", "integer", kind="int"),
            col("2fa", "boolean", kind="boolean"),
            Column(name="state", type=ColumnType(kind="enum", native="st", enum="st")),
        ],
        primary_key=pk("1st table", "id"),
    )
    values = [EnumValue(name=v) for v in ("in progress", "1", "done")]
    schema = Schema(provider="postgresql", tables=[table], enums=[Enum(name="st", values=values)])
    text = prisma_schema(schema)
    assert 'in_progress @map("in progress")' in text and 'v1 @map("1")' in text
    assert 't2Fa  Boolean @map("2fa")' in text and '@@map("1st table")' in text
    assert validate_all([text])[0].ok, text


@pytest.mark.oracle
def test_tables_in_several_postgresql_schemas():
    """Tables outside `public`: every model and enum says its `@@schema`, the datasource lists
    them, and Prisma's validator accepts it; TypeORM's @Entity says the schema."""
    from tests.codegen.prisma_wasm import require_oracle, validate_all

    require_oracle()
    schema = blog()
    schema.tables[0] = schema.tables[0].model_copy(update={"db_schema": "auth"})
    schema.tables[1].foreign_keys[0] = (
        schema.tables[1].foreign_keys[0].model_copy(update={"referenced_schema": "auth"})
    )
    text = prisma_schema(schema)
    assert 'schemas  = ["auth", "public"]' in text
    assert '@@schema("auth")' in text and '@@schema("public")' in text
    assert validate_all([text])[0].ok, validate_all([text])[0].error
    user = entity(typeorm_entity_files(schema), "user-profile")
    assert '@Entity({ schema: "auth" })' in user


def test_a_long_union_breaks_as_prettier_breaks_it():
    from schemasense.codegen.schema import Enum, EnumValue

    values = [EnumValue(name=f"state_number_{i}") for i in range(6)]
    table = Table(
        name="job",
        columns=[
            col("id", "integer", kind="int"),
            Column(name="state", type=ColumnType(kind="enum", native="st", enum="st")),
        ],
        primary_key=pk("job", "id"),
    )
    schema = Schema(provider="postgresql", tables=[table], enums=[Enum(name="st", values=values)])
    [job] = typeorm_entity_files(schema)
    assert '  state!:\n    | "state_number_0"\n' in job.text
    assert '    | "state_number_5";\n}' in job.text


def test_typeorm_imports_for_node_es_modules():
    files = typeorm_entity_files(blog(), style=CodeStyle(import_extension=".js"))
    post = entity(files, "post")
    assert 'import { UserProfile } from "./user-profile.entity.js";' in post
