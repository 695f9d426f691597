"""The workspace: open documents over disk, incremental changes, cached reads per unit."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.sources.prisma import source as prisma_source
from schemasense.server.workspace.workspace import (
    TEST_PANIC_ENV,
    ArtificialPanic,
    TextChange,
    Workspace,
)

SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n}\n'


@pytest.fixture
def reads(monkeypatch):
    """Count the reader's calls (and keep the real reader)."""
    calls: list[dict[str, str]] = []
    real = prisma_source.read_prisma_schema

    def counting(files, **options):
        calls.append(dict(files))
        return real(files, **options)

    monkeypatch.setattr(prisma_source, "read_prisma_schema", counting)
    return calls


def test_open_documents_override_disk_and_close_restores_it(tmp_path):
    path = tmp_path / "schema.prisma"
    path.write_text(SCHEMA)
    workspace = Workspace()
    assert workspace.text(str(path)) == SCHEMA
    workspace.open(str(path), "model B {}", 3)
    assert workspace.text(str(path)) == "model B {}"
    assert workspace.version(str(path)) == 3
    workspace.close(str(path))
    assert workspace.text(str(path)) == SCHEMA
    assert workspace.version(str(path)) is None


def test_disk_text_is_reread_when_the_file_changes(tmp_path):
    path = tmp_path / "schema.prisma"
    path.write_text(SCHEMA)
    workspace = Workspace()
    assert workspace.text(str(path)) == SCHEMA
    path.write_text(SCHEMA + "// more\n")
    assert workspace.text(str(path)).endswith("// more\n")


def test_byte_order_mark_and_crlf(tmp_path):
    path = tmp_path / "schema.prisma"
    path.write_bytes(b"\xef\xbb\xbfmodel A {\r\n}\r\n")
    assert Workspace().text(str(path)) == "model A {\r\n}\r\n"


def test_incremental_changes_in_order(tmp_path):
    path = str(tmp_path / "schema.prisma")
    workspace = Workspace()
    workspace.open(path, "model A {\n  id Int @id\n}\n", 1)
    doc = workspace.change(
        path,
        2,
        [
            TextChange("B", (0, 6), (0, 7)),
            TextChange("  name String\n", (2, 0), (2, 0)),
            TextChange("model C {}\n"),  # a full replacement resets everything
            TextChange("D", (0, 6), (0, 7)),
        ],
    )
    assert (doc.text, doc.version) == ("model D {}\n", 2)


def test_reads_are_cached_by_content_per_unit(tmp_path, reads):
    path = str(tmp_path / "schema.prisma")
    workspace = Workspace()
    workspace.open(path, SCHEMA, 1)
    unit = workspace.unit_for(path)
    first = workspace.analyze(unit)
    assert workspace.analyze(unit) is first
    workspace.change(path, 2, [TextChange("x", (0, 0), (0, 0))])
    second = workspace.analyze(unit)
    assert second is not first
    # Typing and undoing: the same text is the same read.
    workspace.change(path, 3, [TextChange("", (0, 0), (0, 1))])
    assert workspace.analyze(unit).texts == first.texts
    assert len(reads) == 3


def test_a_keystroke_rereads_only_its_unit(tmp_path, reads):
    one = tmp_path / "one" / "schema.prisma"
    two = tmp_path / "two" / "schema.prisma"
    for p in (one, two):
        p.parent.mkdir()
        p.write_text(SCHEMA)
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(one), SCHEMA, 1)
    workspace.open(str(two), SCHEMA, 1)
    for unit in workspace.open_units():
        workspace.analyze(unit)
    assert len(reads) == 2
    workspace.change(str(one), 2, [TextChange("x", (0, 0), (0, 0))])
    for unit in workspace.open_units():
        workspace.analyze(unit)
    assert len(reads) == 3
    assert list(reads[-1]) == [str(one)]


def test_findings_are_split_by_file(tmp_path, monkeypatch):
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "main.prisma").write_text(SCHEMA)
    (folder / "b.prisma").write_text("model B {\n  a Strin\n}\n")
    workspace = Workspace()
    analysis = workspace.analyze(workspace.unit_for(str(folder / "b.prisma")))
    assert analysis.unit.folder
    assert analysis.by_file[str(folder / "main.prisma")] == []
    [finding] = analysis.by_file[str(folder / "b.prisma")]
    assert finding.code == "DB002"


