"""sequelize-cli / umzug migrations read into steps and replayed, spans in the file."""

from __future__ import annotations

from pathlib import Path

from schemasense.server.migrations.discover import read_set
from schemasense.server.migrations.model import CallPiece, MigrationFile, MigrationSet, SqlPiece
from schemasense.server.migrations.replay import replay
from schemasense.server.migrations.sequelize.reader import read_pieces

FIRST = """'use strict';
const TABLE = 'Users';
module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.createTable(TABLE, {
        id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
        email: { type: Sequelize.STRING(120), allowNull: false, unique: true },
        role: { type: Sequelize.ENUM('admin', 'user'), defaultValue: 'user' },
        createdAt: { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.fn('now') },
      }, { transaction });
      await queryInterface.sequelize.query(
        `CREATE INDEX "users_lower_email" ON "Users" (lower("email"))`, { transaction });
    });
    await Promise.all([
      queryInterface.addColumn('Users', 'name', Sequelize.TEXT),
      queryInterface.addIndex('Users', ['name', 'createdAt']),
    ]);
    return queryInterface.createTable('Posts', {
      id: { type: Sequelize.UUID, primaryKey: true },
      UserId: {
        type: Sequelize.INTEGER, references: { model: 'Users', key: 'id' }, onDelete: 'CASCADE'
      },
    }).then(() => queryInterface.addConstraint('Posts', { fields: ['UserId'], type: 'unique' }));
  },
  down: async (queryInterface) => queryInterface.dropTable('Posts'),
};
"""

SECOND = """import { addAudit } from './lib/helpers';
export async function up({ context: qi }) {
  await addAudit(qi, 'Posts');
  await qi.addColumn(tableName, 'body', { type: DataTypes.TEXT });
  await qi.sequelize.query(`ALTER TABLE \\"Posts\\" ADD COLUMN "title" text`);
}
"""

HELPERS = """export const addAudit = async (queryInterface, table) => {
  await queryInterface.addColumn(table, 'audited', { type: 'BOOLEAN', defaultValue: false });
};
"""


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    (folder / "lib").mkdir(parents=True)
    (folder / "20240101000000-create-users.js").write_text(FIRST)
    (folder / "20240102000000-audit.ts").write_text(SECOND)
    (folder / "types.d.ts").write_text("export {};")
    (folder / "lib" / "helpers.ts").write_text(HELPERS)
    return folder


def test_a_chain_is_replayed_in_the_order_and_with_the_names_sequelize_gives(tmp_path) -> None:
    folder = _project(tmp_path)
    mset = read_set(str(folder), "sequelize", dialect="postgresql")
    assert mset is not None
    assert [f.name for f in mset.files] == ["20240101000000-create-users", "20240102000000-audit"]
    result = replay(mset)
    users = result.schema.table("Users")
    assert users is not None
    assert [c.name for c in users.columns] == ["id", "email", "role", "createdAt", "name"]
    email = next(c for c in users.columns if c.name == "email")
    assert not email.nullable
    assert email.type.length == 120
    assert {i.name for i in users.indexes} >= {"users_lower_email", "users_name_created_at"}
    posts = result.schema.table("Posts")
    assert posts is not None
    assert [c.name for c in posts.columns] == ["id", "UserId", "audited", "title"]
    assert [u.name for u in posts.uniques] == ["Posts_UserId_uk"]
    assert [(fk.name, fk.referenced_table) for fk in posts.foreign_keys] == [
        ("Posts_UserId_fkey", "Users")  # PostgreSQL's own name for an inline REFERENCES
    ]
    unread = [f for f in result.findings if f.code == "DB050"]
    assert len(unread) == 1 and "tableName" in unread[0].message


def test_every_step_is_where_it_is_in_the_file(tmp_path) -> None:
    folder = _project(tmp_path)
    result = replay(read_set(str(folder), "sequelize", dialect="postgresql"))
    for file in result.files:
        text = file.file.up_text
        for record in file.statements:
            assert 0 <= record.span.start <= record.span.end <= len(text)
            assert text[record.span.start : record.span.end] == record.text
    first = result.files[0].statements
    assert first[0].text.startswith("queryInterface.createTable(TABLE")
    assert [r.source for r in first] == ["call", "sql", "call", "call", "call", "call"]
    audit = result.files[1].statements
    assert audit[0].text.startswith("addAudit(qi, 'Posts')")  # the helper's step, at its call
    # escapes (`\\"`) keep the SQL's statements where their characters are in the file
    assert audit[-1].text == 'ALTER TABLE \\"Posts\\" ADD COLUMN "title" text'


