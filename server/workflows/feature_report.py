"""The feature's report as data (`codegen.emit.report.feature.FeatureReport`): what was
detected, designed, generated, and what running it costs.

Kept apart from the workflow so the workflow reads as its steps. Every fact here comes from
what the workflow computed (the merged schema, the migration's plan and scripts, the files);
the lock facts come from `codegen.dialects.postgresql_locks` / `codegen.ddl.lock_facts`.
"""

from __future__ import annotations

import os
import re

from schemasense.codegen.ddl import operations as ops
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.codegen.emit.report.feature import (
    FeatureReport,
    FileReport,
    IndexReport,
    TableReport,
    TestReport,
)
from schemasense.codegen.schema import Column, Index, Table

_TEST_NAME = re.compile(r"""\b(?:it|test)\(\s*(['"`])(.+?)\1""")


def build(feature, written: bool) -> FeatureReport:
    p = feature.project
    root = p.root
    rel = lambda path: os.path.relpath(path, root).replace(os.sep, "/")  # noqa: E731
    mig = feature.migration
    after = mig.migration.after
    created = {t.name for t in feature.created}
    tables = []
    for t in feature.created:
        a = (after.table(t.name) if after else None) or t
        checks = tuple(_check(c.expression) for c in t.checks)
        tables.append(TableReport(t.name, t.model_name, "create", tuple(map(_column, a.columns)),
                                  checks))  # fmt: skip
    indexes = []
    safe = len(mig.migration.steps) > 1
    design = feature.design
    purposes = {(d.table, d.index.name): d.purpose for d in (design.indexes if design else [])}
    for t in [*feature.created, *_changed(feature)]:
        a = (after.table(t.name) if after else None) or t
        new = t.name in created
        for i in [*a.indexes, *_extra_indexes(t, a)]:
            if not new and (t.name, i.name) not in purposes and i not in t.indexes:
                continue
            purpose = purposes.get((t.name, i.name)) or _purpose(a, i)
            if new or (t.name, i.name) in purposes or _declared_by(feature, t.name, i.name):
                indexes.append(IndexReport(t.name, i.name, _index_def(i), purpose))
        added = {u.name for c in feature.merged.changed if c.table == t.name for u in c.uniques}
        for u in [u for u in a.uniques if new or u.name in added]:
            cols = ", ".join(c.column or c.expression or "" for c in u.columns)
            purpose = f"enforces one row per {cols}"
            if not new and safe and feature.project.orm == "sequelize":
                purpose += " (on a table that exists: a unique index built CONCURRENTLY)"
            elif not new and safe:
                purpose += " (on a table that exists: built CONCURRENTLY, then attached)"
            indexes.append(IndexReport(t.name, u.name, f"UNIQUE ({cols})", purpose))
    conv = p.conventions
    detected = [
        ("ORM", f"{p.title} ({rel(p.unit.key)})"),
        ("Database", f"{p.dialect} (from {p.dialect_from})"
         + (f", version {p.version}" if p.version else ", version not configured")),
        ("Naming", _naming(conv)),
        ("Ids", conv.id_type or "no single-column primary keys"),
        ("Timestamps", ", ".join(conv.timestamps) or "none common"),
        ("Soft delete", conv.soft_delete or "none"),
        ("Migrations", f"{mig.project.tool} in `{rel(mig.project.folder)}`"
         + ("" if mig.project.has_migrations else " (none yet: this is the first)")),
        ("DTO style", ", ".join(p.dto_styles) or "neither class-validator nor zod in "
         "package.json: both written"),
        ("Test runner", p.test_runner or "none in package.json: Vitest written"),
        ("Layout", _layout(feature, rel)),
    ]  # fmt: skip
    up = _up_text(feature, rel)
    if feature.raw:
        up += "\n\n-- Added by schemasense (the ORM cannot declare these)\n" + "\n".join(
            feature.raw
        )
    down = mig.migration.down.text
    tests = [
        TestReport(rel(f.path), tuple(m.group(2) for m in _TEST_NAME.finditer(f.text)))
        for f in feature.by_kind("test")
        if f.path.endswith((".test.ts", ".test.js", ".spec.ts"))
    ]
    return FeatureReport(
        feature=feature.name,
        orm=p.orm,
        detected=tuple(detected),
        adapted=feature.adaptations,
        tables=tuple(tables),
        relationships=tuple(_relationships(feature.created) + _added_keys(feature, safe)),
        indexes=tuple(indexes),
        migration_files=tuple(
            FileReport(rel(f.path), f.action) for f in feature.by_kind("migration")
        ),
        up=up,
        down=down,
        models=tuple(FileReport(rel(f.path), f.action) for f in feature.by_kind("model")),
        dtos=tuple(FileReport(rel(f.path), f.action) for f in feature.by_kind("dto")),
        tests=tuple(tests),
        commands=tuple(commands(feature)),
        performance=tuple(performance(feature, created | _unmigrated(mig))),
        queries=tuple(q.sql for q in feature.described.text.queries),
        notes=feature.notes
        + tuple(design.notes if design else ())
        + tuple(
            f"redundant: {r.table}.{r.index} is covered by {r.covered_by} ({r.reason})"
            for r in (design.redundant if design else [])
        ),
        written=written,
    )


