"""Every TypeORM migration chain of the corpus and the samples, read and replayed: nothing raises,
every span is inside its file, and what is read and found is what was measured (issue 12).

The findings left are real: flowise's `AddApiKeyPermission` hands the query runner to a helper
imported from another file (`hasColumn(queryRunner, ...)`), and its `ModifyChatflowType` sets a
default from an imported enum (`${EnumChatflowType.CHATFLOW}`). Steps behind a check in the code
(medusa's `extended_batch_job`, flowise's `hasColumn` guards) are replayed where the check lets
them run and skipped where it would not, so they give no DB051 / DB052."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from schemasense.server.migrations.discover import read_set
from schemasense.server.migrations.model import CallPiece, SqlPiece
from schemasense.server.migrations.replay import replay

pytestmark = pytest.mark.corpus

REPO = Path(__file__).resolve().parents[3]
FLOWISE = "typeorm/flowise/packages/server/src/database/migrations"
NEST = "typeorm/awesome-nest-boilerplate"
EXPRESS = "typeorm/express-typescript-boilerplate"

# label: (folder, dialect, classes, DB050 findings)
CHAINS = {
    "medusa": ("typeorm/medusa-v1/packages/medusa/src/migrations", "postgresql", 82, 0),
    "jellyseerr-sqlite": ("typeorm/jellyseerr/server/migration/sqlite", "sqlite", 40, 0),
    "jellyseerr-postgres": ("typeorm/jellyseerr/server/migration/postgres", "postgresql", 4, 0),
    "flowise-sqlite": (f"{FLOWISE}/sqlite", "sqlite", 46, 1),
    "flowise-mysql": (f"{FLOWISE}/mysql", "mysql", 50, 1),
    "flowise-mariadb": (f"{FLOWISE}/mariadb", "mysql", 49, 1),
    "flowise-postgres": (f"{FLOWISE}/postgres", "postgresql", 48, 1),
    "awesome-nest": (f"{NEST}/src/database/migrations", "postgresql", 3, 0),
    "express-ts": (f"{EXPRESS}/src/database/migrations", "postgresql", 3, 0),
    "samples-nest": ("samples/typeorm-nest/src/migrations", "postgresql", 3, 0),
    "samples-sqlite": ("samples/typeorm-sqlite/src/migration", "sqlite", 3, 0),
}  # fmt: skip


def _folder(path: str, corpus: Path) -> Path:
    return REPO / path if path.startswith("samples/") else corpus / path


@pytest.mark.parametrize("label", list(CHAINS))
def test_the_chain_is_read_and_replayed(label: str, corpus_dir: Path) -> None:
    path, dialect, classes, unread = CHAINS[label]
    folder = _folder(path, corpus_dir)
    mset = read_set(str(folder), "typeorm", dialect=dialect)
    assert len(mset.files) == classes
    result = replay(mset)
    texts = {f.path: f.up_text for f in mset.files}
    for record in result.statements:
        assert 0 <= record.span.start <= record.span.end <= len(texts[record.file])
    for finding in result.findings:
        assert 0 <= finding.span.start <= finding.span.end <= len(texts[finding.span.file])
    pieces = [p for f in mset.files for p in f.pieces or ()]
    sql = [p for p in pieces if isinstance(p, SqlPiece)]
    calls = [p for p in pieces if isinstance(p, CallPiece)]
    known = sum(1 for p in sql if not p.holes) / len(sql) if sql else 1.0
    assert known >= 0.94, f"{label}: {known:.1%} of the SQL pieces are fully known"
    assert sum(1 for c in calls if c.error is None) >= len(calls) - unread
    codes = Counter(f.code for f in result.findings)
    assert codes == Counter({"DB050": unread} if unread else {}), codes
    assert result.schema.tables, "the chain builds tables"
