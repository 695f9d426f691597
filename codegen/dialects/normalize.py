"""One spelling for SQL text that two sources write differently but mean the same.

The migration replay keeps the SQL text a migration wrote (`DEFAULT 'CAL'`, `WHERE "a" IS
NULL`); a database prints its own (`'CAL'::"Provider"`, `("a" IS NULL)`). Comparing the two
(`server/verify/compare.py`, the drift rules) goes through these functions on both sides, so
they must only erase differences the database itself does not keep:

- case outside string literals and quoted identifiers (keywords, unquoted names and
  function names are case-insensitive), and whitespace, except inside literals;
- quotes around an identifier that needs none (`"slug"` is `slug`; `"userId"` keeps them;
  MySQL's backticks go, since its column names are case-insensitive);
- parentheses around the whole text (`(("a" IS NULL))` is `"a" IS NULL`);
- on PostgreSQL, the cast it adds to a literal (`'x'::text`, `'CAL'::"Provider"`,
  `'[]'::jsonb`, `nextval('"A_id_seq"'::regclass)`), an `E'...'` prefix with no escapes
  in it, and quotes around a whole literal that is a number (`'-1'::integer` is `-1`);
- in a default, the spellings of the same value: MySQL's `CURRENT_TIMESTAMP(0)`,
  `CURRENT_TIMESTAMP` and `now()` are `current_timestamp()`, and `true`/`false` are `1`/`0`;
  a sequence name in `nextval(...)` without its quotes. `NULL` stays `null`, which
  `compare` reads as no default.

What is left is still SQL and still readable; it is for comparing, not for running.
"""

from __future__ import annotations

import re
from typing import Literal

TokenKind = Literal["literal", "quoted", "bare"]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SIMPLE_IDENTIFIER = {
    "postgresql": re.compile(r"^[a-z_][a-z0-9_$]*$"),
    "sqlite": re.compile(r"^[a-z_][a-z0-9_$]*$"),
    "mysql": re.compile(r"^[A-Za-z0-9_$]*[A-Za-z_$][A-Za-z0-9_$]*$"),
}
# a PostgreSQL type name after `::` (the multi-word names first)
_PG_CAST = re.compile(
    r"^::(?:character varying|double precision|bit varying|timestamp|time"
    r"|[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)"
    r"(?:\(\d+(?:,\d+)?\))?(?: with(?:out)? time zone)?(?:\[\])*"
)
_PG_CAST_QUOTED_TAIL = re.compile(r"^(?:\[\])*")
_SPACE_AROUND = re.compile(r"\s*([(),=<>!+\-*/%|&\[\]]|::)\s*")
_CURRENT_TIMESTAMP = re.compile(
    r"^(?:current_timestamp|now|localtimestamp|localtime)(?:\((\d*)\))?$"
)


def _tokens(dialect: str, text: str) -> list[tuple[TokenKind, str]]:
    """String literals, quoted identifiers and the bare text between them."""
    out: list[tuple[TokenKind, str]] = []
    i, start, n = 0, 0, len(text)
    quotes = {"'": "literal", '"': "quoted", "`": "quoted"}
    if dialect == "mysql":
        quotes['"'] = "literal"
    while i < n:
        ch = text[i]
        e_string = ch in "eE" and i + 1 < n and text[i + 1] == "'" and dialect == "postgresql"
        if (ch in quotes or e_string) and not (
            e_string and i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
        ):
            if i > start:
                out.append(("bare", text[start:i]))
            j = i + 2 if e_string else i + 1
            close = "'" if e_string else ch
            backslash = dialect == "mysql" or e_string
            while j < n:
                if backslash and text[j] == "\\":
                    j += 2
                    continue
                if text[j] == close:
                    if j + 1 < n and text[j + 1] == close:
                        j += 2
                        continue
                    break
                j += 1
            kind: TokenKind = "literal" if e_string else quotes[ch]  # type: ignore[assignment]
            out.append((kind, text[i : j + 1]))
            i = start = j + 1
            continue
        i += 1
    if start < n:
        out.append(("bare", text[start:]))
    return out


def _bare(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower())
    return _SPACE_AROUND.sub(r"\1", text)


def _quoted(dialect: str, text: str) -> str:
    inner = text[1:-1]
    pattern = _SIMPLE_IDENTIFIER.get(dialect, _SIMPLE_IDENTIFIER["postgresql"])
    if text[0] in '"`' and pattern.match(inner):
        return inner.lower() if dialect == "mysql" else inner
    return text


