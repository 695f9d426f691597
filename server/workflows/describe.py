"""Read a feature description through the sources, in the project's database.

The schema part of a description (`codegen.describe.text.split`) is read by the source for its
language, so it means what it would mean in a project file:
- SQL DDL is replayed, as the DDL source reads a `schema.sql`, in the project's dialect, after
  the project's own tables written as DDL (a file of its own, so the description's offsets stay
  its own): `ALTER TABLE` and `CREATE INDEX` on a project table, and `REFERENCES` to one, work;
- Prisma models are read with the project's schema files where the project is Prisma (so a
  relation to a project model resolves, and a model declared twice is a problem naming both
  places), else with a datasource of the project's provider;
- a TypeORM entity or a Sequelize model is read by its source, with the project's configuration.
What a reader could not read becomes a `Problem` with the description's line and column.
The result is in database form, ready for `codegen.describe.merge`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.codegen.describe.text import DescriptionText, line_col, split
from schemasense.codegen.orms.prisma.create_sql import create_statements
from schemasense.codegen.schema import Schema, Table
from schemasense.server.drift.database_form import database_form
from schemasense.server.migrations import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import Replayer
from schemasense.server.project.analysis import ProjectAnalysis
from schemasense.server.project.config import load_config
from schemasense.server.sources.base import source_of
from schemasense.server.workflows.generate_migration import with_declared_names

DESCRIPTION = "<description>"
_DIALECTS = {"postgresql": "postgresql", "cockroachdb": "postgresql", "mysql": "mysql",
             "mariadb": "mysql", "sqlite": "sqlite"}  # fmt: skip
_EXTENSIONS = {"sql": ".sql", "prisma": ".prisma", "typeorm": ".entity.ts", "sequelize": ".js"}


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Described:
    text: DescriptionText
    path: str
    """The file id the description was read under (its @file, or a name inside the project)."""
    schema: Schema
    """What it declares, in database form (project tables it only refers to left out)."""
    problems: tuple[Problem, ...] = ()
    declared: Schema = field(default_factory=Schema)
    """As its source read it (ORM names where the description gave them)."""


def load_text(value: str, cwd: str) -> tuple[str, str | None]:
    """`@file` -> (its text, its path); anything else is the description itself."""
    if value.startswith("@"):
        path = os.path.join(cwd, value[1:])
        with open(path, encoding="utf-8") as f:
            return f.read(), os.path.abspath(path)
    return value, None


def read_description(text: str, filename: str | None, project: ProjectAnalysis) -> Described:
    """The description read in the project's database (see the module docstring)."""
    parts = split(text, filename)
    if parts.format is None:
        problem = Problem(
            1, 1, "not a schema schemasense reads: expected SQL DDL (CREATE TABLE ...), Prisma "
            "models (model X { ... }), a TypeORM entity (@Entity) or a Sequelize model",
        )  # fmt: skip
        return Described(parts, filename or DESCRIPTION, Schema(), (problem,))
    path = filename or os.path.join(project.root, DESCRIPTION + _EXTENSIONS[parts.format])
    if parts.format == "sql":
        return _sql(parts, path, project)
    if parts.format == "prisma":
        return _prisma(parts, path, project)
    return _code(parts, path, project)


def _problems(findings, path: str, text: str, offset: int = 0) -> tuple[Problem, ...]:
    out = []
    for f in findings:
        if f.severity != "error" or f.span.file != path:
            continue
        line, column = line_col(text, f.span.start - offset)
        out.append(Problem(line, column, f.message))
    return tuple(out)


def project_form(project: ProjectAnalysis) -> Schema:
    """The project's declared schema in database form, with its ORM names and spans."""
    schema = project.schema
    if project.orm != "prisma":
        return schema
    return with_declared_names(database_form(schema).schema, schema)


def _sql(parts: DescriptionText, path: str, project: ProjectAnalysis) -> Described:
    form = project_form(project)
    dialect = _DIALECTS.get(project.dialect, "postgresql")
    created = {m.group(1).lower() for m in _CREATE_TABLE.finditer(parts.schema_text)}
    kept = form.model_copy(update={"tables": [  # the project's keys do not matter here
        t.model_copy(update={"foreign_keys": []}) for t in form.tables
        if t.name.lower() not in created]})  # fmt: skip
    prelude = "\n".join(s.sql for s in create_statements(kept)) + "\n"
    prelude_path = os.path.join(project.root, "<project>.sql")
    mset = MigrationSet(
        tool="plain",
        dialect=dialect,  # type: ignore[arg-type]
        root=project.root,
        files=[
            MigrationFile(prelude_path, "<project>.sql", None, prelude),
            MigrationFile(path, os.path.basename(path), None, parts.schema_text),
        ],
        dialect_source="config",
    )
    result = Replayer(incremental=False).replay(mset)
    problems = _sql_problems(result.findings, path, parts.text, form, project.root)
    prelude_problems = [f for f in result.findings if f.span.file == prelude_path]
    if prelude_problems and not problems:
        first = prelude_problems[0]
        problems = (Problem(1, 1, f"the project's own tables could not be set up first: "
                                  f"{first.message}"),)  # fmt: skip
    tables = [
        _narrowed(_own(t, path), parts.text) for t in result.schema.tables if _touched(t, path)
    ]
    schema = result.schema.model_copy(update={"tables": tables, "provider": form.provider})
    return Described(parts, path, schema, problems, schema)


