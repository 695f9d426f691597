"""Which files hold queries (`files.py`), a project's queries read by unit (`read.py`), the
monorepo whose schema sits in another package, and `schemasense queries PATH [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from schemasense.server.cli import main
from schemasense.server.project.config import parse_config
from schemasense.server.queries.files import query_files
from schemasense.server.queries.read import read_project_queries
from schemasense.server.workspace.workspace import Workspace

HERE = Path(__file__).parent
SCHEMA = (HERE / "schema_fixture.prisma").read_text(encoding="utf-8")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


QUERY = "export const f = () => prisma.user.findMany({ where: { email: 'a' } });\n"


def test_query_files_leave_out_dependencies_builds_tests_and_migrations(tmp_path: Path) -> None:
    kept = [
        "src/a.ts",
        "src/b.tsx",
        "src/c.js",
        "src/d.mjs",
        "src/e.cjs",
        "src/f.mts",
        "src/g.cts",
        "lib/testing.ts",
    ]
    dropped = [
        "node_modules/x/index.js",
        "dist/a.js",
        "build/a.js",
        ".next/a.js",
        "out/a.js",
        "coverage/a.js",
        "src/a.spec.ts",
        "src/a.test.ts",
        "test/a.ts",
        "tests/a.ts",
        "src/__tests__/a.ts",
        "src/migrations/1_init.ts",
        "src/types.d.ts",
        "src/a.py",
        "README.md",
    ]
    write(tmp_path, {name: QUERY for name in kept + dropped})
    found = [Path(p).relative_to(tmp_path).as_posix() for p in query_files(str(tmp_path))]
    assert found == sorted(kept)


def test_query_files_follow_the_config_include_and_exclude(tmp_path: Path) -> None:
    write(tmp_path, {"src/a.ts": QUERY, "src/scripts/seed.ts": QUERY, "tools/x.ts": QUERY})
    toml = '[queries]\ninclude = ["src/**"]\nexclude = ["src/scripts/**"]\n'
    write(tmp_path, {"schemasense.toml": toml})
    loaded = parse_config(str(tmp_path / "schemasense.toml"), toml)
    assert loaded.findings == []
    found = [Path(p).relative_to(tmp_path).as_posix() for p in query_files(str(tmp_path), loaded)]
    assert found == ["src/a.ts"]


def test_an_invalid_queries_config_is_a_db090_finding(tmp_path: Path) -> None:
    toml = '[queries]\ninclude = "src/**"\nexcludes = []\n'
    loaded = parse_config(str(tmp_path / "schemasense.toml"), toml)
    assert [f.code for f in loaded.findings] == ["DB090", "DB090"]
    assert loaded.config.queries is None


def test_project_queries_are_read_by_the_units_reader(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": "{}",
            "prisma/schema.prisma": SCHEMA,
            "src/users.ts": QUERY,
            "src/users.test.ts": QUERY,
        },
    )
    found = read_project_queries(Workspace([str(tmp_path)]), str(tmp_path))
    assert [(q.query.label, q.query.table, Path(q.file).name) for q in found.queries] == [
        ("prisma.user.findMany", "users", "users.ts")
    ]
    assert found.queries[0].unit.dialect == "postgresql"


MONOREPO = {
    "package.json": '{"workspaces": ["packages/*", "apps/*"]}',
    "packages/db/package.json": '{"name": "@acme/db"}',
    "packages/db/prisma/schema.prisma": SCHEMA,
    "packages/db/src/index.ts": "export { PrismaClient } from '@prisma/client';\n",
    "packages/billing/package.json": '{"name": "@acme/billing"}',
    "packages/billing/prisma/schema.prisma": """
datasource db {
  provider = "mysql"
  url      = env("BILLING_URL")
}
model Invoice {
  id     Int @id
  userId Int @map("user_id")
  @@map("invoices")
}
""",
    "apps/web/package.json": '{"name": "web"}',
    "apps/web/src/users.ts": """
