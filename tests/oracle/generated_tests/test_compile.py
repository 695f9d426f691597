"""Every file `schemasense generate tests` writes compiles with `tsc --strict`, for every schema
of the corpus and every sample, in one tsc run.

Each project is mirrored in a scratch folder (a link to each of its top-level entries, so the
generated files' relative imports reach its real entities and models) and its tests are
generated into `schemasense-test/`. A Prisma schema is first made a Prisma 7 project of its own
(a copy with the datasource `url` blanked and one `prisma-client` generator, generated offline)
so that the tests type-check against its real client. Schemas the generator refuses (a
provider or a project layout it does not handle yet) are listed with the reason; the test
asserts that each refusal is one of those, and that tsc reports nothing in a generated file
(errors inside third-party sources, whose own dependencies are not installed here, are not
the generator's and are not counted).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from schemasense.server.workflows.generate_migration import GenerateError
from schemasense.server.workflows.generate_tests import prepare
from schemasense.server.workspace.workspace import Workspace

from tests.oracle.generated_tests.harness import NODE_MODULES, unavailable
from tests.oracle.prisma import strip_for_prisma7

pytestmark = [pytest.mark.oracle, pytest.mark.corpus]

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
CORPUS = Path(os.environ.get("SCHEMASENSE_CORPUS", REPO.parent / "shared" / "corpus"))
OUT = "schemasense-test/db"

REFUSALS = (
    "tests for Prisma on",  # a provider with no driver adapter here (sqlserver, mongodb, ...)
    "tests for TypeORM on",
    "tests for Sequelize on",
    "the schema has",  # a schema with errors (samples/prisma-blog's deliberate mistakes)
    "tests load models written as sequelize-cli writes them",
    "tests load sequelize-typescript models exported as classes",
    "tests need the project's DataSource",
    "the DataSource is not exported",
)
_GENERATOR = re.compile(r"^generator\s+\w+\s*\{[^}]*\}", re.M)
_FEATURES = re.compile(r"previewFeatures\s*=\s*\[([^\]]*)\]")


def _projects() -> list[Path]:
    found = [p for p in sorted(SAMPLES.iterdir()) if p.is_dir()]
    for group in ("typeorm", "sequelize"):
        found += [p for p in sorted((CORPUS / group).iterdir()) if p.is_dir()]
    found += [
        p for p in sorted(CORPUS.iterdir()) if p.is_dir() and p.name not in ("typeorm", "sequelize")
    ]
    return found


def _mirror(root: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for entry in root.iterdir():
        if entry.name not in ("node_modules", "schemasense-test"):
            (dest / entry.name).symlink_to(entry)


def _prisma_project(files: list[Path], dest: Path) -> Path:
    """A Prisma 7 project of the schema: blanked urls, one `prisma-client` generator."""
    schema_dir = dest / "prisma" / "schema"
    schema_dir.mkdir(parents=True)
    texts = [strip_for_prisma7(path.read_text()) for path in files]
    features = sorted(
        {
            f
            for t in texts
            for listed in _FEATURES.findall(t)
            for f in re.findall(r'"(\w+)"', listed)
        }
    )
    for i, (path, text) in enumerate(zip(files, texts, strict=True)):
        text = _GENERATOR.sub("", text)
        if i == 0:
            text += (
                '\ngenerator client {\n  provider = "prisma-client"\n  output = "../../client"\n'
                f"  previewFeatures = {json.dumps(features)}\n}}\n"
            )
        (schema_dir / f"{i:02d}-{path.name}").write_text(text)
    (dest / "package.json").write_text('{"name": "compiled", "private": true}\n')
    proc = subprocess.run(
        [str(NODE_MODULES / ".bin" / "prisma"), "generate", "--schema", str(schema_dir)],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PRISMA_SCHEMA_ENGINE_BINARY": "/bin/true", "CHECKPOINT_DISABLE": "1"},
    )
    assert proc.returncode == 0, f"prisma generate failed:\n{proc.stdout}{proc.stderr}"
    return schema_dir


def test_generated_tests_compile(tmp_path):
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    work = tmp_path / "work"
    generated: list[Path] = []
    refused: dict[str, str] = {}
    for project in _projects():
        workspace = Workspace([str(project)])
        units = [u for u in workspace.units_at(str(project)) if u.key.startswith(str(project))]
        for n, unit in enumerate(units):
            label = f"{project.name}:{os.path.relpath(unit.key, project)}"
            dest = work / f"{project.name}-{n}"
            try:
                if unit.kind == "prisma":
                    provider_ok = _prisma_provider(unit, workspace)
                    if provider_ok is not None:
                        raise GenerateError(provider_ok)
                    files = [Path(f) for f in unit.files]
                    schema_dir = _prisma_project(files, dest)
                    prepared = prepare(Workspace([str(dest)]), str(schema_dir), out=OUT)
                    root = dest
                else:
                    prepared = prepare(workspace, unit.key, unit=unit, out=OUT)
                    root = dest
                    _mirror(Path(prepared.root), dest)
            except GenerateError as exc:
                refused[label] = str(exc)
                continue
            for f in prepared.files:
                if f.path.endswith("package.json"):
                    continue
                target = root / os.path.relpath(f.path, prepared.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(f.text)
                generated.append(target)
    unexpected = {k: v for k, v in refused.items() if not any(r in v for r in REFUSALS)}
    assert not unexpected, unexpected
    assert len(generated) >= 40, (len(generated), refused)
    kinds = {p.parts[len(work.parts)] for p in generated}
    assert {"prisma-clean-0", "typeorm-nest-0", "typeorm-sqlite-0", "sequelize-js-0"} <= kinds

    config = {
        "compilerOptions": {
            "target": "ES2022",
            "module": "preserve",
            "moduleResolution": "bundler",
            "strict": True,
            "noEmit": True,
            "allowJs": True,
            "checkJs": False,
            "esModuleInterop": True,
            "skipLibCheck": True,
            "experimentalDecorators": True,
            "emitDecoratorMetadata": True,
            "strictPropertyInitialization": False,
            "typeRoots": [str(NODE_MODULES / "@types")],
            "paths": {"*": [str(NODE_MODULES / "@types" / "*"), str(NODE_MODULES / "*")]},
        },
        "files": [str(p) for p in generated],
    }
    (work / "tsconfig.json").write_text(json.dumps(config, indent=1))
    proc = subprocess.run(
        [
            str(NODE_MODULES / ".bin" / "tsc"),
            "-p",
            str(work / "tsconfig.json"),
            "--pretty",
            "false",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=work,
    )
    ours = {os.path.realpath(p) for p in generated}
    errors = [
        line
        for line in proc.stdout.splitlines()
        if "error TS" in line and os.path.realpath(work / line.split("(", 1)[0]) in ours
    ]
    reported = [
        work / line.split("(", 1)[0] for line in proc.stdout.splitlines() if "error TS" in line
    ]
    # the filter reads tsc's paths right: each names a file (relative to `work`, tsc's cwd)
    assert all(p.exists() for p in reported if "(" not in p.name), reported[:5]
    assert not errors, "\n".join(errors[:40])
    if proc.returncode != 0:  # errors only in third-party sources: say how many, for the record
        print(f"tsc: {proc.stdout.count('error TS')} errors outside the generated files")
    print(f"compiled {len(generated)} generated files; refused: {json.dumps(refused, indent=1)}")


def _prisma_provider(unit, workspace: Workspace) -> str | None:
    schema = workspace.analyze(unit).read.schema
    if schema.provider not in ("postgresql", "postgres", "mysql", "sqlite"):
        return f"tests for Prisma on {schema.provider} are not generated yet"
    errors = [f for f in workspace.analyze(unit).read.findings if f.severity == "error"]
    if errors:
        return f"the schema has {len(errors)} error(s)"
    return None
