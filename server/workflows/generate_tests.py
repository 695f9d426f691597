"""Generate test skeletons for a project's models: one use case for the CLI and the editor.

`schemasense generate tests PATH [--model NAME ...] [--runner jest|vitest] [--out DIR]
[--dry-run]` and the "Generate tests" code action both call `prepare(workspace, path, ...)`, which:

1. reads the schema at PATH and its migrations (`generate_migration.project_of`: the same
   declared schema, replay and project root the migration generator uses);
2. builds what the database will hold with the ORM's names on it: the declared schema in
   database form (`server/drift`'s `database_form` + `with_declared_names`), with the CHECKs
   the migrations add (a Prisma schema cannot declare one; a hand-edited migration can);
3. picks the runner: `--runner`, else the project's (`project/analysis.test_runner`: Vitest
   when it declares it, else Jest when it declares Jest, has a jest config or a script running
   it, as a NestJS project does), else Vitest; adds what only the ORM's source knows
   (`generate_tests_orms.adapt`: the client's module, the entity and migration classes, the
   model files, soft-delete columns) and renders the files (`codegen.emit.tests`) in the
   project's code style (`project/conventions.detect_style`), and the project's package.json
   with what the tests need added;
4. settles each file against the disk (`settle`): a new file is created; a file this generator
   wrote before is updated inside its `schemasense:begin` / `schemasense:end` region, keeping
   what a person added around it; a file of the same name that is not ours is never
   overwritten: the generated one is written beside it as `<name>.generated.<ext>`.

`write_all(prepared)` writes every file or none.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from schemasense.codegen.emit.tests import (
    TestTarget,
    package_json,
    test_files,
)
from schemasense.codegen.emit.tests.files import RUNNERS, config_name
from schemasense.codegen.emit.tests.orm import Flavour
from schemasense.codegen.emit.tests.regions import merge
from schemasense.codegen.schema import Schema, Table
from schemasense.server.drift.database_form import database_form
from schemasense.server.project.analysis import test_runner
from schemasense.server.project.conventions import detect_style
from schemasense.server.workflows.files import OutsideProject, write_all_or_none
from schemasense.server.workflows.generate_migration import (
    GenerateError,
    Project,
    project_of,
    with_declared_names,
)
from schemasense.server.workflows.generate_tests_orms import adapt
from schemasense.server.workspace.workspace import Workspace

DEFAULT_OUT = "test/db"


@dataclass(frozen=True)
class PlannedFile:
    """A file to write: its absolute path, its whole new text, and what happens to the disk."""

    path: str
    text: str
    action: str
    """`create`, `update` (ours, regenerated in place), `beside` (a file of that name is not
    ours), `unchanged`, or `edit` (package.json)."""


@dataclass(frozen=True)
class PreparedTests:
    root: str
    files: tuple[PlannedFile, ...]
    added_dependencies: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> tuple[PlannedFile, ...]:
        return tuple(f for f in self.files if f.action != "unchanged")


def database_schema(proj: Project) -> Schema:
    """What the database holds, with the ORM's names: the declared schema's database form,
    plus the CHECKs the migrations add."""
    if proj.declared_is_database_form:
        form = proj.declared
    else:
        form = with_declared_names(database_form(proj.declared).schema, proj.declared)
    migrated = {t.name: t for t in proj.migrated.tables}
    declared = {t.name: t for t in proj.declared.tables}
    tables = []
    for t in form.tables:
        t = _orm_fills(t, declared.get(t.name))
        m = migrated.get(t.name)
        if m is None:
            tables.append(t)
            continue
        names = {c.name for c in t.checks}
        extra = [c for c in m.checks if c.name not in names]
        t = t.model_copy(update={"checks": [*t.checks, *extra]}) if extra else t
        tables.append(_migrated_index_names(t, m))
    return form.model_copy(update={"tables": tables, "enums": _enum_names(form, proj.declared)})


def _migrated_index_names(table: Table, migrated: Table) -> Table:
    """`table` with each index named as the migrations built it, where the model names it
    otherwise (a model's `unique: "tags_name_unique"` over a migration's `unique: true`, which
    MySQL names after the column): the plan tests look the index up by its name in the
    database's plan, and the database holds what the migrations built."""

    def key(index) -> tuple:
        return (tuple(c.column for c in index.columns), index.unique)

    built = {key(i): i.name for i in migrated.indexes}
    taken = {i.name for i in migrated.indexes}
    renamed = []
    for index in table.indexes:
        name = built.get(key(index))
        if index.name not in taken and name is not None and name != index.name:
            index = index.model_copy(update={"name": name})
        renamed.append(index)
    if renamed == list(table.indexes):
        return table
    return table.model_copy(update={"indexes": renamed})


