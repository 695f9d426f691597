"""Proved by TypeORM itself: a migration `schemasense generate migration` writes for an edited
entity set makes the database match the entities, and its `down` puts the catalog back.

For each sample (typeorm-nest on PostgreSQL, typeorm-sqlite on SQLite through sql.js, TypeORM's
SQLite query runner) and each edit of its entity text (add / drop a column, change a length,
make a column nullable, add / drop an index, a unique key, a new relation, a renamed column taken
as a rename, a new entity): the sample is copied, edited, given a migration by our CLI
(`--format typeorm`), compiled with `tsc` and run by TypeORM's own runner after the existing
migrations on a fresh database (`run_generated.cjs`). Then

- `createSchemaBuilder().log()` has no up query: TypeORM agrees the database now holds what the
  entities declare;
- after `undoLastMigration` the catalog (introspected by `server/verify`) equals the catalog the
  existing migrations alone build (a second fresh database), TypeORM's bookkeeping table aside.

And an unchanged entity set gives no migration at all. Besides: `--safe` migrations (a
CONCURRENTLY index in a class with `transaction = false`, a NOT VALID foreign key and its
VALIDATE), a first migration for a project with none, and the SQLite sample's entities on
MariaDB (first migration and the same edits).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.verify import databases
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import Unavailable, introspect
from schemasense.server.workflows.generate_migration import run_cli

from tests.oracle.prisma import _node
from tests.oracle.typeorm.harness import NODE_MODULES, compile_sample, unavailable

pytestmark = pytest.mark.oracle

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
SCRIPT = Path(__file__).with_name("run_generated.cjs")
BOOKKEEPING = ("migrations", "typeorm_metadata")

Edit = Callable[[Path], None]


def _replace(path: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        f = root / path
        text = f.read_text()
        assert old in text, f"{path}: {old!r} not found"
        f.write_text(text.replace(old, new, 1))

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(root: Path) -> None:
        for e in edits:
            e(root)

    return edit


USER = "src/users/user.entity.ts"
NICKNAME = (
    '  @Column({ type: "varchar", length: 40, nullable: true })\n  nickname: string | null;\n\n'
)
POST = "src/posts/post.entity.ts"
TAG = "src/posts/tag.entity.ts"
COMMENT = """import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Post } from "./post.entity";

