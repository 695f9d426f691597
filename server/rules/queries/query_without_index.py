"""DB401: a query in the code whose filter no index of its table serves, or serves only in
part where an index would serve it whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from schemasense.codegen.queries.model import Query
from schemasense.codegen.queries.serve import Judgement, SuggestedIndex, judge
from schemasense.codegen.schema import Table
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.registry import Input, Rule, Status

if TYPE_CHECKING:
    from schemasense.server.queries.read import FoundQuery


class QueryWithoutIndex(Rule):
    """## What it does
    Flags a query in the TypeScript code (a Prisma Client call, the relation queries its
    `include` and relation filters make, the SQL of `$queryRaw`) whose `where` no index,
    primary key or unique constraint of its table can narrow: the database reads the whole
    table for it. The finding sits on the `where` of the call (on the `include` that implies
    the query, on the whole call for raw SQL).

    It is information by default: the code may not be all the queries, and a small table is
    read quickly. It is a warning when the call sits inside a loop (`for`, `while`, a
    `.map` / `.forEach` callback, `Promise.all(ids.map(...))`): a full scan per item.

    ## Why is this bad?
    A query that filters by columns no index leads with is a sequential scan of the table on
    every call. It is fast in development, where the table has a few rows, and grows with the
    table in production. The planner's rules are those every database shares (leftmost prefix,
    equality before range, `contains` never served by a B-tree, case-insensitive comparisons
    only by a `lower(...)` index, an `OR` only when each branch is); `schemasense queries PATH`
    lists every query with the index that serves it or why none does.

    A query whose filter is only partly served (`partly` in docs/query-planner.md: an index
    narrows some of its filters — the leading column only, equality but not the range, the
    filter but not the sort, or only gives the order of a limited query) is flagged too, as
    information even inside a loop (an index already narrows it: no full scan per item), and
    only where the planner has an index to suggest that would serve it whole. A query with no
    `where` and a query part of which could not be read statically are not flagged:
    `schemasense queries` shows them.

    ## Example
    ```prisma
    model Post {
      id       Int    @id @default(autoincrement())
      authorId Int
      status   String
    }
    ```
    ```ts
    const drafts = await prisma.post.findMany({ where: { status: "draft" } });
    ```

    ## Use instead
    ```prisma
    model Post {
      id       Int    @id @default(autoincrement())
      authorId Int
      status   String

      @@index([status])
    }
    ```

    ## Fix safety
    The fix adds the index the planner suggests (`codegen/queries/serve.py`) to the model
    (`@@index([...])`), when it is a plain index on columns; a trigram GIN, a partial or an
    expression index is named in the help only. It is safe: an index changes no result. On a
    large table, generate the migration and let DB201 build it `CONCURRENTLY`.

    ## Options
    None. It is a preview rule: turn it on with `extend-select = ["DB401"]` (or `select` a
    prefix with `preview = true`); `schemasense check PATH` then reads the code below PATH.
    """

    code = "DB401"
    severity = "info"
    fix = "sometimes"
    status = Status.preview("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("queries",)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        """Nothing from a schema alone: the queries come from `check_queries`."""
        return ()

    def check_queries(self, found: Iterable[FoundQuery]) -> Iterator[Finding]:
        for item in found:
            query = item.query
            if query.operation == "raw" or not query.has_filter:
                continue
            table = item.unit.schema.table(query.table)
            if table is None:
                continue
            judgement = judge(query, table, item.unit.dialect)
            partly = judgement.verdict == "partly"
            if judgement.verdict != "not_served" and not (partly and judgement.suggestion):
                continue
            span = query.where_span or query.span
            if span is None:
                continue
            yield self.finding(
                _partly_message(query, table, judgement)
                if partly
                else _message(query, table, judgement),
                span,
                help=_help(judgement.suggestion, table),
                severity="warning" if query.in_loop and not partly else None,
                fix=_fix(item.unit.editor, judgement.suggestion, table),
            )


def _fix(editor: Any, suggestion: SuggestedIndex | None, table: Table) -> Fix | None:
    """ "Add @@index([...])" in the model, where the suggestion is a plain index on columns
    (a GIN, a partial or an expression index is said in the help only) and the unit's source
    can write it (`SchemaEditor.add_index`)."""
    if editor is None or suggestion is None or suggestion.method or suggestion.predicate:
        return None
    columns = [c.column for c in suggestion.columns]
    if not columns or any(c is None or table.column(c) is None for c in columns):
        return None
    if any(c.sort == "desc" or c.ops for c in suggestion.columns):
        return None
    change = editor.add_index(table, [c for c in columns if c])
    if change is None:
        return None
    return Fix(f"Add `{change.label}` to {table.model_name or table.name}", tuple(change.edits))


def _message(query: Query, table: Table, judgement: Judgement) -> str:
    columns = list(
        dict.fromkeys(f.column for branch in query.where for f in branch.filters if f.column)
    )
    shown = ", ".join(f"`{c}`" for c in columns[:4]) + (", ..." if len(columns) > 4 else "")
    loop = " (inside a loop)" if query.in_loop else ""
    reason = f": {judgement.reasons[0]}" if judgement.reasons else ""
    return (
        f"No index of `{table.name}` serves `{query.label}`{loop}, which filters by {shown}{reason}"
    )


def _partly_message(query: Query, table: Table, judgement: Judgement) -> str:
    uses = ", ".join(f"`{u.index}`" for u in judgement.uses[:2])
    loop = " (inside a loop)" if query.in_loop else ""
    reasons = [r for r in judgement.reasons if r.startswith("index ")] or judgement.reasons
    reason = f": {reasons[0]}" if reasons else ""
    return f"`{query.label}`{loop} is only partly served by {uses} of `{table.name}`{reason}"


def _help(suggestion: SuggestedIndex | None, table: Table) -> str | None:
    if suggestion is None:
        return "Add an index whose first columns are the ones this query compares by equality."
    parts = []
    for column in suggestion.columns:
        name = column.column or column.expression or "?"
        declared = table.column(column.column) if column.column else None
        parts.append((declared.field_name if declared else None) or name)
    method = f" using {suggestion.method}" if suggestion.method else ""
    where = f" where {suggestion.predicate}" if suggestion.predicate else ""
    text = f"An index on ({', '.join(parts)}){method}{where} would serve it"
    if not suggestion.method and not suggestion.predicate and table.model_name:
        text += f" (Prisma: `@@index([{', '.join(parts)}])` in `model {table.model_name}`)"
    return text + (f"; {suggestion.reason}" if suggestion.reason else ".")
