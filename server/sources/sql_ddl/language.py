"""Hover and go-to-definition in a DDL schema file, from the schema model.

What the Prisma hover says about the same object, built from the same schema-model functions
(`server/language/explain.py` for keys, `codegen/dialects/render.py` for types and defaults):

- a table (its name, or anywhere in its `CREATE TABLE` outside a column): the table, its
  counts, primary key, foreign keys and the tables that reference it;
- a column: its SQL type, NULL or NOT NULL, its default, and the keys it is part of;
- a primary key, unique constraint or index: `explain.py`'s full explanation (what it serves,
  what it does not, what covers it, how to build it without a long lock);
- a foreign key: its columns, target and actions, and whether an index backs it;
- with the migrations linked to the file (`history`): the migrations that created and changed
  the table, column or key (`language/migrations.py`'s history lines) and the drift between
  what the file declares and what they build (`drift_list`, the drift rules' comparison);
- and, where findings cover the cursor, one line per code (`hover.finding_notes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.render import (
    column_type_sql,
    default_sql,
    referential_action_sql,
)
from schemasense.codegen.schema import ForeignKey, Table
from schemasense.server.findings import Finding
from schemasense.server.language import explain
from schemasense.server.language.explain import code
from schemasense.server.language.hover import finding_notes
from schemasense.server.language.migrations import (
    drift_by_column,
    drift_list,
    history_lines,
    key_history_lines,
)
from schemasense.server.sources.base import HoverAnswer, Place
from schemasense.server.sources.sql_ddl.index import DdlIndex, Occurrence


def hover(
    index: DdlIndex, offset: int, findings: Sequence[Finding] = (), history: Any = None
) -> HoverAnswer | None:
    """The hover at `offset` of the index's file; `history` is `language.hover.History`
    (the linked migrations and how to link to a place in them), or None."""
    occurrence = index.at(offset)
    covering = [f for f in findings if f.span.start <= offset <= f.span.end]
    notes = finding_notes(covering) if covering else None
    text = _hover_text(index, occurrence, history) if occurrence is not None else None
    if text is None and notes is None:
        return None
    markdown = "\n".join(p.rstrip("\n") for p in (text, notes) if p) + "\n"
    if occurrence is not None:
        start, end = occurrence.start, occurrence.end
    else:
        start, end = covering[0].span.start, covering[0].span.end
    return HoverAnswer(markdown, index.file, start, end)


def definition(index: DdlIndex, offset: int) -> list[Place]:
    """The `CREATE TABLE` of the table named at `offset` (a reference or its declaration)."""
    occurrence = index.at(offset)
    if occurrence is None or not occurrence.name_only:
        return []
    if occurrence.kind not in ("reference", "table"):
        return []
    decl = index.declarations.get(occurrence.table)
    if decl is None:
        return []
    return [Place(index.file, decl.start, decl.end)]


def _hover_text(index: DdlIndex, occurrence: Occurrence, history: Any = None) -> str | None:
    table = index.table(occurrence.table)
    if table is None:
        return None
    provider = index.schema.provider
    if occurrence.kind in ("table", "reference"):
        return _with_history(table_hover(index, table), index, table.name, None, history)
    if occurrence.kind == "column" and occurrence.name:
        text = column_hover(index, table, occurrence.name)
        return _with_history(text, index, table.name, occurrence.name, history)
    if occurrence.kind == "foreign key":
        fk = next((f for f in table.foreign_keys if f.name == occurrence.name), None)
        text = foreign_key_hover(index, table, fk) if fk is not None else None
        return _with_key_history(text, fk.name if fk is not None else None, history)
    keys = _keys(table, provider)
    if occurrence.kind == "primary key":
        key = next((k for k in keys if k.kind == "primary key"), None)
    else:
        key = next((k for k in keys if k.kind != "primary key" and k.name == occurrence.name), None)
    if key is None:
        return None
    explanation = explain.explain(key, keys, _links(table), table, provider)
    written = index.text[occurrence.start : occurrence.end].split("\n")[0].strip()
    text = explain.render(explanation, f"`{written}` on `{table.name}`")
    return _with_key_history(text, key.name, history)


def _with_key_history(text: str | None, name: str | None, history: Any) -> str | None:
    """`text` and the migrations that created and changed the key `name`."""
    if text is None or history is None or not name:
        return text
    lines = key_history_lines(history.migrations, name, history.link)
    return text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


def _with_history(
    text: str | None, index: DdlIndex, table: str, column: str | None, history: Any
) -> str | None:
    """`text`, then the migrations that made the table (or column) and the drift between
    the file and what they build, as the Prisma hover says them."""
    if text is None or history is None:
        return text
    lines = ["", *history_lines(history.migrations, table, column, history.link)]
    result = history.migrations.result
    if result is not None:
        drifts = _drifts(index, result.schema)
        if column is None:
            found = [str(d) for d in drifts if d.table == table]
            ok = "No drift: the migrations build this table as declared."
        else:
            found = drift_by_column(drifts).get((table, column), [])
            ok = "No drift: the migrations build this column as declared."
        lines.append("")
        if found:
            lines.append(f"**Drift** from what the migrations build ({len(found)}):")
            lines.extend(f"- {d}" for d in found[:8])
        else:
            lines.append(ok)
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def _drifts(index: DdlIndex, migrated) -> list:
    """The drift between the file's schema and `migrated` (once per pair, on the index)."""
    held = index.memo.get("drift")
    if held is None or held[0] is not migrated:
        drifts = drift_list(index.schema, migrated, index.schema.provider)
        held = index.memo["drift"] = (migrated, drifts)
    return held[1]