@Entity()
export class Comment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 64, unique: true })
  code: string;

  @Index()
  @Column({ type: "text", nullable: true })
  body: string | null;

  @ManyToOne(() => Post, { onDelete: "CASCADE" })
  post: Post;
}
"""


def _write(path: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        (root / path).write_text(text)

    return edit


NEST: dict[str, tuple[Edit, list[str]]] = {
    "add-column": (
        _replace(
            USER,
            "  @OneToOne(",
            NICKNAME + "  @OneToOne(",
        ),
        [],
    ),
    "drop-column": (
        _replace(USER, '  @Column({ type: "int", default: 0 })\n  loginCount: number;\n', ""),
        [],
    ),
    "change-length": (
        _replace(USER, "@Column({ length: 80 })", "@Column({ length: 120 })"),
        [],
    ),
    "nullable": (
        _replace(USER, "@Column({ length: 80 })", "@Column({ length: 80, nullable: true })"),
        [],
    ),
    "add-index": (
        _replace(USER, "  @Column({ length: 80 })", "  @Index()\n  @Column({ length: 80 })"),
        [],
    ),
    "drop-index": (
        _replace(
            POST,
            "  @Index({ unique: true })\n  @Column({ length: 200 })\n  slug",
            "  @Column({ length: 200 })\n  slug",
        ),
        [],
    ),
    "unique": (
        _replace(
            POST,
            "@Column({ length: 200 })\n  title",
            "@Column({ length: 200, unique: true })\n  title",
        ),
        [],
    ),
    "add-relation": (
        _both(
            _replace(
                TAG,
                "import { Post }",
                'import { User } from "../users/user.entity";\nimport { Post }',
            ),
            _replace(TAG, "ManyToMany, ", "ManyToMany, ManyToOne, "),
            _replace(
                TAG,
                "  @ManyToMany(",
                '  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })\n'
                "  creator: User | null;\n\n  @ManyToMany(",
            ),
        ),
        [],
    ),
    "rename-column": (
        _replace(USER, "  displayName: string;", "  fullName: string;"),
        ["user.display_name=full_name"],
    ),
    "rename-table": (
        _replace("src/users/profile.entity.ts", "@Entity()", '@Entity("user_profile")'),
        ["profile=user_profile"],
    ),
    "change-check": (
        _replace(
            POST, '@Check(`"price_cents" >= 0`)', '@Check(`"price_cents" BETWEEN 0 AND 10000000`)'
        ),
        [],
    ),
    "drop-check": (
        _replace(USER, "@Check(`\"email\" LIKE '%@%'`)\n", ""),
        [],
    ),
    "add-check": (
        _replace(
            USER,
            "export class User",
            '@Check("login_count_positive", `"login_count" >= 0`)\nexport class User',
        ),
        [],
    ),
    "change-named-check": (
        _both(
            _replace(
                USER,
                "@Check(`\"email\" LIKE '%@%'`)",
                '@Check("email_has_at", `"email" LIKE \'%@%\'`)',
            ),
        ),
        [],
    ),
    "add-entity": (
        _both(
            _write("src/posts/comment.entity.ts", COMMENT),
            _replace(
                "src/app.module.ts",
                'import { Tag } from "./posts/tag.entity";',
                'import { Tag } from "./posts/tag.entity";\n'
                'import { Comment } from "./posts/comment.entity";',
            ),
            _replace(
                "src/app.module.ts",
                "entities: [User, Profile, Post, Tag]",
                "entities: [User, Profile, Post, Tag, Comment]",
            ),
            _replace(
                "src/app.module.ts",
                "forFeature([User, Profile, Post, Tag])",
                "forFeature([User, Profile, Post, Tag, Comment])",
            ),
        ),
        [],
    ),
}

BOOK = "src/entity/Book.ts"
AUTHOR = "src/entity/Author.ts"
REVIEW = "src/entity/Review.ts"
SQLITE: dict[str, tuple[Edit, list[str]]] = {
    "none": (lambda root: None, []),
    "rebuild-checked-table": (
        _replace(BOOK, "  @CreateDateColumn()", NICKNAME + "  @CreateDateColumn()"),
        [],
    ),
    "add-column": (
        _replace(
            AUTHOR,
            "  @OneToMany(",
            NICKNAME + "  @OneToMany(",
        ),
        [],
    ),
    "drop-column": (
        _replace(
            REVIEW, '  @Column({ type: "text", nullable: true })\n  body: string | null;\n', ""
        ),
        [],
    ),
    "change-length": (_replace(AUTHOR, "@Column({ length: 120 })", "@Column({ length: 200 })"), []),
    "nullable": (
        _replace(AUTHOR, "@Column({ length: 120 })", "@Column({ length: 120, nullable: true })"),
        [],
    ),
    "add-index": (
        _replace(AUTHOR, "  @Column({ length: 120 })", "  @Index()\n  @Column({ length: 120 })"),
        [],
    ),
    "unique": (
        _replace(AUTHOR, "@Column({ length: 120 })", "@Column({ length: 120, unique: true })"),
        [],
    ),
    "rename-column": (
        _replace(AUTHOR, "  name: string;", "  fullName: string;"),
        ["author.name=fullName"],
    ),
    "change-check": (
        _replace(
            BOOK, '@Check(`"priceCents" >= 0`)', '@Check(`"priceCents" BETWEEN 0 AND 10000000`)'
        ),
        [],
    ),
    "drop-check": (_replace(BOOK, '@Check(`"priceCents" >= 0`)\n', ""), []),
    "rename-table": (_replace(AUTHOR, "@Entity()", '@Entity("writer")'), ["author=writer"]),
}


def _fix_sqlite_index_import(root: Path) -> None:
    f = root / AUTHOR
    text = f.read_text()
    if "@Index(" in text and "Index," not in text:
        f.write_text(text.replace("import { Column,", "import { Column, Index,", 1))


def _copy(sample: str, target: Path) -> Path:
    shutil.copytree(SAMPLES / sample, target, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return target


def _generate(project: Path, renames: list[str], safe: bool = False) -> tuple[int, list[Path], str]:
    """Our CLI on the project's DataSource file: (exit code, files written, stderr)."""
    before = {p for p in project.rglob("*.ts")}
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(
        str(project / "src" / "data-source.ts"),
        None,
        renames=renames,
        safe=safe,
        tool="typeorm",
        out=out,
        err=err,
    )
    written = sorted(p for p in project.rglob("*.ts") if p not in before)
    return code, written, err.getvalue()


