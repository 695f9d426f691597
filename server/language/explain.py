"""What an index or key does: the queries it serves, what covers it, the foreign keys it backs,
its method, NULLs, the DDL Prisma writes for it, and what building it costs on a live table.

Everything here reads the lowered schema model (`codegen.schema.Table`, names as Prisma derives
them) plus the resolved fields (for native types and scalars), and returns plain data or
Markdown. The facts per database:

- building an index: PostgreSQL's and InnoDB's lock facts are the migration rules' own, asked
  of `codegen/ddl/lock_facts.fact_for` as they ask it (`CREATE INDEX` holds SHARE,
  `CONCURRENTLY` SHARE UPDATE EXCLUSIVE with two scans and no transaction block; InnoDB builds
  a secondary index `ALGORITHM=INPLACE, LOCK=NONE`, a full-text index or a primary key
  rebuilds the table).
  SQLite holds its write lock for the build. SQL Server's offline build blocks writes
  (`ONLINE = ON` where the edition has it). CockroachDB and MongoDB (4.2+) build online.
- NULLs in unique keys: distinct on PostgreSQL, CockroachDB, MySQL and SQLite (any number of
  rows may hold NULL); SQL Server lets one row hold NULL per key; MongoDB indexes a missing
  field as null, so one document may lack it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import Fact, Server, fact_for
from schemasense.codegen.dialects import Dialect, get_dialect
from schemasense.codegen.dialects import mysql_online_ddl as online_ddl
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.codegen.dialects.render import (
    column_type_sql,
    index_predicate_sql,
    operator_class_sql,
)
from schemasense.codegen.schema import IndexColumn, Table
from schemasense.server.sources.prisma.database import FieldInfo, ModelInfo

KeyKind = Literal["primary key", "unique", "index", "fulltext"]


@dataclass(frozen=True, slots=True)
class KeyColumn:
    """One column of a key, with what the explanation needs to know about it."""

    column: str
    field: str | None
    sort: str | None = None
    length: int | None = None
    ops: str | None = None
    type_sql: str | None = None
    nullable: bool = False
    scalar: str | None = None
    native: str | None = None
    is_list: bool = False


@dataclass(slots=True)
class Key:
    """A primary key, unique constraint, index or full-text index of one table."""

    kind: KeyKind
    name: str | None
    columns: list[KeyColumn]
    method: str = "btree"
    predicate: str | None = None
    clustered: bool | None = None
    span_start: int | None = None
    declared: str = ""

    @property
    def unique(self) -> bool:
        return self.kind in ("primary key", "unique")

    @property
    def label(self) -> str:
        """How the explanation names it: `` `User_email_key` (@unique) ``."""
        name = f"`{self.name}`" if self.name else "the primary key"
        return f"{name} ({self.declared})" if self.declared else name

    def shape(self) -> tuple[tuple[str, int | None, str | None], ...]:
        return tuple((c.column, c.length, c.ops) for c in self.columns)


@dataclass(slots=True)
class Link:
    """A relation whose foreign key columns live on this table (`author User @relation(...)`)."""

    field: str
    columns: list[str]
    target_model: str
    target_table: str
    target_columns: list[str]
    foreign_key: str | None
    """The foreign key's name; None under `relationMode = "prisma"` (no foreign key)."""


@dataclass(slots=True)
class Explanation:
    """Everything said about one key, section by section (each a list of Markdown lines)."""

    key: Key
    table: str
    provider: str | None
    serves: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    covered_by: list[Key] = field(default_factory=list)
    covers: list[Key] = field(default_factory=list)
    backs: list[Link] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    nulls: list[str] = field(default_factory=list)
    ddl: str | None = None
    build: list[str] = field(default_factory=list)
    safe_ddl: str | None = None


def code(text: str) -> str:
    """`text` as a Markdown code span, with a longer fence when it holds backticks (MySQL's
    quoted names)."""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"


# -- keys of a table ----------------------------------------------------------------------------


