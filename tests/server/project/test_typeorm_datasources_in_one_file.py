"""Several `new DataSource(...)` in one file, each bound to a name of its own, are several schema
units (server/project/typeorm.py `unit_key`): the first is the file's unit, the next ones
`<file>#<name>`, each read with its own type, entities and migrations; the workspace hands the
key to the reader (`reads_by_key`). Options picked at run time among objects of the file
(`new DataSource(pick())`) stay one unit."""

from __future__ import annotations

import json
from pathlib import Path

from schemasense.server.workspace.workspace import Workspace

PACKAGE = json.dumps({"dependencies": {"typeorm": "^0.3.20", "pg": "^8", "better-sqlite3": "^12"}})
SOURCES = """import { DataSource } from "typeorm";
import { User } from "./entity/User";
import { Event } from "./entity/Event";

export const main = new DataSource({
  type: "postgres",
  entities: [User],
  migrations: [__dirname + "/migration/postgres/*.ts"],
});

export const analytics = new DataSource({
  type: "better-sqlite3",
  database: "analytics.sqlite",
  entities: [Event],
  migrations: [__dirname + "/migration/sqlite/*.ts"],
});
"""
USER = """import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 80 })
  name: string;
}
"""
EVENT = """import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Event {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  kind: string;
}
"""


def _project(root: Path, sources: str = SOURCES) -> Path:
    files = {
        "package.json": PACKAGE,
        "src/data-source.ts": sources,
        "src/entity/User.ts": USER,
        "src/entity/Event.ts": EVENT,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_two_datasources_of_one_file_are_two_units(tmp_path: Path) -> None:
    root = _project(tmp_path)
    workspace = Workspace([str(root)])
    units = [u for u in workspace.units_at(str(root)) if u.kind == "typeorm"]
    source = str(root / "src" / "data-source.ts")
    assert sorted(u.key for u in units) == [source, source + "#analytics"]
    by_key = {u.key: workspace.analyze(u).read for u in units}
    main, analytics = by_key[source], by_key[source + "#analytics"]
    assert (main.type, [t.name for t in main.schema.tables]) == ("postgres", ["user"])
    assert (analytics.type, [t.name for t in analytics.schema.tables]) == (
        "better-sqlite3",
        ["event"],
    )
    assert analytics.datasource.migration_globs != main.datasource.migration_globs


def test_options_picked_at_run_time_stay_one_unit(tmp_path: Path) -> None:
    picked = """import { DataSource } from "typeorm";
import { User } from "./entity/User";

const postgres = { type: "postgres", entities: [User], migrations: ["src/migration/pg/*.ts"] };
const sqlite = { type: "better-sqlite3", entities: [User], migrations: ["src/migration/s/*.ts"] };

export const AppDataSource = new DataSource(process.env.DB === "sqlite" ? sqlite : postgres);
"""
    root = _project(tmp_path, picked)
    units = [u for u in Workspace([str(root)]).units_at(str(root)) if u.kind == "typeorm"]
    assert [u.key for u in units] == [str(root / "src" / "data-source.ts")]
