"""A description's text: which language it is written in, and where its queries start.

The format is told by the file's extension where there is one (`.sql`, `.prisma`, `.ts`/`.js`),
else by the content: `CREATE TABLE`/`ALTER TABLE` is SQL, a `model X {` block is Prisma, an
`@Entity(` decorator is TypeORM, `sequelize.define(` / `Model.init(` / `DataTypes.` is
Sequelize. The queries follow a line `-- queries:` in SQL and a line `queries:` (bare, or
behind `//`, `--` or `#`) in the other formats; each is a SQL SELECT ending at a `;` or at the
end of the text. The schema part keeps its offsets (the queries are cut off at the end), so a
problem's line and column are the description's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Format = Literal["sql", "prisma", "typeorm", "sequelize"]
FORMATS: tuple[Format, ...] = ("sql", "prisma", "typeorm", "sequelize")

_EXTENSIONS: dict[str, Format] = {".sql": "sql", ".prisma": "prisma"}
_SQL = re.compile(r"^\s*(CREATE\s+(UNIQUE\s+)?(TABLE|INDEX|TYPE)|ALTER\s+TABLE)\b", re.I | re.M)
_PRISMA = re.compile(r"^\s*(model|enum)\s+\w+\s*\{", re.M)
_TYPEORM = re.compile(r"@Entity\s*\(")
_SEQUELIZE = re.compile(r"\.define\s*\(|\.init\s*\(|\bDataTypes\.|@Table\b|\bsequelize\b", re.I)
_QUERIES = re.compile(r"^[ \t]*(?:--|//|#)?[ \t]*queries[ \t]*:[ \t]*$", re.I | re.M)


@dataclass(frozen=True)
class QueryText:
    """One query of the description: its SQL and where it starts in the description."""

    sql: str
    offset: int


@dataclass(frozen=True)
class DescriptionText:
    text: str
    """The whole description."""
    format: Format | None
    """None: the text is none of the formats (an error for the caller to word)."""
    schema_text: str
    """The schema part: the text up to the queries line."""
    queries: tuple[QueryText, ...] = ()
    queries_offset: int | None = None


def detect_format(text: str, filename: str | None = None) -> Format | None:
    """The description's language: by extension first, then by what the text says."""
    if filename:
        lower = filename.lower()
        for ext, fmt in _EXTENSIONS.items():
            if lower.endswith(ext):
                return fmt
        if lower.endswith((".ts", ".js", ".mjs", ".cjs", ".mts", ".cts")):
            return "typeorm" if _TYPEORM.search(text) else "sequelize"
    schema_part = text[: m.start()] if (m := _QUERIES.search(text)) else text
    if _TYPEORM.search(schema_part):
        return "typeorm"
    if _PRISMA.search(schema_part):
        return "prisma"
    if _SQL.search(schema_part):
        return "sql"
    if _SEQUELIZE.search(schema_part):
        return "sequelize"
    return None


def split(text: str, filename: str | None = None, fmt: Format | None = None) -> DescriptionText:
    """The description cut into its schema part and its queries."""
    fmt = fmt or detect_format(text, filename)
    m = _QUERIES.search(text)
    if m is None:
        return DescriptionText(text, fmt, text)
    body = text if fmt == "sql" else _uncommented(text, m.end())
    return DescriptionText(text, fmt, text[: m.start()], _statements(body, m.end()), m.start())


_LINE_COMMENT = re.compile(r"^([ \t]*)(//|--|#)", re.M)


def _uncommented(text: str, start: int) -> str:
    """Outside SQL the queries sit behind line comments (so the file stays valid Prisma or
    TypeScript): the markers after `start` become spaces, keeping every offset."""
    tail = _LINE_COMMENT.sub(lambda m: m.group(1) + " " * len(m.group(2)), text[start:])
    return text[:start] + tail


def _statements(text: str, start: int) -> tuple[QueryText, ...]:
    """The `;`-separated statements from `start` on (quotes respected; `--` comments dropped)."""
    out: list[QueryText] = []
    i, begin, quote = start, None, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif text.startswith("--", i) or text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif ch == ";":
            if begin is not None:
                out.append(QueryText(text[begin:i].strip(), begin))
            begin = None
        starts = quote is not None or (not ch.isspace() and ch != ";")
        if begin is None and starts:
            begin = i
        i += 1
    if begin is not None and text[begin:].strip():
        out.append(QueryText(text[begin:].strip(), begin))
    return tuple(q for q in out if q.sql)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
