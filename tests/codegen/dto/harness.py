"""Generate DTOs for a project (corpus or sample) into a scratch folder, and compile them.

The corpus is read-only, so the files `generate_dto.prepare` makes are written under a scratch
folder by their path relative to the project, with a tsconfig (strict) and a link to the
repository's node_modules; `compile_all` runs one `tsc --noEmit` over every project at once.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from schemasense.codegen.emit.dto import DtoModel
from schemasense.codegen.schema import Schema
from schemasense.server.workflows.generate_dto import prepare, units
from schemasense.server.workspace.workspace import Workspace

REPO = Path(__file__).resolve().parents[3]
NODE_MODULES = REPO / "node_modules"
TSC = NODE_MODULES / ".bin" / "tsc"

TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "strict": True,
        "experimentalDecorators": True,
        "emitDecoratorMetadata": True,
        "esModuleInterop": True,
        "skipLibCheck": True,
        "noEmit": True,
        "types": [],
    },
    "include": ["**/*.ts"],
}


SWAGGER_SHIM = """// @nestjs/swagger is not installed here: its two decorators.
declare module "@nestjs/swagger" {
  export function ApiProperty(options?: Record<string, unknown>): PropertyDecorator;
  export function ApiPropertyOptional(options?: Record<string, unknown>): PropertyDecorator;
}
"""


def node_available() -> str | None:
    """None when tsc and the npm packages are here; otherwise why not."""
    for package in ("class-validator", "zod", "typescript"):
        if not (NODE_MODULES / package).is_dir():
            return f"{NODE_MODULES / package} not found (npm packages absent)"
    return None


@dataclass
class Generated:
    name: str
    key: str
    """The unit's key (its schema file or folder, its DataSource, ...)."""
    root: str
    models: tuple[DtoModel, ...]
    files: dict[str, str]
    """Path relative to the project root -> text."""
    schema: Schema


def generate(path: str, name: str, key: str | None = None, **kwargs) -> Generated:
    """The DTOs of the unit at `path` (or, in the folder `path`, of the unit keyed `key`)."""
    workspace = Workspace([path] if os.path.isdir(path) else [os.path.dirname(path)])
    if key is not None:
        [unit] = [u for u in workspace.units() if u.key == key]
    else:
        [unit] = units(workspace, path)
    prepared = prepare(workspace, unit, **kwargs)
    files = {os.path.relpath(f.path, prepared.root): f.text for f in prepared.files}
    return Generated(name, unit.key, prepared.root, prepared.models, files, prepared.schema)


def write(generated: list[Generated], folder: Path) -> None:
    for g in generated:
        for rel, text in g.files.items():
            target = folder / g.name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    (folder / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2))
    (folder / "package.json").write_text(json.dumps({"type": "module", "private": True}))
    if not (NODE_MODULES / "@nestjs" / "swagger").is_dir():
        (folder / "swagger-shim.d.ts").write_text(SWAGGER_SHIM)
    link = folder / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_MODULES)


def compile_all(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TSC), "-p", str(folder / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=folder,
    )
