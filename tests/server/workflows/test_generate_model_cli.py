"""`schemasense generate model`: what it writes, where, and when it refuses.

Run through `cli.main` on copies of the samples in `tmp_path`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from schemasense.server import cli

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture
def prisma_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "app"
    shutil.copytree(SAMPLES / "prisma-clean", project)
    (project / "src").mkdir()
    monkeypatch.chdir(project)
    return project


@pytest.fixture
def typeorm_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "nest"
    shutil.copytree(SAMPLES / "typeorm-nest", project, ignore=shutil.ignore_patterns("dist"))
    monkeypatch.chdir(project)
    return project


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_dry_run_prints_and_writes_nothing(prisma_project: Path, capsys):
    before = _files(prisma_project)
    assert cli.main(["generate", "model", ".", "--to", "typeorm", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "--- src/entities/task.entity.ts (new)" in out
    assert '@Entity("tasks")' in out
    assert _files(prisma_project) == before


def test_writes_every_entity_then_refuses_to_overwrite(prisma_project: Path, capsys):
    assert cli.main(["generate", "model", ".", "--to", "typeorm"]) == 0
    entities = sorted(p.name for p in (prisma_project / "src" / "entities").iterdir())
    assert entities == ["project.entity.ts", "task.entity.ts", "user.entity.ts"]
    assert "3 TypeORM entities (Project, Task, User):" in capsys.readouterr().out
    (prisma_project / "src" / "entities" / "task.entity.ts").write_text("// mine\n")
    (prisma_project / "src" / "entities" / "user.entity.ts").unlink()
    assert cli.main(["generate", "model", ".", "--to", "typeorm"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "exists already; nothing was written" in err
    assert not (prisma_project / "src" / "entities" / "user.entity.ts").exists()  # none
    assert (prisma_project / "src" / "entities" / "task.entity.ts").read_text() == "// mine\n"


def test_models_picked_by_name_and_an_unknown_one_is_named(prisma_project: Path, capsys):
    assert cli.main(["generate", "model", ".", "--to", "typeorm", "--model", "Task"]) == 0
    task = (prisma_project / "src" / "entities" / "task.entity.ts").read_text()
    assert "// foreign key tasks_project_id_fkey (project_id) -> projects is not declared" in task
    (prisma_project / "src" / "entities" / "task.entity.ts").unlink()
    assert cli.main(["generate", "model", ".", "--to", "typeorm", "--model", "User"]) == 0
    assert sorted(p.name for p in (prisma_project / "src" / "entities").iterdir()) == [
        "user.entity.ts"
    ]
    assert cli.main(["generate", "model", ".", "--to", "typeorm", "--model", "Nope"]) == 2
    assert "no model 'Nope' in the schema (it has: Project, Task, User)" in capsys.readouterr().err


def test_never_outside_the_project(prisma_project: Path, capsys):
    code = cli.main(["generate", "model", ".", "--to", "typeorm", "--out", "../elsewhere"])
    assert code == cli.EXIT_USAGE
    assert "is outside the project" in capsys.readouterr().err
    assert not (prisma_project.parent / "elsewhere").exists()


def test_not_to_its_own_orm(prisma_project: Path, capsys):
    assert cli.main(["generate", "model", ".", "--to", "prisma"]) == cli.EXIT_USAGE
    assert "the models are Prisma models already" in capsys.readouterr().err


def test_prisma_models_appended_to_the_projects_schema(typeorm_project: Path, capsys):
    schema = typeorm_project / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    head = 'datasource db {\n  provider = "postgresql"\n}\n'
    schema.write_text(head)
    assert cli.main(["generate", "model", "src/data-source.ts", "--to", "prisma"]) == 0
    text = schema.read_text()
    assert text.startswith(head + "\n")
    assert "model Post {" in text and "model Tag {" in text and '@@map("post_tags_tag")' in text
    assert "appended prisma/schema.prisma" in capsys.readouterr().out
    # again: the models are there already
    assert cli.main(["generate", "model", "src/data-source.ts", "--to", "prisma"]) == 2
    assert "is already declared in" in capsys.readouterr().err
    assert schema.read_text() == text


def test_entities_go_beside_the_projects_own(typeorm_project: Path, capsys):
    """A TypeORM project gets new entities in its entity folder with its suffix (here from a
    Prisma schema added to it)."""
    schema = typeorm_project / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(
        'datasource db {\n  provider = "postgresql"\n}\n\n'
        "model Invoice {\n  id Int @id @default(autoincrement())\n}\n"
    )
    assert cli.main(["generate", "model", "prisma/schema.prisma", "--to", "typeorm"]) == 0
    made = typeorm_project / "src" / "invoice.entity.ts"
    assert made.is_file(), capsys.readouterr()
    assert '@Entity("Invoice")' in made.read_text()


def test_sequelize_models_from_a_prisma_schema(prisma_project: Path, capsys):
    """`--to sequelize` writes one model file a table, in the project's style, with the loader
    when the project has no models yet; every table of the schema is named in its file."""
    assert cli.main(["generate", "model", ".", "--to", "sequelize"]) == 0, capsys.readouterr()
    made = sorted(p for p in prisma_project.rglob("models/*") if p.is_file())
    assert made, capsys.readouterr()
    texts = {p.name: p.read_text() for p in made}
    assert any(name.startswith("index.") for name in texts)
    assert all(
        ".init(" in t or "@Table" in t for n, t in texts.items() if not n.startswith("index")
    )


def test_prisma_models_into_a_schema_folder_are_a_new_file(typeorm_project: Path, capsys):
    folder = typeorm_project / "prisma" / "schema"
    folder.mkdir(parents=True)
    main = 'generator client {\n  provider = "prisma-client-js"\n}\n\n'
    main += 'datasource db {\n  provider = "postgresql"\n}\n'
    (folder / "schema.prisma").write_text(main)
    args = ["generate", "model", "src/data-source.ts", "--to", "prisma", "--model", "Tag"]
    assert cli.main(args) == 0, capsys.readouterr().err
    assert (folder / "schema.prisma").read_text() == main
    assert (folder / "tag.prisma").read_text().startswith("model Tag {")


def test_from_sql_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """A `db/schema.sql` (no package.json) gets `prisma/schema.prisma` beside `db/`."""
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "schema.sql").write_text(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);\n"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL"
        " REFERENCES users(id) ON DELETE CASCADE);\n"
    )
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "model", "db/schema.sql", "--to", "prisma"]) == 0
    text = (tmp_path / "prisma" / "schema.prisma").read_text()
    assert "model User {" in text and '@@map("users")' in text
    assert "user   User   @relation(fields: [userId], references: [id], onDelete: Cascade" in text
    assert "orders Order[]" in text


def test_in_a_monorepo_the_files_go_to_the_models_package(tmp_path: Path, monkeypatch, capsys):
    """A package below a repository with its own package.json: the models' package is the
    project (not the repository root)."""
    (tmp_path / "package.json").write_text('{"name": "monorepo", "private": true}')
    app = tmp_path / "apps" / "api"
    shutil.copytree(SAMPLES / "typeorm-nest", app, ignore=shutil.ignore_patterns("dist"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "model", "apps/api", "--to", "prisma"]) == 0, capsys.readouterr()
    assert (app / "prisma" / "schema.prisma").is_file()
    assert not (tmp_path / "prisma").exists()


def test_a_models_folder_that_links_out_of_the_project_is_refused(prisma_project: Path, capsys):
    """An entities folder that is a symbolic link out of the project (robustness issue, item
    6): a plain message, the usage exit code, nothing written here or where the link goes."""
    elsewhere = prisma_project.parent / "elsewhere"
    elsewhere.mkdir()
    (prisma_project / "src" / "entities").symlink_to(elsewhere, target_is_directory=True)
    before = _files(prisma_project)
    assert cli.main(["generate", "model", ".", "--to", "typeorm"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "outside the project" in err and "nothing was written" in err
    assert "internal error" not in err
    assert _files(prisma_project) == before and list(elsewhere.iterdir()) == []


def test_a_prisma_schema_that_links_out_of_the_project_is_not_appended_to(
    typeorm_project: Path, capsys
):
    """The Prisma schema models are appended to, a link out of the project: refused, and the
    file where the link goes keeps its text."""
    elsewhere = typeorm_project.parent / "elsewhere.prisma"
    head = 'datasource db {\n  provider = "postgresql"\n}\n'
    elsewhere.write_text(head)
    (typeorm_project / "prisma").mkdir()
    (typeorm_project / "prisma" / "schema.prisma").symlink_to(elsewhere)
    code = cli.main(["generate", "model", "src/data-source.ts", "--to", "prisma"])
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "outside the project" in err and "nothing was written" in err
    assert elsewhere.read_text() == head