def test_check_path_sorts_findings(tmp_path, monkeypatch):
    from schemasense.codegen.schema import Span
    from schemasense.server.findings import Finding

    def read(files, **options):
        [(path, _)] = files.items()
        made = [
            Finding("DB001", "error", m, Span(file=path, start=s, end=s + 1))
            for s, m in ((9, "second"), (1, "first"))
        ]
        return SimpleNamespace(schema=Schema(), findings=made)

    monkeypatch.setattr(prisma_source, "read_prisma_schema", read)
    path = tmp_path / "schema.prisma"
    path.write_text(SCHEMA)
    assert [f.message for f in Workspace().check_path(str(path))] == ["first", "second"]


def test_the_test_panic_hook(tmp_path, monkeypatch):
    monkeypatch.setenv(TEST_PANIC_ENV, "1")
    path = tmp_path / "schema.prisma"
    path.write_text(SCHEMA)
    workspace = Workspace()
    with pytest.raises(ArtificialPanic):
        workspace.analyze(workspace.unit_for(str(path)))


def test_units_at_rejects_what_is_not_a_schema(tmp_path):
    workspace = Workspace()
    with pytest.raises(FileNotFoundError):
        workspace.units_at(str(tmp_path / "missing"))
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError):
        workspace.units_at(str(tmp_path / "notes.txt"))
    assert workspace.units_at(str(tmp_path)) == []


def test_paths_are_normalised(tmp_path: Path):
    path = tmp_path / "schema.prisma"
    workspace = Workspace()
    workspace.open(str(tmp_path / "x" / ".." / "schema.prisma"), "model A {}", 1)
    assert workspace.document(str(path)) is not None
    assert workspace.open_paths() == [str(path)]


def test_an_unsaved_prisma_buffer_is_a_unit_of_its_own():
    workspace = Workspace()
    workspace.open("untitled:Untitled-1", "model A {\n  b Strin\n}\n", 1, "prisma")
    workspace.open("untitled:Untitled-2", "hello", 1, "plaintext")
    [unit] = workspace.open_units()
    assert unit.files == ("untitled:Untitled-1",)
    [finding] = [f for f in workspace.analyze(unit).findings if f.code == "DB002"]
    assert finding.span.file == "untitled:Untitled-1"


# -- named state: the caches object -------------------------------------------------------------


def test_every_cache_field_is_documented():
    """`WorkspaceCaches` says, for each field, what it holds and what survives a keystroke."""
    import dataclasses

    from schemasense.server.workspace.caches import WorkspaceCaches

    doc = WorkspaceCaches.__doc__ or ""
    undocumented = [
        f.name
        for f in dataclasses.fields(WorkspaceCaches)
        if f.name != "lock" and f"`{f.name}`" not in doc
    ]
    assert not undocumented


def test_added_since_is_a_declared_field():
    workspace = Workspace()
    assert "added_since" in vars(workspace) and workspace.added_since is None


def test_features_keep_no_module_level_caches():
    """No per-workspace state in module globals of server/features/ (it lives on the
    workspace's caches): no module-level empty dict, OrderedDict or WeakKeyDictionary."""
    import ast

    features = Path(__file__).resolve().parents[3] / "server" / "features"
    found = []
    for path in sorted(features.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Dict) and not value.keys:
                found.append(f"{path.name}:{node.lineno}")
            elif isinstance(value, ast.Call):
                name = ast.unparse(value.func)
                if name.split(".")[-1] in ("dict", "OrderedDict", "WeakKeyDictionary"):
                    found.append(f"{path.name}:{node.lineno}")
    assert not found


MIGRATION = 'CREATE TABLE "A" ("id" INTEGER NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));\n'


