"""Placeholder wiring; replaced by the real pipeline (parse -> validate -> lower)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.codegen.schema import Schema
from schemasense.server.findings import Finding


@dataclass
class PrismaRead:
    schema: Schema
    findings: list[Finding] = field(default_factory=list)
    asts: dict = field(default_factory=dict)


def read_prisma_schema(files: Mapping[str, str]) -> PrismaRead:
    return PrismaRead(schema=Schema(sources=list(files)))
