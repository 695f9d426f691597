"""The proof of `schemasense generate migration` in a Sequelize project: the migration we write
for an edit of the models, run by sequelize-cli after the project's own, builds what Sequelize's
`sync()` builds for the edited models, and `db:migrate:undo` gives the catalog back.

For each edit below, the sample (samples/sequelize-js, PostgreSQL; on MariaDB, its config
saying `mysql` and JSON for its one JSONB; on SQLite, its config saying `sqlite`) is copied,
its models edited, and our CLI's workflow (`run_cli`, what `schemasense generate migration`
runs) writes the migration. Then, on real databases:
1. a fresh database gets the sample's migrations (`sequelize-cli db:migrate`): the catalog
   before, introspected;
2. `db:migrate` again runs the generated one; introspected, it is compared, object for object
   and as PostgreSQL prints it (`compare(..., exact=True)`), with a second fresh database that
   Sequelize 6.37.8 `sync()`s from the edited models (`tests/verify/sequelize_sync.cjs`);
3. `db:migrate:undo` runs its `down`: the catalog equals the one of step 1.

Before the migration is written, the drift we report from the text alone (the models in
database form against the replay of the sample's migrations) is checked against the truth: the
drift rules' comparison of the two real databases (the sync'd models, the migrated one).

An unchanged model set gives no migration at all.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.drift import DriftComparer
from schemasense.server.drift.report import DriftChecker, managed_schemas
from schemasense.server.migrations import read_set, replay
from schemasense.server.verify import databases
from schemasense.server.verify.compare import compare, format_differences
from schemasense.server.verify.databases import Unavailable, introspect
from schemasense.server.workflows.generate_migration import project as project_of_path
from schemasense.server.workflows.generate_migration import run_cli
from schemasense.server.workspace.workspace import Workspace

from tests.oracle.prisma import REPO_ROOT, _node

pytestmark = pytest.mark.oracle

SAMPLE = REPO_ROOT / "samples" / "sequelize-js"
SYNC = REPO_ROOT / "tests" / "verify" / "sequelize_sync.cjs"
CLI = REPO_ROOT / "node_modules" / ".bin" / "sequelize-cli"

BOOKMARK = """"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Bookmark extends Model {
    static associate(models) {
      Bookmark.belongsTo(models.User, { foreignKey: "userId", onDelete: "CASCADE" });
      Bookmark.belongsTo(models.Post, { foreignKey: "postId", onDelete: "CASCADE" });
    }
  }
  Bookmark.init(
    {
      userId: { type: DataTypes.INTEGER, allowNull: false },
      postId: { type: DataTypes.INTEGER, allowNull: false },
      kind: {
        type: DataTypes.ENUM("later", "favourite"),
        allowNull: false,
        defaultValue: "later",
      },
      note: { type: DataTypes.STRING(500), unique: true },
      score: { type: DataTypes.DOUBLE, defaultValue: 1.5 },
      savedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    },
    {
      sequelize,
      modelName: "Bookmark",
      indexes: [{ unique: true, fields: ["userId", "postId"] }],
    },
  );
  return Bookmark;
};
"""


@dataclass(frozen=True)
class Edit:
    """Texts replaced in model files (`file`: `(old, new)`), new files, and the renames the
    developer confirms (`--rename`)."""

    replace: dict[str, list[tuple[str, str]]]
    new_files: dict[str, str] | None = None
    renames: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()
    """`queryInterface` calls the migration must make (not raw SQL)."""
    safe: bool = False
    """`--safe`: several migrations, each holding PostgreSQL's heavy locks briefly."""
    from_empty: bool = False
    """The project's migrations taken away first: the whole model set in one migration."""