def test_pieces_of_sql_and_calls() -> None:
    pieces = read_pieces("/p/1-a.js", FIRST, "postgresql", lambda _p: None)
    kinds = [type(p).__name__ for p in pieces]
    assert kinds == ["CallPiece", "SqlPiece", "CallPiece", "CallPiece", "CallPiece", "CallPiece"]
    sql = pieces[1]
    assert isinstance(sql, SqlPiece)
    assert FIRST[sql.offset : sql.offset + len(sql.text)] == sql.text
    assert all(isinstance(p, CallPiece) and p.error is None for p in pieces if p is not sql)


def test_a_data_step_is_opaque_and_a_file_without_up_is_a_finding() -> None:
    text = "module.exports = { up: (q) => q.bulkInsert('Users', [{ id: 1 }]) };"
    (piece,) = read_pieces("/p/1-a.js", text, "sqlite", lambda _p: None)
    assert isinstance(piece, CallPiece) and piece.opaque and piece.kind == "insert"
    (piece,) = read_pieces("/p/1-b.js", "module.exports = {};", "sqlite", lambda _p: None)
    assert isinstance(piece, CallPiece) and piece.error is not None


LOOPS = """import { MigrationUtils } from "../utils/migration";
const tables = { apps: ["appGuid"], runs: [] } as const;
const run = async ({ size, queryInterface }) => {
  const dialect = MigrationUtils.getDialect(queryInterface);
  const widen = async (table, column) => {
    if (dialect !== "sqlite") {
      await queryInterface.sequelize.query(
        `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE varchar(${size})`);
    } else {
      await queryInterface.changeColumn(table, column, { type: DataTypes.STRING(191) });
    }
  };
  for (const [table, columns] of Object.entries(tables)) {
    await queryInterface.renameColumn(table, "guid", "id");
    for (const j in columns) {
      const [before, after] = [columns[j], columns[j].replace("Guid", "Id")];
      await queryInterface.renameColumn(table, before, after);
      await widen(table, after);
    }
  }
};
export default { up: async (queryInterface) => { await run({ size: 191, queryInterface }); } };
"""

UTILS = """export namespace MigrationUtils {
  export function getOption(q, name) { return q.sequelize["options"][name]; }
  export function getDialect(q) { return getOption(q, "dialect"); }
}
"""


def test_loops_over_known_values_closures_and_the_dialect_are_followed(tmp_path) -> None:
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "migration.ts").write_text(UTILS)
    path = tmp_path / "migrations" / "000001-rename.ts"
    path.parent.mkdir()
    path.write_text(LOOPS)

    def text_of(p: str) -> str | None:
        return Path(p).read_text() if Path(p).is_file() else None

    for dialect in ("postgresql", "sqlite"):
        pieces = read_pieces(str(path), LOOPS, dialect, text_of)
        assert all(getattr(p, "error", None) is None for p in pieces), pieces
        renames = [p for p in pieces if isinstance(p, CallPiece) and p.kind == "alter_table"]
        said = [LOOPS[p.start : p.end].split("(")[0] for p in pieces if isinstance(p, CallPiece)]
        # apps: guid -> id, appGuid -> appId (+ widened); runs: guid -> id
        assert said.count("queryInterface.renameColumn") == 3
        widened = [p for p in pieces if _start(p) > LOOPS.index("const widen")]
        widened = [p for p in widened if _start(p) < LOOPS.index("for (const [")]
        assert len(widened) == 1, pieces  # the branch of the dialect only
        if dialect == "sqlite":
            assert LOOPS[_start(widened[0]) :].startswith("queryInterface.changeColumn")
        else:
            assert isinstance(widened[0], SqlPiece) or "ALTER TABLE" in LOOPS[_start(widened[0]) :]
        assert renames


def _start(piece) -> int:
    return piece.start if isinstance(piece, CallPiece) else piece.offset


