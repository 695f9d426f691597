"""Memory stays flat over a long editing session (robustness issue, item 5): typing into a
schema and into a migration file, each keystroke followed by the analysis the server makes,
ends with the memory Python holds within 10 % of what it held after the first 100 edits.

Memory is counted, not sampled from the operating system: `sys.getallocatedblocks()` (the
blocks Python's allocator has handed out and not had back) after a full collection, and the
objects the collector tracks. RSS also counts what the C allocator keeps for later, which is
not a leak and varies with the machine. The project is generated (20 models and their
PostgreSQL migrations, two files of ten tables), the edits alternate between a comment in the
schema and one at the end of the newest migration, with multi-byte characters (emoji, CJK,
accents) among them. The long run, 10,000 edits on cal.com's schema and migrations with RSS:
`tests/bench/bench_soak.py --migrations`.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from schemasense.server.workspace.workspace import TextChange, Workspace

from tests.bench.bench_scale import write_project

EDITS = 400
TYPED = "a😀日é "


def _held() -> tuple[int, int]:
    gc.collect()
    return sys.getallocatedblocks(), len(gc.get_objects())


def test_memory_after_400_edits_is_within_10_percent_of_after_100(tmp_path: Path) -> None:
    schema = str(write_project(tmp_path, "postgresql", 20))
    migration = str(sorted(tmp_path.rglob("migration.sql"))[-1])
    workspace = Workspace([str(tmp_path)])
    schema_text = Path(schema).read_text()
    migration_text = Path(migration).read_text() + "\n-- "
    workspace.open(schema, schema_text, 1, "prisma")
    workspace.open(migration, migration_text, 1, "sql")
    unit = workspace.unit_for(schema)
    first = workspace.analyze(unit)
    assert first.migration_files and first.findings  # the migrations are linked and read
    schema_line = schema_text.count("\n", 0, schema_text.index("model Model10")) - 1  # blank
    workspace.change(schema, 2, [TextChange("// ", (schema_line, 0), (schema_line, 0))])
    places = {schema: [schema_line, 3], migration: [migration_text.count("\n"), 3]}
    after_100 = None
    for n in range(1, EDITS + 1):
        path = migration if n % 2 else schema
        line, column = places[path]
        if column > 60:  # a new comment line now and then, as a typist's lines end
            opening = "\n-- " if path == migration else "\n// "
            workspace.change(path, n + 2, [TextChange(opening, (line, column), (line, column))])
            line, column = line + 1, 3
        ch = TYPED[n % len(TYPED)]
        workspace.change(path, n + 2, [TextChange(ch, (line, column), (line, column))])
        places[path] = [line, column + (2 if ord(ch) > 0xFFFF else 1)]
        analysis = workspace.analyze(workspace.unit_for(path))
        if n == 100:
            after_100 = _held()
    assert after_100 is not None
    assert [f.code for f in analysis.findings] == [f.code for f in first.findings]
    blocks, objects = _held()
    assert blocks < after_100[0] * 1.10, (after_100, (blocks, objects))
    assert objects < after_100[1] * 1.10, (after_100, (blocks, objects))
