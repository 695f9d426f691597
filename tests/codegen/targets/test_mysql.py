"""MySQL has no oracle (Prisma's wasm engine panics on it), so the proof is the declared model.

For every edit of `cases.EDITS` that MySQL takes, on a real MariaDB (`server/verify`):

- our migration from the edit's base (our own SQL for the `from` schema, from empty) builds
  exactly the catalog that creating the declared `to` model from nothing builds
  (`codegen.create_sql`, Prisma's CREATE statements for it): columns in their declared order,
  types, defaults, keys, indexes (MySQL's own index under a foreign key included) and names;
- its down migration brings back the base's catalog, and up again the declared one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from schemasense.codegen.emit.migration import generate
from schemasense.codegen.orms.prisma.create_sql import create_script
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.verify.compare import compare, format_differences

from tests.codegen.targets.cases import EDITS, Edit, from_schema, to_schema
from tests.codegen.targets.sandbox import Sandbox


def _read(text: str) -> Schema:
    return read_prisma_schema({"schema.prisma": text}).schema


@pytest.fixture(scope="module")
def box(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    server = request.getfixturevalue("mysql_server")
    with server.scratch(prefix="ss_migrate") as url:
        sandbox = Sandbox("mysql", url)
        try:
            yield sandbox
        finally:
            sandbox.close()


PARAMS = [pytest.param(e, id=e.name) for e in EDITS if "mysql" in e.providers]


def test_enough_mysql_cases() -> None:
    assert len(PARAMS) >= 50


@pytest.mark.parametrize("edit", PARAMS)
def test_builds_the_declared_model(edit: Edit, box: Sandbox) -> None:
    before, after = _read(from_schema(edit, "mysql")), _read(to_schema(edit, "mysql"))
    base = generate(Schema(provider="mysql"), before).up.text
    m = generate(before, after)
    declared = box.build([create_script(after)])
    built = box.build([base, m.up.text])
    differences = compare(
        declared, built, provider="mysql", left_name="declared", right_name="migrated"
    )
    assert not differences, format_differences(differences, 30) + "\n\n" + m.up.text
    start = box.build([base])
    back = box.build([base, m.up.text, m.down.text])
    differences = compare(start, back, provider="mysql", left_name="before", right_name="down")
    assert not differences, format_differences(differences, 30) + "\n\n" + m.down.text
    again = box.build([base, m.up.text, m.down.text, m.up.text])
    assert not compare(declared, again, provider="mysql")


CORPUS_MYSQL = {
    "dub": "dub/apps/web/prisma/schema",
    "umami": "umami/db/mysql/schema.prisma",
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_MYSQL))
def test_corpus_from_empty(name: str, box: Sandbox) -> None:
    """Every corpus MySQL schema from empty builds its declared model, and its down empties
    the database again."""
    from tests.conftest import CORPUS

    path = CORPUS / CORPUS_MYSQL[name]
    if not path.exists():
        pytest.skip(f"{path} is not in the corpus")
    files = sorted(path.glob("*.prisma")) if path.is_dir() else [path]
    result = read_prisma_schema({str(f): f.read_text(encoding="utf-8") for f in files})
    assert not [f for f in result.findings if f.severity == "error"]
    declared = result.schema
    m = generate(Schema(provider="mysql"), declared)
    assert not m.unsupported, m.unsupported
    expected = box.build([create_script(declared)])
    built = box.build([m.up.text])
    differences = compare(
        expected, built, provider="mysql", left_name="declared", right_name="migrated"
    )
    # Prisma's engine writes no default for a Json column on MySQL (MySQL 8 refuses a literal
    # one), where codegen.create_sql writes it: the one difference allowed here
    json_columns = {
        f'table "{t.name}" column "{c.name.lower()}"'
        for t in declared.tables
        for c in t.columns
        if c.type.kind == "json"
    }
    differences = [d for d in differences if not (d.what == "default" and d.where in json_columns)]
    assert not differences, format_differences(differences, 30)
    emptied = box.build([m.up.text, m.down.text])
    assert emptied.tables == [], [t.name for t in emptied.tables]
