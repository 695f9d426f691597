"""The SQL DDL source (`sources/base.py`): one DDL schema file -> the declared schema.

Which files: `schema.sql` and Rails' `db/structure.sql` with a `CREATE TABLE` in them, and any
file `[schema] path` names (`project/discovery.py` finds them, `project/detection.py` knows the
names). The rules run on the declared schema as they do on a Prisma schema's (design rules,
and drift against the migrations beside it); the rules' fixes are written by the unit's
`SchemaEditor`, and with no editor of DDL text yet (`editor` is None) they come without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from schemasense.server.findings import Finding
from schemasense.server.sources.base import HoverAnswer, Place, TextOf

# The DDL reader and its index are imported where they are used: the registry loads every
# source, and a project without a DDL schema must not pay for them at start-up.
if TYPE_CHECKING:
    from schemasense.server.lint.context import MigrationContext, RuleCaches
    from schemasense.server.project.config import LoadedConfig
    from schemasense.server.sources.sql_ddl.index import DdlIndex
    from schemasense.server.sources.sql_ddl.reader import DdlRead


class SqlDdlSource:
    kind: ClassVar[str] = "sql_ddl"
    file_globs: ClassVar[tuple[str, ...]] = ("**/schema.sql", "**/db/structure.sql")
    language_ids: ClassVar[tuple[str, ...]] = ()
    database_form: ClassVar[bool] = True
    checks_declared_on: ClassVar[frozenset[str]] = frozenset()
    primary_key_required: ClassVar[bool] = False

    def claims(self, path: str, text_of: TextOf, language_id: str | None = None) -> bool:
        from schemasense.server.project import detection

        return detection.is_ddl_schema_name(path) and detection.looks_like_ddl(text_of(path))

    def read(self, texts: Mapping[str, str], config: LoadedConfig | None = None) -> DdlRead:
        from schemasense.server.sources.sql_ddl.reader import read_ddl

        return read_ddl(texts, config)

    def lint(
        self,
        read: DdlRead,  # type: ignore[override]
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        migrations: Sequence[MigrationContext] = (),
        *,
        caches: RuleCaches | None = None,
    ) -> list[Finding]:
        """The read's findings, then the rules over the declared schema (and the migrations
        linked to it), through the same suppressions as for any source."""
        from schemasense.server.lint.engine import lint_declared

        return lint_declared(self, read, texts, loaded, migrations, caches)

    def index(self, read: DdlRead, texts: Mapping[str, str]) -> DdlIndex:  # type: ignore[override]
        """The position index of `read` (kept with the read)."""
        return read.index()

    def editor(self, read: DdlRead, texts: Mapping[str, str]) -> None:  # type: ignore[override]
        return None

    def hover(
        self,
        read: DdlRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
        findings: Sequence[Finding] = (),
        history: Any = None,
    ) -> HoverAnswer | None:
        if file != read.file:
            return None
        from schemasense.server.sources.sql_ddl import language

        return language.hover(self.index(read, texts), offset, findings, history)

    def definition(
        self,
        read: DdlRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
    ) -> list[Place]:
        if file != read.file:
            return []
        from schemasense.server.sources.sql_ddl import language

        return language.definition(self.index(read, texts), offset)