import { PrismaClient } from '@acme/db';
const db = new PrismaClient();
export async function list() {
  await db.user.findMany({ where: { tenantId: 1 } });
  await db.invoice.findMany({ where: { userId: 1 } });
  await db.$queryRaw`SELECT 1`;
}
""",
}


def test_a_monorepo_assigns_each_query_to_the_unit_declaring_its_model(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, MONOREPO)
    web = tmp_path / "apps" / "web"
    found = read_project_queries(Workspace([str(web)]), str(web))
    got = [
        (q.query.label, q.query.table, Path(q.unit.unit.key).parts[-3], q.unit.dialect)
        for q in found.queries
    ]
    assert got == [
        ("db.user.findMany", "users", "db", "postgresql"),
        ("db.invoice.findMany", "invoices", "billing", "mysql"),
        ("db.$queryRaw", "", got[2][2], got[2][3]),
    ]
    assert got[2][2] in ("db", "billing")  # raw SQL: the nearest Prisma unit


def test_a_query_read_once_even_when_two_units_declare_the_model(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": "{}",
            "a/schema.prisma": SCHEMA,
            "src/b/schema.prisma": SCHEMA,
            "src/b/users.ts": QUERY,
        },
    )
    found = read_project_queries(Workspace([str(tmp_path)]), str(tmp_path))
    (query,) = found.queries
    assert Path(query.unit.unit.key).parent.name == "b"  # the nearest


def test_cli_lists_queries(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, {"package.json": "{}", "prisma/schema.prisma": SCHEMA, "src/u.ts": QUERY})
    monkeypatch.chdir(tmp_path)
    assert main(["queries", "."]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "src/u.ts:1:24  prisma.user.findMany  users  where email = 'a'"
    assert out.splitlines()[1] == "    served by users_email_tenant_id_key"
    assert out.splitlines()[-1] == "1 queries on 1 tables in 1 files"
    assert main(["queries", ".", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert (item["path"], item["line"], item["column"]) == ("src/u.ts", 1, 24)
    assert item["unit"] == "prisma/schema.prisma"
    assert item["query"]["where"][0]["filters"][0]["column"] == "email"
    assert "file" not in item["query"]["span"]
    # the planner's judgement: @@unique([email, tenantId]) leads with `email`
    assert item["judgement"]["verdict"] == "served"
    assert [u["index"] for u in item["judgement"]["uses"]] == ["users_email_tenant_id_key"]


def test_cli_refuses_a_path_without_schema(tmp_path: Path, capsys) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"src/u.ts": QUERY})
    assert main(["queries", str(tmp_path)]) == 2
    assert "no schema found" in capsys.readouterr().err
    assert main(["queries", str(tmp_path / "missing")]) == 2


def test_raw_sql_is_read_as_the_queries_it_makes(tmp_path: Path) -> None:
    code = """
    for (const e of emails) {
      await prisma.$queryRaw`SELECT * FROM users u JOIN posts p ON p.author_id = u.id
        WHERE u.email = ${e} ORDER BY p.created_at DESC`;
    }
    await prisma.$executeRawUnsafe('SET LOCAL statement_timeout = 1000');
    """
    write(tmp_path, {"package.json": "{}", "prisma/schema.prisma": SCHEMA, "src/raw.ts": code})
    found = read_project_queries(Workspace([str(tmp_path)]), str(tmp_path))
    got = [
        (q.query.label, q.query.operation, q.query.table, q.query.implied_by, q.query.in_loop)
        for q in found.queries
    ]
    assert got == [
        ("prisma.$queryRaw", "select", "users", None, True),
        (got[1][0], "select", "posts", "prisma.$queryRaw", True),
        ("prisma.$executeRawUnsafe", "raw", "", None, False),
    ]
    users = found.queries[0].query
    assert [(f.column, f.kind) for f in users.where[0].filters] == [("email", "equal")]
    assert users.sql is not None and users.sql.startswith("SELECT * FROM users")
    assert code[users.span.start : users.span.end].startswith("prisma.$queryRaw`")


SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def test_typeorm_and_sequelize_projects_are_read_by_their_readers(tmp_path: Path, capsys) -> None:
    """`schemasense queries` on a TypeORM and a Sequelize project: a NestJS service's
    repository call and a Sequelize model call, each judged against the unit's indexes."""
    import shutil

    nest = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLES / "typeorm-nest", nest, ignore=shutil.ignore_patterns("node_modules"))
    write(
        nest,
        {
            "src/posts/posts.service.ts": (
                'import { InjectRepository } from "@nestjs/typeorm";\n'
                'import { Repository } from "typeorm";\n'
                'import { Post } from "./post.entity";\n'
                "export class PostsService {\n"
                "  constructor(\n"
                "    @InjectRepository(Post) private readonly posts: Repository<Post>,\n"
                "  ) {}\n"
                "  bySlug(slug: string) {\n"
                "    return this.posts.findOne({ where: { slug } });\n"
                "  }\n"
                "  drafts() {\n"
                '    return this.posts.find({ where: { title: "d" }, order: { title: "ASC" } });\n'
                "  }\n"
                "}\n"
            )
        },
    )
    assert main(["queries", str(nest), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    verdicts = {
        (i["query"]["label"], i["query"]["table"]): i["judgement"]["verdict"] for i in items
    }
    assert verdicts[("posts.findOne", "post")] == "served"  # @Index({ unique: true }) slug
    assert verdicts[("posts.find", "post")] == "not_served"

    events = tmp_path / "sequelize-ts"
    shutil.copytree(SAMPLES / "sequelize-ts", events, ignore=shutil.ignore_patterns("node_modules"))
    write(
        events,
        {
            "src/events.ts": (
                'import { Event } from "./models";\n'
                "export const upcoming = (organizerId: number, from: Date) =>\n"
                "  Event.findAll({ where: { organizerId, startsAt: { [Op.gte]: from } } });\n"
            )
        },
    )
    assert main(["queries", str(events), "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["query"]["table"] == "events"
    assert item["judgement"]["verdict"] == "served"
    assert [u["index"] for u in item["judgement"]["uses"]] == ["events_organizer_id_starts_at"]
