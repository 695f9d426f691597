"""The TypeORM editor's other fixes (types, primary key, last-modified time, kept names),
judged by TypeORM itself on a real PostgreSQL.

A copy of samples/typeorm-nest gets what the design rules flag: money in a `float` column
(DB104), a `json` column (DB109), a `timestamp` without time zone (DB105), a `lastModified`
that is a plain `@Column` (DB111), an entity with only a unique key (DB103, an error: TypeORM
itself refuses the entity at start-up with `MissingPrimaryColumnError`); `Tag.id`, a 32-bit
serial key referenced by the `@JoinTable` of `Post.tags`, is in the sample already (DB108).
`schemasense check` offers a fix for each; they are applied one at a time, each finding is gone
after its fix, and the entity files still compile with `tsc`. Then TypeORM's own `synchronize`
builds the edited entities on a scratch PostgreSQL: the database is what each fix says
(numeric(19,4), jsonb, timestamptz, TypeORM's `DEFAULT now()` for `@UpdateDateColumn`, a primary
key on `setting (key)`, bigint `tag.id` and the join table's `tag_id` with it), TypeORM's
schema builder has nothing left to change, and our read of the edited files equals the
introspected database, object for object. The kept names (`@Entity("old")`,
`@Column({ name: "old" })`, a `@JoinColumn({ name: "old" })` added below a `@ManyToOne`) are
proved the same way.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from schemasense.server.cli import main
from schemasense.server.sources.typeorm.editor import TypeOrmEditor
from schemasense.server.verify import databases
from schemasense.server.verify.compare import compare, format_differences

from tests.oracle.typeorm.entities import our_read, project_texts, typeorm_ddl
from tests.oracle.typeorm.harness import compile_sample, unavailable
from tests.oracle.typeorm.test_entities import _synchronize

pytestmark = pytest.mark.oracle
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "typeorm-nest"

POST_COLUMNS = """  @Column("float", { nullable: true })
  totalPrice: number | null;

  @Column({ type: "json", nullable: true })
  payload: object | null;

  @Column({ type: "timestamp", nullable: true })
  startsAt: Date | null;

  @Column({ type: "timestamptz" })
  lastModified: Date;

"""
SETTING = """import { Column, Entity } from "typeorm";

@Entity()
export class Setting {
  @Column({ length: 100, unique: true })
  key: string;

