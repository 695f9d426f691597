"""The long fuzz run (robustness issue, item 1): mutations of real input for every reader, as
many as the time allows, with the count of inputs tried and of failures per reader.

    .venv/bin/python -m tests.fuzz.run [--seconds 600] [--seed 1] [--reader prisma ...]

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
    seeds["sql-ddl"] = [
        p.read_text() for p in sorted((REPO / "tests" / "fixtures" / "sql_ddl").glob("*.sql"))
    ]
    seeds["typeorm"] = [p.read_text() for p in _unit_files("typeorm-")]
    seeds["sequelize"] = [p.read_text() for p in _unit_files("sequelize-")]
    return seeds


def _unit_files(prefix: str) -> list[Path]:
    """The entity/model and set-up files of the samples whose name starts with `prefix`."""
    found: list[Path] = []
    for sample in sorted((REPO / "samples").glob(f"{prefix}*")):
        for path in sorted(sample.rglob("*")):
            if "node_modules" in path.parts or path.suffix not in (".ts", ".js"):
                continue
            if any(w in path.name for w in ("entity", "data-source", "model", "config", "index")):
                found.append(path)
    return found


def _unit(prefix: str) -> dict[str, str]:
    """A sample's unit as the reader takes it: file id -> text, package.json among them."""
    sample = next(iter(sorted((REPO / "samples").glob(f"{prefix}*"))))
    texts = {str(p): p.read_text() for p in _unit_files(prefix) if sample in p.parents}
    texts[str(sample / "package.json")] = (sample / "package.json").read_text()
    return texts


def _check_unit(prefix: str, text: str, read: Callable[[dict[str, str]], object]) -> None:
    """Read a sample's unit with `text` (a mutated unit file) in place of one of its files,
    chosen by the text's length, so every file of the unit takes mutations in turn."""
    texts = _unit(prefix)
    names = sorted(k for k in texts if not k.endswith("package.json"))
    texts[names[len(text) % len(names)]] = text
    read(texts)


def _checkers() -> dict[str, Callable[[str], None]]:
    from schemasense.server.sources.sequelize.reader import read_models
    from schemasense.server.sources.sql_ddl.reader import read_ddl
    from schemasense.server.sources.typeorm.reader import read_typeorm

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
        "sql-ddl": lambda text: _read_all(read_ddl({"/p/schema.sql": text})),
        "typeorm": lambda text: _check_unit("typeorm-", text, lambda t: _read_all(read_typeorm(t))),
        "sequelize": lambda text: _check_unit(
            "sequelize-", text, lambda t: _read_all(read_models(t))
        ),
        **{
            f"queries-{orm}": (lambda text, orm=orm: check_queries(orm, text))
            for orm in ("prisma", "typeorm", "sequelize")
        },
        **{
            f"query-sql-{dialect}": (lambda text, dialect=dialect: check_sql(dialect, text))
            for dialect in ("postgresql", "mysql", "sqlite")
        },
    }


def _read_all(read: object) -> None:
    """Touch every finding's range, as the server does when it publishes them."""
    for finding in getattr(read, "findings", None) or []:
        rng = getattr(finding, "range", None)
        if rng is not None:
            str(rng)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reader", action="append", help="only this reader (repeatable); the time is per run"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds, checkers = _seeds(), _checkers()
    if args.reader:
        checkers = {name: checkers[name] for name in args.reader}
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
