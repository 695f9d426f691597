"""DB110: a MySQL / MariaDB index whose key is longer than InnoDB allows."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field
from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject
from schemasense.server.project.config import _Base
from schemasense.server.rules.design.schema_facts import keys

FIXED_BYTES = {
    "boolean": 1, "smallint": 2, "int": 4, "bigint": 8, "float": 4, "double": 8,
    "timestamp": 8, "date": 3, "time": 6, "uuid": 36 * 4, "enum": 2, "decimal": 16,
}  # fmt: skip


class Options(_Base):
    bytes_per_character: int = Field(
        default=4, description="4 for utf8mb4 (Prisma's default), 3 for utf8mb3, 1 for latin1"
    )
    max_key_bytes: int = Field(
        default=3072, description="InnoDB's limit with the DYNAMIC or COMPRESSED row format"
    )


class IndexKeyTooLong(SchemaRule):
    """## What it does
    Flags a MySQL or MariaDB index, unique constraint or primary key whose key can be longer
    than InnoDB allows: 3072 bytes for the whole key (and for one column), counting 4 bytes
    per character of `VARCHAR(n)` / `CHAR(n)` under utf8mb4, which Prisma uses.

    ## Why is this bad?
    The migration fails with "Specified key was too long; max key length is 3072 bytes"
    (error 1071) — on the production database too, if the length was raised there last.
    Prisma validates that `Text` columns get a `length:` prefix, but not that the sum of
    `VarChar` lengths fits: `@@unique([email, name])` with two `@db.VarChar(500)` columns is
    4000 bytes.

    ## Example
    ```prisma
    model Link {
      id     Int    @id
      domain String @db.VarChar(255)
      url    String @db.VarChar(1000)

      @@unique([domain, url])
    }
    ```

    ## Use instead
    ```prisma
    model Link {
      id      Int    @id
      domain  String @db.VarChar(255)
      url     String @db.VarChar(1000)
      urlHash String @db.Char(64)

      @@unique([domain, urlHash])
    }
    ```

    or index a prefix: `@@index([domain, url(length: 500)])` (a prefix cannot back a
    unique constraint that must compare the whole value).

    ## Fix safety
    There is no automatic fix: shortening a column, hashing it or indexing a prefix are
    different trade-offs.

    ## Options
    - `bytes-per-character` (default `4`): 4 for utf8mb4, 3 for utf8mb3, 1 for latin1.
    - `max-key-bytes` (default `3072`): InnoDB's limit with DYNAMIC / COMPRESSED rows.
    """

    code = "DB110"
    table_local = True
    severity = "error"
    status = Status.stable("0.1.0")
    options_model = Options

    def applies(self, target: SchemaTarget, ctx: RuleContext) -> bool:
        return target.provider == "mysql"

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        options: Options = self.options  # type: ignore[assignment]
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored:
                continue
            for key in keys(table, target.cache):
                if key.method == "fulltext" or key.span is None:
                    continue
                total = 0
                for column_name, _expr, _sort, length, _ops in key.parts:
                    column = table.column(column_name or "")
                    if column is None:
                        continue
                    total += self._bytes(column.type, length, options)
                if total <= options.max_key_bytes:
                    continue
                yield (
                    ("key", table.name, key.name or ""),
                    self.finding(
                        f"The key of {key.label()} on `{table.name}` can be {total:,} bytes; "
                        f"InnoDB allows {options.max_key_bytes:,}",
                        key.span,
                        help="shorten the columns, index a prefix (length: n), or index a hash",
                    ),
                )

    @staticmethod
    def _bytes(t, prefix: int | None, options: Options) -> int:
        if t.kind in ("string", "text"):
            chars = prefix or t.length
            if chars is None:
                chars = 191 if t.kind == "string" else 0  # Prisma's String; TEXT needs a prefix
            return chars * options.bytes_per_character
        if t.kind == "bytes":
            return prefix or t.length or 0
        return FIXED_BYTES.get(t.kind, 8)
