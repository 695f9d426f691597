"""`schemasense generate description:"…"`: the database layer of a feature, on fresh copies of
the samples (Prisma, TypeORM, Sequelize) with the product catalog description
(tests/fixtures/feature/catalog.sql): the files are written all or none, the project reads
them back with no drift, a dry run writes nothing, a conflict and an unreadable description are
errors with line and column, a project with two ORMs is a question. The reports are kept as
golden text (tests/server/workflows/golden/; `UPDATE_SNAPSHOTS=1` rewrites them)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from schemasense.codegen.emit.report.feature import markdown
from schemasense.server import cli
from schemasense.server.workflows.feature_report import build
from schemasense.server.workflows.generate_feature import (
    FeatureError,
    key_value_form,
    prepare,
    run_cli,
    write,
)
from schemasense.server.workspace.workspace import Workspace

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
CATALOG = REPO / "tests" / "fixtures" / "feature" / "catalog.sql"
GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
SAMPLE_NAMES = ("prisma-clean", "typeorm-nest", "sequelize-js")
NEW_TABLES = {"categories", "products", "product_images", "tags", "product_tags"}


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("node_modules"))
    return target


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _feature(root: Path, description: str | None = None, **kwargs):
    return prepare(
        str(root),
        description or f"@{CATALOG}",
        migration_name="add_product_catalog",
        now=NOW,
        **kwargs,
    )


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_catalog_is_written_and_the_project_reads_it_without_drift(tmp_path, name):
    root = _copy(tmp_path, name)
    feature = _feature(root)
    kinds = {f.kind for f in feature.files}
    assert {"model", "migration", "dto", "test"} <= kinds
    written = write(feature)
    assert all(os.path.exists(p) for p in written)
    workspace = Workspace([str(root)])
    units = [u for u in workspace.units_at(str(root)) if u.kind == feature.project.orm]
    read = workspace.analyze(units[0]).read
    assert {t.name for t in read.schema.tables} >= NEW_TABLES
    findings = workspace.check_path(str(root))
    drift = [f for f in findings if f.code.startswith("DB3")]
    assert drift == [], [f"{f.code} {f.message}" for f in drift]
    errors = [f for f in findings if f.severity == "error"]
    assert errors == [], [f"{f.code} {f.message} {f.span}" for f in errors]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_report_is_the_golden_text(tmp_path, name):
    root = _copy(tmp_path, name)
    report = markdown(build(_feature(root), written=True))
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not golden.exists():
        golden.write_text(report)
    assert report == golden.read_text()
    for section in (
        "# Database Layer: Product Catalog",
        "## Schema Design",
        "## Migration Scripts",
        "### Up",
        "### Down",
        "## Models/Entities",
        "## Validation",
        "## Testing",
        "## Migration Commands",
        "## Performance Considerations",
    ):
        assert section in report


def test_names_follow_the_project(tmp_path):
    """snake_case SQL into a Prisma project with camelCase fields: `@map`s; a model name the
    project has already is not reused."""
    root = _copy(tmp_path, "prisma-clean")
    feature = _feature(root)
    model = next(f for f in feature.files if f.kind == "model")
    assert "createdAt   DateTime" in model.text or "createdAt DateTime" in " ".join(
        model.text.split()
    )
    assert '@map("created_at")' in model.text
    assert '@@map("products")' in model.text
    root = _copy(tmp_path, "typeorm-nest")
    feature = _feature(root)
    assert any("model `Tags` (the project has a model `Tag` already)" in a
               for a in feature.adaptations)  # fmt: skip


def test_a_dry_run_writes_nothing_and_prints_the_files(tmp_path):
    root = _copy(tmp_path, "sequelize-js")
    before = _tree(root)
    out = io.StringIO()
    code = run_cli(f"@{CATALOG}", project=str(root), dry_run=True, out=out, now=NOW)
    assert code == 0
    assert _tree(root) == before
    text = out.getvalue()
    assert "--- models/product.js (create)" in text
    assert "_Dry run: nothing was written._" in text


def test_json_has_every_section(tmp_path):
    root = _copy(tmp_path, "typeorm-nest")
    out = io.StringIO()
    assert run_cli(f"@{CATALOG}", project=str(root), dry_run=True, fmt="json", out=out) == 0
    data = json.loads(out.getvalue())
    assert data["feature"] == "Product Catalog"
    assert {t["name"] for t in data["tables"]} == NEW_TABLES
    assert data["files"] and data["up"] and data["down"] and data["commands"]


def test_a_conflict_names_both_places_and_nothing_is_written(tmp_path):
    root = _copy(tmp_path, "prisma-clean")
    before = _tree(root)
    description = "CREATE TABLE users (\n  id uuid PRIMARY KEY,\n  email integer NOT NULL\n);\n"
    with pytest.raises(FeatureError) as caught:
        _feature(root, description)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith("3:3: conflict: users.email is integer NOT NULL here but text")
    assert "prisma/schema/user.prisma:4:3" in problems[0]
    assert _tree(root) == before


def test_an_added_column_the_project_has_is_a_conflict(tmp_path):
    root = _copy(tmp_path, "sequelize-js")
    description = '-- more\nALTER TABLE "Users" ADD COLUMN email integer;\n'
    with pytest.raises(FeatureError) as caught:
        _feature(root, description)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 1)
    assert "Users.email is declared by the project already (models/user.js:" in problem.message


def test_an_unreadable_description_is_its_problems_with_line_and_column(tmp_path):
    root = _copy(tmp_path, "typeorm-nest")
    before = _tree(root)
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE brands (\n  id serial PRIMARY KEY,\n  n int CHEK (n > 0)\n);\n")
    err = io.StringIO()
    code = run_cli(f"@{bad}", project=str(root), out=io.StringIO(), err=err)
    assert code == 2
    assert "3:9: Could not be parsed as postgresql: syntax error at or near" in err.getvalue()
    assert _tree(root) == before
    with pytest.raises(FeatureError) as caught:
        _feature(root, "model Brand {\n  id Int @id\n  name Strin\n}\n")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 8)
    with pytest.raises(FeatureError) as caught:
        _feature(root, "make me a shop")
    assert caught.value.problems[0].line == 1


def test_two_orms_are_a_question_answered_by_orm(tmp_path):
    root = _copy(tmp_path, "typeorm-nest")
    shutil.copytree(SAMPLES / "prisma-clean" / "prisma", root / "prisma")
    with pytest.raises(FeatureError) as caught:
        _feature(root)
    message = str(caught.value)
    assert "Prisma: prisma/schema" in message and "TypeORM: src/data-source.ts" in message
    assert "orm:prisma or orm:typeorm" in message
    feature = _feature(root, orm="typeorm")
    assert feature.project.orm == "typeorm"


def test_key_value_tokens_are_the_flag_form():
    assert key_value_form(
        ["generate", "description:@docs/catalog.sql", "orm:typeorm", "migration:add_x", "--dry-run"]
    ) == [
        "generate", "feature", "--description", "@docs/catalog.sql", "--orm", "typeorm",
        "--migration", "add_x", "--dry-run",
    ]  # fmt: skip
    assert key_value_form(["generate", "migration", "x"]) == ["generate", "migration", "x"]


def test_the_cli_writes_in_the_short_form(tmp_path, capsys):
    root = _copy(tmp_path, "prisma-clean")
    code = cli.main(
        ["generate", f"description:@{CATALOG}", "migration:add_catalog", "--project", str(root)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("# Database Layer: Catalog\n")
    assert (root / "prisma" / "schema" / "catalog.prisma").exists()
    assert list((root / "prisma" / "migrations").glob("*_add_catalog/migration.sql"))


@pytest.mark.parametrize("fixture", ["brands.prisma", "brand.entity.ts", "brand.js"])
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_description_language_into_every_orm(tmp_path, name, fixture):
    """A Prisma model, a TypeORM entity and a Sequelize model describe the same table; each
    is written into each sample, which reads it back with no drift."""
    root = _copy(tmp_path, name)
    feature = prepare(str(root), f"@{CATALOG.parent / fixture}", now=NOW)
    assert [q.sql for q in feature.described.text.queries] == [
        "SELECT * FROM brands WHERE name = $1"
    ]
    (table,) = feature.created
    assert (table.name, table.model_name) == ("brands", "Brand")
    assert {c.name for c in table.columns} >= {"id", "name", "website", "created_at"}
    write(feature)
    findings = Workspace([str(root)]).check_path(str(root))
    bad = [f for f in findings if f.code.startswith("DB3") or f.severity == "error"]
    assert bad == [], [f"{f.code} {f.message}" for f in bad]


def test_an_existing_prisma_model_gains_columns_and_an_index(tmp_path):
    """`ALTER TABLE` / `CREATE INDEX` on a table the project has: the fields go into its model
    block (aligned as `prisma format` aligns them), the migration alters the table after the
    project's own, and the report names the locks it takes on the table in use."""
    from schemasense.server.workflows import generate_migration

    root = _copy(tmp_path, "prisma-clean")
    init = generate_migration.run_cli(
        str(root / "prisma" / "schema"), "init", out=io.StringIO(), err=io.StringIO()
    )
    assert init == 0 and list((root / "prisma" / "migrations").glob("*_init"))
    description = (
        "-- Profiles: more about users.\n"
        "ALTER TABLE users ADD COLUMN bio text CHECK (length(bio) < 500);\n"
        "ALTER TABLE users ADD COLUMN karma integer NOT NULL DEFAULT 0;\n"
        "CREATE INDEX users_name_idx ON users (name);\n"
    )
    later = datetime(2099, 1, 1, tzinfo=UTC)
    feature = prepare(str(root), description, now=later)
    assert feature.created == ()
    write(feature)
    model = (root / "prisma" / "schema" / "user.prisma").read_text()
    assert "  bio       String?\n  karma     Int       @default(0)\n" in model
    assert model.rstrip().endswith('@@map("users")\n  @@index([name])\n}')
    (folder,) = (root / "prisma" / "migrations").glob("*_add_profiles")
    sql = (folder / "migration.sql").read_text()
    assert 'ADD CONSTRAINT "users_bio_check" CHECK ((length(bio) < 500));' in sql
    report = markdown(build(feature, written=True))
    assert '`users` exists: AddColumn takes an ACCESS EXCLUSIVE lock on "users"' in report
    assert '`users` exists: CreateIndex takes a SHARE lock on "users"' in report
    findings = Workspace([str(root)]).check_path(str(root))
    bad = [f for f in findings if f.code.startswith("DB3") or f.severity == "error"]
    assert bad == [], [f"{f.code} {f.message}" for f in bad]


