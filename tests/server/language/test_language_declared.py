"""Symbols, code lenses, definition and references for TypeORM entities and Sequelize models
(`language/declared.py` over each source's outline), on reads of the samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from schemasense.server.language import declared
from schemasense.server.language.migrations import build
from schemasense.server.migrations import read_set, replay
from schemasense.server.sources.sequelize import navigation as sequelize
from schemasense.server.sources.typeorm import navigation as typeorm
from schemasense.server.workspace.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture(scope="module")
def nest(tmp_path_factory):
    root = tmp_path_factory.mktemp("nest") / "typeorm-nest"
    shutil.copytree(SAMPLES / "typeorm-nest", root, ignore=shutil.ignore_patterns("node_modules"))
    return _read(root, root / "src" / "posts" / "post.entity.ts")


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli") / "sequelize-js"
    shutil.copytree(SAMPLES / "sequelize-js", root, ignore=shutil.ignore_patterns("node_modules"))
    return _read(root, root / "models" / "post.js")


def _read(root: Path, file: Path):
    workspace = Workspace([str(root)])
    analysis = workspace.analyze(workspace.unit_for(str(file)))
    assert analysis.read.findings is not None
    return root, str(file), analysis.read


def _migrations(folder: Path, dialect: str):
    mset = read_set(str(folder), dialect_hint=dialect)
    assert mset is not None and mset.files
    return build(replay(mset))


def _text(file: str, start: int, end: int) -> str:
    return Path(file).read_text()[start:end]


# -- TypeORM --------------------------------------------------------------------------------------


def test_typeorm_document_symbols(nest):
    _, file, read = nest
    [post] = declared.document_symbols(read.schema, typeorm.outlines(read), file)
    text = Path(file).read_text()
    assert (post.name, post.kind, post.detail) == ("Post", "model", "table post")
    assert text[post.span[0] : post.span[1]].startswith("@Entity()")
    assert text[post.span[0] : post.span[1]].endswith("}")
    assert text[slice(*post.name_span)] == "Post"
    fields = [(c.name, c.kind) for c in post.children if c.kind != "key"]
    assert fields == [
        ("title", "field"),
        ("slug", "field"),
        ("body", "field"),
        ("priceCents", "field"),
        ("publishedAt", "field"),
        ("author", "relation"),
        ("parent", "relation"),
        ("replies", "relation"),
        ("tags", "relation"),
    ]  # authorId (@RelationId) is no column; id, createdAt... are the base class's
    by_name = {c.name: c for c in post.children}
    assert by_name["priceCents"].detail == "price_cents: integer"
    assert by_name["author"].detail == "ManyToOne → User (author_id)"
    assert text[slice(*by_name["slug"].name_span)] == "slug"
    keys = {c.name: c.detail for c in post.children if c.kind == "key"}
    assert keys["IDX_cd1bddce36edc3e766798eab37"] == "unique index (slug)"
    assert keys["IDX_b5a1eebded08a5043ef2a82242"] == "index (author_id, published_at)"
    assert keys["FK_2f1a9ca8908fc8168bc18437f62"] == "foreign key (author_id) → user"
    assert "index (tag_id)" in keys.values()  # the @JoinTable's table, declared here
    for child in post.children:
        assert post.span[0] <= child.span[0] <= child.name_span[0] <= child.span[1] <= post.span[1]


def test_typeorm_workspace_symbols(nest):
    _, _, read = nest
    outlines = typeorm.outlines(read)
    found = declared.workspace_symbols([(read.schema, outlines)], "user")
    names = [(s.name, s.container) for s in found]
    assert ("User", None) in names
    assert ("author", "Post") not in names
    assert [s.name for s in declared.workspace_symbols([(read.schema, outlines)], "post.slug")] == [
        "slug"
    ]
    assert {o.name for o in outlines} == {"Post", "Tag", "Profile", "User"}


def test_typeorm_code_lens_with_and_without_migrations(nest):
    root, file, read = nest
    outlines = typeorm.outlines(read)
    [lens] = declared.code_lenses(read.schema, outlines, file)
    assert lens.title == "table post · 11 columns · 4 relations · 3 indexes"
    assert _text(file, lens.start, lens.end) == "Post"
    migrations = _migrations(root / "src" / "migrations", "postgresql")
    drift = declared.drift_by_table(read.schema, migrations)
    [lens] = declared.code_lenses(read.schema, outlines, file, migrations, drift)
    assert lens.title.endswith("· created in Init1733500000000 · 1 migration · no drift")
    user = str(root / "src" / "users" / "user.entity.ts")
    [lens] = declared.code_lenses(read.schema, outlines, user, migrations, drift)
    assert "· 2 migrations · no drift" in lens.title  # AddLoginCount adds a column


def test_typeorm_code_lens_counts_drift(nest):
    root, file, read = nest
    migrations = _migrations(root / "src" / "migrations", "postgresql")
    schema = read.schema.model_copy(deep=True)
    post = schema.table("post")
    post.columns = [c for c in post.columns if c.name != "body"]
    drift = declared.drift_by_table(schema, migrations)
    [lens] = declared.code_lenses(schema, typeorm.outlines(read), file, migrations, drift)
    assert lens.title.endswith("· drift: 1")


def test_typeorm_definition_of_relation_id_and_inverse_side(nest):
    root, file, read = nest
    text = Path(file).read_text()
    [place] = typeorm.definition(read, file, text.index("post.author") + 6)
    assert (place.file, text[place.start : place.end]) == (file, "author")
    assert place.start == text.index("  author: User") + 2
    [place] = typeorm.definition(read, file, text.index("user.posts") + 6)
    user = root / "src" / "users" / "user.entity.ts"
    assert place.file == str(user) and _text(place.file, place.start, place.end) == "posts"
    assert typeorm.definition(read, file, text.index("title: string")) == []


def test_typeorm_references_of_an_entity_and_a_column(nest):
    root, file, read = nest
    migrations = _migrations(root / "src" / "migrations", "postgresql")
    user_file = str(root / "src" / "users" / "user.entity.ts")
    user_text = Path(user_file).read_text()
    places = typeorm.references(
        read, user_file, user_text.index("class User") + 7, True, migrations
    )
    where = [(Path(p.file).name, _text(p.file, p.start, p.end)) for p in places]
    assert where[0] == ("user.entity.ts", "User")
    assert ("post.entity.ts", "User") in where and ("profile.entity.ts", "User") in where
    assert ("1733500000000-Init.ts", "user") in where
    assert ("1733700000000-AddLoginCount.ts", "user") in where
    # from the target of a relation: the same answer
    text = Path(file).read_text()
    again = typeorm.references(read, file, text.index("() => User") + 7, True, migrations)
    assert again == places
    # a column: its declaration and the statement that created it
    slug = typeorm.references(read, file, text.index("slug: string"), False, migrations)
    assert [(Path(p.file).name, _text(p.file, p.start, p.end)) for p in slug] == [
        ("1733500000000-Init.ts", "slug")
    ]
    # a relation: the @RelationId that reads it
    author = typeorm.references(read, file, text.index("  author: User") + 2, False, None)
    assert [text[p.start : p.end] for p in author] == ["author"]
    assert author[0].start == text.index("post.author") + 5


# -- Sequelize ------------------------------------------------------------------------------------


def test_sequelize_document_symbols(cli):
    _, file, read = cli
    [post] = declared.document_symbols(read.schema, sequelize.outlines(read), file)
    text = Path(file).read_text()
    assert (post.name, post.detail) == ("Post", "table Posts")
    assert text[slice(*post.span)].startswith("Post.belongsTo(")  # the associations inside
    fields = [c.name for c in post.children if c.kind == "field"]
    assert fields == [
        "title",
        "slug",
        "body",
        "status",
        "rating",
        "views",
        "metadata",
        "publishedAt",
    ]
    relations = {c.name: c.detail for c in post.children if c.kind == "relation"}
    assert relations["author"] == "belongsTo → User (authorId)"
    assert relations["Tag"].startswith("belongsToMany → Tag")
    keys = {c.name: c.detail for c in post.children if c.kind == "key"}
    assert keys == {
        "posts_slug": "unique index (slug)",
        "posts_status_published_at": "index (status, publishedAt)",
        "posts_title_search": "index (title)",
        "Posts_authorId_fkey": "foreign key (authorId) → Users",
    }
    for child in post.children:
        assert post.span[0] <= child.span[0] <= child.name_span[0] <= child.span[1] <= post.span[1]


def test_sequelize_code_lens(cli):
    root, file, read = cli
    migrations = _migrations(root / "migrations", "postgresql")
    drift = declared.drift_by_table(read.schema, migrations)
    [lens] = declared.code_lenses(read.schema, sequelize.outlines(read), file, migrations, drift)
    assert lens.title == (
        "table Posts · 13 columns · 3 relations · 4 indexes · created in "
        "20250302090000-create-posts-comments-tags · 1 migration · no drift"
    )


def test_sequelize_definition_and_references(cli):
    root, file, read = cli
    text = Path(file).read_text()
    [place] = sequelize.definition(read, file, text.index("models.User") + 8)
    user = str(root / "models" / "user.js")
    assert place.file == user and _text(user, place.start, place.end) == '"User"'
    migrations = _migrations(root / "migrations", "postgresql")
    places = sequelize.references(read, file, text.index("models.User") + 8, False, migrations)
    where = {(Path(p.file).name, _text(p.file, p.start, p.end)) for p in places}
    assert ("post.js", "models.User") in where and ("comment.js", "models.User") in where
    assert ("20250301090000-create-users-and-teams.js", "Users") in where
    slug = sequelize.references(read, file, text.index("slug: {"), True, migrations)
    assert [(Path(p.file).name, _text(p.file, p.start, p.end)) for p in slug] == [
        ("post.js", "slug"),
        ("20250302090000-create-posts-comments-tags.js", "slug"),
    ]
    assert sequelize.references(read, file, text.index("allowNull"), True, migrations) == []


def test_sequelize_typescript_classes():
    from schemasense.server.sources.sequelize.reader import read_models

    team = (
        "import { Table, Column, Model, DataType, HasMany, PrimaryKey, AllowNull, Unique, Index }"
        ' from "sequelize-typescript";\n'
        '@Table({ tableName: "teams" })\n'
        "export class Team extends Model {\n"
        "  @PrimaryKey @Column(DataType.UUID) id: string;\n"
        "  @AllowNull(false) @Unique @Column name: string;\n"
        "  @Index @Column size: number;\n"
        "  @HasMany(() => Member) members: Member[];\n"
        "}\n"
    )
    member = (
        "@Table\n"
        "export class Member extends Model {\n"
        "  @ForeignKey(() => Team) @Column(DataType.UUID) teamId: string;\n"
        "  @BelongsTo(() => Team) team: Team;\n"
        "}\n"
    )
    files = {"/p/models/Team.ts": team, "/p/models/Member.ts": member}
    read = read_models(files)
    outlines = sequelize.outlines(read)
    [symbol] = declared.document_symbols(read.schema, outlines, "/p/models/Team.ts")
    assert team[slice(*symbol.name_span)] == "Team" and symbol.detail == "table teams"
    children = [(c.kind, c.name, team[slice(*c.name_span)], c.detail) for c in symbol.children]
    assert children == [
        ("field", "id", "id", "id: DataType.UUID NOT NULL"),  # the name after its decorators
        ("field", "name", "name", "name: STRING NOT NULL"),
        ("field", "size", "size", "size: INTEGER"),
        ("relation", "members", "() => Member", "hasMany → Member (teamId)"),
        ("key", "teams_size", "size: number", "index (size)"),
        ("key", "teams_name_key", "name: string", "unique (name)"),
    ]
    for child in symbol.children:
        assert symbol.span[0] <= child.span[0] <= child.span[1] <= symbol.span[1]
    [place] = sequelize.definition(
        read, "/p/models/Member.ts", member.index("() => Team) team") + 7
    )
    assert (place.file, team[place.start : place.end]) == ("/p/models/Team.ts", "Team")


def test_migration_definition_goes_to_the_entity_or_property(nest):
    _, file, read = nest
    outlines = typeorm.outlines(read)
    [entity] = declared.migration_definition(read.schema, outlines, ["post"], "post")
    assert (entity.file, _text(file, entity.start, entity.end)) == (file, "Post")
    [slug] = declared.migration_definition(read.schema, outlines, ["post"], "slug")
    assert _text(file, slug.start, slug.end) == "slug"
    [base] = declared.migration_definition(read.schema, outlines, ["post"], "created_at")
    assert Path(base.file).name == "base.entity.ts"  # an inherited column: its declaration
    assert "createdAt" in _text(base.file, base.start, base.end)
    assert declared.migration_definition(read.schema, outlines, ["tag"], "slug") == []


def test_sequelize_associations_in_another_file():
    from schemasense.server.sources.sequelize.reader import read_models

    def model(name: str, attribute: str) -> str:
        return (
            'const { Model, DataTypes } = require("sequelize");\n'
            f"class {name} extends Model {{}}\n"
            "module.exports = (sequelize) => {\n"
            f"  {name}.init({{ {attribute}: DataTypes.STRING }}, {{ sequelize }});\n"
            f"  return {name};\n}};\n"
        )

    index = (
        'const User = require("./user");\nconst Post = require("./post");\n'
        "Post.belongsTo(User);\nUser.hasMany(Post);\n"
    )
    files = {
        "/p/models/user.js": model("User", "email"),
        "/p/models/post.js": model("Post", "title"),
        "/p/models/index.js": index,
    }
    read = read_models(files)
    outlines = sequelize.outlines(read)
    [lens] = declared.code_lenses(read.schema, outlines, "/p/models/post.js")
    assert lens.title == "table Posts · 5 columns · 1 relation · 1 index"
    [post] = declared.document_symbols(read.schema, outlines, "/p/models/post.js")
    # the association written in index.js is listed under its model too, placed on the
    # model's name (its detail says where it is written)
    assert [c.name for c in post.children] == ["User", "title"]
    assert "index.js" in (post.children[0].detail or "")
    user = files["/p/models/user.js"]
    places = sequelize.references(read, "/p/models/user.js", user.index("class User") + 7, True)
    where = [(p.file, files[p.file][p.start : p.end]) for p in places]
    assert ("/p/models/index.js", "User") in where
