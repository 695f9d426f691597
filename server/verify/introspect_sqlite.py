"""Read a SQLite database into the schema model (the standard library's sqlite3).

What the database built, in the canonical forms the migration replay also produces:
- tables and views (`kind="view"`, by name) from `sqlite_master`; SQLite's own `sqlite_*`
  tables and Prisma's `_prisma_migrations` are left out.
- columns from `PRAGMA table_xinfo`: `type.native` is the declared type upper-cased, the
  default `Default(kind="expression")` with `dflt_value` (the text the table's SQL wrote),
  `nullable` as SQLite reports it (`notnull`), `auto_increment` where the column is declared
  `AUTOINCREMENT`.
- the primary key from the `pk` positions (named None: SQLite keeps no constraint objects).
- indexes from `PRAGMA index_list` / `index_xinfo`: `CREATE INDEX` ones (origin `c`) are
  indexes, `UNIQUE` table constraints (origin `u`) are unique constraints, named as the table's
  SQL names them (`CONSTRAINT name UNIQUE`) or else by SQLite's `sqlite_autoindex_*`.
  Expressions and the partial-index predicate come from the index's SQL in `sqlite_master`.
- foreign keys from `PRAGMA foreign_key_list`, named as the table's SQL names them
  (`CONSTRAINT name FOREIGN KEY`), else `""`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from schemasense.codegen.dialects.sql_types import column_type
from schemasense.codegen.schema import (
    Column,
    Default,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)

SKIPPED_TABLES = frozenset({"_prisma_migrations"})

_ACTIONS = {
    "CASCADE": "Cascade",
    "RESTRICT": "Restrict",
    "NO ACTION": "NoAction",
    "SET NULL": "SetNull",
    "SET DEFAULT": "SetDefault",
}


def introspect_sqlite(conn: sqlite3.Connection) -> Schema:
    """The schema that the database behind `conn` holds."""
    masters = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    index_sql = {name: sql for kind, name, _, sql in masters if kind == "index"}
    tables: list[Table] = []
    for kind, name, _, sql in masters:
        if kind == "view":
            tables.append(Table(name=name, kind="view"))
        elif kind == "table" and name not in SKIPPED_TABLES:
            tables.append(_table(conn, name, sql or "", index_sql))
    return Schema(provider="sqlite", tables=tables)


def _pragma(conn: sqlite3.Connection, pragma: str, argument: str) -> list[tuple]:
    quoted = '"' + argument.replace('"', '""') + '"'
    return conn.execute(f"PRAGMA {pragma}({quoted})").fetchall()


def _table(
    conn: sqlite3.Connection, name: str, sql: str, index_sql: dict[str, str | None]
) -> Table:
    table = Table(name=name)
    body = _definition(sql)
    autoincrement = {
        item.name for item in body if item.kind == "column" and "AUTOINCREMENT" in item.words
    }
    pk: list[tuple[int, str]] = []
    for _cid, column, declared, notnull, default, pk_position, hidden in _pragma(
        conn, "table_xinfo", name
    ):
        if hidden == 1:  # a virtual table's hidden column
            continue
        native = (declared or "").upper()
        col = Column(
            name=column,
            type=column_type("sqlite", native),
            nullable=not notnull,
            auto_increment=column in autoincrement,
        )
        if default is not None:
            col.default = Default(kind="expression", value=default)
        table.columns.append(col)
        if pk_position:
            pk.append((pk_position, column))
    if pk:
        table.primary_key = PrimaryKey(columns=[IndexColumn(column=c) for _, c in sorted(pk)])

    unique_names = {
        tuple(item.columns): item.name for item in body if item.kind == "unique" and item.name
    }
    for _seq, index, unique, origin, _partial in _pragma(conn, "index_list", name):
        if origin == "pk":
            continue
        parts = _index_parts(conn, index, index_sql.get(index))
        if origin == "u":
            key = tuple(p.column or "" for p in parts)
            table.uniques.append(UniqueConstraint(name=unique_names.get(key, index), columns=parts))
            continue
        table.indexes.append(
            Index(
                name=index,
                columns=parts,
                unique=bool(unique),
                predicate=_predicate(index_sql.get(index)),
            )
        )
    table.uniques.sort(key=lambda u: u.name)
    table.indexes.sort(key=lambda i: i.name)

    fk_names = {
        (tuple(item.columns), item.references): item.name
        for item in body
        if item.kind == "foreign_key"
    }
    groups: dict[int, list[tuple]] = {}
    for row in _pragma(conn, "foreign_key_list", name):
        groups.setdefault(row[0], []).append(row)
    for _id, rows in sorted(groups.items(), key=lambda kv: -kv[0]):
        rows.sort(key=lambda r: r[1])
        referenced = rows[0][2]
        columns = [r[3] for r in rows]
        targets = [r[4] for r in rows]
        if any(t is None for t in targets):  # REFERENCES t: the referenced table's primary key
            targets = [
                c
                for _, c in sorted(
                    (r[5], r[1]) for r in _pragma(conn, "table_info", referenced) if r[5]
                )
            ]
        table.foreign_keys.append(
            ForeignKey(
                name=fk_names.get((tuple(columns), referenced.lower()), ""),
                columns=columns,
                referenced_table=referenced,
                referenced_columns=targets,
                on_update=_ACTIONS.get(rows[0][5].upper(), "NoAction"),  # type: ignore[arg-type]
                on_delete=_ACTIONS.get(rows[0][6].upper(), "NoAction"),  # type: ignore[arg-type]
            )
        )
    return table


def _index_parts(conn: sqlite3.Connection, index: str, sql: str | None) -> list[IndexColumn]:
    texts = _index_items(sql) if sql else []
    parts: list[IndexColumn] = []
    for seqno, cid, column, desc, _coll, key in _pragma(conn, "index_xinfo", index):
        if not key:
            continue
        part = IndexColumn()
        if cid == -2:  # an expression: its text from the index's SQL
            part.expression = texts[seqno] if seqno < len(texts) else None
        else:
            part.column = column
        if desc:
            part.sort = "desc"
        parts.append(part)
    return parts


# --- the table's and the index's SQL, where SQLite keeps what no PRAGMA reports ---------

_TOKEN = re.compile(
    r"""\s+|--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]
    |[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d*)?|.""",
    re.S | re.X,
)


def _tokens(sql: str) -> list[str]:
    return [t for t in _TOKEN.findall(sql) if t.strip() and not t.startswith(("--", "/*"))]


def _name(token: str) -> str:
    if token[:1] in '"`' and len(token) >= 2:
        return token[1:-1].replace(token[0] * 2, token[0])
    if token[:1] == "[":
        return token[1:-1]
    if token[:1] == "'":
        return token[1:-1].replace("''", "'")
    return token


def _split(tokens: list[str]) -> list[list[str]]:
    """Split a parenthesised list's tokens on its top-level commas."""
    items: list[list[str]] = [[]]
    depth = 0
    for t in tokens:
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        if t == "," and depth == 0:
            items.append([])
        else:
            items[-1].append(t)
    return [i for i in items if i]