def test_a_database_nothing_says_is_asked_for(tmp_path):
    root = _copy(tmp_path, "sequelize-js")
    (root / "config" / "config.json").write_text("{}\n")
    with pytest.raises(FeatureError, match=r'schemasense.toml: database = "postgresql"'):
        _feature(root)
    (root / "schemasense.toml").write_text('database = "postgresql"\n')
    assert _feature(root).project.dialect == "postgresql"


def test_prisma_models_into_a_prisma_project_keep_what_only_prisma_knows(tmp_path):
    """`@default(uuid())` and `@updatedAt` are the client's, not the database's: a Prisma
    description written into a Prisma project keeps them."""
    root = _copy(tmp_path, "prisma-clean")
    description = (
        "model Label {\n"
        "  id        String   @id @default(uuid()) @db.Uuid\n"
        "  name      String   @unique\n"
        '  updatedAt DateTime @updatedAt @map("updated_at") @db.Timestamptz(3)\n'
        '  @@map("labels")\n'
        "}\n"
    )
    feature = _feature(root, description)
    (model,) = [f for f in feature.files if f.kind == "model"]
    assert model.path == str(root / "prisma" / "schema" / "product-catalog.prisma")
    assert "@id @default(uuid()) @db.Uuid" in model.text
    assert "@updatedAt" in model.text