EDITS: dict[str, Edit] = {
    "add-column": Edit(
        {
            "user.js": [
                (
                    "lastSeenAt: DataTypes.DATE,",
                    "lastSeenAt: DataTypes.DATE,\n"
                    "      nickname: { type: DataTypes.STRING(40) },\n"
                    "      karma: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },",
                )
            ]
        },
        calls=("addColumn", "removeColumn"),
    ),
    "remove-column": Edit(
        {"profile.js": [("      birthday: DataTypes.DATEONLY,\n", "")]},
        calls=("removeColumn", "addColumn"),
    ),
    "change-type-and-length": Edit(
        {
            "post.js": [
                (
                    "type: DataTypes.STRING(200),\n        allowNull: false,\n      },\n      slug",
                    "type: DataTypes.STRING(300),\n        allowNull: false,\n      },\n      slug",
                )
            ],
            "membership.js": [("DataTypes.STRING(20)", "DataTypes.TEXT")],
            "comment.js": [
                (
                    "upvotes: {\n        type: DataTypes.INTEGER,",
                    "upvotes: {\n        type: DataTypes.BIGINT,",
                )
            ],
        },
        calls=("changeColumn",),
    ),
    "allow-null-and-default": Edit(
        {
            "team.js": [
                (
                    "type: DataTypes.STRING(100),\n        allowNull: false,",
                    "type: DataTypes.STRING(100),\n        allowNull: true,\n"
                    '        defaultValue: "unnamed",',
                )
            ],
            "comment.js": [
                (
                    "body: {\n        type: DataTypes.TEXT,\n        allowNull: false,",
                    "body: {\n        type: DataTypes.TEXT,\n        allowNull: true,",
                )
            ],
        },
        calls=("changeColumn",),
    ),
    "add-and-remove-index": Edit(
        {
            "post.js": [
                (
                    '{ fields: ["status", "publishedAt"] },',
                    '{ fields: ["views"] },\n        { name: "posts_rating_desc", '
                    'fields: [{ name: "rating", order: "DESC" }] },',
                )
            ]
        },
        calls=("addIndex", "removeIndex"),
    ),
    "unique": Edit(
        {
            "user.js": [
                (
                    "type: DataTypes.STRING(80),\n        allowNull: false,",
                    "type: DataTypes.STRING(80),\n        allowNull: false,\n        unique: true,",
                )
            ]
        },
        calls=("addConstraint", "removeConstraint"),
    ),
    "add-association": Edit(
        {
            "tag.js": [
                (
                    'Tag.belongsToMany(models.Post, { through: "PostTags" });',
                    'Tag.belongsToMany(models.Post, { through: "PostTags" });\n'
                    '      Tag.belongsTo(models.User, { as: "owner", onDelete: "CASCADE" });',
                )
            ]
        },
        calls=("addColumn", "addConstraint", "removeConstraint", "removeColumn"),
    ),
    "rename-column": Edit(
        {"profile.js": [("bio: DataTypes.TEXT,", "about: DataTypes.TEXT,")]},
        renames=("Profiles.bio=about",),
        calls=("renameColumn",),
    ),
    "rename-tables": Edit(
        {
            "membership.js": [('tableName: "team_memberships"', 'tableName: "memberships"')],
            "tag.js": [("timestamps: false,", 'timestamps: false,\n      tableName: "labels",')],
        },
        renames=("team_memberships=memberships", "Tags=labels"),
        calls=("renameTable",),
    ),
    "add-model": Edit(
        {},
        new_files={"bookmark.js": BOOKMARK},
        calls=("createTable", "addIndex", "dropTable", "dropEnum"),
    ),
    "from-empty": Edit(
        {},
        from_empty=True,
        calls=("createTable", "addIndex", "dropTable", "dropEnum"),
    ),
    "safe": Edit(
        {
            "post.js": [
                (
                    '{ fields: ["status", "publishedAt"] },',
                    '{ fields: ["status", "publishedAt"] },\n        { fields: ["views"] },',
                )
            ],
            "user.js": [
                (
                    "type: DataTypes.STRING(80),\n        allowNull: false,",
                    "type: DataTypes.STRING(80),\n        allowNull: false,\n        unique: true,",
                ),
                (
                    "lastSeenAt: DataTypes.DATE,",
                    "lastSeenAt: { type: DataTypes.DATE, allowNull: false },",
                ),
            ],
            "tag.js": [
                (
                    'Tag.belongsToMany(models.Post, { through: "PostTags" });',
                    'Tag.belongsToMany(models.Post, { through: "PostTags" });\n'
                    '      Tag.belongsTo(models.User, { as: "owner" });',
                )
            ],
        },
        calls=("addIndex", "addColumn", "removeConstraint", "removeIndex", "changeColumn"),
        safe=True,
    ),
    "add-enum-values": Edit(
        {
            "user.js": [
                (
                    '"reader", "author", "admin"',
                    '"guest", "reader", "editor", "author", "admin", "owner"',
                )
            ]
        },
    ),
    "add-enum-value-a-partial-index-uses": Edit(
        {
            "post.js": [
                (
                    '"draft", "published", "archived"',
                    '"draft", "scheduled", "published", "archived"',
                )
            ]
        },
    ),
}

KNOWN_WRONG: dict[str, str] = {}


KNOWN_WRONG_MYSQL = {
    "rename-tables": "MariaDB renames a table's `<table>_ibfk_<n>` foreign keys with it; the "
    "replay does not, so the diff drops and adds them under names they no longer have",
}

