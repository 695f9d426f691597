"""Every problem the migration reader reports, built by named constructors.

| code  | family |
| ----- | ------ |
| DB050 | a statement the dialect's grammar cannot read (warning; the replay goes on) |
| DB051 | a statement that names something that does not exist at that point (error) |
| DB052 | a statement that creates something that already exists (error) |
| DB053 | discovery and configuration: lock files, `schemasense.toml`, dbmate sections |
| DB054 | a statement read but not replayed: a form the replay does not model (info) |
"""

from __future__ import annotations

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Severity

UNPARSED = "DB050"
MISSING = "DB051"
EXISTS = "DB052"
DISCOVERY = "DB053"
NOT_MODELLED = "DB054"


def problem(
    code: str,
    message: str,
    file: str,
    span: tuple[int, int],
    severity: Severity = "error",
    help: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=message,
        span=Span(file=file, start=span[0], end=span[1]),
        help=help,
    )


def unparsed_statement(file: str, span: tuple[int, int], detail: str, dialect: str) -> Finding:
    return problem(
        UNPARSED,
        f"Migration statement could not be parsed as {dialect}: {detail}",
        file,
        span,
        "warning",
        help="The replay skipped this statement; what it builds is missing from the migrated "
        "schema.",
    )


def unread_call(file: str, span: tuple[int, int], detail: str) -> Finding:
    """A migration step written as a call (TypeORM's Table API, Sequelize's queryInterface)
    whose arguments cannot be known without running the code."""
    return problem(
        UNPARSED,
        f"Migration step could not be read: {detail}",
        file,
        span,
        "warning",
        help="The replay skipped this call; what it builds is missing from the migrated schema.",
    )


def missing(file: str, span: tuple[int, int], kind: str, name: str, context: str = "") -> Finding:
    where = f" {context}" if context else ""
    return problem(
        MISSING,
        f"{kind.capitalize()} {name!r} does not exist{where} at this point of the migrations.",
        file,
        span,
        help="The database would reject this statement; the replay skipped it.",
    )


def already_exists(file: str, span: tuple[int, int], kind: str, name: str) -> Finding:
    return problem(
        EXISTS,
        f"{kind.capitalize()} {name!r} already exists at this point of the migrations.",
        file,
        span,
        help="The database would reject this statement; the replay kept the existing one.",
    )


def not_modelled(file: str, span: tuple[int, int], what: str) -> Finding:
    return problem(
        NOT_MODELLED,
        f"The replay does not model {what}; the statement was kept as it is.",
        file,
        span,
        "info",
    )


def unsupported_provider(file: str, span: tuple[int, int], provider: str) -> Finding:
    return problem(
        DISCOVERY,
        f"Provider {provider!r} is not a SQL dialect the replay reads "
        "(postgresql, mysql, sqlite); assuming postgresql.",
        file,
        span,
        "warning",
    )


def invalid_config(file: str, detail: str) -> Finding:
    return problem(DISCOVERY, f"schemasense.toml: {detail}", file, (0, 0), "warning")


def dbmate_without_sections(file: str) -> Finding:
    return problem(
        DISCOVERY,
        "This dbmate migration has no `-- migrate:up` section; it was not replayed.",
        file,
        (0, 0),
        "warning",
    )