def _up_text(feature, rel) -> str:
    """The migration going up; split into the safe plan's steps, each under its file's name and
    why it is a migration of its own."""
    mig = feature.migration
    steps = mig.migration.steps
    if len(steps) < 2:
        return mig.migration.up.text.rstrip("\n")
    files = _step_files(feature)
    parts = []
    for n, step in enumerate(steps):
        head = f"-- {n + 1}. {rel(files[n]) if n < len(files) else step.suffix or 'main'}"
        if step.note:
            head += f"\n-- {step.note}"
        parts.append(head + "\n" + step.up.text.strip("\n"))
    return "\n\n".join(parts)


def _step_files(feature) -> list[str]:
    """One path per migration step: the up file of each (a Prisma folder's `migration.sql`)."""
    return [f.path for f in feature.by_kind("migration") if not f.path.endswith("down.sql")]


def _layout(feature, rel) -> str:
    """Where the feature's files went: the project's own folders for each kind."""
    parts = []
    for kind, what in (("model", "models"), ("dto", "DTOs"), ("test", "tests")):
        made = [f for f in feature.by_kind(kind) if f.action == "create"]
        folders = sorted({rel(os.path.dirname(f.path)) or "." for f in made})
        if folders:
            parts.append(f"{what} in {', '.join(f'`{x}`' for x in folders)}")
    return "; ".join(parts) or "nothing written"


def _changed(feature) -> list[Table]:
    """The existing tables the feature changes, as they will be."""
    names = {c.table for c in feature.merged.changed}
    after = feature.migration.migration.after
    return [t for t in (after.tables if after else []) if t.name in names]


def _declared_by(feature, table: str, index: str) -> bool:
    """The description declares this index on a table the project has."""
    return any(
        i.name == index for c in feature.merged.changed if c.table == table for i in c.indexes
    )


def _unmigrated(mig) -> set[str]:
    """Tables the migrations have not built yet (a project's first migration creates them)."""
    have = {t.name for t in mig.project.migrated.tables}
    return {t.name for t in (mig.migration.after.tables if mig.migration.after else [])
            if t.name not in have}  # fmt: skip


def _naming(conv) -> str:
    case = {"camel": "camelCase", "snake": "snake_case"}
    text = f"{case[conv.field_case]} fields, {case[conv.column_case]} columns"
    if conv.maps_names:
        text += " (mapped)"
    if conv.naming_strategy:
        text += f", naming strategy: {conv.naming_strategy}"
    if conv.plural_tables is not None:
        text += ", plural table names" if conv.plural_tables else ", singular table names"
    return text


def _column(c: Column) -> str:
    text = f"{c.name} {c.type.native or c.type.kind}"
    if not c.nullable:
        text += " NOT NULL"
    if c.default is not None:
        value = c.default.value if c.default.value is not None else c.default.function
        text += f" DEFAULT {value}"
    return text


