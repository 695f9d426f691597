"""The Node half of `--verify`: the project's own migration runner, and its tests, under Vitest.

TypeORM migrations are TypeScript classes and Sequelize migrations are modules; only their own
runners run them as they will run in production. So `--verify` writes a small driver into its
temporary copy of the project (never into the project): `.schemasense-verify/migrate.test.ts`,
which runs the migrations with TypeORM's `runMigrations` / `undoLastMigration` (the runner behind
`typeorm migration:run` / `migration:revert`) or with umzug on sequelize-cli's `SequelizeMeta`
record (the runner behind `sequelize-cli db:migrate` / `db:migrate:undo`), and writes what
happened, or the database's error with its fields, as JSON. Vitest runs it because Vitest is
what runs the generated tests, and it compiles TypeScript with decorators on the way.

`run_tests` runs the feature's generated test files with the project's Vitest and its config,
`DATABASE_URL` set to a scratch database (and `DATABASE_FILE` to a SQLite one, which the
generated TypeORM set-up for SQLite reads), and returns each test's result.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass

from schemasense.server.verify.databases import provider_of, sqlite_path

DRIVER_DIR = ".schemasense-verify"
TIMEOUT = 900

_CLASS = re.compile(r"export\s+class\s+(\w+)\s+implements\s+MigrationInterface")


class NodeError(Exception):
    """Node, Vitest or a package the step needs is missing, or Vitest itself failed."""


@dataclass(frozen=True)
class TestResult:
    name: str
    status: str
    """`passed`, `failed`, `skipped`, ..."""
    message: str = ""


def vitest(root: str) -> str:
    path = os.path.join(root, "node_modules", ".bin", "vitest")
    if not os.path.exists(path):
        raise NodeError(
            "Vitest is not installed in the project (node_modules/.bin/vitest): `npm install` "
            "(the feature's tests add it to devDependencies), then verify again"
        )
    return path


JEST_NEEDS = ("jest", "@swc/jest", "@swc/core", "@jest/globals")
"""What a Jest project runs the generated tests and the migration runner with (the tests
generator adds them to devDependencies): TypeScript compiled by @swc/jest."""


def jest(root: str) -> str:
    path = os.path.join(root, "node_modules", ".bin", "jest")
    missing = [p for p in JEST_NEEDS if not os.path.isdir(os.path.join(root, "node_modules", p))]
    if not os.path.exists(path) or missing:
        raise NodeError(
            "Jest is not installed in the project ("
            + (", ".join(missing) or "node_modules/.bin/jest")
            + "): `npm install` (the feature's tests add it to devDependencies), then verify again"
        )
    return path


def test_runner(root: str, runner: str) -> str:
    """The project's test runner's executable (`vitest` or `jest`); NodeError when missing."""
    return jest(root) if runner == "jest" else vitest(root)


def migration_files(folder: str, orm: str) -> list[str]:
    """The project's migration files in the order its runner takes them (by name)."""
    if not os.path.isdir(folder):
        return []
    exts = (".ts", ".js", ".cjs", ".mjs") if orm == "sequelize" else (".ts", ".js")
    names = sorted(n for n in os.listdir(folder) if n.endswith(exts) and not n.endswith(".d.ts"))
    return [os.path.join(folder, n) for n in names]


def _spec(path: str, driver_dir: str) -> str:
    spec = os.path.relpath(os.path.splitext(path)[0], driver_dir).replace(os.sep, "/")
    return spec if spec.startswith(".") else "./" + spec


