"""The TypeORM source's read problems: what TypeORM itself would refuse at start-up (its
`EntityMetadataValidator` and metadata builders throw), or what cannot be read statically.

Every code here is a row of docs/problem-codes.md (tests/test_docs.py holds the two together).
"""

from __future__ import annotations

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding

NO_DATASOURCE = "DB060"
"""No DataSource found in a project that uses TypeORM (said once, on package.json)."""
UNKNOWN_TARGET = "DB061"
"""A relation to a class that is not an entity of the DataSource (TypeORM: "Entity metadata
for X#y was not found")."""
UNKNOWN_INVERSE = "DB062"
"""The inverse side named in a relation decorator is not a relation of the target."""
BAD_TYPE = "DB063"
"""A column type the driver does not support, or no type TypeORM could know (`Object` from a
union such as `string | null` without `type:`, outside strict null checks)."""
BAD_JOIN = "DB064"
"""`@JoinColumn` on both sides of a one-to-one, or `@JoinTable` on both sides of a
many-to-many."""
DUPLICATE = "DB065"
"""Two columns of one table with the same database name."""
UNREAD = "DB066"
"""A decorator argument or a DataSource option that cannot be read without running the code;
what it declares is left out (or read with TypeORM's default)."""


def problem(
    code: str,
    message: str,
    file: str,
    start: int,
    end: int,
    *,
    severity: str = "error",
    help: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,  # type: ignore[arg-type]
        message=message,
        span=Span(file=file, start=start, end=end),
        help=help,
    )
