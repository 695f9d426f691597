"""Real-world schemas read without a single error-level finding, with the default options.

The corpus (`/work/shared/corpus`: cal.com, dub's 37-file schema folder, umami x2, pingvin-share,
epic-stack) is Prisma 5/6 code: every datasource has `url = env(...)`, and cal.com has views with
`@id`. Those are right for the projects' Prisma, so the default `prisma_version` (not known)
must accept them; with `prisma_version=7` the URLs are errors, as in Prisma 7.
"""

from __future__ import annotations

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
def test_large_schema_rereads_from_its_caches() -> None:
    """cal.com (~2,500 lines, 100 models) read again with the first read's caches, as the
    workspace reads it on a keystroke, parses nothing anew and answers the same. (How fast that
    is, is measured in tests/bench, side by side with Prisma's server, not asserted here.)"""
    files = dict(next(files for name, files in UNITS if name.startswith("calcom")))
    first = read_prisma_schema(files)
    parses = dict(first.caches.parses)
    assert parses, "the first read kept no parse"
    again = read_prisma_schema(files, caches=first.caches)
    assert again.caches is first.caches
    assert first.caches.parses.keys() == parses.keys()
    assert all(first.caches.parses[k] is v for k, v in parses.items())  # nothing parsed anew
    assert [(f.code, f.message) for f in again.findings] == [
        (f.code, f.message) for f in first.findings
    ]