_AUTOINDEX = (
    "the SQLite table redefinition (codegen/emit/sql/sqlite.py, Prisma's, kept as SQL: no call "
    "says it) creates a UNIQUE's index again under its reserved name sqlite_autoindex_<t>_<n>, "
    "which SQLite refuses"
)
KNOWN_WRONG_SQLITE = {
    "add-association": _AUTOINDEX,
    "add-column": _AUTOINDEX + " (a required column makes Users redefined)",
    "remove-column": _AUTOINDEX,
    "unique": _AUTOINDEX,
    "rename-tables": "the diff renames SQLite's sqlite_autoindex_Tags_1 with its table "
    "(SQLite renames it itself, and refuses to touch it)",
    "change-type-and-length": "the diff leaves a SQLite column whose declared type changed "
    "(VARCHAR(200) -> VARCHAR(300), VARCHAR(20) -> TEXT) alone; sync() writes the new type",
    "rename-column": "the table redefinition for the rename loses the id's AUTOINCREMENT and "
    "the key's ON UPDATE CASCADE",
}

POSTGRES_ONLY = {
    "safe": "--safe is PostgreSQL's (CONCURRENTLY, NOT VALID)",
    "add-enum-value-a-partial-index-uses": "MySQL has no partial index",
}


@pytest.fixture(scope="module")
def servers():
    """PostgreSQL and MariaDB/MySQL servers (or why there is none)."""
    if _node() is None or not CLI.exists():
        pytest.skip("node or sequelize-cli is missing (npm install at the repo root)")
    found: dict[str, object] = {}
    for dialect, make, driver in (
        ("postgresql", databases.postgres_server, "pg"),
        ("mysql", databases.mysql_server, "mysql2"),
    ):
        if not (REPO_ROOT / "node_modules" / driver).is_dir():
            found[dialect] = f"node_modules/{driver} is missing"
            continue
        try:
            found[dialect] = make()
        except Unavailable as exc:
            found[dialect] = str(exc)
    found["sqlite"] = (
        SqliteFiles(Path(tempfile.mkdtemp(prefix="sequelize_gen_")))
        if (REPO_ROOT / "node_modules" / "sqlite3").is_dir()
        else "node_modules/sqlite3 is missing"
    )
    yield found
    for server in found.values():
        if not isinstance(server, str):
            server.close()  # type: ignore[attr-defined]


class SqliteFiles:
    """SQLite's stand-in for a server: each scratch database a new file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextlib.contextmanager
    def scratch(self, prefix: str = "db"):
        path = Path(tempfile.mkstemp(prefix=prefix, suffix=".db", dir=self.folder)[1])
        try:
            yield f"sqlite:///{path}"
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _for_sqlite(project: Path) -> None:
    config = project / "config" / "config.json"
    settings = json.loads(config.read_text())
    for env in settings.values():
        env.clear()
        env.update({"dialect": "sqlite", "storage": "db.sqlite"})
    config.write_text(json.dumps(settings, indent=2))


def _for_mysql(project: Path) -> None:
    """The sample on MariaDB / MySQL: its config's dialect, and JSON for its one JSONB (which
    MySQL has not), in the models and the migrations alike."""
    config = project / "config" / "config.json"
    settings = json.loads(config.read_text())
    for env in settings.values():
        env.pop("use_env_variable", None)
        env["dialect"] = "mysql"
    config.write_text(json.dumps(settings, indent=2))
    for path in [*(project / "models").glob("*.js"), *(project / "migrations").glob("*.js")]:
        path.write_text(path.read_text().replace("JSONB", "JSON"))


def _project(tmp_path: Path, edit: Edit, dialect: str = "postgresql") -> Path:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    if dialect == "mysql":
        _for_mysql(project)
    elif dialect == "sqlite":
        _for_sqlite(project)
    for name, pairs in edit.replace.items():
        path = project / "models" / name
        text = path.read_text()
        for old, new in pairs:
            assert old in text, f"{name}: {old!r} is not in the sample any more"
            text = text.replace(old, new, 1)
        path.write_text(text)
    for name, text in (edit.new_files or {}).items():
        (project / "models" / name).write_text(text)
    if edit.from_empty:
        for path in (project / "migrations").iterdir():
            path.unlink()
    return project


def _generate(
    project: Path, renames: tuple[str, ...] = (), safe: bool = False
) -> tuple[int, list[Path], str]:
    before = set((project / "migrations").iterdir())
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(str(project), None, renames=list(renames), safe=safe, out=out, err=err)
    written = sorted(set((project / "migrations").iterdir()) - before)
    return code, written, err.getvalue()


def _cli(project: Path, url: str, *command: str) -> None:
    run = subprocess.run(
        [_node() or "node", str(CLI), *command, "--url", url],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,  # a call outside the migration's transaction waits for its locks forever
        env={**os.environ, "NODE_PATH": str(REPO_ROOT / "node_modules")},
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _sync(project: Path, url: str) -> None:
    files = sorted(p for p in (project / "models").glob("*.js") if p.name != "index.js")
    run = subprocess.run(
        [_node() or "node", str(SYNC), str(REPO_ROOT), url, "factory", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NODE_PATH": str(REPO_ROOT / "node_modules")},
    )
    assert run.returncode == 0, run.stderr
    json.loads(run.stdout)


def _differences(
    left: Schema, right: Schema, left_name: str, right_name: str, dialect: str
) -> list:
    """Every difference but the column order: `ALTER TABLE ... ADD COLUMN` appends, so a
    column added by a migration is last where `sync()` writes it before the timestamps (the
    order of columns is no part of what a migration can say on PostgreSQL). PostgreSQL's
    texts are compared as it prints them; MySQL's through `normalize`, as the sync test does."""
    found = compare(
        left,
        right,
        provider=dialect,
        exact=dialect == "postgresql",
        left_name=left_name,
        right_name=right_name,
    )
    return [d for d in found if d.what != "column order"]


