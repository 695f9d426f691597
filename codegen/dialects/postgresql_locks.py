"""PostgreSQL lock facts per DDL operation, as the migration rules and the hovers state them.

From the PostgreSQL documentation ("Explicit Locking", the Notes of ALTER TABLE, CREATE
INDEX, ALTER TYPE, REINDEX), for the versions Prisma supports (PostgreSQL 9.6 and later):
which table lock a statement takes, what that lock blocks, and whether the statement scans or
rewrites the table while holding it. Messages are built from these facts, so every migration
rule names the lock the same way, and a statement's hover (`server/language/migrations.py`)
names the same lock, the same "blocks ..." and the same scan or rewrite as the diagnostic
on it: `describe()` for messages, `markdown()` for hovers.

Where the facts below come from, beyond the ALTER TABLE notes ("most forms take ACCESS
EXCLUSIVE unless noted"):
- ALTER TABLE, Description: `ADD COLUMN` rewrites only for a volatile default (11+; every
  non-null default before 11), `SET / DROP DEFAULT`, `DROP NOT NULL`, `DROP COLUMN`,
  `RENAME` and `DROP CONSTRAINT` change the catalog only; `ALTER TYPE` rewrites unless the
  change is binary-coercible (`varchar(n)` or `text` to `text`, an unbounded `varchar` or a
  `varchar` at least as long; `numeric(p,s)` to a wider precision); `ADD ... NOT VALID`
  skips the scan; `ADD table_constraint_using_index` builds nothing.
- ALTER INDEX, RENAME: SHARE UPDATE EXCLUSIVE on the index from PostgreSQL 12 (ACCESS
  EXCLUSIVE before).
- DROP INDEX, CONCURRENTLY: the table's lock is not one that blocks reads or writes
  (SHARE UPDATE EXCLUSIVE); REINDEX, CONCURRENTLY (12+) likewise.
- "Explicit Locking", ACCESS EXCLUSIVE: taken by `DROP TABLE`, `TRUNCATE`, `REINDEX` (on the
  index), `CLUSTER`, `VACUUM FULL`; CREATE TABLE's `REFERENCES` takes SHARE ROW EXCLUSIVE on
  the referenced table (the foreign key's triggers).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

BLOCKS = {
    "ACCESS EXCLUSIVE": "blocks every read and write of the table, SELECT included",
    "EXCLUSIVE": "blocks writes and SELECT ... FOR UPDATE / FOR SHARE, not plain reads",
    "SHARE ROW EXCLUSIVE": "blocks writes (INSERT, UPDATE, DELETE) and other schema changes",
    "SHARE": "blocks writes (INSERT, UPDATE, DELETE), not reads",
    "SHARE UPDATE EXCLUSIVE": "blocks other schema changes and VACUUM, not reads or writes",
}


@dataclass(frozen=True, slots=True)
class LockFact:
    """What one operation does to a table while it holds its lock."""

    lock: str
    scan: bool = False
    """Reads every row (to validate or build) while holding the lock."""
    rewrite: bool = False
    """Writes a new copy of the table (and rebuilds its indexes) while holding the lock."""
    tables: str = "the table"

    def describe(self, table: str) -> str:
        """`takes an ACCESS EXCLUSIVE lock on "T" (blocks every read and write ...) and
        rewrites the table`."""
        text = f'takes a{"n" if self.lock[0] in "AEIOU" else ""} {self.lock} lock on "{table}"'
        text += f" ({BLOCKS.get(self.lock, 'see the PostgreSQL docs')})"
        if self.rewrite:
            text += " and rewrites the whole table while holding it"
        elif self.scan:
            text += " and scans the whole table while holding it"
        return text

    def markdown(self, *tables: str) -> str:
        """For a hover: `**ACCESS EXCLUSIVE** on `T`: blocks every read and write of the
        table, SELECT included; rewrites the whole table while holding it`. `tables` are
        the tables it is taken on (a foreign key's two); none: "the table"."""
        where = " and ".join(f"`{t}`" for t in tables) or "the table"
        text = f"**{self.lock}** on {where}: {BLOCKS.get(self.lock, 'see the PostgreSQL docs')}"
        if self.rewrite:
            return text + "; rewrites the whole table while holding it"
        if self.scan:
            return text + "; scans the whole table while holding it"
        return text + "; held briefly (a catalog change), but it queues behind running queries"


# statements that build or scan
CREATE_INDEX = LockFact("SHARE", scan=True)
CREATE_INDEX_CONCURRENTLY = LockFact("SHARE UPDATE EXCLUSIVE", scan=True)
DROP_INDEX = LockFact("ACCESS EXCLUSIVE")
ADD_FOREIGN_KEY = LockFact("SHARE ROW EXCLUSIVE", scan=True, tables="both tables")
ADD_FOREIGN_KEY_NOT_VALID = LockFact("SHARE ROW EXCLUSIVE", tables="both tables")
VALIDATE = LockFact("SHARE UPDATE EXCLUSIVE", scan=True)
ADD_CHECK = LockFact("ACCESS EXCLUSIVE", scan=True)
ADD_UNIQUE = LockFact("ACCESS EXCLUSIVE", scan=True)
SET_NOT_NULL = LockFact("ACCESS EXCLUSIVE", scan=True)
ALTER_TYPE_REWRITE = LockFact("ACCESS EXCLUSIVE", rewrite=True)
ADD_COLUMN_REWRITE = LockFact("ACCESS EXCLUSIVE", rewrite=True)
BRIEF = LockFact("ACCESS EXCLUSIVE")
REINDEX = LockFact("SHARE", scan=True)
REINDEX_CONCURRENTLY = LockFact("SHARE UPDATE EXCLUSIVE", scan=True)
DETACH_PARTITION = LockFact("ACCESS EXCLUSIVE")
ADD_PRIMARY_KEY = ADD_UNIQUE
TABLE_REWRITE = LockFact("ACCESS EXCLUSIVE", rewrite=True)
"""`VACUUM FULL`, `CLUSTER`."""

# catalog changes: the lock is held only for the change, but every query waits behind it
ADD_COLUMN = LockFact("ACCESS EXCLUSIVE")
"""Nullable, or a non-volatile default on PostgreSQL 11+: no rewrite."""
DROP_COLUMN = LockFact("ACCESS EXCLUSIVE")
SET_DEFAULT = LockFact("ACCESS EXCLUSIVE")
"""`ALTER COLUMN ... SET DEFAULT` / `DROP DEFAULT`: existing rows keep their values."""
DROP_NOT_NULL = LockFact("ACCESS EXCLUSIVE")
ALTER_TYPE = LockFact("ACCESS EXCLUSIVE")
"""A binary-coercible type change (`alter_type`): no rewrite."""
RENAME = LockFact("ACCESS EXCLUSIVE")
"""`RENAME` of a table, column or constraint."""
RENAME_INDEX = LockFact("SHARE UPDATE EXCLUSIVE")
"""`ALTER INDEX ... RENAME` on PostgreSQL 12+ (ACCESS EXCLUSIVE before: `RENAME`)."""
ADD_CHECK_NOT_VALID = LockFact("ACCESS EXCLUSIVE")
ADD_CONSTRAINT_USING_INDEX = LockFact("ACCESS EXCLUSIVE")
"""Builds nothing. (`PRIMARY KEY USING INDEX` on a column that is not yet NOT NULL also sets
it NOT NULL, which scans the table: that is SET_NOT_NULL's fact.)"""
DROP_CONSTRAINT = LockFact("ACCESS EXCLUSIVE")
"""(Dropping a foreign key takes ACCESS EXCLUSIVE on the referenced table too.)"""
DROP_TABLE = LockFact("ACCESS EXCLUSIVE")
"""(Dropping a table with foreign keys takes ACCESS EXCLUSIVE on the tables they reference.)"""
TRUNCATE = LockFact("ACCESS EXCLUSIVE")
DROP_INDEX_CONCURRENTLY = LockFact("SHARE UPDATE EXCLUSIVE")
CREATE_TABLE_REFERENCES = LockFact("SHARE ROW EXCLUSIVE")
"""A new table's foreign keys, on each table they reference."""

_VARCHAR = re.compile(r"(?:character varying|varchar)(?:\s*\((\d+)\))?")
_NUMERIC = re.compile(r"(?:numeric|decimal)(?:\s*\((\d+)\s*(?:,\s*(\d+))?\))?")


def _in_place(old: str, new: str) -> bool:
    """PostgreSQL changes a column from `old` to `new` without a rewrite (the cast is
    binary-coercible or a length check it can skip): `text` or `varchar(n)` to `text`, an
    unbounded `varchar` or a `varchar(m)` with m >= n; `numeric(p,s)` to `numeric(q,s)` with
    q >= p, or to an unbounded `numeric`."""
    old, new = old.strip().lower(), new.strip().lower()
    if old == new:
        return True
    old_varchar, new_varchar = _VARCHAR.fullmatch(old), _VARCHAR.fullmatch(new)
    if old == "text" or old_varchar:
        if new == "text" or (new_varchar and new_varchar.group(1) is None):
            return True
        if old_varchar and new_varchar and old_varchar.group(1) is not None:
            return int(new_varchar.group(1)) >= int(old_varchar.group(1))
        return False
    old_numeric, new_numeric = _NUMERIC.fullmatch(old), _NUMERIC.fullmatch(new)
    if old_numeric and new_numeric and old_numeric.group(1) is not None:
        if new_numeric.group(1) is None:
            return True
        same_scale = (old_numeric.group(2) or "0") == (new_numeric.group(2) or "0")
        return same_scale and int(new_numeric.group(1)) >= int(old_numeric.group(1))
    return False


def alter_type(native: str, using: Any = None, old: str | None = None) -> LockFact:
    """`ALTER COLUMN ... TYPE native [USING ...]` on a column of type `old` (as the migrations
    declared it; None: unknown): no rewrite only when the change is one PostgreSQL makes in
    place (`_in_place`); otherwise, and with any `USING` or an unknown old type, a rewrite.
    (The target alone does not tell: `integer` to `text` rewrites. PostgreSQL 12+ also
    changes `timestamp` to `timestamptz` in place in a UTC session, and a `USING` that is the
    column itself changes nothing: both are stated as rewrites here.)"""
    if using is None and old is not None and _in_place(old, native):
        return ALTER_TYPE
    return ALTER_TYPE_REWRITE


def rename_index(version: tuple[int, ...] | None) -> LockFact:
    """`ALTER INDEX ... RENAME`: SHARE UPDATE EXCLUSIVE from PostgreSQL 12 (assumed when the
    version is unknown), ACCESS EXCLUSIVE before."""
    return RENAME if version is not None and version[:1] < (12,) else RENAME_INDEX


# -- default expressions ------------------------------------------------------------------------

NON_VOLATILE_FUNCTIONS = frozenset(
    {
        # stable: evaluated once per statement, so ADD COLUMN stores it once (PostgreSQL 11+)
        "now", "current_timestamp", "transaction_timestamp", "statement_timestamp",
        "current_date", "current_time", "localtimestamp", "localtime", "current_user",
        "session_user", "current_schema", "current_database", "timezone", "to_char",
        "to_timestamp", "to_date", "date_trunc", "lower", "upper", "coalesce", "nullif",
        "concat", "length", "abs", "round", "jsonb_build_object", "json_build_object",
        "jsonb_build_array", "array", "make_interval", "greatest", "least",
    }
)  # fmt: skip
"""Functions whose value in a default does not make ADD COLUMN rewrite the table. Anything
else (random(), gen_random_uuid(), clock_timestamp(), nextval(), user functions) is taken as
volatile, as PostgreSQL would when it does not know better."""


def _fields(node: Any) -> Iterator[tuple[str, Any]]:
    try:
        yield from ((f.name, v) for f, v in node.ListFields())
    except AttributeError:
        return


def volatile_functions(node: Any) -> list[str]:
    """The names of the volatile functions called in a PostgreSQL expression node (postgast's
    protobuf), e.g. `random` in `DEFAULT random()`; empty for constants and stable calls."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        for name, value in _fields(item):
            if name == "func_call":
                names = [n.string.sval for n in value.funcname if n.HasField("string")]
                fn = names[-1].lower() if names else "?"
                if fn not in NON_VOLATILE_FUNCTIONS:
                    found.append(fn)
            if isinstance(value, str | bytes | int | float | bool):
                continue
            if hasattr(value, "ListFields"):
                stack.append(value)
            else:
                with contextlib.suppress(TypeError):
                    stack.extend(v for v in value if hasattr(v, "ListFields"))
    return found


def default_is_null(node: Any) -> bool:
    """`DEFAULT NULL`: no value to store."""
    for name, value in _fields(node):
        if name == "a_const":
            return bool(getattr(value, "isnull", False))
    return False


def add_column_rewrite(column: Any, at_least_11: bool = True) -> str | None:
    """Why `ADD COLUMN column` (an `ops.ColumnDef`) rewrites the table, in words (`a
    volatile default (random())`), or None when it changes the catalog only. `at_least_11`:
    the server stores a non-volatile default without a rewrite (PostgreSQL 11+)."""
    if column.type.serial:
        return f"a sequence default ({column.type.serial} serial)"
    if column.identity:
        return "an identity (every row gets a value)"
    if column.generated is not None:
        return "a stored generated value"
    if column.default is None or default_is_null(column.default.raw):
        return None
    volatile = volatile_functions(column.default.raw)
    if volatile:
        return f"a volatile default ({volatile[0]}())"
    if not at_least_11:
        return "a default (before PostgreSQL 11 every default rewrites)"
    return None


def add_column(column: Any, at_least_11: bool = True) -> LockFact:
    """`ADD COLUMN column`: a rewrite (`add_column_rewrite`) or a catalog change."""
    return ADD_COLUMN if add_column_rewrite(column, at_least_11) is None else ADD_COLUMN_REWRITE
