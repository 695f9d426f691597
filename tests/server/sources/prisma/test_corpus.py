"""Real-world schemas read without a single error-level finding, with the default options.

The corpus (`/work/shared/corpus`: cal.com, dub's 37-file schema folder, umami x2, pingvin-share,
epic-stack) is Prisma 5/6 code: every datasource has `url = env(...)`, and cal.com has views with
`@id`. Those are right for the projects' Prisma, so the default `prisma_version` (not known)
must accept them; with `prisma_version=7` the URLs are errors, as in Prisma 7.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from schemasense.server.sources.prisma import read_prisma_schema

CORPUS = Path(__file__).resolve().parents[4].parent / "shared" / "corpus"


def _units() -> list[tuple[str, dict[str, str]]]:
    if not CORPUS.is_dir():
        return []
    units: dict[str, dict[str, str]] = {}
    for path in sorted(CORPUS.rglob("*.prisma")):
        multi = path.parent.name == "schema" and len(list(path.parent.glob("*.prisma"))) > 1
        key = str(path.parent if multi else path)
        units.setdefault(key, {})[str(path)] = path.read_text(encoding="utf-8")
    return [(str(Path(k).relative_to(CORPUS)), files) for k, files in units.items()]


UNITS = _units()
needs_corpus = pytest.mark.skipif(not UNITS, reason=f"{CORPUS} is absent")


@needs_corpus
@pytest.mark.parametrize(("name", "files"), UNITS, ids=[u[0] for u in UNITS])
def test_corpus_schema_has_no_errors(name: str, files: dict[str, str]) -> None:
    read = read_prisma_schema(files)
    errors = [f for f in read.findings if f.severity == "error"]
    assert not errors, "\n".join(f"{f.span.file}: {f.message}" for f in errors)


@needs_corpus
def test_corpus_prisma7_rejects_datasource_urls() -> None:
    """The option changes the verdict on URLs only where Prisma 7 changed it."""
    for _, files in UNITS:
        read = read_prisma_schema(files, prisma_version=7)
        messages = [f.message for f in read.findings if f.severity == "error"]
        assert any("is no longer supported in schema files" in m for m in messages)


@needs_corpus
def test_large_schema_validates_quickly() -> None:
    """cal.com (~2,500 lines, 100 models): resolving and validating takes milliseconds."""
    files = dict(next(files for name, files in UNITS if name.startswith("calcom")))
    read_prisma_schema(files)  # warm the parse cache: a keystroke re-parses one block
    best = min(_timed(files) for _ in range(5))
    assert best < 0.05, f"reading cal.com took {best * 1000:.1f} ms"


def _timed(files: dict[str, str]) -> float:
    start = time.perf_counter()
    read_prisma_schema(files)
    return time.perf_counter() - start
