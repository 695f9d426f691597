"""The seam: every registered source has every member of the Source protocol, claims its
own files and no other's, and reads without raising."""

from __future__ import annotations

import inspect

import pytest
from schemasense.server.sources.base import Source, all_sources, file_globs, source_for, source_of

METHODS = [n for n, v in vars(Source).items() if inspect.isfunction(v) and not n.startswith("_")]
MEMBERS = ["kind", "file_globs", "language_ids", "database_form", *METHODS]


def test_the_sources_are_registered_in_order():
    assert [s.kind for s in all_sources()] == ["prisma", "sql_ddl", "typeorm", "sequelize"]
    assert file_globs()[0] == "**/*.prisma"
    assert "**/schema.sql" in file_globs()


@pytest.mark.parametrize("kind", ["prisma", "sql_ddl", "typeorm", "sequelize"])
def test_a_source_has_every_member_of_the_protocol(kind):
    source = source_of(kind)
    assert source.kind == kind
    missing = [name for name in MEMBERS if not hasattr(source, name)]
    assert not missing
    assert {"claims", "read", "lint", "index", "editor", "hover", "definition"} <= set(MEMBERS)


@pytest.mark.parametrize(
    ("path", "text", "language_id", "kind"),
    [
        ("/p/prisma/schema.prisma", "", None, "prisma"),
        ("untitled:Untitled-1", "", "prisma", "prisma"),
        ("/p/db/schema.sql", "CREATE TABLE t (id int);", None, "sql_ddl"),
        ("/p/db/structure.sql", "CREATE TABLE t (id int);", None, "sql_ddl"),
        ("/p/schema.sql", "INSERT INTO t VALUES (1);", None, None),
        ("/p/migrations/1_init.sql", "CREATE TABLE t (id int);", None, None),
        ("/p/structure.sql", "CREATE TABLE t (id int);", None, None),
        ("/p/src/user.entity.ts", "@Entity() export class User {}", "typescript", None),
    ],
)
def test_claims(path, text, language_id, kind):
    found = source_for(path, lambda _: text, language_id)
    assert (found.kind if found is not None else None) == kind


@pytest.mark.parametrize("kind", ["prisma", "sql_ddl", "typeorm", "sequelize"])
def test_reading_garbage_never_raises(kind):
    source = source_of(kind)
    garbage = ("X.init({ a: }", "class A extends Model {} A.init(", "@Table class {")
    for text in ("", "}{", "CREATE TABLE (", "model {", "\x00", *garbage):
        path = "/p/models/x.js" if kind == "sequelize" else "/p/x"
        read = source.read({path: text})
        assert read.schema is not None
        assert isinstance(read.findings, list)
