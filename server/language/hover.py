"""Hover: what the thing under the cursor means in the database, as Markdown.

- an index or key attribute (`@id`, `@unique`, `@@id`, `@@unique`, `@@index`, `@@fulltext`):
  `explain.py`'s full explanation;
- a field (its name, its type, or one of its other attributes): the column's database name,
  its SQL type on the datasource's provider, NULL or NOT NULL, the default as SQL, the keys it
  is part of; a relation field: the relation, its foreign key and referential actions (Prisma's
  defaults spelled out), whether an index backs the key, the other side;
- a model or enum name (declaration or use): the table or type, and counts;
- an enum value: its database value;
- a problem code (`DB005`) in a comment, or any place a finding covers: the code's family;
- an ignore comment (`// schemasense-ignore DB101 reason`): the documentation of the code under
  the cursor, or of every code the comment names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from schemasense.codegen.dialects import get_dialect
from schemasense.codegen.dialects.render import (
    column_type_sql,
    default_sql,
    referential_action_sql,
)
from schemasense.codegen.orms.prisma import naming
from schemasense.codegen.schema import Table
from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.database import FieldInfo, ModelInfo
from schemasense.server.sources.prisma.index import INDEX_ATTRIBUTES, Occurrence, SchemaIndex

from . import explain
from .explain import code
from .migrations import (
    Link,
    MigrationIndex,
    drift_by_column,
    drift_list,
    history_lines,
    key_history_lines,
)


@dataclass(frozen=True, slots=True)
class History:
    """The migrations beside the schema, and how to link to a place in one of them."""

    migrations: MigrationIndex
    link: Link


@dataclass(frozen=True, slots=True)
class HoverText:
    """Markdown for the range `[start, end)` of `file`."""

    markdown: str
    file: str
    start: int
    end: int


_CODE = re.compile(r"\bDB\d{3}\b")


def hover(
    index: SchemaIndex,
    file: str,
    offset: int,
    findings: Sequence[Finding] = (),
    history: History | None = None,
) -> HoverText | None:
    """The hover at `offset` of `file`; `findings` are the file's, for their codes;
    `history` the migrations, for the migrations that created and changed a table or column."""
    token = index.at(file, offset)
    text: str | None = None
    span: tuple[int, int] | None = None
    if token is not None:
        text = _token_hover(index, token, history)
        span = (token.start, token.end)
    if text is None:
        ctx = index.context(file, offset)
        if ctx.attribute is not None and isinstance(ctx.top, ast.Model):
            fname = ctx.field.name.name if ctx.field is not None else None
            text = _attribute_hover(index, ctx.top.name.name, fname, ctx.attribute, history)
            span = ctx.attribute.span
    if text is None:
        code = ignore_comment_hover(file, index.texts.get(file, ""), offset)
        if code is None:
            code = _code_at(index.texts.get(file, ""), offset)
        if code is not None:
            text, span = code
    covering = [f for f in findings if f.span.start <= offset <= f.span.end]
    notes = finding_notes(covering)
    if notes:
        text = f"{text}\n---\n{notes}" if text else notes
        if span is None:
            span = (covering[0].span.start, covering[0].span.end)
    if text is None or span is None:
        return None
    return HoverText(text, file, span[0], span[1])


def _token_hover(index: SchemaIndex, token: Occurrence, history: History | None) -> str | None:
    if token.role == "attribute" and token.attribute is not None:
        return _attribute_hover(index, token.top, token.field, token.attribute, history)
    key = token.key
    if token.role == "scalar" and token.field is not None:
        return field_hover(index, token.top, token.field, history)
    if key is None:
        return None
    if key[0] == "model":
        return model_hover(index, key[1], history)
    if key[0] == "enum":
        return enum_hover(index, key[1])
    if key[0] == "field":
        return field_hover(index, key[1], key[2], history)
    if key[0] == "value":
        return value_hover(index, key[1], key[2])
    if key[0] in ("datasource", "generator") and token.role == "declaration":
        return _config_hover(index, key[0], key[1])
    return None


def _attribute_hover(
    index: SchemaIndex,
    top: str | None,
    fname: str | None,
    attribute: ast.Attribute,
    history: History | None = None,
) -> str | None:
    name = attribute.name.name
    if name in INDEX_ATTRIBUTES:
        text = key_hover(index, top, attribute, history)
        if text is not None:
            return text
    if fname is not None:
        return field_hover(index, top, fname, history)
    if top is not None and top in index.models:
        return model_hover(index, top, history)
    if top is not None and top in index.enums:
        return enum_hover(index, top)
    return None


# -- keys ----------------------------------------------------------------------------------------


def key_hover(
    index: SchemaIndex,
    model_name: str | None,
    attribute: ast.Attribute,
    history: History | None = None,
) -> str | None:
    info = index.index_of_attribute.get(id(attribute))
    model = index.model(model_name)
    if info is None or model is None or model.kind == "type":
        return None
    table = index.table(model.name)
    if table is None:
        return None
    keys = explain.table_keys(table, model, index.provider)
    key = next((k for k in keys if k.span_start == attribute.span[0]), None)
    if key is None:
        return None
    links = explain.table_links(table, model)
    explanation = explain.explain(key, keys, links, table, index.provider)
    text = index.texts.get(model.file, "")
    written = text[attribute.span[0] : attribute.span[1]]
    heading = f"`{written}` on `{model.name}`"
    text = explain.render(explanation, heading)
    if history is not None and key.name and model.kind == "model":
        lines = key_history_lines(history.migrations, key.name, history.link)
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    return text


# -- models and enums ----------------------------------------------------------------------------


def _provider_name(index: SchemaIndex) -> str:
    dialect = get_dialect(index.provider)
    return dialect.DISPLAY_NAME if dialect is not None else (index.provider or "no provider")


def _table_name(index: SchemaIndex, table: Table) -> str:
    dialect = get_dialect(index.provider)
    quote = dialect.quote if dialect is not None and dialect.IS_SQL else (lambda s: s)
    name = quote(table.name)
    return f"{quote(table.db_schema)}.{name}" if table.db_schema else name


def model_hover(index: SchemaIndex, name: str, history: History | None = None) -> str | None:
    model = index.model(name)
    if model is None:
        decl = index.models.get(name)
        if decl is None:
            return None
        return f"**{decl[1].kind}** `{name}`\n"
    kind = {"model": "model", "view": "view", "type": "composite type"}[model.kind]
    lines: list[str] = []
    if model.kind == "type":
        lines.append(f"**{kind}** `{name}`: an embedded document (no table of its own)")
        lines.append("")
        lines.append(f"{len(model.fields)} fields")
    else:
        table = index.table(name)
        what = "view" if model.kind == "view" else "table"
        where = _table_name(index, table) if table is not None else f"`{model.db_name}`"
        mapped = " (`@@map`)" if model.mapped else ""
        lines.append(
            f"**{kind}** `{name}` → {what} {code(where)}{mapped} on {_provider_name(index)}"
        )
        lines.append("")
        scalars = len(model.scalar_fields)
        relations = len(model.relation_fields)
        counts = [_plural(scalars, "column"), _plural(relations, "relation")]
        if table is not None:
            keys = explain.table_keys(table, model, index.provider)
            uniques = sum(1 for k in keys if k.kind == "unique")
            indexes = sum(1 for k in keys if k.kind in ("index", "fulltext"))
            pk = next((k for k in keys if k.kind == "primary key"), None)
            counts.append(_plural(uniques, "unique") + ", " + _plural(indexes, "index", "indexes"))
            lines.append(" · ".join(counts))
            if pk is not None:
                lines.append("")
                lines.append(
                    "Primary key: "
                    + ", ".join(f"`{c.column}`" for c in pk.columns)
                    + (f" (`{pk.name}`)" if pk.name else "")
                )
            links = explain.table_links(table, model)
            if links:
                lines.append("")
                lines.append("Foreign keys: " + ", ".join(_link_text(link, keys) for link in links))
            incoming = _incoming(index, model)
            if incoming:
                lines.append("")
                more = f" and {len(incoming) - 12} more" if len(incoming) > 12 else ""
                lines.append("Referenced by: " + ", ".join(incoming[:12]) + more)
            if history is not None and model.kind == "model":
                lines.append("")
                lines.extend(history_lines(history.migrations, table.name, None, history.link))
                drift = table_drift(index, history.migrations).get(table.name, [])
                lines.append("")
                if drift:
                    lines.append(f"**Drift** from what the migrations build ({len(drift)}):")
                    lines.extend(f"- {d}" for d in drift[:8])
                else:
                    lines.append("No drift: the migrations build this table as declared.")
        else:
            lines.append(" · ".join(counts))
    if model.ast.documentation:
        lines.append("")
        lines.append(model.ast.documentation)
    return "\n".join(lines) + "\n"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _link_text(link: explain.Link, keys: list[explain.Key]) -> str:
    indexed = any(explain.backs(k, link) for k in keys)
    cols = ", ".join(link.columns)
    return f"`{cols}` → `{link.target_model}`" + ("" if indexed else " (no index)")


def _incoming(index: SchemaIndex, model: ModelInfo) -> list[str]:
    found = []
    for other in index.db.models.values() if index.db else ():
        for f in other.relation_fields:
            relation = f.relation
            if f.type_name == model.name and relation is not None and relation.forward is f:
                found.append(f"`{other.name}.{f.name}`")
    return found


def enum_hover(index: SchemaIndex, name: str) -> str | None:
    enum = index.enum(name)
    if enum is None:
        return None
    provider = index.provider
    values = [db for _, db in enum.values]
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    lines = []
    if provider in ("postgresql", "cockroachdb"):
        dialect = get_dialect(provider)
        assert dialect is not None
        type_name = dialect.quote(enum.db_name)
        if enum.db_schema:
            type_name = f"{dialect.quote(enum.db_schema)}.{type_name}"
        lines.append(f"**enum** `{name}` → type `{type_name}` on {_provider_name(index)}")
        lines.append("")
        lines.append(f"```sql\nCREATE TYPE {type_name} AS ENUM ({quoted});\n```")
    elif provider == "mysql":
        lines.append(f"**enum** `{name}` → an inline column type on MySQL: `ENUM({quoted})`")
    else:
        lines.append(f"**enum** `{name}` on {_provider_name(index)}")
    lines.append("")
    users = [
        f"`{m.name}.{f.name}`"
        for m in (index.db.models.values() if index.db else ())
        for f in m.fields
        if f.kind == "enum" and f.type_name == name
    ]
    lines.append(
        f"{_plural(len(values), 'value')} · used by {_plural(len(users), 'field')}"
        + (": " + ", ".join(users[:12]) + (" …" if len(users) > 12 else "") if users else "")
    )
    if enum.ast.documentation:
        lines.append("")
        lines.append(enum.ast.documentation)
    return "\n".join(lines) + "\n"


def value_hover(index: SchemaIndex, enum_name: str, value: str) -> str | None:
    enum = index.enum(enum_name)
    if enum is None:
        return None
    for node, db_name in enum.values:
        if node.name.name == value:
            mapped = f" (`@map`: stored as `'{db_name}'`)" if db_name != value else ""
            text = f"**value** `{enum_name}.{value}`{mapped}\n"
            if node.documentation:
                text += f"\n{node.documentation}\n"
            return text
    return None


def _config_hover(index: SchemaIndex, kind: str, name: str) -> str | None:
    if kind == "datasource":
        db = index.db
        mode = db.config.relation_mode if db is not None else "foreignKeys"
        return (
            f"**datasource** `{name}`: {_provider_name(index)}, relationMode `{mode}`"
            + (" (no foreign keys: Prisma emulates relations)" if mode == "prisma" else "")
            + "\n"
        )
    return f"**generator** `{name}`\n"


# -- fields --------------------------------------------------------------------------------------


def field_hover(
    index: SchemaIndex, model_name: str | None, name: str, history: History | None = None
) -> str | None:
    f = index.field_info(model_name, name)
    if f is None:
        return None
    if f.kind == "relation":
        return _relation_hover(index, f, history)
    return _column_hover(index, f, history)


def _drifts(index: SchemaIndex, migrations: MigrationIndex) -> tuple[dict, dict]:
    """Drift per table and per column between this read and these migrations (computed once
    per pair)."""
    key = ("drift", migrations.root)
    found = index.memo.get(key)
    if found is None or found[0] is not migrations:  # type: ignore[index]
        result = migrations.result
        drifts = (
            drift_list(index.schema, result.schema, index.provider) if result is not None else []
        )
        by_table: dict[str, list[str]] = {}
        for drift in drifts:
            by_table.setdefault(drift.table, []).append(str(drift))
        found = index.memo[key] = (migrations, (by_table, drift_by_column(drifts)))
    return found[1]  # type: ignore[index]


def table_drift(index: SchemaIndex, migrations: MigrationIndex) -> dict[str, list[str]]:
    """Drift per table between this read and these migrations (computed once per pair)."""
    return _drifts(index, migrations)[0]


def column_drift(index: SchemaIndex, migrations: MigrationIndex) -> dict[tuple[str, str], list]:
    """Drift per (table, column) between this read and these migrations."""
    return _drifts(index, migrations)[1]


def _column_hover(index: SchemaIndex, f: FieldInfo, history: History | None = None) -> str:
    model = f.model
    provider = index.provider
    dialect = get_dialect(provider)
    written = _written_type(f)
    lines: list[str] = []
    if model.kind == "type":
        lines.append(f"**field** `{model.name}.{f.name}`: `{written}` in an embedded document")
        if f.mapped:
            lines.append(f"\nStored as `{f.db_name}` (`@map`)")
        return "\n".join(lines) + "\n"
    table = index.table(model.name)
    column = table.field(f.name) if table is not None else None
    quote = dialect.quote if dialect is not None and dialect.IS_SQL else (lambda s: s)
    mapped = " (`@map`)" if f.mapped else ""
    lines.append(f"**field** `{model.name}.{f.name}` → column {code(quote(f.db_name))}{mapped}")
    lines.append("")
    sql_type = None
    if column is not None and dialect is not None and dialect.IS_SQL:
        sql_type = column_type_sql(dialect, column)
    null = "NULL" if column is not None and column.nullable else "NOT NULL"
    if sql_type is not None:
        if f.native is not None:
            source = f"`@db.{f.native.name}`"
        elif f.kind == "enum":
            source = f"the enum's type on {_provider_name(index)}"
        elif f.kind == "unsupported":
            source = "as written"
        else:
            source = f"the {_provider_name(index)} default for `{f.type_name}`"
        lines.append(f"`{written}` → `{sql_type} {null}` ({source})")
    else:
        lines.append(f"`{written}` ({null})")
    default = _default_text(index, f, column)
    if default:
        lines.append("")
        lines.append(default)
    if table is not None:
        keys = explain.table_keys(table, model, provider)
        member = []
        for k in keys:
            for i, c in enumerate(k.columns):
                if c.column == f.db_name:
                    position = f", column {i + 1} of {len(k.columns)}" if len(k.columns) > 1 else ""
                    label = k.name or "primary key"
                    member.append(f"{k.kind} `{label}`{position}")
        if member:
            lines.append("")
            lines.append("In: " + "; ".join(member))
    if history is not None and table is not None and model.kind == "model":
        lines.append("")
        lines.extend(history_lines(history.migrations, table.name, f.db_name, history.link))
        if history.migrations.result is not None:
            lines.append("")
            lines.extend(_column_drift_lines(index, history.migrations, table.name, f.db_name))
    if f.ast.documentation:
        lines.append("")
        lines.append(f.ast.documentation)
    return "\n".join(lines) + "\n"


def _column_drift_lines(
    index: SchemaIndex, migrations: MigrationIndex, table: str, column: str
) -> list[str]:
    drift = column_drift(index, migrations).get((table, column), [])
    if not drift:
        if any(
            d.startswith(f'table "{table}": only')
            for d in table_drift(index, migrations).get(table, [])
        ):
            return ["**Drift**: the migrations do not build this table."]
        return ["No drift: the migrations build this column as declared."]
    lines = [f"**Drift** from what the migrations build ({len(drift)}):"]
    lines.extend(f"- {d}" for d in drift[:8])
    return lines


def _written_type(f: FieldInfo) -> str:
    suffix = {"optional": "?", "list": "[]"}.get(f.arity, "")
    if f.kind == "unsupported":
        return f'Unsupported("{f.type_name}"){suffix}'
    native = ""
    if f.native is not None:
        args = f"({', '.join(f.native.args)})" if f.native.args else ""
        native = f" @{f.native.datasource}.{f.native.name}{args}"
    return f"{f.type_name}{suffix}{native}"


def _default_text(index: SchemaIndex, f: FieldInfo, column) -> str | None:
    if f.is_updated_at:
        return (
            "`@updatedAt`: no database default; Prisma Client sets it on every update (raw "
            "SQL and other clients do not)."
        )
    if f.default is None or column is None:
        return None
    expr = f.default.expression
    dialect = get_dialect(index.provider)
    if isinstance(expr, ast.FunctionCall):
        name = expr.name
        if name == "autoincrement" or (name == "sequence"):
            return "Default: generated by the database (auto-increment)."
        if name in ("uuid", "cuid", "nanoid", "ulid"):
            return (
                f"Default `{name}()`: no database default; Prisma Client generates the value "
                "(rows inserted by raw SQL get none)."
            )
        if name == "auto":
            return "Default `auto()`: MongoDB generates the ObjectId."
    if dialect is None or not dialect.IS_SQL:
        return None
    enum = None
    if f.kind == "enum":
        enum = next((e for e in index.schema.enums if e.model_name == f.type_name), None)
    sql = default_sql(dialect, column.default, column, enum)
    if sql is None:
        return None
    return f"Default: `DEFAULT {sql}`"


def _relation_hover(index: SchemaIndex, f: FieldInfo, history: History | None = None) -> str:
    model = f.model
    relation = f.relation
    suffix = {"optional": "?", "list": "[]"}.get(f.arity, "")
    lines: list[str] = []
    kind = relation.kind if relation is not None else "relation"
    name = relation.name if relation is not None else f.relation_name
    if relation is not None and relation.kind == "one-to-many":
        kind = "many-to-one" if relation.forward is f else "one-to-many"
    lines.append(
        f"**relation** `{model.name}.{f.name}` → `{f.type_name}{suffix}` ({kind}"
        + (f", relation `{name}`" if name else "")
        + ")"
    )
    lines.append("")
    if relation is None:
        lines.append("No opposite relation field was found.")
        return "\n".join(lines) + "\n"
    other = relation.back if relation.forward is f else relation.forward
    if relation.kind == "many-to-many":
        lines.extend(_join_table_lines(index, relation.name))
    elif relation.forward is f and f.fields:
        lines.extend(_foreign_key_lines(index, f, history))
    elif other is not None and other.fields:
        lines.append(
            f"The foreign key is on the other side, `{other.model.name}.{other.name}` "
            f"({', '.join(f'`{n}`' for n in other.fields)} → "
            f"{', '.join(f'`{n}`' for n in other.references or [])}):"
        )
        lines.extend(_foreign_key_lines(index, other, history))
    if other is not None:
        lines.append("")
        lines.append(f"Other side: `{other.model.name}.{other.name}`")
    if f.ast.documentation:
        lines.append("")
        lines.append(f.ast.documentation)
    return "\n".join(lines) + "\n"


def _foreign_key_lines(
    index: SchemaIndex, f: FieldInfo, history: History | None = None
) -> list[str]:
    """The foreign key held by relation field `f` (the forward side), its actions and index."""
    model = f.model
    table = index.table(model.name)
    provider = index.provider
    dialect = get_dialect(provider)
    db = index.db
    mode = db.config.relation_mode if db is not None else "foreignKeys"
    lines = []
    links = explain.table_links(table, model) if table is not None else []
    link = next((x for x in links if x.field == f.name), None)
    cols = ", ".join(f"`{n}`" for n in (link.columns if link else f.fields or []))
    refs = ", ".join(f"`{n}`" for n in (link.target_columns if link else f.references or []))
    target = link.target_table if link else f.type_name
    if link is not None and link.foreign_key:
        lines.append(
            f"Foreign key `{link.foreign_key}`: `{model.db_name}`({cols}) → `{target}`({refs})"
        )
    else:
        lines.append(
            f'`relationMode = "prisma"`: no foreign key in the database; Prisma Client '
            f"emulates `{model.db_name}`({cols}) → `{target}`({refs}) with queries"
        )
    fk = None
    if table is not None and link is not None and link.foreign_key:
        fk = next((k for k in table.foreign_keys if k.name == link.foreign_key), None)
    required = f.arity == "required" or any(
        (k := model.field(n)) is not None and k.arity == "required" for n in f.fields or []
    )
    for action, declared in (("onDelete", f.on_delete), ("onUpdate", f.on_update)):
        if declared is not None:
            effective = declared
            why = "declared"
        else:
            if action == "onDelete":
                effective = (
                    dialect.default_on_delete(required, mode)  # type: ignore[arg-type]
                    if dialect is not None
                    else ("Restrict" if required else "SetNull")
                )
                arity = "a required" if required else "an optional"
                why = f"not set: Prisma's default for {arity} relation"
            else:
                effective = fk.on_update if fk is not None else "Cascade"
                why = "not set: Prisma's default"
        sql_word = "ON DELETE" if action == "onDelete" else "ON UPDATE"
        sql = f"{sql_word} {referential_action_sql(effective)}"
        lines.append(f"- `{action}: {effective}` → `{sql}` ({why})")
    if table is not None and link is not None:
        keys = explain.table_keys(table, model, provider)
        backing = [k for k in keys if explain.backs(k, link)]
        lines.append("")
        if backing:
            lines.append(f"Indexed by {backing[0].label}.")
        else:
            lines.append(_missing_index_text(index, link, mode))
    if history is not None and link is not None and link.foreign_key:
        lines.append("")
        lines.extend(key_history_lines(history.migrations, link.foreign_key, history.link))
    return lines


def _missing_index_text(index: SchemaIndex, link: explain.Link, mode: str) -> str:
    cols = ", ".join(link.columns)
    fields = ", ".join(_field_names(index, link))
    provider = index.provider
    if mode == "prisma":
        return (
            f"**No index starts with `{cols}`**: with no foreign key, Prisma Client emulates "
            f"the relation with queries on `{cols}`, and each scans the table. Add "
            f"`@@index([{fields}])`."
        )
    if provider == "mysql":
        return (
            f"No index in the schema starts with `{cols}`; MySQL (InnoDB) creates one for the "
            f"foreign key itself, named `{link.foreign_key}`. Declaring `@@index([{fields}])` "
            "keeps the schema and the database in agreement."
        )
    return (
        f"**No index starts with `{cols}`**: deleting or re-keying a `{link.target_model}` row "
        f"makes the database look up its rows here by `{cols}` (a full scan each time), and so "
        f"does every query that filters or includes by this relation. Add "
        f"`@@index([{fields}])`."
    )


def _field_names(index: SchemaIndex, link: explain.Link) -> list[str]:
    f = None
    for model in index.db.models.values() if index.db else ():
        f = model.field(link.field)
        if f is not None and f.fields and len(f.fields) == len(link.columns):
            return list(f.fields)
    return list(link.columns)


def _join_table_lines(index: SchemaIndex, relation: str) -> list[str]:
    table = index.schema.table(naming.join_table_name(relation, index.provider))
    if table is None or table.kind != "join_table":
        return ["Implicit many-to-many (no join table on this provider)."]
    lines = [f"Implicit many-to-many through join table `{table.name}`:"]
    for fk in table.foreign_keys:
        lines.append(
            f"- `{fk.columns[0]}` → `{fk.referenced_table}`(`{fk.referenced_columns[0]}`), "
            f"`{fk.name}`, ON DELETE {referential_action_sql(fk.on_delete)}, "
            f"ON UPDATE {referential_action_sql(fk.on_update)}"
        )
    if table.primary_key is not None:
        lines.append(f"- primary key `{table.primary_key.name}` on (`A`, `B`)")
    for idx in table.indexes:
        kind = "unique index" if idx.unique else "index"
        cols = ", ".join(f"`{c.column}`" for c in idx.columns)
        lines.append(f"- {kind} `{idx.name}` on ({cols})")
    return lines


# -- problem codes -------------------------------------------------------------------------------


@cache
def code_families() -> dict[str, str]:
    """`DB001` -> its family, from the tables in the readers' `problems.py` docstrings (the
    Prisma reader's DB0xx and the migration reader's DB050-DB054)."""
    from schemasense.server.migrations import problems as migration_problems

    families = {}
    for module in (problems, migration_problems):
        for line in (module.__doc__ or "").splitlines():
            m = re.match(r"\|\s*(DB\d{3})\s*\|\s*(.+?)\s*\|\s*$", line)
            if m:
                families[m.group(1)] = m.group(2)
    return families


def code_text(code: str) -> str | None:
    """A rule's documentation (DB1xx and up, or a rule's name), else a read problem's family."""
    from schemasense.server.lint.docs import render_markdown
    from schemasense.server.lint.registry import get_rule

    rule = get_rule(code)
    if rule is not None:
        return render_markdown(rule)
    family = code_families().get(code.upper())
    if family is None:
        return None
    return f"**{code.upper()}**: {family}\n"


