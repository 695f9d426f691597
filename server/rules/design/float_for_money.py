"""DB104: a floating-point column whose name says it holds money."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field
from schemasense.codegen.schema import ColumnType
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject
from schemasense.server.project.config import _Base
from schemasense.server.rules.design.schema_facts import words

MONEY_WORDS = frozenset(
    {
        "price",
        "prices",
        "amount",
        "amounts",
        "cost",
        "costs",
        "total",
        "subtotal",
        "balance",
        "fee",
        "fees",
        "salary",
        "wage",
        "wages",
        "tax",
        "taxes",
        "discount",
        "revenue",
        "payment",
        "payout",
        "refund",
        "charge",
        "credit",
        "debit",
        "budget",
        "income",
        "expense",
        "expenses",
        "earnings",
        "commission",
        "tip",
        "deposit",
        "invoice",
        "money",
        "cash",
        "fare",
        "rent",
        "spend",
    }
)
NOT_MONEY_WORDS = frozenset(
    {
        "count",
        "number",
        "num",
        "rate",
        "ratio",
        "percent",
        "percentage",
        "pct",
        "score",
        "weight",
        "duration",
        "seconds",
        "secs",
        "minutes",
        "hours",
        "days",
        "ms",
        "lat",
        "lng",
        "lon",
        "latitude",
        "longitude",
        "factor",
        "multiplier",
        "probability",
    }
)


class Options(_Base):
    extra_words: list[str] = Field(
        default_factory=list, description="more name words that mean money (lower case)"
    )


class FloatForMoney(SchemaRule):
    """## What it does
    Flags a `Float` (`double precision`, `real`, `float`, `double`) column whose name says it
    holds money: a word like price, amount, cost, total, balance, fee, tax, discount, payment,
    refund (`unitPrice`, `total_amount`), unless another word says it is a rate, a count or a
    percentage (`taxRate`, `discountPercent`).

    ## Why is this bad?
    Binary floating point cannot represent most decimal fractions: `0.1 + 0.2` is
    `0.30000000000000004`. Sums drift by cents, equality checks on amounts fail, and totals
    computed in SQL (`SUM(price)`) disagree with the ones computed per row. Money needs exact
    decimal arithmetic: `Decimal` (`numeric`), or an integer count of the smallest unit
    (cents).

    ## Example
    ```prisma
    model Invoice {
      id    Int   @id
      total Float
    }
    ```

    ## Use instead
    ```prisma
    model Invoice {
      id    Int     @id
      total Decimal @db.Decimal(12, 2)
    }
    ```

    or `totalCents Int`, converted at the edges.

    ## Fix safety
    The fix changes the field's type to `Decimal` with `@db.Decimal(19, 4)` (on providers
    with native types). It is unsafe: Prisma Client returns `Prisma.Decimal` instead of
    `number`, so the TypeScript that reads the field must change, and the migration rewrites
    the column (`ALTER COLUMN ... TYPE numeric`), rounding what the floats held.

    ## Options
    - `extra-words` (default `[]`): more name words that mean money, lower case.
    """

    code = "DB104"
    table_local = True
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")
    options_model = Options

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        money = MONEY_WORDS | {w.lower() for w in self.options.extra_words}  # type: ignore[attr-defined]
        for table in target.schema.tables:
            if table.kind not in ("table", "view") or table.ignored:
                continue
            for column in table.columns:
                if column.type.kind not in ("float", "double") or column.span is None:
                    continue
                name_words = words(column.field_name or column.name)
                if not money.intersection(name_words) or NOT_MONEY_WORDS.intersection(name_words):
                    continue
                shown = column.field_name or column.name
                yield (
                    ("col", table.name, column.name),
                    self.finding(
                        f"`{table.model_name or table.name}.{shown}` holds money in a "
                        f"floating-point column",
                        column.span,
                        help="use Decimal (numeric) or an integer number of cents",
                        fix=self._fix(target, table, column),
                    ),
                )

    def _fix(self, target: SchemaTarget, table, column) -> Fix | None:
        if target.origin != "declared" or target.editor is None:
            return None
        wanted = ColumnType(kind="decimal", precision=19, scale=4)
        change = target.editor.set_column_type(table, column, wanted)
        if change is None:
            return None
        return Fix(f"Store it as {change.label}", change.edits, "unsafe")
