"""The product catalog feature, proved by the real tools on fresh copies of the samples:
- TypeORM: `tsc` compiles the project with the new entities, DTOs and tests' sources; TypeORM
  runs every migration (the project's and ours) on a real PostgreSQL, its schema builder then
  has nothing left to do (`createSchemaBuilder().log()` is empty: the ORM agrees with the
  migration), and undoing every migration leaves nothing behind;
- Sequelize: sequelize-cli runs the project's migrations, then ours; the catalog it builds is
  what Sequelize's own `sync()` builds from the models (but the CHECKs and the full-text index
  on an expression, which a Sequelize model cannot declare and our migration adds), and
  `db:migrate:undo` gives the catalog back;
- Prisma: Prisma's own validator accepts the schema with the new models; `migration.sql` applies
  to a real PostgreSQL, builds the CHECKs (a negative price is refused), PostgreSQL's planner
  uses the designed index for each of the description's queries, and `down.sql` leaves an
  empty database.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from schemasense.server.verify.apply import apply
from schemasense.server.verify.compare import format_differences
from schemasense.server.verify.databases import connect, introspect
from schemasense.server.workflows.generate_feature import prepare, write

from tests.oracle.prisma import oracle_available, run_oracle, strip_for_prisma7
from tests.oracle.test_sequelize_generate import CLI, _catalog, _cli, _differences, _node, _sync
from tests.oracle.typeorm.harness import compile_sample, run_sample, unavailable

pytestmark = pytest.mark.oracle

REPO = Path(__file__).resolve().parents[3]
CATALOG = REPO / "tests" / "fixtures" / "feature" / "catalog.sql"
NOW = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
NEW_TABLES = {"categories", "products", "product_images", "tags", "product_tags"}


def _written(tmp_path: Path, name: str) -> tuple[Path, object]:
    root = tmp_path / name
    shutil.copytree(REPO / "samples" / name, root, ignore=shutil.ignore_patterns("node_modules"))
    feature = prepare(str(root), f"@{CATALOG}", migration_name="add_product_catalog", now=NOW)
    write(feature)
    return root, feature


def test_typeorm_runs_the_migration_and_has_nothing_left_to_do(postgres, tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    root, _ = _written(tmp_path, "typeorm-nest")
    dist = compile_sample(root, tmp_path / "build")  # tsc, strict: raises on any error
    assert (dist / "product-catalog" / "product.entity.js").exists()
    assert (dist / "dto" / "product.dto.js").exists()
    migrations = sorted((root / "src" / "migrations").glob("*.ts"))
    with postgres.scratch() as url:
        result = run_sample(dist, url)
    assert len(result["applied"]) == len(migrations) == 4
    assert result["applied"][-1].startswith("AddProductCatalog")
    assert result["pending"] == [], "TypeORM would still change the database"
    assert result["left"] == [], "the down migrations left objects behind"


def test_sequelize_cli_runs_it_sync_agrees_and_undo_restores(postgres, tmp_path):
    if _node() is None or not CLI.exists():
        pytest.skip("node or sequelize-cli is missing (npm install at the repo root)")
    root = tmp_path / "sequelize-js"
    shutil.copytree(REPO / "samples" / "sequelize-js", root,
                    ignore=shutil.ignore_patterns("node_modules"))  # fmt: skip
    with (
        postgres.scratch(prefix="feature") as migrated,
        postgres.scratch(prefix="feature") as synced,
    ):
        _cli(root, migrated, "db:migrate")
        before = _catalog(migrated)
        feature = prepare(str(root), f"@{CATALOG}", migration_name="add_product_catalog", now=NOW)
        write(feature)
        _cli(root, migrated, "db:migrate")
        after = _catalog(migrated)
        assert {t.name for t in after.tables} >= NEW_TABLES
        assert len(after.table("products").checks) == 3
        _sync(root, synced)
        truth = _catalog(synced)
        differences = [
            d for d in _differences(after, truth, "migrated", "sync", "postgresql")
            # a model cannot declare CHECKs or an index on an expression: the migration adds them
            if ' check "' not in d.where and "products_name_description_idx" not in d.where
        ]  # fmt: skip
        assert differences == [], format_differences(differences)
        _cli(root, migrated, "db:migrate:undo")
        back = _differences(_catalog(migrated), before, "undone", "before", "postgresql")
        assert back == [], format_differences(back)


def test_prisma_validates_and_the_migration_applies_and_goes_down(postgres, tmp_path):
    reason = oracle_available()
    if reason:
        pytest.skip(reason)
    root, _ = _written(tmp_path, "prisma-clean")
    schema_files = sorted((root / "prisma" / "schema").glob("*.prisma"))
    files = {str(p): strip_for_prisma7(p.read_text()) for p in schema_files}  # Prisma 7 wasm
    (result,) = run_oracle([files], ops=("lint", "validate"))
    assert result.ok and result.validate_error is None, result.validate_error or result.errors
    (folder,) = (root / "prisma" / "migrations").glob("*_add_product_catalog")
    with postgres.scratch(prefix="feature") as url:
        apply(url, (folder / "migration.sql").read_text())
        schema = introspect(url)
        assert {t.name for t in schema.tables} >= NEW_TABLES
        assert len(schema.table("products").checks) == 3
        conn = connect(url)
        try:
            conn.execute("INSERT INTO categories (name, slug) VALUES ('Shoes', 'shoes')")
            with pytest.raises(Exception, match="products_price_check"):
                conn.execute(
                    "INSERT INTO products (category_id, name, slug, price) "
                    "SELECT id, 'Boot', 'boot', -1 FROM categories"
                )
            with pytest.raises(Exception, match="slug_check"):
                conn.execute("INSERT INTO categories (name, slug) VALUES ('Bad', 'Not A Slug')")
            # the designed indexes serve the description's queries, on a catalog with rows
            conn.execute(
                "INSERT INTO categories (name, slug) SELECT 'c' || i, 'c-' || i "
                "FROM generate_series(1, 50) i"
            )
            conn.execute(
                "INSERT INTO products (category_id, name, slug, description, price, stock, "
                "deleted_at) SELECT c.id, 'product ' || i, 'p-' || i, 'about ' || i, "
                "i % 1000, CASE WHEN i % 10 = 0 THEN 5 ELSE 0 END, "
                "CASE WHEN i % 20 = 0 THEN now() END FROM generate_series(1, 20000) i "
                "JOIN categories c ON c.slug = 'c-' || (1 + i % 50)"
            )
            conn.execute("ANALYZE products")
            for query, index in (
                (
                    "SELECT * FROM products WHERE to_tsvector('english', name || ' ' || "
                    "coalesce(description, '')) @@ plainto_tsquery('english', 'boot')",
                    "products_name_description_idx",
                ),
                (
                    "SELECT * FROM products WHERE category_id = (SELECT id FROM categories WHERE "
                    "slug = 'c-7') AND price BETWEEN 1 AND 9 "
                    "AND deleted_at IS NULL ORDER BY created_at DESC",
                    "products_category_id_price_idx",
                ),
                (
                    "SELECT * FROM products WHERE stock > 0 AND deleted_at IS NULL",
                    "products_stock_idx",
                ),
            ):
                plan = "\n".join(row[0] for row in conn.execute("EXPLAIN " + query).fetchall())
                assert index in plan, plan
        finally:
            conn.close()
        apply(url, (folder / "down.sql").read_text())
        assert [t.name for t in introspect(url).tables] == []


def test_typeorm_an_existing_entity_gains_columns_and_typeorm_agrees(postgres, tmp_path):
    """`ALTER TABLE tag ADD COLUMN ...` with a CHECK and an index: the members go into the
    `Tag` class, the migration alters the table after the project's own, and TypeORM's schema
    builder has nothing left to do; undoing every migration leaves nothing."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path / "typeorm-nest"
    shutil.copytree(REPO / "samples" / "typeorm-nest", root,
                    ignore=shutil.ignore_patterns("node_modules"))  # fmt: skip
    write(prepare(str(root), TAG_COLOURS, now=NOW))
    dist = compile_sample(root, tmp_path / "build")
    with postgres.scratch() as url:
        result = run_sample(dist, url)
    assert len(result["applied"]) == 4
    assert result["pending"] == [], "TypeORM would still change the database"
    assert result["left"] == []


