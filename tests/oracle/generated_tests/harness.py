"""Run the tests `schemasense generate tests` writes, with Vitest or Jest, against a real
database.

A sample is copied to a scratch folder and made runnable the way its developer would: Prisma 7
wants the datasource `url` out of the schema (the copy's `url` lines are blanked), its client is
generated offline (`PRISMA_SCHEMA_ENGINE_BINARY=/bin/true`, generator `prisma-client-js` into the
copy's own `node_modules/.prisma`, so the shared node_modules is never written), and a sample
with no migrations gets its first one from `schemasense generate migration`. Then the tests are
generated into the copy and the runner runs them once, with its JSON reporter, on a fresh
database (`run_tests`: Vitest, or Jest through @swc/jest).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.oracle.prisma import REPO_ROOT, _node, strip_for_prisma7

NODE_MODULES = REPO_ROOT / "node_modules"
PRISMA_NEEDS = ("vitest", "prisma", "@prisma/client", "@prisma/adapter-pg", "pg", "typescript")
JEST_NEEDS = ("jest", "@jest/globals", "@swc/jest", "@swc/core")


def unavailable(needs: tuple[str, ...] = PRISMA_NEEDS) -> str | None:
    """Why the generated tests cannot run here (for pytest.skip), or None."""
    if _node() is None:
        return "node is not on PATH"
    missing = [p for p in needs if not (NODE_MODULES / p / "package.json").is_file()]
    if missing:
        return f"npm packages missing ({', '.join(missing)}): run `npm ci` at the repository root"
    return None


def copy_project(sample: Path, dest: Path) -> Path:
    shutil.copytree(sample, dest, ignore=shutil.ignore_patterns("node_modules", "test"))
    return dest


def link_node_modules(dest: Path, private: tuple[str, ...] = ()) -> None:
    """`dest/node_modules`: a link to each shared package, and a copy of each `private` one
    (a package a generator writes into)."""
    modules = dest / "node_modules"
    modules.mkdir()
    scoped: dict[str, list[str]] = {}
    for name in private:
        if "/" in name:
            scope, pkg = name.split("/", 1)
            scoped.setdefault(scope, []).append(pkg)
    for entry in sorted(NODE_MODULES.iterdir()):
        if entry.name in private:
            shutil.copytree(entry, modules / entry.name, symlinks=True)
        elif entry.name in scoped:
            (modules / entry.name).mkdir()
            for inner in sorted(entry.iterdir()):
                if inner.name in scoped[entry.name]:
                    shutil.copytree(inner, modules / entry.name / inner.name, symlinks=True)
                else:
                    (modules / entry.name / inner.name).symlink_to(inner)
        elif entry.name not in (".prisma", ".cache", ".package-lock.json"):
            (modules / entry.name).symlink_to(entry)


def prepare_prisma(sample: Path, dest: Path, edit=None) -> Path:
    """A runnable copy of a Prisma sample at `dest` (see the module's doc). `edit(dest)`, when
    given, changes the copy's schema before anything is generated."""
    from schemasense.server.workflows.generate_migration import run_cli as migrate

    copy_project(sample, dest)
    for path in dest.rglob("*.prisma"):
        path.write_text(strip_for_prisma7(path.read_text()))
    if edit is not None:
        edit(dest)
    if not any(dest.rglob("migration.sql")):
        out = io.StringIO()
        code = migrate(str(dest), "init", out=out, err=out)
        assert code == 0, out.getvalue()
    link_node_modules(dest, private=("@prisma/client",))
    schema = json.loads((dest / "package.json").read_text()).get("prisma", {}).get("schema")
    proc = subprocess.run(
        [str(dest / "node_modules" / ".bin" / "prisma"), "generate"]
        + (["--schema", schema] if schema else []),
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true", "CHECKPOINT_DISABLE": "1"},
    )
    assert proc.returncode == 0, f"prisma generate failed:\n{proc.stdout}{proc.stderr}"
    return dest


def switch_provider(provider: str):
    """An `edit` for `prepare_prisma`: the copy's datasource on `provider`, its PostgreSQL
    native types (`@db.Uuid`, `@db.Timestamptz(3)`, ...) dropped."""

    def edit(dest: Path) -> None:
        hits = 0
        for path in dest.rglob("*.prisma"):
            text = path.read_text()
            text, n = re.subn(
                r'provider(\s*)=(\s*)"postgresql"', rf'provider\1=\2"{provider}"', text
            )
            hits += n
            path.write_text(re.sub(r"[ \t]+@db\.\w+(\([^)]*\))?", "", text))
        assert hits == 1, f"{dest}: {hits} PostgreSQL datasources"

    return edit


def generate(dest: Path, *args: str) -> str:
    from schemasense.server.workflows.generate_tests import run_cli

    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(dest)
        code = run_cli(".", stdout=out, **_options(args))
    finally:
        os.chdir(cwd)
    assert code == 0, out.getvalue()
    return out.getvalue()


def _options(args: tuple[str, ...]) -> dict:
    options: dict = {}
    it = iter(args)
    for a in it:
        if a == "--model":
            options.setdefault("models", []).append(next(it))
        elif a == "--out":
            options["out"] = next(it)
        elif a == "--runner":
            options["runner"] = next(it)
    return options


def run_vitest(
    dest: Path, url: str, out: str = "test/db", env: dict | None = None
) -> dict[str, str]:
    """Vitest once over the generated tests: {full test name: passed|failed|...}."""
    report = dest / "vitest-report.json"
    proc = subprocess.run(
        [
            str(dest / "node_modules" / ".bin" / "vitest"),
            "run",
            "--config",
            f"{out}/vitest.config.ts",
            "--reporter=json",
            f"--outputFile={report}",
        ],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "VITE_CONFIG_NATIVE_IGNORE_WARNING": "true",
            **(env or {}),
        },
    )
    if not report.is_file():
        raise AssertionError(f"vitest wrote no report:\n{proc.stdout}{proc.stderr}")
    data = json.loads(report.read_text())
    results: dict[str, str] = {}
    for file in data["testResults"]:
        stem = Path(file["name"]).name
        if not file["assertionResults"] and file.get("message"):
            results[f"{stem} (file)"] = "failed: " + file["message"][:2000]
        for test in file["assertionResults"]:
            results[f"{stem} > {test['fullName']}"] = test["status"]
    return results