def _literal(dialect: str, text: str) -> str:
    if text[0] in "eE":
        body = text[1:]
        return body if "\\" not in body else text
    if dialect == "mysql" and text[0] == '"':
        return "'" + text[1:-1].replace('""', '"').replace("'", "''") + "'"
    return text


def _strip_casts(parts: list[tuple[TokenKind, str]]) -> list[tuple[TokenKind, str]]:
    """PostgreSQL: drop `::type` after a literal (the type may be a quoted identifier)."""
    out: list[tuple[TokenKind, str]] = []
    i = 0
    while i < len(parts):
        kind, text = parts[i]
        out.append((kind, text))
        i += 1
        if kind != "literal" or i >= len(parts) or parts[i][0] != "bare":
            continue
        tail = parts[i][1]
        if tail == "::" and i + 1 < len(parts) and parts[i + 1][0] == "quoted":
            # `'x'::"Enum"` (and `::"Enum"[]`): skip the quoted type name
            rest = parts[i + 2][1] if i + 2 < len(parts) and parts[i + 2][0] == "bare" else None
            i += 2
            if rest is not None:
                rest = _PG_CAST_QUOTED_TAIL.sub("", rest, count=1)
                parts = [*parts[:i], ("bare", rest), *parts[i + 1 :]]
            continue
        m = _PG_CAST.match(tail)
        if m is not None:
            parts = [*parts[:i], ("bare", tail[m.end() :]), *parts[i + 1 :]]
    return [(k, t) for k, t in out if t]


def _unwrap(text: str) -> str:
    """Drop parentheses that wrap the whole text (only when they match each other)."""
    while text.startswith("(") and text.endswith(")"):
        depth, quote = 0, None
        for i, ch in enumerate(text):
            if quote:
                if ch == quote:
                    quote = None
                continue
            if ch in "'\"`":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0 and i != len(text) - 1:
                    return text
        text = text[1:-1]
    return text


def normalize_expression(dialect: str, text: str) -> str:
    """An expression (index expression, partial-index predicate, check, default) in one
    spelling for `dialect` (`postgresql`, `mysql`, `sqlite`); see the module docstring."""
    parts = _tokens(dialect, text.strip())
    parts = [
        (k, _bare(t) if k == "bare" else _quoted(dialect, t) if k == "quoted" else t)
        for k, t in parts
    ]
    parts = [(k, _literal(dialect, t)) if k == "literal" else (k, t) for k, t in parts]
    if dialect == "postgresql":
        parts = _strip_casts(parts)
    result = _unwrap("".join(t for _, t in parts).strip())
    if len(result) >= 2 and result[0] == "'" and result[-1] == "'":
        inner = result[1:-1]
        if _NUMBER.match(inner) and "'" not in inner:
            result = inner
    return result


def normalize_default(dialect: str, text: str) -> str:
    """A column default in one spelling for `dialect`; see the module docstring."""
    result = normalize_expression(dialect, text)
    if dialect == "postgresql":
        m = re.fullmatch(r"nextval\('(.*)'\)", result)
        if m is not None:
            return f"nextval('{m.group(1).replace(chr(34), '')}')"
    if dialect == "mysql":
        m = _CURRENT_TIMESTAMP.match(result)
        if m is not None:
            precision = m.group(1) or ""
            return f"current_timestamp({'' if precision == '0' else precision})"
        if result in ("true", "false"):
            return "1" if result == "true" else "0"
    return result


def normalize_type(dialect: str, text: str) -> str:
    """A column type in one spelling for `dialect`. MySQL: lower-case (but an `enum(...)`'s
    values) with single spaces, and without the integer display widths MariaDB and MySQL 5
    print (`int(11)` is `int`, `int(10) unsigned` is `int unsigned`) except `tinyint(1)`, as
    MySQL 8 spells them. PostgreSQL's (`format_type`) and SQLite's (upper-case) stay as given."""
    if dialect != "mysql":
        return text
    text = "".join(
        re.sub(r"\s+", " ", t.lower()) if kind == "bare" else t
        for kind, t in _tokens("mysql", text.strip())
    )
    m = re.match(r"^(tinyint|smallint|mediumint|int|integer|bigint)\((\d+)\)(.*)$", text)
    if m is not None and not (m.group(1) == "tinyint" and m.group(2) == "1" and not m.group(3)):
        return m.group(1) + m.group(3)
    return text