TAG_COLOURS = """-- Tag colours: a colour and a weight for each tag.
ALTER TABLE tag ADD COLUMN color varchar(7);
ALTER TABLE tag ADD COLUMN weight integer NOT NULL DEFAULT 0 CHECK (weight >= 0);
CREATE INDEX tag_weight_idx ON tag (weight);
"""


def test_sequelize_an_existing_model_gains_attributes_sync_agrees(postgres, tmp_path):
    if _node() is None or not CLI.exists():
        pytest.skip("node or sequelize-cli is missing (npm install at the repo root)")
    root = tmp_path / "sequelize-js"
    shutil.copytree(REPO / "samples" / "sequelize-js", root,
                    ignore=shutil.ignore_patterns("node_modules"))  # fmt: skip
    description = (
        'ALTER TABLE "Tags" ADD COLUMN weight integer NOT NULL DEFAULT 0;\n'
        'ALTER TABLE "Tags" ADD COLUMN note text;\n'
        'CREATE INDEX tags_weight_idx ON "Tags" (weight);\n'
    )
    with (
        postgres.scratch(prefix="feature") as migrated,
        postgres.scratch(prefix="feature") as synced,
    ):
        _cli(root, migrated, "db:migrate")
        before = _catalog(migrated)
        write(prepare(str(root), description, migration_name="tag_weight", now=NOW))
        _cli(root, migrated, "db:migrate")
        after = _catalog(migrated)
        assert after.table("Tags").column("weight") is not None
        _sync(root, synced)
        differences = _differences(after, _catalog(synced), "migrated", "sync", "postgresql")
        assert differences == [], format_differences(differences)
        _cli(root, migrated, "db:migrate:undo")
        back = _differences(_catalog(migrated), before, "undone", "before", "postgresql")
        assert back == [], format_differences(back)


