"""Datasource and generator blocks: the provider, relation mode, schemas and preview features,
with the checks of Prisma's datasource and generator loaders.

Connection URLs (`url`, `directUrl`, `shadowDatabaseUrl`): Prisma 5 and 6 read them from the
datasource (`url = env("DATABASE_URL")`); Prisma 7 moved them to `prisma.config.ts` and rejects
them in the schema. Which verdict we give depends on `Database.prisma_version` (see
`read_prisma_schema`): with 7 they are errors worded as Prisma 7's, otherwise (6 or lower, or
not known) both forms are accepted, because a project on Prisma 5/6 is right to have them.

Any error found here keeps the validation pipeline from running, as in Prisma.
"""

from __future__ import annotations

import itertools

from schemasense.codegen.dialects import get_dialect
from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.database import ConfigInfo, Database
from schemasense.server.sources.prisma.preview_features import read_preview_features

PROVIDERS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "cockroachdb",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "sqlserver",
    "mongodb": "mongodb",
}
_URL_PROPERTIES = ("url", "directUrl", "shadowDatabaseUrl")


def read_config(db: Database) -> None:
    datasources: list[tuple[ast.ConfigBlock, str]] = []
    generators: list[tuple[ast.ConfigBlock, str]] = []
    generator_names: set[str] = set()
    for file, tree in db.asts.items():
        for top in tree.tops:
            if not isinstance(top, ast.ConfigBlock):
                continue
            _duplicate_properties(db, top, file)
            if top.kind == "datasource":
                datasources.append((top, file))
                continue
            if top.name.name in generator_names:
                db.findings.append(problems.duplicate_generator(top.name.name, file, top.name.span))
            generator_names.add(top.name.name)
            db.config.generators.append((top, file))
            generators.append((top, file))
    # the provider decides which preview features exist, so the datasource comes first
    # every datasource is read; the first that loads is the schema's, as in psl
    if datasources:
        db.config.datasource, db.config.datasource_file = datasources[0]
    loaded = 0
    for block, file in datasources:
        target = db.config if loaded == 0 else ConfigInfo()
        if _datasource(db, block, file, target):
            if loaded == 0:
                db.config.datasource, db.config.datasource_file = block, file
            loaded += 1
    if loaded > 1:
        for block, file in datasources:
            db.findings.append(problems.more_than_one_datasource(file, block.span))
    for block, file in generators:
        _generator(db, block, file)


def _string(expr: ast.Expression | None) -> str | None:
    return expr.value if isinstance(expr, ast.StringValue) else None


def _is_env(expr: ast.Expression | None) -> bool:
    return isinstance(expr, ast.FunctionCall) and expr.name == "env"


def _duplicate_properties(db: Database, block: ast.ConfigBlock, file: str) -> None:
    seen: set[str] = set()
    for prop in block.properties:
        if prop.name.name in seen:
            kind = "source" if block.kind == "datasource" else block.kind
            db.findings.append(
                problems.duplicate_config_key(
                    kind, block.name.name, prop.name.name, file, prop.name.span
                )
            )
        seen.add(prop.name.name)


def _missing_value(db: Database, block: ast.ConfigBlock, file: str) -> bool:
    """Prisma stops reading a block at its first `key =` without a value."""
    for prop in block.properties:
        if prop.value is None:
            db.findings.append(
                problems.config_property_missing_value(
                    prop.name.name, block.name.name, block.kind, file, block.span
                )
            )
            return True
    return False


def _datasource(db: Database, block: ast.ConfigBlock, file: str, config: ConfigInfo) -> bool:
    """Read one datasource into `config`; False when psl would not load it."""
    if _missing_value(db, block, file):
        return False
    name = block.name.name
    props = {p.name.name: p for p in block.properties}  # as in psl's map, the last one wins
    provider = props.pop("provider", None)
    if provider is None:
        db.findings.append(problems.datasource_argument_missing("provider", name, file, block.span))
        return False
    value = provider.value
    assert value is not None
    if _is_env(value):
        db.findings.append(problems.datasource_provider_env(file, block.span))
        return False
    text = _string(value)
    if text is None or text == "":
        db.findings.append(
            problems.datasource_error(
                name,
                "The provider argument in a datasource must "
                + ("be a string literal" if text is None else "not be empty"),
                file,
                value.span,
            )
        )
        return False
    if text not in PROVIDERS:
        db.findings.append(problems.datasource_provider_not_known(text, file, value.span))
        return False
    config.provider = PROVIDERS[text]
    config.datasource_name = name
    _relation_mode(db, config, props, block, file)
    extensions = props.pop("extensions", None)
    if extensions is not None and config.provider == "postgresql":
        config.extensions_span = extensions.span
    elif extensions is not None:
        props["extensions"] = extensions
    for key in _URL_PROPERTIES:
        prop = props.pop(key, None)
        if prop is not None:
            _url(db, prop, file)
    preview = props.pop("previewFeatures", None)
    if preview is not None:
        db.findings.append(problems.preview_features_in_datasource(file, preview.span))
    schemas = props.pop("schemas", None)
    if schemas is not None:
        _schemas(db, config, schemas, file)
    for prop in sorted(props.values(), key=lambda p: p.span):
        db.findings.append(problems.property_not_known(prop.name.name, file, prop.name.span))
    return True


