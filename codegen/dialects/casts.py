"""Whether a database can cast a column from one type to another (Prisma's tables).

`type_change(dialect, before, after)` is None when the two types are the same, `safe` when
the database casts every value, `risky` when a cast may fail or lose precision, and `none`
when there is no cast (the schema engine then drops the column and adds it again, which also
moves it to the end of the table). PostgreSQL's table is the engine's
`postgres_native_type_change_riskyness` (`sql_schema_differ_flavour/postgres.rs`); SQLite's
compares type families (every change redefines the table anyway); MySQL's any change is a
`MODIFY`.
"""

from __future__ import annotations

from typing import Literal

from schemasense.codegen.dialects.sql_type import SqlType

Cast = Literal["safe", "risky", "none"]
"""`none`: the database cannot cast it (the column is dropped and added again)."""


def type_change(dialect: str, a: SqlType, b: SqlType) -> Cast | None:
    """None when `a` and `b` are the same type on `dialect`, else how `a` becomes `b`."""
    if dialect == "sqlite":
        fa, fb = _sqlite_family(a), _sqlite_family(b)
        return None if fa == fb else ("safe" if fb == "string" else "risky")
    if dialect == "mysql":
        return None if _mysql_same(a, b) else "risky"
    return _postgres_type_change(a, b)


def _sqlite_family(t: SqlType) -> str:
    name = t.name or (t.raw or "").upper()
    if name in ("INTEGER", "INT", "SMALLINT", "TINYINT"):
        return "int"
    if name in ("TEXT", "VARCHAR", "CHAR", "CLOB"):
        return "string"
    return name


def _mysql_same(a: SqlType, b: SqlType) -> bool:
    if a.name != b.name or a.values != b.values:
        return False
    if a.name in ("DATETIME", "TIMESTAMP", "TIME") and {a.args, b.args} <= {(), (0,)}:
        return True
    return a.args == b.args and (a.raw or "").lower() == (b.raw or "").lower()


def _postgres_type_change(a: SqlType, b: SqlType) -> Cast | None:
    """Prisma's `postgres_column_type_change`."""
    if a.name == "ENUM" or b.name == "ENUM":
        if (
            a.name == b.name
            and (a.enum, a.enum_schema) == (b.enum, b.enum_schema)
            and (a.array == b.array)
        ):
            return None
        return "none"
    if a.array and not b.array:
        if b.name == "TEXT" or (b.name == "VARCHAR" and not b.args):
            return "safe"
        if b.name in ("VARCHAR", "CHAR"):
            return "risky"
        return "none"
    if b.array and not a.array:
        return "none"
    if not a.name or not b.name:
        if not a.name and not b.name:
            same = (a.raw or "").lower().replace(" ", "") == (b.raw or "").lower().replace(" ", "")
            return None if same else "risky"
        return "risky"
    if a == b:
        return None
    return _postgres_cast(a, b)