def _parenthesised(tokens: list[str], start: int) -> tuple[list[str], int]:
    """The tokens inside the parentheses that open at `start`, and the index after them."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i] == "(":
            depth += 1
        elif tokens[i] == ")":
            depth -= 1
            if depth == 0:
                return tokens[start + 1 : i], i + 1
    return tokens[start + 1 :], len(tokens)


@dataclass
class _Item:
    kind: str  # column | foreign_key | unique | other
    name: str
    words: frozenset[str]
    columns: list[str]
    references: str = ""


def _definition(sql: str) -> list[_Item]:
    """The items of a CREATE TABLE's parenthesised body: columns and named constraints."""
    tokens = _tokens(sql)
    if "(" not in tokens:
        return []
    body, _ = _parenthesised(tokens, tokens.index("("))
    items: list[_Item] = []
    for item in _split(body):
        words = frozenset(t.upper() for t in item if re.match(r"[A-Za-z_]", t))
        name = ""
        rest = item
        if item[0].upper() == "CONSTRAINT" and len(item) > 1:
            name, rest = _name(item[1]), item[2:]
        head = rest[0].upper() if rest else ""
        if head == "FOREIGN" and "(" in rest:
            columns, after = _parenthesised(rest, rest.index("("))
            referenced = ""
            if "REFERENCES" in (t.upper() for t in rest[after:]):
                at = [t.upper() for t in rest].index("REFERENCES", after)
                referenced = _name(rest[at + 1]).lower() if at + 1 < len(rest) else ""
            fk_columns = [_name(c) for c in columns if c != ","]
            items.append(_Item("foreign_key", name, words, fk_columns, referenced))
        elif head == "UNIQUE" and "(" in rest:
            columns, _ = _parenthesised(rest, rest.index("("))
            cols = [_name(c[0]) for c in _split(columns)]
            items.append(_Item("unique", name, words, cols))
        elif head in ("PRIMARY", "CHECK") or name:
            items.append(_Item("other", name, words, []))
        else:
            items.append(_Item("column", _name(item[0]), words, [_name(item[0])]))
            if "REFERENCES" in words:  # `col INTEGER REFERENCES t(id)`, unnamed unless CONSTRAINT
                upper = [t.upper() for t in item]
                at = upper.index("REFERENCES")
                named = "CONSTRAINT" in words and upper.index("CONSTRAINT") < at
                fk_name = _name(item[upper.index("CONSTRAINT") + 1]) if named else ""
                referenced = _name(item[at + 1]).lower() if at + 1 < len(item) else ""
                items.append(_Item("foreign_key", fk_name, words, [_name(item[0])], referenced))
    return items


def _index_items(sql: str) -> list[str]:
    """The key parts of a CREATE INDEX, as the SQL wrote them (without ASC/DESC/COLLATE)."""
    tokens = _tokens(sql)
    upper = [t.upper() for t in tokens]
    if "ON" not in upper:
        return []
    start = upper.index("(", upper.index("ON"))
    inside, _ = _parenthesised(tokens, start)
    out = []
    for item in _split(inside):
        while item and item[-1].upper() in ("ASC", "DESC"):
            item = item[:-1]
        if len(item) >= 2 and item[-2].upper() == "COLLATE":
            item = item[:-2]
        out.append(_join(item))
    return out


def _predicate(sql: str | None) -> str | None:
    """The text after a CREATE INDEX's top-level WHERE, as the SQL wrote it."""
    if not sql:
        return None
    tokens = _tokens(sql)
    depth = 0
    for i, t in enumerate(tokens):
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and t.upper() == "WHERE":
            return _join(tokens[i + 1 :]).rstrip(";").strip()
    return None


def _join(tokens: list[str]) -> str:
    """Tokens back to text: one space between words, none inside parentheses or before `,`,
    none between a function's name and its `(`."""
    out = ""
    for t in tokens:
        call = t == "(" and bool(re.match(r"[\w\"`\]]", out[-1:]))
        if out and not out.endswith("(") and t not in (")", ",") and not call:
            out += " "
        out += t
    return out