_IGNORE = re.compile(r"//[ \t]*schemasense-ignore(?:-file)?\b")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def ignore_comment_hover(file: str, text: str, offset: int) -> tuple[str, tuple[int, int]] | None:
    """On an ignore comment (`// schemasense-ignore DB101, DB104 reason`, or `--` in SQL): the
    documentation of the code under the cursor, or of every code it names when the cursor is
    elsewhere on the comment (the same text as `schemasense rules DB101`)."""
    from schemasense.server.lint.suppressions import MARKER, parse_suppressions

    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if MARKER not in line:
        return None
    for suppression in parse_suppressions(file, line):
        start, end = suppression.span
        if not line_start + start <= offset <= line_start + end:
            continue
        for code_name, (c_start, c_end) in zip(
            suppression.codes, suppression.code_spans, strict=True
        ):
            if line_start + c_start <= offset <= line_start + c_end:
                body = code_text(code_name)
                if body is None:
                    return None
                return body, (line_start + c_start, line_start + c_end)
        bodies = [b for c in suppression.codes if (b := code_text(c)) is not None]
        if not bodies:
            return None
        return "\n---\n".join(bodies), (line_start + start, line_start + end)
    return None


def _code_at(text: str, offset: int) -> tuple[str, tuple[int, int]] | None:
    """A code (`DB005`) in any comment, or a rule name in an ignore comment, at `offset`."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    comment = line.find("//")
    if comment < 0 or line_start + comment > offset:
        return None
    ignore = _IGNORE.search(line)
    for m in _NAME.finditer(line, comment):
        start, end = line_start + m.start(), line_start + m.end()
        if not start <= offset <= end:
            continue
        word = m.group(0)
        if _CODE.fullmatch(word) or (
            ignore is not None and "-" in word and m.start() > ignore.end()
        ):
            body = code_text(word)
            return (body, (start, end)) if body else None
    return None


def finding_notes(findings: Sequence[Finding]) -> str | None:
    """One line per code of the findings under the cursor: the rule's name and summary, or
    the read problem's family (the full documentation is on the code in an ignore comment)."""
    from schemasense.server.lint.registry import get_rule

    lines: list[str] = []
    for finding_code in dict.fromkeys(f.code for f in findings):
        rule = get_rule(finding_code)
        if rule is not None:
            lines.append(f"**{rule.code}** `{rule.name}`: {rule.summary()}")
        elif (family := code_families().get(finding_code)) is not None:
            lines.append(f"**{finding_code}**: {family}")
    return "\n\n".join(lines) + "\n" if lines else None