def run_jest(dest: Path, url: str, out: str = "test/db", env: dict | None = None) -> dict[str, str]:
    """Jest once over the generated tests: {full test name: passed|failed|...}, named as
    `run_vitest` names them (Jest's JSON report has Vitest's shape)."""
    report = dest / "jest-report.json"
    proc = subprocess.run(
        [
            str(dest / "node_modules" / ".bin" / "jest"),
            "--config",
            f"{out}/jest.config.cjs",
            "--json",
            f"--outputFile={report}",
            "--ci",
        ],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "DATABASE_URL": url, **(env or {})},
    )
    if not report.is_file():
        raise AssertionError(f"jest wrote no report:\n{proc.stdout}{proc.stderr}")
    data = json.loads(report.read_text())
    results: dict[str, str] = {}
    for file in data["testResults"]:
        stem = Path(file["name"]).name
        if not file["assertionResults"] and file.get("message"):
            results[f"{stem} (file)"] = "failed: " + file["message"][:2000]
        for test in file["assertionResults"]:
            results[f"{stem} > {test['fullName']}"] = test["status"]
    if not results and proc.returncode != 0:
        results["(run)"] = "failed: " + (proc.stdout + proc.stderr)[-2000:]
    return results


def run_tests(dest: Path, url: str, runner: str = "vitest", **options) -> dict[str, str]:
    """The generated tests once, with `runner`."""
    return (run_jest if runner == "jest" else run_vitest)(dest, url, **options)


def failed(results: dict[str, str]) -> set[str]:
    return {
        name
        for name, status in results.items()
        if status not in ("passed", "todo", "pending", "skipped")
    }


def edit_sql(dest: Path, pattern: str, replacement: str) -> None:
    """Change every migration.sql of the copy (a mutation): `pattern` must match."""
    hits = 0
    for path in dest.rglob("migration.sql"):
        text = path.read_text()
        new, n = re.subn(pattern, replacement, text)
        hits += n
        path.write_text(new)
    assert hits, f"{pattern!r} is in no migration"


TYPEORM_NEEDS = ("vitest", "typeorm", "typeorm-0.3", "typeorm-naming-strategies", "pg", "sql.js")


def prepare_typeorm(sample: Path, dest: Path) -> Path:
    """A runnable copy of a TypeORM sample: its declared TypeORM version as `typeorm` (0.3
    through the `typeorm-0.3` alias; `typeorm-naming-strategies` copied so that it extends
    that version's naming strategy), and a better-sqlite3 DataSource switched to sql.js
    (better-sqlite3 is a native module this machine does not build; sql.js is TypeORM's
    SQLite driver in wasm, with the same query runner)."""
    from tests.oracle.typeorm.harness import typeorm_version

    copy_project(sample, dest)
    version = typeorm_version(sample)
    modules = dest / "node_modules"
    modules.mkdir()
    for entry in sorted(NODE_MODULES.iterdir()):
        if entry.name in (".prisma", ".cache", ".package-lock.json"):
            continue
        if entry.name == "typeorm":
            target = NODE_MODULES / ("typeorm-0.3" if version == "0.3" else "typeorm")
            (modules / "typeorm").symlink_to(target)
        elif entry.name == "typeorm-naming-strategies":
            shutil.copytree(entry, modules / entry.name, symlinks=True)
        else:
            (modules / entry.name).symlink_to(entry)
    for path in (dest / "src").rglob("data-source.ts"):
        path.write_text(path.read_text().replace('type: "better-sqlite3"', 'type: "sqljs"'))
    return dest


def edit_text(path: Path, pattern: str, replacement: str) -> None:
    """Change one file of the copy (a mutation): `pattern` must match."""
    text = path.read_text()
    new, n = re.subn(pattern, replacement, text)
    assert n, f"{pattern!r} is not in {path}"
    path.write_text(new)
