"""Soft delete in the query readers and the judgement.

TypeORM adds `<deleteDateColumn> IS NULL` to every select of an entity with a
`@DeleteDateColumn` (find*, count, exist, sum..., the QueryBuilder's main alias, and each join's
condition) unless `withDeleted`; Sequelize adds `<deletedAt column> IS NULL` to the finds,
counts, aggregates, updates and soft destroys of a `paranoid` model (and each include of one)
unless `paranoid: false` (`force: true` for destroy). The sources mark the column
(`Table.soft_delete`); the readers add the filter (`ColumnFilter.soft_delete`); a partial index
`WHERE <column> IS NULL` then serves the query, and an index that narrows the other filters
serves it without the column in its key. tests/verify/test_query_chain_explain.py checks the
same against PostgreSQL's EXPLAIN of the ORMs' own SQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.codegen.queries.model import Query
from schemasense.codegen.queries.serve import judge
from schemasense.codegen.schema import Schema
from schemasense.server.queries.sequelize import read_sequelize_queries
from schemasense.server.queries.typeorm import read_typeorm_queries
from schemasense.server.sources.sequelize.source import SequelizeSource
from schemasense.server.sources.typeorm.reader import read_typeorm
from schemasense.server.sources.typescript import read_module

ENTITIES = """
import { Entity, PrimaryGeneratedColumn, Column, DeleteDateColumn, Index } from "typeorm";
import { ManyToOne } from "typeorm";

@Entity()
@Index(["email"], { unique: true, where: '"removed" IS NULL' })
export class Account {
  @PrimaryGeneratedColumn() id: number;
  @Column() email: string;
  @Column() name: string;
  @DeleteDateColumn({ name: "removed" }) removedAt: Date | null;
}

