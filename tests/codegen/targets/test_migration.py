"""Every up has a down that restores the catalog, and the safe split builds what the plain one does.

For every edit of `cases.EDITS` on PostgreSQL and SQLite (real databases, `server/verify`):

- down: the base (Prisma's SQL for the `from` schema), then our up, then our down builds the
  base's catalog again, but for the order of columns (a column put back is added at the end,
  as any `ADD COLUMN` is) and the case of a sequence put back on a column the declared schema
  never named (Prisma's lower-case name); then up once more builds the up catalog;
- safe (PostgreSQL): the base, then each migration of the safe split in order (the
  `CONCURRENTLY` ones outside a transaction) builds the catalog of the plain up.

Renames are taken where they are certain (the product's default), so `@map` edits are
`RENAME COLUMN` going up and back going down.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from schemasense.codegen.emit.migration import generate
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.verify.apply import apply_postgres
from schemasense.server.verify.compare import compare, format_differences

from tests.codegen.prisma_wasm import migrations_sql, oracle_missing
from tests.codegen.targets.cases import EDITS, Edit, edits_for, from_schema, to_schema
from tests.codegen.targets.sandbox import Sandbox

pytestmark = pytest.mark.oracle

PROVIDERS = ("postgresql", "sqlite")


def _read(text: str) -> Schema:
    return read_prisma_schema({"schema.prisma": text}).schema


@pytest.fixture(scope="module")
def bases() -> dict[str, dict[str, str]]:
    """Prisma's SQL for each edit's `from` schema, from empty (the base every run starts on)."""
    if (reason := oracle_missing()) is not None:
        pytest.skip(reason)
    out = {}
    for provider in PROVIDERS:
        edits = edits_for(provider)
        sql = migrations_sql([(None, from_schema(e, provider)) for e in edits], provider)
        out[provider] = {e.name: s for e, s in zip(edits, sql, strict=True)}
    return out


@pytest.fixture(scope="module")
def sandboxes(request: pytest.FixtureRequest) -> Iterator[dict[str, Sandbox]]:
    server = request.getfixturevalue("postgres_server")
    with server.scratch(prefix="ss_down") as url:
        boxes = {"postgresql": Sandbox("postgresql", url), "sqlite": Sandbox("sqlite")}
        try:
            yield boxes
        finally:
            for box in boxes.values():
                box.close()


def _without_order(differences):
    return [d for d in differences if d.what != "column order"]


def _same_sequence(d) -> bool:
    """`nextval('Tag_id_seq')` and `nextval('tag_id_seq')`: a sequence added back to a column
    takes Prisma's name for it (lower case) where the schema does not say the old one."""
    return (
        d.what == "default"
        and (d.left or "").startswith("nextval(")
        and (d.left or "").lower() == (d.right or "").lower()
    )


PARAMS = [
    pytest.param(p, e, id=f"{p}:{e.name}") for p in PROVIDERS for e in EDITS if p in e.providers
]


@pytest.mark.parametrize(("provider", "edit"), PARAMS)
def test_down_restores_the_catalog(provider: str, edit: Edit, bases, sandboxes) -> None:
    box = sandboxes[provider]
    m = generate(_read(from_schema(edit, provider)), _read(to_schema(edit, provider)))
    base = bases[provider][edit.name]
    before = box.build([base])
    after = box.build([base, m.up.text])
    back = box.build([base, m.up.text, m.down.text])
    differences = compare(before, back, provider=provider, left_name="before", right_name="down")
    # a column put back (or re-added for a type with no cast) goes at the end of its table
    differences = [d for d in _without_order(differences) if not _same_sequence(d)]
    assert not differences, (
        format_differences(differences, 30) + "\n\nup:\n" + m.up.text + "\ndown:\n" + m.down.text
    )
    again = box.build([base, m.up.text, m.down.text, m.up.text])
    differences = _without_order(compare(after, again, provider=provider))
    assert not differences, format_differences(differences, 30)


PG_PARAMS = [pytest.param(e, id=e.name) for e in EDITS if "postgresql" in e.providers]


@pytest.mark.parametrize("edit", PG_PARAMS)
def test_safe_split_builds_the_same_catalog(edit: Edit, bases, sandboxes) -> None:
    box = sandboxes["postgresql"]
    before, after = _read(from_schema(edit, "postgresql")), _read(to_schema(edit, "postgresql"))
    plain = generate(before, after)
    safe = generate(before, after, safe=True)
    base = bases["postgresql"][edit.name]
    expected = box.build([base, plain.up.text])
    box.build([base])
    for step in safe.steps:
        apply_postgres(box.conn, step.up.text, transaction=step.up.transactional)
    actual = box.introspect()
    differences = compare(
        expected, actual, provider="postgresql", left_name="plain", right_name="safe"
    )
    assert not differences, (
        format_differences(differences, 30)
        + "\n\n"
        + "\n".join(f"-- step {s.suffix or 'main'}\n{s.up.text}" for s in safe.steps)
    )


def test_safe_split_moves_what_it_should() -> None:
    edit = next(e for e in EDITS if e.name == "foreign key added to an existing column")
    m = generate(
        _read(from_schema(edit, "postgresql")), _read(to_schema(edit, "postgresql")), safe=True
    )
    assert [s.suffix for s in m.steps] == ["", "validate_foreign_keys"]
    assert m.steps[0].up.text.rstrip().endswith("NOT VALID;")
    index = next(e for e in EDITS if e.name == "add single index")
    m = generate(
        _read(from_schema(index, "postgresql")), _read(to_schema(index, "postgresql")), safe=True
    )
    concurrent = [s for s in m.steps if s.suffix.startswith("concurrent_index")]
    assert len(concurrent) == 1 and not concurrent[0].up.transactional
    assert "CREATE INDEX CONCURRENTLY" in concurrent[0].up.text