def test_a_keystroke_in_the_schema_keeps_the_replay_version(tmp_path, reads):
    schema = tmp_path / "prisma" / "schema.prisma"
    migration = tmp_path / "prisma" / "migrations" / "20240101000000_init" / "migration.sql"
    migration.parent.mkdir(parents=True)
    schema.write_text(SCHEMA)
    migration.write_text(MIGRATION)
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(schema), SCHEMA, 1)
    unit = workspace.unit_for(str(schema))
    first = workspace.analyze(unit)
    folder = str(migration.parent.parent)
    assert workspace.caches.replay_versions[folder][1] == 1
    workspace.change(str(schema), 2, [TextChange("\n", (0, 0), (0, 0))])
    second = workspace.analyze(unit)
    assert second.digest != first.digest
    assert second.replays == first.replays  # the same replay, the same version
    # a migration edit: a new replay, a new version, and the schema's read is reused
    workspace.open(str(migration), MIGRATION + "-- more\n", 1)
    third = workspace.analyze(unit)
    assert third.replays != second.replays
    assert third.read is second.read
    assert len(reads) == 2


def test_a_ddl_unit_is_read_by_its_source(tmp_path):
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE a (id int PRIMARY KEY);\n")
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(path), path.read_text(), 1)
    [unit] = workspace.open_units()
    assert unit.kind == "sql_ddl"
    first = workspace.analyze(unit)
    assert first.source.kind == "sql_ddl"
    assert [t.name for t in first.read.schema.tables] == ["a"]
    workspace.change(
        str(path), 2, [TextChange("CREATE TABLE b (id int PRIMARY KEY);\n", (1, 0), (1, 0))]
    )
    second = workspace.analyze(unit)
    assert [t.name for t in second.read.schema.tables] == ["a", "b"]
    assert workspace.analyze(unit) is second


def test_a_migration_opened_alone_brings_its_ddl_schema(tmp_path):
    schema = tmp_path / "db" / "schema.sql"
    migration = tmp_path / "db" / "migrations" / "20240101000000_init.sql"
    migration.parent.mkdir(parents=True)
    schema.write_text("CREATE TABLE a (id int PRIMARY KEY);\n")
    migration.write_text("-- migrate:up\nCREATE TABLE a (id int PRIMARY KEY);\n-- migrate:down\n")
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(migration), migration.read_text(), 1)
    [unit] = workspace.open_units()
    assert (unit.kind, unit.files) == ("sql_ddl", (str(schema),))
    assert str(migration) in workspace.analyze(unit).migration_files


def test_closing_an_unsaved_migration_restores_the_file_on_disk(tmp_path):
    """An edit discarded on close takes its findings with it (robustness issue: the drift of
    the unsaved text stayed, and "Generate migration" offered to create what exists)."""
    from tests.prisma_project import INIT, SCHEMA

    folder = tmp_path / "prisma" / "migrations" / "20240101000000_init"
    folder.mkdir(parents=True)
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    migration = folder / "migration.sql"
    migration.write_text(INIT)
    ws = Workspace([str(tmp_path)])
    ws.open(str(tmp_path / "prisma" / "schema.prisma"), SCHEMA, 1)
    (unit,) = ws.units()
    assert not [f for f in ws.analyze(unit).findings if f.code.startswith("DB3")]
    ws.open(str(migration), INIT + 'CREATE TABLE "users" ("id" INTEGER);\n', 1)
    assert [f for f in ws.analyze(unit).findings if f.code == "DB302"]
    ws.close(str(migration))
    assert not [f for f in ws.analyze(unit).findings if f.code.startswith("DB3")]


def test_a_units_reads_hand_their_caches_on(tmp_path):
    """A keystroke's read reuses the unit's caches (`sources/prisma/caches.py`), held by the
    unit's last read; another unit has its own."""
    one = tmp_path / "one" / "schema.prisma"
    two = tmp_path / "two" / "schema.prisma"
    for p in (one, two):
        p.parent.mkdir()
        p.write_text(SCHEMA)
    workspace = Workspace([str(tmp_path)])
    workspace.open(str(one), SCHEMA, 1)
    workspace.open(str(two), SCHEMA, 1)
    first = {u.files[0]: workspace.analyze(u).read for u in workspace.open_units()}
    workspace.change(str(one), 2, [TextChange("x", (0, 0), (0, 0))])
    after = {u.files[0]: workspace.analyze(u).read for u in workspace.open_units()}
    assert after[str(one)] is not first[str(one)]
    assert after[str(one)].caches is first[str(one)].caches
    assert after[str(one)].caches is not after[str(two)].caches