def _enum_names(form: Schema, declared: Schema) -> list:
    """The enums with the ORM's value names put back (Prisma's `ROUND_ROBIN @map("roundRobin")`:
    the client takes `ROUND_ROBIN`)."""
    out = []
    for e in form.enums:
        d = declared.enum(e.name)
        if d is None:
            out.append(e)
            continue
        names = {v.name: v.orm_name for v in d.values if v.orm_name}
        values = [
            v.model_copy(update={"orm_name": v.orm_name or names.get(v.name)}) for v in e.values
        ]
        out.append(e.model_copy(update={"values": values}))
    return out


def _orm_fills(table: Table, declared: Table | None) -> Table:
    """The columns the ORM fills though the database does not (`@updatedAt`, Prisma's
    `@default(uuid())`), marked as the declared schema marks them: the database form drops
    what the database does not hold."""
    if declared is None:
        return table
    columns = []
    for c in table.columns:
        d = declared.column(c.name)
        if d is not None and (d.updated_at or (c.default is None and d.default is not None)):
            c = c.model_copy(
                update={
                    "updated_at": c.updated_at or d.updated_at,
                    "default": c.default or d.default,
                }
            )
        columns.append(c)
    return table.model_copy(update={"columns": columns})


def package_root(start: str) -> str | None:
    """The nearest folder at or above `start` holding a package.json."""
    d = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start))
    while True:
        if os.path.isfile(os.path.join(d, "package.json")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def prepare(
    workspace: Workspace,
    path: str,
    *,
    models: tuple[str, ...] = (),
    runner: str | None = None,
    out: str | None = None,
    unit=None,
    project: Project | None = None,
) -> PreparedTests:
    """The test files for the schema at `path` (or `unit`), settled against the disk.
    `project` stands for what `project_of` reads (the feature workflow passes the project as it
    will be once its migration, not yet on disk, has run)."""
    if unit is None:
        unit = _unit(workspace, path)
    proj = project or project_of(workspace, unit, strict_replay=False)
    root = package_root(proj.unit.files[0]) or proj.root
    if runner is not None and runner not in RUNNERS:
        raise GenerateError(f"--runner {runner}: one of {', '.join(RUNNERS)}")
    runner = runner or test_runner(root) or "vitest"
    out_dir = (out or DEFAULT_OUT).strip("/")
    out_abs = os.path.normpath(os.path.join(root, out_dir))
    if os.path.relpath(out_abs, root).startswith(".."):
        raise GenerateError(f"--out {out}: outside the project ({root})")
    schema = database_schema(proj)
    adapted = adapt(workspace, proj, schema, root, out_abs)
    schema, flavour = adapted.schema, adapted.flavour
    known = {t.model_name for t in schema.tables if t.model_name}
    unknown = [m for m in models if m not in known]
    if unknown:
        raise GenerateError(
            f"no model named {', '.join(unknown)} (the schema has {', '.join(sorted(known))})"
        )
    style = detect_style(root)
    style = type(style)(**{**_fields(style), "language": "ts"})
    source = os.path.relpath(proj.unit.key, root).replace(os.sep, "/")
    target = TestTarget(
        flavour=flavour,
        out=os.path.relpath(out_abs, root).replace(os.sep, "/"),
        source=source,
        migrations=os.path.relpath(proj.folder, root).replace(os.sep, "/"),
        models=models,
        style=style,
        dialect=adapted.dialect,
        soft_delete=adapted.soft_delete,
        relation_fks=adapted.relation_fks,
        runner=runner,
    )
    generated = test_files(schema, target)
    planned = [settle(os.path.join(root, f.path), f.text) for f in generated]
    added: list[str] = []
    pkg = os.path.join(root, "package.json")
    old = _read(pkg) or "{}\n"
    new, added = package_json(old, flavour, target.out, style.language, runner)
    planned.append(PlannedFile(pkg, new, "edit" if new != old else "unchanged"))
    chosen = models or tuple(sorted(known))
    notes = _notes(proj, flavour, new, runner, target.out)
    return PreparedTests(root, tuple(planned), tuple(added), tuple(chosen), tuple(notes))


_ADAPTERS = {"postgresql": "pg", "mysql": "mariadb", "sqlite": "libsql"}


def _notes(proj: Project, flavour: Flavour, package_text: str, runner: str, out: str) -> list[str]:
    """What the user must know to run the tests (said by the CLI after the files)."""
    notes = []
    if not proj.has_migrations:
        notes.append(
            "there are no migrations yet: the set-up builds the schema from them, so create "
            "them first (schemasense generate migration)"
        )
    import json

    try:
        declared = json.loads(package_text)
    except ValueError:
        declared = {}
    versions = {**declared.get("dependencies", {}), **declared.get("devDependencies", {})}
    if runner == "vitest" and "jest" in versions:
        notes.append(
            "the project declares both Vitest and Jest; these tests are Vitest's (give "
            "--runner jest for Jest's), run them with npm run test:db"
        )
    if runner == "jest":
        notes.append(
            f"Jest runs these tests through @swc/jest ({out}/{config_name('jest')}): ts-jest "
            "does not accept TypeScript 7, swc needs no TypeScript at all and writes the "
            "decorator metadata the ORM reads; run them with npm run test:db"
        )
    if flavour.name == "prisma":
        client = str(versions.get("@prisma/client", ""))
        major = re.search(r"\d+", client)
        if major and int(major.group()) < 7:
            notes.append(
                f"package.json declares @prisma/client {client}: the tests run Prisma Client 7 "
                f"on its {_ADAPTERS.get(getattr(flavour, 'dialect', ''), 'pg')} driver adapter "
                "(no engine download); upgrade prisma and @prisma/client to ^7.10.1"
            )
    return notes


def _unit(workspace: Workspace, path: str):
    """The one schema at `path` (a folder holding several is refused, listing them)."""
    try:
        units = workspace.units_at(path)
    except (FileNotFoundError, ValueError) as exc:
        raise GenerateError(str(exc)) from None
    inside = os.path.abspath(path)
    units = [u for u in units if u.key.startswith(inside)] or units
    if not units:
        raise GenerateError(f"{path}: no schema, entities or models found below it")
    if len(units) > 1:
        listed = ", ".join(u.key for u in units)
        raise GenerateError(f"{path} holds {len(units)} schemas ({listed}); give one of them")
    return units[0]


def _fields(style) -> dict:
    return {name: getattr(style, name) for name in style.__dataclass_fields__}


def settle(path: str, text: str) -> PlannedFile:
    """What writing `text` to `path` does to what is there (see the module's doc)."""
    old = _read(path)
    if old is None:
        return PlannedFile(path, text, "create")
    merged = merge(old, text)
    if merged is None:
        stem, ext = os.path.splitext(path)
        if stem.endswith(".test"):
            beside = f"{stem[:-5]}.generated.test{ext}"
        else:
            beside = f"{stem}.generated{ext}"
        if _read(beside) == text:
            return PlannedFile(beside, text, "unchanged")
        return PlannedFile(beside, text, "beside")
    return PlannedFile(path, merged, "unchanged" if merged == old else "update")


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def write_all(prepared: PreparedTests) -> list[str]:
    """Write every changed file or none (`workflows/files.py`); a file whose real place is
    outside the project (a test folder that is a link out) is a `GenerateError` and nothing is
    written."""
    try:
        return write_all_or_none(((f.path, f.text) for f in prepared.changed), root=prepared.root)
    except OutsideProject as exc:
        raise GenerateError(str(exc)) from None


def run_cli(
    path: str,
    *,
    models: list[str] = (),  # type: ignore[assignment]
    runner: str | None = None,
    out: str | None = None,
    dry_run: bool = False,
    stdout=None,
) -> int:
    """`schemasense generate tests`: 0 written (or shown with `--dry-run`)."""
    import sys

    stdout = stdout or sys.stdout
    workspace = Workspace([path] if os.path.isdir(path) else [os.path.dirname(path) or "."])
    prepared = prepare(workspace, path, models=tuple(models), runner=runner, out=out)
    cwd = os.getcwd()
    if dry_run:
        for f in prepared.changed:
            stdout.write(f"==> {_shown(f.path, cwd)} ({f.action})\n{f.text}")
            if not f.text.endswith("\n"):
                stdout.write("\n")
        return 0
    written = write_all(prepared)
    for f in prepared.changed:
        stdout.write(f"{f.action:9} {_shown(f.path, cwd)}\n")
    if not written:
        stdout.write("the generated tests are up to date\n")
    for note in prepared.notes:
        stdout.write(f"note: {note}\n")
    if prepared.added_dependencies:
        stdout.write(
            "package.json: added " + ", ".join(prepared.added_dependencies) + " (run npm install)\n"
        )
    return 0


def _shown(path: str, cwd: str) -> str:
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel
