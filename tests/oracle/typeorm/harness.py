"""TypeORM itself, on a sample project: compile its TypeScript with `tsc` and run it with the
TypeORM version the sample declares, against a real database.

The repository's node_modules holds TypeORM 1.x as `typeorm` and 0.3.28 as `typeorm-0.3`, with
`typeorm-naming-strategies` and `pg`. A sample on 0.3 is compiled against 0.3's types (a `paths`
mapping) and run with a small node_modules of links in which `typeorm` is 0.3 (node runs with
`--preserve-symlinks`, so `typeorm-naming-strategies` extends 0.3's DefaultNamingStrategy, as it
does in the sample's own install).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.oracle.prisma import REPO_ROOT, _node

NODE_MODULES = REPO_ROOT / "node_modules"
SCRIPT = Path(__file__).with_name("run_sample.cjs")
PACKAGES = {"0.3": "typeorm-0.3", "1": "typeorm"}
SHARED = ("typeorm-naming-strategies", "pg", "sql.js", "reflect-metadata", "@types/node")
OPTIONAL = ("mysql2", "class-validator", "class-transformer", "zod")
"""Linked when installed: the MySQL/MariaDB oracles skip without them; the samples' generated
DTOs (src/dto) compile with the rest of the sample."""


def unavailable() -> str | None:
    """Why TypeORM cannot run here (for pytest.skip), or None."""
    if _node() is None:
        return "node is not on PATH"
    missing = [
        p for p in (*PACKAGES.values(), *SHARED, "typescript") if not (NODE_MODULES / p).is_dir()
    ]
    if missing:
        return f"npm packages missing ({', '.join(missing)}): run `npm ci` at the repository root"
    return None


def typeorm_version(sample: Path) -> str:
    """ "0.3" or "1", from the sample's package.json."""
    declared = json.loads((sample / "package.json").read_text())["dependencies"]["typeorm"]
    return "0.3" if declared.lstrip("^~").startswith("0.") else "1"


def compile_sample(sample: Path, out: Path, exclude: tuple[str, ...] = ("app.module.ts",)) -> Path:
    """`tsc` on the sample's sources (strict, decorators with metadata) into `out/dist`; a
    node_modules of links beside it. Returns the dist folder."""
    version = typeorm_version(sample)
    modules = out / "node_modules"
    (modules / "@types").mkdir(parents=True, exist_ok=True)
    (modules / "typeorm").symlink_to(NODE_MODULES / PACKAGES[version], target_is_directory=True)
    for name in SHARED:
        (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    for name in OPTIONAL:
        if (NODE_MODULES / name).is_dir():
            (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    # better-sqlite3 is a native module: the sample's DataSource loads it when it is built, and
    # run_sample.cjs runs a SQLite sample on sql.js instead, so a stand-in that refuses to open
    # a database is all it needs
    stand_in = modules / "better-sqlite3"
    stand_in.mkdir()
    (stand_in / "package.json").write_text('{"name": "better-sqlite3", "main": "index.js"}')
    (stand_in / "index.js").write_text(
        'module.exports = function () { throw new Error("the oracle runs SQLite on sql.js"); };'
    )
    config = {
        "extends": str(sample / "tsconfig.json"),
        "compilerOptions": {
            "outDir": str(out / "dist"),
            "rootDir": str(sample / "src"),
            "paths": {"typeorm": [str(modules / "typeorm")], "*": [str(modules / "*")]},
            "typeRoots": [str(modules / "@types")],
            "types": ["node"],
        },
        "include": [str(sample / "src" / "**" / "*.ts")],
        "exclude": [str(sample / "src" / "**" / name) for name in exclude],
    }
    (out / "tsconfig.json").write_text(json.dumps(config, indent=1))
    proc = subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(out / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise AssertionError(f"tsc failed on {sample.name}:\n{proc.stdout}{proc.stderr}")
    return out / "dist"


def run_sample(dist: Path, url: str, export: str = "AppDataSource") -> dict:
    """Run the compiled sample's migrations on `url` with TypeORM, then TypeORM's schema
    builder: {"applied": [...], "pending": [SQL synchronize would still run], "down": [...]}."""
    node = _node()
    assert node is not None
    proc = subprocess.run(
        [node, "--preserve-symlinks", str(SCRIPT), str(dist / "data-source.js"), export],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "NODE_PATH": os.pathsep.join([str(dist.parent / "node_modules"), str(NODE_MODULES)]),
        },
        cwd=dist.parent,
    )
    if proc.returncode != 0:
        raise AssertionError(f"TypeORM failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


MIGRATIONS_SCRIPT = Path(__file__).with_name("run_migrations.cjs")
RUNNERS = {"postgresql": "postgres", "mysql": "mariadb", "sqlite": "sqljs"}
"""The TypeORM driver each dialect's chain runs on (SQLite on sql.js: TypeORM's SQLite query
runner, no native build)."""


def compile_migrations(project: Path, folder: Path, out: Path, version: str) -> list[Path]:
    """`tsc` (emit only, `noCheck`: the corpus keeps only part of each project) on the migration
    files of `folder` and what they import from the project, into `out/dist`; a node_modules of
    links beside it with `typeorm` at `version` ("0.3" or "1"). Returns the compiled migration
    files, in file-name order."""
    modules = out / "node_modules"
    modules.mkdir(parents=True, exist_ok=True)
    (modules / "typeorm").symlink_to(NODE_MODULES / PACKAGES[version], target_is_directory=True)
    for name in ("pg", "sql.js", "reflect-metadata", "mysql2"):
        if (NODE_MODULES / name).is_dir():
            (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    sources = sorted(
        p for p in folder.iterdir() if p.suffix == ".ts" and p.name not in ("index.ts",)
    )
    config = {
        "compilerOptions": {
            "outDir": str(out / "dist"),
            "rootDir": str(project),
            "module": "commonjs",
            "target": "es2020",
            "experimentalDecorators": True,
            "emitDecoratorMetadata": True,
            "noCheck": True,
            "noEmitOnError": False,
            "skipLibCheck": True,
            "strict": False,
            "esModuleInterop": True,
            "types": [],
        },
        "files": [str(p) for p in sources],
    }
    (out / "tsconfig.json").write_text(json.dumps(config, indent=1))
    subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(out / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )  # type errors are expected (imports the corpus does not hold); the files are emitted
    compiled = [out / "dist" / p.relative_to(project).with_suffix(".js") for p in sources]
    missing = [p for p in compiled if not p.is_file()]
    if missing:
        raise AssertionError(f"tsc emitted nothing for {missing[:3]}")
    return compiled


def run_migrations(
    compiled: list[Path], dialect: str, url: str = "", sqlite_file: str = ""
) -> dict:
    """TypeORM's runner on the compiled migrations (no entities): {"applied": [names]}."""
    node = _node()
    assert node is not None
    out = next(p for p in compiled[0].parents if (p / "node_modules").is_dir())
    modules = out / "node_modules"
    proc = subprocess.run(
        [node, "--preserve-symlinks", str(MIGRATIONS_SCRIPT), RUNNERS[dialect]]
        + [str(p) for p in compiled],
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "SQLITE_FILE": sqlite_file,
            "NODE_PATH": os.pathsep.join([str(modules), str(NODE_MODULES)]),
        },
        cwd=out,
    )
    if proc.returncode != 0:
        raise AssertionError(f"TypeORM failed:\n{proc.stderr[-4000:]}")
    # TypeORM's logger prints a failed migration on stdout too: the result is the last line
    return json.loads(proc.stdout.strip().splitlines()[-1])