_DESCRIBE = """
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function describe(error: any): Record<string, unknown> {
  let e = error;
  const seen = new Set();
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const next = e.driverError ?? e.original ?? e.parent ?? e.cause;
    if (!next || typeof next !== "object") break;
    e = next;
  }
  return {
    message: String(e?.message ?? error),
    outer: String(error?.message ?? ""),
    code: e?.code ?? null,
    errno: e?.errno ?? null,
    constraint: e?.constraint ?? null,
    table: e?.table ?? null,
    column: e?.column ?? null,
    detail: e?.detail ?? null,
    query: error?.query ?? error?.sql ?? e?.sql ?? null,
  };
}

test("schemasense verify: migrations", async () => {
  const out = String(process.env.SCHEMASENSE_VERIFY_OUT);
  try {
    const applied = await run(String(process.env.SCHEMASENSE_VERIFY_ACTION));
    writeFileSync(out, JSON.stringify({ ok: true, applied }));
  } catch (error) {
    writeFileSync(out, JSON.stringify({ ok: false, error: describe(error) }));
  }
});
"""


_NO_TRANSACTION = re.compile(r"^\s*(?:public\s+)?transaction\s*=\s*false\b", re.M)
"""A class TypeORM must run outside a transaction (the safe plan's `CREATE INDEX
CONCURRENTLY` step): refused by the transaction mode "all", so the runner takes "each"."""


def typeorm_driver(files: list[str], driver_dir: str, url: str) -> str:
    imports, names = [], []
    mode = "all"  # TypeORM CLI's default; "each" where a class says `transaction = false`
    for i, path in enumerate(files):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        found = _CLASS.search(text)
        if found is None:
            continue
        if _NO_TRANSACTION.search(text):
            mode = "each"
        imports.append(f'import {{ {found.group(1)} as M{i} }} from "{_spec(path, driver_dir)}";')
        names.append(f"M{i}")
    provider = provider_of(url)
    if provider == "postgresql":
        options = '{ type: "postgres", url, migrations: MIGRATIONS, logging: false }'
    elif provider == "mysql":
        options = '{ type: "mysql", url, migrations: MIGRATIONS, logging: false }'
    else:
        options = _typeorm_sqlite(driver_dir, sqlite_path(url))
    return "\n".join(
        [
            "// Written by `schemasense generate feature --verify` into a temporary copy.",
            'import "reflect-metadata";',
            'import { writeFileSync } from "node:fs";',
            'import { test } from "vitest";',
            'import { DataSource } from "typeorm";',
            'import type { DataSourceOptions } from "typeorm";',
            *imports,
            "",
            f"const MIGRATIONS = [{', '.join(names)}];",
            "",
            "async function run(action: string): Promise<string[]> {",
            "  const url = String(process.env.DATABASE_URL);",
            f"  const ds = new DataSource({options} as DataSourceOptions);",
            "  await ds.initialize();",
            "  try {",
            '    if (action === "up") {',
            f'      const ran = await ds.runMigrations({{ transaction: "{mode}" }});',
            "      return ran.map((m) => m.name);",
            "    }",
            f'    await ds.undoLastMigration({{ transaction: "{mode}" }});',
            "    return [];",
            "  } finally {",
            "    await ds.destroy();",
            "  }",
            "}",
            _DESCRIBE,
        ]
    )


def _typeorm_sqlite(driver_dir: str, path: str) -> str:
    """TypeORM's options for a SQLite file, with the driver the project has installed:
    better-sqlite3 or (before TypeORM 1, which dropped its `sqlite` driver) sqlite3 when built,
    else sql.js (SQLite in wasm, the same SQL)."""
    modules = os.path.join(os.path.dirname(driver_dir), "node_modules")
    built = {"better-sqlite3": os.path.join("build", "Release", "better_sqlite3.node")}
    if _major(os.path.join(modules, "typeorm", "package.json")) == 0:
        built["sqlite3"] = os.path.join("build", "Release", "node_sqlite3.node")
    for package, binary in built.items():
        if os.path.isfile(os.path.join(modules, package, binary)):
            kind = "better-sqlite3" if package == "better-sqlite3" else "sqlite"
            return (
                f'{{ type: "{kind}", database: {json.dumps(path)}, migrations: MIGRATIONS, '
                "logging: false }"
            )
    return (
        f'{{ type: "sqljs", location: {json.dumps(path)}, autoSave: true, '
        "migrations: MIGRATIONS, logging: false }"
    )


