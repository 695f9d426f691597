"""The TypeORM editor (`sources/typeorm/editor.py`) without npm: each change on the ways entities
are written (a type argument, an options object, a strategy argument, a class `@Unique`, a
`@JoinColumn`), checked by reading the edited text again; and None where the text is not
written so. (TypeORM itself judges the edits in tests/oracle/typeorm/test_editor_fixes.py.)"""

from __future__ import annotations

import json

from schemasense.codegen.schema import ColumnType
from schemasense.server.sources.base import SchemaChange
from schemasense.server.sources.typeorm.editor import TypeOrmEditor
from schemasense.server.sources.typeorm.reader import TypeOrmRead, read_typeorm

PACKAGE = json.dumps({"dependencies": {"typeorm": "^0.3.20", "pg": "^8"}})
DATA_SOURCE = """import { DataSource } from "typeorm";
import { Author } from "./author";
import { Book } from "./book";
export const ds = new DataSource({ type: "postgres", entities: [Author, Book] });
"""
AUTHOR = """import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ schema: "public" })
export class Author {
  @PrimaryGeneratedColumn("increment")
  id: number;

  @Column("float")
  totalPrice: number;

  @Column("timestamptz", { nullable: true })
  lastModified: Date | null;
}
"""
BOOK = """import { Column, Entity, JoinColumn, ManyToOne, Unique } from "typeorm";
import { Author } from "./author";

const SHARED = { length: 20 };

@Entity("books")
@Unique(["isbn", "edition"])
export class Book {
  @Column(SHARED)
  isbn: string;

  @Column({ type: "int" })
  edition: number;

  @Column({ type: "int" })
  writerId: number;

  @ManyToOne(() => Author)
  @JoinColumn({ name: "writerId" })
  writer: Author;

  @ManyToOne(() => Author)
  @JoinColumn()
  editor: Author;

  @ManyToOne(() => Author, { nullable: true })
  reviewer: Author | null;
}
"""


def _texts() -> dict[str, str]:
    return {
        "/p/package.json": PACKAGE,
        "/p/data-source.ts": DATA_SOURCE,
        "/p/author.ts": AUTHOR,
        "/p/book.ts": BOOK,
    }


def _read(texts: dict[str, str]) -> TypeOrmRead:
    read = read_typeorm(texts)
    assert [f for f in read.findings if f.severity == "error"] == [], read.findings
    return read