def table_keys(table: Table, model: ModelInfo | None, provider: str | None) -> list[Key]:
    """The primary key, uniques and indexes of `table`, with their columns described."""
    dialect = get_dialect(provider)
    keys: list[Key] = []
    pk = table.primary_key
    if pk is not None:
        keys.append(
            Key(
                kind="primary key",
                name=pk.name,
                columns=[_key_column(c, table, model, dialect) for c in pk.columns],
                clustered=pk.clustered,
                span_start=pk.span.start if pk.span else None,
                declared="@id" if pk.defined_on_field else "@@id",
            )
        )
    for unique in table.uniques:
        keys.append(
            Key(
                kind="unique",
                name=unique.name,
                columns=[_key_column(c, table, model, dialect) for c in unique.columns],
                clustered=unique.clustered,
                span_start=unique.span.start if unique.span else None,
                declared="@unique" if unique.defined_on_field else "@@unique",
            )
        )
    for index in table.indexes:
        fulltext = index.method == "fulltext"
        keys.append(
            Key(
                kind="fulltext" if fulltext else ("unique" if index.unique else "index"),
                name=index.name,
                columns=[_key_column(c, table, model, dialect) for c in index.columns],
                method="fulltext" if fulltext else (index.method or "btree"),
                predicate=index.predicate,
                clustered=index.clustered,
                span_start=index.span.start if index.span else None,
                declared="@@fulltext" if fulltext else ("" if index.span is None else "@@index"),
            )
        )
    return keys


def _key_column(
    item: IndexColumn, table: Table, model: ModelInfo | None, dialect: Dialect | None
) -> KeyColumn:
    column = table.column(item.column or "")
    info: FieldInfo | None = None
    if model is not None and item.field_name:
        info = model.field(item.field_name.split(".")[0])
    type_sql = None
    if column is not None and dialect is not None and dialect.IS_SQL:
        type_sql = column_type_sql(dialect, column)
    return KeyColumn(
        column=item.column or item.expression or "?",
        field=item.field_name,
        sort=item.sort,
        length=item.length,
        ops=item.ops,
        type_sql=type_sql,
        nullable=column.nullable if column is not None else False,
        scalar=info.type_name if info is not None else None,
        native=info.native.name if info is not None and info.native is not None else None,
        is_list=info.is_list if info is not None else False,
    )


def table_links(table: Table, model: ModelInfo | None) -> list[Link]:
    """The relations whose scalar fields are on this table (forward sides with `fields:`)."""
    if model is None:
        return []
    links: list[Link] = []
    by_columns = {tuple(fk.columns): fk for fk in table.foreign_keys}
    for f in model.relation_fields:
        relation = f.relation
        if relation is None or relation.forward is not f or relation.kind == "many-to-many":
            continue
        if not f.fields or not f.references:
            continue
        target = f.type_name
        columns = [(model.field(n).db_name if model.field(n) else n) for n in f.fields]
        fk = by_columns.get(tuple(columns))
        links.append(
            Link(
                field=f.name,
                columns=columns,
                target_model=target,
                target_table=fk.referenced_table if fk else target,
                target_columns=fk.referenced_columns if fk else list(f.references),
                foreign_key=fk.name if fk else None,
            )
        )
    return links


# -- the analysis -------------------------------------------------------------------------------


def _btree(key: Key) -> bool:
    return key.method == "btree" and key.predicate is None


def _directions(key: Key) -> list[bool]:
    """Each column's direction relative to the first one (True: same)."""
    first = (key.columns[0].sort or "asc") if key.columns else "asc"
    return [(c.sort or "asc") == first for c in key.columns]


def covers(big: Key, small: Key) -> bool:
    """Whether `big` makes `small` redundant: both B-trees without a predicate, and `small`'s
    columns are `big`'s leading columns (same lengths and operator classes, same relative
    directions). A unique key is only covered by another unique key on exactly its columns."""
    if big is small or not (_btree(big) and _btree(small)) or not small.columns:
        return False
    n = len(small.columns)
    if small.shape() != big.shape()[:n]:
        return False
    if n > 1 and _directions(small) != _directions(big)[:n]:
        return False
    if small.unique:
        return big.unique and len(big.columns) == n
    # an index equal to a unique key or a longer index is redundant; of two equal plain
    # indexes only the later one is reported as redundant
    if len(big.columns) == n and not big.unique:
        return (big.span_start or 0) < (small.span_start or 0)
    return True


def backs(key: Key, link: Link) -> bool:
    """Whether `key` serves lookups by `link`'s columns (they are its leading columns, in any
    order): what the database needs on every delete or key update of the referenced row."""
    n = len(link.columns)
    if not _btree(key) or len(key.columns) < n:
        return False
    return {c.column for c in key.columns[:n]} == set(link.columns)


