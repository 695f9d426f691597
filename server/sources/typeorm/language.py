"""Hover and go-to-definition in TypeORM entity files, from the read's schema model and metadata.

Each object of the schema model carries the span of the decorator (or property) that declared
it, so the cursor finds the innermost one: a column (the property with its `@Column`), an
`@Index` / `@Unique` (TypeORM's index or unique constraint), a `@Check`, a relation decorator
(its foreign key), the `@Entity` decorator (the table). What the hover says is what the database
holds, with the names TypeORM gives (`IDX_...`, `FK_...`), and for keys the same explanation
as for Prisma (`server/language/explain.py`: what the index serves, what covers it, how to
build it without a long lock). Definition follows a relation's target (`() => User`) and a
class's `extends` to the entity class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schemasense.codegen.schema import Schema, Table
from schemasense.server.findings import Finding
from schemasense.server.language import explain
from schemasense.server.language.explain import code
from schemasense.server.language.hover import finding_notes
from schemasense.server.language.migrations import history_lines, key_history_lines
from schemasense.server.sources.base import HoverAnswer, Place
from schemasense.server.sources.typeorm.reader import TypeOrmRead


@dataclass(frozen=True, slots=True)
class Occurrence:
    file: str
    start: int
    end: int
    kind: str
    """`table`, `column`, `index`, `unique`, `check`, `foreign key`, `primary key`."""
    table: str
    name: str | None = None


def occurrences(schema: Schema) -> list[Occurrence]:
    out: list[Occurrence] = []
    for t in schema.tables:
        if t.span is not None:
            out.append(Occurrence(t.span.file, t.span.start, t.span.end, "table", t.name))
        for c in t.columns:
            if c.span is not None:
                out.append(
                    Occurrence(c.span.file, c.span.start, c.span.end, "column", t.name, c.name)
                )
        for kind, items in (
            ("index", t.indexes),
            ("unique", t.uniques),
            ("check", t.checks),
            ("foreign key", t.foreign_keys),
        ):
            for item in items:
                span = item.span
                if span is not None:
                    out.append(Occurrence(span.file, span.start, span.end, kind, t.name, item.name))
    return out


def at(read: TypeOrmRead, file: str, offset: int) -> Occurrence | None:
    """The narrowest occurrence holding `offset` (a decorator before the property around it)."""
    best: Occurrence | None = None
    for o in _index(read):
        inside = o.file == file and o.start <= offset <= o.end
        if inside and (best is None or (o.end - o.start) < (best.end - best.start)):
            best = o
    return best


def _index(read: TypeOrmRead) -> list[Occurrence]:
    held = getattr(read, "_occurrences", None)
    if held is None:
        held = occurrences(read.schema)
        read._occurrences = held  # type: ignore[attr-defined]
    return held


def hover(
    read: TypeOrmRead,
    file: str,
    offset: int,
    findings: Sequence[Finding] = (),
    history: Any = None,
) -> HoverAnswer | None:
    occurrence = at(read, file, offset)
    covering = [f for f in findings if f.span.file == file and f.span.start <= offset <= f.span.end]
    notes = finding_notes(covering) if covering else None
    text = _text(read, occurrence, history) if occurrence is not None else None
    if text is None and notes is None:
        return None
    markdown = "\n".join(p.rstrip("\n") for p in (text, notes) if p) + "\n"
    if occurrence is not None:
        return HoverAnswer(markdown, file, occurrence.start, occurrence.end)
    return HoverAnswer(markdown, file, covering[0].span.start, covering[0].span.end)


def _text(read: TypeOrmRead, o: Occurrence, history: Any) -> str | None:
    schema = read.schema
    table = schema.table(o.table)
    if table is None:
        return None
    provider = schema.provider
    if o.kind == "table":
        text = _table(schema, table)
        if history is not None:
            text += (
                "\n"
                + "\n".join(history_lines(history.migrations, table.name, None, history.link))
                + "\n"
            )
        return text
    if o.kind == "column" and o.name:
        text = _column(table, o.name, provider)
        if text is not None and history is not None:
            lines = history_lines(history.migrations, table.name, o.name, history.link)
            text += "\n" + "\n".join(lines) + "\n"
        return text
    if o.kind == "check":
        check = next((c for c in table.checks if c.name == o.name), None)
        if check is None:
            return None
        return f"**check** `{check.name}` on `{table.name}`\n\n`CHECK ({check.expression})`\n"
    if o.kind == "foreign key":
        fk = next((f for f in table.foreign_keys if f.name == o.name), None)
        if fk is None:
            return None
        return _foreign_key(table, fk, provider)
    keys = _keys(table, provider)
    key = next((k for k in keys if k.kind != "primary key" and k.name == o.name), None)
    if key is None:
        return None
    explanation = explain.explain(key, keys, _links(table), table, provider)
    text = explain.render(explanation, f"TypeORM {o.kind} on `{table.name}`")
    if history is not None and key.name:
        text = (
            text.rstrip("\n")
            + "\n\n"
            + "\n".join(key_history_lines(history.migrations, key.name, history.link))
            + "\n"
        )
    return text


def _keys(table: Table, provider: str | None) -> list[explain.Key]:
    keys = explain.table_keys(table, None, provider)
    for key in keys:
        key.declared = ""
    return keys


def _links(table: Table) -> list[explain.Link]:
    return [
        explain.Link(
            field=", ".join(fk.columns),
            columns=list(fk.columns),
            target_model=fk.referenced_table,
            target_table=fk.referenced_table,
            target_columns=list(fk.referenced_columns),
            foreign_key=fk.name,
        )
        for fk in table.foreign_keys
    ]


def _table(schema: Schema, table: Table) -> str:
    lines = [f"**table** {code(table.name)} ({schema.provider})", ""]
    lines.append(
        f"{len(table.columns)} columns · {len(table.foreign_keys)} foreign keys · "
        f"{len(table.uniques)} uniques · {len(table.indexes)} indexes"
    )
    if table.primary_key is not None:
        cols = ", ".join(f"`{c.column}`" for c in table.primary_key.columns)
        name = f" (`{table.primary_key.name}`)" if table.primary_key.name else ""
        lines += ["", f"Primary key: {cols}{name}"]
    incoming = [
        f"`{t.name}` ({', '.join(fk.columns)})"
        for t in schema.tables
        for fk in t.foreign_keys
        if fk.referenced_table == table.name
    ]
    if incoming:
        lines += ["", "Referenced by: " + ", ".join(incoming[:12])]
    return "\n".join(lines) + "\n"


def _column(table: Table, name: str, provider: str | None) -> str | None:
    column = table.column(name)
    if column is None:
        return None
    lines = [f"**column** `{table.name}`.`{name}`", ""]
    null = "NULL" if column.nullable else "NOT NULL"
    lines.append(f"`{column.type.native or column.type.kind} {null}`")
    if column.default is not None:
        value = (
            column.default.value if column.default.value is not None else column.default.function
        )
        lines += ["", f"Default: `{value}`"]
    member = []
    for k in _keys(table, provider):
        if any(c.column == name for c in k.columns):
            member.append(f"{k.kind} `{k.name or 'primary key'}`")
    for fk in table.foreign_keys:
        if name in fk.columns:
            member.append(f"foreign key `{fk.name}` → `{fk.referenced_table}`")
    if member:
        lines += ["", "In: " + "; ".join(member)]
    return "\n".join(lines) + "\n"


def _foreign_key(table: Table, fk, provider: str | None) -> str:  # type: ignore[no-untyped-def]
    lines = [
        f"**foreign key** `{fk.name}` on `{table.name}`",
        "",
        f"({', '.join(fk.columns)}) → `{fk.referenced_table}` ({', '.join(fk.referenced_columns)})",
        "",
        f"ON DELETE {fk.on_delete} · ON UPDATE {fk.on_update}",
        "",
    ]
    keys = _keys(table, provider)
    link = next(link for link in _links(table) if link.foreign_key == fk.name)
    if any(explain.backs(k, link) for k in keys):
        lines.append("Backed by an index: deleting a referenced row finds these rows by index.")
    else:
        lines.append(
            f"No index leads with ({', '.join(fk.columns)}): deleting or updating a "
            f"`{fk.referenced_table}` row scans `{table.name}` (TypeORM creates none: "
            "typeorm#7118)."
        )
    return "\n".join(lines) + "\n"


def definition(read: TypeOrmRead, file: str, offset: int) -> list[Place]:
    """A relation decorator's target class (`@ManyToOne(() => User)`), or the class an entity
    `extends`."""
    modules = read.modules
    for info in read.entities.entities.values():
        ext = info.decl.extends
        if (
            modules is not None
            and info.module.path == file
            and ext is not None
            and ext.start <= offset <= ext.end
            and info.decl.extends_name
        ):
            found = modules.class_of(info.module, info.decl.extends_name)
            if found is not None:
                return [Place(found[0].path, found[1].name_start, found[1].name_end)]
        for member, dec in info.relations.values():
            if dec.start <= offset <= dec.end and _in_file(read, info, member, file):
                first = dec.arg(0)
                target = getattr(first, "returns", first)
                name = getattr(target, "path", (None,))[-1]
                found = read.entities.entities.get(name or "")
                if found is not None:
                    d = found.decl
                    return [Place(found.module.path, d.name_start, d.name_end)]
    return []


def _in_file(read: TypeOrmRead, info, member, file: str) -> bool:  # type: ignore[no-untyped-def]
    return any(m is member and o.path == file for o, m in info.members)
