"""A Sequelize model's outline (document symbols) lists its associations wherever they are
written: those a models/index.js makes for it appear under the model, on its name, with the file
they are in (issue 13); those of its own file at their calls, as before."""

from __future__ import annotations

from schemasense.server.language.declared import document_symbols
from schemasense.server.sources.sequelize.navigation import outlines
from schemasense.server.sources.sequelize.reader import read_models

USER = """module.exports = (sequelize, DataTypes) =>
  sequelize.define("User", { email: DataTypes.STRING });
"""
POST = """module.exports = (sequelize, DataTypes) => {
  const Post = sequelize.define("Post", { title: DataTypes.STRING });
  Post.associate = (models) => { Post.hasMany(models.Comment); };
  return Post;
};
"""
COMMENT = """module.exports = (sequelize, DataTypes) =>
  sequelize.define("Comment", { body: DataTypes.TEXT });
"""
INDEX = """const { Sequelize } = require("sequelize");
const sequelize = new Sequelize(process.env.DATABASE_URL);
for (const define of [require("./user"), require("./post"), require("./comment")]) {
  define(sequelize, Sequelize.DataTypes);
}
const { User, Post } = sequelize.models;
Post.belongsTo(User, { as: "author" });
User.hasMany(Post, { foreignKey: "authorId" });
module.exports = sequelize.models;
"""


def test_associations_of_another_file_are_in_the_models_outline():
    texts = {
        "/p/models/index.js": INDEX,
        "/p/models/user.js": USER,
        "/p/models/post.js": POST,
        "/p/models/comment.js": COMMENT,
    }
    read = read_models(texts, "postgres")
    assert [f for f in read.findings if f.severity == "error"] == []
    [post] = document_symbols(read.schema, outlines(read, "/p/models/post.js"), "/p/models/post.js")
    children = {c.name: c for c in post.children}
    text = texts["/p/models/post.js"]
    author = children["author"]
    assert author.kind == "relation"
    assert author.detail == "belongsTo → User (authorId) · in index.js"
    name = text.index('"Post"')
    assert author.name_span == author.span == (name, name + len('"Post"'))
    assert post.span[0] <= author.span[0] and author.span[1] <= post.span[1]
    own = children["Comment"]  # written in post.js: at its call
    assert own.detail.startswith("hasMany → Comment") and "· in" not in own.detail
    assert text[own.name_span[0] : own.name_span[1]] == "models.Comment"

    [user] = document_symbols(read.schema, outlines(read, "/p/models/user.js"), "/p/models/user.js")
    assert [(c.name, c.detail) for c in user.children if c.kind == "relation"] == [
        ("Post", "hasMany → Post (authorId) · in index.js")
    ]
