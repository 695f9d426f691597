"""PostgreSQL lock facts per DDL operation, as the migration rules state them.

From the PostgreSQL documentation ("Explicit Locking", the Notes of ALTER TABLE, CREATE
INDEX, ALTER TYPE, REINDEX), for the versions Prisma supports (PostgreSQL 9.6 and later):
which table lock a statement takes, what that lock blocks, and whether the statement scans or
rewrites the table while holding it. Messages are built from these facts, so every migration
rule names the lock the same way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

BLOCKS = {
    "ACCESS EXCLUSIVE": "blocks every read and write of the table, SELECT included",
    "EXCLUSIVE": "blocks writes and most reads of the table",
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
DETACH_PARTITION = LockFact("ACCESS EXCLUSIVE")

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