def explain(
    key: Key, keys: Sequence[Key], links: Sequence[Link], table: Table, provider: str | None
) -> Explanation:
    """Every section for `key`, one of `keys` (the table's keys) on `table`."""
    dialect = get_dialect(provider)
    result = Explanation(key=key, table=table.name, provider=provider)
    quote = dialect.quote if dialect is not None and dialect.IS_SQL else (lambda s: s)
    _prefix_rule(result, key, quote, provider)
    result.covered_by = [k for k in keys if covers(k, key)]
    result.covers = [k for k in keys if covers(key, k)]
    result.backs = [link for link in links if backs(key, link)]
    result.method = _method_notes(key, dialect)
    result.nulls = _null_notes(key, provider)
    if dialect is not None:
        result.ddl = key_ddl(key, table, dialect)
        result.build, result.safe_ddl = _build_notes(key, table, dialect)
    return result


def _prefix_rule(result: Explanation, key: Key, quote, provider: str | None) -> None:
    cols = [quote(c.column) for c in key.columns]
    if not cols:
        return
    if key.method == "fulltext":
        result.serves.append(f"`MATCH ({', '.join(cols)}) AGAINST (?)` (Prisma's `search`)")
        result.misses.append("`=`, `LIKE`, ranges and sorting: a full-text index serves none")
        return
    if key.method == "hash":
        result.serves.append(f"{code(f'WHERE {cols[0]} = ?')} (equality only)")
        result.misses.append(
            "ranges (`>`, `BETWEEN`), `ORDER BY`, `IS NULL` and prefix `LIKE`: a hash index "
            "answers equality and nothing else"
        )
        return
    if key.method in ("gin", "gist", "spgist", "brin"):
        return  # what these serve depends on the operator class: see the method section
    first = cols[0]
    result.serves.append(f"{code(f'WHERE {first} = ?')} (and `IN (...)`)")
    if len(cols) == 1:
        result.serves.append(f"{code(f'WHERE {first} > ?')} (ranges: `<`, `>=`, `BETWEEN`)")
    else:
        equal = " AND ".join(f"{c} = ?" for c in cols[:-1])
        result.serves.append(
            f"{code(f'WHERE {equal} AND {cols[-1]} > ?')} (a range on the last column)"
        )
        if len(cols) > 2:
            result.serves.append(
                code("WHERE " + " AND ".join(f"{c} = ?" for c in cols)) + " (every column)"
            )
    order = ", ".join(
        f"{quote(c.column)} DESC" if c.sort == "desc" else quote(c.column) for c in key.columns
    )
    result.serves.append(f"{code(f'ORDER BY {order}')} (and its exact reverse)")
    if len(cols) > 1:
        result.serves.append(code(f"WHERE {first} = ? ORDER BY {', '.join(cols[1:])}"))
    if key.unique:
        everything = " AND ".join(f"{c} = ?" for c in cols)
        result.serves.append(f"{code(f'WHERE {everything}')} finds at most one row (`findUnique`)")
    if len(cols) > 1:
        result.misses.append(
            f"{code(f'WHERE {cols[1]} = ?')} without {code(first)}: not a leftmost prefix, so "
            "no seek (MySQL 8.0.13+ and PostgreSQL 18 may skip-scan when "
            f"{code(first)} has few distinct values)"
        )
        result.misses.append(
            f"{code(f'WHERE {first} > ? AND {cols[1]} = ?')}: seeks on {code(first)} only; "
            f"{code(cols[1])} is checked on every entry of the range"
        )
        mixed = [
            f"{quote(c.column)}{'' if (i == 0) == (c.sort != 'desc') else ' DESC'}"
            for i, c in enumerate(key.columns[:2])
        ]
        result.misses.append(
            f"{code('ORDER BY ' + ', '.join(mixed))} (mixed directions) or "
            f"{code(f'ORDER BY {cols[1]}')}"
        )
    text_columns = [c for c in key.columns if c.scalar == "String" and not c.is_list]
    if text_columns and provider in ("postgresql", "cockroachdb"):
        name = quote(text_columns[0].column)
        result.misses.append(
            f"`contains` / `endsWith` / `mode: \"insensitive\"` on {code(name)} (`LIKE '%x%'`, "
            f"`ILIKE`); `startsWith` (`LIKE 'x%'`) only under the C collation"
        )
    elif text_columns and provider == "mysql":
        name = quote(text_columns[0].column)
        result.misses.append(f"`contains` / `endsWith` on {code(name)} (`LIKE '%x%'`)")
    if key.predicate:
        result.misses.append(
            f"queries whose `WHERE` does not imply `{key.predicate}` (the partial predicate)"
        )


