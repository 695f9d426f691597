"""Scale: cost per table of a project with 2,000 / 5,000 / 10,000 tables (robustness issue,
item 4: cost linear in the number of migrations and tables), and a 6 MB Prisma schema.

    .venv/bin/python tests/bench/bench_scale.py [--tables 2000 5000 10000]
        [--dialects postgresql mysql sqlite] [--schema-mb 6] [--skip-schema]

For each dialect, a Prisma project is written to a temporary folder: a schema of N models
(an id, four columns, a foreign key to the model before, an index) and the migrations Prisma
would write for them, ten tables per migration folder (SERIAL ids for PostgreSQL,
AUTO_INCREMENT for MySQL, AUTOINCREMENT for SQLite). Then, in process, as `schemasense check`
does, the project is read, every migration replayed and linted and the drift compared; the
CPU seconds and the CPU milliseconds per table are printed. Linear cost is a flat "ms/table"
column; the ratio of the largest to the smallest size's ms/table is printed too.

The 6 MB schema (`--schema-mb`): N models generated until the text is that large, opened in a
workspace as the editor does (open -> diagnostics), then one character typed into a model in the
middle (one keystroke -> diagnostics); CPU seconds of each.

Not collected by pytest (tests/bench is excluded); no assertions. The counted, untimed
version is tests/server/workspace/test_scale_linear.py.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import tempfile
from pathlib import Path

from schemasense.server.workspace.workspace import TextChange, Workspace

PROVIDERS = {"postgresql": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}
PER_MIGRATION = 10


def model(i: int) -> str:
    """One model: an id, four columns, a foreign key to the model before, an index."""
    parent = (
        f"  parent{i}   Model{i - 1} @relation(fields: [parentId], references: [id])\n" if i else ""
    )
    parent_id = "  parentId Int\n" if i else ""
    back = f"  children Model{i + 1}[]\n"
    return (
        f"model Model{i} {{\n"
        "  id       Int      @id @default(autoincrement())\n"
        "  name     String\n"
        "  email    String   @unique\n"
        "  amount   Int      @default(0)\n"
        "  created  DateTime @default(now())\n"
        f"{parent_id}{parent}{back}"
        "  @@index([name])\n"
        "}\n"
    )


def schema(provider: str, count: int) -> str:
    head = (
        f'datasource db {{\n  provider = "{provider}"\n  url      = env("DATABASE_URL")\n}}\n\n'
        'generator client {\n  provider = "prisma-client-js"\n}\n\n'
    )
    models = [model(i) for i in range(count)]
    # the last model's back relation names a model that does not exist: drop it
    models[-1] = models[-1].replace(f"  children Model{count}[]\n", "")
    return head + "\n".join(models)


def table_sql(dialect: str, i: int) -> str:
    """The DDL Prisma writes for model `i` in `dialect`."""
    if dialect == "postgresql":
        fk = '    "parentId" INTEGER NOT NULL,\n' if i else ""
        sql = (
            f'-- CreateTable\nCREATE TABLE "Model{i}" (\n'
            '    "id" SERIAL NOT NULL,\n    "name" TEXT NOT NULL,\n    "email" TEXT NOT NULL,\n'
            '    "amount" INTEGER NOT NULL DEFAULT 0,\n'
            '    "created" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n'
            f'{fk}\n    CONSTRAINT "Model{i}_pkey" PRIMARY KEY ("id")\n);\n\n'
            f'-- CreateIndex\nCREATE INDEX "Model{i}_name_idx" ON "Model{i}"("name");\n\n'
            f'-- CreateIndex\nCREATE UNIQUE INDEX "Model{i}_email_key" ON "Model{i}"("email");\n\n'
        )
        if i:
            sql += (
                f'-- AddForeignKey\nALTER TABLE "Model{i}" ADD CONSTRAINT "Model{i}_parentId_fkey" '
                f'FOREIGN KEY ("parentId") REFERENCES "Model{i - 1}"("id") '
                "ON DELETE RESTRICT ON UPDATE CASCADE;\n\n"
            )
        return sql
    if dialect == "mysql":
        fk = "    `parentId` INTEGER NOT NULL,\n" if i else ""
        sql = (
            f"-- CreateTable\nCREATE TABLE `Model{i}` (\n"
            "    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `name` VARCHAR(191) NOT NULL,\n"
            "    `email` VARCHAR(191) NOT NULL,\n    `amount` INTEGER NOT NULL DEFAULT 0,\n"
            "    `created` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
            f"{fk}\n    UNIQUE INDEX `Model{i}_email_key`(`email`),\n"
            f"    INDEX `Model{i}_name_idx`(`name`),\n    PRIMARY KEY (`id`)\n"
            ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n\n"
        )
        if i:
            sql += (
                f"-- AddForeignKey\nALTER TABLE `Model{i}` ADD CONSTRAINT `Model{i}_parentId_fkey` "
                f"FOREIGN KEY (`parentId`) REFERENCES `Model{i - 1}`(`id`) "
                "ON DELETE RESTRICT ON UPDATE CASCADE;\n\n"
            )
        return sql
    fk = '    "parentId" INTEGER NOT NULL,\n' if i else ""
    ref = (
        f',\n    CONSTRAINT "Model{i}_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES '
        f'"Model{i - 1}" ("id") ON DELETE RESTRICT ON UPDATE CASCADE'
        if i
        else ""
    )
    # SQLite: parentId before the constraint list, as Prisma writes it
    return (
        f'-- CreateTable\nCREATE TABLE "Model{i}" (\n'
        '    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "name" TEXT NOT NULL,\n'
        '    "email" TEXT NOT NULL,\n    "amount" INTEGER NOT NULL DEFAULT 0,\n'
        '    "created" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP'
        + (",\n" + fk.rstrip(",\n") if i else "")
        + f"{ref}\n);\n\n"
        f'-- CreateIndex\nCREATE UNIQUE INDEX "Model{i}_email_key" ON "Model{i}"("email");\n\n'
        f'-- CreateIndex\nCREATE INDEX "Model{i}_name_idx" ON "Model{i}"("name");\n\n'
    )


def write_project(root: Path, dialect: str, count: int) -> Path:
    prisma = root / "prisma"
    migrations = prisma / "migrations"
    migrations.mkdir(parents=True)
    (prisma / "schema.prisma").write_text(schema(PROVIDERS[dialect], count))
    (migrations / "migration_lock.toml").write_text(f'provider = "{dialect}"\n')
    for start in range(0, count, PER_MIGRATION):
        folder = migrations / f"{20240101000000 + start:014d}_m{start}"
        folder.mkdir()
        stop = min(start + PER_MIGRATION, count)
        (folder / "migration.sql").write_text(
            "".join(table_sql(dialect, i) for i in range(start, stop))
        )
    return prisma / "schema.prisma"


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def check_project(dialect: str, count: int) -> tuple[float, int]:
    """CPU seconds of a `check` of a fresh project of `count` tables, and its finding count."""
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        write_project(Path(tmp), dialect, count)
        gc.collect()
        start = cpu()
        workspace = Workspace([tmp], incremental=False)
        findings = workspace.check_path(tmp)
        spent = cpu() - start
    return spent, len(findings)


def big_schema(megabytes: float) -> str:
    count, text = 1000, ""
    while len(text.encode()) < megabytes * 1024 * 1024:
        count = int(count * 1.5)
        text = schema("postgresql", count)
    return text


def schema_keystroke(megabytes: float) -> None:
    text = big_schema(megabytes)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        path = Path(tmp) / "prisma" / "schema.prisma"
        path.parent.mkdir()
        path.write_text(text)
        workspace = Workspace([tmp])
        start = cpu()
        workspace.open(str(path), text, 1, "prisma")
        first = workspace.analyze(workspace.unit_for(str(path)))
        opened = cpu() - start
        line = text.count("\n", 0, text.index("  name ", len(text) // 2))
        start = cpu()
        workspace.change(str(path), 2, [TextChange("x", (line, 6), (line, 6))])
        second = workspace.analyze(workspace.unit_for(str(path)))
        typed = cpu() - start
        print(
            f"schema {len(text.encode()) / 1e6:.1f} MB ({text.count('model ')} models): "
            f"open -> diagnostics {opened:.2f} s CPU ({len(first.findings)} findings), "
            f"one keystroke -> diagnostics {typed * 1000:.0f} ms CPU "
            f"({len(second.findings)} findings); peak RSS "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, nargs="+", default=[2000, 5000, 10000])
    parser.add_argument("--dialects", nargs="+", default=list(PROVIDERS))
    parser.add_argument("--schema-mb", type=float, default=6.0)
    parser.add_argument("--skip-schema", action="store_true")
    args = parser.parse_args()
    print(f"{'dialect':11} {'tables':>7} {'CPU s':>8} {'ms/table':>9} {'findings':>9}")
    for dialect in args.dialects:
        per_table = []
        for count in args.tables:
            spent, findings = check_project(dialect, count)
            per_table.append(spent * 1000 / count)
            print(f"{dialect:11} {count:>7} {spent:>8.2f} {per_table[-1]:>9.3f} {findings:>9}")
        if len(per_table) > 1:
            print(
                f"{dialect:11} ms/table at {args.tables[-1]} / at {args.tables[0]}: "
                f"{per_table[-1] / per_table[0]:.2f}"
            )
    if not args.skip_schema:
        schema_keystroke(args.schema_mb)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("SCHEMASENSE_NO_CACHE", "1")
    raise SystemExit(main())
