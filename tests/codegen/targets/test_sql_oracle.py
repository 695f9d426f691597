"""The proof against Prisma's engine: our migration SQL builds the catalog Prisma's SQL builds.

For PostgreSQL and SQLite (the providers `@prisma/schema-engine-wasm` migrates offline):

- every corpus schema from empty, and every edit of `cases.EDITS` (a column, type,
  nullability, default, index, foreign key, enum, relation, model or id changed), made and
  undone (so every "added" edit is also its "removed" one), is diffed by
  `codegen.diff` with renames off (Prisma's engine drops and adds) and rendered by
  `codegen.targets.sql`; Prisma's engine is asked for the same migration
  (`migrate diff --from-schema-datamodel ... --to-schema-datamodel ...`);
- both scripts are applied to a real database on top of the same base (Prisma's own SQL for
  the `from` schema) and both databases are introspected (`server/verify`): `compare` must find
  zero differences (tables, columns in order, types, defaults, keys, indexes, foreign keys and
  every constraint name);
- the text must be Prisma's, byte for byte.

The same again in the product's terms (`test_edit_from_database_forms`): the `from` side is
what the migration reader replays from Prisma's base SQL, the `to` side the declared schema in
database form (`server/drift`'s `database_form`), as the editor and the CLI diff them; the
catalog must again be Prisma's (the text may differ where the database spells a default its
own way, `ARRAY['a'::text]`, or where the replay knows a sequence to drop).

A failure prints the differences, one per line, and the two scripts.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import pytest
from schemasense.codegen.ddl.diff import diff
from schemasense.codegen.emit.sql.base import render_sql
from schemasense.codegen.schema import Schema
from schemasense.server.drift.database_form import database_form
from schemasense.server.migrations.model import MigrationFile, MigrationSet
from schemasense.server.migrations.replay import replay
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.verify.compare import compare, format_differences

from tests.codegen.prisma_wasm import migrations_sql, oracle_missing
from tests.codegen.targets.cases import EDITS, Edit, edits_for, from_schema, to_schema
from tests.codegen.targets.sandbox import Sandbox
from tests.conftest import CORPUS
from tests.oracle.prisma import strip_for_prisma7

pytestmark = pytest.mark.oracle

PROVIDERS = ("postgresql", "sqlite")
CORPUS_SCHEMAS = {
    "calcom": ("calcom/packages/prisma/schema.prisma", "postgresql"),
    "umami": ("umami/db/postgresql/schema.prisma", "postgresql"),
    "pingvin-share": ("pingvin-share/backend/prisma/schema.prisma", "sqlite"),
    "epic-stack": ("epic-stack/prisma/schema.prisma", "sqlite"),
}


def _read(text: str) -> Schema:
    result = read_prisma_schema({"schema.prisma": text})
    errors = [f.message for f in result.findings if f.severity == "error"]
    assert not errors, errors
    return result.schema


def ours(before: Schema, after: Schema, provider: str) -> str:
    """Our migration from `before` to `after`, renames off (as Prisma's engine)."""
    return render_sql(diff(before, after, renames=False).operations, provider).text


@pytest.fixture(scope="module")
def engine() -> dict[str, dict[str, str]]:
    """Prisma's SQL per provider: `base:<way>:<edit>` (from empty to the edit's starting
    schema), `edit:<way>:<edit>` (the edit, forward or back) and `corpus:<name>` (from
    empty)."""
    if (reason := oracle_missing()) is not None:
        pytest.skip(reason)
    out: dict[str, dict[str, str]] = {}
    for provider in PROVIDERS:
        edits = edits_for(provider)
        pairs: list[tuple[str | None, str]] = []
        keys: list[str] = []
        for e in edits:
            for way in WAYS:
                before, after = _texts(e, provider, way)
                keys += [f"base:{way}:{e.name}", f"edit:{way}:{e.name}"]
                pairs += [(None, before), (before, after)]
        for name, (path, p) in CORPUS_SCHEMAS.items():
            if p == provider and (CORPUS / path).is_file():
                keys.append(f"corpus:{name}")
                pairs.append((None, strip_for_prisma7((CORPUS / path).read_text(encoding="utf-8"))))
        out[provider] = dict(zip(keys, migrations_sql(pairs, provider), strict=True))
    return out


@pytest.fixture(scope="module")
def sandboxes(request: pytest.FixtureRequest) -> Iterator[dict[str, Sandbox]]:
    boxes: dict[str, Sandbox] = {}
    server = request.getfixturevalue("postgres_server")
    with server.scratch(prefix="ss_migrate") as url:
        boxes["postgresql"] = Sandbox("postgresql", url)
        boxes["sqlite"] = Sandbox("sqlite")
        try:
            yield boxes
        finally:
            for box in boxes.values():
                box.close()


def _explain(theirs: str, mine: str) -> str:
    return "".join(
        difflib.unified_diff(theirs.splitlines(True), mine.splitlines(True), "prisma", "ours")
    )


def _same_catalog(box: Sandbox, base: list[str], theirs: str, mine: str) -> None:
    expected = box.build([*base, theirs])
    actual = box.build([*base, mine])
    differences = compare(
        expected, actual, provider=box.provider, left_name="prisma", right_name="ours"
    )
    assert not differences, (
        format_differences(differences, 40) + "\n\nprisma:\n" + theirs + "\nours:\n" + mine
    )


WAYS = ("forward", "back")
"""Each edit is proved both ways: made (a column added) and undone (the column dropped)."""


def _texts(edit: Edit, provider: str, way: str) -> tuple[str, str]:
    before, after = from_schema(edit, provider), to_schema(edit, provider)
    return (before, after) if way == "forward" else (after, before)


EDIT_PARAMS = [
    pytest.param(p, e, w, id=f"{p}:{e.name}:{w}")
    for p in PROVIDERS
    for e in EDITS
    if p in e.providers
    for w in WAYS
]


def test_enough_edit_cases() -> None:
    assert len(EDITS) >= 50
    assert len(edits_for("postgresql")) >= 50
    assert len(edits_for("sqlite")) >= 50


@pytest.mark.parametrize(("provider", "edit", "way"), EDIT_PARAMS)
def test_edit_builds_prismas_catalog(
    provider: str,
    edit: Edit,
    way: str,
    engine: dict[str, dict[str, str]],
    sandboxes: dict[str, Sandbox],
) -> None:
    before, after = _texts(edit, provider, way)
    theirs = engine[provider][f"edit:{way}:{edit.name}"]
    mine = ours(_read(before), _read(after), provider)
    _same_catalog(sandboxes[provider], [engine[provider][f"base:{way}:{edit.name}"]], theirs, mine)


@pytest.mark.parametrize(("provider", "edit", "way"), EDIT_PARAMS)
def test_edit_is_prismas_text(provider: str, edit: Edit, way: str, engine) -> None:
    before, after = _texts(edit, provider, way)
    theirs = engine[provider][f"edit:{way}:{edit.name}"]
    mine = ours(_read(before), _read(after), provider)
    assert mine == theirs, _explain(theirs, mine)


def _replayed(sql: str, provider: str) -> Schema:
    folder = "/migrations"
    files = [
        MigrationFile(
            path=f"{folder}/0_base/migration.sql", name="0_base", version="0_base", up_text=sql
        )
    ]
    result = replay(MigrationSet(tool="prisma", dialect=provider, root=folder, files=files))  # type: ignore[arg-type]
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    return result.schema


@pytest.mark.parametrize(("provider", "edit", "way"), EDIT_PARAMS)
def test_edit_from_database_forms(
    provider: str,
    edit: Edit,
    way: str,
    engine: dict[str, dict[str, str]],
    sandboxes: dict[str, Sandbox],
) -> None:
    base = engine[provider][f"base:{way}:{edit.name}"]
    before = _replayed(base, provider)
    after = database_form(_read(_texts(edit, provider, way)[1])).schema
    mine = render_sql(diff(before, after, renames=False).operations, provider).text
    _same_catalog(sandboxes[provider], [base], engine[provider][f"edit:{way}:{edit.name}"], mine)


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_SCHEMAS))
def test_corpus_from_empty(name: str, engine, sandboxes: dict[str, Sandbox]) -> None:
    path, provider = CORPUS_SCHEMAS[name]
    if not (CORPUS / path).is_file():
        pytest.skip(f"{path} is not in the corpus")
    declared = _read((CORPUS / path).read_text(encoding="utf-8"))
    mine = ours(Schema(provider=declared.provider), declared, provider)
    theirs = engine[provider][f"corpus:{name}"]
    assert mine == theirs, _explain(theirs, mine)
    _same_catalog(sandboxes[provider], [], theirs, mine)


def test_unchanged_schema_gives_no_operations() -> None:
    for provider in PROVIDERS:
        text = from_schema(EDITS[0], provider)
        assert diff(_read(text), _read(text)).operations == ()
    for path, _provider in CORPUS_SCHEMAS.values():
        if (CORPUS / path).is_file():
            schema = _read((CORPUS / path).read_text(encoding="utf-8"))
            assert diff(schema, schema).operations == (), path