def _run(dist: Path, mode: str, leave_out: str, url: str = "", sqlite_out: str = "") -> dict:
    node = _node()
    assert node is not None
    proc = subprocess.run(
        [
            node,
            "--preserve-symlinks",
            SCRIPT,
            dist / "data-source.js",
            "AppDataSource",
            mode,
            leave_out,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "SQLITE_OUT": sqlite_out,
            "NODE_PATH": os.pathsep.join([str(dist.parent / "node_modules"), str(NODE_MODULES)]),
        },
        cwd=dist.parent,
    )
    if proc.returncode != 0:
        raise AssertionError(f"TypeORM failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _catalog(url: str) -> Schema:
    schema = introspect(url)
    tables = [t for t in schema.tables if t.name not in BOOKKEEPING]
    return schema.model_copy(update={"tables": tables})


def _prove(
    name: str,
    sample: str,
    edit: Edit,
    renames: list[str],
    tmp: Path,
    scratch,
    safe: bool = False,
    steps: int = 1,
    setup: Edit | None = None,
    after_down: Callable[[str], None] | None = None,
) -> None:
    project = _copy(sample, tmp / "project")
    if setup is not None:
        setup(project)
    edit(project)
    if sample == "typeorm-sqlite":
        _fix_sqlite_index_import(project)
    code, written, err = _generate(project, renames, safe=safe)
    assert code == 0, err
    assert len(written) == steps, f"{name}: expected {steps} migration(s), got {written} ({err})"
    classes = []
    for generated in written:
        assert re.fullmatch(r"\d{13}-[A-Z]\w*\.ts", generated.name), generated.name
        stamp, class_name = generated.stem.split("-", 1)
        assert f"export class {class_name}{stamp} implements MigrationInterface" in (
            generated.read_text()
        )
        classes.append(f"{class_name}{stamp}")
    dist = compile_sample(project, tmp / "build")
    leave_out = ",".join(g.with_suffix(".js").name for g in written)
    texts = "\n".join(g.read_text() for g in written)
    with scratch() as url_all, scratch() as url_before:
        after = _run(dist, "all", leave_out, url=url_all(), sqlite_out=str(tmp / "all.sqlite"))
        _run(dist, "before", leave_out, url=url_before(), sqlite_out=str(tmp / "before.sqlite"))
        assert after["applied"][-steps:] == classes
        assert after["pending"] == [], (
            f"{name}: TypeORM would still change the database after our migration:\n"
            + "\n".join(after["pending"])
            + "\n--- migration:\n"
            + texts
        )
        left = _catalog(url_all() or f"sqlite:///{tmp / 'all.sqlite'}")
        right = _catalog(url_before() or f"sqlite:///{tmp / 'before.sqlite'}")
        if after_down is not None:  # the database the generated migration went up and down on
            after_down(url_all())
    differences = compare(left, right, exact=True, left_name="after down", right_name="before")
    assert not differences, f"{name}: down did not restore the catalog:\n" + format_differences(
        differences
    )


class _Scratch:
    """A fresh database per call: PostgreSQL from the server, SQLite as a file (url "")."""

    def __init__(self, server=None):
        self.server = server

    def __call__(self):
        server = self.server

        class _Ctx:
            def __enter__(self_inner):
                if server is None:
                    self_inner.cm = None
                    return lambda: ""
                self_inner.cm = server.scratch(prefix="typeorm_gen")
                url = self_inner.cm.__enter__()
                return lambda: url

            def __exit__(self_inner, *exc):
                if self_inner.cm is not None:
                    return self_inner.cm.__exit__(*exc)
                return False

        return _Ctx()


@pytest.mark.parametrize("name", sorted(NEST))
def test_nest_edit_is_proved_by_typeorm(name, postgres, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edit, renames = NEST[name]
    _prove(name, "typeorm-nest", edit, renames, tmp_path, _Scratch(postgres))


@pytest.mark.parametrize("name", sorted(SQLITE))
def test_sqlite_edit_is_proved_by_typeorm(name, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edit, renames = SQLITE[name]
    _prove(name, "typeorm-sqlite", edit, renames, tmp_path, _Scratch())


@pytest.mark.parametrize("sample", ["typeorm-nest", "typeorm-sqlite"])
def test_an_unchanged_entity_set_gives_no_migration(sample, tmp_path):
    """No migration when the migrations build what the entities declare. The SQLite sample's
    migrations name review's one-to-one unique key `UQ_...` (Table API `isUnique`) where its
    entity says `REL_...` (OneToOne): a real difference of the catalogs (TypeORM's schema
    builder does not compare one-column unique names), reported as drift and generated once
    (proved above as the edit "none"); after that, nothing."""
    project = _copy(sample, tmp_path / "project")
    code, first, err = _generate(project, [])
    assert code == 0, err
    if sample == "typeorm-sqlite":
        assert len(first) == 1 and "REL_fe5300b047c5df94e347790404" in first[0].read_text()
        code, written, err = _generate(project, [])
        assert code == 0, err
    else:
        written = first
    assert written == [], f"{sample}: an unchanged entity set gave {written}"
    assert "nothing to generate" in err


@pytest.mark.parametrize("name,steps", [("add-index", 1), ("add-relation", 2), ("unique", 1)])
def test_nest_safe_migrations_are_proved_by_typeorm(name, steps, postgres, tmp_path):
    """`--safe`: the index built CONCURRENTLY (a class with `transaction = false`), the foreign
    key added NOT VALID and validated in a migration of its own; TypeORM's runner runs them
    all, its schema builder has nothing left to do, and undoing them restores the catalog."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edit, renames = NEST[name]
    _prove(name, "typeorm-nest", edit, renames, tmp_path, _Scratch(postgres), True, steps)


def _on_mariadb(project: Path) -> None:
    """The SQLite sample's entities on MariaDB, from no migrations: its DataSource made a
    MariaDB one, its SQLite migrations removed, and the first migration generated by us (the
    whole entity set, proved as the edit "none")."""
    source = project / "src" / "data-source.ts"
    text = source.read_text()
    text = text.replace(
        'type: "better-sqlite3",', 'type: "mariadb",\n  url: process.env.DATABASE_URL,'
    )
    text = text.replace('  database: process.env.DATABASE_FILE ?? "catalogue.sqlite",\n', "")
    source.write_text(text)
    for old in (project / "src" / "migration").iterdir():
        old.unlink()


def _mariadb_initial(project: Path) -> None:
    _on_mariadb(project)
    code, written, err = _generate(project, [])
    assert code == 0 and len(written) == 1, err


MARIADB: dict[str, tuple[Edit, list[str]]] = {
    name: SQLITE[name]
    for name in ("add-column", "drop-column", "change-length", "nullable", "add-index", "unique")
}
MARIADB["rename-column"] = (SQLITE["rename-column"][0], ["author.name=fullName"])


@pytest.fixture(scope="module")
def mariadb():
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    if not (NODE_MODULES / "mysql2").is_dir():
        pytest.skip("mysql2 is not installed")
    yield server
    server.close()


def test_mariadb_first_migration_is_proved_by_typeorm(mariadb, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    _prove("none", "typeorm-sqlite", _on_mariadb, [], tmp_path, _Scratch(mariadb))


@pytest.mark.parametrize("name", sorted(MARIADB))
def test_mariadb_edit_is_proved_by_typeorm(name, mariadb, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edit, renames = MARIADB[name]
    scratch = _Scratch(mariadb)
    _prove(name, "typeorm-sqlite", edit, renames, tmp_path, scratch, setup=_mariadb_initial)


def _no_migrations(project: Path) -> None:
    shutil.rmtree(project / "src" / "migrations")


SEED = """import { MigrationInterface, QueryRunner } from "typeorm";

export class SeedRows1733800000000 implements MigrationInterface {
  name = "SeedRows1733800000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "user" ("email", "display_name", "login_count")
       VALUES ('a@x.io', '42', 1), ('b@x.io', '7', 0)`,
    );
    await queryRunner.query(
      `INSERT INTO "tag" ("name")
       VALUES ('0b6b7f0e-3c1a-4f7e-9a52-1d2c3b4a5f60'), ('5f0c9a7e-2b4d-4e8f-8a1b-6c7d8e9f0a1b')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "tag"`);
    await queryRunner.query(`DELETE FROM "user"`);
  }
}
"""

CASTS: dict[str, tuple[Edit, list[str]]] = {
    "text-to-integer": (
        _replace(
            USER,
            "@Column({ length: 80 })\n  displayName: string;",
            '@Column({ type: "int" })\n  displayName: number;',
        ),
        [],
    ),
    "integer-to-boolean": (
        _replace(
            USER,
            '@Column({ type: "int", default: 0 })\n  loginCount: number;',
            '@Column({ type: "boolean", default: false })\n  loginCount: boolean;',
        ),
        [],
    ),
    "varchar-to-uuid": (
        _replace(
            TAG, "@Column({ length: 50, unique: true })", '@Column({ type: "uuid", unique: true })'
        ),
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(CASTS))
def test_nest_type_change_keeps_the_rows(name, postgres, tmp_path):
    """A type PostgreSQL casts only explicitly (text -> integer, int -> boolean, varchar ->
    uuid) is changed in place, `ALTER COLUMN ... TYPE ... USING "col"::type`, on a database
    that holds rows (a seed migration before it): the migration applies, TypeORM's schema
    builder has nothing left to do, and its down restores the catalog."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edit, renames = CASTS[name]
    seed = _write("src/migrations/1733800000000-SeedRows.ts", SEED)
    _prove(name, "typeorm-nest", edit, renames, tmp_path, _Scratch(postgres), setup=seed)
    generated = [
        p for p in (tmp_path / "project" / "src" / "migrations").iterdir() if "Seed" not in p.name
    ]
    assert any(" USING " in p.read_text() for p in generated), "no USING was written"


def test_nest_first_migration_is_proved_by_typeorm(postgres, tmp_path):
    """The whole entity set as a first migration (no migrations folder yet)."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    _prove("none", "typeorm-nest", _no_migrations, [], tmp_path, _Scratch(postgres))


def test_nest_table_rename_is_a_rename(postgres, tmp_path):
    """A renamed entity table, given as a rename: `ALTER TABLE ... RENAME TO` and the primary,
    foreign and one-to-one unique keys renamed to the names TypeORM now derives from the new
    table name (no table dropped); TypeORM agrees and the down restores (`_prove`)."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    edit, renames = NEST["rename-table"]
    _prove("rename-table", "typeorm-nest", edit, renames, tmp_path, _Scratch(postgres))
    folder = tmp_path / "project" / "src" / "migrations"
    existing = {p.name for p in (SAMPLES / "typeorm-nest" / "src" / "migrations").iterdir()}
    (generated,) = [p for p in folder.iterdir() if p.name not in existing]
    text = generated.read_text()
    assert 'ALTER TABLE "profile" RENAME TO "user_profile"' in text
    assert "DROP TABLE" not in text and text.count("RENAME CONSTRAINT") == 6


def test_nest_table_rename_renames_its_enum_type(postgres, tmp_path):
    """A renamed entity whose enum type TypeORM names after its table (`user_role_enum`):
    the type is renamed with the table, `ALTER TYPE ... RENAME TO "account_role_enum"`, not
    dropped and created (which would lose every row's value). On a database holding rows (a
    seed migration before it) TypeORM's schema builder has nothing left to do, the down
    restores the catalog, and the rows and their enum values went up and down unharmed."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    seed = _write("src/migrations/1733800000000-SeedRows.ts", SEED)
    edit = _replace(USER, "@Entity()", '@Entity("account")')

    def rows(url: str) -> None:
        with databases.connect(url) as conn:
            found = conn.execute('SELECT email, role::text FROM "user" ORDER BY email').fetchall()
        assert [tuple(r) for r in found] == [("a@x.io", "reader"), ("b@x.io", "reader")]

    _prove(
        "rename-enum-table", "typeorm-nest", edit, ["user=account"], tmp_path,
        _Scratch(postgres), setup=seed, after_down=rows,
    )  # fmt: skip
    folder = tmp_path / "project" / "src" / "migrations"
    existing = {p.name for p in (SAMPLES / "typeorm-nest" / "src" / "migrations").iterdir()}
    (generated,) = [
        p for p in folder.iterdir() if p.name not in existing | {"1733800000000-SeedRows.ts"}
    ]
    text = generated.read_text()
    assert 'ALTER TYPE "user_role_enum" RENAME TO "account_role_enum"' in text
    assert 'ALTER TYPE "account_role_enum" RENAME TO "user_role_enum"' in text  # down
    assert "DROP TABLE" not in text and "DROP TYPE" not in text and "CREATE TYPE" not in text


EXCLUSION = (
    '@Exclusion(`USING gist (box(point("price_cents", 0), point("price_cents", 0)) WITH &&)`)'
)


def _migration_class(name: str, stamp: str, up: str, down: str) -> str:
    return (
        'import { MigrationInterface, QueryRunner } from "typeorm";\n\n'
        f"export class {name}{stamp} implements MigrationInterface {{\n"
        f'  name = "{name}{stamp}";\n\n'
        "  public async up(queryRunner: QueryRunner): Promise<void> {\n"
        f"    await queryRunner.query(`{up}`);\n  }}\n\n"
        "  public async down(queryRunner: QueryRunner): Promise<void> {\n"
        f"    await queryRunner.query(`{down}`);\n  }}\n}}\n"
    )


def test_nest_exclusion_is_known_and_no_difference(postgres, tmp_path):
    """`@Exclusion` (PostgreSQL's EXCLUDE): the migration that adds it is the statement TypeORM's
    own schema builder asks for (taken from its `log()`, so TypeORM's DDL is the oracle), and
    after it TypeORM has nothing left to do. Our side reads that migration with no problem (the
    replay knows the constraint by name), reports no drift, and generates nothing for it; a
    later migration that drops the constraint replays too."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    project = _copy("typeorm-nest", tmp_path / "project")
    _replace(POST, "  Check,\n", "  Check,\n  Exclusion,\n")(project)
    _replace(POST, "@Check(`", EXCLUSION + "\n@Check(`")(project)
    dist = compile_sample(project, tmp_path / "build0")
    with postgres.scratch(prefix="typeorm_xcl") as url:
        pending = _run(dist, "all", "", url=url)["pending"]
    (add,) = [q for q in pending if "EXCLUDE" in q]
    name = re.search(r'CONSTRAINT "(XCL_\w+)"', add).group(1)
    drop = f'ALTER TABLE "post" DROP CONSTRAINT "{name}"'
    migration = project / "src" / "migrations" / "1733800000000-AddExclusion.ts"
    migration.write_text(_migration_class("AddExclusion", "1733800000000", add, drop))
    dist = compile_sample(project, tmp_path / "build1")
    with postgres.scratch(prefix="typeorm_xcl") as url:
        assert _run(dist, "all", "", url=url)["pending"] == []
    counts = run_check(project)
    assert counts["DB051"] == 0 and counts["drift"] == 0, counts
    generated, written, message = _generate(project, [])
    assert generated == 0 and written == [] and "nothing to generate" in message
    later = project / "src" / "migrations" / "1733900000000-DropExclusion.ts"
    later.write_text(_migration_class("DropExclusion", "1733900000000", drop, add))
    assert run_check(project)["DB051"] == 0


def run_check(project: Path) -> dict[str, int]:
    """`schemasense check` on the project: how many DB051 (a constraint the replay does not know)
    and drift (DB3xx) findings it reports."""
    from schemasense.server.workspace.workspace import Workspace

    workspace = Workspace([str(project)])
    counts = {"DB051": 0, "drift": 0}
    for unit in workspace.units_at(str(project)):
        analysis = workspace.analyze(unit)
        for f in analysis.findings:
            if f.code == "DB051":
                counts["DB051"] += 1
            if f.code.startswith("DB3"):
                counts["drift"] += 1
    return counts
