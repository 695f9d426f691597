"""The migration runners `--verify` drives (`feature_verify.py`), one per migration tool.

- Prisma: `SqlRunner` applies each folder's `migration.sql` in order, one transaction each
  (as the generated tests' set-up does, and `prisma migrate deploy` would; a file that builds
  an index `CONCURRENTLY`, alone in its migration, is sent without one, as Prisma's engine
  does), and undoes the last with its `down.sql`; `prisma_generate` refreshes the client the
  tests import.
- TypeORM and Sequelize: `NodeRunner` runs the project's own runner under its Vitest, or its
  Jest (through @swc/jest) in a Jest project (`feature_verify_node.py`).

A failure raises `StepFailed` with the database's error as a `DbError`.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field

from schemasense.server.workflows import feature_verify_node as node
from schemasense.server.workflows.feature_verify_copy import in_copy
from schemasense.server.workflows.feature_verify_explain import (
    DbError,
    from_exception,
    from_node,
)

_CONCURRENTLY = re.compile(
    r"^\s*(?:CREATE|DROP)\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b", re.I | re.M
)
"""A statement PostgreSQL refuses in a transaction block: Prisma's engine sends such a file
(the safe plan puts it alone in its migration) as one query, which PostgreSQL does not wrap."""


class StepFailed(Exception):
    """A step failed: `detail` for the report's table, the database's `error`, the tests'
    results, the catalog's differences; `step` is set by the step that raised it."""

    def __init__(self, detail: str, error: DbError | None = None, tests=(), differences=()):
        super().__init__(detail)
        self.detail = detail
        self.error = error
        self.tests = tuple(tests)
        self.differences = tuple(differences)
        self.step: str | None = None


def prisma_generate(feature, copy: str) -> None:
    """The Prisma client the tests import, generated for the schema with the new models."""
    if feature.project.orm != "prisma":
        return None
    prisma = os.path.join(copy, "node_modules", ".bin", "prisma")
    if not os.path.exists(prisma):
        raise StepFailed("the Prisma CLI is not installed in the project (npm install prisma)")
    schema = os.path.relpath(feature.migration.project.unit.key, feature.project.root)
    proc = subprocess.run(
        [prisma, "generate", "--schema", schema],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-10:])
        raise StepFailed(f"prisma generate failed:\n{tail}")
    return None


@dataclass
class SqlRunner:
    """Prisma's migrations: each folder's `migration.sql` in order, one transaction each;
    undone by the feature's `down.sql`."""

    folder: str
    applied: list[str] = field(default_factory=list)

    def up(self, url: str) -> None:
        from schemasense.server.verify.apply import apply

        if not os.path.isdir(self.folder):
            return
        for name in sorted(os.listdir(self.folder)):
            sql = os.path.join(self.folder, name, "migration.sql")
            if name in self.applied or not os.path.isfile(sql):
                continue
            with open(sql, encoding="utf-8") as fh:
                text = fh.read()
            try:  # a file that builds an index CONCURRENTLY is sent without a transaction
                apply(url, text, transaction=_CONCURRENTLY.search(text) is None)
            except Exception as exc:
                raise StepFailed(f"{name}/migration.sql failed", from_exception(exc)) from None
            self.applied.append(name)

    def down(self, url: str) -> None:
        from schemasense.server.verify.apply import apply

        last = self.applied[-1]
        path = os.path.join(self.folder, last, "down.sql")
        if not os.path.isfile(path):
            raise StepFailed(f"{last} has no down.sql to undo it with")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            apply(url, text)
        except Exception as exc:
            raise StepFailed(f"{last}/down.sql failed", from_exception(exc)) from None
        self.applied.pop()


@dataclass
class NodeRunner:
    """TypeORM's or Sequelize's own runner (`feature_verify_node`)."""

    root: str
    orm: str
    folder: str
    runner: str = "vitest"
    """The project's test runner the driver runs under (`vitest`, or `jest`)."""

    def up(self, url: str) -> None:
        self._run(url, "up")

    def down(self, url: str) -> None:
        self._run(url, "down")

    def _run(self, url: str, action: str) -> None:
        result = node.run_migrations(self.root, self.orm, self.folder, url, action, self.runner)
        if not result.get("ok"):
            error = from_node(result.get("error") or {})
            raise StepFailed(f"the {self.orm} migration runner failed ({action})", error)


def runner_for(feature, copy: str):
    folder = in_copy(feature, copy, feature.migration.project.folder)
    if feature.project.orm == "prisma":
        return SqlRunner(folder)
    return NodeRunner(copy, feature.project.orm, folder, test_runner_of(feature))


def test_runner_of(feature) -> str:
    """`jest` where the project runs Jest (the generated tests are Jest's), else `vitest`."""
    return "jest" if feature.project.test_runner == "jest" else "vitest"
