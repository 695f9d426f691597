"""The whole Prisma pipeline: parse every file, resolve, validate, lower. Never raises.

Parsing is cached per file text, so in a multi-file schema a keystroke re-parses one file; the
caches are the unit's (`caches.py`), handed from one read to the next.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.schema import Schema
from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.caches import PrismaCaches
from schemasense.server.sources.prisma.database import Database
from schemasense.server.sources.prisma.lower import lower
from schemasense.server.sources.prisma.resolve import build_database
from schemasense.server.sources.prisma.validations import validate


@dataclass
class PrismaRead:
    """A read schema: every finding, the syntax trees, and the schema model on demand.

    Lowering to the schema model costs more than finding the problems, and a keystroke only
    needs the problems, so `schema` is built the first time someone asks for it.
    """

    findings: list[Finding] = field(default_factory=list)
    asts: dict[str, ast.SchemaAst] = field(default_factory=dict)
    database: Database | None = None
    sources: list[str] = field(default_factory=list)
    _schema: Schema | None = None
    index: Any = field(default=None, repr=False, compare=False)
    """The editor's position index of this read (`index.SchemaIndex`), built on first use by
    `index.index_for` and kept as long as the read is (the workspace's cached analysis)."""
    caches: PrismaCaches = field(default_factory=PrismaCaches, repr=False, compare=False)
    """What this read reused and the next read of the same schema may (`caches.py`)."""

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            try:
                self._schema = (
                    lower(self.database, self.caches.tables)
                    if self.database
                    else Schema(sources=self.sources)
                )
            except Exception:  # lowering a broken schema must not take the editor down
                self._schema = Schema(sources=self.sources)
        return self._schema


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_prisma_schema(
    files: Mapping[str, str],
    *,
    prisma_version: int | None = None,
    caches: PrismaCaches | None = None,
) -> PrismaRead:
    """Read a schema made of `files` (file id -> text). Always returns; problems are findings.

    `prisma_version` is the major version of Prisma the project uses, where the verdict
    depends on it (everything else is judged as Prisma 7 judges it):

    - the datasource's connection URLs (`url`, `directUrl`, `shadowDatabaseUrl`): Prisma 7
      rejects them (they moved to `prisma.config.ts`), so with `prisma_version=7` they are
      errors; with 6 or lower, or None, they are accepted, as every Prisma 5/6 schema has
      `url = env(...)`;
    - views: Prisma 7 forbids `@id` / `@@id` on a view, Prisma 6 wanted a unique criterion on
      every view like on a model; with None neither is required.

    None (not known) is the default: it accepts what either version accepts, so a schema that
    is right for the project's Prisma never gets an error from us.

    `caches`: what the previous reads of this schema left (`PrismaCaches`, the previous
    read's `caches`); without it the read starts empty. The answer is the same either way.
    """
    if caches is None:
        caches = PrismaCaches()
    asts: dict[str, ast.SchemaAst] = {}
    findings: list[Finding] = []
    try:
        for file, text in files.items():
            if _LONE_SURROGATE.search(text):
                # an editor may send one; Prisma reads text as UTF-8, where it is U+FFFD (the
                # same length, so every offset holds), and names holding one print as JSON
                text = _LONE_SURROGATE.sub("\ufffd", text)
            tree, syntax = caches.parse(text, file)
            asts[file] = tree
            findings.extend(syntax)
        db = build_database(asts, prisma_version=prisma_version)
        db.findings[:0] = findings
        if not db.has_errors():
            validate(db)
        return PrismaRead(
            findings=db.findings, asts=asts, database=db, sources=list(files), caches=caches
        )
    except Exception as error:  # a reader never raises: report our own failure as a finding
        first = next(iter(files), "")
        findings.append(
            problems.problem(
                "DB000",
                f"schemasense could not finish reading this schema ({type(error).__name__}: "
                f"{error}). This is a bug in schemasense; please report it.",
                first,
                (0, 0),
            )
        )
        # the caches are not handed on: a read that failed may have left them half-made
        return PrismaRead(findings=findings, asts=asts, sources=list(files))