@Entity()
export class Note {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column() slug: string;
  @Column() body: string;
  @ManyToOne(() => Account) owner: Account;
}
"""

TS_HEADER = (
    'import { IsNull, Repository } from "typeorm";\n'
    'import { Account, Note } from "./entities";\n'
    "declare const accounts: Repository<Account>;\n"
    "declare const notes: Repository<Note>;\n"
)


@pytest.fixture(scope="module")
def typeorm_schema() -> Schema:
    texts = {
        "/p/package.json": '{"dependencies": {"typeorm": "^0.3.20", "pg": "^8"}}',
        "/p/src/entities.ts": ENTITIES,
    }
    schema = read_typeorm(texts).schema
    names = {"account": "Account", "note": "Note"}
    tables = [t.model_copy(update={"model_name": names.get(t.name)}) for t in schema.tables]
    return schema.model_copy(update={"tables": tables})


def _typeorm(schema: Schema, code: str) -> list[Query]:
    return read_typeorm_queries(read_module("/p/src/q.ts", TS_HEADER + code), schema)


def _where(query: Query) -> list[list[tuple[str, str, bool]]]:
    return [[(f.column, f.kind, f.soft_delete) for f in b.filters] for b in query.where]


GONE = ("removed", "is_null", True)


def test_typeorm_marks_the_delete_date_column(typeorm_schema: Schema) -> None:
    account = typeorm_schema.table("account")
    note = typeorm_schema.table("note")
    assert account is not None and note is not None
    assert (account.soft_delete, note.soft_delete) == ("removed", None)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('accounts.findOneBy({ email: "a" })', [[("email", "equal", False), GONE]]),
        (
            'accounts.find({ where: [{ email: "a" }, { name: "b" }] })',
            [
                [("email", "equal", False), GONE],
                [("name", "equal", False), GONE],
            ],
        ),
        ("accounts.count()", [[GONE]]),
        ('accounts.exists({ where: { name: "b" } })', [[("name", "equal", False), GONE]]),
        ('accounts.sum("id", { name: "b" })', [[("name", "equal", False), GONE]]),
        # the code's own IsNull() on the column is the same condition
        ("accounts.findBy({ removedAt: IsNull() })", [[GONE]]),
        # withDeleted, and the writes, get none
        (
            'accounts.find({ where: { email: "a" }, withDeleted: true })',
            [[("email", "equal", False)]],
        ),
        ('accounts.update({ email: "a" }, { name: "b" })', [[("email", "equal", False)]]),
        ('accounts.softDelete({ email: "a" })', [[("email", "equal", False)]]),
        ('accounts.delete({ email: "a" })', [[("email", "equal", False)]]),
        # an entity with no @DeleteDateColumn gets none
        ('notes.findBy({ slug: "x" })', [[("slug", "equal", False)]]),
        # the QueryBuilder: the main alias, unless .withDeleted()
        (
            'accounts.createQueryBuilder("a").where("a.email = :e", { e }).getOne()',
            [[("email", "equal", False), GONE]],
        ),
        (
            'accounts.createQueryBuilder("a").withDeleted().where("a.email = :e", { e }).getMany()',
            [[("email", "equal", False)]],
        ),
    ],
)
def test_typeorm_reads_get_the_soft_delete_filter(
    typeorm_schema: Schema, code: str, expected: list
) -> None:
    [query] = [q for q in _typeorm(typeorm_schema, code + ";") if q.implied_by is None]
    assert _where(query) == expected


def test_typeorm_joins_of_a_soft_deleted_entity(typeorm_schema: Schema) -> None:
    """SelectQueryBuilder.join puts the target's `IS NULL` in the join's condition."""
    found = _typeorm(
        typeorm_schema,
        'notes.find({ where: { slug: "x" }, relations: { owner: true } });\n'
        'notes.find({ where: { slug: "x" }, relations: ["owner"], withDeleted: true });\n'
        'notes.createQueryBuilder("n").leftJoinAndSelect("n.owner", "o").getMany();\n'
        'notes.createQueryBuilder("n").leftJoin("n.owner", "o").withDeleted().getMany();\n',
    )
    owners = [_where(q) for q in found if q.implied_by is not None]
    assert owners == [
        [[("id", "equal", False), GONE]],
        [[("id", "equal", False)]],
        [[("id", "equal", False), GONE]],
        [[("id", "equal", False)]],
    ]


def test_a_partial_index_on_the_soft_delete_column_serves(typeorm_schema: Schema) -> None:
    """The unique index on email `WHERE "removed" IS NULL` serves `findOneBy({ email })`, as
    TypeORM sends it; with `withDeleted` the predicate is not implied, and no index serves."""
    account = typeorm_schema.table("account")
    assert account is not None
    [kept, every] = [
        q
        for q in _typeorm(
            typeorm_schema,
            'accounts.findOneBy({ email: "a" });\n'
            'accounts.findOne({ where: { email: "a" }, withDeleted: true });\n',
        )
    ]
    served = judge(kept, account, "postgresql")
    assert served.verdict == "served", served.reasons
    assert [u.index for u in served.uses] == [account.indexes[0].name]
    assert judge(every, account, "postgresql").verdict == "not_served"


def test_the_soft_delete_filter_is_not_required_of_an_index(typeorm_schema: Schema) -> None:
    """`name = ? AND removed IS NULL` with an index on name only is served (the rows the index
    finds are checked for `removed`); a count with no other filter is judged as no filter; a
    filter the code writes itself is still required."""
    account = typeorm_schema.table("account")
    assert account is not None
    with_name = account.model_copy(
        update={
            "indexes": [
                *account.indexes,
                account.indexes[0].model_copy(
                    update={
                        "name": "account_name",
                        "unique": False,
                        "predicate": None,
                        "columns": [
                            account.indexes[0].columns[0].model_copy(update={"column": "name"})
                        ],
                    }
                ),
            ]
        }
    )
    by_name, count, own = _typeorm(
        typeorm_schema,
        'accounts.findBy({ name: "b" });\naccounts.count();\n'
        'accounts.findBy({ name: "b", id: 3 });\n',
    )
    judged = judge(by_name, with_name, "postgresql")
    assert (judged.verdict, [u.index for u in judged.uses]) == ("served", ["account_name"])
    assert judge(count, with_name, "postgresql").verdict == "no_filter"
    assert judge(own, with_name, "postgresql").verdict == "served"  # the primary key


# -- Sequelize ---------------------------------------------------------------------------------

MODELS = {
    "models/index.js": """
