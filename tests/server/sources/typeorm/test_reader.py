"""The TypeORM entity reader, without npm: names, types and keys on small projects, what TypeORM
would refuse as read problems with ranges inside their files, and the project-wide units.
(TypeORM itself holds the reader to its own SQL in tests/oracle/typeorm/.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from schemasense.codegen.orms.typeorm.create_sql import create_statements
from schemasense.server.project import typeorm as project
from schemasense.server.sources.typeorm.reader import read_typeorm
from schemasense.server.sources.typeorm.source import TypeOrmSource

SAMPLES = Path(__file__).resolve().parents[4] / "samples"
ROOT = "/p"
PACKAGE_03 = json.dumps({"dependencies": {"typeorm": "^0.3.20", "pg": "^8"}})
PACKAGE_1 = json.dumps({"dependencies": {"typeorm": "^1.1.0", "pg": "^8"}})

DATA_SOURCE = """
import { DataSource } from "typeorm";
import { User } from "./user";
import { Post } from "./post";
export const ds = new DataSource({
  type: "postgres",
  entities: [User, Post],
  migrations: [__dirname + "/migrations/*.ts"],
});
"""
USER = """
import { Column, Entity, OneToMany, PrimaryGeneratedColumn, Index } from "typeorm";
import { Post } from "./post";
export enum Role { Admin = "admin", Reader = "reader" }
@Entity("users")
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true, where: `"deletedAt" IS NULL` })
  @Column({ length: 200 }) email: string;
  @Column({ type: "enum", enum: Role, default: Role.Reader }) role: Role;
  @Column({ nullable: true }) nickname: string | null;
  @Column({ type: "timestamptz", default: () => "CURRENT_TIMESTAMP" }) seenAt: Date;
  @OneToMany(() => Post, (post) => post.author) posts: Post[];
}
"""
POST = """
import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { User } from "./user";
@Entity()
export class Post {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column() title: string;
  @ManyToOne(() => User, (user) => user.posts, { onDelete: "CASCADE" }) author: User;
}
"""


def texts(**files: str) -> dict[str, str]:
    out = {f"{ROOT}/src/{name.replace('_', '-')}.ts": text for name, text in files.items()}
    return out


def read(package: str = PACKAGE_1, **files: str):  # type: ignore[no-untyped-def]
    return read_typeorm({f"{ROOT}/package.json": package, **texts(**files)})


def test_names_types_and_keys_as_typeorm_gives_them():
    r = read(data_source=DATA_SOURCE, user=USER, post=POST)
    assert [f for f in r.findings if f.severity == "error"] == []
    users = r.schema.table("users")
    post = r.schema.table("post")
    assert users is not None and post is not None
    assert [c.name for c in users.columns] == ["id", "email", "role", "nickname", "seenAt"]
    assert users.column("email").type.native == "character varying(200)"  # type: ignore[union-attr]
    assert users.column("nickname").nullable  # type: ignore[union-attr]
    assert users.column("role").type.enum == "users_role_enum"  # type: ignore[union-attr]
    assert [v.name for v in r.schema.enum("users_role_enum").values] == ["admin", "reader"]  # type: ignore[union-attr]
    assert post.column("authorId").type.native == "integer"  # type: ignore[union-attr]
    (fk,) = post.foreign_keys
    assert (fk.name, fk.columns, fk.referenced_table, fk.on_delete) == (
        "FK_c6fb082a3114f35d0cc27c518e0",
        ["authorId"],
        "users",
        "Cascade",
    )
    assert users.primary_key.name == "PK_a3ffb1c0c8416b9fc6f907b7433"  # type: ignore[union-attr]
    sql = create_statements(r.family, r.tables)
    assert "CREATE TYPE \"users_role_enum\" AS ENUM('admin', 'reader')" in sql
    assert any('"seenAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()' in s for s in sql)


def test_partial_index_names_hash_by_version():
    """0.3 hashes the URI-encoded key, 1.x the key itself: they differ on a WHERE."""
    old = read(PACKAGE_03, data_source=DATA_SOURCE, user=USER, post=POST)
    new = read(PACKAGE_1, data_source=DATA_SOURCE, user=USER, post=POST)
    assert old.version == "0.3" and new.version == "1"
    (old_index,) = old.schema.table("users").indexes  # type: ignore[union-attr]
    (new_index,) = new.schema.table("users").indexes  # type: ignore[union-attr]
    assert old_index.name != new_index.name
    assert old_index.predicate and old_index.name.startswith("IDX_")


def test_snake_naming_strategy():
    source = DATA_SOURCE.replace(
        'type: "postgres",', 'type: "postgres", namingStrategy: new SnakeNamingStrategy(),'
    )
    r = read(data_source=source, user=USER, post=POST)
    assert r.datasource is not None and r.datasource.naming == "snake"
    assert r.schema.table("post").column("author_id") is not None  # type: ignore[union-attr]
    assert r.schema.table("users").column("seen_at") is not None  # type: ignore[union-attr]


def _codes(r) -> dict[str, list]:  # type: ignore[no-untyped-def]
    out: dict[str, list] = {}
    for f in r.findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_what_typeorm_refuses_is_a_problem_with_its_range():
    bad_post = """
