"""The Sequelize source: what it reads from models and project files, and what it reports
with its range (the schema itself is proved against `sync()` in
tests/verify/test_sequelize_sync.py)."""

from __future__ import annotations

from pathlib import Path

from schemasense.server.project.sequelize import detect
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.sources.sequelize.source import SequelizeSource
from schemasense.server.sources.typescript import read_module

SAMPLE = Path(__file__).resolve().parents[4] / "samples" / "sequelize-js"


def _read(text: str, dialect: str = "postgres"):
    return read_models({"/p/models/m.js": text}, dialect)


def test_define_with_underscored_define_options_and_client_defaults() -> None:
    read = read_models(
        {
            "/p/models/a.js": (
                "const Thing = sequelize.define('thing', {\n"
                "  name: { type: DataTypes.STRING(40), allowNull: false,\n"
                "    validate: { len: [1, 40] } },\n"
                "  madeAt: { type: DataTypes.DATE, defaultValue: DataTypes.NOW },\n"
                "  uuid: { type: DataTypes.UUID, defaultValue: Sequelize.UUIDV4 },\n"
                "  count: { type: DataTypes.INTEGER, defaultValue: sequelize.literal('1 + 1') },\n"
                "});\n"
            )
        },
        "postgres",
        {"underscored": True, "freezeTableName": True},
    )
    assert read.findings == []
    table = read.schema.table("thing")
    assert table is not None and table.model_name == "thing"
    assert [c.name for c in table.columns] == [
        "id", "name", "made_at", "uuid", "count", "created_at", "updated_at",
    ]  # fmt: skip
    assert table.column("made_at").default is None  # DataTypes.NOW is computed by Sequelize
    attrs = read.attributes
    assert attrs[("thing", "made_at")].client_default == "NOW"
    assert attrs[("thing", "uuid")].client_default == "UUIDV4"
    assert attrs[("thing", "name")].validate == {"len": [1, 40]}
    assert table.column("count").default is not None
    assert table.column("updated_at").updated_at


def test_what_sequelize_would_throw_is_a_problem_with_its_range() -> None:
    text = (
        "class A extends Model { static associate(models) {\n"
        "  this.belongsTo(models.Nope);\n"
        "  this.belongsToMany(models.A);\n"
        "} }\n"
        "A.init({ x: DataTypes.STRNG, y: DataTypes.JSONB }, { sequelize });\n"
    )
    read = _read(text, "mysql")
    found = {(f.code, text[f.span.start : f.span.end]) for f in read.findings}
    assert ("DB071", "models.Nope") in found
    assert ("DB071", "this.belongsToMany(models.A)") in found
    assert ("DB072", "DataTypes.STRNG") in found
    assert ("DB072", "DataTypes.JSONB") in found
    assert [c.name for c in read.schema.table("As").columns] == ["id", "createdAt", "updatedAt"]


def test_a_type_from_a_variable_is_not_guessed() -> None:
    text = "class A extends Model {}\nA.init({ x: someType }, { sequelize });\n"
    read = _read(text)
    assert [(f.code, f.severity) for f in read.findings] == [("DB073", "warning")]


def test_an_association_key_declared_keeps_what_it_says_and_order_decides() -> None:
    # belongsTo first: the declared NOT NULL key gets NO ACTION, and the later hasMany's
    # CASCADE does not replace it (Utils.mergeDefaults keeps what is there)
    text = (
        "class P extends Model {}\nP.init({}, { sequelize, modelName: 'P' });\n"
        "class C extends Model {}\n"
        "C.init({ pId: { type: DataTypes.INTEGER, allowNull: false } }, { sequelize });\n"
        "C.belongsTo(P, { foreignKey: 'pId' });\n"
        "P.hasMany(C, { foreignKey: 'pId', onDelete: 'CASCADE' });\n"
    )
    fk = read_models({"/p/models/m.js": text}).schema.table("Cs").foreign_keys[0]
    assert (fk.columns, fk.on_delete, fk.on_update) == (["pId"], "NoAction", "Cascade")


def test_the_sample_project_set_up_is_detected() -> None:
    files = [str(p) for p in sorted(SAMPLE.rglob("*.js"))]
    setup = detect(str(SAMPLE), lambda p: _text(p), files)
    assert setup is not None
    assert setup.dialect == "postgres" and setup.versions["sequelize"] == "6.37.8"
    assert setup.models_dirs == [str(SAMPLE / "models")]
    assert setup.migrations_dirs == [str(SAMPLE / "migrations")]
    assert setup.sequelizerc == str(SAMPLE / ".sequelizerc")


