"""The Prisma Client code of the samples, read as the queries it makes.

`samples/prisma-clean/test/db/` is real Prisma Client TypeScript (written by `schemasense
generate tests`, compiled by tsc and run against PostgreSQL by the oracle tests): every
`db.<model>.<method>(...)` a regular expression finds there is read as a query, with its
filters, and each test query looks rows up by a key or index the schema declares, so the
planner finds every one served. (The corpus under ../shared/corpus holds schemas and
migrations only: no application code to read.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from schemasense.codegen.queries.serve import judge
from schemasense.codegen.schema import Column, ColumnType, Schema, Table
from schemasense.server.queries.prisma_client import METHODS, read_prisma_queries
from schemasense.server.sources.prisma.reader import read_prisma_schema
from schemasense.server.sources.typescript import read_module

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "prisma-clean"
CALL = re.compile(r"\b(?:db|tx)\.(\w+)\.(" + "|".join(METHODS) + r")\(")
RAW = re.compile(r"\b(?:db|tx)\.\$(?:query|execute)Raw(?:Unsafe)?\b")


def test_every_prisma_call_of_the_sample_is_read_and_served() -> None:
    texts = {str(p): p.read_text(encoding="utf-8") for p in SAMPLE.glob("prisma/**/*.prisma")}
    schema = read_prisma_schema(texts).schema
    files = sorted((SAMPLE / "test" / "db").glob("*.ts"))
    assert files
    expected = found_calls = raw = raw_found = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        queries = read_prisma_queries(read_module(str(path), text), schema)
        expected += len(CALL.findall(text))
        raw += len(RAW.findall(text))
        model_queries = [q for q in queries if q.operation != "raw" and not q.implied_by]
        found_calls += len(model_queries)
        raw_found += len([q for q in queries if q.operation == "raw"])
        for query in model_queries:
            assert query.unknown == [], (path.name, query.label, query.unknown)
            assert query.has_filter
            table = schema.table(query.table)
            assert table is not None
            verdict = judge(query, table, "postgresql")
            assert verdict.verdict == "served", (path.name, query.label, verdict.reasons)
    assert (found_calls, raw_found) == (expected, raw)
    assert expected >= 7 and raw >= 3


@pytest.mark.corpus
@pytest.mark.oracle
def test_no_prisma_query_is_seen_in_typeorm_and_sequelize_code(corpus_dir: Path) -> None:
    """The corpus's TypeORM and Sequelize projects make no Prisma Client call: with a schema
    whose models bear their names (User, Group, Record, Property, Source, Team, ...), every
    query the reader finds there would be a false positive. None is, and no file raises."""
    names = ["User", "Group", "Record", "Property", "Source", "Destination", "App", "Run", "Log"]
    names += ["Setting", "Option", "Schedule", "Export", "Import", "Notification", "File"]
    names += ["Session", "Permission", "Role", "Order", "Product", "Account", "Message", "Team"]
    names += ["Event", "Profile", "Item", "Task", "Project", "Post", "Comment", "Tag"]
    schema = Schema(
        tables=[
            Table(
                name=n.lower(),
                model_name=n,
                columns=[Column(name="id", field_name="id", type=ColumnType(kind="int"))],
            )
            for n in names
        ]
    )
    files = [
        p
        for folder in ("typeorm", "sequelize")
        for p in sorted((corpus_dir / folder).rglob("*"))
        if p.suffix in (".ts", ".js") and "node_modules" not in p.parts
    ]
    assert len(files) > 500
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found.extend(q.label for q in read_prisma_queries(read_module(str(path), text), schema))
    assert found == []
