"""Helpers of the entity oracle: TypeORM's own DDL for a compiled entity set, applied to a real
database and introspected, against our read of the same entities.

`typeorm_ddl(dist, export)` runs entity_ddl.cjs (TypeORM's `createTable` in SQL-memory mode:
no database). `our_read(folder)` reads a project's TypeScript with the TypeORM source.
`agreement(ours, theirs)` counts what agrees object by object (tables, columns, types,
nullability, defaults, primary keys, foreign keys, uniques, indexes, checks), for the report.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

from schemasense.codegen.schema import Schema
from schemasense.server.sources.typeorm.reader import TypeOrmRead, read_typeorm

from tests.oracle.prisma import _node
from tests.oracle.typeorm.harness import NODE_MODULES

SCRIPT = Path(__file__).with_name("entity_ddl.cjs")
SKIP_DIRS = {"node_modules", "dist", "build", ".git"}


def typeorm_ddl(dist_file: Path, export: str, cwd: Path, type_override: str | None = None) -> dict:
    """TypeORM's statements for the entities of the compiled DataSource `dist_file`."""
    node = _node()
    assert node is not None
    args = [node, "--preserve-symlinks", str(SCRIPT), str(dist_file), export]
    if type_override:
        args.append(type_override)
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={
            **os.environ,
            "NODE_PATH": os.pathsep.join([str(cwd / "node_modules"), str(NODE_MODULES)]),
        },
    )
    if proc.returncode != 0:
        raise AssertionError(f"TypeORM failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def project_texts(folder: Path, under: str = "src") -> dict[str, str]:
    base = folder / under if (folder / under).is_dir() else folder
    texts: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
        for name in sorted(filenames):
            if name.endswith((".ts", ".js")) and not name.endswith(".d.ts"):
                path = os.path.join(dirpath, name)
                texts[path] = Path(path).read_text(errors="replace")
    return texts


def our_read(folder: Path, under: str = "src") -> TypeOrmRead:
    package = folder / "package.json"
    return read_typeorm(
        project_texts(folder, under), package.read_text() if package.is_file() else None
    )


def normalized(statement: str) -> str:
    return " ".join(statement.replace("(", " ( ").replace(")", " ) ").split())


def agreement(ours: Schema, theirs: Schema) -> Counter:
    """Per kind of object: how many of TypeORM's agree with ours (`<kind>`), and how many in
    all (`<kind>_total`)."""
    c: Counter = Counter()
    for t in theirs.tables:
        c["tables_total"] += 1
        o = ours.table(t.name)
        if o is None:
            continue
        c["tables"] += 1
        for col in t.columns:
            c["columns_total"] += 1
            mine = o.column(col.name)
            if mine is None:
                continue
            c["columns"] += 1
            provider = theirs.provider or "postgresql"
            for what, a, b in (
                ("types", mine.type.native, col.type.native),
                ("nullability", mine.nullable, col.nullable),
                ("defaults", _d(mine.default, provider), _d(col.default, provider)),
            ):
                c[f"{what}_total"] += 1
                c[what] += a == b
        c["primary_keys_total"] += t.primary_key is not None
        c["primary_keys"] += (
            t.primary_key is not None
            and o.primary_key is not None
            and [x.column for x in t.primary_key.columns]
            == [x.column for x in o.primary_key.columns]
            and (t.primary_key.name or "") == (o.primary_key.name or "")
        )
        for kind, theirs_list, ours_list in (
            ("foreign_keys", t.foreign_keys, o.foreign_keys),
            ("uniques", t.uniques, o.uniques),
            ("indexes", t.indexes, o.indexes),
            ("checks", t.checks, o.checks),
        ):
            names = {x.name for x in ours_list}
            c[f"{kind}_total"] += len(theirs_list)
            c[kind] += sum(1 for x in theirs_list if x.name in names)
    return c


def _d(default, provider: str) -> str | None:  # type: ignore[no-untyped-def]
    """A default in one spelling (`codegen.dialects.normalize`, as `compare` reads them)."""
    from schemasense.codegen.dialects.normalize import normalize_default

    if default is None or default.value in (None, "NULL", "null"):
        return None
    return normalize_default(provider, str(default.value))


CORPUS_SCRIPT = Path(__file__).with_name("corpus_ddl.cjs")


def compile_files(files: list[str], root: Path, out: Path, version: str) -> dict[str, Path]:
    """`tsc` on `files` (decorators with metadata, strict null checks, no type checking that
    stops the emit: the corpus keeps only the entities, so imports of other files fail to
    resolve and are emitted as they are) into `out/dist`; a node_modules of links beside it
    in which `typeorm` is the version the project declares. Returns source -> compiled file."""
    from tests.oracle.typeorm.harness import OPTIONAL, PACKAGES, SHARED

    modules = out / "node_modules"
    (modules / "@types").mkdir(parents=True, exist_ok=True)
    (modules / "typeorm").symlink_to(NODE_MODULES / PACKAGES[version], target_is_directory=True)
    for name in SHARED:
        (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    for name in OPTIONAL:
        if (NODE_MODULES / name).is_dir():
            (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    config = {
        "compilerOptions": {
            "target": "es2021",
            "module": "commonjs",
            "experimentalDecorators": True,
            "emitDecoratorMetadata": True,
            "strictNullChecks": True,
            "skipLibCheck": True,
            "noEmitOnError": False,
            "esModuleInterop": True,
            "rewriteRelativeImportExtensions": True,
            "outDir": str(out / "dist"),
            "rootDir": str(root),
            "paths": {"typeorm": [str(modules / "typeorm")], "*": [str(modules / "*")]},
            "types": [],
        },
        "files": files,
    }
    (out / "tsconfig.json").write_text(json.dumps(config, indent=1))
    subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(out / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    compiled = {}
    for f in files:
        target = out / "dist" / Path(f).relative_to(root).with_suffix(".js")
        if target.is_file():
            compiled[f] = target
    return compiled


def corpus_ddl(
    type_: str, naming: str, files: list[Path], cwd: Path, alias: str | None = None
) -> dict:
    """TypeORM's SQL for compiled entity `files`; `alias`: an import prefix (`@server`) that
    names the compiled root (`cwd/dist`), as the project's tsconfig `paths` do."""
    node = _node()
    assert node is not None
    config = json.dumps(
        {
            "type": type_,
            "naming": naming,
            "files": [str(f) for f in files],
            "alias": alias,
            "distRoot": str(cwd / "dist"),
        }
    )
    proc = subprocess.run(
        [node, "--preserve-symlinks", str(CORPUS_SCRIPT), config],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env={
            **os.environ,
            "NODE_PATH": os.pathsep.join([str(cwd / "node_modules"), str(NODE_MODULES)]),
        },
    )
    if proc.returncode != 0:
        raise AssertionError(f"TypeORM failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)
