"""Plain SQL files, named as each tool expects:

- Flyway: `V<version>__<description>.sql`, and its undo `U<version>__<description>.sql`;
- golang-migrate: `<version>_<name>.up.sql` and `<version>_<name>.down.sql`;
- dbmate: one `<version>_<name>.sql` with `-- migrate:up` and `-- migrate:down` sections
  (`transaction:false` on a `CONCURRENTLY` step);
- plain (no tool detected): `<version>_<name>.sql` and `<version>_<name>.down.sql`.

The version is the UTC timestamp to the second, so files sort in the order they run.
"""

from __future__ import annotations

from datetime import datetime

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

_UNDONE = "-- Undone by the last migration of this change."


def _texts(migration: Migration, i: int) -> tuple[str, str]:
    step = migration.steps[i]
    up = step.up.render(with_warnings=True).rstrip("\n")
    if step.note:
        up = "".join(f"-- {line}\n" for line in step.note.splitlines()) + "\n" + up
    down = down_of(migration, i)
    return up, (down.render(with_warnings=True).rstrip("\n") if down is not None else _UNDONE)


@register("flyway")
def flyway_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        version, description = timestamp(now, i), slug(step_name(migration, step))
        names = file_names("flyway", version, description)
        up, down = _texts(migration, i)
        out.append(GeneratedFile(join(folder, names.up), render("flyway/migration.sql.j2", up=up)))
        out.append(
            GeneratedFile(
                join(folder, names.down or ""),
                render("flyway/undo.sql.j2", version=version, description=description, down=down),
            )
        )
    return out


@register("golang-migrate")
def golang_migrate_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        names = file_names("golang-migrate", timestamp(now, i), slug(step_name(migration, step)))
        up, down = _texts(migration, i)
        out.append(
            GeneratedFile(join(folder, names.up), render("golang-migrate/migration.sql.j2", sql=up))
        )
        out.append(
            GeneratedFile(
                join(folder, names.down or ""),
                render("golang-migrate/migration.sql.j2", sql=down),
            )
        )
    return out


@register("dbmate")
def dbmate_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        names = file_names("dbmate", timestamp(now, i), slug(step_name(migration, step)))
        up, down = _texts(migration, i)
        text = render(
            "dbmate/migration.sql.j2", up=up, down=down, transaction=step.up.transactional
        )
        out.append(GeneratedFile(join(folder, names.up), text))
    return out


@register("plain")
def plain_files(migration: Migration, folder: str, now: datetime) -> list[GeneratedFile]:
    out = []
    for i, step in enumerate(migration.steps):
        names = file_names("plain", timestamp(now, i), slug(step_name(migration, step)))
        up, down = _texts(migration, i)
        out.append(
            GeneratedFile(join(folder, names.up), render("golang-migrate/migration.sql.j2", sql=up))
        )
        out.append(
            GeneratedFile(
                join(folder, names.down or ""),
                render("golang-migrate/migration.sql.j2", sql=down),
            )
        )
    return out
