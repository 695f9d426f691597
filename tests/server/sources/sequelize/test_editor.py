"""The Sequelize editor (`sources/sequelize/editor.py`) without npm: each change on
`sequelize.define` and sequelize-typescript models (shorthand attributes, one-line arrays,
`@Column(DataType.X)`, `@Table({ ... })`), checked by reading the edited text again; and None
where the text is not written so. (Sequelize's `sync()` judges the edits in
tests/verify/test_sequelize_editor_fixes.py and test_sequelize_add_index.py.)"""

from __future__ import annotations

from schemasense.codegen.schema import ColumnType
from schemasense.server.sources.base import SchemaChange
from schemasense.server.sources.sequelize.editor import SequelizeEditor
from schemasense.server.sources.sequelize.reader import SequelizeRead, read_models

DEFINE = """const { DataTypes } = require("sequelize");
module.exports = (sequelize) => {
  const Item = sequelize.define("Item", {
    code: { type: DataTypes.STRING(20), allowNull: false, unique: "item_code_kind" },
    kind: { type: DataTypes.STRING(10), allowNull: false, unique: "item_code_kind" },
    price: DataTypes.FLOAT,
    note: DataTypes.TEXT,
  }, { timestamps: false, indexes: [{ fields: ["kind"] }, { fields: ["kind", "price"] }] });
  Item.removeAttribute("id");
  return Item;
};
"""
SHARED = """const { DataTypes } = require("sequelize");
const common = { timestamps: false };
module.exports = (sequelize) =>
  sequelize.define("Thing", { name: DataTypes.STRING }, { ...common, tableName: "things" });
"""
TYPED = """import { Column, DataType, Model, Table } from "sequelize-typescript";

@Table({ tableName: "gauges", indexes: [{ name: "gauges_label", fields: ["label"] }] })
export class Gauge extends Model {
  @Column(DataType.STRING(40))
  declare label: string;

  @Column(DataType.FLOAT)
  declare totalCost: number;

  @Column(DataType.DATE)
  declare modifiedOn: Date;
}
"""


def _read(texts: dict[str, str], dialect: str = "postgres") -> SequelizeRead:
    read = read_models(texts, dialect)
    assert [f for f in read.findings if f.severity == "error"] == [], read.findings
    return read


def _apply(texts: dict[str, str], *changes: SchemaChange | None) -> dict[str, str]:
    assert all(c is not None for c in changes)
    edits = [e for c in changes if c is not None for e in c.edits]
    out = dict(texts)
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        text = out[edit.span.file]
        out[edit.span.file] = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    return out


def _editor(texts: dict[str, str], dialect: str = "postgres"):  # type: ignore[no-untyped-def]
    read = _read(texts, dialect)
    return read, SequelizeEditor(read.declared, texts, read.schema.tables)


def test_define_a_shared_unique_becomes_a_composite_primary_key():
    texts = {"/p/models/item.js": DEFINE}
    read, editor = _editor(texts)
    items = read.schema.table("Items")
    assert items is not None and items.primary_key is None and len(items.uniques) == 1
    change = editor.make_primary_key(items, items.uniques[0])
    edited = _apply(texts, change)["/p/models/item.js"]
    assert "code: { type: DataTypes.STRING(20), allowNull: false, primaryKey: true }" in edited
    again = _read({"/p/models/item.js": edited}).schema.table("Items")
    assert again is not None and again.uniques == []
    assert [c.column for c in again.primary_key.columns] == ["code", "kind"]  # type: ignore[union-attr]


def test_define_type_name_and_index_edits_on_shorthand_attributes_and_one_line_arrays():
    texts = {"/p/models/item.js": DEFINE}
    read, editor = _editor(texts)
    items = read.schema.table("Items")
    assert items is not None
    [covered] = [i for i in items.indexes if [c.column for c in i.columns] == ["kind"]]
    price = items.column("price")
    assert covered.span is not None and price is not None
    wanted = ColumnType(kind="decimal", precision=19, scale=4)
    edited = _apply(
        texts,
        editor.set_column_type(items, price, wanted),
        editor.keep_column_name(items, items.column("note"), "remark"),  # type: ignore[arg-type]
        editor.drop_index(items, covered.span),
        editor.keep_table_name(items, "stock_items"),
    )["/p/models/item.js"]
    assert "price: DataTypes.DECIMAL(19, 4)," in edited
    assert 'note: { type: DataTypes.TEXT, field: "remark" },' in edited
    assert 'indexes: [{ fields: ["kind", "price"] }]' in edited
    table = _read({"/p/models/item.js": edited}).schema.table("stock_items")
    assert table is not None
    assert table.column("price").type.native == "numeric(19,4)"  # type: ignore[union-attr]
    assert table.column("remark") is not None and table.column("note") is None
    assert [[c.column for c in i.columns] for i in table.indexes] == [["kind", "price"]]


