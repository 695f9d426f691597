"""`schemasense queries PATH [--json]`: every query the code below PATH makes, where it is, what
it filters and sorts by, and the index that serves it (or why none does).

The queries are read by `server/queries/read.py` (each unit's ORM reader over the project's
code files) and judged by the planner (`codegen/queries/serve.py`) against the declared
schema's indexes, keys and unique constraints.

Text output, one query a line (then its details, indented):

    src/users.ts:12:9  prisma.user.findMany  users  where email = ? AND created_at range
        order created_at desc · limit 10 · served by users_email_key

`offset N` (`offset ?` when the offset is not a literal) follows the limit of a query that skips
rows (`skip`, `offset`, SQL `OFFSET`).

JSON output: a list, one object per query: `path` (relative to the current folder), `line` and
`column` (1-based, of the call), `unit` (the schema unit's key, relative), `query` (the
`codegen.queries.model.Query` as JSON, unset fields left out) and `judgement` (the planner's
verdict, the indexes it uses and its reasons).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from schemasense.codegen.queries.model import ColumnFilter, Query
from schemasense.codegen.queries.serve import Judgement, judge
from schemasense.server.positions import LineMap
from schemasense.server.queries.read import FoundQuery, read_project_queries
from schemasense.server.workspace.workspace import Workspace

CHARACTERS = "utf-32"
"""Columns count characters (a code point each), as compilers print them."""


class QueriesError(Exception):
    """PATH names nothing to read (exit 2)."""


_SYMBOL = {
    "equal": "= ?",
    "in": "IN (...)",
    "range": "range",
    "prefix": "LIKE 'x%'",
    "suffix": "LIKE '%x'",
    "contains": "LIKE '%x%'",
    "is_null": "IS NULL",
    "not_null": "IS NOT NULL",
    "not_equal": "<> ?",
    "fulltext": "full-text",
    "other": "(other)",
}


def describe_filter(f: ColumnFilter) -> str:
    symbol = _SYMBOL[f.kind]
    if f.kind in ("equal", "not_equal") and f.value is not None:
        symbol = symbol.replace("?", f.value)
    case = " (case-insensitive)" if f.insensitive else ""
    return f"{f.column} {symbol}{case}"


def describe_where(query: Query) -> str:
    if not query.where:
        return "no filter"
    branches = [" AND ".join(describe_filter(f) for f in c.filters) for c in query.where]
    if len(branches) == 1:
        return "where " + branches[0]
    return "where " + " OR ".join(f"({b})" for b in branches)


def describe_details(query: Query) -> list[str]:
    parts: list[str] = []
    if query.order_by:
        keys = ", ".join(f"{k.column}{' desc' if k.descending else ''}" for k in query.order_by)
        parts.append(f"order {keys}")
    if query.limited:
        parts.append(f"limit {query.limit if query.limit is not None else '?'}")
    if query.offset_given or query.offset is not None:
        parts.append(f"offset {query.offset if query.offset is not None else '?'}")
    if query.cursor:
        parts.append(f"cursor {', '.join(query.cursor)}")
    if query.distinct:
        parts.append(f"distinct {', '.join(query.distinct)}")
    if query.group_by:
        parts.append(f"group by {', '.join(query.group_by)}")
    if query.in_loop:
        parts.append("in a loop")
    if query.implied_by:
        parts.append(f"implied by {query.implied_by}")
    for reason in query.unknown:
        parts.append(f"unknown: {reason}")
    return parts


def judgement_of(item: FoundQuery) -> Judgement | None:
    """The planner's verdict on a query, or None for raw SQL and a table the schema lacks."""
    if item.query.operation == "raw":
        return None
    table = item.unit.schema.table(item.query.table)
    if table is None:
        return None
    return judge(item.query, table, item.unit.dialect)