def test_an_existing_typeorm_entity_gains_members_and_its_check_is_migrated(tmp_path):
    root = _copy(tmp_path, "typeorm-nest")
    description = (
        "ALTER TABLE tag ADD COLUMN color varchar(7);\n"
        "ALTER TABLE tag ADD COLUMN weight integer NOT NULL DEFAULT 0 CHECK (weight >= 0);\n"
        "CREATE INDEX tag_weight_idx ON tag (weight);\n"
    )
    feature = _feature(root, description)
    write(feature)
    entity = (root / "src" / "posts" / "tag.entity.ts").read_text()
    imports = "import { Check, Column, Entity, Index, ManyToMany, PrimaryGeneratedColumn }"
    assert imports + ' from "typeorm";' in entity
    decorators = '@Index("tag_weight_idx", ["weight"])\n@Check("tag_weight_check", "(weight >= 0)")'
    assert decorators + "\n@Entity()" in entity
    assert entity.rstrip().endswith("weight!: number;\n}")
    (migration,) = [f for f in feature.files if f.kind == "migration"]
    # the entity declares the check, so the diff writes it (once), and drops it going down
    assert migration.text.count('ADD CONSTRAINT "tag_weight_check" CHECK ((weight >= 0))') == 1
    assert 'ALTER TABLE "tag" DROP CONSTRAINT "tag_weight_check"' in migration.text
    findings = Workspace([str(root)]).check_path(str(root))
    bad = [f for f in findings if f.code.startswith("DB3") or f.severity == "error"]
    assert bad == [], [f"{f.code} {f.message}" for f in bad]


