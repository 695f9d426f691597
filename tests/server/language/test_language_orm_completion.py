"""Completion in TypeORM entity and Sequelize model text as it is typed (`code_context.py`,
`orm_completion.py`): one line per context; `|` marks the cursor."""

from __future__ import annotations

import pytest
from schemasense.codegen.orms.sequelize.types import KEYS
from schemasense.codegen.orms.typeorm.types import SUPPORTED
from schemasense.server.language.code_context import at_key, context_at
from schemasense.server.language.orm_completion import (
    ACTIONS,
    ATTRIBUTE_OPTIONS,
    COLUMN_OPTIONS,
    INDEX_KEYS,
    INDEX_OPTIONS,
    MODEL_OPTIONS,
    REFERENCES_KEYS,
    RELATION_OPTIONS,
    sequelize,
    typeorm,
)


def _at(marked: str) -> tuple[str, int]:
    offset = marked.index("|")
    return marked.replace("|", "", 1), offset


def _typeorm(marked: str, family="postgres"):
    text, offset = _at(marked)
    return typeorm(family, text, offset)


def _sequelize(marked: str, dialect="postgres"):
    text, offset = _at(marked)
    return sequelize(dialect, text, offset)


def _labels(answer) -> list[str]:
    return [i.label for i in answer.items]


# -- the context ----------------------------------------------------------------------------------


def test_context_frames_keys_and_strings():
    text, offset = _at("@ManyToOne(() => User, (u) => u.posts, { nullable: false, onDelete: '|")
    ctx = context_at(text, offset)
    call, options = ctx.frame(1), ctx.frame()
    assert call.char == "(" and call.head == "@ManyToOne" and call.index == 2
    assert (
        options.char == "{"
        and options.key == "onDelete"
        and options.keys
        == [
            "nullable",
            "onDelete",
        ]
    )
    assert ctx.string == "'" and ctx.word_start == offset


def test_context_skips_strings_comments_and_closed_brackets():
    text, offset = _at('f("a(", `b{`, /* ( */ g(1)) // (\n@Column({ |')
    ctx = context_at(text, offset)
    assert [f.head for f in ctx.frames] == ["@Column", ""] and at_key(ctx)
    text, offset = _at("// @Column({ type: '|")
    assert context_at(text, offset).frames == []


def test_context_nested_object_takes_its_key_as_head():
    text, offset = _at("Post.init({ title: { type: DataTypes.TEXT, |")
    ctx = context_at(text, offset)
    assert ctx.frame().head == "title" and ctx.frame(2).callee == "init" and at_key(ctx)


# -- TypeORM --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marked",
    [
        'class A {\n  @Column({ type: "|" })\n  a: string;\n}',
        "class A {\n  @Column('|')\n  a: string;\n}",
        "class A {\n  @PrimaryColumn({ length: 10, type: 'var|' })\n  a: string;\n}",
        "class A {\n  @CreateDateColumn({ type: '|' })\n  at: Date;\n}",
    ],
)
def test_typeorm_column_types_are_the_drivers(marked: str):
    for family in ("postgres", "mysql", "sqlite"):
        answer = _typeorm(marked, family)
        assert set(_labels(answer)) == SUPPORTED[family]
    assert "timestamptz" in _labels(_typeorm(marked, "postgres"))
    assert "timestamptz" not in _labels(_typeorm(marked, "sqlite"))
    assert "mediumtext" in _labels(_typeorm(marked, "mysql"))


def test_typeorm_types_replace_what_is_typed_in_the_string():
    text, offset = _at("  @Column({ type: 'var|' })")
    answer = typeorm("postgres", text, offset)
    assert (answer.start, answer.end) == (text.index("var"), offset)


def test_typeorm_option_keys_by_decorator_without_those_written():
    keys = _labels(_typeorm("class A {\n  @Column({ nullable: true, | })\n  a: string;\n}"))
    assert set(keys) == set(COLUMN_OPTIONS) - {"nullable"}
    assert set(_labels(_typeorm("@Index(['a', 'b'], { | })\nclass A {}"))) == set(INDEX_OPTIONS)
    relation = "class A {\n  @ManyToOne(() => User, (u) => u.posts, { onDelete: 'CASCADE', | })"
    assert set(_labels(_typeorm(relation))) == set(RELATION_OPTIONS) - {"onDelete"}
    assert _labels(_typeorm("class A {\n  @JoinColumn({ | })")) == [
        "name",
        "referencedColumnName",
        "foreignKeyConstraintName",
    ]
    item = _typeorm("class A {\n  @Column({ len| })").items[0]
    assert item.insert == f"{item.label}: "


