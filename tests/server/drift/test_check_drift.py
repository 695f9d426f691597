"""CHECK drift in TypeORM projects (PostgreSQL and SQLite): an entity's `@Check` against the
checks the migrations' SQL creates, paired as the migration diff pairs them
(`codegen.ddl.checks`), and only where the source declares checks (`checks_declared_on`).

Each case copies a sample, edits one `@Check` (or a migration), and reads the DB312 findings
the workspace reports: both sides marked (the decorator and the migration statement)."""

from __future__ import annotations

import shutil
from pathlib import Path

from schemasense.server.drift import DriftComparer
from schemasense.server.workflows.generate_migration import project_of
from schemasense.server.workspace.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
NEST_CHECK = '@Check(`"price_cents" >= 0`)'
NEST_NAME = "CHK_8f9c1c28a99638aaf4563177c6"
SQLITE_CHECK = '@Check(`"priceCents" >= 0`)'
SQLITE_NAME = "CHK_4edb93820175002da69dd6f40f"


def _project(tmp_path: Path, sample: str, file: str = "", old: str = "", new: str = "") -> Path:
    root = tmp_path / sample
    shutil.copytree(SAMPLES / sample, root, ignore=shutil.ignore_patterns("node_modules", "dist"))
    if file:
        path = root / file
        text = path.read_text()
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new))
    return root


def _findings(root: Path, code: str = "DB312") -> list:
    return [f for f in Workspace([str(root)]).check_path(str(root)) if f.code == code]


def _where(findings: list) -> list[tuple[str, str]]:
    return sorted((Path(f.span.file).name, f.message) for f in findings)


def _marks(root: Path, finding) -> str:
    return Path(finding.span.file).read_text()[finding.span.start : finding.span.end]


def test_equal_checks_are_no_drift(tmp_path: Path) -> None:
    for sample in ("typeorm-nest", "typeorm-sqlite"):
        assert _findings(_project(tmp_path, sample)) == []


def test_spelling_alone_is_no_drift_when_the_name_is_kept(tmp_path: Path) -> None:
    """The entity's `("price_cents" >= 0)` under the migration's name: normalised, one check."""
    root = _project(
        tmp_path, "typeorm-nest", "src/posts/post.entity.ts", NEST_CHECK,
        f'@Check("{NEST_NAME}", `("price_cents" >= 0)`)',
    )  # fmt: skip
    assert _findings(root) == []


def test_postgresql_changed_condition_under_one_name(tmp_path: Path) -> None:
    root = _project(
        tmp_path, "typeorm-nest", "src/posts/post.entity.ts", NEST_CHECK,
        f'@Check("{NEST_NAME}", `"price_cents" > 0`)',
    )  # fmt: skip
    found = _findings(root)
    assert [Path(f.span.file).name for f in sorted(found, key=lambda f: f.span.file)] == [
        "1733500000000-Init.ts",
        "post.entity.ts",
    ]
    entity = next(f for f in found if f.span.file.endswith("post.entity.ts"))
    migration = next(f for f in found if f.span.file.endswith("Init.ts"))
    assert _marks(root, entity).startswith("@Check(")
    marked = _marks(root, migration)  # the statement that created it
    assert marked.startswith('CREATE TABLE "post"')
    assert f'CONSTRAINT "{NEST_NAME}" CHECK ("price_cents" >= 0)' in marked
    assert entity.related == (migration.span,) and migration.related == (entity.span,)
    assert "price_cents > 0) in the model code" in entity.message
    assert "price_cents >= 0) in the migrations" in entity.message


def test_postgresql_added_and_dropped(tmp_path: Path) -> None:
    """A new condition gets a new `CHK_` name: the entity's is not created by any migration,
    the migration's is no longer declared."""
    root = _project(
        tmp_path, "typeorm-nest", "src/posts/post.entity.ts", NEST_CHECK,
        '@Check(`"price_cents" > 0`)',
    )  # fmt: skip
    found = _findings(root)
    messages = [m for _, m in _where(found)]
    assert any("is not created by any migration" in m for m in messages)
    assert any(f'create check "{NEST_NAME}"' in m for m in messages)
    on_migration = [f for f in found if f.span.file.endswith("Init.ts")]
    assert [f"{NEST_NAME}" in f.message for f in on_migration] == [True]
    assert f'CONSTRAINT "{NEST_NAME}" CHECK' in _marks(root, on_migration[0])


def test_postgresql_dropped_from_the_entity(tmp_path: Path) -> None:
    root = _project(tmp_path, "typeorm-nest", "src/posts/post.entity.ts", NEST_CHECK + "\n", "")
    found = _findings(root)
    assert sorted(Path(f.span.file).name for f in found) == [
        "1733500000000-Init.ts",
        "post.entity.ts",
    ]
    assert all(NEST_NAME in f.message for f in found)


def test_sqlite_added_and_dropped(tmp_path: Path) -> None:
    root = _project(
        tmp_path, "typeorm-sqlite", "src/entity/Book.ts", SQLITE_CHECK,
        '@Check(`"priceCents" > 0`)',
    )  # fmt: skip
    found = _findings(root)
    assert len(found) == 3, _where(found)
    entity = [f for f in found if f.span.file.endswith("Book.ts")]
    assert any("is not created by any migration" in f.message for f in entity)
    assert any(SQLITE_NAME in f.message for f in entity)
    migration = [f for f in found if not f.span.file.endswith("Book.ts")]
    assert [SQLITE_NAME in f.message for f in migration] == [True]


def test_sqlite_changed_condition_under_one_name(tmp_path: Path) -> None:
    root = _project(
        tmp_path, "typeorm-sqlite", "src/entity/Book.ts", SQLITE_CHECK,
        f'@Check("{SQLITE_NAME}", `"priceCents" > 0`)',
    )  # fmt: skip
    found = _findings(root)
    entity = [f for f in found if f.span.file.endswith("Book.ts")]
    assert len(entity) == 1 and "> 0" in entity[0].message
    assert _marks(root, entity[0]).startswith("@Check(")


def test_a_hand_written_check_is_no_drift_where_models_cannot_declare_checks(
    tmp_path: Path,
) -> None:
    """Sequelize (`checks_declared_on` is empty): a CHECK a migration adds by hand is read by
    the replay, and compared it would be drift, but the workspace reports none."""
    root = _project(tmp_path, "sequelize-js")
    migration = root / "migrations" / "20250302090000-create-posts-comments-tags.js"
    anchor = '    await queryInterface.addIndex("Posts", ["slug"], { unique: true });\n'
    sql = 'ALTER TABLE "Posts" ADD CONSTRAINT "posts_slug_check" CHECK (length("slug") > 0)'
    text = migration.read_text()
    assert text.count(anchor) == 1
    migration.write_text(
        text.replace(anchor, anchor + f"    await queryInterface.sequelize.query('{sql}');\n")
    )
    workspace = Workspace([str(root)])
    assert [f for f in workspace.check_path(str(root)) if f.code.startswith("DB3")] == []
    [unit] = workspace.units_at(str(root))
    project = project_of(workspace, unit)
    compared = DriftComparer().compare(project.declared, project.migrated, checks=True)
    assert [str(d) for d in compared] == [
        'table "Posts" check "posts_slug_check": only in the migrations'
    ]
