"""Shared pytest set-up: skip `oracle` and `corpus` tests where their inputs are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.oracle.prisma import oracle_available

# `check` keeps a persistent cache (server/cache/): tests that run it would otherwise answer
# from what an earlier test left, and write cache folders into the corpus or the samples. The
# cache's own tests turn it back on, each with a folder of its own.
os.environ["SCHEMASENSE_NO_CACHE"] = "1"

CORPUS = Path(
    os.environ.get("SCHEMASENSE_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)


def corpus_available() -> str | None:
    """None when the third-party corpus is here; otherwise why not (for pytest.skip)."""
    if not CORPUS.is_dir():
        return f"corpus not found at {CORPUS} (set SCHEMASENSE_CORPUS)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons = {"oracle": oracle_available, "corpus": corpus_available}
    cache: dict[str, str | None] = {}
    for item in items:
        for marker, check in reasons.items():
            if item.get_closest_marker(marker) is None:
                continue
            if marker not in cache:
                cache[marker] = check()
            if cache[marker] is not None:
                item.add_marker(pytest.mark.skip(reason=cache[marker]))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The corpus folder (skips the test where it is absent)."""
    reason = corpus_available()
    if reason is not None:
        pytest.skip(reason)
    return CORPUS


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server for one module's tests (`databases.postgres_server`: the
    environment's, the local service, or an embedded one), closed after them; skips with the
    reason where none is found. One place, where ten oracle modules each kept a copy."""
    from schemasense.server.verify import databases

    try:
        server = databases.postgres_server()
    except databases.Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.close()
