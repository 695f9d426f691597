"""Helpers of the cross-ORM oracles: build the catalog an ORM's own DDL makes for a model set.

`read_schema(path)` is our read of a project (any source). `prisma_catalog` applies the SQL
Prisma's engine writes for a schema (`codegen.orms.prisma.create_sql`, checked statement for
statement against the engine) to a real database and introspects it. `typeorm_catalog`
writes the generated entities to a folder with a DataSource listing them, compiles them with
`tsc` (strict, experimentalDecorators, emitDecoratorMetadata: a type error fails the oracle),
has TypeORM write its own DDL for them with no database (entity_ddl.cjs, SQL-memory mode),
applies that to a real database and introspects it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from schemasense.codegen.emit.models.typeorm import EntityOptions, typeorm_entity_files
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.orms.prisma.create_sql import create_statements
from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
from schemasense.codegen.schema import Schema
from schemasense.server.verify import databases
from schemasense.server.verify.apply import apply
from schemasense.server.workspace.workspace import Workspace

from tests.oracle.typeorm.entities import typeorm_ddl
from tests.oracle.typeorm.harness import NODE_MODULES, PACKAGES, SHARED


def read_schema(path: str | Path) -> Schema:
    """Our read of the one schema at `path` (its errors would make the oracle meaningless)."""
    workspace = Workspace()
    units = workspace.units_at(str(path))
    assert len(units) == 1, units
    analysis = workspace.analyze(units[0])
    errors = [f for f in analysis.read.findings if f.severity == "error"]
    assert not errors, errors[:3]
    return analysis.read.schema


def prisma_catalog(schema: Schema, url: str) -> Schema:
    """What Prisma's SQL for `schema` builds in the empty database at `url`."""
    statements = [s.sql for s in create_statements(schema)]
    if url.startswith("sqlite:"):
        return _sqlite(statements, databases.sqlite_path(url))
    apply(url, "\n".join(statements))
    return databases.introspect(url)


def _sqlite(statements: list[str], path: str) -> Schema:
    conn = sqlite3.connect(path)
    conn.executescript(";\n".join(s.rstrip().rstrip(";") for s in statements) + ";")
    conn.close()
    return databases.introspect(f"sqlite:///{path}")


def write_entities(
    schema: Schema,
    out: Path,
    style: CodeStyle | None = None,
    *,
    snake: bool = False,
    version: str = "1",
) -> list[Path]:
    """The generated entities of `schema` under `out/src/entities`, a DataSource in
    `out/src/data-source.ts` listing them (with `SnakeNamingStrategy` when `snake`), and a
    node_modules of links (TypeORM `version`: "1" or "0.3")."""
    naming = (SnakeNamingStrategy if snake else NamingStrategy)(version)  # type: ignore[arg-type]
    options = EntityOptions(naming=naming, folder="entities")
    files = typeorm_entity_files(schema, style=style, options=options)
    src = out / "src"
    written = []
    for f in files:
        path = src / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f.text)
        written.append(path)
    classes = []
    imports = []
    for f in files:
        name = f.text.split("export class ", 1)[1].split(" ", 1)[0]
        classes.append(name)
        imports.append(f'import {{ {name} }} from "./{f.path.removesuffix(".ts")}";')
    kind = {"postgresql": "postgres", "sqlite": "sqljs", "mysql": "mysql"}[
        schema.provider or "postgresql"
    ]
    strategy = ""
    if snake:
        imports.append('import { SnakeNamingStrategy } from "typeorm-naming-strategies";')
        strategy = ", namingStrategy: new SnakeNamingStrategy()"
    (src / "data-source.ts").write_text(
        'import "reflect-metadata";\nimport { DataSource } from "typeorm";\n'
        + "\n".join(imports)
        + f'\n\nexport const AppDataSource = new DataSource({{ type: "{kind}", '
        + f"entities: [{', '.join(classes)}]{strategy} }});\n"
    )
    modules = out / "node_modules"
    (modules / "@types").mkdir(parents=True, exist_ok=True)
    (modules / "typeorm").symlink_to(NODE_MODULES / PACKAGES[version], target_is_directory=True)
    for name in SHARED:
        (modules / name).symlink_to(NODE_MODULES / name, target_is_directory=True)
    return written


def compile_strict(out: Path) -> tuple[bool, str]:
    """`tsc` on `out/src` with strict type checking and decorator metadata into `out/dist`:
    (compiled cleanly, the compiler's messages)."""
    config = {
        "compilerOptions": {
            "target": "es2021",
            "module": "commonjs",
            "strict": True,
            "experimentalDecorators": True,
            "emitDecoratorMetadata": True,
            "skipLibCheck": True,
            "esModuleInterop": True,
            "outDir": str(out / "dist"),
            "rootDir": str(out / "src"),
            "paths": {"typeorm": [str(out / "node_modules" / "typeorm")]},
            "typeRoots": [str(out / "node_modules" / "@types")],
            "types": ["node"],
        },
        "include": [str(out / "src" / "**" / "*.ts")],
    }
    (out / "tsconfig.json").write_text(json.dumps(config, indent=1))
    proc = subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(out / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc.returncode == 0, proc.stdout + proc.stderr


def typeorm_statements(out: Path) -> list[str]:
    """TypeORM's own DDL for the compiled entities (no database). TypeORM asks the database
    whether an enum type exists before creating it; with no database it would create a type
    shared by two tables twice, so the repeats are left out, as `synchronize` would."""
    result = typeorm_ddl(out / "dist" / "data-source.js", "AppDataSource", out)
    seen: set[str] = set()
    statements = []
    for s in result["statements"]:
        if s.startswith("CREATE TYPE"):
            if s in seen:
                continue
            seen.add(s)
        statements.append(s)
    return statements


def typeorm_catalog(statements: list[str], url: str) -> Schema:
    if url.startswith("sqlite:"):
        return _sqlite(statements, databases.sqlite_path(url))
    if url.startswith("mysql"):
        apply(url, ";\n".join(statements) + ";")
        return databases.introspect(url)
    apply(url, 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n' + ";\n".join(statements) + ";")
    return databases.introspect(url)