def _our_drift(project: Path, dialect: str) -> list[str]:
    """The drift we report (the models in database form against the replay of the
    migrations), each as `str(Drift)`: the code action's condition."""
    proj = project_of_path(Workspace([str(project)]), str(project))
    migrations = read_set(proj.folder, "sequelize", dialect=dialect)
    assert migrations is not None
    report = DriftChecker().check(proj.declared, replay(migrations), database_form=True)
    return [str(item.drift) for item in report.items]


def _catalog(url: str) -> Schema:
    schema = introspect(url)
    return schema.model_copy(
        update={"tables": [t for t in schema.tables if t.name != "SequelizeMeta"]}
    )


def test_an_unchanged_model_set_gives_no_migration(tmp_path: Path) -> None:
    project = _project(tmp_path, Edit({}))
    code, written, err = _generate(project)
    assert code == 0 and written == []
    assert "nothing to generate" in err


CASES = (
    [("postgresql", label) for label in sorted(EDITS)]
    + [("mysql", label) for label in sorted(EDITS) if label not in POSTGRES_ONLY]
    + [("sqlite", label) for label in sorted(EDITS) if label not in POSTGRES_ONLY]
)


@pytest.mark.parametrize(("dialect", "label"), CASES, ids=[f"{d}-{k}" for d, k in CASES])
def test_generated_migration_builds_what_sync_builds_and_undoes(
    dialect: str, label: str, servers, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    edit = EDITS[label]
    known = {"postgresql": KNOWN_WRONG, "mysql": KNOWN_WRONG_MYSQL, "sqlite": KNOWN_WRONG_SQLITE}
    wrong = known[dialect].get(label)
    if wrong:
        request.applymarker(pytest.mark.xfail(reason=wrong, strict=True))
    server = servers[dialect]
    if isinstance(server, str):
        pytest.skip(server)
    project = _project(tmp_path, edit, dialect)
    with (
        server.scratch(prefix="sequelize_gen") as migrated,
        server.scratch(prefix="sequelize_gen") as synced,
    ):
        _cli(project, migrated, "db:migrate")
        before = _catalog(migrated)
        ours = _our_drift(project, dialect)
        code, written, err = _generate(project, edit.renames, edit.safe)
        assert code == 0, err
        assert (len(written) > 1) if edit.safe else (len(written) == 1), written
        assert all(p.suffix == ".js" for p in written), written
        text = "\n".join(p.read_text() for p in written)
        for name in edit.calls if dialect == "postgresql" else ():
            assert f"queryInterface.{name}(" in text, f"no {name} in:\n{text}"
        _cli(project, migrated, "db:migrate")
        after = _catalog(migrated)
        _sync(project, synced)
        truth = _catalog(synced)
        # drift, as we report it from the text alone, is the drift between the databases
        true_drift = [
            str(d)
            for d in DriftComparer().compare(
                truth, before, provider=dialect, managed_schemas=managed_schemas(truth)
            )
        ]
        assert ours == true_drift, "\n".join(
            [f"ours only:  {x}" for x in ours if x not in true_drift]
            + [f"truth only: {x}" for x in true_drift if x not in ours]
        )
        assert ours, "the edit is drift"
        differences = _differences(after, truth, "migrated", "sync", dialect)
        assert differences == [], format_differences(differences) + "\n" + text
        assert compare(after, before, provider=dialect), "the migration changed nothing"
        _cli(project, migrated, "db:migrate:undo")
        undone = _catalog(migrated)
        back = _differences(undone, before, "undone", "before", dialect)
        assert back == [], format_differences(back) + "\n" + text
        # the project's migrations and models agree again: nothing more to generate
        again, more, _ = _generate(project)
        assert again == 0 and more == []
