"""Prisma Migrate's folder: `migrations/<UTC timestamp>_<name>/migration.sql`.

The down SQL goes beside it as `down.sql`, which Prisma ignores (`prisma migrate` never runs a
down migration); its header says how to apply it and mark the migration rolled back. A safe
split becomes one folder per step, a second apart, in order.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath

from schemasense.codegen.emit.migration import Migration
from schemasense.codegen.emit.migrations.files import (
    GeneratedFile,
    down_of,
    join,
    register,
    render,
    step_name,
)
from schemasense.codegen.emit.migrations.names import file_names, slug, timestamp


@register("prisma")
def prisma_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        names = file_names("prisma", timestamp(now, i), slug(step_name(migration, step)))
        name = str(PurePosixPath(names.up).parent)
        up = step.up.render(with_warnings=True)
        if step.note:
            up = "".join(f"-- {line}\n" for line in step.note.splitlines()) + "\n" + up
        out.append(
            GeneratedFile(
                join(folder, names.up),
                render("prisma/migration.sql.j2", up=up.rstrip("\n")),
            )
        )
        down = down_of(migration, i)
        if down is not None:
            text = down.render(with_warnings=True).rstrip("\n")
        else:
            last = file_names(
                "prisma",
                timestamp(now, len(migration.steps) - 1),
                slug(step_name(migration, migration.steps[-1])),
            ).down
            text = f"-- Undone by {last}, which undoes every step of this change."
        out.append(
            GeneratedFile(
                join(folder, names.down or ""),
                render("prisma/down.sql.j2", folder=join(folder, name), name=name, down=text),
            )
        )
    return out
