"""The Prisma reader: Prisma Schema Language text -> schema model + findings. Never raises.

Entry points:
- `read_prisma_schema(files)`: a whole schema (one file, or every file of a multi-file schema
  folder, keyed by file id) -> `PrismaRead` with the lowered `Schema`, every finding (syntax
  and validation, codes DB0xx) and the per-file syntax trees.
"""

from __future__ import annotations

from schemasense.server.readers.prisma.reader import PrismaRead, read_prisma_schema

__all__ = ["PrismaRead", "read_prisma_schema"]
