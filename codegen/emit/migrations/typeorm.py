"""A TypeORM migration class: `<timestamp>-<Name>.ts`, `MigrationInterface` with `up` and
`down` running each statement through `queryRunner.query`, in TypeORM's own layout (what
`typeorm migration:generate` writes). TypeORM runs a migration in a transaction unless the
class says `transaction = false`, which a `CONCURRENTLY` step does.
"""

from __future__ import annotations

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


def template_literal(sql: str) -> str:
    """`sql` inside a JavaScript template literal (backslashes, backticks and `${` escaped)."""
    return sql.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")


@register("typeorm")
def typeorm_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        stamp = millis(now, i)
        name = pascal(step_name(migration, step))
        down = down_of(migration, i)
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
