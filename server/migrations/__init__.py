"""Migration sets: found on disk, parsed with each dialect's grammar, replayed into the schema.

    sets = discover_migrations("/path/to/project")
    result = replay(sets[0])
    result.schema        # codegen.schema.Schema: what the migrations build
    result.findings      # statements that did not parse, or could not apply
    result.files         # per file: every statement, its span, what it did

PostgreSQL is read with libpg_query (postgast), MySQL and SQLite with sqlglot.
"""

from schemasense.server.migrations.discover import (
    discover_migrations,
    find_migration_folders,
    read_set,
)
from schemasense.server.migrations.model import (
    FileReplay,
    MigrationFile,
    MigrationSet,
    ReplayResult,
    StatementRecord,
    Touch,
)
from schemasense.server.migrations.replay import Replayer, replay

__all__ = [
    "FileReplay",
    "MigrationFile",
    "MigrationSet",
    "ReplayResult",
    "Replayer",
    "StatementRecord",
    "Touch",
    "discover_migrations",
    "find_migration_folders",
    "read_set",
    "replay",
]
