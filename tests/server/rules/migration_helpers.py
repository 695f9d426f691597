"""Helpers for migration rule tests: Prisma migration folders in a temporary directory, the
rules run on them, findings rendered compiler-style, fixes applied to the files (new
migrations included), and the result run on a real PostgreSQL the way Prisma runs it."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from schemasense.server.findings import Finding
from schemasense.server.lint.context import MigrationContext, RuleContext
from schemasense.server.lint.engine import run_rules
from schemasense.server.positions import LineMap
from schemasense.server.project.config import LoadedConfig
from schemasense.server.sources.prisma import read_prisma_schema
from schemasense.server.workspace.migration_links import MigrationLinks

from tests.server.rules.helpers import apply_edits, config_for, render

LOCK = {
    "postgresql": 'provider = "postgresql"\n',
    "mysql": 'provider = "mysql"\n',
    "sqlite": 'provider = "sqlite"\n',
}


def write_migrations(
    root: Path, migrations: Mapping[str, str], dialect: str = "postgresql"
) -> Path:
    """`prisma/migrations/<name>/migration.sql` for each (name -> SQL), plus the lock file."""
    folder = root / "prisma" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "migration_lock.toml").write_text(LOCK[dialect])
    for name, sql in migrations.items():
        (folder / name).mkdir(exist_ok=True)
        (folder / name / "migration.sql").write_text(sql)
    return folder


def lint_migrations(
    root: Path,
    codes: str | Sequence[str],
    *,
    config: str = "",
    checked: Sequence[str] | None = None,
    schema: str | None = None,
) -> tuple[list[Finding], dict[str, str]]:
    """The findings of the selected rules on `root/prisma/migrations` (and the texts, by
    path). `checked` names the migration folders to report on (default: all); `schema` is a
    Prisma schema for rules that fix it."""
    if isinstance(codes, str):
        codes = [codes]
    loaded = config_for(codes, config)
    assert loaded.findings == [], loaded.findings
    folder = root / "prisma" / "migrations"
    files = None
    if checked is not None:
        files = [str(folder / name / "migration.sql") for name in checked]
    texts: dict[str, str] = {}
    read = None
    path = str(root / "prisma" / "schema.prisma")
    if schema is not None:
        Path(path).write_text(schema)
        texts[path] = schema
        read = read_prisma_schema({path: schema})
    contexts = linked_contexts([path], loaded, files)
    ctx = RuleContext(config=loaded.config, texts=texts, read=read, migrations=contexts)
    findings = run_rules(ctx, loaded, inputs=("migrations", "migrated")).findings
    all_texts = dict(texts)
    for m in contexts:
        for f in m.files:
            all_texts[f.path] = f.text
    findings.sort(key=lambda f: (f.span.file, f.span.start, f.code))
    return findings, all_texts


def linked_contexts(
    schema_files: Sequence[str], loaded: LoadedConfig, undeployed: Sequence[str] | None = None
) -> list[MigrationContext]:
    """The rules' view of the migration sets linked to `schema_files`, made the way the
    workspace makes it (`MigrationLinks`: the folder beside the schema, or the configured
    ones; the replay's records as they are); `undeployed` are the files reported on."""
    links = MigrationLinks(_disk_text, lambda: ())
    found = links.links(schema_files, {}, loaded)
    assert found, f"no migrations linked to {schema_files}"
    return [links.context(link, undeployed) for link in found]


def _disk_text(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


def report(root: Path, codes, **kwargs) -> str:
    """The compiler-style report, paths relative to `root`."""
    findings, texts = lint_migrations(root, codes, **kwargs)
    rel = {os.path.relpath(p, root): t for p, t in texts.items()}
    shown = [
        Finding(
            f.code,
            f.severity,
            f.message,
            f.span.model_copy(update={"file": os.path.relpath(f.span.file, root)}),
            f.help,
            None,
        )
        for f in findings
    ]
    return render(shown, rel)


def apply_fixes(root: Path, findings: Sequence[Finding]) -> dict[str, str]:
    """Apply every fix on disk; return every file that changed or appeared (relative path ->
    new text)."""
    by_file: dict[str, list] = {}
    for finding in findings:
        assert finding.fix is not None, finding
        for edit in finding.fix.edits:
            by_file.setdefault(edit.span.file, []).append(edit)
    changed = {}
    for path, edits in sorted(by_file.items()):
        old = Path(path).read_text() if os.path.exists(path) else ""
        new = apply_edits(old, edits)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(new)
        changed[os.path.relpath(path, root)] = new
    return changed


def migration_files(root: Path) -> list[Path]:
    folder = root / "prisma" / "migrations"
    return sorted(folder.glob("*/migration.sql"))


def position(text: str, offset: int) -> tuple[int, int]:
    line, col = LineMap(text).position(offset, "utf-32")
    return line + 1, col + 1
