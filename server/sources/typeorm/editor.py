"""The TypeORM source's `SchemaEditor` (`sources/base.py`): the rules' changes as entity text.

Each change is written as TypeORM users write it, on the decorator the schema model points at,
and the names it brings in join the file's `import { ... } from "typeorm"` (a name no longer
used leaves it):

- an index the rules ask for is a class decorator above `@Entity` naming the properties
  (`@Index(["author", "createdAt"])`; a relation's property stands for its join columns, as
  TypeORM's `findColumnsWithPropertyPath` reads it); an `@Index` on a line of its own is
  dropped with its line;
- a column's type is the `type` option of its column decorator (`@Column({ type: "bigint" })`,
  the type argument of `@Column("float")` replaced, `@PrimaryGeneratedColumn({ type: "bigint"
  })`), with `precision` / `scale` for a decimal; a join column follows the column it
  references by itself (TypeORM gives it the referenced column's type), so only the columns
  declared with a column decorator of their own are edited with the key;
- a unique key becomes the primary key: `@Column({ unique: true })` turns into `@PrimaryColumn`
  without `unique`, `@Unique([...])` is removed and each of its properties' `@Column` turns
  into `@PrimaryColumn` (several make a composite key);
- a last-modified time is `@UpdateDateColumn` (the column's options kept);
- a kept table name is `@Entity("old")` (or `name` in `@Entity({ ... })`), a kept column name
  the `name` option of its column decorator (`@Column({ name: "old" })`) or of a relation's
  `@JoinColumn` (added below a `@ManyToOne` that has none).

Where the text is not written so (options built elsewhere, a decorator sharing its line with
another when a line must go, an embedded column), the answer is None and the finding stays.
TypeORM's own schema builder judges every edit (tests/oracle/typeorm/test_editor_fixes.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from schemasense.codegen.schema import Column, ColumnType, Span, Table, UniqueConstraint
from schemasense.server.findings import TextEdit
from schemasense.server.sources.base import EditsNothing, SchemaChange
from schemasense.server.sources.typescript import edits as ts
from schemasense.server.sources.typescript.declarations import (
    ClassDecl,
    Decorator,
    Member,
    read_module,
)
from schemasense.server.sources.typescript.values import Obj, Str

_TYPEORM_IMPORT = re.compile(r"""import\s*\{([^}]*)\}\s*from\s*(['"])typeorm\2""")
_COLUMNS = (
    "Column",
    "PrimaryColumn",
    "PrimaryGeneratedColumn",
    "CreateDateColumn",
    "UpdateDateColumn",
    "DeleteDateColumn",
    "VersionColumn",
)
"""The decorators that declare a column of their own (and take a `type`)."""
_TAKES_TYPE_ARGUMENT = ("Column", "PrimaryColumn")
"""Those whose first string argument is the column type (`@Column("float")`);
`@PrimaryGeneratedColumn("uuid")` names a strategy."""
_RELATIONS = ("ManyToOne", "OneToOne")


class TypeOrmEditor(EditsNothing):
    """Edits to the entity files of one read (`texts` are the files it read)."""

    def __init__(self, texts: Mapping[str, str], tables: Sequence[Table] = ()) -> None:
        self.texts = texts
        self.tables = tables
        """The declared schema's tables: the columns that reference a changed key are found
        among them."""

    # indexes and keys

    def add_index(self, table: Table, columns: Sequence[str]) -> SchemaChange | None:
        span = table.span
        text = self.texts.get(span.file) if span is not None else None
        if span is None or text is None or not text.startswith("@", span.start):
            return None
        line = text.rfind("\n", 0, span.start) + 1
        indent = text[line : span.start]
        if indent.strip():
            return None  # `@Entity()` shares its line with something else: no clean place
        properties = [_property(table, name) for name in columns]
        quote = _quote(text)
        label = f"@Index([{', '.join(f'{quote}{p}{quote}' for p in properties)}])"
        edits = [TextEdit(Span(file=span.file, start=line, end=line), f"{indent}{label}\n")]
        imported = _import_edit(span.file, text, "Index")
        if imported is None:
            return None
        edits += imported
        return SchemaChange(tuple(edits), label)

    def drop_index(self, table: Table, span: Span) -> SchemaChange | None:
        text = self.texts.get(span.file)
        # only an `@Index` of the user's: TypeORM's own indexes (a join table's, from
        # `@JoinTable`; a relation's) point at the decorator that causes them
        if text is None or not re.match(r"@Index\b", text[span.start : span.start + 7]):
            return None
        edit = _line_deleted(span.file, text, span.start, span.end)
        if edit is None:
            return None  # the decorator shares its line: not removed blindly
        return SchemaChange((edit,), text[span.start : span.end])

    def make_primary_key(self, table: Table, unique: UniqueConstraint) -> SchemaChange | None:
        span = unique.span
        text = self.texts.get(span.file) if span is not None else None
        if span is None or text is None:
            return None
        module = read_module(span.file, text)
        found = _decorator_at(module.classes, span.start)
        if found is None:
            return None
        cls, member, dec = found
        edits: list[TextEdit] = []
        if member is not None and dec.name == "Column":
            options = dec.options()
            prop = options.prop("unique") if options is not None else None
            if options is None or prop is None or not _inside(options, dec):
                return None
            edits.append(_renamed(span.file, dec, "PrimaryColumn"))
            edits.append(ts.remove_prop(span.file, text, options, prop))
        elif member is None and dec.name == "Unique":
            columns = [c.column for c in unique.columns]
            members = [_member_of(cls, table, name) for name in columns]
            columns_of = [m.decorator("Column") if m is not None else None for m in members]
            if any(d is None for d in columns_of):
                return None
            deleted = _line_deleted(span.file, text, dec.start, dec.end)
            if deleted is None:
                return None
            edits.append(deleted)
            edits += [_renamed(span.file, d, "PrimaryColumn") for d in columns_of if d]
        else:
            return None
        imports = _imports(span.file, text, edits, add=("PrimaryColumn",))
        if imports is None:
            return None
        return SchemaChange((*edits, *imports), "@PrimaryColumn")

    # columns

    def set_column_type(
        self, table: Table, column: Column, type: ColumnType, *, references: bool = False
    ) -> SchemaChange | None:
        options = _type_options(column, type)
        if options is None:
            return None
        first = self._typed(table, column, options)
        if first is None:
            return None
        found = list(first)
        if references:
            for other_table, other in self._referencing(table, column):
                if other.type.kind != column.type.kind:
                    continue
                edit = self._typed(other_table, other, options)
                if edit is not None:  # a join column (None) follows the key by itself
                    found += edit
        return SchemaChange(_once(found), (options["type"] or "").strip('"'))

    def _typed(
        self, table: Table, column: Column, options: dict[str, str | None]
    ) -> list[TextEdit] | None:
        """The edits that give the column decorator of `column` these type options."""
        at = self._column_decorator(column)
        if at is None:
            return None
        file, text, dec = at
        quote = _quote(text)
        values = {k: None if v is None else v.replace('"', quote) for k, v in options.items()}
        new = {k: v for k, v in values.items() if v is not None and k != "type"}
        given = dec.arg(0)
        obj = dec.options()
        if obj is not None and not _inside(obj, dec):
            return None
        if dec.name in _TAKES_TYPE_ARGUMENT and isinstance(given, Str):
            edits = [_replaced(file, given.start, given.end, values.pop("type") or "")]
            if obj is not None:
                return edits + ts.set_props(file, text, obj, values)
            if new:
                edits.append(_replaced(file, given.end, given.end, ", " + ts.object_text(new)))
            return edits
        if obj is not None:
            return ts.set_props(file, text, obj, values)
        if dec.name == "PrimaryGeneratedColumn" and isinstance(given, Str):
            if given.value not in ("increment", "identity"):
                return None  # `"uuid"` / `"rowid"`: the strategy decides the type
            typed = {"type": values["type"] or "", **new}
            return [_replaced(file, given.end, given.end, ", " + ts.object_text(typed))]
        if dec.args:
            return None  # an argument we do not read (a type given by a constant)
        open_paren = text.find("(", dec.name_end, dec.end)
        if not dec.called or open_paren < 0:
            return None
        typed = {"type": values["type"] or "", **new}
        return [_replaced(file, open_paren + 1, dec.end - 1, ts.object_text(typed))]

    def mark_updated_at(self, table: Table, column: Column) -> SchemaChange | None:
        at = self._column_decorator(column)
        if at is None:
            return None
        file, text, dec = at
        if dec.name != "Column":
            return None
        given, obj = dec.arg(0), dec.options()
        if obj is not None and not _inside(obj, dec):
            return None
        edits = [_renamed(file, dec, "UpdateDateColumn")]
        if isinstance(given, Str):  # `@UpdateDateColumn` takes options only: the type moves in
            type_text = text[given.start : given.end]
            if obj is not None:
                edits.append(_replaced(file, given.start, obj.start, ""))
                edits += ts.set_props(file, text, obj, {"type": type_text})
            else:
                edits.append(_replaced(file, given.start, given.end, f"{{ type: {type_text} }}"))
        elif given is not None and obj is None:
            return None
        imports = _imports(file, text, edits, add=("UpdateDateColumn",))
        if imports is None:
            return None
        return SchemaChange((*edits, *imports), "@UpdateDateColumn")

    # names

    def keep_table_name(self, table: Table, old_name: str) -> SchemaChange | None:
        span = table.span
        text = self.texts.get(span.file) if span is not None else None
        if span is None or text is None:
            return None
        found = _decorator_at(read_module(span.file, text).classes, span.start)
        if found is None or found[1] is not None or found[2].name != "Entity":
            return None
        dec = found[2]
        name = f"{_quote(text)}{old_name}{_quote(text)}"
        edit = _named(span.file, text, dec, name, positional=True)
        if edit is None:
            return None
        return SchemaChange(tuple(edit), f"@Entity({name})")

    def keep_column_name(self, table: Table, column: Column, old_name: str) -> SchemaChange | None:
        span = column.span
        text = self.texts.get(span.file) if span is not None else None
        if span is None or text is None:
            return None
        found = _decorator_at(read_module(span.file, text).classes, span.start)
        if found is None or found[1] is None:
            return None
        member = found[1]
        name = f"{_quote(text)}{old_name}{_quote(text)}"
        dec = next((d for d in member.decorators if d.name in _COLUMNS), None)
        if dec is not None:
            label = f"{{ name: {name} }}"
            edit = _named(span.file, text, dec, name, positional=False)
            return None if edit is None else SchemaChange(tuple(edit), label)
        relation = member.decorator(*_RELATIONS)
        join = member.decorator("JoinColumn")
        label = f"@JoinColumn({{ name: {name} }})"
        if relation is None:
            return None
        if join is not None:
            edit = _named(span.file, text, join, name, positional=False)
            return None if edit is None else SchemaChange(tuple(edit), label)
        # a `@ManyToOne` with TypeORM's join column: `@JoinColumn` on the line below it
        single = [fk for fk in table.foreign_keys if fk.columns == [column.name]]
        eol = text.find("\n", relation.end)
        if (
            relation.name != "ManyToOne"
            or not single
            or eol < 0
            or text[relation.end : eol].strip()
        ):
            return None
        indent = ts.line_indent(text, relation.start)
        if text[text.rfind("\n", 0, relation.start) + 1 : relation.start].strip():
            return None  # the decorator shares its line
        added = _replaced(span.file, eol, eol, f"\n{indent}{label}")
        imports = _imports(span.file, text, [added], add=("JoinColumn",))
        if imports is None:
            return None
        return SchemaChange((added, *imports), label)

    # lookups

    def _column_decorator(self, column: Column) -> tuple[str, str, Decorator] | None:
        """The file, its text and the column decorator (`@Column`, ...) of `column`; None for
        a join column (its relation decorator declares it) or an embedded one."""
        span = column.span
        text = self.texts.get(span.file) if span is not None else None
        if span is None or text is None:
            return None
        found = _decorator_at(read_module(span.file, text).classes, span.start)
        if found is None or found[1] is None:
            return None
        member = found[1]
        if member.decorator(*_RELATIONS, "OneToMany", "ManyToMany") is not None:
            return None
        dec = next((d for d in member.decorators if d.name in _COLUMNS), None)
        if dec is None or not dec.called:
            return None
        return span.file, text, dec

    def _referencing(self, table: Table, column: Column) -> list[tuple[Table, Column]]:
        """The columns of the entity set whose foreign keys reference `column` of `table`."""
        out: list[tuple[Table, Column]] = []
        for other in self.tables:
            for fk in other.foreign_keys:
                if fk.referenced_table != table.name or column.name not in fk.referenced_columns:
                    continue
                local = fk.columns[fk.referenced_columns.index(column.name)]
                found = other.column(local)
                if found is not None:
                    out.append((other, found))
        return out


def _type_options(column: Column, type: ColumnType) -> dict[str, str | None] | None:
    """The column options (as TypeScript text, double-quoted) that store `type`."""
    if type.kind == "bigint":
        return {"type": '"bigint"'}
    if type.kind == "uuid":
        return {"type": '"uuid"', "length": None}
    if type.kind == "json" and (type.native or "").lower() == "jsonb":
        return {"type": '"jsonb"'}
    if type.kind == "timestamp" and type.timezone:
        return {"type": '"timestamptz"'}  # the column's precision (if any) is kept
    if type.kind == "decimal" and type.precision is not None and type.scale is not None:
        return {
            "type": '"decimal"',
            "precision": str(type.precision),
            "scale": str(type.scale),
            "length": None,
        }
    return None


def _decorator_at(
    classes: Sequence[ClassDecl], offset: int
) -> tuple[ClassDecl, Member | None, Decorator] | None:
    """The decorator starting at `offset`, with its class and member (None: on the class)."""
    for cls in classes:
        for dec in cls.decorators:
            if dec.start == offset:
                return cls, None, dec
        for member in cls.members:
            for dec in member.decorators:
                if dec.start == offset:
                    return cls, member, dec
    return None


def _member_of(cls: ClassDecl, table: Table, column: str) -> Member | None:
    col = table.column(column)
    name = (col.field_name or col.name) if col is not None else column
    return cls.member(name, static=False)


def _inside(value: Obj, dec: Decorator) -> bool:
    """The literal is written in the decorator (not a constant from elsewhere)."""
    return dec.start <= value.start and value.end <= dec.end


def _replaced(file: str, start: int, end: int, new: str) -> TextEdit:
    return TextEdit(Span(file=file, start=start, end=end), new)


def _renamed(file: str, dec: Decorator, name: str) -> TextEdit:
    return _replaced(file, dec.name_start, dec.name_end, name)


def _named(
    file: str, text: str, dec: Decorator, name: str, *, positional: bool
) -> list[TextEdit] | None:
    """`name` given to the decorator: its `name` option set (or its string argument replaced
    where `positional`, `@Entity("users")`), else a first argument `"old"` / `{ name: ... }`."""
    given, obj = dec.arg(0), dec.options()
    if obj is not None and not _inside(obj, dec):
        return None
    if positional and isinstance(given, Str):
        return [_replaced(file, given.start, given.end, name)]
    if obj is not None:
        return ts.set_props(file, text, obj, {"name": name})
    if not dec.called:
        return [_replaced(file, dec.name_end, dec.name_end, f"({name if positional else ''})")]
    open_paren = text.find("(", dec.name_end, dec.end)
    if open_paren < 0:
        return None
    if isinstance(given, Str) and not positional:  # `@Column("varchar")`
        return [_replaced(file, given.end, given.end, f", {{ name: {name} }}")]
    if dec.args:
        return None
    new = name if positional else f"{{ name: {name} }}"
    return [_replaced(file, open_paren + 1, dec.end - 1, new)]


def _line_deleted(file: str, text: str, start: int, end: int) -> TextEdit | None:
    """Delete `[start, end)` with its line, when nothing else is on it."""
    line = text.rfind("\n", 0, start) + 1
    eol = text.find("\n", end)
    eol = len(text) if eol < 0 else eol + 1
    if text[line:start].strip() or text[end:eol].strip():
        return None
    return _replaced(file, line, eol, "")


def _once(found: list[TextEdit]) -> tuple[TextEdit, ...]:
    """The edits with one per place (a key and a column that references it can share one)."""
    return tuple({(e.span.file, e.span.start, e.span.end): e for e in found}.values())


def _property(table: Table, name: str) -> str:
    column = table.column(name)
    if column is None:
        return name
    # a join column's field is its relation's property, which TypeORM reads as its columns
    return column.field_name or column.name


def _quote(text: str) -> str:
    found = _TYPEORM_IMPORT.search(text)
    return found.group(2) if found else '"'


def _imports(
    file: str, text: str, edits: Sequence[TextEdit], *, add: Sequence[str]
) -> list[TextEdit] | None:
    """The import edits after `edits`: each of `add` imported, and a name of the `typeorm`
    import that the text used before `edits` and no longer uses after them removed (a name
    unused before is left alone). None: no `typeorm` import to edit."""
    found = _TYPEORM_IMPORT.search(text)
    if found is None:
        return None
    after = text
    for edit in sorted(edits, key=lambda e: e.span.start, reverse=True):
        after = after[: edit.span.start] + edit.new_text + after[edit.span.end :]
    names = [n.strip() for n in found.group(1).split(",") if n.strip()]
    body_before, body_after = (
        text[found.end() :],
        after[after.find(found.group(0)) + len(found.group(0)) :],
    )
    gone = [
        n
        for n in names
        if n.isidentifier()
        and n not in add
        and re.search(rf"\b{n}\b", body_before)
        and not re.search(rf"\b{n}\b", body_after)
    ]
    if not gone:
        out: list[TextEdit] = []
        for name in add:
            out += _import_edit(file, text, name) or []
        return out
    kept = [n for n in names if n not in gone] + [n for n in add if n not in names]
    inner = found.group(1)
    if "\n" in inner.strip("\n") or inner.startswith("\n"):  # one name a line
        indent = re.search(r"\n([ \t]*)\S", inner)
        pad = indent.group(1) if indent else "  "
        written = "".join(f"\n{pad}{n}," for n in kept) + "\n"
    else:
        written = " " + ", ".join(kept) + " "
    return [_replaced(file, found.start(1), found.end(1), written)]


def _import_edit(file: str, text: str, name: str) -> list[TextEdit] | None:
    """The edit that adds `name` to the file's `import { ... } from "typeorm"`: none when it
    is there; None when the file has no such import to add it to."""
    found = _TYPEORM_IMPORT.search(text)
    if found is None:
        return None
    names = [n.strip() for n in found.group(1).split(",") if n.strip()]
    if name in names:
        return []
    inner = found.group(1)
    if "\n" in inner.strip("\n") or inner.startswith("\n"):  # one name a line
        last = inner.rstrip()
        indent = re.search(r"\n([ \t]*)\S", inner)
        pad = indent.group(1) if indent else "  "
        at = found.start(1) + len(last)
        comma = "" if last.endswith(",") else ","
        return [TextEdit(Span(file=file, start=at, end=at), f"{comma}\n{pad}{name},")]
    at = found.start(1) + len(inner.rstrip())
    return [TextEdit(Span(file=file, start=at, end=at), f", {name}")]
