"""A TypeORM migration class: `<timestamp>-<Name>.ts`, `MigrationInterface` with `up` and
`down` running each statement through `queryRunner.query`, in TypeORM's own layout (what
`typeorm migration:generate` writes) and TypeORM's own SQL spelling (`codegen.emit.sql.typeorm`:
the operations are rendered again by the port of TypeORM's query runners, so a column is
`ADD "nickname" character varying(40)`, a unique key a `CONSTRAINT ... UNIQUE`, a SQLite change
a `temporary_<t>` rebuild). TypeORM runs a migration in a transaction unless the class says
`transaction = false`, which a `CONCURRENTLY` step does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from schemasense.codegen.emit.migration import Migration
from schemasense.codegen.emit.migrations.files import (
    GeneratedFile,
    comment_lines,
    down_of,
    join,
    register,
    render,
    statements,
    step_name,
)
from schemasense.codegen.emit.migrations.names import file_names, millis, pascal
from schemasense.codegen.emit.sql.base import Script
from schemasense.codegen.emit.sql.typeorm import render_typeorm


def template_literal(sql: str) -> str:
    """`sql` inside a JavaScript template literal (backslashes, backticks and `${` escaped)."""
    return sql.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")


def in_typeorm_spelling(script: Script, operations=None) -> Script:
    """`script` (rendered for Prisma) rendered again in TypeORM's spelling: its operations in
    order (`operations`, or the steps' then the unsupported ones)."""
    ops = list(operations) if operations is not None else None
    if ops is None:
        ops = [s.operation for s in script.steps] + [u.operation for u in script.unsupported]
    return render_typeorm(ops, script.dialect)


@register("typeorm")
def typeorm_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    single = len(migration.steps) == 1
    for i, step in enumerate(migration.steps):
        if not single and i < len(migration.steps) - 1 and step.up.is_empty:
            continue  # `--safe` moved all of it into the steps after: no empty class
        stamp = millis(now, i)
        name = pascal(step_name(migration, step))
        down = down_of(migration, i)
        step = replace(
            step,
            up=in_typeorm_spelling(step.up, migration.plan.operations if single else None),
            down=in_typeorm_spelling(step.down) if step.down is not None else None,
        )
        down = in_typeorm_spelling(down) if down is not None else None
        text = render(
            "typeorm/migration.ts.j2",
            class_name=f"{name}{stamp}",
            transaction=step.up.transactional,
            up=[template_literal(s) for s in statements(step.up, step.up.transactional)],
            up_comments=comment_lines(step, step.up),
            down=[template_literal(s) for s in statements(down)] if down else [],
            down_comments=comment_lines(step, down, down=True)
            if down
            else ["Undone by the last migration of this change."],
        )
        out.append(GeneratedFile(join(folder, file_names("typeorm", str(stamp), name).up), text))
    return out