# -- method --------------------------------------------------------------------------------------

_METHOD_TEXT = {
    "btree": "B-tree (the default): equality, ranges, sorting and `IS NULL`; works for every "
    "orderable column type.",
    "hash": "Hash: equality (`=`) only; no ranges, no sorting, no uniqueness, one column.",
    "gin": "GIN (inverted): containment, not order. Arrays: `has`, `hasSome`, `hasEvery` "
    "(`@>`, `&&`); `Json` (jsonb): `@>` and key existence (`?`, `?|`, `?&`); with "
    "`JsonbPathOps` only `@>`, but smaller. Slower to update than a B-tree.",
    "gist": "GiST: overlaps and nearest-neighbour on ranges, geometry, `inet` and text search; "
    "plain scalars need the `btree_gist` extension.",
    "spgist": "SP-GiST: space-partitioned trees: text prefixes (`^@`), `inet`, points.",
    "brin": "BRIN: a summary per block range, tiny, lossy. Useful only when values follow the "
    "physical row order (append-only timestamps, serial ids) and for range scans.",
    "fulltext": "Full-text (MySQL InnoDB / MongoDB text): word search with `MATCH ... AGAINST`; "
    "Prisma's `search` filter (the `fullTextSearch` preview feature).",
}


def _method_notes(key: Key, dialect: Dialect | None) -> list[str]:
    notes = [_METHOD_TEXT.get(key.method, key.method)]
    if dialect is None:
        return notes
    if key.method == "btree":
        for c in key.columns:
            if c.scalar == "Json":
                notes.append(
                    f"`{c.column}` is JSON: a B-tree compares whole documents; queries on its "
                    "keys need `type: Gin`."
                )
            elif c.is_list:
                notes.append(
                    f"`{c.column}` is a list: a B-tree compares whole arrays; `has` / "
                    "`hasSome` need `type: Gin`."
                )
        return notes
    algorithm = {"gin": "Gin", "gist": "Gist", "spgist": "SpGist", "brin": "Brin"}.get(key.method)
    defaults = dialect.DEFAULT_OPERATOR_CLASSES.get(algorithm or "")
    if defaults is None:
        return notes
    for c in key.columns:
        if c.ops:
            notes.append(f"`{c.column}` uses operator class `{operator_class_sql(c.ops)}`.")
            continue
        fits = (
            (c.is_list and defaults.lists)
            or (c.native is not None and c.native in defaults.natives)
            or (c.native is None and c.scalar in defaults.scalars)
        )
        what = c.type_sql or c.scalar or "?"
        if fits:
            notes.append(f"`{c.column}` ({what}) has a default {algorithm} operator class.")
        else:
            notes.append(
                f"`{c.column}` ({what}) has no default {algorithm} operator class: give "
                "`ops:` or PostgreSQL refuses the index."
            )
    return notes


def _null_notes(key: Key, provider: str | None) -> list[str]:
    if key.kind == "primary key":
        return ["Primary key columns are NOT NULL."]
    if not key.unique:
        return []
    nullable = [c.column for c in key.columns if c.nullable]
    if not nullable:
        return ["Every column is required, so NULLs do not arise."]
    cols = ", ".join(f"`{c}`" for c in nullable)
    if provider == "sqlserver":
        return [
            f"SQL Server treats NULL as a value: only one row may have NULL in {cols} (per "
            "combination of the other columns). A filtered index (`WHERE ... IS NOT NULL`) "
            "would lift that; Prisma cannot declare one."
        ]
    if provider == "mongodb":
        return [
            f"MongoDB indexes a missing {cols} as null: only one document may lack it (a "
            "partial index would lift that)."
        ]
    where = {
        "postgresql": "PostgreSQL (NULLS DISTINCT, the default; Prisma never writes "
        "`NULLS NOT DISTINCT`)",
        "cockroachdb": "CockroachDB",
        "mysql": "MySQL",
        "sqlite": "SQLite",
    }.get(provider or "", "This database")
    return [
        f"{where} treats NULLs as distinct: any number of rows may have NULL in {cols}, and "
        "a row with a NULL in any key column never conflicts."
    ]


# -- DDL -----------------------------------------------------------------------------------------