def _major(package_json: str) -> int | None:
    try:
        with open(package_json, encoding="utf-8") as fh:
            version = str(json.load(fh).get("version", ""))
    except (OSError, ValueError):
        return None
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def sequelize_driver(files: list[str], url: str) -> str:
    provider = provider_of(url)
    if provider == "sqlite":
        make = (
            f'new Sequelize({{ dialect: "sqlite", storage: {json.dumps(sqlite_path(url))}, '
            "logging: false })"
        )
    else:
        make = "new Sequelize(String(process.env.DATABASE_URL), { logging: false })"
    return "\n".join(
        [
            "// Written by `schemasense generate feature --verify` into a temporary copy.",
            'import { writeFileSync } from "node:fs";',
            'import { basename } from "node:path";',
            'import { pathToFileURL } from "node:url";',
            'import { Sequelize } from "sequelize";',
            'import { SequelizeStorage, Umzug } from "umzug";',
            'import { test } from "vitest";',
            "",
            f"const FILES: string[] = {json.dumps(files)};",
            "",
            "// eslint-disable-next-line @typescript-eslint/no-explicit-any",
            "async function load(path: string): Promise<any> {",
            "  const loaded = await import(pathToFileURL(path).href);",
            "  return loaded.default ?? loaded;",
            "}",
            "",
            "async function run(action: string): Promise<string[]> {",
            f"  const sequelize = {make};",
            "  const context = sequelize.getQueryInterface();",
            "  const umzug = new Umzug({",
            "    migrations: FILES.map((path) => ({",
            "      name: basename(path),",
            "      up: async () => (await load(path)).up(context, Sequelize),",
            "      down: async () => (await load(path)).down(context, Sequelize),",
            "    })),",
            "    context,",
            "    storage: new SequelizeStorage({ sequelize }),",
            "    logger: undefined,",
            "  });",
            "  try {",
            '    if (action === "up") return (await umzug.up()).map((m) => m.name);',
            "    await umzug.down();",
            "    return [];",
            "  } finally {",
            "    await sequelize.close();",
            "  }",
            "}",
            _DESCRIBE,
        ]
    )


_CONFIG = """// Written by `schemasense generate feature --verify` into a temporary copy.
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    root: resolve(__dirname, ".."),
    include: [".schemasense-verify/migrate.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
"""


_JEST_CONFIG = """// Written by `schemasense generate feature --verify` into a temporary copy.
const { resolve } = require("node:path");

module.exports = {
  rootDir: resolve(__dirname, ".."),
  roots: ["<rootDir>/.schemasense-verify"],
  testMatch: ["<rootDir>/.schemasense-verify/migrate.test.ts"],
  testEnvironment: "node",
  transform: {
    "^.+\\\\.[cm]?tsx?$": [
      "@swc/jest",
      {
        jsc: {
          target: "es5",
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true,
                       useDefineForClassFields: false },
        },
        module: { type: "commonjs" },
      },
    ],
  },
  moduleNameMapper: { "^(\\\\.{1,2}/.*)\\\\.js$": "$1" },
  testTimeout: 900000,
};
"""


