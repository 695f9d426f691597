"""A sequelize-cli migration: `<UTC timestamp>-<name>.js` (or `.cjs` / `.ts`, as the project
writes its migrations) whose `up` and `down` are `queryInterface` calls
(`sequelize_calls.QueryInterfaceWriter`: `createTable`, `addColumn`, `changeColumn`,
`addIndex`, `addConstraint`, ...; SQL through `queryInterface.sequelize.query` only where no
call can say it), inside one transaction where the dialect's DDL is transactional and the step
allows it (never for a `CONCURRENTLY` step, which cannot run in one).

The file follows the project's conventions (`FileConventions`, read from its migrations): the
quote, indent and semicolons, CommonJS (`module.exports =`) or ES modules (`export default`),
JavaScript or TypeScript. Without any, it is what `sequelize-cli migration:generate` writes.
"""

from __future__ import annotations

from datetime import datetime

from schemasense.codegen.emit.migration import Migration
from schemasense.codegen.emit.migrations.files import (
    FileConventions,
    GeneratedFile,
    comment_lines,
    down_of,
    join,
    register,
    render,
    step_name,
)
from schemasense.codegen.emit.migrations.names import file_names, slug, timestamp
from schemasense.codegen.emit.migrations.sequelize_calls import QueryInterfaceWriter, transactional
from schemasense.codegen.emit.sql.base import Script
from schemasense.codegen.emit.style import CodeStyle

SEQUELIZE_CLI = FileConventions(
    CodeStyle(quote="'", indent="  ", semicolons=True, language="js", module="commonjs"), "js"
)
"""What `sequelize-cli migration:generate` writes (its `skeletons/migration.js`)."""


@register("sequelize")
def sequelize_files(
    migration: Migration,
    folder: str,
    now: datetime,
    conventions: FileConventions | None = None,
) -> list[GeneratedFile]:
    conventions = conventions or SEQUELIZE_CLI
    style = conventions.style
    out = []
    for i, step in enumerate(migration.steps):
        down = down_of(migration, i)
        up_lines = _body(
            migration, step.up, style, migration.before, migration.after, step.up.transactional
        )
        up_lines = [f"// {c}" for c in comment_lines(step, step.up)] + up_lines
        if down is not None:
            down_lines = _body(
                migration, down, style, migration.after, migration.before, down.transactional
            )
            down_lines = [f"// {c}" for c in comment_lines(step, down, down=True)] + down_lines
        else:
            down_lines = ["// Undone by the last migration of this change."]
        text = render(
            "sequelize/migration.js.j2",
            **_skeleton(conventions),
            up=_indent(up_lines, style.indent * 2),
            down=_indent(down_lines, style.indent * 2),
        )
        name = slug(step_name(migration, step), "-")
        stem = file_names("sequelize", timestamp(now, i), name).up.rsplit(".", 1)[0]
        out.append(GeneratedFile(join(folder, f"{stem}.{conventions.extension}"), text))
    return out


def _body(migration, script: Script, style, source, target, step_transactional: bool) -> list[str]:
    """The statements of `script` (in a transaction where it can run in one)."""
    in_transaction = step_transactional and transactional(migration.provider)
    writer = QueryInterfaceWriter(
        migration.provider, style, source=source, target=target, transaction=in_transaction
    )
    statements = writer.statements(script)
    for u in script.unsupported:
        statements.append(f"// Unsupported: {u}")
    if not statements:
        return []
    if not in_transaction:
        return statements
    lines = ["await queryInterface.sequelize.transaction(async (transaction) => {"]
    lines += _indent(statements, style.indent)
    lines.append(f"}}){style.end()}")
    return lines


def _indent(statements: list[str], prefix: str) -> list[str]:
    out = []
    for s in statements:
        out.extend((prefix + line) if line else line for line in s.split("\n"))
    return out


def _skeleton(conventions: FileConventions) -> dict[str, object]:
    style = conventions.style
    q, end = style.quote, style.end()
    ts = conventions.extension in ("ts", "mts", "cts")
    header: list[str] = []
    esm = style.module == "esm" and conventions.extension not in ("cjs", "cts")
    if ts:
        header += [f"import type {{ QueryInterface }} from {q}sequelize{q}{end}"]
        if not esm:
            header = [f"{q}use strict{q}{end}", "", *header]
        header += ["", f"/** @type {{import({q}sequelize-cli{q}).Migration}} */"]
        params = "queryInterface: QueryInterface, Sequelize: typeof import('sequelize')".replace(
            "'", q
        )
    elif esm:
        header += [f"/** @type {{import({q}sequelize-cli{q}).Migration}} */"]
        params = "queryInterface, Sequelize"
    else:
        header += [
            f"{q}use strict{q}{end}",
            "",
            f"/** @type {{import({q}sequelize-cli{q}).Migration}} */",
        ]
        params = "queryInterface, Sequelize"
    return {
        "header": header,
        "open": "export default {" if esm else "module.exports = {",
        "close": f"}}{end}",
        "i": style.indent,
        "up_params": params,
        "down_params": params,
    }