def _qualified(table: Table, dialect: Dialect) -> str:
    if dialect.NAME == "sqlserver":
        return f"{dialect.quote(table.db_schema or 'dbo')}.{dialect.quote(table.name)}"
    if table.db_schema and dialect.NAME in ("postgresql", "cockroachdb"):
        return f"{dialect.quote(table.db_schema)}.{dialect.quote(table.name)}"
    return dialect.quote(table.name)


def _column_list(key: Key, dialect: Dialect, with_ops: bool = False) -> str:
    parts = []
    for c in key.columns:
        text = dialect.quote(c.column)
        if c.length is not None:
            text += f"({c.length})"
        if with_ops and c.ops:
            text += f" {operator_class_sql(c.ops)}"
        if c.sort == "desc":
            text += " DESC"
        parts.append(text)
    return ", ".join(parts)


def key_ddl(key: Key, table: Table, dialect: Dialect, concurrently: bool = False) -> str | None:
    """The statement Prisma's migration writes to add `key` to an existing `table`."""
    name = dialect.quote(key.name) if key.name else None
    target = _qualified(table, dialect)
    provider = dialect.NAME
    if provider == "mongodb":
        fields = ", ".join(
            f"{c.field or c.column}: {-1 if c.sort == 'desc' else 1}" for c in key.columns
        )
        if key.method == "fulltext":
            fields = ", ".join(f'{c.field or c.column}: "text"' for c in key.columns)
        options = f'name: "{key.name}"' + (", unique: true" if key.unique else "")
        return f"db.{table.name}.createIndex({{ {fields} }}, {{ {options} }})"
    if key.kind == "primary key":
        columns = _column_list(key, dialect)
        if provider == "sqlite":
            return None  # SQLite cannot add a primary key: Prisma rebuilds the table
        if provider == "mysql":
            return f"ALTER TABLE {target} ADD PRIMARY KEY ({columns});"
        clustered = ""
        if provider == "sqlserver":
            clustered = " NONCLUSTERED" if key.clustered is False else " CLUSTERED"
        return f"ALTER TABLE {target} ADD CONSTRAINT {name} PRIMARY KEY{clustered} ({columns});"
    if provider == "sqlserver":
        if key.kind == "unique":
            clustered = " CLUSTERED" if key.clustered else " NONCLUSTERED"
            return (
                f"ALTER TABLE {target} ADD CONSTRAINT {name} UNIQUE{clustered} "
                f"({_column_list(key, dialect)});"
            )
        clustered = "CLUSTERED" if key.clustered else "NONCLUSTERED"
        return f"CREATE {clustered} INDEX {name} ON {target}({_column_list(key, dialect)});"
    kind = {"unique": "UNIQUE INDEX", "fulltext": "FULLTEXT INDEX"}.get(key.kind, "INDEX")
    if concurrently:
        kind += " CONCURRENTLY"
    if key.method in ("btree", "fulltext") or provider not in ("postgresql", "cockroachdb"):
        sql = f"CREATE {kind} {name} ON {target}({_column_list(key, dialect)})"
    else:
        with_ops = provider == "postgresql"
        sql = (
            f"CREATE {kind} {name} ON {target} USING {key.method.upper()} "
            f"({_column_list(key, dialect, with_ops)})"
        )
    if key.predicate:
        sql += f" WHERE {index_predicate_sql(dialect, key.predicate)}"
    return sql + ";"