MORE = """const { Op } = require('sequelize');
const TABLES = [{ name: 'Orders', missing: ['createdAt'], seed: false }];
const backfill = (table) => `UPDATE "${table}" SET "x" = 1`;
module.exports = {
  async up(queryInterface, Sequelize) {
    const base = { type: Sequelize.DATE, defaultValue: Sequelize.NOW };
    for (const table of TABLES) {
      if (table.seed) {
        await queryInterface.sequelize.query(`UPDATE "${table.name}" SET "seeded" = true`);
      }
      await Promise.all(
        table.missing.map((column) =>
          queryInterface.changeColumn(table.name, column, { ...base, allowNull: false }),
        ),
      );
    }
    await queryInterface.sequelize.query(backfill('Orders'));
    await queryInterface.addIndex('Orders', ['SubscriptionId'], {
      where: { deletedAt: null, SubscriptionId: { [Sequelize.Op.ne]: null } },
    });
  },
};
"""


ORDERS = (
    'CREATE TABLE "Orders" ("id" serial PRIMARY KEY, "createdAt" timestamptz, '
    '"deletedAt" timestamptz, "SubscriptionId" integer);'
)


def test_callbacks_spreads_sql_builders_and_operator_conditions() -> None:
    pieces = read_pieces("/p/1-a.js", MORE, "postgresql", lambda _p: None)
    assert [getattr(p, "error", None) for p in pieces] == [None] * len(pieces)
    kinds = [(type(p).__name__, p.kind if isinstance(p, CallPiece) else "sql") for p in pieces]
    # `table.seed` is false: no seeding; the map over `missing` once; the builder's UPDATE
    assert kinds == [
        ("CallPiece", "alter_table"),
        ("CallPiece", "update"),
        ("CallPiece", "create_index"),
    ]
    assert MORE[_start(pieces[1]) :].startswith('UPDATE "${table}"')  # in the builder
    (index,) = [p for p in pieces if isinstance(p, CallPiece) and p.kind == "create_index"]
    (op,) = index.ops
    assert op.index.name == "orders__subscription_id"  # Utils.nameIndex: underscore()
    first = MigrationFile("/p/0-orders.sql", "0", "0", ORDERS)
    second = MigrationFile("/p/1-a.js", "1", "1", MORE, pieces=pieces)
    schema = replay(MigrationSet("sequelize", "postgresql", "/p", [first, second])).schema
    (built,) = schema.table("Orders").indexes
    assert built.predicate.replace("(", "").replace(")", "") == (
        '"deletedAt" IS NULL AND "SubscriptionId" IS NOT NULL'
    )
    change = [p for p in pieces if isinstance(p, CallPiece) and p.kind == "alter_table"]
    assert change, pieces


def test_named_replacements_are_read_as_literals_of_the_same_length() -> None:
    from schemasense.server.migrations.sequelize.calls import named_as_literals

    sql = "UPDATE \"x\" SET a = :val WHERE b = '10:30' AND c::text = :id -- :c"
    said = named_as_literals(sql)
    assert said == "UPDATE \"x\" SET a = '__' WHERE b = '10:30' AND c::text = '_' -- :c"
    assert len(said) == len(sql)
    text = (
        "module.exports = { up: (q) => q.sequelize.query("
        '\'UPDATE "Users" SET "name" = :name\', { replacements: { name: 1 } }) };'
    )
    (piece,) = read_pieces("/p/1-a.js", text, "postgresql", lambda _p: None)
    assert isinstance(piece, SqlPiece) and "'___'" in piece.text
    result = replay(MigrationSet("sequelize", "postgresql", "/p", [
        MigrationFile("/p/1-a.js", "1", "1", text, pieces=(piece,))
    ]))  # fmt: skip
    assert not [f for f in result.findings if f.code == "DB050"]


def test_a_changed_helper_is_read_again_though_the_migration_is_the_same(tmp_path) -> None:
    """The tool keeps a file's steps with the texts of the helpers it read (the tool is a
    module global: its cache must be a pure function of everything it read)."""
    folder = _project(tmp_path)
    columns = [
        c.name for c in replay(read_set(str(folder), "sequelize")).schema.table("Posts").columns
    ]
    assert "audited" in columns
    (folder / "lib" / "helpers.ts").write_text(HELPERS.replace("'audited'", "'checked'"))
    columns = [
        c.name for c in replay(read_set(str(folder), "sequelize")).schema.table("Posts").columns
    ]
    assert "checked" in columns and "audited" not in columns