def _postgres_cast(prev: SqlType, nxt: SqlType) -> Cast | None:
    p, n = prev.name, nxt.name
    pa, na = prev.arg, nxt.arg
    next_is_char = n == "CHAR"
    if p == n and p in ("CHAR", "BIT") and (pa or 1) == (na or 1):
        return None

    def dec(t: SqlType) -> tuple[int, int] | None:
        if not t.args:
            return None
        return (t.args[0], t.args[1] if len(t.args) > 1 else 0)

    if p == "INET":
        return "safe" if n in ("CITEXT", "TEXT", "VARCHAR") else "none"
    if p == "MONEY":
        return "safe" if n in ("CITEXT", "TEXT", "VARCHAR") else "risky"
    if p == "CITEXT":
        return "safe" if n in ("TEXT", "VARCHAR") else "risky"
    if p == "OID":
        return "safe" if n in ("TEXT", "VARCHAR", "BIGINT", "INTEGER") else "none"
    if p in ("SMALLINT", "INTEGER", "BIGINT"):
        digits = {"SMALLINT": 3, "INTEGER": 10, "BIGINT": 19}[p]
        chars = {"SMALLINT": 4, "INTEGER": 11, "BIGINT": 20}[p]
        if n == "SMALLINT" and p != "SMALLINT":
            return "risky"
        if n == "INTEGER" and p == "BIGINT":
            return "risky"
        if n in ("INTEGER", "BIGINT"):
            return "safe"
        if n == "DECIMAL":
            d = dec(nxt)
            return "risky" if d is not None and d[0] - d[1] < digits else "safe"
        if n in ("REAL", "DOUBLE PRECISION", "TEXT"):
            return "safe"
        if n in ("VARCHAR", "CHAR"):
            if na is not None and na < chars:
                return "risky"
            if na is None and next_is_char:
                return "risky"
            return "safe"
        return "none"
    if p == "DECIMAL":
        old = dec(prev)
        if n in ("SMALLINT", "INTEGER", "BIGINT"):
            limit = {"SMALLINT": 2, "INTEGER": 9, "BIGINT": 18}[n]
            if old is None or old[1] > 0 or old[0] > limit:
                return "risky"
            return "safe"
        if n == "DECIMAL":
            new = dec(nxt)
            if old is not None and new is None:
                return "safe"
            if old is None and new is not None:
                return "risky"
            if (
                old is not None
                and new is not None
                and (old[0] - old[1] > new[0] - new[1] or old[1] > new[1])
            ):
                return "risky"
            return "safe"
        if n in ("REAL", "DOUBLE PRECISION"):
            return "risky"
        if n in ("VARCHAR", "CHAR"):
            if na is not None and old is not None and old[1] == 0 and old[0] + 1 > na:
                return "risky"
            if na is not None and old is not None and old[1] > 0 and old[0] + 2 > na:
                return "risky"
            if na is not None and old is None and na < 131073:
                return "risky"
            if na is None and next_is_char:
                return "risky"
            return "safe"
        if n == "TEXT":
            return "safe"
        return "none"
    if p in ("REAL", "DOUBLE PRECISION"):
        width = 47 if p == "REAL" else 317
        if n in ("SMALLINT", "INTEGER", "BIGINT", "DECIMAL"):
            return "risky"
        if n == "REAL":
            return "safe" if p == "REAL" else "risky"
        if n == "DOUBLE PRECISION":
            return "safe"
        if n in ("VARCHAR", "CHAR"):
            if na is not None and na < width:
                return "risky"
            if na is None and next_is_char:
                return "risky"
            return "safe"
        if n == "TEXT":
            return "safe"
        return "none"
    if p in ("VARCHAR", "CHAR"):
        if n == "TEXT":
            return "safe"
        if n in ("VARCHAR", "CHAR"):
            if p == "CHAR" and pa is None:
                return "safe"
            if pa is None and na is None and next_is_char:
                return "risky"
            if pa is None and na is not None:
                return "risky"
            if pa == 1 and na is None:
                return "safe"
            if pa is not None and na is None and next_is_char:
                return "risky"
            if pa is not None and na is None:
                return "safe"
            if pa is not None and na is not None and pa > na:
                return "risky"
            return "safe"
        return "none"
    if p == "TEXT":
        if n in ("TEXT", "CITEXT") or (n == "VARCHAR" and na is None):
            return "safe"
        if n in ("VARCHAR", "CHAR"):
            return "risky"
        return "none"
    if p == "BYTEA":
        if n == "TEXT" or (n == "VARCHAR" and na is None):
            return "safe"
        if n in ("VARCHAR", "CHAR") and na is not None and na > 2:
            return "risky"
        return "none"
    zoned = {"TIMESTAMP": 22, "TIMESTAMPTZ": 27, "TIME": 13, "TIMETZ": 18}
    if p in zoned:
        if n == "TEXT" or (n == "VARCHAR" and na is None):
            return "safe"
        if n in ("CHAR", "VARCHAR") and na is not None and na > zoned[p]:
            return "safe"
        if n == p and (na is None or pa is None or pa == na):
            return None
        if p in ("TIMESTAMP", "TIMESTAMPTZ"):
            return "safe" if n in ("TIMESTAMP", "TIMESTAMPTZ", "DATE", "TIME", "TIMETZ") else "none"
        if p == "TIME":
            return "safe" if n == "TIMETZ" else "none"
        return "safe" if n in ("TIMETZ", "TIME") else "none"
    if p == "DATE":
        if n == "TEXT" or (n == "VARCHAR" and na is None):
            return "safe"
        if n in ("CHAR", "VARCHAR") and na is not None and na > 27:
            return "safe"
        return "safe" if n in ("TIMESTAMP", "TIMESTAMPTZ") else "none"
    if p == "BOOLEAN":
        if n in ("TEXT", "VARCHAR"):
            return "safe"
        if n == "CHAR" and na is not None and na > 4:
            return "safe"
        if n == "CHAR" and na is not None and na > 3:
            return "risky"
        return "none"
    if p == "BIT":
        if pa is None:
            return "safe" if n in ("TEXT", "VARCHAR", "CHAR", "VARBIT") else "none"
        if n in ("TEXT",) or (n in ("VARCHAR", "VARBIT") and na is None):
            return "safe"
        if n in ("VARCHAR", "VARBIT", "CHAR") and na is not None and na >= pa:
            return "safe"
        return "none"
    if p == "VARBIT":
        if pa is None:
            if n == "TEXT" or (n == "VARCHAR" and na is None):
                return "safe"
            return "risky" if n in ("VARCHAR", "CHAR", "BIT") else "none"
        if n == "TEXT" or (n in ("VARCHAR", "VARBIT") and na is None):
            return "safe"
        if n == "VARBIT" and na is not None and na > pa:
            return "safe"
        if n in ("VARCHAR", "CHAR") and na is not None and na >= pa:
            return "safe"
        if n == "BIT":
            return "risky"
        if n in ("CHAR", "VARCHAR"):
            return "risky"
        return "none"
    if p == "UUID":
        if n == "TEXT" or (n == "VARCHAR" and na is None):
            return "safe"
        if n in ("VARCHAR", "CHAR") and na is not None and na > 31:
            return "safe"
        return "none"
    if p in ("XML", "JSON", "JSONB"):
        other = {"JSON": "JSONB", "JSONB": "JSON", "XML": None}[p]
        if n == "TEXT" or (n == "VARCHAR" and na is None) or (other and n == other):
            return "safe"
        if n in ("VARCHAR", "CHAR"):
            return "risky"
        return "none"
    return "risky"


