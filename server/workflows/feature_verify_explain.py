"""What a database said when a `--verify` step failed, and what to do about it.

`DbError` is the database's error as plain data, whichever driver raised it: psycopg,
PyMySQL or sqlite3 in this process (`from_exception`), or node-postgres, mysql2 or sql.js
inside the project's own migration runner (`from_node`, the JSON our driver writes).

`explain(error, schema)` says, for a constraint that refused rows (CHECK, UNIQUE, NOT NULL,
FOREIGN KEY), which constraint it is (its table, columns or condition, from the schema the
migration builds), the query that finds the rows that break it, and the two ways out: fix the
data, or change the schema (the description). A person reading a failed migration wants exactly
that, not a SQLSTATE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemasense.codegen.schema import Schema


@dataclass(frozen=True)
class DbError:
    message: str
    code: str | None = None
    """SQLSTATE (PostgreSQL), error number (MySQL/MariaDB), or None (SQLite)."""
    constraint: str | None = None
    table: str | None = None
    column: str | None = None
    detail: str | None = None
    statement: str | None = None


def from_exception(exc: BaseException) -> DbError:
    """A DbError from a Python driver's exception (or our `StatementError` around one)."""
    statement = getattr(exc, "statement", None)
    inner = getattr(exc, "error", None)
    if isinstance(inner, BaseException):
        exc = inner
    diag = getattr(exc, "diag", None)
    if diag is not None:  # psycopg
        return DbError(
            (diag.message_primary or str(exc)).strip(),
            getattr(exc, "sqlstate", None),
            diag.constraint_name,
            diag.table_name,
            diag.column_name,
            diag.message_detail,
            statement,
        )
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL
        return DbError(str(args[1]), str(args[0]), statement=statement)
    return DbError(str(exc).strip(), statement=statement)


def from_node(data: dict) -> DbError:
    """A DbError from what the Node driver wrote (`feature_verify_node`)."""
    code = data.get("code")
    errno = data.get("errno")
    if isinstance(errno, int) and not (isinstance(code, str) and code[:2].isdigit()):
        code = str(errno)  # mysql2: errno is MySQL's number, code its ER_ name
    return DbError(
        str(data.get("message") or "").strip(),
        str(code) if code is not None else None,
        data.get("constraint"),
        data.get("table"),
        data.get("column"),
        data.get("detail"),
        data.get("query"),
    )


_KINDS = {
    # PostgreSQL SQLSTATEs
    "23514": "check",
    "23505": "unique",
    "23502": "not_null",
    "23503": "foreign_key",
    # MySQL / MariaDB error numbers
    "3819": "check",
    "4025": "check",
    "1062": "unique",
    "1048": "not_null",
    "1138": "not_null",
    "1364": "not_null",
    "1451": "foreign_key",
    "1452": "foreign_key",
    "1216": "foreign_key",
    "1217": "foreign_key",
    # node-sqlite3's codes
    "SQLITE_CONSTRAINT_CHECK": "check",
    "SQLITE_CONSTRAINT_UNIQUE": "unique",
    "SQLITE_CONSTRAINT_NOTNULL": "not_null",
    "SQLITE_CONSTRAINT_FOREIGNKEY": "foreign_key",
}

_SQLITE = (
    (re.compile(r"CHECK constraint failed: (\S+)"), "check"),
    (re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)"), "unique"),
    (re.compile(r"NOT NULL constraint failed: ([\w.]+)"), "not_null"),
    (re.compile(r"FOREIGN KEY constraint failed"), "foreign_key"),
)


def kind(error: DbError) -> str | None:
    """`check`, `unique`, `not_null`, `foreign_key`, or None for any other failure."""
    if error.code in _KINDS:
        return _KINDS[error.code]
    for pattern, what in _SQLITE:
        if pattern.search(error.message):
            return what
    return None


_QUOTED = r"""["'`]([^"'`]+)["'`]"""


def _names(error: DbError) -> tuple[str | None, str | None, str | None]:
    """(constraint, table, column), from the driver's fields, else from the message."""
    constraint, table, column = error.constraint, error.table, error.column
    m = error.message
    if constraint is None:
        hit = re.search(r"constraint " + _QUOTED, m, re.I) or re.search(r"CONSTRAINT `([^`]+)`", m)
        hit = hit or re.search(r"unique index " + _QUOTED, m) or re.search(r"for key " + _QUOTED, m)
        if hit:
            constraint = hit.group(1).split(".")[-1]
        hit = re.search(r"CHECK constraint failed: (\w+)", m)
        if hit:
            constraint = hit.group(1)
    if table is None:
        hit = (
            re.search(r"(?:relation|table) " + _QUOTED, m)
            or re.search(r"(?:UNIQUE|NOT NULL) constraint failed: (\w+)\.", m)
            or re.search(r"failed for `[^`]+`\.`([^`]+)`", m)  # MariaDB's CHECK
        )
        if hit:
            table = hit.group(1)
    if column is None:
        hit = re.search(r"column " + _QUOTED, m, re.I) or re.search(
            r"NOT NULL constraint failed: \w+\.(\w+)", m
        )
        if hit:
            column = hit.group(1)
    return constraint, table, column


