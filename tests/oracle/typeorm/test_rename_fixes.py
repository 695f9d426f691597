"""The fixes of DB210 (rename column) and DB211 (rename table) on TypeORM migrations, judged by
TypeORM itself on a real PostgreSQL.

A copy of samples/typeorm-nest renames `Profile.bio` to `about` (a migration with
`queryRunner.query("ALTER TABLE ... RENAME COLUMN ...")`, and its inverse in `down`) and the
`Tag` entity's table to `label` (`queryRunner.renameTable`, and back in `down`); the entities
say the new names. `schemasense check` offers each rule's fix: the step leaves `up`, its inverse
leaves `down`, and the entity keeps the old name (`@Column({ name: "bio" })`,
`@Entity("tag")`). Then TypeORM runs every migration, its schema builder has nothing pending
(`log()` is empty: the database the migrations build is what the edited entities declare),
and undoing every migration leaves nothing behind (`down` no longer renames what `up` did not).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from schemasense.server.cli import main

from tests.oracle.typeorm.harness import compile_sample, run_sample, unavailable

pytestmark = pytest.mark.oracle
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "typeorm-nest"

RENAME_BIO = """import { MigrationInterface, QueryRunner } from "typeorm";

export class RenameBio1733800000000 implements MigrationInterface {
  name = "RenameBio1733800000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" ADD "nickname" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "profile" RENAME COLUMN "bio" TO "about"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "profile" RENAME COLUMN "about" TO "bio"`);
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "nickname"`);
  }
}
"""
RENAME_TAG = """import { MigrationInterface, QueryRunner } from "typeorm";

export class RenameTag1733900000000 implements MigrationInterface {
  name = "RenameTag1733900000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable("tag", "label");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable("label", "tag");
  }
}
"""
FIXES = {
    "DB210": 'Keep the column: { name: "bio" } on the field, no rename',
    "DB211": 'Keep the table: @Entity("tag") on the model, no rename',
}


def _check(project: Path) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(project), "--format", "json", "--no-cache"])
    return json.loads(out.getvalue())


def _apply(edits: list[dict]) -> None:
    by_file: dict[str, list[dict]] = {}
    for edit in edits:
        by_file.setdefault(edit["path"], []).append(edit)
    for path, found in by_file.items():
        file = Path(path) if Path(path).is_absolute() else Path.cwd() / path
        text = file.read_text()
        for edit in sorted(found, key=lambda e: (e["start"], e["end"]), reverse=True):
            text = text[: edit["start"]] + edit["newText"] + text[edit["end"] :]
        file.write_text(text)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    migrations = project / "src" / "migrations"
    (migrations / "1733800000000-RenameBio.ts").write_text(RENAME_BIO)
    (migrations / "1733900000000-RenameTag.ts").write_text(RENAME_TAG)
    user = project / "src" / "users" / "user.entity.ts"
    text = user.read_text()
    anchor = text.index("\n}", text.index("export class User"))
    nickname = (
        '\n\n  @Column({ type: "varchar", length: 40, nullable: true })\n  nickname: string | null;'
    )
    user.write_text(text[:anchor] + nickname + text[anchor:])
    profile = project / "src" / "users" / "profile.entity.ts"
    text = profile.read_text()
    profile.write_text(text.replace("  bio: string | null;", "  about: string | null;"))
    tag = project / "src" / "posts" / "tag.entity.ts"
    tag.write_text(tag.read_text().replace("@Entity()", '@Entity("label")'))
    return project


def test_the_rename_fixes_are_what_typeorm_builds(postgres, tmp_path: Path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    project = _project(tmp_path)
    before = {f["code"]: f for f in _check(project) if f["code"] in FIXES}
    assert sorted(before) == sorted(FIXES)
    for code, title in FIXES.items():
        finding = next(f for f in _check(project) if f["code"] == code)
        assert finding["fix"]["title"] == title
        _apply(finding["fix"]["edits"])  # paths relative to where check ran
        assert code not in {f["code"] for f in _check(project)}, "the finding stays"

    bio = (project / "src" / "migrations" / "1733800000000-RenameBio.ts").read_text()
    assert "RENAME" not in bio and bio.count('"nickname"') == 2  # only the rename went
    tag = (project / "src" / "migrations" / "1733900000000-RenameTag.ts").read_text()
    assert "renameTable" not in tag
    assert (
        '@Column({ name: "bio", type: "text", nullable: true })\n  about'
        in (project / "src" / "users" / "profile.entity.ts").read_text()
    )
    assert '@Entity("tag")' in (project / "src" / "posts" / "tag.entity.ts").read_text()

    dist = compile_sample(project, tmp_path / "build")
    with postgres.scratch() as url:
        result = run_sample(dist, url)
    assert "RenameBio1733800000000" in result["applied"]
    assert "RenameTag1733900000000" in result["applied"]
    assert result["pending"] == [], "TypeORM's schema builder would still change the database"
    assert result["left"] == [], "undoing the migrations left something behind"
