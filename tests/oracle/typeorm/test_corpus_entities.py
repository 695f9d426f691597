"""Our read of every corpus TypeORM project's entities equals what TypeORM builds for them
(issue 12, item 7), where TypeORM can load them.

The corpus keeps only each project's entities (and a few files they need): the entity files of
our unit are compiled with `tsc` (emitting despite the imports that lead nowhere), loaded with
stand-ins for the missing modules (corpus_ddl.cjs), and TypeORM (the version the project
declares, with its naming strategy and database type as we read them) writes its own
`CREATE TABLE` SQL. That SQL is applied statement by statement to a real PostgreSQL or SQLite
and introspected. A table TypeORM cannot build (its enum is in a file the corpus does not
have) is left out on both sides, and said. Everything else is compared with `compare`
(tables, columns, types, nullability, defaults, keys, indexes, checks, enums) and must agree.

`python -m tests.oracle.typeorm.test_corpus_entities` prints the counts per project.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.verify import databases
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import Unavailable

from tests.oracle.typeorm.entities import agreement, compile_files, corpus_ddl
from tests.oracle.typeorm.harness import NODE_MODULES, unavailable

pytestmark = [pytest.mark.oracle, pytest.mark.corpus]

CORPUS = (
    Path(
        os.environ.get(
            "SCHEMASENSE_CORPUS", Path(__file__).resolve().parents[4] / "shared" / "corpus"
        )
    )
    / "typeorm"
)
PROJECTS = {
    "awesome-nest-boilerplate": "",
    "express-typescript-boilerplate": "",
    "jellyseerr": "",
    "flowise": "packages/server",
    "medusa-v1": "packages/medusa",
}


class _Files:
    def text_of(self, path: str) -> str | None:
        try:
            return Path(path).read_text(errors="replace")
        except OSError:
            return None

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d != "node_modules" and not d.startswith(".")]
            out += [os.path.join(folder, n) for n in names if n.endswith(suffixes)]
        return tuple(sorted(out))


def run(name: str, tmp: Path, server=None, type_override: str | None = None) -> dict:
    """Our read of project `name` against TypeORM's SQL on `server` (PostgreSQL or MariaDB;
    SQLite in a file), as the DataSource says or as `type_override`."""
    from schemasense.server.sources.typeorm.reader import read_typeorm
    from schemasense.server.sources.typeorm.source import TypeOrmSource

    root = CORPUS / name / PROJECTS[name]
    source = TypeOrmSource()
    unit = source.find_units(str(root), _Files())[0]
    texts = {f: _Files().text_of(f) or "" for f in unit.files}
    read = read_typeorm(texts, type_override=type_override)
    files = [f for f in unit.files if f.endswith(".ts")]
    base = Path(os.path.commonpath(files))
    compiled = compile_files(files, base, tmp, read.version)
    entity_files = [compiled[f] for f in files if f in compiled and "Entity(" in texts[f]]
    naming = read.datasource.naming if read.datasource is not None else "default"
    ddl = corpus_ddl(read.type, naming, entity_files, tmp, alias="@" + base.name)
    if ddl.get("error"):
        return {"project": name, "error": ddl["error"], "load failures": ddl["failed"],
                "differences": [], "unflagged": [], "counts": {}, "not read": []}  # fmt: skip
    unbuilt = {u["table"] for u in ddl["unbuilt"]}
    if read.family == "sqlite":
        truth, failed = _sqlite(ddl["statements"], tmp)
    else:
        assert server is not None
        with server.scratch() as url:
            failed = _run_each(url, ddl["statements"], read.family)
            truth = databases.introspect(url)
    # a CREATE TABLE the database refuses (an enum whose values are in a file the corpus
    # does not keep: `IN ()`) is a table TypeORM could not build here
    unbuilt |= {
        m.group(1) for f in failed if (m := _CREATED.match(f)) and "already exists" not in f
    }
    ours = _comparable(read.schema, unbuilt, read.family)
    truth = _comparable(truth, unbuilt, read.family)
    differences = compare(ours, truth, left_name="schemasense", right_name="TypeORM")
    flagged = _flagged(read)
    unflagged = [d for d in differences if not _explained(d, flagged, read, truth)]
    return {
        "project": name,
        "type": read.type,
        "typeorm": read.version,
        "unbuilt": sorted(unbuilt),
        "failed statements": failed,
        "load failures": ddl["failed"],
        "invalid": ddl["invalid"],
        "differences": differences,
        "unflagged": unflagged,
        "not read": sorted(t for t in read.entities.unread_entities if truth.table(t)),
        "counts": dict(sorted(agreement(ours, truth).items())),
    }


_WHERE = re.compile(r'table "([^"]+)" column "([^"]+)"')


def _implicit_prefix(difference) -> bool:  # type: ignore[no-untyped-def]
    right = difference.right or ""
    return difference.what == "columns" and right == re.sub(r"\)$", "(768))", difference.left or "")


def _column_of(difference) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    m = _WHERE.match(difference.where)
    return (m.group(1), m.group(2)) if m else None


_OBJECT = re.compile(r'table "([^"]+)" (unique|index|foreign key) "([^"]+)"')
_ENUM = re.compile(r'enum "([^"]+)"')


def _explained(difference, flagged, read, truth) -> bool:  # type: ignore[no-untyped-def]
    """A difference our read announced: on a column it flagged DB066 (or a key or enum over
    one), a table of a class under the project's own entity decorator, or a join table that
    is another table too (DB064: TypeORM creates whichever it meets first)."""
    column = _column_of(difference)
    if column is not None:
        return column in flagged
    where = difference.where
    m = _OBJECT.match(where)
    if m is not None:
        table = truth.table(m.group(1)) or read.schema.table(m.group(1))
        items = [*table.uniques, *table.indexes, *table.foreign_keys] if table else []
        item = next((i for i in items if i.name == m.group(3)), None)
        names = [getattr(c, "column", c) for c in getattr(item, "columns", [])]
        return any((m.group(1), n) in flagged for n in names)
    m = _ENUM.match(where)
    if m is not None:
        users = [
            (t.name, c.name) for t in truth.tables for c in t.columns if c.type.enum == m.group(1)
        ]
        return bool(users) and all(u in flagged for u in users)
    m = re.match(r'table "([^"]+)"', where)
    if m is not None:
        if m.group(1) in read.entities.unread_entities:
            return True
        return any(f.code == "DB064" and f'"{m.group(1)}"' in f.message for f in read.findings)
    return False


def _flagged(read) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The columns our read said it could not read (a DB066 inside the property: a type
    computed at run time, a project's own column decorator)."""
    warnings = [f for f in read.findings if f.code == "DB066"]
    out: set[tuple[str, str]] = set()
    for info in read.entities.entities.values():
        table = info.table.name
        for module, member in info.members:
            inside = any(
                f.span.file == module.path and member.start <= f.span.start <= member.end
                for f in warnings
            )
            if inside:
                out.add((table, member.name))
                out.update((table, c.name) for c in info.by_property.get(member.name, []))
    return out