def run_migrations(
    root: str, orm: str, folder: str, url: str, action: str, runner: str = "vitest"
) -> dict:
    """`action` (`up`: every pending migration; `down`: the last one) with the project's own
    runner on `url`, under the project's test runner (`vitest`, or `jest` through @swc/jest),
    which compiles the TypeScript. Returns the driver's JSON: `{ok, applied}` or `{ok: false,
    error}`."""
    driver_dir = os.path.join(root, DRIVER_DIR)
    os.makedirs(driver_dir, exist_ok=True)
    files = migration_files(folder, orm)
    text = (
        typeorm_driver(files, driver_dir, url) if orm == "typeorm" else sequelize_driver(files, url)
    )
    if runner == "jest":  # Jest's globals; its CommonJS output requires a migration by path
        text = text.replace(
            'import { test } from "vitest";', 'import { test } from "@jest/globals";'
        )
        text = text.replace(
            "const loaded = await import(pathToFileURL(path).href);",
            "const loaded = require(path);",
        ).replace('import { pathToFileURL } from "node:url";\n', "")
    with open(os.path.join(driver_dir, "migrate.test.ts"), "w", encoding="utf-8") as fh:
        fh.write(text)
    config = "jest.config.cjs" if runner == "jest" else "vitest.config.ts"
    with open(os.path.join(driver_dir, config), "w", encoding="utf-8") as fh:
        fh.write(_JEST_CONFIG if runner == "jest" else _CONFIG)
    out = os.path.join(driver_dir, "result.json")
    if os.path.exists(out):
        os.remove(out)
    if provider_of(url) == "mysql":  # mysql2 serves MariaDB; Sequelize's `mariadb:` wants more
        url = "mysql" + url[url.index(":") :]
    env = {"SCHEMASENSE_VERIFY_ACTION": action, "SCHEMASENSE_VERIFY_OUT": out}
    args = ["--config", f"{DRIVER_DIR}/{config}"]
    proc = _jest(root, [*args, "--ci"], url, env) if runner == "jest" else _vitest(
        root, args, url, env
    )  # fmt: skip
    if not os.path.isfile(out):
        raise NodeError(f"the migration runner did not run: {_tail(proc)}")
    with open(out, encoding="utf-8") as fh:
        return json.load(fh)


def run_tests(
    root: str, config: str | None, files: list[str], url: str, runner: str = "vitest"
) -> list[TestResult]:
    """The feature's test files under the project's Vitest or Jest (whose JSON report has
    Vitest's shape); each test's result."""
    report = os.path.join(root, DRIVER_DIR, "tests.json")
    os.makedirs(os.path.dirname(report), exist_ok=True)
    args = ["--config", config] if config else []
    paths = [os.path.relpath(f, root).replace(os.sep, "/") for f in files]
    env = {"DATABASE_FILE": sqlite_path(url)} if provider_of(url) == "sqlite" else {}
    if runner == "jest":
        args += ["--json", f"--outputFile={report}", "--ci", "--runTestsByPath", *paths]
        proc = _jest(root, args, url, env)
    else:
        args += ["--reporter=json", f"--outputFile={report}", *paths]
        proc = _vitest(root, args, url, env)
    if not os.path.isfile(report):
        raise NodeError(f"{runner.capitalize()} wrote no report: {_tail(proc)}")
    with open(report, encoding="utf-8") as fh:
        data = json.load(fh)
    results: list[TestResult] = []
    for file in data.get("testResults", []):
        stem = os.path.basename(file.get("name", ""))
        if not file.get("assertionResults") and file.get("message"):
            results.append(TestResult(f"{stem} (file)", "failed", file["message"][:2000]))
        for test in file.get("assertionResults", []):
            message = "\n".join(test.get("failureMessages") or [])[:2000]
            results.append(TestResult(f"{stem} > {test['fullName']}", test["status"], message))
    return results


def _vitest(root: str, args: list[str], url: str, env: dict[str, str]):
    argv = [vitest(root), "run", *args]
    return subprocess.run(
        argv,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "VITE_CONFIG_NATIVE_IGNORE_WARNING": "true",
            "CI": "1",
            **env,
        },
    )


def _jest(root: str, args: list[str], url: str, env: dict[str, str]):
    return subprocess.run(
        [jest(root), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "DATABASE_URL": url, "CI": "1", **env},
    )


def _tail(proc) -> str:
    lines = (proc.stderr + proc.stdout).strip().splitlines()
    return "\n".join(lines[-15:]) or f"exit code {proc.returncode}"