def _apply(texts: dict[str, str], change) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert change is not None
    out = dict(texts)
    for edit in sorted(change.edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        text = out[edit.span.file]
        out[edit.span.file] = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    return out


def _setup():  # type: ignore[no-untyped-def]
    texts = _texts()
    read = _read(texts)
    return texts, read, TypeOrmEditor(texts, read.schema.tables)


def test_decimal_moves_a_type_argument_and_adds_precision_and_scale():
    texts, read, editor = _setup()
    author = read.schema.table("author")
    assert author is not None
    column = author.column("totalPrice")
    wanted = ColumnType(kind="decimal", precision=19, scale=4)
    change = editor.set_column_type(author, column, wanted)  # type: ignore[arg-type]
    assert change is not None and change.label == "decimal"
    edited = _apply(texts, change)
    assert '@Column("decimal", { precision: 19, scale: 4 })\n  totalPrice' in edited["/p/author.ts"]
    again = _read(edited).schema.table("author").column("totalPrice")  # type: ignore[union-attr]
    assert (again.type.kind, again.type.precision, again.type.scale) == ("decimal", 19, 4)  # type: ignore[union-attr]


def test_a_bigint_key_and_the_columns_declared_to_reference_it():
    texts, read, editor = _setup()
    author = read.schema.table("author")
    assert author is not None
    change = editor.set_column_type(
        author,
        author.column("id"),  # type: ignore[arg-type]
        ColumnType(kind="bigint"),
        references=True,
    )
    edited = _apply(texts, change)
    assert '@PrimaryGeneratedColumn("increment", { type: "bigint" })' in edited["/p/author.ts"]
    # `writerId` is a column of its own (TypeORM takes its type): it changes with the key;
    # `editorId` is the relation's join column, which follows the key by itself
    assert '@Column({ type: "bigint" })\n  writerId' in edited["/p/book.ts"]
    schema = _read(edited).schema
    books = schema.table("books")
    assert books is not None
    natives = {c.name: c.type.native for c in books.columns}
    assert natives["writerId"] == natives["editorId"] == "bigint"
    assert schema.table("author").column("id").type.native == "bigint"  # type: ignore[union-attr]


def test_a_uuid_strategy_decides_its_type():
    texts = _texts()
    texts["/p/author.ts"] = AUTHOR.replace('("increment")', '("uuid")').replace(
        "id: number", "id: string"
    )
    read = _read(texts)
    author = read.schema.table("author")
    editor = TypeOrmEditor(texts, read.schema.tables)
    assert author is not None
    wanted = ColumnType(kind="bigint")
    assert editor.set_column_type(author, author.column("id"), wanted) is None  # type: ignore[arg-type]


def test_a_composite_unique_becomes_the_primary_key():
    texts, read, editor = _setup()
    books = read.schema.table("books")
    assert books is not None and books.primary_key is None and len(books.uniques) == 1
    change = editor.make_primary_key(books, books.uniques[0])
    assert change is not None and change.label == "@PrimaryColumn"
    edited = _apply(texts, change)["/p/book.ts"]
    assert "@Unique" not in edited
    assert "@PrimaryColumn(SHARED)\n  isbn" in edited  # the options stay as written
    assert '@PrimaryColumn({ type: "int" })\n  edition' in edited
    # `Unique` left the import, `PrimaryColumn` joined it
    assert edited.startswith("import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from")
    again = _read({**texts, "/p/book.ts": edited}).schema.table("books")
    assert again is not None and again.uniques == []
    assert [c.column for c in again.primary_key.columns] == ["isbn", "edition"]  # type: ignore[union-attr]


def test_update_date_column_takes_the_type_into_its_options():
    texts, read, editor = _setup()
    author = read.schema.table("author")
    assert author is not None
    change = editor.mark_updated_at(author, author.column("lastModified"))  # type: ignore[arg-type]
    assert change is not None and change.label == "@UpdateDateColumn"
    edited = _apply(texts, change)["/p/author.ts"]
    assert '@UpdateDateColumn({ type: "timestamptz", nullable: true })\n  lastModified' in edited
    assert "import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn }" in edited
    column = _read({**texts, "/p/author.ts": edited}).schema.table("author").column("lastModified")  # type: ignore[union-attr]
    assert column is not None and column.default is not None  # TypeORM's now()


def test_kept_names_in_entity_options_arguments_and_join_columns():
    texts, read, editor = _setup()
    author, books = read.schema.table("author"), read.schema.table("books")
    assert author is not None and books is not None
    changes = [
        editor.keep_table_name(author, "writers"),  # `@Entity({ schema })`: name added
        editor.keep_table_name(books, "volumes"),  # `@Entity("books")`: replaced
        editor.keep_column_name(author, author.column("totalPrice"), "price"),  # type: ignore[arg-type]
        editor.keep_column_name(books, books.column("editorId"), "editor_ref"),  # type: ignore[arg-type]
        editor.keep_column_name(books, books.column("reviewerId"), "critic"),  # type: ignore[arg-type]
    ]
    assert all(c is not None for c in changes)
    edits = tuple(e for c in changes if c is not None for e in c.edits)
    edited = _apply(texts, SchemaChange(edits, ""))
    assert '@Entity({ name: "writers", schema: "public" })' in edited["/p/author.ts"]
    assert '@Column("float", { name: "price" })' in edited["/p/author.ts"]
    assert '@Entity("volumes")' in edited["/p/book.ts"]
    assert '@JoinColumn({ name: "editor_ref" })\n  editor' in edited["/p/book.ts"]
    assert (
        '@ManyToOne(() => Author, { nullable: true })\n  @JoinColumn({ name: "critic" })\n'
        "  reviewer" in edited["/p/book.ts"]
    )
    schema = _read(edited).schema
    assert {t.name for t in schema.tables} == {"writers", "volumes"}
    assert schema.table("writers").column("price") is not None  # type: ignore[union-attr]
    assert schema.table("volumes").column("editor_ref") is not None  # type: ignore[union-attr]
    assert schema.table("volumes").column("critic") is not None  # type: ignore[union-attr]
