"""Datasource and generator blocks: the provider, relation mode and schemas, with Prisma's checks.

Both the Prisma 5/6 form (`url = env("DATABASE_URL")` in the datasource) and the Prisma 7 form
(the URL lives in `prisma.config.ts`) are accepted: a project on either version is right.
"""

from __future__ import annotations

from schemasense.server.readers.prisma import ast, problems
from schemasense.server.readers.prisma.database import Database

PROVIDERS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "cockroachdb",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "sqlserver",
    "mongodb": "mongodb",
}
_RELATION_MODES = ("prisma", "foreignKeys")
_URL_PROPERTIES = ("url", "directUrl", "shadowDatabaseUrl")


def read_config(db: Database) -> None:
    datasources: list[tuple[ast.ConfigBlock, str]] = []
    generator_names: set[str] = set()
    for file, tree in db.asts.items():
        for top in tree.tops:
            if not isinstance(top, ast.ConfigBlock):
                continue
            if top.kind == "datasource":
                datasources.append((top, file))
            else:
                if top.name.name in generator_names:
                    db.findings.append(
                        problems.problem(
                            problems.CONFIG,
                            f'The generator "{top.name.name}" cannot be defined because a '
                            "generator with that name already exists.",
                            file,
                            top.name.span,
                        )
                    )
                generator_names.add(top.name.name)
                db.config.generators.append((top, file))
                _generator(db, top, file)
    if len(datasources) > 1:
        for block, file in datasources:
            db.findings.append(
                problems.problem(
                    problems.CONFIG,
                    "You defined more than one datasource. This is not allowed yet because "
                    "support for multiple databases has not been implemented yet.",
                    file,
                    block.span,
                )
            )
    if datasources:
        _datasource(db, *datasources[0])


def _string(expr: ast.Expression | None) -> str | None:
    return expr.value if isinstance(expr, ast.StringValue) else None


def _duplicate_properties(db: Database, block: ast.ConfigBlock, file: str) -> None:
    seen: set[str] = set()
    for prop in block.properties:
        if prop.name.name in seen:
            db.findings.append(
                problems.problem(
                    problems.CONFIG,
                    f'Key "{prop.name.name}" is already defined in {block.kind} '
                    f'"{block.name.name}".',
                    file,
                    prop.name.span,
                )
            )
        seen.add(prop.name.name)


def _datasource(db: Database, block: ast.ConfigBlock, file: str) -> None:
    config = db.config
    config.datasource = block
    config.datasource_file = file
    _duplicate_properties(db, block, file)
    provider = block.property("provider")
    if provider is None:
        db.findings.append(
            problems.problem(
                problems.CONFIG,
                f'Argument "provider" is missing in data source block "{block.name.name}".',
                file,
                block.span,
            )
        )
    else:
        value = _string(provider.value)
        if value is None:
            db.findings.append(
                problems.problem(
                    problems.CONFIG,
                    f"Expected a string value, but received {_kind(provider.value)}.",
                    file,
                    provider.value.span if provider.value else provider.span,
                )
            )
        elif value not in PROVIDERS:
            db.findings.append(
                problems.problem(
                    problems.CONFIG,
                    f'Datasource provider not known: "{value}".',
                    file,
                    provider.value.span if provider.value else provider.span,
                )
            )
        else:
            config.provider = PROVIDERS[value]
    for prop in block.properties:
        name = prop.name.name
        if name in _URL_PROPERTIES:
            _url(db, prop, file)
        elif name in ("relationMode", "referentialIntegrity"):
            mode = _string(prop.value)
            if mode not in _RELATION_MODES:
                db.findings.append(
                    problems.problem(
                        problems.CONFIG,
                        f'Invalid relation mode setting: "{mode if mode is not None else ""}". '
                        'Supported values: "prisma", "foreignKeys"',
                        file,
                        prop.value.span if prop.value else prop.span,
                    )
                )
            else:
                config.relation_mode = mode
        elif name == "schemas":
            if isinstance(prop.value, ast.ArrayExpression):
                config.schemas = [
                    item.value for item in prop.value.items if isinstance(item, ast.StringValue)
                ]
        elif name in ("provider", "extensions"):
            continue
        else:
            db.findings.append(
                problems.problem(
                    problems.CONFIG,
                    f'Property not known: "{name}".',
                    file,
                    prop.name.span,
                )
            )
    if config.relation_mode == "foreignKeys" and config.provider == "mongodb":
        config.relation_mode = "prisma"


def _url(db: Database, prop: ast.ConfigProperty, file: str) -> None:
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


def _generator(db: Database, block: ast.ConfigBlock, file: str) -> None:
    _duplicate_properties(db, block, file)
    if block.property("provider") is None:
        db.findings.append(
            problems.problem(
                problems.CONFIG,
                f'Argument "provider" is missing in generator block "{block.name.name}".',
                file,
                block.span,
            )
        )


def _kind(value: ast.Expression | None) -> str:
    from schemasense.server.readers.prisma.arguments import describe

    return describe(value) if value is not None else "nothing"
