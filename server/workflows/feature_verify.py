"""`schemasense generate feature --verify [URL]`: prove the feature on a scratch database before
anything is written.

A temporary copy of the project is made (`feature_verify_copy.py`: its node_modules linked,
never written), and on two scratch databases (`server/verify/scratch.py`: a private embedded
PostgreSQL by default, else new databases on the server a URL names, or temporary SQLite
files) these steps run, in order, each timed:

1. **migrate**: the project's existing migrations, as its own tool runs them (Prisma's
   `migration.sql` files in order, in a transaction each; TypeORM's runner; umzug on
   sequelize-cli's record: `feature_verify_runners.py`, `feature_verify_node.py`). The
   catalog is read back: "before".
2. the feature's files are written into the copy (for Prisma, `prisma generate` refreshes the
   client the tests use); **up**: the feature's migration, by the same runner.
3. **tests**: the feature's generated tests under the project's Vitest, `DATABASE_URL` naming
   the second scratch database (the tests' own set-up builds it, as in CI).
4. **down**: the feature's migration undone by the runner (`down.sql`, `migration:revert`'s
   `undoLastMigration`, `db:migrate:undo`'s `umzug.down`).
5. **catalog restored**: the catalog read back equals "before" (`server/verify/compare.py`).

The first step that fails stops the run (but failing tests, which ran on a database of their
own, let down and the catalog check still run); the result names it, with the database's
error, what a constraint that refused rows means and how to fix the data or the schema
(`feature_verify_explain.py`), and the rollback (the down migration, the project's command).
Whatever happens (a failure, an exception, Ctrl-C, SIGTERM), the scratch databases are dropped,
the embedded cluster stopped and removed, and the copy deleted: nothing is left behind, and
the caller writes the project's files only when every step passed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from schemasense.server.verify.compare import compare
from schemasense.server.verify.databases import introspect, provider_of
from schemasense.server.verify.scratch import ScratchError, embedded_postgres, scratch_databases
from schemasense.server.workflows import feature_verify_node as node
from schemasense.server.workflows.feature_verify_copy import (
    CopyError,
    copy_project,
    in_copy,
    write_into,
)
from schemasense.server.workflows.feature_verify_explain import DbError, explain
from schemasense.server.workflows.feature_verify_runners import (
    StepFailed,
    prisma_generate,
    runner_for,
    test_runner_of,
)

FAMILY = {
    "postgresql": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}

STEPS = ("migrate", "up", "tests", "down", "catalog restored")


class VerifyUnavailable(Exception):
    """Verification cannot start here (no database, no Node, no Vitest): the message says
    what to install or pass."""


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class TestOutcome:
    name: str
    status: str
    message: str = ""


@dataclass(frozen=True)
class Verification:
    database: str
    """Where it ran: `embedded PostgreSQL`, the URL (password hidden), or `SQLite`."""
    steps: tuple[Step, ...]
    tests: tuple[TestOutcome, ...] = ()
    error: DbError | None = None
    explanation: tuple[str, ...] = ()
    down: str = ""
    rollback: str = ""
    differences: tuple[str, ...] = ()
    error_step: str | None = None
    """The step `error` comes from (failing tests do not stop down and the catalog check)."""

    @property
    def ok(self) -> bool:
        return len(self.steps) == len(STEPS) and all(s.ok for s in self.steps)

    @property
    def failed_step(self) -> str | None:
        return next((s.name for s in self.steps if not s.ok), None)


def verify(feature, url: str | None = None) -> Verification:
    """Run the steps (module docstring) for a prepared, unwritten `feature`. Raises
    VerifyUnavailable when it cannot start; a step that fails is in the result."""
    project = feature.project
    family = FAMILY.get(project.dialect, "postgresql")
    if url:
        try:
            given = provider_of(url)
        except ValueError as exc:
            raise VerifyUnavailable(str(exc)) from None
        if given != family:
            raise VerifyUnavailable(
                f"the project's migrations are written for {project.dialect}; verify them on "
                f"a {family} database (--verify {_example(family)})"
            )
    elif family == "mysql":
        raise VerifyUnavailable(
            f"the project is on {project.dialect}: pass a server to verify on "
            "(--verify mysql://root@127.0.0.1:3306/); a scratch database is created there"
        )
    steps: list[Step] = []
    found: dict = {"tests": (), "error": None, "error_step": None, "differences": ()}
    where = _where(url, family)
    try:
        with (
            _interrupts_as_keyboard(),
            tempfile.TemporaryDirectory(prefix="schemasense-verify-") as tmp,
            _server(url, family) as server,
            _scratch(server) as (steps_url, tests_url),
        ):
            copy = copy_project(project.root, os.path.join(tmp, "project"), project.orm)
            # no Vitest (or Jest, in a Jest project): verification cannot start (NodeError)
            node.test_runner(copy, test_runner_of(feature))
            runner = runner_for(feature, copy)
            before = _step(steps, "migrate", lambda: _up_and_read(runner, steps_url))
            write_into(feature, copy)
            _step(steps, "up", lambda: prisma_generate(feature, copy) or runner.up(steps_url))
            failed_tests = None
            try:
                found["tests"] = _step(steps, "tests", lambda: _tests(feature, copy, tests_url))
            except StepFailed as exc:  # the tests ran on their own database: go on with down
                failed_tests = exc
                found["tests"] = exc.tests
            _step(steps, "down", lambda: runner.down(steps_url))
            _step(steps, "catalog restored", lambda: _restored(before, steps_url, family))
            if failed_tests is not None:
                raise failed_tests
    except StepFailed as exc:
        found["error"] = exc.error
        found["error_step"] = exc.step
        found["differences"] = exc.differences
        if exc.tests:
            found["tests"] = exc.tests
    except (ScratchError, node.NodeError, CopyError) as exc:  # before the first step
        raise VerifyUnavailable(str(exc)) from None
    tests = found["tests"] or ()
    result = Verification(where, tuple(steps), tuple(tests))
    if result.ok:
        return result
    from schemasense.server.workflows.feature_report import commands

    error: DbError | None = found["error"]  # type: ignore[assignment]
    after = feature.migration.migration.after
    rollback = next((cmd for what, cmd in commands(feature) if what == "roll back"), "")
    lines = explain(error, after) if error is not None else []
    if family == "mysql" and found["error_step"] in ("migrate", "up", "down"):
        lines.append(
            f"{project.dialect} commits each DDL statement itself: where this migration ran, "
            "the statements before the failing one stay applied (and the migration is not "
            "recorded as run); undo them by hand, as the down migration below does, before "
            "running it again"
        )
    return Verification(
        where,
        tuple(steps),
        tuple(tests),
        error,
        tuple(lines),
        feature.migration.migration.down.text,
        rollback,
        tuple(found["differences"]),  # type: ignore[arg-type]
        found["error_step"],
    )


def _step(steps: list[Step], name: str, run: Callable[[], object]) -> object:
    """Run one step, timed; a failure is recorded and stops the run (`StepFailed`)."""
    start = time.monotonic()
    try:
        value = run()
    except StepFailed as exc:
        steps.append(Step(name, False, time.monotonic() - start, exc.detail))
        exc.step = name
        raise
    except node.NodeError as exc:  # Node or Vitest itself failed in this step
        steps.append(Step(name, False, time.monotonic() - start, str(exc)))
        failed = StepFailed(str(exc), DbError(str(exc)))
        failed.step = name
        raise failed from None
    detail = ""
    if isinstance(value, tuple) and value and isinstance(value[0], TestOutcome):
        passed = sum(t.status == "passed" for t in value)
        detail = f"{passed} passed"
    steps.append(Step(name, True, time.monotonic() - start, detail))
    return value


# -- where -----------------------------------------------------------------------------------


def _example(family: str) -> str:
    return {
        "postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
        "mysql": "mysql://root@127.0.0.1:3306/",
        "sqlite": "sqlite",
    }[family]


def _where(url: str | None, family: str) -> str:
    if not url:
        return "a temporary SQLite file" if family == "sqlite" else "embedded PostgreSQL"
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


@contextlib.contextmanager
def _server(url: str | None, family: str) -> Iterator[str]:
    if url and family != "sqlite":
        yield url
    elif family == "sqlite":
        yield "sqlite:///scratch.db"  # only the scheme counts: scratch files are temporary
    else:
        with embedded_postgres() as embedded:
            yield embedded


@contextlib.contextmanager
def _scratch(server: str) -> Iterator[tuple[str, str]]:
    with scratch_databases(server, 2) as (a, b):
        yield a, b


@contextlib.contextmanager
def _interrupts_as_keyboard() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while verifying, so the `finally`s that drop the
    scratch databases run on a kill as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- tests and the catalog ---------------------------------------------------------------------


def _up_and_read(runner, url: str):
    runner.up(url)
    return introspect(url)


def _tests(feature, copy: str, url: str) -> tuple[TestOutcome, ...]:
    files = [
        in_copy(feature, copy, f.path)
        for f in feature.by_kind("test")
        if f.path.endswith((".test.ts", ".test.js", ".spec.ts", ".spec.js"))
    ]
    if not files:
        return ()
    runner = test_runner_of(feature)
    config = _config(copy, files[0], _JEST_CONFIGS if runner == "jest" else _VITEST_CONFIGS)
    results = node.run_tests(copy, config, files, url, runner)
    outcomes = tuple(TestOutcome(r.name, r.status, r.message) for r in results)
    bad = [t for t in outcomes if t.status not in ("passed", "skipped", "pending", "todo")]
    if bad or not outcomes:
        detail = f"{len(bad)} of {len(outcomes)} tests failed" if outcomes else "no tests ran"
        first = bad[0].message.strip().splitlines()[0] if bad and bad[0].message.strip() else ""
        raise StepFailed(detail, DbError(first) if first else None, outcomes)
    return outcomes


_VITEST_CONFIGS = ("vitest.config.ts", "vitest.config.mts", "vitest.config.js")
_JEST_CONFIGS = ("jest.config.cjs", "jest.config.js", "jest.config.ts", "jest.config.mjs")


def _config(copy: str, test_file: str, names: tuple[str, ...]) -> str | None:
    """The nearest test-runner configuration above the tests (the generated one beside them)."""
    here = os.path.dirname(test_file)
    while here.startswith(copy):
        for name in names:
            if os.path.isfile(os.path.join(here, name)):
                return os.path.relpath(os.path.join(here, name), copy)
        if here == copy:
            break
        here = os.path.dirname(here)
    return None


def _restored(before, url: str, family: str) -> None:
    differences = compare(
        before, introspect(url), provider=family, left_name="before", right_name="after down"
    )
    if differences:
        raise StepFailed(
            f"the down migration left {len(differences)} difference(s)",
            differences=[str(d) for d in differences],
        )


def as_report(v: Verification):
    """The report's `verify` part (`codegen.emit.report.feature.VerifyReport`)."""
    from schemasense.codegen.emit.report.feature import StepReport, TestResultReport, VerifyReport

    error = None
    if v.error is not None:
        error = v.error.message
        if v.error.detail:
            error += f"\nDETAIL: {v.error.detail}"
        if v.error.code:
            error += f"\n(code {v.error.code})"
    return VerifyReport(
        v.database,
        v.ok,
        tuple(StepReport(s.name, s.ok, round(s.seconds, 1), s.detail) for s in v.steps),
        tuple(TestResultReport(t.name, t.status, t.message) for t in v.tests),
        v.failed_step,
        error,
        v.error.statement if v.error is not None else None,
        v.explanation,
        v.down,
        v.rollback,
        v.differences,
        v.error_step,
    )
