"""DB067 is TypeORM's own refusal: an entity with no primary column stops TypeORM at start-up
(`MissingPrimaryColumnError`, from its `EntityMetadataValidator`), while a key made of a join
column and a view with no key are accepted. Each case is compiled with `tsc` and built by
TypeORM (entity_ddl.cjs runs the validator as `DataSource.buildMetadatas` does); our read of
the same files reports DB067 exactly where TypeORM throws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from schemasense.server.sources.typeorm.reader import read_typeorm

from tests.oracle.typeorm.entities import compile_files, typeorm_ddl
from tests.oracle.typeorm.harness import unavailable

pytestmark = pytest.mark.oracle

DATA_SOURCE = """
import { DataSource } from "typeorm";
import { Author } from "./author";
import { Membership } from "./membership";
import { AuthorNames } from "./author-names";
export const AppDataSource = new DataSource({
  type: "postgres",
  entities: [Author, Membership, AuthorNames],
});
"""
MEMBERSHIP = """
import { Entity, JoinColumn, ManyToOne, PrimaryColumn, Column } from "typeorm";
import { Author } from "./author";
@Entity()
export class Membership {
  @PrimaryColumn() authorId!: number;
  @ManyToOne(() => Author) @JoinColumn({ name: "authorId" }) author!: Author;
  @Column() role!: string;
}
"""
VIEW = """
import { ViewColumn, ViewEntity } from "typeorm";
@ViewEntity({ expression: `SELECT "name" FROM "author"` })
export class AuthorNames {
  @ViewColumn() name!: string;
}
"""
KEYED = """
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity()
export class Author {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}
"""
KEYLESS = KEYED.replace("@PrimaryGeneratedColumn() id!: number;", "@Column() id!: number;")


def _project(root: Path, author: str) -> dict[str, str]:
    files = {
        "package.json": json.dumps({"dependencies": {"typeorm": "^1.1.0", "pg": "^8"}}),
        "src/data-source.ts": DATA_SOURCE,
        "src/author.ts": author,
        "src/membership.ts": MEMBERSHIP,
        "src/author-names.ts": VIEW,
    }
    texts = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        texts[str(path)] = text
    return texts


def _typeorm(root: Path, out: Path) -> str | None:
    """TypeORM's error building the entity set, or None when it builds."""
    sources = sorted(str(p) for p in (root / "src").glob("*.ts"))
    compiled = compile_files(sources, root, out, "1")
    try:
        typeorm_ddl(compiled[str(root / "src" / "data-source.ts")], "AppDataSource", out)
    except AssertionError as error:
        return str(error)
    return None


@pytest.mark.parametrize("author,refused", [(KEYED, False), (KEYLESS, True)])
def test_no_primary_column_is_db067_where_typeorm_refuses(
    author: str, refused: bool, tmp_path: Path
) -> None:
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path / "project"
    texts = _project(root, author)
    error = _typeorm(root, tmp_path / "build")
    read = read_typeorm(texts)
    ours = [f for f in read.findings if f.code == "DB067"]
    if refused:
        assert error is not None and "MissingPrimaryColumnError" in error
        assert 'Entity "Author" does not have a primary column' in error
        (finding,) = ours
        assert finding.message == 'Entity "Author" does not have a primary column'
        text = texts[finding.span.file]
        assert text[finding.span.start : finding.span.end] == "@Entity()"
        assert finding.span.file.endswith("author.ts")
    else:
        # the join-column key and the keyless view are accepted by TypeORM, and by us
        assert error is None
        assert ours == []
