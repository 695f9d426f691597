"""A Sequelize migration: `<UTC timestamp>-<name>.js` (sequelize-cli's naming) whose `up` and
`down` run each statement through `queryInterface.sequelize.query` inside one transaction
(none for a `CONCURRENTLY` step, which cannot run in one)."""

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
from schemasense.codegen.emit.migrations.names import file_names, slug, timestamp
from schemasense.codegen.emit.migrations.typeorm import template_literal


@register("sequelize")
def sequelize_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        down = down_of(migration, i)
        text = render(
            "sequelize/migration.js.j2",
            transaction=step.up.transactional,
            up=[template_literal(s) for s in statements(step.up, step.up.transactional)],
            up_comments=comment_lines(step, step.up),
            down=[template_literal(s) for s in statements(down)] if down else [],
            down_comments=comment_lines(step, down, down=True)
            if down
            else ["Undone by the last migration of this change."],
        )
        name = slug(step_name(migration, step), "-")
        out.append(
            GeneratedFile(join(folder, file_names("sequelize", timestamp(now, i), name).up), text)
        )
    return out
