"""The Sequelize editor's `add_index` (`server/sources/sequelize/editor.py`, the fix DB401
offers) writes an index Sequelize itself builds: the sample's models are edited (an entry
appended to an `indexes` array that has some, and an `indexes` array added to options that have
none, on a model with `underscored: true`), `sequelize.sync()` (Sequelize 6, under Node) builds
them into a scratch PostgreSQL database, and the database holds each new index on its columns;
our read of the edited files equals the database, object for object."""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.sources.sequelize.editor import SequelizeEditor
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import introspect

from tests.verify.test_sequelize_sync import SAMPLE, _model_files, _sync

pytestmark = pytest.mark.oracle


def _apply(texts: dict[str, str], edits) -> dict[str, str]:
    out = dict(texts)
    for edit in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = out[edit.span.file]
        out[edit.span.file] = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    return out


def test_added_indexes_are_built_by_sync(postgres_url: str, tmp_path: Path) -> None:
    files = _model_files(SAMPLE / "models")
    texts = {str(p): p.read_text() for p in files}
    read = read_models(texts, "postgres")
    editor = SequelizeEditor(read.declared, texts)
    schema = read.schema
    posts = schema.table("Posts")  # has `indexes: [...]`, camelCase columns
    comments = schema.table("comments")  # no `indexes`, `underscored: true`
    assert posts is not None and comments is not None
    assert posts.indexes and not comments.indexes
    edits = []
    for table, columns in ((posts, ["authorId", "createdAt"]), (comments, ["user_id"])):
        assert all(table.column(c) is not None for c in columns)
        change = editor.add_index(table, columns)
        assert change is not None, table.name
        edits += change.edits
    edited = _apply(texts, edits)

    folder = tmp_path / "models"
    folder.mkdir()
    for path, text in edited.items():
        (folder / Path(path).name).write_text(text)
    _sync(postgres_url, _model_files(folder))
    database = introspect(postgres_url)
    built = {t.name: [[c.column for c in i.columns] for i in t.indexes] for t in database.tables}
    assert ["authorId", "createdAt"] in built["Posts"]
    assert ["user_id"] in built["comments"]

    reread = read_models({str(folder / Path(p).name): t for p, t in edited.items()}, "postgres")
    assert [f for f in reread.findings if f.severity == "error"] == []
    differences = compare(reread.schema, database, provider="postgresql")
    assert differences == [], format_differences(differences)