def _check(expression: str) -> str:
    return expression if expression.upper().startswith("CHECK") else f"CHECK ({expression})"


def _extra_indexes(described: Table, after: Table) -> list[Index]:
    names = {i.name for i in after.indexes}
    return [i for i in described.indexes if i.name not in names]


def _index_def(i: Index) -> str:
    cols = ", ".join(
        (c.expression or c.column or "") + (" DESC" if c.sort == "desc" else "") for c in i.columns
    )
    using = f" USING {i.method}" if i.method and i.method != "btree" else ""
    where = f" WHERE {i.predicate}" if i.predicate else ""
    return f"{'UNIQUE ' if i.unique else ''}({cols}){using}{where}"


def _purpose(table: Table, i: Index) -> str:
    first = i.columns[0].column if i.columns else None
    for fk in table.foreign_keys:
        if fk.columns and fk.columns[0] == first:
            return (
                f"serves the foreign key {', '.join(fk.columns)} -> {fk.referenced_table} "
                "(joins, and the lookups a delete of the parent makes)"
            )
    if i.unique:
        return "enforces uniqueness"
    if i.method == "gin":
        return "full-text search"
    return "declared by the description"


def _relationships(tables) -> list[str]:
    out = []
    for t in tables:
        pk = [c.column for c in (t.primary_key.columns if t.primary_key else [])]
        fk_cols = [f.columns[0] for f in t.foreign_keys if len(f.columns) == 1]
        if len(t.foreign_keys) == 2 and sorted(pk) == sorted(fk_cols):
            a, b = (f.referenced_table for f in t.foreign_keys)
            out.append(f"{a} <-> {b}: many-to-many through `{t.name}`")
            continue
        for f in t.foreign_keys:
            cols = ", ".join(f.columns)
            if f.referenced_table == t.name:
                kind = "self-reference (a tree: each row has an optional parent)"
            else:
                kind = "many-to-one"
            out.append(
                f"{t.name}.{cols} -> {f.referenced_table}.{', '.join(f.referenced_columns)}: "
                f"{kind}, on delete {f.on_delete}"
            )
    return out


def _added_keys(feature, safe: bool) -> list[str]:
    """The foreign keys the feature adds to tables the project has, and how they are added."""
    out = []
    for c in feature.merged.changed:
        for f in c.foreign_keys:
            how = (
                "added NOT VALID (no scan under the lock), then validated in a migration of its "
                "own (VALIDATE CONSTRAINT blocks no writes)"
                if safe
                else "added to the existing table"
            )
            out.append(
                f"{c.table}.{', '.join(f.columns)} -> {f.referenced_table}."
                f"{', '.join(f.referenced_columns)}: many-to-one, on delete {f.on_delete}; {how}"
            )
    return out


def _lock(feature, table: str, op) -> str:
    """What one step does to a table that exists (and may be in use), from the lock facts."""
    from schemasense.codegen.ddl.lock_facts import Server, fact_for

    p = feature.project
    dialect = "mysql" if p.dialect in ("mysql", "mariadb") else p.dialect
    version = tuple(int(x) for x in re.findall(r"\d+", p.version or ""))[:2] or None
    what = type(op).__name__
    try:
        fact = fact_for(op, Server(dialect, p.dialect, version))
    except Exception:  # a step the facts do not know: said plainly, never guessed
        fact = None
    if fact is None:
        return f"`{table}` exists: {what} (no lock fact known for {p.dialect})"
    if isinstance(fact, locks.LockFact):
        return f"`{table}` exists: {what} {fact.describe(table)}; it holds it until the commit"
    return f"`{table}` exists: {what} runs as {fact}; it holds it until the commit"


