"""The Prisma reader as a source (`sources/base.py`): `.prisma` files -> the schema model.

An adapter only: reading is `read_prisma_schema`, the rules run through `lint_prisma` (which
skips the schema rules while the schema has errors), the position index is `index.py`'s and
the editor for fixes is `editor.py` (over `edits.py`). Hover and navigation for Prisma are served by
`server/language/` over the same index, so `hover` and `definition` answer nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from schemasense.server.findings import Finding
from schemasense.server.sources.base import HoverAnswer, Place, TextOf
from schemasense.server.sources.prisma.reader import PrismaRead, read_prisma_schema

if TYPE_CHECKING:
    from schemasense.server.lint.context import MigrationContext, RuleCaches
    from schemasense.server.project.config import LoadedConfig
    from schemasense.server.sources.prisma.editor import PrismaEditor
    from schemasense.server.sources.prisma.index import SchemaIndex


class PrismaSource:
    """`schema.prisma`, or every `.prisma` file of a schema folder (`project/discovery.py`)."""

    kind: ClassVar[str] = "prisma"
    file_globs: ClassVar[tuple[str, ...]] = ("**/*.prisma",)
    language_ids: ClassVar[tuple[str, ...]] = ("prisma",)
    database_form: ClassVar[bool] = False
    checks_declared_on: ClassVar[frozenset[str]] = frozenset()
    primary_key_required: ClassVar[bool] = False
    reads_incrementally: ClassVar[bool] = True
    """`read` takes the unit's last read (`previous=`) and reuses its caches."""

    def claims(self, path: str, text_of: TextOf, language_id: str | None = None) -> bool:
        return path.endswith(".prisma") or language_id in self.language_ids

    def read(
        self,
        texts: Mapping[str, str],
        config: LoadedConfig | None = None,
        previous: PrismaRead | None = None,
    ) -> PrismaRead:
        """`previous`: the unit's last read, whose caches (`caches.py`: parses, unchanged
        blocks, lowered tables) this read reuses and hands on."""
        return read_prisma_schema(texts, caches=previous.caches if previous is not None else None)

    def lint(
        self,
        read: PrismaRead,  # type: ignore[override]
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        migrations: Sequence[MigrationContext] = (),
        *,
        caches: RuleCaches | None = None,
    ) -> list[Finding]:
        from schemasense.server.lint.engine import lint_prisma

        return lint_prisma(
            read,
            texts,
            loaded,
            migrations=migrations,
            caches=caches,
            editor=self.editor(read, texts),
        )

    def index(self, read: PrismaRead, texts: Mapping[str, str]) -> SchemaIndex:  # type: ignore[override]
        from schemasense.server.sources.prisma.index import index_for

        return index_for(texts, read)

    def editor(self, read: PrismaRead, texts: Mapping[str, str]) -> PrismaEditor:  # type: ignore[override]
        from schemasense.server.sources.prisma.editor import PrismaEditor

        return PrismaEditor(read, texts)

    def hover(
        self,
        read: PrismaRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
        findings: Sequence[Finding] = (),
        history: Any = None,
    ) -> HoverAnswer | None:
        return None

    def definition(
        self,
        read: PrismaRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
    ) -> list[Place]:
        return []
