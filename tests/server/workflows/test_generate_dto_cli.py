"""`schemasense generate dto`: the files, the options, a second run, all or none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from schemasense.server.cli import main

SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Author {
  id    Int    @id @default(autoincrement())
  name  String @db.VarChar(80)
  books Book[]
}

model Book {
  id       Int     @id @default(autoincrement())
  title    String
  price    Decimal @db.Decimal(8, 2)
  authorId Int
  author   Author  @relation(fields: [authorId], references: [id])
}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "package.json").write_text('{"name": "shop"}\n')
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_writes_one_file_per_model_and_style(project: Path, capsys) -> None:
    assert main(["generate", "dto", "."]) == 0
    written = capsys.readouterr().out.split()
    assert written == [
        "dto/author.dto.ts",
        "dto/author.schema.ts",
        "dto/book.dto.ts",
        "dto/book.schema.ts",
    ]
    book = (project / "dto" / "book.dto.ts").read_text()
    assert "authorId!: number;" in book  # the key, not the relation object
    assert "@Matches(/^-?\\d{1,6}(\\.\\d+)?$/)" in book  # Decimal(8, 2), as a string
    assert "import" in book and "@prisma/client" not in book


def test_options(project: Path, capsys) -> None:
    args = ["generate", "dto", "prisma/schema.prisma", "--model", "Book", "--style", "zod"]
    assert main([*args, "--out", "src/contracts", "--decimal", "number", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("--- src/contracts/book.schema.ts\n")
    assert "price: z.number().min(-999999.99).max(999999.99)," in out
    assert not (project / "src").exists()  # a dry run writes nothing

    assert main(["generate", "dto", ".", "--model", "Nope"]) == 2
    assert "no model named Nope (models: Author, Book)" in capsys.readouterr().err


def test_second_run_keeps_hand_edits_outside_the_markers(project: Path, capsys) -> None:
    assert main(["generate", "dto", "."]) == 0
    dto = project / "dto" / "author.dto.ts"
    dto.write_text("// my header\n" + dto.read_text() + "\nexport const extra = 1;\n")
    schema = project / "prisma" / "schema.prisma"
    schema.write_text(
        schema.read_text().replace("  books Book[]", "  bio   String?\n  books Book[]")
    )
    capsys.readouterr()
    assert main(["generate", "dto", "."]) == 0
    assert capsys.readouterr().out.split() == ["dto/author.dto.ts", "dto/author.schema.ts"]
    text = dto.read_text()
    assert text.startswith("// my header\n") and text.endswith("\nexport const extra = 1;\n")
    assert "bio?: string | null;" in text
    assert main(["generate", "dto", "."]) == 0  # nothing changed: nothing written
    assert "up to date" in capsys.readouterr().err


def test_all_or_none(project: Path, capsys) -> None:
    (project / "dto").mkdir()
    (project / "dto" / "book.schema.ts").write_text("export const mine = 1;\n")
    assert main(["generate", "dto", "."]) == 2
    err = capsys.readouterr().err
    assert "was not written by schemasense" in err and "nothing was written" in err
    assert os.listdir(project / "dto") == ["book.schema.ts"]

    assert main(["generate", "dto", ".", "--out", "../elsewhere"]) == 2
    assert "outside the project" in capsys.readouterr().err
    assert not (project.parent / "elsewhere").exists()


def test_a_dto_folder_that_links_out_of_the_project_is_refused(project: Path, capsys) -> None:
    """`--out` inside the project by its name, outside by its link: nothing is written there."""
    elsewhere = project.parent / f"{project.name}-elsewhere"
    elsewhere.mkdir()
    (project / "dto").symlink_to(elsewhere, target_is_directory=True)
    assert main(["generate", "dto", "."]) == 2
    err = capsys.readouterr().err
    assert "outside the project" in err and "nothing was written" in err
    assert os.listdir(elsewhere) == []