_PG_STRINGS = frozenset({"TEXT", "VARCHAR", "CHAR", "CITEXT"})
_PG_INTEGERS = frozenset({"SMALLINT", "INTEGER", "BIGINT"})


def postgres_explicit_cast(a: SqlType, b: SqlType) -> tuple[str, ...] | None:
    """The casts that take a value of `a` to `b` where PostgreSQL has no assignment cast (a
    change `_postgres_type_change` calls `none`) but an explicit one: the type names to cast
    through, in order (the last is `b` itself, written by the caller: `()`), or None.

    From pg_cast: every type reads from a string type (`'42'::integer`, `'…'::uuid`: the I/O
    conversion casts, explicit only); `integer` and `boolean` cast to each other (`int4` only:
    `smallint` and `bigint` go through `integer`). A value the cast refuses (`'abc'::integer`)
    fails the migration, which is what a `risky` change warns about; Prisma's engine drops
    and adds the column instead, losing every value."""
    if a.array or b.array or a.name == "ENUM" or b.name == "ENUM" or not a.name or not b.name:
        return None
    if a.name in _PG_STRINGS:
        return ()
    if a.name in _PG_INTEGERS and b.name == "BOOLEAN":
        return () if a.name == "INTEGER" else ("integer",)
    if a.name == "BOOLEAN" and b.name in _PG_INTEGERS:
        return () if b.name == "INTEGER" else ("integer",)
    return None