import { Column, Entity, ManyToOne, OneToOne, JoinColumn, PrimaryGeneratedColumn } from "typeorm";
import { User } from "./user";
import { Ghost } from "./ghost";
@Entity()
export class Post {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar2" }) title: string;
  @Column() when: Date | string;
  @Column({ name: "title" }) heading: string;
  @ManyToOne(() => Ghost) ghost: Ghost;
  @ManyToOne(() => User, (user) => user.nothing) author: User;
  @OneToOne(() => Post, (p) => p.twin) @JoinColumn() twin: Post;
}
"""
    r = read(data_source=DATA_SOURCE, user=USER, post=bad_post)
    codes = _codes(r)
    assert set(codes) >= {"DB061", "DB062", "DB063", "DB064", "DB065"}
    text = r.modules.texts  # type: ignore[union-attr]
    for finding in r.findings:
        body = text[finding.span.file]
        assert 0 <= finding.span.start <= finding.span.end <= len(body)
    (unknown,) = codes["DB061"]
    assert text[unknown.span.file][unknown.span.start : unknown.span.end].startswith("@ManyToOne")
    messages = " ".join(f.message for f in codes["DB063"])
    assert "varchar2" in messages and "when" in messages
    assert codes["DB065"][0].message == 'Table "post" already has a column "title"'


def test_unreadable_arguments_are_warnings_and_the_read_goes_on():
    post = POST.replace("@Column() title", "@Column({ type: pickType() }) title").replace(
        "@Entity()", "@Entity()\n@Index(computeFields())"
    )
    r = read(data_source=DATA_SOURCE, user=USER, post=post)
    assert {f.code for f in r.findings} == {"DB066"}
    assert all(f.severity == "warning" for f in r.findings)
    assert r.schema.table("post").column("title") is not None  # type: ignore[union-attr]


def test_no_datasource_is_a_finding_that_says_what_was_looked_for():
    r = read(user=USER, post=POST)
    (finding,) = [f for f in r.findings if f.code == "DB060"]
    assert "new DataSource" in finding.message and "schemasense.toml" in (finding.help or "")
    assert finding.span.file == f"{ROOT}/package.json"
    assert r.schema.table("users") is not None  # still read, with TypeORM's defaults


def test_inheritance_embedded_and_many_to_many():
    base = """
import { CreateDateColumn, PrimaryGeneratedColumn } from "typeorm";
export abstract class Base {
  @PrimaryGeneratedColumn() id: number;
  @CreateDateColumn() createdAt: Date;
}
"""
    address = """
import { Column } from "typeorm";
export class Address { @Column() city: string; @Column({ nullable: true }) zip: string; }
"""
    shop = """
import { Column, Entity, JoinTable, ManyToMany } from "typeorm";
import { Base } from "./base";
import { Address } from "./address";
import { Tag } from "./tag";
@Entity()
export class Shop extends Base {
  @Column(() => Address) address: Address;
  @Column(() => Address, { prefix: "bill" }) billing: Address;
  @ManyToMany(() => Tag) @JoinTable() tags: Tag[];
}
"""
    tag = """
import { Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity() export class Tag { @PrimaryGeneratedColumn() id: number; }
"""
    ds = 'import { DataSource } from "typeorm";\nnew DataSource({ type: "sqlite" });\n'
    r = read(data_source=ds, base=base, address=address, shop=shop, tag=tag)
    shop_table = r.schema.table("shop")
    assert shop_table is not None
    assert [c.name for c in shop_table.columns] == [
        "id",
        "createdAt",
        "addressCity",
        "addressZip",
        "billCity",
        "billZip",
    ]
    join = r.schema.table("shop_tags_tag")
    assert join is not None
    assert [c.name for c in join.columns] == ["shopId", "tagId"]
    assert {fk.referenced_table for fk in join.foreign_keys} == {"shop", "tag"}


@pytest.mark.parametrize(
    ("glob", "expected"),
    [
        ("/p/src/**/*.entity.{ts,js}", ["/p/src/a/x.entity.ts"]),
        ("/p/dist/**/*.entity.js", ["/p/src/a/x.entity.ts"]),
        ("/p/src/*.ts", ["/p/src/y.ts"]),
    ],
)
def test_entity_globs(glob, expected):
    files = ("/p/src/a/x.entity.ts", "/p/src/y.ts", "/p/src/a/x.entity.js")
    assert project.match_glob(glob, files) == expected


class _Project:
    def __init__(self, root: Path) -> None:
        self.root = root

    def text_of(self, path: str) -> str | None:
        try:
            return Path(path).read_text()
        except OSError:
            return None

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            sorted(
                str(p)
                for p in Path(root).rglob("*")
                if p.is_file() and "node_modules" not in p.parts and p.name.endswith(suffixes)
            )
        )


def test_units_of_the_samples():
    source = TypeOrmSource()
    nest = SAMPLES / "typeorm-nest"
    (unit,) = source.find_units(str(nest), _Project(nest))
    assert unit.key == str(nest / "src" / "data-source.ts")
    assert str(nest / "src" / "common" / "base.entity.ts") in unit.files
    assert str(nest / "package.json") in unit.files
    r = source.read({f: Path(f).read_text() for f in unit.files})
    assert r.type == "postgres" and r.version == "0.3"
    (place,) = source.migration_places(r)
    assert (place.folder, place.tool, place.dialect) == (
        str(nest / "src" / "migrations"),
        "typeorm",
        "postgresql",
    )
    sqlite = SAMPLES / "typeorm-sqlite"
    (unit,) = source.find_units(str(sqlite), _Project(sqlite))
    r = source.read({f: Path(f).read_text() for f in unit.files})
    assert r.family == "sqlite" and r.version == "1"
    assert {t.name for t in r.schema.tables} == {
        "author",
        "book",
        "category",
        "review",
        "book_category",
        "category_closure",
    }


def test_a_project_without_typeorm_has_no_units(tmp_path):
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4"}}')
    (tmp_path / "a.ts").write_text("export const a = 1;\n")
    assert TypeOrmSource().find_units(str(tmp_path), _Project(tmp_path)) == []


def test_the_reader_never_raises_on_broken_text():
    broken = USER[: len(USER) // 2]
    r = read(data_source=DATA_SOURCE, user=broken, post=POST + "@Column({ type: ")
    assert r.schema is not None


def _sample_read(name: str):  # type: ignore[no-untyped-def]
    source = TypeOrmSource()
    root = SAMPLES / name
    (unit,) = source.find_units(str(root), _Project(root))
    texts = {f: Path(f).read_text() for f in unit.files}
    return source, source.read(texts), texts


def test_hover_explains_columns_tables_checks_and_relations():
    source, r, texts = _sample_read("typeorm-nest")
    user = str(SAMPLES / "typeorm-nest" / "src" / "users" / "user.entity.ts")
    text = texts[user]

    def hover(anchor: str) -> str:
        answer = source.hover(r, texts, user, text.index(anchor) + 1)
        assert answer is not None, anchor
        assert 0 <= answer.start <= answer.end <= len(text)
        return answer.markdown

    column = hover("displayName: string")
    assert "`user`.`display_name`" in column and "character varying(80) NOT NULL" in column
    assert "user_role_enum" in hover("role: UserRole")
    table = hover("@Entity()")
    assert "**table** `user`" in table and "Referenced by" in table
    assert "CHK_8379d998f5a8a5ea6185cb50fe" in hover("@Check(")
    partial = hover("@Index({ unique: true, where")
    assert "IDX_056bb4c824391d82acd9251aef" in partial


def test_definition_follows_extends_and_relation_targets():
    source, r, texts = _sample_read("typeorm-nest")
    profile = str(SAMPLES / "typeorm-nest" / "src" / "users" / "profile.entity.ts")
    text = texts[profile]
    (base,) = source.definition(r, texts, profile, text.index("extends BaseEntity") + 9)
    assert base.file.endswith("common/base.entity.ts")
    assert texts[base.file][base.start : base.end] == "BaseEntity"
    (user,) = source.definition(r, texts, profile, text.index("@OneToOne") + 2)
    assert user.file.endswith("users/user.entity.ts")
    assert texts[user.file][user.start : user.end] == "User"
    assert source.definition(r, texts, profile, text.index("bio:")) == []


@pytest.mark.parametrize(
    ("body", "naming", "table"),
    [
        ("tableName(n: string) { return snakeCase(n); }", "snake", "blog_post"),
        ("tableName(n: string) { return 'tbl_' + n; }", "custom:MyNaming", "blog_post"),
    ],
)
def test_a_projects_own_naming_strategy(body, naming, table):
    strategy = (
        'import { DefaultNamingStrategy } from "typeorm";\n'
        f"export class MyNaming extends DefaultNamingStrategy {{ {body} }}\n"
    )
    ds = (
        'import { DataSource } from "typeorm";\nimport { MyNaming } from "./naming";\n'
        "import { BlogPost } from './blog-post';\n"
        'new DataSource({ type: "postgres", entities: [BlogPost],\n'
        "  namingStrategy: new MyNaming() });\n"
    )
    entity = (
        'import { Entity, PrimaryGeneratedColumn } from "typeorm";\n'
        "@Entity() export class BlogPost { @PrimaryGeneratedColumn() postId: number; }\n"
    )
    r = read(data_source=ds, naming=strategy, blog_post=entity)
    assert r.datasource is not None and r.datasource.naming == naming
    (warning,) = [f for f in r.findings if f.code == "DB066"]
    assert "MyNaming" in warning.message and warning.severity == "warning"
    assert r.schema.table(table) is not None


def test_migrations_given_as_imported_classes_name_their_folder(tmp_path):
    (tmp_path / "package.json").write_text(PACKAGE_1)
    src = tmp_path / "src"
    (src / "migrations" / "sqlite").mkdir(parents=True)
    (src / "migrations" / "sqlite" / "index.ts").write_text(
        'import { Init1700000000000 } from "./1700000000000-Init";\n'
        "export const sqliteMigrations = [Init1700000000000];\n"
    )
    (src / "migrations" / "sqlite" / "1700000000000-Init.ts").write_text(
        "export class Init1700000000000 { async up() {} async down() {} }\n"
    )
    (src / "data-source.ts").write_text(
        'import { DataSource } from "typeorm";\n'
        'import { sqliteMigrations } from "./migrations/sqlite";\n'
        'import { Post } from "./post";\n'
        'export const ds = new DataSource({ type: "sqlite", entities: [Post],\n'
        "  migrations: sqliteMigrations });\n"
    )
    (src / "post.ts").write_text(POST)
    source = TypeOrmSource()
    (unit,) = source.find_units(str(tmp_path), _Project(tmp_path))
    r = source.read({f: Path(f).read_text() for f in unit.files})
    (place,) = source.migration_places(r)
    assert (place.folder, place.dialect) == (str(src / "migrations" / "sqlite"), "sqlite")


STAMPED = """import {
  Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn,
} from "typeorm";

@Entity()
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;

  @Column({ type: "timestamptz" })
  seenAt: Date;
}
"""


def test_update_date_column_is_the_updated_at_marker():
    """`@UpdateDateColumn` is what Prisma's `@updatedAt` is (TypeORM sets it on every save):
    the schema model's `updated_at`, which DTOs, tests and cross-ORM generation read."""
    r = read(data_source=DATA_SOURCE.replace(", Post]", "]"), user=STAMPED)
    users = r.schema.table("user")
    assert users is not None
    marked = {c.name: c.updated_at for c in users.columns}
    assert marked == {"id": False, "createdAt": False, "updatedAt": True, "seenAt": False}