def test_new_sequelize_options_and_umzug_globs(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"sequelize": "^6", "umzug": "3"}}')
    db = tmp_path / "src" / "db.ts"
    db.parent.mkdir()
    db.write_text(
        "export const sequelize = new Sequelize(process.env.URL!, {\n"
        "  dialect: 'mysql', define: { underscored: true, paranoid: true } });\n"
        "export const umzug = new Umzug({ migrations: { glob: 'migrations/*.ts' } });\n"
        "const old = new Umzug({ migrations: { path: path.join(__dirname, '../db/up') } });\n"
    )
    setup = detect(str(tmp_path), _text, [str(db)])
    assert setup is not None and setup.dialect == "mysql"
    assert setup.define == {"underscored": True, "paranoid": True}
    assert str(tmp_path / "src" / "migrations") in setup.migrations_dirs
    assert str(tmp_path / "db" / "up") in setup.migrations_dirs


def test_no_dialect_and_no_models_are_said_clearly(tmp_path: Path) -> None:
    package = str(tmp_path / "package.json")
    read = SequelizeSource().read({package: '{"dependencies": {"sequelize": "6"}}'})
    messages = [f.message for f in read.findings if f.code == "DB070"]
    assert any("No Sequelize dialect found" in m and "schemasense.toml" in m for m in messages)
    assert any("No Sequelize models found" in m for m in messages)


def test_nested_classes_and_assigned_names_in_the_typescript_layer() -> None:
    text = (
        "module.exports = (sequelize) => { class User extends Model {} return User; };\n"
        "const Post = sequelize.define('post', {});\nexports.Tag = await (make());\n"
        "class Top {}\n"
    )
    module = read_module("m.js", text)
    assert [c.name for c in module.nested_classes] == ["User"]
    assert [c.name for c in module.classes] == ["Top"]
    names = [module.assigned_name(c.start, c.end) for c in module.calls() if c.method != "Model"]
    assert names == ["Post", "Tag"]


def _text(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


def test_sequelize_typescript_decorators() -> None:
    team = (
        "import { Table, Column, Model, DataType, HasMany, PrimaryKey, AllowNull, Default,"
        ' Unique, CreatedAt, IsEmail } from "sequelize-typescript";\n'
        '@Table({ tableName: "teams", paranoid: true })\n'
        "export class Team extends Model {\n"
        "  @PrimaryKey @Column(DataType.UUID) id: string;\n"
        "  @AllowNull(false) @Unique @Column name: string;\n"
        "  @Default(0) @Column size: number;\n"
        "  @IsEmail @Column(DataType.STRING(120)) contact?: string | null;\n"
        "  @CreatedAt made: Date;\n"
        "  @HasMany(() => Member) members: Member[];\n"
        "  @Column mystery: SomeClass;\n"
        "}\n"
    )
    member = (
        "@Table\n"
        "export class Member extends Model {\n"
        "  @ForeignKey(() => Team) @Column(DataType.UUID) teamId: string;\n"
        "  @BelongsTo(() => Team) team: Team;\n"
        "}\n"
    )
    read = read_models({"/p/models/Team.ts": team, "/p/models/Member.ts": member})
    teams = read.schema.table("teams")
    assert [c.name for c in teams.columns] == [
        "id", "name", "size", "contact", "made", "updatedAt", "deletedAt",
    ]  # fmt: skip
    assert teams.column("id").type.kind == "uuid" and not teams.column("name").nullable
    assert [u.columns[0].column for u in teams.uniques] == ["name"]
    assert read.attributes[("teams", "contact")].validate == {"isEmail": True}
    members = read.schema.table("Members")
    assert [c.name for c in members.columns] == ["id", "teamId", "createdAt", "updatedAt"]
    fk = members.foreign_keys[0]
    assert (fk.columns, fk.referenced_table, fk.on_delete) == (["teamId"], "teams", "SetNull")
    problems = [(f.code, team[f.span.start : f.span.end]) for f in read.findings]
    assert problems == [("DB072", "mystery")]


def test_init_inside_a_static_init_and_define_in_a_factory() -> None:
    user = (
        "class User extends Model {\n"
        "  static init(sequelize) {\n"
        "    return super.init({ email: DataTypes.STRING }, { sequelize, tableName: 'users' });\n"
        "  }\n"
        "}\n"
    )
    post = (
        "module.exports = (sequelize, DataTypes) => {\n"
        "  const Post = sequelize.define('Post', { title: DataTypes.STRING });\n"
        "  Post.associate = (models) => { Post.belongsTo(models.User); };\n"
        "  return Post;\n"
        "};\n"
    )
    read = read_models({"/p/models/user.js": user, "/p/models/post.js": post})
    assert read.findings == []
    assert [c.name for c in read.schema.table("users").columns][:2] == ["id", "email"]
    fk = read.schema.table("Posts").foreign_keys[0]
    assert (fk.columns, fk.referenced_table) == (["UserId"], "users")


def test_migration_places_are_the_set_ups_folders() -> None:
    source = SequelizeSource()
    texts = {
        str(p): p.read_text()
        for p in [
            SAMPLE / "package.json",
            SAMPLE / ".sequelizerc",
            SAMPLE / "config" / "config.json",
            *sorted((SAMPLE / "models").glob("*.js")),
        ]
    }
    read = source.read(texts)
    assert read.dialect == "postgres" and len(read.schema.tables) == 8
    places = source.migration_places(read)
    assert [(p.folder, p.tool, p.dialect) for p in places] == [
        (str(SAMPLE / "migrations"), "sequelize", "postgresql")
    ]


def test_a_models_registry_names_the_models_of_its_files() -> None:
    index = (
        "const RoomModel = require('./room');\nconst HouseModel = require('./house');\n"
        "const models = { Room: RoomModel(sequelize, Sequelize),\n"
        "  House: HouseModel(sequelize, Sequelize) };\n"
    )
    room = (
        "module.exports = (sequelize, DataTypes) => {\n"
        "  const room = sequelize.define('t_room', { name: DataTypes.STRING });\n"
        "  room.associate = (models) => { room.belongsTo(models.House); };\n"
        "  return room;\n};\n"
    )
    house = "module.exports = (sequelize, DataTypes) => sequelize.define('t_house', {});\n"
    read = read_models(
        {"/p/models/index.js": index, "/p/models/room.js": room, "/p/models/house.js": house},
        "sqlite",
        {"freezeTableName": True, "underscored": True},
    )
    assert read.findings == []
    fk = read.schema.table("t_room").foreign_keys[0]
    assert (fk.columns, fk.referenced_table) == (["t_house_id"], "t_house")


def test_hover_on_an_attribute_a_model_and_an_association() -> None:
    files = sorted((SAMPLE / "models").glob("*.js"))
    texts = {str(p): p.read_text() for p in files}
    read = read_models(texts)
    source = SequelizeSource()
    user = str(SAMPLE / "models" / "user.js")
    text = texts[user]
    answer = source.hover(read, texts, user, text.index("publicId:") + 2)
    assert answer is not None and text[answer.start : answer.end].startswith("publicId")
    assert "**Users.publicId** `uuid NOT NULL`" in answer.markdown
    assert "UUIDV4" in answer.markdown and "not a database default" in answer.markdown
    email = source.hover(read, texts, user, text.index("email:"))
    assert "validate" in email.markdown and "unique `Users_email_key`" in email.markdown
    post = str(SAMPLE / "models" / "post.js")
    ptext = texts[post]
    call = source.hover(read, texts, post, ptext.index("Post.belongsTo("))
    assert "`Posts.authorId` → `Users`(id) ON DELETE SetNull" in call.markdown
    model = source.hover(read, texts, post, ptext.index('modelName: "Post"') + 12)
    assert "table `Posts`" in model.markdown and "`deletedAt`" in model.markdown


_DECORATED = """\
import {{ Column, DataType, Index, Model, Table }} from "sequelize-typescript";

@Table({table})
export class Tagging extends Model {{
  @Index
  @Column(DataType.INTEGER)
  declare tagId: number;

  @Index({{ name: "taggings_label", unique: true }})
  @Column(DataType.STRING(40))
  declare label: string;
}}
"""


def test_a_decorated_index_sequelize_typescript_would_not_create_is_db074() -> None:
    """sequelize-typescript 2.1 spreads the `@Index` indexes before `@Table`'s options: a
    table-level `indexes` replaces them all, and an `@Index` names the attribute, so on an
    underscored model `sync()` fails on a column that does not exist (checked against
    sequelize-typescript itself: tests/verify/test_sequelize_ts_sample.py's sample had both)."""

    def read(table: str):
        text = _DECORATED.format(table=table)
        found = read_models({"/p/models/tagging.ts": text}, "postgres").findings
        return text, found

    # plain: both indexes are created, nothing to say
    text, found = read("{ tableName: 'taggings' }")
    assert found == []
    # underscored: tagId's column is tag_id, the bare @Index fails at sync(); label is fine
    text, found = read("{ tableName: 'taggings', underscored: true }")
    assert [(f.code, f.severity) for f in found] == [("DB074", "error")]
    assert text[found[0].span.start :].startswith("tagId")
    assert len(found) == 1 and "tag_id" in found[0].message and "sync() fails" in found[0].message
    # a table-level list replaces both @Index: each is a warning, neither is in the schema
    table = "{ tableName: 'taggings', indexes: [{ fields: ['label'] }] }"
    text, found = read(table)
    assert [(f.code, f.severity) for f in found] == [("DB074", "warning")] * 2
    read_schema = read_models(
        {"/p/models/tagging.ts": _DECORATED.format(table=table)}, "postgres"
    ).schema
    assert [i.name for i in read_schema.table("taggings").indexes] == ["taggings_label"]
    assert read_schema.table("taggings").indexes[0].unique is False


def test_a_sequelizerc_pointing_outside_the_project_is_not_followed(tmp_path: Path) -> None:
    """Robustness issue, item 7: `.sequelizerc`'s paths never send schemasense outside the
    project (an absolute path, `..` above it); the project's own config file is read instead."""
    root, outside = tmp_path / "app", tmp_path / "outside"
    (root / "config").mkdir(parents=True)
    outside.mkdir()
    (outside / "config.json").write_text('{"development": {"dialect": "mysql"}}')
    (root / "config" / "config.json").write_text('{"development": {"dialect": "sqlite"}}')
    (root / "package.json").write_text('{"dependencies": {"sequelize": "^6"}}')
    for config in ("../outside/config.json", str(outside / "config.json")):
        (root / ".sequelizerc").write_text(
            "const path = require('path');\n"
            f"module.exports = {{ config: path.resolve({config!r}),\n"
            "  'models-path': path.resolve('../outside/models') };\n"
        )
        read: list[str] = []

        def text_of(path: str, read: list[str] = read) -> str | None:
            read.append(path)
            return _text(path)

        setup = detect(str(root), text_of, [])
        assert setup is not None
        assert not [p for p in read if str(outside) in p], read
        assert setup.dialect == "sqlite" and setup.config_file == str(
            root / "config" / "config.json"
        )
        assert all(str(outside) not in d for d in setup.models_dirs), setup.models_dirs


def test_a_refused_sequelizerc_path_is_a_warning_on_its_value(tmp_path: Path) -> None:
    """Robustness issue, item 7: the refused path is not silent: a DB070 warning on the value
    in `.sequelizerc`, saying which key, why (absolute, or above the project) and that it was
    not read; a path inside the project gives none."""
    root = tmp_path / "app"
    absolute = str(tmp_path / "outside" / "config.json")
    rc = (
        "const path = require('path');\n"
        f"module.exports = {{ config: {absolute!r},\n"
        "  'models-path': path.resolve('..', 'outside', 'models'),\n"
        "  'migrations-path': path.resolve('db', 'migrations') };\n"
    )
    texts = {
        str(root / "package.json"): '{"dependencies": {"sequelize": "^6"}}',
        str(root / ".sequelizerc"): rc,
    }
    read = SequelizeSource().read(texts)
    refused = [f for f in read.findings if "refused" in f.message]
    assert [f.code for f in refused] == ["DB070", "DB070"]
    rc_path = str(root / ".sequelizerc")
    assert all(f.severity == "warning" and f.span.file == rc_path for f in refused)
    by_key = {f.message.split("`")[1]: f for f in refused}
    assert set(by_key) == {"config", "models-path"}
    config, models = by_key["config"], by_key["models-path"]
    assert "is absolute" in config.message and "outside the project" in config.message
    assert rc[config.span.start : config.span.end] == repr(absolute)
    assert "goes above the project folder" in models.message
    assert rc[models.span.start : models.span.end] == "path.resolve('..', 'outside', 'models')"