_CREATED = re.compile(r'CREATE TABLE ["`]([^"`]+)["`]')


def _sqlite(statements: list[str], tmp: Path) -> tuple[Schema, list[str]]:
    path = tmp / "typeorm.sqlite"
    conn = sqlite3.connect(path)
    failed = []
    for statement in statements:
        try:
            conn.execute(statement)
        except sqlite3.Error as exc:
            failed.append(f"{statement[:80]}: {exc}")
    conn.commit()
    conn.close()
    return databases.introspect(f"sqlite:///{path}"), failed


def _run_each(url: str, statements: list[str], family: str) -> list[str]:
    """Each statement on its own (autocommit); the ones the database refuses, with why."""
    conn = databases.connect(url)
    failed = []
    try:
        cursor = conn.cursor()
        if family == "postgres":
            cursor.execute('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"')
        for statement in statements:
            try:
                cursor.execute(statement)
            except Exception as exc:
                failed.append(f"{statement[:80]}: {str(exc).splitlines()[0]}")
    finally:
        conn.close()
    return failed


def _comparable(schema: Schema, unbuilt: set[str], family: str) -> Schema:
    """Without the tables TypeORM could not build (and keys into them); on SQLite without
    checks, which the SQLite introspection does not read."""
    tables = []
    for t in schema.tables:
        if t.name in unbuilt:
            continue
        update: dict = {
            "foreign_keys": [f for f in t.foreign_keys if f.referenced_table not in unbuilt]
        }
        if family == "sqlite":
            update["checks"] = []
        tables.append(t.model_copy(update=update))
    used = {c.type.enum for t in tables for c in t.columns if c.type.enum}
    enums = [e for e in schema.enums if e.name in used]
    return schema.model_copy(update={"tables": tables, "enums": enums})


@pytest.fixture(scope="module")
def mariadb():
    try:
        server = databases.mysql_server()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()


CASES = [(name, None) for name in sorted(PROJECTS)] + [("flowise", "mariadb")]
"""Each project as its DataSource says; flowise also as MariaDB (it keeps a chain per database
for one entity set)."""


@pytest.mark.parametrize(("name", "as_type"), CASES)
def test_corpus_entities_equal_typeorms(name, as_type, tmp_path, request):
    if not (CORPUS / name).is_dir():
        pytest.skip(f"corpus project {name} is absent (set SCHEMASENSE_CORPUS)")
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    server = None
    if as_type == "mariadb":
        if not (NODE_MODULES / "mysql2").is_dir():
            pytest.skip("npm package mysql2 missing: run `npm ci` at the repository root")
        server = request.getfixturevalue("mariadb")
    elif name not in ("jellyseerr", "flowise"):
        server = request.getfixturevalue("postgres")
    result = run(name, tmp_path, server, as_type)
    counts = result["counts"]
    assert counts["tables_total"] >= 2, result
    # every disagreement is on a column our read said it could not read (DB066), but for
    # MariaDB's implicit key prefix on a TEXT column (`KEY (c)` is stored as `KEY (c(768))`),
    # which the migration replay does not model either
    unexplained = [d for d in result["unflagged"] if not _implicit_prefix(d)]
    assert unexplained == [], format_differences(unexplained, 40)
    assert counts["tables"] == counts["tables_total"] - len(result["not read"])


if __name__ == "__main__":  # the counts for the report
    import tempfile

    server = databases.postgres_server()
    maria = databases.mysql_server()
    for project in sys.argv[1:] or [*sorted(PROJECTS), "flowise:mariadb"]:
        name, _, as_type = project.partition(":")
        with tempfile.TemporaryDirectory() as folder:
            out = run(name, Path(folder), maria if as_type else server, as_type or None)
        diffs = out.pop("differences")
        unflagged = out.pop("unflagged")
        print(out)
        print(f"  {len(diffs)} differences, {len(unflagged)} on columns not flagged DB066")
        print("  " + format_differences(diffs, 30).replace("\n", "\n  "))
    server.close()
    maria.close()