def _relation_mode(
    db: Database, config: ConfigInfo, props: dict, block: ast.ConfigBlock, file: str
) -> None:
    legacy = props.pop("referentialIntegrity", None)
    mode_prop = props.pop("relationMode", None)
    if legacy is not None:
        db.findings.append(problems.referential_integrity_deprecated(file, legacy.span))
        if mode_prop is not None:
            db.findings.append(problems.referential_integrity_and_relation_mode(file, legacy.span))
            return
    prop = mode_prop or legacy
    if prop is None:
        if config.provider == "mongodb":
            config.relation_mode = "prisma"
        return
    value = prop.value
    assert value is not None
    mode = _string(value)
    if mode is None:
        db.findings.append(problems.expected_string(value, file, value.span))
        return
    if mode not in ("prisma", "foreignKeys"):
        db.findings.append(
            problems.invalid_relation_mode(mode, ("prisma", "foreignKeys"), file, block.span)
        )
        return
    allowed = ("prisma",) if config.provider == "mongodb" else ("prisma", "foreignKeys")
    if mode not in allowed:
        db.findings.append(problems.invalid_relation_mode(mode, allowed, file, value.span))
    config.relation_mode = mode if mode in allowed else allowed[0]


def _url(db: Database, prop: ast.ConfigProperty, file: str) -> None:
    if db.prisma_version is not None and db.prisma_version >= 7:
        db.findings.append(problems.datasource_url_unsupported(prop.name.name, file, prop.span))
        return
    value = prop.value
    if isinstance(value, ast.StringValue):
        return
    if isinstance(value, ast.FunctionCall) and value.name == "env":
        args = value.arguments.arguments
        if len(args) == 1 and isinstance(args[0].value, ast.StringValue):
            return
    db.findings.append(
        problems.problem(
            problems.CONFIG,
            f'Expected a string value or `env("...")` for "{prop.name.name}".',
            file,
            value.span if value else prop.span,
        )
    )


def _schemas(db: Database, config: ConfigInfo, prop: ast.ConfigProperty, file: str) -> None:
    value = prop.value
    assert value is not None
    items = value.items if isinstance(value, ast.ArrayExpression) else [value]
    names: list[tuple[str, ast.Offsets]] = []
    for item in items:
        if not isinstance(item, ast.StringValue):
            db.findings.append(problems.expected_string(item, file, item.span))
            return
        names.append((item.value, item.span))
    if not names:
        db.findings.append(problems.schemas_array_empty(file, value.span))
        return
    names.sort()
    for first, second in itertools.pairwise(names):
        if first[0] == second[0]:
            db.findings.append(problems.duplicated_schema_name(file, first[1]))
    config.schemas = sorted({n for n, _ in names})
    config.schemas_span = value.span
    dialect = get_dialect(config.provider)
    if dialect is not None and not dialect.has("MultiSchema"):
        db.findings.append(
            problems.problem(
                problems.PROVIDER_FEATURE,
                "The `schemas` property is not supported on the current connector.",
                file,
                value.span,
            )
        )


def _generator(db: Database, block: ast.ConfigBlock, file: str) -> None:
    if _missing_value(db, block, file):
        return
    props = {p.name.name: p for p in block.properties}  # the last one wins
    provider = props.get("provider")
    if provider is None:
        db.findings.append(
            problems.problem(
                problems.CONFIG,
                f'Argument "provider" is missing in generator block "{block.name.name}".',
                file,
                block.span,
            )
        )
        return
    value = provider.value
    if not isinstance(value, ast.StringValue) and not _is_env(value):
        assert value is not None
        db.findings.append(problems.expected_string(value, file, value.span, capital=True))
        return
    preview = props.get("previewFeatures")
    if preview is not None and preview.value is not None:
        db.config.preview_features |= read_preview_features(db, preview.value, file)
