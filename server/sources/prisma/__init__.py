"""The Prisma reader: Prisma Schema Language text -> schema model + findings. Never raises.

Entry points:
- `read_prisma_schema(files, prisma_version=None)`: a whole schema (one file, or every file of
  a multi-file schema folder, keyed by file id) -> `PrismaRead` with the lowered `Schema`,
  every finding (syntax and validation, codes DB0xx) and the per-file syntax trees. Findings
  are Prisma 7's verdict; `prisma_version` (the project's Prisma major version) decides where
  Prisma 5/6 differ (datasource URLs, ids on views), and None accepts both.

As a source (`server/sources/base.py`) it is `PrismaSource` (`source.py`), registered under the
kind `prisma` by `server/project/sources.py`.
"""

from __future__ import annotations

from schemasense.server.sources.prisma.reader import PrismaRead, read_prisma_schema
from schemasense.server.sources.prisma.source import PrismaSource

__all__ = ["PrismaRead", "PrismaSource", "read_prisma_schema"]