def _provider_name(provider: str | None) -> str:
    dialect = get_dialect(provider)
    return dialect.DISPLAY_NAME if dialect is not None else (provider or "no provider")


def _quote(provider: str | None, name: str) -> str:
    dialect = get_dialect(provider)
    return dialect.quote(name) if dialect is not None and dialect.IS_SQL else name


def _keys(table: Table, provider: str | None) -> list[explain.Key]:
    keys = explain.table_keys(table, None, provider)
    for key in keys:
        key.declared = ""  # the Prisma attribute a key came from; a DDL file has none
    return keys


def _links(table: Table) -> list[explain.Link]:
    """The table's foreign keys as `explain` sees relations (named by their columns)."""
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


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def table_hover(index: DdlIndex, table: Table) -> str:
    provider = index.schema.provider
    name = _quote(provider, table.name)
    where = f"{_quote(provider, table.db_schema)}.{name}" if table.db_schema else name
    what = "view" if table.kind == "view" else "table"
    lines = [f"**{what}** {code(where)} on {_provider_name(provider)}", ""]
    keys = _keys(table, provider)
    uniques = sum(1 for k in keys if k.kind == "unique")
    indexes = sum(1 for k in keys if k.kind in ("index", "fulltext"))
    counts = [
        _plural(len(table.columns), "column"),
        _plural(len(table.foreign_keys), "foreign key"),
    ]
    counts.append(_plural(uniques, "unique") + ", " + _plural(indexes, "index", "indexes"))
    lines.append(" · ".join(counts))
    pk = next((k for k in keys if k.kind == "primary key"), None)
    if pk is not None:
        lines += [
            "",
            "Primary key: "
            + ", ".join(f"`{c.column}`" for c in pk.columns)
            + (f" (`{pk.name}`)" if pk.name else ""),
        ]
    if table.foreign_keys:
        links = _links(table)
        parts = []
        for link in links:
            backed = any(explain.backs(k, link) for k in keys)
            target = f"`{link.target_table}` ({', '.join(link.target_columns)})"
            parts.append(
                f"({', '.join(link.columns)}) → {target}" + ("" if backed else " (no index)")
            )
        lines += ["", "Foreign keys: " + ", ".join(parts)]
    incoming = [
        f"`{t.name}` ({', '.join(fk.columns)})"
        for t in index.schema.tables
        for fk in t.foreign_keys
        if fk.referenced_table == table.name
    ]
    if incoming:
        more = f" and {len(incoming) - 12} more" if len(incoming) > 12 else ""
        lines += ["", "Referenced by: " + ", ".join(incoming[:12]) + more]
    return "\n".join(lines) + "\n"


def column_hover(index: DdlIndex, table: Table, name: str) -> str | None:
    column = table.column(name)
    if column is None:
        return None
    provider = index.schema.provider
    dialect = get_dialect(provider)
    lines = [f"**column** {code(_quote(provider, table.name) + '.' + _quote(provider, name))}", ""]
    sql_type = column_type_sql(dialect, column) if dialect is not None else None
    null = "NULL" if column.nullable else "NOT NULL"
    lines.append(f"`{sql_type or column.type.native or column.type.kind} {null}`")
    if column.default is not None and dialect is not None:
        enum = next((e for e in index.schema.enums if e.name == column.type.enum), None)
        sql = default_sql(dialect, column.default, column, enum)
        if sql is not None:
            lines += ["", f"Default: `DEFAULT {sql}`"]
    member = []
    for k in _keys(table, provider):
        for i, c in enumerate(k.columns):
            if c.column == name:
                position = f", column {i + 1} of {len(k.columns)}" if len(k.columns) > 1 else ""
                member.append(f"{k.kind} `{k.name or 'primary key'}`{position}")
    for fk in table.foreign_keys:
        if name in fk.columns:
            label = fk.name or ", ".join(fk.columns)
            member.append(f"foreign key `{label}` → `{fk.referenced_table}`")
    if member:
        lines += ["", "In: " + "; ".join(member)]
    return "\n".join(lines) + "\n"


def foreign_key_hover(index: DdlIndex, table: Table, fk: ForeignKey) -> str:
    provider = index.schema.provider
    lines = [
        f"**foreign key** `{fk.name or ', '.join(fk.columns)}` on `{table.name}`",
        "",
        f"({', '.join(fk.columns)}) → `{fk.referenced_table}` ({', '.join(fk.referenced_columns)})",
    ]
    actions = [
        f"ON {when} {referential_action_sql(action)}"
        for when, action in (("DELETE", fk.on_delete), ("UPDATE", fk.on_update))
        if action
    ]
    if actions:
        lines += ["", " · ".join(actions)]
    keys = _keys(table, provider)
    link = next(link for link in _links(table) if link.foreign_key == fk.name)
    backing = [k for k in keys if explain.backs(k, link)]
    lines.append("")
    if backing:
        lines.append(
            "Backed by "
            + ", ".join(f"`{k.name or 'the primary key'}`" for k in backing)
            + ": deleting or updating a referenced row finds these rows by index."
        )
    else:
        lines.append(
            f"No index leads with ({', '.join(fk.columns)}): deleting or updating a "
            f"`{fk.referenced_table}` row scans `{table.name}`."
        )
    return "\n".join(lines) + "\n"