def _build_notes(key: Key, table: Table, dialect: Dialect) -> tuple[list[str], str | None]:
    """What adding `key` to a table that already holds rows costs, and the safe statement."""
    provider = dialect.NAME
    t = dialect.quote(table.name) if dialect.IS_SQL else table.name
    duplicates = None
    if key.unique and dialect.IS_SQL:
        cols = ", ".join(dialect.quote(c.column) for c in key.columns)
        duplicates = (
            "It fails if rows already repeat a key: check first with "
            + code(f"SELECT {cols}, count(*) FROM {t} GROUP BY {cols} HAVING count(*) > 1")
            + "."
        )
    notes: list[str] = []
    safe: str | None = None
    scan = "one full scan of the table plus a sort of every key; time grows with the rows"
    if provider == "postgresql":
        if key.kind == "primary key":
            notes.append(
                f"`ADD PRIMARY KEY`: {_fact(key, table, 'postgresql').markdown(table.name)} "
                f"({scan}), "
                "plus a NOT NULL check of each column."
            )
            index_name = key.name or f"{table.name}_pkey"
            build = Key(
                kind="unique",
                name=index_name,
                columns=key.columns,
                method="btree",
            )
            safe = (
                key_ddl(build, table, dialect, concurrently=True)
                + f"\nALTER TABLE {_qualified(table, dialect)} ADD CONSTRAINT "
                f"{dialect.quote(index_name)} PRIMARY KEY USING INDEX "
                f"{dialect.quote(index_name)};"
            )
            notes.append(
                "Safe way: build a unique index concurrently, then attach it (a brief lock)."
            )
        else:
            statement = "CREATE UNIQUE INDEX" if key.unique else "CREATE INDEX"
            fact = _fact(key, table, "postgresql")
            notes.append(f"`{statement}`: {fact.markdown(table.name)} ({scan}).")
            safe = key_ddl(key, table, dialect, concurrently=True)
            concurrently = locks.CREATE_INDEX_CONCURRENTLY.lock
            notes.append(
                f"Safe way: `CONCURRENTLY` ({concurrently}: {locks.BLOCKS[concurrently]}; two "
                "scans, and it waits for open transactions). It cannot run inside a transaction "
                "block, and PostgreSQL runs a multi-statement migration as one implicit "
                "transaction: put it alone in its own migration (`prisma migrate dev "
                "--create-only`, then edit the SQL). If it fails it leaves an INVALID index: "
                "`DROP INDEX CONCURRENTLY` it and retry."
            )
    elif provider == "cockroachdb":
        notes.append(
            "CockroachDB builds indexes online, as a background schema change: reads and "
            f"writes go on ({scan}, spread over the cluster)."
        )
    elif provider == "mysql":
        cols = _column_list(key, dialect)
        name = dialect.quote(key.name) if key.name else ""
        fact = _online(key, table)
        if key.kind == "primary key":
            notes.append(
                f"InnoDB adds a primary key as {fact.markdown(table.name)}: the clustered "
                "index is the table, so the cost is a full copy of the rows."
            )
            safe = f"ALTER TABLE {t} ADD PRIMARY KEY ({cols}), ALGORITHM=INPLACE, LOCK=NONE;"
        elif key.kind == "fulltext":
            notes.append(
                f"InnoDB builds a FULLTEXT index as {fact.markdown(table.name)} (the first "
                "one on a table adds a hidden column, hence the rebuild)."
            )
            safe = (
                f"ALTER TABLE {t} ADD FULLTEXT INDEX {name} ({cols}), "
                "ALGORITHM=INPLACE, LOCK=SHARED;"
            )
        else:
            notes.append(
                f"InnoDB builds a secondary index as {fact.markdown(table.name)} ({scan})."
            )
            what = "UNIQUE INDEX" if key.unique else "INDEX"
            safe = f"ALTER TABLE {t} ADD {what} {name} ({cols}), ALGORITHM=INPLACE, LOCK=NONE;"
            notes.append(
                "Safe way: say `ALGORITHM=INPLACE, LOCK=NONE`, so MySQL refuses instead of "
                "silently falling back to a locking table copy."
            )
    elif provider == "sqlite":
        if key.kind == "primary key":
            notes.append(
                "SQLite cannot add a primary key to a table: Prisma's migration creates a new "
                "table, copies every row and swaps them."
            )
        else:
            notes.append(
                f"SQLite holds the database's write lock for the whole build ({scan}); "
                "readers go on in WAL mode. There is no online variant."
            )
    elif provider == "sqlserver":
        clustered = key.clustered if key.clustered is not None else key.kind == "primary key"
        if clustered:
            notes.append(
                f"A clustered build holds a schema-modification lock on {code(t)}: no reads, "
                f"no writes ({scan}, and the rows are rewritten in key order)."
            )
        else:
            notes.append(
                f"An offline build holds a shared lock on {code(t)}: reads go on, writes wait "
                f"({scan})."
            )
        if key.kind == "index":
            safe = (key_ddl(key, table, dialect) or "").rstrip(";") + " WITH (ONLINE = ON);"
            notes.append("Safe way: `WITH (ONLINE = ON)` (Enterprise edition and Azure SQL).")
    elif provider == "mongodb":
        notes.append(
            "MongoDB (4.2+) builds indexes with an exclusive lock only at the start and the "
            "end: reads and writes go on in between."
        )
    if duplicates:
        notes.append(duplicates)
    return notes, safe


