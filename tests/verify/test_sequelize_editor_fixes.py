"""The Sequelize editor's other fixes (`server/sources/sequelize/editor.py`: types, primary key,
last-modified time, redundant index, kept names) write what Sequelize itself builds.

A copy of samples/sequelize-js gets what the design rules flag: money in a `FLOAT` (DB104), a
`JSON` column (DB109), an index the `[status, publishedAt]` index covers (DB102), a
`lastModified` on a model without timestamps (DB111), a model whose only key is `unique`
(DB103, `removeAttribute("id")`); the 32-bit implicit `id` keys are in the sample already
(DB108). `schemasense check` offers a fix for each; they are applied one at a time, and each
finding is gone after its fix. Then Sequelize 6's `sync()` builds the edited models into a
scratch PostgreSQL: the database is what each fix says (numeric(19,4), jsonb, no `posts_status`,
bigint keys and the explicit attributes that reference them, a primary key on `Settings (key)`),
Sequelize sets `lastModified` on update (an update through Sequelize itself moves it), and our
read of the edited files equals the introspected database, object for object. The kept names
(`tableName`, `field`) are proved the same way.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.codegen.schema import ColumnType
from schemasense.server.cli import main
from schemasense.server.sources.sequelize.editor import SequelizeEditor
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.oracle.prisma import REPO_ROOT, _node
from tests.verify.test_sequelize_sync import SAMPLE, _model_files, _sync

pytestmark = pytest.mark.oracle

FIXES = {
    "DB104": "Store it as DECIMAL(19, 4)",
    "DB109": "Store it as jsonb",
    "DB102": "Remove the redundant index",
    "DB111": 'Add updatedAt: "lastModified"',
    "DB103": "Make the unique key the primary key",
    "DB108": "Make the key BIGINT (and its references)",
}
SETTING = """"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Setting extends Model {}
  Setting.init(
    {
      key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
      value: DataTypes.TEXT,
    },
    { sequelize, modelName: "Setting", timestamps: false },
  );
  Setting.removeAttribute("id");
  return Setting;
};
"""
TOUCH = """
const { Sequelize, DataTypes } = require("sequelize");
(async () => {
  const sequelize = new Sequelize(process.env.URL, { logging: false });
  const Tag = require(process.env.MODEL)(sequelize, DataTypes);
  const tag = await Tag.create({ name: "t" });
  const before = tag.lastModified.getTime();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await tag.update({ name: "u" });
  await tag.reload();
  process.stdout.write(JSON.stringify({ moved: tag.lastModified.getTime() > before }));
  await sequelize.close();
})().catch((e) => { process.stderr.write(String(e.stack || e)); process.exit(1); });
"""

TOUCH_TS = """
require("reflect-metadata");
const { Sequelize } = require("sequelize-typescript");
(async () => {
  const models = Object.values(require(process.argv[2]));
  const storage = process.env.URL.replace(/^sqlite:\\/\\//, "");
  const sequelize = new Sequelize({ dialect: "sqlite", storage, logging: false, models });
  const Tag = sequelize.models.Tag;
  const tag = await Tag.create({ name: "t" });  // the attribute (its column is `title`)
  const before = tag.lastModified.getTime();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await tag.update({ name: "u" });
  await tag.reload();
  process.stdout.write(JSON.stringify({ moved: tag.lastModified.getTime() > before }));
  await sequelize.close();
})().catch((e) => { process.stderr.write(String(e.stack || e)); process.exit(1); });
"""


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "sequelize-js"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
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


def _read(folder: Path):
    return read_models({str(p): p.read_text() for p in _model_files(folder)}, "postgres")


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """A scratch PostgreSQL database for one test (each syncs a different model set)."""
    with postgres_server.scratch() as url:
        yield url


def test_each_fix_is_what_sync_builds(postgres_url: str, tmp_path: Path) -> None:
    project = _project(tmp_path)
    models = project / "models"
    post = models / "post.js"
    post.write_text(
        post.read_text()
        .replace(
            "      publishedAt: DataTypes.DATE,\n",
            "      publishedAt: DataTypes.DATE,\n      totalPrice: DataTypes.FLOAT,\n"
            "      payload: { type: DataTypes.JSON, allowNull: true },\n",
        )
        .replace(
            '        { fields: ["status", "publishedAt"] },\n',
            '        { fields: ["status", "publishedAt"] },\n        { fields: ["status"] },\n',
        )
    )
    tag = models / "tag.js"
    tag.write_text(
        tag.read_text().replace(
            "      color: {", "      lastModified: DataTypes.DATE,\n      color: {"
        )
    )
    (models / "setting.js").write_text(SETTING)

    applied: list[str] = []
    for _ in range(20):  # one fix at a time, the findings read again after each
        found = [f for f in _check(project) if f["code"] in FIXES and "fix" in f]
        if not found:
            break
        finding = found[0]
        assert finding["fix"]["title"] == FIXES[finding["code"]]
        _apply(finding["fix"]["edits"])
        applied.append(finding["code"])
        after = [(f["code"], f["message"]) for f in _check(project)]
        assert (finding["code"], finding["message"]) not in after, "the finding stays"
    assert sorted(set(applied)) == sorted(FIXES)
    assert applied.count("DB108") == 5  # User, Post, Comment, Profile, Tag
    left = [f for f in _check(project) if f["code"] in FIXES]
    assert all("/migrations/" in f["path"] for f in left)  # the migrations still say int etc.

    text = post.read_text()
    assert "totalPrice: DataTypes.DECIMAL(19, 4)," in text
    assert "payload: { type: DataTypes.JSONB, allowNull: true }," in text
    assert '{ fields: ["status"] }' not in text
    assert "id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true" in text
    assert 'updatedAt: "lastModified"' in tag.read_text()
    setting = (models / "setting.js").read_text()
    assert "key: { type: DataTypes.STRING(100), allowNull: false, primaryKey: true }" in setting

    _sync(postgres_url, _model_files(models))
    database = introspect(postgres_url)
    posts, settings = database.table("Posts"), database.table("Settings")
    comments, tags = database.table("comments"), database.table("Tags")
    assert posts and settings and comments and tags
    assert posts.column("totalPrice").type.native == "numeric(19,4)"  # type: ignore[union-attr]
    assert posts.column("payload").type.native == "jsonb"  # type: ignore[union-attr]
    assert "posts_status" not in {i.name for i in posts.indexes}
    for table, column in (
        (posts, "id"),
        (comments, "post_id"),  # an attribute of its own: edited with the key
        (comments, "user_id"),  # belongsTo(User): follows the key by itself
        (posts, "authorId"),
        (database.table("PostTags"), "TagId"),
    ):
        assert table is not None and table.column(column).type.native == "bigint", column  # type: ignore[union-attr]
    assert [c.column for c in settings.primary_key.columns] == ["key"]  # type: ignore[union-attr]
    assert {c.name for c in tags.columns} >= {"lastModified"} and not tags.column("createdAt")

    reread = _read(models)
    assert [f for f in reread.findings if f.severity == "error"] == []
    assert reread.schema.table("Tags").column("lastModified").updated_at  # type: ignore[union-attr]
    differences = compare(reread.schema, database, provider="postgresql")
    assert differences == [], format_differences(differences)

    node = _node()
    assert node is not None
    script = tmp_path / "touch.js"
    script.write_text(TOUCH)
    run = subprocess.run(
        [node, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "NODE_PATH": str(REPO_ROOT / "node_modules"),
            "URL": postgres_url,
            "MODEL": str(tag),
        },
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"moved": True}  # Sequelize keeps `lastModified` now


def test_kept_names_are_the_old_names_in_sequelize(postgres_url: str, tmp_path: Path) -> None:
    """`keep_table_name` / `keep_column_name` (the fixes of DB211 / DB210, which drop a rename
    from a migration): the model keeps its name and attribute, Sequelize the old names."""
    files = _model_files(SAMPLE / "models")
    texts = {str(p): p.read_text() for p in files}
    read = read_models(texts, "postgres")
    editor = SequelizeEditor(read.declared, texts, read.schema.tables)
    tags, posts = read.schema.table("Tags"), read.schema.table("Posts")
    assert tags is not None and posts is not None
    changes = [
        editor.keep_table_name(tags, "labels"),
        editor.keep_column_name(tags, tags.column("color"), "colour"),  # type: ignore[arg-type]
        editor.keep_column_name(posts, posts.column("rating"), "score"),  # type: ignore[arg-type]
    ]
    assert all(c is not None for c in changes)
    edited = dict(texts)
    for edit in sorted(
        (e for c in changes if c for e in c.edits), key=lambda e: e.span.start, reverse=True
    ):
        text = edited[edit.span.file]
        edited[edit.span.file] = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    folder = tmp_path / "models"
    folder.mkdir()
    for path, text in edited.items():
        (folder / Path(path).name).write_text(text)
    assert (
        'rating: { type: DataTypes.DECIMAL(3, 2), field: "score" },'
        in edited[str(SAMPLE / "models" / "post.js")]
    )

    _sync(postgres_url, _model_files(folder))
    database = introspect(postgres_url)
    names = {t.name: {c.name for c in t.columns} for t in database.tables}
    assert "labels" in names and "Tags" not in names and "colour" in names["labels"]
    assert "score" in names["Posts"] and "rating" not in names["Posts"]
    differences = compare(_read(folder).schema, database, provider="postgresql")
    assert differences == [], format_differences(differences)


def test_sequelize_typescript_edits_are_what_it_syncs(sqlite_url: str, tmp_path: Path) -> None:
    """On samples/sequelize-ts (decorators, SQLite): a type (`@Column(DataType.BIGINT)`), a
    kept column name (`@Column({ type: ..., field })`), a kept table name, a removed index and
    a last-modified time (`@Table({ tableName, indexes, timestamps, updatedAt })`), compiled
    with `tsc --strict` and synced by sequelize-typescript: the database has them, our read of
    the edited files equals it, and an update through sequelize-typescript moves the time."""
    from tests.verify.test_sequelize_sync import _sync_ts

    tsc = REPO_ROOT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists() or not (REPO_ROOT / "node_modules" / "sequelize-typescript").is_dir():
        pytest.skip("tsc or sequelize-typescript is missing (run `npm install` at the repo root)")
    sample = REPO_ROOT / "samples" / "sequelize-ts"
    project = tmp_path / "sequelize-ts"
    shutil.copytree(sample, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    models = project / "src" / "models"
    tag_file = models / "tag.model.ts"  # `timestamps: false`: a last-modified time of its own
    tag_file.write_text(
        tag_file.read_text().replace(
            "  @BelongsToMany",
            "  @Column(DataType.DATE)\n  declare lastModified: Date;\n\n  @BelongsToMany",
        )
    )
    texts = {str(p): p.read_text() for p in sorted(models.glob("*.model.ts"))}
    read = read_models(texts, "sqlite")
    editor = SequelizeEditor(read.declared, texts, read.schema.tables)
    events, tags = read.schema.table("events"), read.schema.table("tags")
    assert events is not None and tags is not None
    [by_organizer] = [i for i in events.indexes if i.name == "events_organizer_id_starts_at"]
    assert by_organizer.span is not None
    changes = [
        editor.set_column_type(events, events.column("capacity"), ColumnType(kind="bigint")),  # type: ignore[arg-type]
        editor.drop_index(events, by_organizer.span),
        editor.keep_table_name(tags, "labels"),
        editor.keep_column_name(tags, tags.column("name"), "title"),  # type: ignore[arg-type]
        editor.mark_updated_at(tags, tags.column("last_modified")),  # type: ignore[arg-type]
    ]
    assert all(c is not None for c in changes)
    edited = dict(texts)
    for edit in sorted(
        (e for c in changes if c for e in c.edits), key=lambda e: e.span.start, reverse=True
    ):
        text = edited[edit.span.file]
        edited[edit.span.file] = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    for path, text in edited.items():
        Path(path).write_text(text)
    assert "@Column(DataType.BIGINT)\n  declare capacity" in (models / "event.model.ts").read_text()
    table_options = tag_file.read_text().split("\n")[4]
    assert table_options.startswith("@Table({")
    for written in ("timestamps: true", "createdAt: false", 'updatedAt: "lastModified"'):
        assert written in table_options

    (project / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)
    run = subprocess.run(
        [str(tsc), "-p", str(project), "--outDir", str(project / "dist")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    compiled = sorted((project / "dist" / "models").glob("*.model.js"))
    _sync_ts(sqlite_url, compiled)
    database = introspect(sqlite_url)
    labels, built = database.table("labels"), database.table("events")
    assert labels is not None and database.table("tags") is None and built is not None
    assert labels.column("title") is not None and labels.column("name") is None
    assert built.column("capacity").type.native.upper() == "BIGINT"  # type: ignore[union-attr]
    assert "events_organizer_id_starts_at" not in {i.name for i in built.indexes}
    assert {c.name for c in labels.columns} == {"id", "title", "last_modified"}  # underscored
    reread = read_models({p: Path(p).read_text() for p in texts}, "sqlite")
    assert reread.findings == []
    assert reread.schema.table("labels").column("last_modified").updated_at  # type: ignore[union-attr]
    differences = compare(reread.schema, database, provider="sqlite")
    assert differences == [], format_differences(differences)

    node = _node()
    assert node is not None
    script = tmp_path / "touch_ts.js"
    script.write_text(TOUCH_TS)
    run = subprocess.run(
        [node, str(script), str(project / "dist" / "models" / "index.js")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NODE_PATH": str(REPO_ROOT / "node_modules"), "URL": sqlite_url},
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"moved": True}  # sequelize-typescript keeps it now


def test_sequelize_typescript_bigint_key_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    """DB108's fix on a sequelize-typescript model read for PostgreSQL: `Organizer`'s implicit
    `id` becomes a BIGINT member of its own and `Event.organizerId` (`@ForeignKey` with a
    `@Column(DataType.INTEGER)` of its own) and `OrganizerProfile.organizerId` change with it;
    sequelize-typescript's `sync()` builds them as bigint, and our read of the edited files
    equals the database."""
    from tests.verify.test_sequelize_sync import _sync_ts

    tsc = REPO_ROOT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists() or not (REPO_ROOT / "node_modules" / "sequelize-typescript").is_dir():
        pytest.skip("tsc or sequelize-typescript is missing (run `npm install` at the repo root)")
    project = tmp_path / "sequelize-ts"
    sample = REPO_ROOT / "samples" / "sequelize-ts"
    shutil.copytree(sample, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    models = project / "src" / "models"
    texts = {str(p): p.read_text() for p in sorted(models.glob("*.model.ts"))}
    read = read_models(texts, "postgres")
    editor = SequelizeEditor(read.declared, texts, read.schema.tables)
    organizers = read.schema.table("organizers")
    assert organizers is not None
    change = editor.set_column_type(
        organizers,
        organizers.column("id"),  # type: ignore[arg-type]
        ColumnType(kind="bigint"),
        references=True,
    )
    assert change is not None and change.label == "BIGINT"
    assert {Path(e.span.file).name for e in change.edits} == {
        "organizer.model.ts",
        "event.model.ts",
        "organizer-profile.model.ts",
    }
    edited = dict(texts)
    for edit in sorted(change.edits, key=lambda e: e.span.start, reverse=True):
        text = edited[edit.span.file]
        edited[edit.span.file] = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    for path, text in edited.items():
        Path(path).write_text(text)
    (project / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)
    run = subprocess.run(
        [str(tsc), "-p", str(project), "--outDir", str(project / "dist")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    _sync_ts(postgres_url, sorted((project / "dist" / "models").glob("*.model.js")))
    database = introspect(postgres_url)
    built = {t.name: {c.name: c.type.native for c in t.columns} for t in database.tables}
    assert built["organizers"]["id"] == "bigint"
    assert built["events"]["organizer_id"] == "bigint"
    assert built["organizer_profiles"]["organizer_id"] == "bigint"  # its own attribute too
    reread = read_models({p: Path(p).read_text() for p in texts}, "postgres")
    assert reread.findings == []
    differences = compare(reread.schema, database, provider="postgresql")
    assert differences == [], format_differences(differences)