def commands(feature) -> list[tuple[str, str]]:
    p = feature.project
    mig = feature.migration
    root = p.root
    steps = len(mig.migration.steps)
    if p.orm == "prisma":
        folders = list(dict.fromkeys(os.path.dirname(f.path) for f in mig.files))
        folder = folders[-1] if folders else mig.project.folder
        down = os.path.join(folder, "down.sql")  # the last step's down undoes every step
        resolve = " && ".join(
            f"npx prisma migrate resolve --rolled-back {os.path.basename(f)}"
            for f in reversed(folders or [folder])
        )
        schema = os.path.relpath(mig.project.unit.key, root)
        return [
            ("apply", "npx prisma migrate deploy"),
            ("roll back", f"npx prisma db execute --file {os.path.relpath(down, root)} "
             f"--schema {schema} && {resolve}"),
        ]  # fmt: skip
    if p.orm == "typeorm":
        decl = getattr(p.read, "datasource", None)
        ds = os.path.relpath(decl.file, root) if decl is not None else "src/data-source.ts"
        cli = "typeorm-ts-node-commonjs" if ds.endswith(".ts") else "typeorm"
        # a step that says `transaction = false` (CREATE INDEX CONCURRENTLY) is refused by
        # TypeORM's default transaction mode, "all": each migration in its own
        each = " --transaction each" if any(
            "transaction = false" in f.text for f in feature.by_kind("migration")
        ) else ""  # fmt: skip
        revert = f"npx {cli} migration:revert -d {ds}{each}"
        if steps > 1:  # the last step's down undoes every step; the others' clear their records
            revert = f"for step in $(seq {steps}); do {revert}; done"
        return [("apply", f"npx {cli} migration:run -d {ds}{each}"), ("roll back", revert)]
    files = _step_files(feature)
    first = os.path.basename(files[0]) if files else ""
    return [
        ("apply", "npx sequelize-cli db:migrate"),
        ("roll back", "npx sequelize-cli db:migrate:undo" if steps < 2
         else f"npx sequelize-cli db:migrate:undo:all --to {first}"),
    ]  # fmt: skip


def performance(feature, created: set[str]) -> list[str]:
    out = []
    plan = feature.migration.migration.plan
    operations = list(plan.operations)
    if len(feature.migration.migration.steps) > 1:  # the safe plan's steps, as they will run
        from schemasense.codegen.ddl.safe import safe_plan

        operations = [op for step in safe_plan(plan) for op in step.operations]
    existing_touched = []
    for op in operations:
        if (
            isinstance(op, ops.AddConstraint)
            and op.constraint.kind == "foreign_key"
            and op.constraint.as_foreign_key().referenced_table not in created
        ):
            existing_touched.append(op.constraint.as_foreign_key().referenced_table)
        elif isinstance(op, ops.CreateTable) and op.table.name in created:
            for fk in op.table.foreign_keys:
                if fk.referenced_table not in created:
                    existing_touched.append(fk.referenced_table)
        elif isinstance(op, ops.AlterTable) and op.table not in created:
            for change in op.changes:
                out.append(_lock(feature, op.table, change))
        elif isinstance(op, ops.CreateIndex) and op.table not in created:
            out.append(_lock(feature, op.table, op))
    for ref in dict.fromkeys(existing_touched):
        if feature.project.dialect == "postgresql":
            fact = locks.CREATE_TABLE_REFERENCES.describe(ref)
            out.append(f"a new foreign key to an existing table {fact}; brief, no scan")
        else:
            out.append(f"a new foreign key to `{ref}` locks it briefly while it is added")
    if not any("holds it" in x or "exists" in x for x in out):
        but = " (but for the foreign keys above)" if existing_touched else ""
        out.append(
            "every table is new: its indexes are built on empty tables, so the migration holds "
            f"no lock on a table in use{but} and builds nothing that takes time"
        )
    after = feature.migration.migration.after
    for t in feature.created:
        a = (after.table(t.name) if after else None) or t
        n = len(a.indexes) + len(a.uniques) + (1 if a.primary_key else 0)
        gin = [i.name for i in [*a.indexes, *_extra_indexes(t, a)] if i.method == "gin"]
        text = f"`{t.name}`: each insert maintains {n} index(es)"
        if gin:
            text += f"; the GIN index {', '.join(gin)} costs most on writes (its pending list)"
        if a.checks or t.checks:
            text += f"; {len(t.checks)} CHECK(s) evaluated per written row (cheap)"
        out.append(text)
    return out
