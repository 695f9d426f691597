"""The long fuzz run (robustness issue, item 1): mutations of real input for every reader, as
many as the time allows, with the count of inputs tried and of failures per reader.

    .venv/bin/python -m tests.fuzz.run [--seconds 600] [--seed 1]

Not collected by pytest (no `test_` prefix); the bounded versions run in the suite. A failing
input is written to `test-artifacts/fuzz/<reader>-<n>.txt` to be kept as a regression fixture.
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CORPUS, corpus_available
from tests.fuzz.mutations import mutate

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "fuzz"


def _seeds() -> dict[str, list[str]]:
    fixtures = REPO / "tests" / "server" / "migrations" / "fixtures"
    seeds: dict[str, list[str]] = {
        "prisma": [p.read_text() for p in sorted((REPO / "samples").rglob("*.prisma"))],
        "typescript": [p.read_text() for p in sorted((REPO / "samples").rglob("*.ts"))],
    }
    from tests.server.queries.test_robustness import SQL, _seeds

    for orm in ("prisma", "typeorm", "sequelize"):
        seeds[f"queries-{orm}"] = list(_seeds(orm))
    for dialect in ("postgresql", "mysql", "sqlite"):
        seeds[f"query-sql-{dialect}"] = [SQL]
    for dialect in ("postgresql", "mysql", "sqlite"):
        seeds[dialect] = [
            p.read_text() for p in sorted((fixtures / dialect / "migrations").glob("*/*.sql"))
        ]
    if corpus_available() is None:
        seeds["prisma"] += [p.read_text() for p in sorted(CORPUS.rglob("*.prisma"))]
        seeds["typescript"] += [
            p.read_text(errors="replace") for p in sorted((CORPUS / "typeorm").rglob("*.ts"))[:200]
        ]
        for dialect, folder in (
            ("postgresql", "calcom"),
            ("mysql", "umami/db/mysql"),
            ("sqlite", "pingvin-share"),
        ):
            seeds[dialect] += [p.read_text() for p in sorted((CORPUS / folder).rglob("*.sql"))]
    return seeds


def _checkers() -> dict[str, Callable[[str], None]]:
    from tests.server.migrations.test_fuzz import check_migration
    from tests.server.queries.test_robustness import check_queries, check_sql
    from tests.server.sources.prisma.test_robustness import _check as check_prisma
    from tests.server.sources.typescript.test_robustness import _exercise

    return {
        "prisma": check_prisma,
        "typescript": lambda text: _exercise("fuzz.ts", text),
        "postgresql": lambda text: check_migration("postgresql", text),
        "mysql": lambda text: check_migration("mysql", text),
        "sqlite": lambda text: check_migration("sqlite", text),
        **{
            f"queries-{orm}": (lambda text, orm=orm: check_queries(orm, text))
            for orm in ("prisma", "typeorm", "sequelize")
        },
        **{
            f"query-sql-{dialect}": (lambda text, dialect=dialect: check_sql(dialect, text))
            for dialect in ("postgresql", "mysql", "sqlite")
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds, checkers = _seeds(), _checkers()
    tried = dict.fromkeys(checkers, 0)
    failed = dict.fromkeys(checkers, 0)
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        for reader, check in checkers.items():
            if not seeds[reader]:
                continue
            text = mutate(rng.choice(seeds[reader]), rng)
            tried[reader] += 1
            try:
                check(text)
            except Exception:
                failed[reader] += 1
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                out = ARTIFACTS / f"{reader}-{failed[reader]}.txt"
                out.write_text(text, errors="surrogatepass")
                print(f"{reader}: failure kept in {out}\n{traceback.format_exc(limit=3)}")
    print(f"{'reader':22} {'inputs':>8} {'failures':>9}")
    for reader in checkers:
        print(f"{reader:22} {tried[reader]:>8} {failed[reader]:>9}")
    return 1 if any(failed.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
