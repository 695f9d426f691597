"""Workspaces for the editor tests: a sample copied with its own `.venv/bin/schemasense`, and an
environment in which `schemasense` is not on the PATH (so the editor must find the workspace's)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CATALOG = REPO / "tests" / "fixtures" / "feature" / "catalog.sql"
"""The product catalog description of issue 15 (Generate database layer…)."""


def env_without_server() -> dict[str, str]:
    """This environment without `schemasense` on the PATH, so the editor must find the server in
    the workspace (and say so when it cannot)."""
    env = dict(os.environ)
    dirs = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(d for d in dirs if d and not (Path(d) / "schemasense").exists())
    return env


def workspace_with_venv(sample: Path, target: Path) -> Path:
    """A copy of `sample` with a `.venv/bin/schemasense` that is this test run's server, so the
    editor finds it as it finds a project's own virtual environment."""
    shutil.copytree(sample, target)
    venv_bin = target / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    _link_server(venv_bin / "schemasense")
    return target


def _link_server(path: Path) -> None:
    """`path` starts this run's server: a link to the venv's console script, else a wrapper."""
    script = Path(sys.executable).parent / "schemasense"
    if script.exists():
        path.symlink_to(script)
    else:  # an interpreter without the console script (e.g. not a venv)
        path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m schemasense.server "$@"\n')
        path.chmod(0o755)


DRIFT_SCHEMA = """datasource db {
  provider = "postgresql"
}

model User {
  id    BigInt @id @default(autoincrement())
  email String @unique
  name  String?
}
"""

DRIFT_MIGRATION = """-- CreateTable
CREATE TABLE "User" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
"""


def drift_project(target: Path) -> Path:
    """A Prisma project whose schema has a column (`User.name`) no migration creates: one drift
    diagnostic (DB303) and nothing else."""
    migration = target / "prisma" / "migrations" / "20240101000000_init" / "migration.sql"
    migration.parent.mkdir(parents=True)
    migration.write_text(DRIFT_MIGRATION)
    (target / "prisma" / "migrations" / "migration_lock.toml").write_text(
        'provider = "postgresql"\n'
    )
    (target / "prisma" / "schema.prisma").write_text(DRIFT_SCHEMA)
    (target / "package.json").write_text('{"name": "drift", "private": true}\n')
    venv_bin = target / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    _link_server(venv_bin / "schemasense")
    return target


# -- the generators' workspace ------------------------------------------------------------------

NICKNAME_COLUMN = (
    '  @Column({ type: "varchar", length: 40, nullable: true })\n  nickname: string | null;\n\n'
)


QUERIES_CONFIG = 'extend-select = ["DB401"]\n'

QUERY_CODE = """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function usersNamed(name: string) {
  return prisma.user.findMany({ where: { name: name } });
}
"""


def generation_projects(target: Path) -> dict[str, Path]:
    """One folder with four projects side by side, for the code actions that write new files
    and the ORM editor features: `blog` (samples/prisma-clean without its generated DTOs and
    tests, with a `src/users.ts` whose query filters `User.name`, which no index serves, and a
    `schemasense.toml` that selects the preview rule DB401), `typeorm-nest` and `sequelize-js`
    (each with a `nickname` column its migrations do not create: drift), and `sequelize-ts`
    as it is. Each project and the folder itself have a `.venv/bin/schemasense`, so one
    VS Code window (on the folder) or one Neovim session (a client per project) serves all."""
    target.mkdir(parents=True)
    names = ("blog", "typeorm-nest", "sequelize-js", "sequelize-ts")
    for folder in (target, *(target / name for name in names)):
        if folder != target:
            shutil.copytree(
                SAMPLES / ("prisma-clean" if folder.name == "blog" else folder.name),
                folder,
                ignore=shutil.ignore_patterns("dto", "test", "node_modules", "dist"),
            )
        (folder / ".venv" / "bin").mkdir(parents=True)
        _link_server(folder / ".venv" / "bin" / "schemasense")
    (target / "blog" / "src").mkdir()
    (target / "blog" / "schemasense.toml").write_text(QUERIES_CONFIG)
    (target / "blog" / "src" / "users.ts").write_text(QUERY_CODE)
    entity = target / "typeorm-nest" / "src" / "users" / "user.entity.ts"
    entity.write_text(
        entity.read_text().replace("  @OneToOne(", NICKNAME_COLUMN + "  @OneToOne(", 1)
    )
    model = target / "sequelize-js" / "models" / "user.js"
    model.write_text(
        model.read_text().replace(
            "lastSeenAt: DataTypes.DATE,",
            "lastSeenAt: DataTypes.DATE,\n      nickname: { type: DataTypes.STRING(40) },",
            1,
        )
    )
    return {
        "task": target / "blog" / "prisma" / "schema" / "task.prisma",
        "entity": entity,
        "tag": target / "typeorm-nest" / "src" / "posts" / "tag.entity.ts",
        "model": model,
        "post": target / "typeorm-nest" / "src" / "posts" / "post.entity.ts",
        "post_js": target / "sequelize-js" / "models" / "post.js",
        "event": target / "sequelize-ts" / "src" / "models" / "event.model.ts",
        "query": target / "blog" / "src" / "users.ts",
        "user_prisma": target / "blog" / "prisma" / "schema" / "user.prisma",
    }


# -- Generate database layer…: what the command line would write, and what the editor did -------


def unstamped(text: str) -> str:
    """Prisma's migration folder stamp (14 digits) and TypeORM's (13, milliseconds) as one: the
    command line and the editor run at different seconds."""
    return re.sub(r"(?<!\d)(\d{14}|\d{13})(?!\d)", "<timestamp>", text)


def cli_dry_run(root: Path, description: str, *keys: str) -> dict[str, tuple[str, str]]:
    """What `schemasense generate description:… [keys] --dry-run --format json` would write in
    `root` (`keys`: `migration:NAME`, `orm:NAME`): relative path -> (action, text), unstamped."""
    done = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "generate", f"description:{description}",
         *keys, "--project", str(root), "--dry-run", "--format", "json"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {
        unstamped(f["path"]): (f["action"], unstamped(f["text"]))
        for f in json.loads(done.stdout)["files"]
    }


def tree(root: Path) -> dict[Path, str]:
    """Every file's text below `root`, but the server's `.venv`."""
    return {
        p: p.read_text(errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".venv" not in p.relative_to(root).parts
    }


def changed_files(root: Path, before: dict[Path, str]) -> dict[str, tuple[str, str]]:
    """The files that are new or changed since `before`, in `cli_dry_run`'s form."""
    return {
        unstamped(str(p.relative_to(root))): ("edit" if p in before else "create", unstamped(text))
        for p, text in tree(root).items()
        if before.get(p) != text
    }