def test_options_spread_from_elsewhere_get_no_edit():
    texts = {"/p/models/thing.js": SHARED}
    read, editor = _editor(texts)
    things = read.schema.table("things")
    assert things is not None
    assert editor.keep_table_name(things, "old_things") is None
    assert editor.add_index(things, ["name"]) is None


def test_sequelize_typescript_columns_and_table_options():
    texts = {"/p/src/gauge.model.ts": TYPED}
    read, editor = _editor(texts, "sqlite")
    gauges = read.schema.table("gauges")
    assert gauges is not None
    cost, label = gauges.column("totalCost"), gauges.column("label")
    [index] = gauges.indexes
    assert cost is not None and label is not None and index.span is not None
    wanted = ColumnType(kind="decimal", precision=19, scale=4)
    change = editor.set_column_type(gauges, cost, wanted)
    assert change is not None and change.label == "DECIMAL(19, 4)"
    edited = _apply(
        texts,
        change,
        editor.keep_column_name(gauges, label, "caption"),
        editor.keep_table_name(gauges, "meters"),
        editor.drop_index(gauges, index.span),
    )["/p/src/gauge.model.ts"]
    assert "@Column(DataType.DECIMAL(19, 4))\n  declare totalCost" in edited
    assert '@Column({ type: DataType.STRING(40), field: "caption" })' in edited
    assert '@Table({ tableName: "meters", indexes: [] })' in edited
    table = _read({"/p/src/gauge.model.ts": edited}, "sqlite").schema.table("meters")
    assert table is not None and table.indexes == []
    assert table.column("caption") is not None
    assert table.column("totalCost").type.kind == "decimal"  # type: ignore[union-attr]
    # the model keeps Sequelize's own `updatedAt`: that is not moved to another column
    assert gauges.column("updatedAt").updated_at  # type: ignore[union-attr]
    assert editor.mark_updated_at(gauges, gauges.column("modifiedOn")) is None  # type: ignore[arg-type]
    # the implicit key, written out as a member of its own
    key = editor.set_column_type(gauges, gauges.column("id"), ColumnType(kind="bigint"))  # type: ignore[arg-type]
    keyed = _apply(texts, key)["/p/src/gauge.model.ts"]
    assert (
        "export class Gauge extends Model {\n"
        "  @Column({ type: DataType.BIGINT, primaryKey: true, autoIncrement: true })\n"
        "  declare id: number;\n\n  @Column(DataType.STRING(40))"
    ) in keyed
    again = _read({"/p/src/gauge.model.ts": keyed}, "postgres").schema.table("gauges")
    assert again is not None and again.column("id").type.native == "bigint"  # type: ignore[union-attr]
    assert [c.column for c in again.primary_key.columns] == ["id"]  # type: ignore[union-attr]


def test_a_unique_attribute_is_dropped_as_its_unique_option():
    """DB102 can name a unique constraint an attribute's `unique` makes (a duplicate of
    another key): the option goes, the attribute stays."""
    model = """const { DataTypes } = require("sequelize");
module.exports = (sequelize) =>
  sequelize.define("User", {
    email: { type: DataTypes.STRING, allowNull: false, unique: true },
  }, { indexes: [{ unique: true, fields: ["email"], name: "users_email_unique" }] });
"""
    texts = {"/p/models/user.js": model}
    read, editor = _editor(texts)
    users = read.schema.table("Users")
    assert users is not None
    [unique] = users.uniques
    assert unique.span is not None
    change = editor.drop_index(users, unique.span)
    assert change is not None and change.label == "unique: true"
    edited = _apply(texts, change)["/p/models/user.js"]
    assert "email: { type: DataTypes.STRING, allowNull: false }," in edited
    again = _read({"/p/models/user.js": edited}).schema.table("Users")
    assert again is not None and again.uniques == []
    assert [i.name for i in again.indexes] == ["users_email_unique"]