def test_the_generated_tests_pass_on_postgres_typeorm(postgres, tmp_path):
    """The tests the feature writes (for the new entities, with the project's test set-up)
    pass under Vitest on a real PostgreSQL, the project's migrations and ours applied by
    TypeORM's runner; the catalog's checks, cascades and soft delete among them."""
    from tests.oracle.generated_tests.harness import (
        TYPEORM_NEEDS,
        failed,
        prepare_typeorm,
        run_vitest,
    )
    from tests.oracle.generated_tests.harness import unavailable as tests_unavailable

    reason = tests_unavailable(TYPEORM_NEEDS)
    if reason:
        pytest.skip(reason)
    dest = prepare_typeorm(REPO / "samples" / "typeorm-nest", tmp_path / "typeorm-nest")
    write(prepare(str(dest), f"@{CATALOG}", migration_name="add_product_catalog", now=NOW))
    with postgres.scratch("feature_tests") as url:
        results = run_vitest(dest, url)
    # Every test passes: the index-plan tests read the plan with the table's other plain
    # indexes set aside (two partial indexes share `deleted_at IS NULL`, and on a table of one
    # row PostgreSQL's planner could read the other one for the lookup by `stock`).
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    for case in (
        "check products_price_check refuses price = -1",
        "check categories_slug_check",
        "deleting the Product deletes the row too (Cascade)",
        "deleting the Category sets parentId to NULL (SetNull)",
    ):
        assert case in names, f"no generated test for {case}"
    assert sum(v == "passed" for v in results.values()) >= 25


def test_the_generated_tests_pass_on_postgres_prisma(postgres, tmp_path):
    """The same for Prisma: the feature written into a runnable copy of prisma-clean (Prisma
    7's client generated offline), its tests pass under Vitest, the set-up applying every
    `migration.sql` (ours, with the CHECKs and the indexes kept by hand) to PostgreSQL."""
    from tests.oracle.generated_tests.harness import failed, prepare_prisma, run_vitest
    from tests.oracle.generated_tests.harness import unavailable as tests_unavailable

    reason = tests_unavailable()
    if reason:
        pytest.skip(reason)

    def feature(dest: Path) -> None:
        write(prepare(str(dest), f"@{CATALOG}", migration_name="add_product_catalog", now=NOW))

    dest = prepare_prisma(REPO / "samples" / "prisma-clean", tmp_path / "prisma-clean", feature)
    with postgres.scratch("feature_tests") as url:
        results = run_vitest(dest, url)
    assert failed(results) == set(), {k: results[k] for k in failed(results)}
    names = "\n".join(results)
    assert "check products_price_check refuses price = -1" in names
    assert "deleting the Product deletes the row too (Cascade)" in names
    assert sum(v == "passed" for v in results.values()) >= 30