def explain(error: DbError, schema: Schema | None) -> list[str]:
    """Lines for a person: the constraint, the rows that break it, how to fix the data or the
    schema. Empty when the failure is not a constraint's."""
    what = kind(error)
    if what is None:
        return []
    constraint, table_name, column = _names(error)
    tables = schema.tables if schema is not None else []
    table = next((t for t in tables if t.name == table_name), None)
    if what == "check":
        check, owner = None, table
        for t in [table] if table is not None else tables:
            if t is None:
                continue
            check = next((c for c in t.checks if c.name == constraint), None)
            if check is not None:
                owner = t
                break
        condition = _condition(check.expression) if check is not None else None
        tname = owner.name if owner is not None else table_name or "the table"
        cond = f" `CHECK ({condition})`" if condition else ""
        out = [
            f"The check constraint `{constraint or '?'}` on `{tname}`{cond} refused a row: "
            "rows already in the table (or written by the migration) break it."
        ]
        if condition:
            out.append(f"Find them: `SELECT * FROM {tname} WHERE NOT ({condition});`")
        out += [
            "Fix the data: update or delete those rows before the migration (a data step at "
            "its top), so that every row meets the condition.",
            "Or fix the schema: loosen the CHECK in the description, or on PostgreSQL add it "
            "`NOT VALID` (new rows are checked) and `VALIDATE CONSTRAINT` once the rows are "
            "fixed.",
        ]
        return out
    if what == "unique":
        if table is None:
            table = next((t for t in tables if _unique_columns(t, constraint)), None)
        cols = _unique_columns(table, constraint)
        tname = table.name if table is not None else table_name or "the table"
        key = f" ({', '.join(cols)})" if cols else ""
        out = [
            f"The unique constraint `{constraint or '?'}` on `{tname}`{key} found two rows "
            "with the same value" + (f": {error.detail}" if error.detail else ".")
        ]
        if cols:
            joined = ", ".join(cols)
            out.append(
                f"Find them: `SELECT {joined}, count(*) FROM {tname} GROUP BY {joined} "
                "HAVING count(*) > 1;`"
            )
        out += [
            "Fix the data: merge or delete the duplicates (keep one row per value) before the "
            "migration.",
            "Or fix the schema: make the index non-unique in the description, or make the key "
            "wider (add a column that tells the rows apart).",
        ]
        return out
    if what == "not_null":
        tname = table_name or "the table"
        col = column or "?"
        out = [
            f"The column `{tname}.{col}` is NOT NULL, and a row has no value for it.",
            f"Find them: `SELECT * FROM {tname} WHERE {col} IS NULL;`",
            f"Fix the data: fill it (`UPDATE {tname} SET {col} = ... WHERE {col} IS NULL;`) "
            "before the migration makes it NOT NULL.",
            "Or fix the schema: give the column a DEFAULT in the description (existing rows "
            "take it), or leave it nullable.",
        ]
        return out
    fk = None
    for t in [table] if table is not None else tables:
        if t is None:
            continue
        fk = next((k for k in t.foreign_keys if k.name == constraint), None)
        if fk is not None:
            table = t
            break
    if fk is not None and table is not None:
        cols, refs = ", ".join(fk.columns), ", ".join(fk.referenced_columns)
        where = " AND ".join(
            f"p.{r} = c.{c}" for c, r in zip(fk.columns, fk.referenced_columns, strict=False)
        )
        out = [
            f"The foreign key `{constraint}` ({table.name}.{cols} -> "
            f"{fk.referenced_table}.{refs}) refused a row: it points at a "
            f"`{fk.referenced_table}` row that does not exist."
        ]
        out.append(
            f"Find them: `SELECT * FROM {table.name} c WHERE c.{fk.columns[0]} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {fk.referenced_table} p WHERE {where});`"
        )
    else:
        out = [
            f"The foreign key `{constraint or '?'}` refused a row: it points at a row that "
            "does not exist, or a row still referenced would be deleted."
        ]
    out += [
        "Fix the data: delete the orphans or point them at rows that exist, before the migration.",
        "Or fix the schema: make the column nullable with ON DELETE SET NULL in the "
        "description, or on PostgreSQL add the key `NOT VALID` and validate it once the rows "
        "are fixed.",
    ]
    return out


def _condition(expression: str) -> str:
    text = expression.strip()
    hit = re.match(r"(?is)^CHECK\s*\((.*)\)$", text)
    return hit.group(1).strip() if hit else text


def _unique_columns(table, constraint: str | None) -> list[str]:
    if table is None:
        return []
    for u in table.uniques:
        if u.name == constraint:
            return [c.column or c.expression or "" for c in u.columns]
    for i in table.indexes:
        if i.name == constraint and i.unique:
            return [c.column or c.expression or "" for c in i.columns]
    return []
