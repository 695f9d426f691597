"""Sequelize models written from the schema model read back to the same schema.

The cheap proof (no database, no Node): a model set is read by our Sequelize source, written
again by `codegen/emit/models/sequelize.py` in every flavour (sequelize-cli's CommonJS, ES
modules, TypeScript `Model.init` with `declare` fields, sequelize-typescript decorators), and the
written models are read again: tables, columns (order, types, nullability, defaults,
auto-increment), primary keys, foreign keys with their actions, uniques and indexes, all by
name, must be equal (`server.verify.compare`). The Node and database proofs are in
tests/verify/test_sequelize_generated_models.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.codegen.emit.models.sequelize import sequelize_flavour, sequelize_model_files
from schemasense.codegen.emit.models.sequelize_types import js_default, js_type
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.schema import Column, ColumnType, Default, Schema
from schemasense.server.sources.sequelize.reader import read_models
from schemasense.server.sources.sequelize.source import SequelizeSource
from schemasense.server.verify.compare import compare, format_differences

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "samples" / "sequelize-js" / "models"
FLAVOURS = {
    "cjs": (CodeStyle(language="js", module="commonjs"), "init"),
    "esm": (CodeStyle(language="js", module="esm", quote="'", semicolons=False), "init"),
    "ts-init": (CodeStyle(language="ts", indent="    "), "init"),
    "ts-decorators": (CodeStyle(language="ts", file_case="pascal"), "typescript"),
}


def _sample_texts() -> dict[str, str]:
    return {str(p): p.read_text() for p in sorted(SAMPLE.glob("*.js")) if p.name != "index.js"}


def _round_trip(schema: Schema, dialect: str, flavour: str, define: dict | None = None):
    style, kind = FLAVOURS[flavour]
    files = sequelize_model_files(schema, None, style, flavour=kind, dialect=dialect, define=define)
    again = read_models({f.path: f.text for f in files}, dialect, define)
    return files, again


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_the_sample_reads_back_the_same(dialect: str, flavour: str) -> None:
    texts = _sample_texts()
    if dialect == "mysql":  # MariaDB has no JSONB (as tests/verify/test_sequelize_sync.py)
        texts = {k: v.replace("DataTypes.JSONB", "DataTypes.JSON") for k, v in texts.items()}
    read = read_models(texts, dialect)
    files, again = _round_trip(read.schema, dialect, flavour)
    assert len(files) == len(read.schema.tables) == 8
    assert again.findings == []
    differences = compare(read.schema, again.schema, provider=read.schema.provider)
    assert differences == [], format_differences(differences)


CORPUS = {"gladys/server": "sqlite", "grouparoo/core": "postgres", "opencollective-api": "postgres"}


class _Files:
    def text_of(self, path: str) -> str | None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            sorted(
                str(p)
                for p in Path(root).rglob("*")
                if p.is_file() and p.name.endswith(suffixes) and "node_modules" not in p.parts
            )
        )


@pytest.mark.corpus
@pytest.mark.parametrize("project", sorted(CORPUS))
def test_corpus_model_sets_read_back_the_same(corpus_dir: Path, project: str) -> None:
    """gladys (SQLite, `define: { underscored, freezeTableName, createdAt: "created_at" }`),
    grouparoo (sequelize-typescript), opencollective-api (TypeScript `Model.init`): 105
    tables, every flavour."""
    source = SequelizeSource()
    unit = source.find_units(str(corpus_dir / "sequelize" / project), _Files())[0]
    read = source.read({p: Path(p).read_text(encoding="utf-8") for p in unit.files})
    assert read.dialect == CORPUS[project]
    define = read.setup.define if read.setup is not None else {}
    for flavour in sorted(FLAVOURS):
        files, again = _round_trip(read.schema, read.dialect, flavour, define)
        assert len(files) == len(read.schema.tables) > 20
        assert again.findings == [], (flavour, again.findings[:3])
        differences = compare(read.schema, again.schema, provider=read.schema.provider)
        assert differences == [], (flavour, format_differences(differences, 20))


# -- one line per behaviour ------------------------------------------------------------------


def _column(native: str | None, kind: str = "string", **more) -> Column:
    return Column(name="c", type=ColumnType(kind=kind, native=native, **more))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("provider", "dialect", "native", "kind", "code", "raw"),
    [
        ("postgresql", "postgres", "character varying(320)", "string", "STRING(320)", None),
        ("postgresql", "postgres", "character varying(255)", "string", "STRING", None),
        ("postgresql", "postgres", "character(7)", "string", "CHAR(7)", None),
        ("postgresql", "postgres", "timestamp with time zone", "timestamp", "DATE", None),
        ("postgresql", "postgres", "timestamp(3) without time zone", "timestamp", None, "TIMESTAMP(3)"),  # noqa: E501
        ("postgresql", "postgres", "numeric(10,2)", "decimal", "DECIMAL(10, 2)", None),
        ("postgresql", "postgres", "double precision", "double", "DOUBLE", None),
        ("postgresql", "postgres", "bytea", "bytes", "BLOB", None),
        ("postgresql", "postgres", "integer[]", "int", "ARRAY(DataTypes.INTEGER)", None),
        ("postgresql", "postgres", "date", "date", "DATEONLY", None),
        ("mysql", "mysql", "datetime(3)", "timestamp", "DATE(3)", None),
        ("mysql", "mysql", "tinyint(1)", "boolean", "BOOLEAN", None),
        ("mysql", "mysql", "char(36) binary", "uuid", "UUID", None),
        ("mysql", "mysql", "int unsigned", "int", "INTEGER.UNSIGNED", None),
        ("mysql", "mysql", "longtext", "text", 'TEXT("long")', None),
        ("mysql", "mysql", "enum('a','b')", "enum", 'ENUM("a", "b")', None),
        ("sqlite", "sqlite", "DATETIME", "timestamp", "DATE", None),
        ("sqlite", "sqlite", "VARCHAR(255)", "string", "STRING", None),
    ],
)  # fmt: skip
def test_types(provider, dialect, native, kind, code, raw) -> None:
    t = js_type(_column(native, kind), Schema(), provider, dialect)
    assert (t.code, t.raw) == (code, raw)


@pytest.mark.parametrize(
    ("kind", "native", "default", "expected"),
    [
        ("string", "character varying(20)", "'member'::character varying", "value:member"),
        ("enum", '"enum_Users_role"', "'reader'::\"enum_Users_role\"", "value:reader"),
        ("boolean", "boolean", "true", "value:True"),
        ("int", "integer", "0", "value:0"),
        ("timestamp", "timestamp(3) without time zone", "CURRENT_TIMESTAMP", "literal:CURRENT_TIMESTAMP"),  # noqa: E501
        ("json", "jsonb", "'{}'::jsonb", "literal:'{}'::jsonb"),
        ("int", "integer", "nextval('t_id_seq'::regclass)", "none"),
    ],
)  # fmt: skip
def test_defaults(kind, native, default, expected) -> None:
    column = _column(native, kind, enum="enum_Users_role" if kind == "enum" else None)
    column = column.model_copy(
        update={
            "default": Default(kind="expression", value=default),
            "auto_increment": default.startswith("nextval"),
        }
    )
    got = js_default(column, Schema(), "postgresql", "postgres")
    text = (
        "none"
        if got is None
        else f"literal:{got.literal}"
        if got.literal is not None
        else f"value:{got.value}"
    )
    assert text == expected


def test_prisma_uuid_is_computed_by_sequelize_too() -> None:
    column = _column(None, "uuid").model_copy(
        update={"default": Default(kind="function", function="uuid")}
    )
    assert js_default(column, Schema(), "postgresql", "postgres").client == "UUIDV4"  # type: ignore[union-attr]


def test_the_code_style_is_the_projects() -> None:
    read = read_models(_sample_texts(), "postgres")
    style = CodeStyle(language="js", module="esm", quote="'", semicolons=False, indent="    ")
    files = {f.path: f.text for f in sequelize_model_files(read.schema, None, style)}
    assert "models/post-tags.js" in files and len(files) == 8
    text = files["models/post.js"]
    assert text.startswith("import { Model } from 'sequelize'\n")
    assert "export default (sequelize, DataTypes) => {" in text
    assert (
        "\n            Post.belongsTo(models.User, { as: 'author', foreignKey: 'authorId' })\n"
        in text
    )
    assert ";" not in text and '"' not in text


def test_sequelize_typescript_projects_get_decorators() -> None:
    assert sequelize_flavour({"sequelize": "6.37.8", "sequelize-typescript": "2.1.6"}) == (
        "typescript"
    )
    assert sequelize_flavour({"sequelize": "6.37.8"}) == "init"


def test_tables_are_chosen_by_table_table_name_or_model_name() -> None:
    """What `server/workflows/generate_model.py` passes: tables, or names; associations only
    between the models generated together (`references` names the table either way)."""
    schema = read_models(_sample_texts(), "postgres").schema
    files = sequelize_model_files(
        schema, [schema.table("Users"), "Posts", "Tag"], CodeStyle(language="js"), folder=""
    )
    assert [f.path for f in files] == ["user.js", "post.js", "tag.js"]
    post = files[1].text
    assert "Post.belongsTo(models.User" in post and "models.Comment" not in post
    assert 'references: { model: "Users", key: "id" }' in post


def test_what_a_model_cannot_declare_is_said_in_it() -> None:
    """A foreign key on two columns, a table without a primary key."""
    from schemasense.codegen.schema import ForeignKey, PrimaryKey, Table
    from schemasense.codegen.schema import IndexColumn as Part

    int_type = ColumnType(kind="int", native="integer")
    parent = Table(
        name="parent",
        columns=[Column(name="a", type=int_type), Column(name="b", type=int_type)],
        primary_key=PrimaryKey(columns=[Part(column="a"), Part(column="b")]),
    )
    child = Table(
        name="child",
        columns=[Column(name="a", type=int_type), Column(name="b", type=int_type)],
        foreign_keys=[
            ForeignKey(
                name="child_a_b_fkey",
                columns=["a", "b"],
                referenced_table="parent",
                referenced_columns=["a", "b"],
            )
        ],
    )
    schema = Schema(provider="postgresql", tables=[parent, child])
    text = sequelize_model_files(schema, ["child"], CodeStyle(language="js"))[0].text
    assert "// Foreign key child_a_b_fkey (a, b) -> parent (a, b) has several columns" in text
    # (Sequelize itself drops `id` then: tests/verify/test_sequelize_generated_models.py;
    # our reader does not read `removeAttribute` yet)
    assert 'Child.removeAttribute("id");' in text