_CREATE_TABLE = re.compile(
    r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:[\w\"`]+\.)?[\"`]?(\w+)", re.I
)
_NEAR = re.compile(r'at or near "([^"]+)"')
_COLUMN_EXISTS = re.compile(r"Column '([^']+)' already exists")
_ALTERED = re.compile(r"ALTER\s+TABLE\s+(?:ONLY\s+)?(?:[\w\"`]+\.)?[\"`]?(\w+)", re.I)


def _sql_problems(findings, path: str, text: str, form: Schema, root: str) -> tuple[Problem, ...]:
    """The replay's findings on the description: errors, and statements it could not parse
    (pointed at the token the parser stopped at); a column added that the project has is a
    conflict naming both places."""
    out = []
    for f in findings:
        if f.span.file != path or (f.severity != "error" and f.code != "DB050"):
            continue
        start = f.span.start
        message = f.message.removeprefix("Migration statement ")
        message = message[:1].upper() + message[1:]
        statement = text[f.span.start : f.span.end]
        near = _NEAR.search(f.message)
        if near and near.group(1) in statement:
            start += statement.index(near.group(1))
        exists = _COLUMN_EXISTS.search(f.message)
        altered = _ALTERED.match(statement.strip())
        if exists and altered:
            table = form.table(altered.group(1))
            column = table.column(exists.group(1)) if table else None
            if column is not None:
                place = _place(column.span, root)
                message = (
                    f"conflict: {table.name}.{column.name} is declared by the project already"
                    f" ({place}, {column.type.native or column.type.kind}); the description "
                    "adds it again"
                )
        line, col = line_col(text, start)
        out.append(Problem(line, col, message))
    return tuple(out)


def _place(span, root: str) -> str:
    """`file:line:col` of a span in a project file (its text read from disk)."""
    if span is None:
        return "the project's models"
    text = _read(span.file)
    line, col = line_col(text, span.start)
    return f"{os.path.relpath(span.file, root)}:{line}:{col}"


def _own(table: Table, path: str) -> Table:
    """A project table the description alters: only what the description says of it (the
    rest is the prelude's rendering of the project, which the merge must not compare)."""
    if table.span is not None and table.span.file == path:
        return table

    def mine(items):
        return [x for x in items if x.span is not None and x.span.file == path]

    return table.model_copy(
        update={
            "columns": mine(table.columns),
            "indexes": mine(table.indexes),
            "uniques": mine(table.uniques),
            "foreign_keys": mine(table.foreign_keys),
            "checks": mine(table.checks),
        }
    )


def _touched(table: Table, path: str) -> bool:
    spans = [table.span, *(c.span for c in table.columns), *(i.span for i in table.indexes)]
    spans += [f.span for f in table.foreign_keys] + [c.span for c in table.checks]
    spans += [u.span for u in table.uniques]
    return any(s is not None and s.file == path for s in spans)


def _narrowed(table: Table, text: str) -> Table:
    from schemasense.server.positions import column_line

    columns = []
    for c in table.columns:
        if c.span is not None and table.span is not None and c.span == table.span:
            c = c.model_copy(update={"span": column_line(text, c.span, c.name) or c.span})
        columns.append(c)
    return table.model_copy(update={"columns": columns})


def _prisma(parts: DescriptionText, path: str, project: ProjectAnalysis) -> Described:
    texts: dict[str, str] = {}
    if project.orm == "prisma":
        texts = {p: _read(p) for p in project.unit.files}
    else:
        provider = "postgresql" if project.dialect == "postgresql" else project.dialect
        texts[os.path.join(project.root, "<datasource>.prisma")] = (
            f'datasource db {{\n  provider = "{provider}"\n  url = env("DATABASE_URL")\n}}\n'
        )
    texts[path] = parts.schema_text
    read = source_of("prisma").read(texts, load_config(project.root))
    problems = _problems(read.findings, path, parts.text)
    declared = read.schema
    form = with_declared_names(database_form(declared).schema, declared)
    mine = {t.name for t in declared.tables if t.span is not None and t.span.file == path}
    tables = [t for t in form.tables if t.name in mine]
    joins = [t for t in form.tables if t.kind == "join_table" and t.name not in
             {x.name for x in project.schema.tables} and any(
                 f.referenced_table in mine for f in t.foreign_keys)]  # fmt: skip
    schema = form.model_copy(update={"tables": tables + joins})
    return Described(parts, path, schema, problems, declared)


def _code(parts: DescriptionText, path: str, project: ProjectAnalysis) -> Described:
    kind = parts.format or "typeorm"
    texts: Mapping[str, str] = {path: parts.schema_text}
    read = source_of(kind).read(texts, load_config(project.root))
    problems = _problems(read.findings, path, parts.text)
    schema = read.schema
    if not schema.tables and not problems:
        what = "an @Entity class" if kind == "typeorm" else "a model (define/init)"
        problems = (Problem(1, 1, f"no table found in the description (expected {what})"),)
    if kind == "typeorm":
        from schemasense.server.workflows.generate_model import with_class_names

        schema = with_class_names(schema, read)
    return Described(parts, path, schema, problems, schema)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""