def test_typeorm_values_before_their_quotes_come_with_quotes():
    answer = _typeorm("class A {\n  @Column({ nullable: true, type: ti| })\n  a: Date;\n}")
    item = next(i for i in answer.items if i.label == "timestamptz")
    assert item.insert == '"timestamptz"' and answer.end - answer.start == 2
    answer = _typeorm("class A {\n  @ManyToOne(() => User, { onDelete: | })\n  u: User;\n}")
    assert [i.insert for i in answer.items][:2] == ['"CASCADE"', '"SET NULL"']
    assert _typeorm("class A {\n  @Column({ type: 'a' + | })\n  a: Date;\n}").items == []


def test_typeorm_values():
    on_delete = "class A {\n  @ManyToOne(() => User, { onDelete: '|' })\n  u: User;\n}"
    assert _labels(_typeorm(on_delete)) == list(ACTIONS)
    strategy = "class A {\n  @PrimaryGeneratedColumn('|')\n  id: string;\n}"
    assert _labels(_typeorm(strategy)) == ["increment", "uuid", "rowid", "identity"]


@pytest.mark.parametrize(
    "marked",
    [
        "// @Column({ type: '|' })",
        "class A {\n  @Column({ type: 'text' })\n  a|: string;\n}",
        "const x = { type: '|' };",
        "class A {\n  @Column({ comment: '|' })\n  a: string;\n}",
        "class A {\n  @Column({ type: 'text', default: | })\n  a: string;\n}",
    ],
)
def test_typeorm_nothing_elsewhere(marked: str):
    assert _typeorm(marked).items == []


# -- Sequelize ------------------------------------------------------------------------------------


def test_sequelize_data_types_per_dialect():
    marked = "Post.init({ title: { type: DataTypes.| } }, { sequelize })"
    postgres = _labels(_sequelize(marked, "postgres"))
    mysql = _labels(_sequelize(marked, "mysql"))
    assert "JSONB" in postgres and "JSONB" not in mysql
    assert "MEDIUMINT" in mysql and "MEDIUMINT" not in postgres
    assert {"NOW", "UUIDV4"} <= set(postgres) and set(postgres) <= set(KEYS) | {
        "NOW",
        "UUIDV1",
        "UUIDV4",
    }
    typed = _sequelize("sequelize.define('a', { t: Sequelize.STR| })")
    assert "STRING" in _labels(typed) and typed.end - typed.start == 3


def test_sequelize_attribute_option_keys():
    init = "Post.init({\n  title: {\n    type: DataTypes.STRING,\n    all|\n  }\n}, { sequelize })"
    assert set(_labels(_sequelize(init))) == set(ATTRIBUTE_OPTIONS) - {"type"}
    define = "sequelize.define('Post', {\n  title: { | }\n})"
    assert set(_labels(_sequelize(define))) == set(ATTRIBUTE_OPTIONS)
    decorator = "@Table\nclass Post extends Model {\n  @Column({ | })\n  title: string;\n}"
    assert set(_labels(_sequelize(decorator))) == set(ATTRIBUTE_OPTIONS)


def test_sequelize_migration_calls_take_the_attribute_keys():
    create = "await queryInterface.createTable('Posts', {\n  id: { type: Sequelize.INTEGER, | }"
    assert set(_labels(_sequelize(create))) == set(ATTRIBUTE_OPTIONS) - {"type"}
    add = "await queryInterface.addColumn('Posts', 'views', { type: Sequelize.BIGINT, | })"
    assert set(_labels(_sequelize(add))) == set(ATTRIBUTE_OPTIONS) - {"type"}
    assert _sequelize("await queryInterface.addColumn('Posts', { | })").items == []
    types = "await queryInterface.changeColumn('Posts', 'views', { type: Sequelize.| })"
    assert "BIGINT" in _labels(_sequelize(types))


def test_sequelize_model_index_and_references_keys():
    options = "Post.init({ title: DataTypes.TEXT }, { sequelize, | })"
    assert set(_labels(_sequelize(options))) == set(MODEL_OPTIONS) - {"sequelize"}
    indexes = "Post.init({ title: DataTypes.TEXT }, { sequelize, indexes: [{ | }] })"
    assert set(_labels(_sequelize(indexes))) == set(INDEX_KEYS)
    references = "Post.init({ userId: { references: { model: 'Users', | } } }, { sequelize })"
    assert set(_labels(_sequelize(references))) == set(REFERENCES_KEYS) - {"model"}
    on_delete = "Post.init({ userId: { references: { model: 'Users' }, onDelete: '|' } })"
    assert _labels(_sequelize(on_delete)) == list(ACTIONS)


@pytest.mark.parametrize(
    "marked",
    [
        "Post.init({ | })",  # an attribute's name is the user's
        "Post.init({ title: { field: '|' } })",
        "const x = DataTypes|",
        "someCall({ a: { | } })",
    ],
)
def test_sequelize_nothing_elsewhere(marked: str):
    assert _sequelize(marked).items == []