class _Watched(dict):
    """Texts that note every file whose text is asked for."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__(texts)
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)


def test_a_relative_import_above_the_project_is_not_read() -> None:
    """Robustness issue, item 7: an import that climbs above the project (the folder of its
    package.json) is never read, even when the file is at hand: the DataSource options and
    the base class it would give stay unread (DB066, no `id`), where the same files inside
    the project are read."""
    outside = (
        'export const options = { type: "mysql", entities: [User] };\n'
        "export class Base { @PrimaryGeneratedColumn() id: number; }\n"
    )
    user = (
        'import { Entity, Column, PrimaryGeneratedColumn } from "typeorm";\n'
        'import { Base } from "{spec}";\n'
        "@Entity()\nexport class User extends Base { @Column() name: string; }\n"
    )
    source = (
        'import { DataSource } from "typeorm";\nimport { options } from "{spec}";\n'
        'import { User } from "./entity/User";\n'
        "export const AppDataSource = new DataSource(options);\n"
    )
    package = '{"dependencies": {"typeorm": "0.3.20"}}'

    def read(shared: str, from_src: str, from_entity: str):
        texts = _Watched(
            {
                "/w/app/package.json": package,
                "/w/app/src/data-source.ts": source.replace("{spec}", from_src),
                "/w/app/src/entity/User.ts": user.replace("{spec}", from_entity),
                shared: outside,
            }
        )
        return read_typeorm(texts, unit_key="/w/app/src/data-source.ts"), texts.asked

    inside, asked = read("/w/app/shared/options.ts", "../shared/options", "../../shared/options")
    assert "/w/app/shared/options.ts" in asked
    assert inside.schema.provider == "mysql"
    assert [c.name for c in inside.schema.table("user").columns] == ["id", "name"]

    above, asked = read("/w/shared/options.ts", "../../shared/options", "../../../shared/options")
    assert "/w/shared/options.ts" not in asked
    assert above.schema.provider != "mysql"
    assert [c.name for c in above.schema.table("user").columns] == ["name"]
    assert "DB066" in {f.code for f in above.findings}