const { Sequelize, DataTypes } = require("sequelize");
const sequelize = new Sequelize("postgres://u@h/db");
const Plain = sequelize.define("Plain", { deletedAt: DataTypes.DATE }, {});
const Doc = sequelize.define("Doc", { slug: DataTypes.STRING }, {
  paranoid: true,
  indexes: [{ unique: true, fields: ["slug"], where: { deletedAt: null } }],
});
const Renamed = sequelize.define("Renamed", { slug: DataTypes.STRING }, {
  paranoid: true, deletedAt: "removedAt",
});
const Under = sequelize.define("Under", { slug: DataTypes.STRING }, {
  paranoid: true, underscored: true,
});
const Field = sequelize.define("Field", {
  slug: DataTypes.STRING,
  deletedAt: { type: DataTypes.DATE, field: "gone_on" },
}, { paranoid: true });
const NoStamps = sequelize.define("NoStamps", { slug: DataTypes.STRING }, {
  paranoid: true, timestamps: false,
});
module.exports = { sequelize, Plain, Doc, Renamed, Under, Field, NoStamps };
""",
    "package.json": '{"dependencies": {"sequelize": "^6", "pg": "^8"}}',
}


class _Files:
    def text_of(self, path: str) -> str | None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except OSError:
            return None

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(str(p) for p in Path(root).rglob("*") if p.name.endswith(suffixes)))


@pytest.fixture(scope="module")
def sequelize_schema(tmp_path_factory: pytest.TempPathFactory) -> Schema:
    root = tmp_path_factory.mktemp("paranoid")
    for name, text in MODELS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    source = SequelizeSource()
    (unit,) = source.find_units(str(root), _Files())
    texts = {p: Path(p).read_text(encoding="utf-8") for p in unit.files if Path(p).exists()}
    return source.read(texts).schema


def test_sequelize_marks_the_paranoid_column(sequelize_schema: Schema) -> None:
    marks = {t.model_name: t.soft_delete for t in sequelize_schema.tables}
    assert marks == {
        "Plain": None,  # a deletedAt attribute without paranoid: Sequelize filters nothing
        "Doc": "deletedAt",
        "Renamed": "removedAt",
        "Under": "deleted_at",
        "Field": "gone_on",
        "NoStamps": None,  # paranoid needs timestamps
    }


def _sequelize(schema: Schema, code: str) -> list[Query]:
    header = "const { Plain, Doc, Renamed, Under, Field } = require('./models');\n"
    return read_sequelize_queries(read_module("/p/q.js", header + code), schema)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            'Doc.findAll({ where: { slug: "a" } })',
            [[("slug", "equal", False), ("deletedAt", "is_null", True)]],
        ),
        ("Doc.count()", [[("deletedAt", "is_null", True)]]),
        (
            'Doc.update({ slug: "b" }, { where: { slug: "a" } })',
            [[("slug", "equal", False), ("deletedAt", "is_null", True)]],
        ),
        (
            'Doc.destroy({ where: { slug: "a" } })',
            [[("slug", "equal", False), ("deletedAt", "is_null", True)]],
        ),
        ('Doc.destroy({ where: { slug: "a" }, force: true })', [[("slug", "equal", False)]]),
        ('Doc.findAll({ where: { slug: "a" }, paranoid: false })', [[("slug", "equal", False)]]),
        ('Doc.increment("slug", { where: { slug: "a" } })', [[("slug", "equal", False)]]),
        ('Doc.restore({ where: { slug: "a" } })', [[("slug", "equal", False)]]),
        ("Plain.findAll({ where: { deletedAt: null } })", [[("deletedAt", "is_null", False)]]),
        (
            'Renamed.findOne({ where: { slug: "a" } })',
            [[("slug", "equal", False), ("removedAt", "is_null", True)]],
        ),
        (
            'Under.findAll({ where: { slug: "a" } })',
            [[("slug", "equal", False), ("deleted_at", "is_null", True)]],
        ),
        (
            'Field.findAll({ where: { slug: "a" } })',
            [[("slug", "equal", False), ("gone_on", "is_null", True)]],
        ),
    ],
)
def test_sequelize_reads_get_the_paranoid_filter(
    sequelize_schema: Schema, code: str, expected: list
) -> None:
    [query] = [q for q in _sequelize(sequelize_schema, code + ";") if q.implied_by is None]
    assert _where(query) == expected


def test_sequelize_includes_of_a_paranoid_model() -> None:
    """samples/sequelize-js: User hasMany Post (`paranoid: true`) as `posts`; `_paranoidClause`
    runs on each include with its own options."""
    root = Path(__file__).resolve().parents[3] / "samples" / "sequelize-js"
    source = SequelizeSource()
    (unit,) = source.find_units(str(root), _Files())
    texts = {p: Path(p).read_text(encoding="utf-8") for p in unit.files if Path(p).exists()}
    schema = source.read(texts).schema
    code = (
        "const { User, Post } = models;\n"
        'User.findAll({ include: [{ model: Post, as: "posts" }] });\n'
        'User.findAll({ include: [{ model: Post, as: "posts", paranoid: false }] });\n'
    )
    found = read_sequelize_queries(read_module("/p/q.js", code), schema)
    posts = [_where(q) for q in found if q.implied_by is not None]
    assert posts == [
        [[("authorId", "equal", False), ("deletedAt", "is_null", True)]],
        [[("authorId", "equal", False)]],
    ]


def test_sequelize_partial_unique_index_serves(sequelize_schema: Schema) -> None:
    doc = next(t for t in sequelize_schema.tables if t.model_name == "Doc")
    [query] = _sequelize(sequelize_schema, 'Doc.findOne({ where: { slug: "a" } });')
    judged = judge(query, doc, "postgresql")
    assert judged.verdict == "served", judged.reasons
