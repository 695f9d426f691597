"""Generator preview features, as Prisma 7 knows them (psl's `common/preview_features.rs`).

The tables are Prisma 7's (`@prisma/prisma-schema-wasm` 8.1.0): a feature is active (it changes
something), native to one provider, hidden (valid but never suggested), deprecated (now always
on: a warning), renamed for a provider (a warning naming the new one), or unknown (an error that
lists the active ones). Names match case-insensitively, as Prisma's `parse_opt` does.
"""

from __future__ import annotations

from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.database import Database

ACTIVE = (
    "nativeDistinct",
    "partialIndexes",
    "postgresqlExtensions",
    "relationJoins",
    "schemaEngineDriverAdapters",
    "shardKeys",
    "strictUndefinedChecks",
    "typedSql",
    "views",
)
NATIVE = {"postgresql": ("fullTextSearchPostgres",)}
"""Active only on one provider (and listed only there)."""
HIDDEN = ("reactNative",)
DEPRECATED = (
    "aggregateApi",
    "atomicNumberOperations",
    "clientExtensions",
    "cockroachdb",
    "connectOrCreate",
    "createMany",
    "dataProxy",
    "deno",
    "distinct",
    "driverAdapters",
    "extendedIndexes",
    "extendedWhereUnique",
    "fieldReference",
    "filterJson",
    "filteredRelationCount",
    "fullTextIndex",
    "fullTextSearch",
    "groupBy",
    "improvedQueryRaw",
    "interactiveTransactions",
    "jsonProtocol",
    "microsoftSqlServer",
    "middlewares",
    "mongoDb",
    "multiSchema",
    "nApi",
    "namedConstraints",
    "nativeTypes",
    "omitApi",
    "orderByAggregateGroup",
    "orderByNulls",
    "orderByRelation",
    "prismaSchemaFolder",
    "queryCompiler",
    "referentialActions",
    "referentialIntegrity",
    "selectRelationCount",
    "tracing",
    "transactionApi",
    "uncheckedScalarInputs",
)
RENAMED = {("fullTextSearch", "postgresql"): ("fullTextSearchPostgres", "fts-postgres")}
"""(old name, provider) -> (new name, pris.ly path)."""


def active_features(provider: str | None) -> tuple[str, ...]:
    """What the unknown-feature error lists for this provider, sorted as Prisma sorts it."""
    return tuple(sorted((*ACTIVE, *NATIVE.get(provider or "", ())), key=str.lower))


def _canonical(provider: str | None) -> dict[str, str]:
    names = (*ACTIVE, *NATIVE.get(provider or "", ()), *HIDDEN, *DEPRECATED)
    return {n.lower(): n for n in names}


def read_preview_features(db: Database, value: ast.Expression, file: str) -> set[str]:
    """The features a `previewFeatures = [...]` enables; reports unknown and deprecated ones."""
    provider = db.config.provider
    known = _canonical(provider)
    deprecated = set(DEPRECATED)
    items = value.items if isinstance(value, ast.ArrayExpression) else [value]
    enabled: set[str] = set()
    for item in items:
        if not isinstance(item, ast.StringValue):
            db.findings.append(problems.expected_string(item, file, item.span))
            continue
        name = known.get(item.value.lower())
        if name is None:
            db.findings.append(
                problems.preview_feature_not_known(
                    item.value, active_features(provider), file, item.span
                )
            )
            continue
        renamed = RENAMED.get((name, provider or ""))
        if renamed is not None:
            db.findings.append(
                problems.preview_feature_renamed(
                    name, renamed[0], provider or "", renamed[1], file, item.span
                )
            )
        elif name in deprecated:
            db.findings.append(problems.preview_feature_deprecated(name, file, item.span))
        else:
            enabled.add(name)
    return enabled