  @Column({ type: "text" })
  value: string;
}
"""
FIXES = {
    "DB104": "Store it as decimal",
    "DB109": "Store it as jsonb",
    "DB105": "Store it as timestamptz",
    "DB111": "Add @UpdateDateColumn",
    "DB103": "Make the unique key the primary key",
    "DB108": "Make the key bigint (and its references)",
}


def _copy(tmp_path: Path) -> Path:
    project = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return project


def _check(project: Path) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(project), "--format", "json"])
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


def _built(project: Path, tmp_path: Path, postgres) -> tuple[dict, databases.Schema]:  # type: ignore[name-defined]
    dist = compile_sample(project, tmp_path / "build")
    with postgres.scratch() as url:
        result = _synchronize(dist, tmp_path / "build", {"DATABASE_URL": url})
        truth = databases.introspect(url)
    truth = truth.model_copy(
        update={"tables": [t for t in truth.tables if t.name != "typeorm_metadata"]}
    )
    return result, truth


def test_each_fix_is_what_typeorm_builds(postgres, tmp_path: Path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    project = _copy(tmp_path)
    post = project / "src" / "posts" / "post.entity.ts"
    post.write_text(
        post.read_text().replace(
            "  @ManyToOne(() => User", POST_COLUMNS + "  @ManyToOne(() => User", 1
        )
    )
    (project / "src" / "posts" / "setting.entity.ts").write_text(SETTING)

    # TypeORM refuses the entity with no primary column when the DataSource starts, so DB103
    # is an error there (and its fix still offered)
    dist = compile_sample(project, tmp_path / "before")
    with pytest.raises(AssertionError, match="MissingPrimaryColumnError"):
        typeorm_ddl(dist / "data-source.js", "AppDataSource", tmp_path / "before")
    (missing,) = [f for f in _check(project) if f["code"] == "DB103"]
    assert missing["severity"] == "error" and "fix" in missing

    applied = []
    for _ in range(len(FIXES) + 2):  # one fix at a time, the findings read again after each
        found = [f for f in _check(project) if f["code"] in FIXES and f["code"] not in applied]
        if not found:
            break
        finding = found[0]
        assert "fix" in finding, finding
        assert finding["fix"]["title"] == FIXES[finding["code"]]
        _apply(finding["fix"]["edits"])
        applied.append(finding["code"])
        after = [(f["code"], f["message"]) for f in _check(project)]
        assert (finding["code"], finding["message"]) not in after, "the finding stays"
    assert sorted(applied) == sorted(FIXES)

    text = post.read_text()
    assert '@Column("decimal", { precision: 19, scale: 4, nullable: true })' in text
    assert '@Column({ type: "jsonb", nullable: true })' in text
    assert '@Column({ type: "timestamptz", nullable: true })\n  startsAt' in text
    assert '@UpdateDateColumn({ type: "timestamptz" })\n  lastModified' in text
    assert "  UpdateDateColumn,\n" in text  # joined the import
    setting = (project / "src" / "posts" / "setting.entity.ts").read_text()
    assert "@PrimaryColumn({ length: 100 })\n  key: string;" in setting
    assert setting.startswith('import { Column, Entity, PrimaryColumn } from "typeorm";')
    tag = (project / "src" / "posts" / "tag.entity.ts").read_text()
    assert '@PrimaryGeneratedColumn({ type: "bigint" })' in tag

    result, truth = _built(project, tmp_path, postgres)
    assert result["pending"] == [], "TypeORM's schema builder would still change the database"
    post_table, tag_table = truth.table("post"), truth.table("tag")
    setting_table, join = truth.table("setting"), truth.table("post_tags_tag")
    assert post_table and tag_table and setting_table and join
    natives = {c.name: c.type.native for c in post_table.columns}
    assert natives["total_price"] == "numeric(19,4)"
    assert natives["payload"] == "jsonb"
    assert natives["starts_at"] == natives["last_modified"] == "timestamp with time zone"
    modified = post_table.column("last_modified")
    assert modified is not None and not modified.nullable and modified.default is not None
    assert setting_table.primary_key is not None
    assert [c.column for c in setting_table.primary_key.columns] == ["key"]
    assert tag_table.column("id").type.native == "bigint"  # type: ignore[union-attr]
    assert join.column("tag_id").type.native == "bigint"  # type: ignore[union-attr]

    read = our_read(project)
    assert [f for f in read.findings if f.severity == "error"] == []
    differences = compare(read.schema, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)


def test_kept_names_are_the_old_names_in_typeorm(postgres, tmp_path: Path):
    """`keep_table_name` / `keep_column_name` (the fixes of DB211 / DB210, which drop a rename
    from a migration): the entity keeps its class and property, TypeORM keeps the old names."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    project = _copy(tmp_path)
    texts = project_texts(project)
    read = our_read(project)
    editor = TypeOrmEditor(texts, read.schema.tables)
    tag, profile = read.schema.table("tag"), read.schema.table("profile")
    post = read.schema.table("post")
    assert tag is not None and profile is not None and post is not None
    edits = []
    for change in (
        editor.keep_table_name(tag, "label"),
        editor.keep_column_name(tag, tag.column("name"), "title"),  # type: ignore[arg-type]
        editor.keep_column_name(profile, profile.column("bio"), "about"),  # type: ignore[arg-type]
        editor.keep_table_name(profile, "user_profile"),
        editor.keep_column_name(post, post.column("parent_id"), "reply_to"),  # type: ignore[arg-type]
    ):
        assert change is not None
        edits += [
            {"path": e.span.file, "start": e.span.start, "end": e.span.end, "newText": e.new_text}
            for e in change.edits
        ]
    _apply(edits)
    tag_text = (project / "src" / "posts" / "tag.entity.ts").read_text()
    assert '@Entity("label")' in tag_text
    assert '@Column({ name: "title", length: 50, unique: true })' in tag_text

    result, truth = _built(project, tmp_path, postgres)
    assert result["pending"] == []
    names = {t.name: [c.name for c in t.columns] for t in truth.tables}
    assert "label" in names and "tag" not in names and "title" in names["label"]
    assert "user_profile" in names and "about" in names["user_profile"]
    assert "post_tags_label" in names  # the join table follows the entity's table name
    assert "reply_to" in names["post"] and "parent_id" not in names["post"]  # @JoinColumn
    reread = our_read(project)
    differences = compare(reread.schema, truth, left_name="schemasense", right_name="TypeORM")
    assert differences == [], format_differences(differences)
