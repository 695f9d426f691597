"""`read_prisma_schema(prisma_version=...)`: where Prisma 5/6 and Prisma 7 disagree.

Prisma 7 rejects connection URLs in the datasource (they moved to `prisma.config.ts`) and ids on
views; Prisma 6 wanted a unique criterion on every view. Not knowing the version (the default)
accepts what either accepts, so a schema that is right for the project never gets an error.
"""

from __future__ import annotations

import pytest
from schemasense.server.positions import LineMap
from schemasense.server.sources.prisma import read_prisma_schema

URLS = """datasource db {
  provider          = "postgresql"
  url               = env("DATABASE_URL")
  directUrl         = env("DIRECT_URL")
  shadowDatabaseUrl = env("SHADOW_URL")
}

model User {
  id Int @id
}
"""

VIEWS = """generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
}

view WithId {
  id Int @id
}

view WithoutKey {
  name String
}
"""


def _error_lines(text: str, version: int | None) -> list[int]:
    read = read_prisma_schema({"schema.prisma": text}, prisma_version=version)
    index = LineMap(text)
    return sorted(
        index.position(f.span.start, "utf-32")[0] + 1
        for f in read.findings
        if f.severity == "error"
    )


@pytest.mark.parametrize("version", [None, 5, 6])
def test_datasource_urls_are_accepted_up_to_prisma_6(version: int | None) -> None:
    assert _error_lines(URLS, version) == []


def test_datasource_urls_are_errors_for_prisma_7() -> None:
    assert _error_lines(URLS, 7) == [3, 4, 5]


def test_views_by_version() -> None:
    assert _error_lines(VIEWS, None) == []
    assert _error_lines(VIEWS, 7) == [11]  # Views cannot have primary keys.
    assert _error_lines(VIEWS, 6) == [14]  # Each view must have at least one unique criteria


def test_rereading_an_earlier_text_reports_the_same_lines() -> None:
    """Regression: the block cache moved a shared syntax tree in place, so an earlier text read
    again (undo) came back with the findings of a later, shifted copy."""
    text = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int[] @id\n}\n'
    shifted = "// one\n// two\n" + text
    first = _error_lines(text, None)
    assert _error_lines(shifted, None) == [n + 2 for n in first]
    assert _error_lines(text, None) == first