def _online(key: Key, table: Table) -> online_ddl.Online:
    """How InnoDB adds `key` to an existing table (the migration rules' facts; adding an
    index or a primary key does not depend on the server version)."""
    fact = _fact(key, table, "mysql")
    assert isinstance(fact, online_ddl.Online)
    return fact


def _fact(key: Key, table: Table, dialect: str) -> Fact:
    """The lock fact of adding `key` to an existing table, as the migration rules and the
    hover on a migration statement ask it (`lock_facts.fact_for`), on a current server."""
    parts = tuple(ops.IndexPart(column=c.column) for c in key.columns)
    operation: ops.Op | ops.TableChange
    if key.kind == "primary key":
        operation = ops.AddConstraint(ops.ConstraintDef("primary_key", key.name, parts))
    else:
        method = "FULLTEXT" if key.kind == "fulltext" else None
        index = ops.IndexDef(key.name, parts, unique=key.unique, method=method)
        operation = ops.CreateIndex(table.name, index)
    fact = fact_for(operation, Server(dialect, dialect))
    assert fact is not None
    return fact


# -- Markdown ------------------------------------------------------------------------------------


def render(explanation: Explanation, heading: str) -> str:
    """The explanation as hover Markdown; `heading` names the attribute and the model."""
    e = explanation
    key = e.key
    dialect = get_dialect(e.provider)
    sql = dialect is not None and dialect.IS_SQL
    lines = [heading, ""]
    kind = {
        "primary key": "primary key",
        "unique": "unique index",
        "index": "index",
        "fulltext": "full-text index",
    }[key.kind]
    name = f" `{key.name}`" if key.name else ""
    lines.append(f"**{kind}**{name} on `{e.table}` ({key.method})")
    lines.append("")
    lines.append("Columns, in order:")
    for i, c in enumerate(key.columns, 1):
        details = [d for d in (c.type_sql, "NULL" if c.nullable else None) if d]
        extra = "".join(
            f", {x}"
            for x in (
                "DESC" if c.sort == "desc" else None,
                f"length {c.length}" if c.length else None,
                f"ops {operator_class_sql(c.ops)}" if c.ops else None,
            )
            if x
        )
        lines.append(f"{i}. `{c.column}`" + (f" {' '.join(details)}" if details else "") + extra)
    if key.predicate:
        lines.append("")
        lines.append(f"Partial: only rows where `{key.predicate}`.")
    if e.serves:
        lines.append("")
        lines.append("Serves (leftmost prefix):" if key.method == "btree" else "Serves:")
        lines.extend(f"- {s}" for s in e.serves)
    if e.misses:
        lines.append("")
        lines.append("Does not serve:")
        lines.extend(f"- {s}" for s in e.misses)
    lines.append("")
    if e.covered_by:
        for other in e.covered_by:
            what = (
                "the same columns"
                if len(other.columns) == len(key.columns)
                else ("these columns first")
            )
            lines.append(
                f"**Redundant**: {other.label} has {what} and serves every query this one "
                "serves; dropping this one saves its space and its cost on every write."
            )
    else:
        lines.append("Not redundant: no other index or key starts with these columns.")
    for other in e.covers:
        lines.append(f"It makes {other.label} redundant.")
    for link in e.backs:
        fk = f"foreign key `{link.foreign_key}`" if link.foreign_key else "emulated relation"
        cols = ", ".join(f"`{c}`" for c in link.columns)
        lines.append(
            f"Backs the {fk} of `{link.field}` ({cols} → `{link.target_table}`): deleting or "
            f"re-keying a `{link.target_model}` row finds its `{e.table}` rows through it."
        )
    if e.method:
        lines.append("")
        lines.append("Method: " + e.method[0])
        lines.extend(f"- {m}" for m in e.method[1:])
    if e.nulls:
        lines.append("")
        lines.append("NULLs: " + " ".join(e.nulls))
    if e.ddl:
        lines.append("")
        lines.append(f"What Prisma's migration writes ({dialect.DISPLAY_NAME if dialect else ''}):")
        lines.append("```sql" if sql else "```js")
        lines.append(e.ddl)
        lines.append("```")
    if e.build:
        lines.append("")
        lines.append("On a table that already has rows: " + e.build[0])
        lines.extend(f"- {b}" for b in e.build[1:])
    if e.safe_ddl:
        lines.append("```sql")
        lines.append(e.safe_ddl)
        lines.append("```")
    return "\n".join(lines).rstrip() + "\n"
