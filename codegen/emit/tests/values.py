"""Values a generated test writes: a valid one for each column, one that breaks a CHECK, a
foreign key value no parent has.

Each is a TypeScript expression. Valid values use `n`, a number the factory draws afresh for
every row, so two rows never collide on a unique column by accident; a string a CHECK
mentions carries an `@` (`LIKE '%@%'` is the common e-mail check). What cannot be written
safely (a geometry, an `Unsupported` type) is None, and the caller skips the case and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemasense.codegen.schema import Column, Schema

INT_KINDS = ("int", "smallint", "bigint")


def valid_value(
    column: Column,
    schema: Schema,
    *,
    in_check: bool = False,
    as_string: frozenset[str] = frozenset(),
    checks: tuple[str, ...] = (),
) -> str | None:
    """A TypeScript expression for a valid, fresh value of `column` (with `n` in scope).
    `as_string`: the kinds the ORM hands over as strings (TypeORM's `date` and `bigint`)."""
    t = column.type
    if t.kind == "date" and "date" in as_string:
        return '`2024-01-${String((n % 28) + 1).padStart(2, "0")}`'
    if t.kind == "bigint" and "bigint" in as_string:
        return "String(n)"
    if t.array:
        return None
    kind = t.kind
    if kind in ("string", "text"):
        limit = t.length or 0
        if in_check:
            matching = _matching_pattern(checks, limit)
            if matching is not None:
                return matching
            return "`v${n}@example.com`" if not limit or limit >= 24 else "`${n}@x`"
        prefix = _prefix(column)
        lowered = prefix.lower()
        # what an ORM-level validator (Sequelize's isEmail / isUrl) accepts, by the usual names
        if "email" in lowered and (not limit or limit >= 24):
            return "`user${n}@example.com`"
        if any(w in lowered for w in ("url", "website", "link")) and (not limit or limit >= 30):
            return "`https://example.com/${n}`"
        if limit and limit < len(prefix) + 8:
            return "`${n}`"
        return f"`{prefix}-${{n}}`"
    if kind == "uuid":
        return "randomUUID()"
    if kind == "bigint" and (t.orm_type or "") == "BigInt":
        return "BigInt(n)"
    if kind in INT_KINDS:
        return "n"
    if kind in ("float", "double"):
        return "n + 0.5"
    if kind == "decimal":
        digits = (t.precision - (t.scale or 0)) if t.precision else None
        whole = "${n}" if digits is None or digits > 6 else f"${{n % {10**digits}}}"
        if digits == 0:
            whole = "0"
        return f"`{whole}.5`" if (t.scale or 0) > 0 or t.scale is None else f"`{whole}`"
    if kind == "boolean":
        return "true"
    if kind in ("timestamp", "date", "time"):
        return "new Date(Date.UTC(2024, 0, 1) + n * 86_400_000)"
    if kind == "json":
        return "{ n }"
    if kind == "bytes":
        return "Buffer.from([n % 256])"
    if kind == "enum":
        enum = schema.enum(t.enum or t.orm_type or "")
        if enum is None or not enum.values:
            return None
        first = enum.values[0]
        return _quote(first.orm_name or first.name)
    return None


_REGEX_CHECK = re.compile(r"~\*?\s*'((?:[^']|'')*)'")
_CANDIDATES = ("v${n}@example.com", "v${n}", "v-${n}", "${n}", "V${n}", "${n}@x")


def _matching_pattern(checks: tuple[str, ...], limit: int) -> str | None:
    """Where a CHECK holds the column to a POSIX regular expression (`slug ~ '^[a-z0-9-]+$'`):
    the first of a few value shapes that every such pattern accepts (tried with n = 1 and 12345,
    as Python's `re`, which reads these simple patterns as PostgreSQL does); None when there is
    no such CHECK or no shape fits."""
    patterns = [m.group(1).replace("''", "'") for c in checks for m in _REGEX_CHECK.finditer(c)]
    if not patterns:
        return None
    for shape in _CANDIDATES:
        samples = [shape.replace("${n}", str(n)) for n in (1, 12345)]
        if limit and any(len(x) > limit for x in samples):
            continue
        try:
            if all(re.search(p, x) for p in patterns for x in samples):
                return f"`{shape}`"
        except re.error:
            return None
    return None


def missing_value(column: Column) -> str | None:
    """A value for a foreign key column that no parent row has."""
    kind = column.type.kind
    if kind == "uuid":
        return '"00000000-0000-4000-8000-000000000000"'
    if kind == "bigint" and (column.type.orm_type or "") == "BigInt":
        return "BigInt(32_000)"
    if kind in INT_KINDS:
        return "32_000"
    if kind in ("string", "text"):
        return '"no-such-parent"'
    return None


def _prefix(column: Column) -> str:
    name = column.field_name or column.name
    return re.sub(r"[^A-Za-z0-9]", "", name)[:16] or "v"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True, slots=True)
