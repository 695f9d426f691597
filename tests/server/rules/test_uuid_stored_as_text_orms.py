"""DB112 on TypeORM entities: a varchar column the database fills with `gen_random_uuid()` is
a UUID stored as text (no fix yet: see the rule's docs); a `@Generated("uuid")` column is not,
since TypeORM stores it as `uuid` on PostgreSQL whatever type it is given (TypeORM's own DDL
for it is `"id" uuid NOT NULL DEFAULT uuid_generate_v4()`, checked with the offline oracle)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from schemasense.server.cli import main

TOKEN = """import { Column, Entity, Generated, PrimaryColumn } from "typeorm";

@Entity()
export class Token {
  @PrimaryColumn({ type: "varchar", length: 36 })
  @Generated("uuid")
  id: string;

  @Column({ type: "varchar", default: () => "gen_random_uuid()" })
  secret: string;
}
"""
DATA_SOURCE = """import { DataSource } from "typeorm";
import { Token } from "./token";
export const ds = new DataSource({ type: "postgres", entities: [Token] });
"""


def test_a_uuid_default_on_varchar_is_flagged_and_generated_uuid_is_uuid(tmp_path: Path):
    (tmp_path / "src").mkdir()
    (tmp_path / "package.json").write_text('{"dependencies": {"typeorm": "^0.3.20", "pg": "^8"}}')
    (tmp_path / "src" / "data-source.ts").write_text(DATA_SOURCE)
    (tmp_path / "src" / "token.ts").write_text(TOKEN)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(tmp_path), "--format", "json", "--no-cache"])
    found = [f for f in json.loads(out.getvalue()) if f["code"] == "DB112"]
    assert [f["message"] for f in found] == ["`Token.secret` stores a UUID as text"]
    assert "fix" not in found[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["schema", str(tmp_path), "--json"])
    schema = json.loads(out.getvalue())
    schema = schema if "tables" in schema else schema[0]
    (token,) = schema["tables"]
    types = {c["name"]: c["type"]["native"] for c in token["columns"]}
    assert types == {"id": "uuid", "secret": "character varying"}
