"""The Sequelize source's `add_index` (`sources/sequelize/editor.py`) in each layout of the
model options: an entry appended to `indexes` (one a line, or on one line, or empty), the
array added to options without one, nothing where the options are not an object literal.
`tests/verify/test_sequelize_add_index.py` proves Sequelize's `sync()` builds what it writes."""

from __future__ import annotations

import pytest
from schemasense.server.sources.base import SchemaEditor
from schemasense.server.sources.sequelize.editor import SequelizeEditor
from schemasense.server.sources.sequelize.reader import read_models

from tests.server.rules.helpers import apply_edits

FILE = "models/post.js"
BASE = """const { Model, DataTypes } = require("sequelize");
module.exports = (sequelize) => {
  class Post extends Model {}
  Post.init(
    { title: DataTypes.STRING, authorId: { type: DataTypes.INTEGER, field: "author_id" } },
    OPTIONS,
  );
  return Post;
};
"""


def _edited(options: str) -> str | None:
    text = BASE.replace("OPTIONS", options)
    read = read_models({FILE: text}, "postgres")
    editor = SequelizeEditor(read.declared, {FILE: text})
    assert isinstance(editor, SchemaEditor)
    (table,) = read.schema.tables
    change = editor.add_index(table, ["author_id", "title"])
    if change is None:
        return None
    assert change.label == '{ fields: ["author_id", "title"] }'
    return apply_edits(text, change.edits)


@pytest.mark.parametrize(
    ("options", "written"),
    [
        ('{ sequelize, modelName: "Post" }',
         '{ sequelize, modelName: "Post", indexes: [{ fields: ["author_id", "title"] }] }'),
        ('{\n      sequelize,\n      modelName: "Post",\n    }',
         '{\n      sequelize,\n      modelName: "Post",\n'
         '      indexes: [{ fields: ["author_id", "title"] }],\n    }'),
        ('{\n      sequelize,\n      modelName: "Post"\n    }',
         '{\n      sequelize,\n      modelName: "Post",\n'
         '      indexes: [{ fields: ["author_id", "title"] }]\n    }'),
        ("{ sequelize, indexes: [] }",
         '{ sequelize, indexes: [{ fields: ["author_id", "title"] }] }'),
        ('{ sequelize, indexes: [{ fields: ["title"] }] }',
         '{ sequelize, indexes: [{ fields: ["title"] }, { fields: ["author_id", "title"] }] }'),
        ('{\n      sequelize,\n      indexes: [\n        { fields: ["title"] },\n      ],\n    }',
         '{\n      sequelize,\n      indexes: [\n        { fields: ["title"] },\n'
         '        { fields: ["author_id", "title"] },\n      ],\n    }'),
    ],
)  # fmt: skip
def test_the_index_goes_into_the_options(options: str, written: str) -> None:
    edited = _edited(options)
    assert edited == BASE.replace("OPTIONS", written)
    # read again: the model has the index, on those columns
    read = read_models({FILE: edited}, "postgres")
    (table,) = read.schema.tables
    assert [[c.column for c in i.columns] for i in table.indexes][-1] == ["author_id", "title"]


def test_options_built_elsewhere_get_no_edit() -> None:
    assert _edited("{ sequelize, ...shared }") is None  # `shared` may have `indexes`
    assert _edited("shared") is None