class Violation:
    """A CHECK broken by one column: the SQL literal to set it to."""

    column: str
    sql: str


_IDENT = r'"?(?P<col>[A-Za-z_][A-Za-z0-9_]*)"?'
_NUMBER = r"(?P<num>-?\d+(?:\.\d+)?)"


def check_violation(expression: str, columns: set[str]) -> Violation | str:
    """The value that breaks `expression` (a CHECK of one column compared with a constant), or
    why none can be found (a CHECK over several columns, a function the generator does not
    know)."""
    text = normalize_check(expression)
    m = re.fullmatch(_IDENT + r"\s*(?P<op>>=|<=|>|<)\s*\(?" + _NUMBER + r"\)?", text)
    if m and m.group("col") in columns:
        num = float(m.group("num"))
        bad = {">=": num - 1, ">": num, "<=": num + 1, "<": num}[m.group("op")]
        return Violation(m.group("col"), _number(bad))
    m = re.fullmatch(_IDENT + r"\s+(?:LIKE|ILIKE)\s+'(?P<pat>[^']*)'", text, re.I)
    if m and m.group("col") in columns and m.group("pat") not in ("%", ""):
        pattern = m.group("pat")
        if pattern.startswith("%") or pattern.endswith("%"):
            return Violation(m.group("col"), "''")
    m = re.fullmatch(_IDENT + r"\s*(?:<>|!=)\s*''", text)
    if m and m.group("col") in columns:
        return Violation(m.group("col"), "''")
    m = re.fullmatch(
        r"(?:char_length|length|character_length)\s*\(\s*"
        + _IDENT
        + r"\s*\)\s*(?P<op>>=|>)\s*"
        + _NUMBER,
        text,
        re.I,
    )
    if m and m.group("col") in columns:
        num = int(float(m.group("num")))
        size = num - 1 if m.group("op") == ">=" else num
        if size >= 0:
            return Violation(m.group("col"), "'" + "x" * size + "'")
    m = re.fullmatch(_IDENT + r"\s+IN\s*\((?P<items>'[^)]*')\)", text, re.I)
    if m and m.group("col") in columns:
        return Violation(m.group("col"), "'schemasense-not-allowed'")
    return f"the generator cannot find a value that breaks `{expression}`"


def normalize_check(expression: str) -> str:
    """A CHECK's expression as a person writes it: PostgreSQL's deparsed form
    (`CHECK ((char_length((title)::text) > 0))`) without the keyword, casts and extra
    parentheses."""
    text = re.sub(r"^\s*CHECK\s*", "", expression.strip(), flags=re.I)
    text = re.sub(r"::(?:\"?[A-Za-z_][A-Za-z0-9_ ]*\"?)(?:\[\])?", "", text)
    previous = None
    while previous != text:
        previous = text
        text = re.sub(
            r'(?<![A-Za-z0-9_])\(\s*("?[A-Za-z_][A-Za-z0-9_]*"?|-?\d+(?:\.\d+)?|\'[^\']*\')\s*\)',
            r"\1",
            text,
        )
        text = text.strip()
        while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
            text = text[1:-1].strip()
    text = re.sub(r"\s*~~\*\s*", " ILIKE ", text)
    return re.sub(r"\s*~~\s*", " LIKE ", text)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0
