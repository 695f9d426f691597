"""A query as the index planner sees it: which table, which columns it filters and how, the sort.

Three producers write these and two consumers read them, so the shape is a contract:
- the query readers in `server/queries/` (Prisma Client, TypeORM and Sequelize calls read from
  the project's TypeScript, and the SQL strings handed to `$queryRaw`, `query(...)`,
  `sequelize.query(...)`),
- a feature description's `-- queries:` section (`codegen/describe/`),
- and the planner (`codegen/queries/serve.py`: which index serves a query) and the index
  designer (`codegen/queries/design.py`: which indexes a set of queries needs).

Only what decides index use is kept: the value a column is compared with matters only where it
can make a partial index apply (`deleted_at IS NULL`, `status = 'active'`), so it is kept as text
when the reader knows it statically and is `None` otherwise. What a reader cannot know (a
`where` built elsewhere and passed in) is said in `unknown`, never guessed.

Names are database names (table and column), resolved by the reader through the declared schema
(Prisma's `@map`, TypeORM's naming strategy, Sequelize's `field`/`underscored`); the ORM's own
names are kept beside them for messages.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from schemasense.codegen.schema import Span

FilterKind = Literal[
    "equal",  # = value (also Prisma `{ equals }`, TypeORM `Equal`, Sequelize `Op.eq`)
    "in",  # IN (list), `in: [...]`, TypeORM `In`, `Op.in`
    "range",  # < <= > >= BETWEEN (`gt/gte/lt/lte`, `MoreThan`, `Between`, `Op.gt`, ...)
    "prefix",  # LIKE 'x%', `startsWith`
    "suffix",  # LIKE '%x', `endsWith`
    "contains",  # LIKE '%x%', `contains`
    "is_null",  # IS NULL, `null`, `IsNull()`, `Op.is: null`
    "not_null",  # IS NOT NULL, `not: null`, `Not(IsNull())`, `Op.ne: null`
    "not_equal",  # <> value, `not: x`, `Not(x)`, `Op.ne`, NOT IN
    "fulltext",  # to_tsvector(...) @@ ..., MATCH ... AGAINST, Prisma `search`
    "other",  # an operator the planner cannot use (a function of the column, a subquery, ...)
]
"""How a column is compared. The planner's rules differ by kind: an equality can be a prefix of
an index key, a range ends the usable prefix, a `contains` is never served by a B-tree."""

QueryOperation = Literal[
    "find_many",
    "find_first",
    "find_unique",
    "count",
    "aggregate",
    "group_by",
    "exists",
    "update",
    "delete",
    "upsert",
    "select",  # a SQL SELECT (raw SQL, a description's queries)
    "raw",  # SQL text not yet read: `sql` holds it
]

QueryOrigin = Literal["prisma", "typeorm", "sequelize", "sql", "description"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnFilter(_Model):
    """One comparison of one column in a `where`."""

    column: str
    """The column's database name."""
    kind: FilterKind
    insensitive: bool = False
    """Case-insensitive (`mode: 'insensitive'`, `ILike`, `Op.iLike`, `lower(col) = ...`): a plain
    index on the column does not serve it. With `expression` (`lower(email)`, read from SQL) an
    index on that expression serves it; without, it is the ORM's ILIKE, which on PostgreSQL only
    a trigram index serves (docs/query-planner.md)."""
    value: str | None = None
    """The compared value as SQL literal text when statically known (`NULL`, `'active'`, `3`),
    else `None`. Used only to decide whether a partial index's predicate is implied."""
    field_name: str | None = None
    """The ORM's name for the column, for messages."""
    expression: str | None = None
    """The compared expression's SQL text when it is not the bare column (added for the planner):
    `to_tsvector('english', name || ' ' || description)` or MySQL's `MATCH (name, description)`
    for `fulltext`, `lower(email)` for a case-insensitive comparison read from SQL. An expression
    index serves the filter only when its key is this expression; `column` is the first column
    the expression reads."""
    expression_columns: list[str] = Field(default_factory=list)
    """Every column `expression` reads, in order (MySQL's FULLTEXT index must list exactly
    these)."""
    soft_delete: bool = False
    """The ORM's own `<column> IS NULL` on the table's soft-delete column (`Table.soft_delete`),
    added to its reads, not written in the code. It makes a partial index `WHERE <column> IS
    NULL` apply, and an index may narrow by it, but no index needs to: nearly every row passes
    it, so an index that narrows the query's other filters serves the query."""
    span: Span | None = None


class Conjunction(_Model):
    """Filters joined by AND: one branch of the `where`."""

    filters: list[ColumnFilter] = Field(default_factory=list)


class SortKey(_Model):
    column: str
    descending: bool = False
    nulls: Literal["first", "last"] | None = None
    field_name: str | None = None
    span: Span | None = None


class Query(_Model):
    """One query the code (or a description) makes on one table.

    `where` is in disjunctive normal form: a list of branches joined by OR, each a conjunction.
    No `where` at all is an empty list; a plain AND of filters is one branch. An `OR` is served
    only when every branch is. A reader expands `AND`/`OR`/`NOT` into this form (and gives up,
    saying so in `unknown`, past a bound on the number of branches).

    A relation read by `include`/`select`/`relations`/`include: [Model]`, or filtered by
    `some/every/none/is`, is a query of its own on the related table (filtering its foreign-key
    columns by equality or IN), with `implied_by` naming the call it comes from.
    """

    table: str
    """The table's database name."""
    db_schema: str | None = None
    model_name: str | None = None
    """The ORM's model/entity name, for messages."""
    operation: QueryOperation
    origin: QueryOrigin
    where: list[Conjunction] = Field(default_factory=list)
    order_by: list[SortKey] = Field(default_factory=list)
    limit: int | None = None
    """The row limit when statically known (`take: 10`, `LIMIT 10`, `findFirst` = 1)."""
    limited: bool = False
    """A limit is given, whatever its value (`take: n`)."""
    offset: int | None = None
    """The rows skipped when statically known (Prisma and TypeORM `skip: 20`, Sequelize
    `offset: 20`, SQL `OFFSET 20`)."""
    offset_given: bool = False
    """An offset is given, whatever its value (`skip: page * size`): the database still reads
    every skipped row, so a large offset costs what reading up to it costs (the pagination
    problem a cursor solves)."""
    distinct: list[str] = Field(default_factory=list)
    group_by: list[str] = Field(default_factory=list)
    cursor: list[str] = Field(default_factory=list)
    """Columns of a cursor (Prisma `cursor`): a range on them, in the sort's direction."""
    unknown: list[str] = Field(default_factory=list)
    """What could not be known statically, each as a short reason (`where built elsewhere`)."""
    sql: str | None = None
    """For `operation == "raw"`: the SQL text (template holes as `$1`, `$2`, ...)."""
    implied_by: str | None = None
    """For a relation query: the `label` of the query that implies it."""
    label: str = ""
    """How the code says it, for messages and listings: `prisma.user.findMany`,
    `userRepository.find`, `User.findAll`, `SELECT ... FROM products`."""
    span: Span | None = None
    """The whole call (or statement)."""
    where_span: Span | None = None
    """The `where` argument: where a diagnostic about an unserved filter points."""
    order_span: Span | None = None
    """The `orderBy` / `order` argument."""
    in_loop: bool = False
    """The call is inside a loop body (for, while, `.map`/`.forEach` callbacks)."""

    @property
    def has_filter(self) -> bool:
        return any(branch.filters for branch in self.where)