def test_an_existing_sequelize_model_gains_attributes_and_an_index(tmp_path):
    root = _copy(tmp_path, "sequelize-js")
    description = (
        'ALTER TABLE "Tags" ADD COLUMN weight integer NOT NULL DEFAULT 0;\n'
        'ALTER TABLE "Tags" ADD COLUMN note text;\n'
        'CREATE INDEX tags_weight_idx ON "Tags" (weight);\n'
    )
    write(_feature(root, description))
    model = (root / "models" / "tag.js").read_text()
    assert "      weight: {\n        type: DataTypes.INTEGER,\n" in model
    assert "      note: DataTypes.TEXT,\n    },\n" in model
    assert '      indexes: [\n        { name: "tags_weight_idx", fields: ["weight"] },\n' in model
    findings = Workspace([str(root)]).check_path(str(root))
    bad = [f for f in findings if f.code.startswith("DB3") or f.severity == "error"]
    assert bad == [], [f"{f.code} {f.message}" for f in bad]


KEYS_ON_EXISTING = {
    "prisma-clean": (
        "ALTER TABLE tasks ADD COLUMN reviewer_id uuid REFERENCES users(id);\n"
        "ALTER TABLE tasks ADD CONSTRAINT tasks_title_key UNIQUE (title);\n",
        {"prisma/schema/task.prisma": ["title      String     @unique @db.VarChar(200)",
                                       "reviewer   User?      @relation(\"Task_reviewer\""],
         "prisma/schema/user.prisma": ['reviewerTasks Task[]    @relation("Task_reviewer")']},
    ),
    "typeorm-nest": (
        'ALTER TABLE tag ADD COLUMN owner_id uuid REFERENCES "user"(id);\n'
        "ALTER TABLE post ADD CONSTRAINT post_title_key UNIQUE (title);\n",
        {"src/posts/tag.entity.ts": ['import { User } from "../users/user.entity";',
                                     "@ManyToOne(() => User, (user) => user.tags)"],
         "src/users/user.entity.ts": ['import { Tag } from "../posts/tag.entity";',
                                      "tags!: Tag[];"],
         "src/posts/post.entity.ts": ['@Unique("post_title_key", ["title"])']},
    ),
    "sequelize-js": (
        'ALTER TABLE "Tags" ADD COLUMN "ownerId" integer REFERENCES "Users"(id);\n'
        'ALTER TABLE "Tags" ADD CONSTRAINT tags_color_key UNIQUE (color);\n',
        {"models/tag.js": ['references: { model: "Users", key: "id" }',
                           '{ name: "tags_color_key", unique: true, fields: ["color"] }']},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_foreign_key_and_a_unique_on_existing_tables_are_written_safely(tmp_path, name):
    """A foreign key and a unique constraint added to tables the project has: the models gain
    them (the relation's other side too), and the PostgreSQL migration takes the safe plan's
    steps (DB0xx): the key added `NOT VALID` and validated in a later migration, the unique
    built `CONCURRENTLY` in a migration of its own; the project reads back without drift."""
    from schemasense.server.workflows import generate_migration

    root = _copy(tmp_path, name)
    if name == "prisma-clean":
        assert generate_migration.run_cli(str(root / "prisma" / "schema"), "init",
                                          out=io.StringIO(), err=io.StringIO()) == 0  # fmt: skip
    description, expected = KEYS_ON_EXISTING[name]
    feature = prepare(str(root), description, now=datetime(2099, 1, 1, tzinfo=UTC))
    assert feature.created == ()
    write(feature)
    for path, needles in expected.items():
        text = (root / path).read_text()
        for needle in needles:
            assert needle in text, (path, needle)
    migrations = "\n".join(f.text for f in feature.files if f.kind == "migration")
    assert re.search(r"FOREIGN KEY \(.?.?owner_?[iI]d.?.?\)|reviewer_id", migrations)
    assert "NOT VALID" in migrations and "VALIDATE CONSTRAINT" in migrations
    assert "CONCURRENTLY" in migrations or "concurrently: true" in migrations
    # each step its own migration, and the last one undoes them all
    assert len([f for f in feature.files if f.kind == "migration"]) >= 3
    findings = Workspace([str(root)]).check_path(str(root))
    bad = [f for f in findings if f.code.startswith("DB3") or f.severity == "error"]
    assert bad == [], [f"{f.code} {f.message}" for f in bad]


def test_the_report_says_how_the_keys_are_added_and_how_to_run_the_steps(tmp_path):
    """The report of a foreign key and a unique added to existing TypeORM tables: the
    relationship and the unique with how each is added, the up script as its four files, the
    locks of the safe steps, and the commands TypeORM needs for them (`--transaction each`,
    which a `transaction = false` class needs; a revert per step)."""
    root = _copy(tmp_path, "typeorm-nest")
    feature = prepare(str(root), KEYS_ON_EXISTING["typeorm-nest"][0], now=NOW)
    report = markdown(build(feature, written=False))
    assert "- tag.owner_id -> user.id: many-to-one, on delete NoAction; added NOT VALID" in report
    assert (
        "| post | `post_title_key` | `UNIQUE (title)` | enforces one row per title (on a "
        "table that exists: built CONCURRENTLY, then attached) |" in report
    )
    assert re.search(r"-- 4\. src/migrations/\d+-AddFeatureValidateForeignKeys\.ts", report)
    assert 'CREATE UNIQUE INDEX CONCURRENTLY "post_title_key"' in report
    assert "migration:run -d src/data-source.ts --transaction each`" in report
    assert "for step in $(seq 4); do npx typeorm-ts-node-commonjs migration:revert" in report
    assert '`post` exists: CreateIndex takes a SHARE UPDATE EXCLUSIVE lock on "post"' in report
    assert "`tag` exists: ValidateConstraint takes a SHARE UPDATE EXCLUSIVE lock" in report


SEQUELIZE_CHECKS = (
    'ALTER TABLE "Tags" ADD COLUMN weight integer NOT NULL DEFAULT 0 CHECK (weight >= 0);\n'
    "ALTER TABLE \"Tags\" ADD CONSTRAINT tags_color_check CHECK (color ~ '^#[0-9a-f]{6}$');\n"
)


def test_an_existing_sequelize_model_gains_checks_in_its_migration(tmp_path):
    """A CHECK on a table a Sequelize project has: the model cannot declare it, so the
    migration adds it (inside the migration's transaction: a refused row undoes it all) and
    drops it going down, and the model says so in a comment."""
    root = _copy(tmp_path, "sequelize-js")
    feature = _feature(root, SEQUELIZE_CHECKS)
    write(feature)
    model = (root / "models" / "tag.js").read_text()
    assert "      // tags_color_check CHECK (" in model and "      // Tags_weight_check" in model
    (migration,) = [f for f in feature.files if f.kind == "migration"]
    up, down = migration.text.split("async down(")
    assert (
        '      await queryInterface.sequelize.query(\n        `ALTER TABLE "Tags" ADD '
        'CONSTRAINT "tags_color_check" CHECK (' in up
    )
    assert up.count("{ transaction },") == 3  # the column and both checks, in one transaction
    assert 'DROP CONSTRAINT IF EXISTS "Tags_weight_check"' in down
    assert any("cannot declare CHECK" in n for n in feature.notes)
    findings = Workspace([str(root)]).check_path(str(root))
    bad = [f for f in findings if f.code.startswith("DB3") or f.severity == "error"]
    assert bad == [], [f"{f.code} {f.message}" for f in bad]


def test_a_folder_that_links_out_of_the_project_is_refused_and_nothing_is_written(tmp_path):
    """A folder the feature writes into that is a symbolic link out of the project (robustness
    issue, item 6): refused before any file is written, in the project or out of it."""
    root = _copy(tmp_path, "prisma-clean")
    feature = _feature(root)
    created = next(f for f in feature.files if f.action == "create" and f.kind == "dto")
    folder = Path(created.path).parent
    while not folder.exists():
        folder = folder.parent
    assert folder != root and root in folder.parents
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    before, outside = _tree(root), _tree(elsewhere)
    with pytest.raises(FeatureError, match="outside the project"):
        write(feature)
    assert _tree(root) == before and _tree(elsewhere) == outside