def describe_judgement(judgement: Judgement) -> str:
    uses = ", ".join(u.index for u in judgement.uses)
    head = {
        "served": f"served by {uses}",
        "partly": f"partly served by {uses}" if uses else "partly served",
        "not_served": "not served by any index",
        "no_filter": f"no filter{'; sorted by ' + uses if uses else ''}",
        "unknown": "unknown",
    }[judgement.verdict]
    if judgement.verdict not in ("served", "unknown") and judgement.reasons:
        head += ": " + " ".join(judgement.reasons)
    if judgement.suggestion is not None and judgement.verdict in ("not_served", "partly"):
        columns = ", ".join(c.column or c.expression or "?" for c in judgement.suggestion.columns)
        method = f" USING {judgement.suggestion.method}" if judgement.suggestion.method else ""
        head += f" (would serve it: an index on {judgement.suggestion.table} ({columns}){method})"
    return head


def run_cli(path: str, as_json: bool, cwd: str | None = None) -> tuple[str, int]:
    """The listing for PATH and the exit code (0; 2 when PATH holds no schema unit)."""
    if not os.path.exists(path):
        raise QueriesError(f"{path}: no such file or folder")
    workspace = Workspace([path] if os.path.isdir(path) else [], incremental=False)
    found = read_project_queries(workspace, path)
    if not found.units:
        raise QueriesError(
            f"{path}: no schema found for the queries (no schema.prisma, TypeORM DataSource "
            "or Sequelize model set in it or above it)"
        )
    cwd = cwd or os.getcwd()
    lines: dict[str, LineMap] = {}
    if as_json:
        items = [_json(item, workspace, lines, cwd) for item in found.queries]
        text = "[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]\n" if items else "[]\n"
        return text, 0
    out: list[str] = []
    for item in found.queries:
        out.extend(_text(item, workspace, lines, cwd))
    tables = {(i.unit.unit.key, i.query.table) for i in found.queries}
    out.append(f"{len(found.queries)} queries on {len(tables)} tables in {len(found.files)} files")
    return "\n".join(out) + "\n", 0


def _place(
    item: FoundQuery, workspace: Workspace, lines: dict[str, LineMap], cwd: str
) -> tuple[str, int, int]:
    index = lines.get(item.file)
    if index is None:
        index = lines[item.file] = LineMap(workspace.text(item.file) or "")
    start = item.query.span.start if item.query.span else 0
    line, column = index.position(start, CHARACTERS)
    return _relative(item.file, cwd), line + 1, column + 1


def _relative(path: str, cwd: str) -> str:
    try:
        return os.path.relpath(path, cwd)
    except ValueError:
        return path


def _text(
    item: FoundQuery, workspace: Workspace, lines: dict[str, LineMap], cwd: str
) -> Sequence[str]:
    path, line, column = _place(item, workspace, lines, cwd)
    query = item.query
    if query.operation == "raw":
        sql = " ".join((query.sql or "?").split())
        head = f"{path}:{line}:{column}  {query.label}  SQL: {sql[:100]}"
    else:
        head = f"{path}:{line}:{column}  {query.label}  {query.table}  {describe_where(query)}"
    details = describe_details(query)
    judgement = judgement_of(item)
    if judgement is not None:
        details.append(describe_judgement(judgement))
    return [head, *(["    " + " · ".join(details)] if details else [])]


def _json(
    item: FoundQuery, workspace: Workspace, lines: dict[str, LineMap], cwd: str
) -> dict[str, Any]:
    path, line, column = _place(item, workspace, lines, cwd)
    query = item.query.model_dump(mode="json", exclude_defaults=True)
    _drop_span_files(query)
    judgement = judgement_of(item)
    return {
        "path": path,
        "line": line,
        "column": column,
        "unit": _relative(item.unit.unit.key, cwd),
        "query": query,
        "judgement": judgement.model_dump(mode="json", exclude_none=True) if judgement else None,
    }


def _drop_span_files(data: Any) -> None:
    """Spans in the JSON are offsets in the query's own file (`path`): the file is left out."""
    if isinstance(data, dict):
        if set(data) == {"file", "start", "end"}:
            data.pop("file")
            return
        for value in data.values():
            _drop_span_files(value)
    elif isinstance(data, list):
        for value in data:
            _drop_span_files(value)
