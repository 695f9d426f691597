"""What a project is, in one place: its schema sources, its database, its migration tool.

The facts the rest of the server asks about a project, each with the one rule that decides it:

- *which sources*: `.prisma` files (grouped by `discovery.py`; a schema's main file declares
  the `datasource`; package.json's `"prisma": {"schema": ...}` names a schema), and SQL DDL
  schema files
  (`schema.sql`, Rails' `db/structure.sql`, dbmate's `db/schema.sql`, or the files named by
  `[schema] path` in `schemasense.toml`);
- *which database*: the configuration's `database`, else the Prisma datasource's `provider`
  (`datasource_provider`), else, for SQL, the configured `[schema] dialect`, else what the text
  looks like (`sniff_sql_dialect`: pg_dump output, MySQL's dump marks, SQLite's), else
  PostgreSQL;
- *which migration tool*: the configured `[migrations] tool`, else the folder's layout
  (`server/migrations/discover.py`'s `detect_tool`), and where a new project's migrations go
  (`default_migrations`: dbmate's `db/migrations` beside `db/schema.sql`, Prisma's `migrations`
  beside `schema.prisma`);
- *the tools' own tables* (`BOOKKEEPING_TABLES`): what a migration tool keeps in the database
  for itself, which a schema dump contains and no migration creates.

`detect(folder)` gathers them for one folder (the CLI's and the editor's view of a project).
Pure functions of texts and paths; the only disk access is `os.path` checks and listings.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from schemasense.server.project.config import LoadedConfig, load_config

TextOf = Callable[[str], "str | None"]

DATASOURCE_PROVIDER = re.compile(
    r"""datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*["']([^"']*)["']""", re.S
)
"""A Prisma schema's `datasource x { provider = "..." }`."""

PRISMA = "prisma"
SQL_DDL = "sql_ddl"

DDL_FILE_NAMES = ("schema.sql", "structure.sql")
"""File names a DDL schema is kept under: `schema.sql` (anywhere: a project's own, dbmate's
`db/schema.sql`), `structure.sql` only as Rails keeps it, in `db/`."""

BOOKKEEPING_TABLES = frozenset(
    {
        "schema_migrations",  # dbmate, golang-migrate, Rails
        "ar_internal_metadata",  # Rails
        "_prisma_migrations",  # Prisma
        "flyway_schema_history",  # Flyway
        "SequelizeMeta",  # sequelize-cli
    }
)
"""Tables a migration tool keeps for itself: a schema dump holds them, no migration creates
them, so they are not part of the declared schema."""

_CREATE_TABLE = re.compile(
    r"\bcreate\s+(?:(?:global\s+|local\s+)?(?:temporary|temp)\s+|unlogged\s+)?table\b", re.I
)
_PG_DUMP = re.compile(
    r"^(?:SET\s+\w+\s*=|SELECT\s+pg_catalog\.set_config|ALTER\s+TABLE\s+ONLY\s|"
    r"CREATE\s+TABLE\s+public\.|"
    r"--\s*PostgreSQL database dump)",
    re.I | re.M,
)
_PG_WORDS = re.compile(
    r"\b(?:bigserial|serial|timestamptz|jsonb|uuid|bytea|character varying|"
    r"timestamp with(?:out)? time zone|::\w+|nextval\s*\(|USING\s+(?:btree|gin|gist|hash)|"
    r"CREATE\s+TYPE\b|CREATE\s+EXTENSION)\b",
    re.I,
)
_MYSQL = re.compile(
    r"(?:`\w+`|\bENGINE\s*=|\bAUTO_INCREMENT\b|/\*!\d{5}|\bunsigned\b|\bDEFAULT\s+CHARSET\b|"
    r"\bLOCK\s+TABLES\b|\bCOLLATE\s*=?\s*utf8)",
    re.I,
)
_SQLITE = re.compile(
    r"(?:\bPRAGMA\s+\w+|\bAUTOINCREMENT\b|\bsqlite_sequence\b|\bWITHOUT\s+ROWID\b|"
    r"^BEGIN TRANSACTION;)",
    re.I | re.M,
)


_DATASOURCE = re.compile(r"^[ \t]*datasource[ \t]+\w+[ \t]*\{", re.MULTILINE)


def declares_datasource(text: str) -> bool:
    """Whether `text` opens a `datasource` block (the mark of a Prisma schema's main file)."""
    return "datasource" in text and _DATASOURCE.search(text) is not None


def configured_schema(folder: str) -> str | None:
    """The schema path that `folder/package.json`'s `"prisma": {"schema": ...}` names, if any."""
    try:
        with open(os.path.join(folder, "package.json"), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deeply
        return None
    prisma = data.get("prisma") if isinstance(data, dict) else None
    schema = prisma.get("schema") if isinstance(prisma, dict) else None
    if not isinstance(schema, str) or not schema.strip():
        return None
    return os.path.normpath(os.path.join(folder, schema))


def datasource_provider(texts: Mapping[str, str] | Iterable[str]) -> str | None:
    """The `provider` of the first Prisma `datasource` block in `texts` (None: none)."""
    values = texts.values() if isinstance(texts, Mapping) else texts
    for text in values:
        match = DATASOURCE_PROVIDER.search(text)
        if match:
            return match.group(1)
    return None


def is_ddl_schema_name(path: str) -> bool:
    """Whether `path` has a DDL schema file's name (`schema.sql`, `db/structure.sql`)."""
    name = os.path.basename(path)
    if name == "schema.sql":
        return True
    return name == "structure.sql" and os.path.basename(os.path.dirname(path)) == "db"


def looks_like_ddl(text: str | None) -> bool:
    """Whether `text` declares a table (an unread file is given the benefit of the doubt)."""
    return text is None or _CREATE_TABLE.search(text) is not None


def sniff_sql_dialect(text: str) -> str | None:
    """The SQL dialect `text` is written in, by its marks; None when nothing tells.

    pg_dump's output (dbmate's `db/schema.sql`, Rails' `structure.sql`) opens with `SET`
    statements and writes `CREATE TABLE public.x` and `ALTER TABLE ONLY`; mysqldump writes
    backquotes, `ENGINE=` and `/*!40101 ... */`; SQLite's `.schema` writes `AUTOINCREMENT`
    and `sqlite_sequence`.
    """
    head = text[:200_000]
    if _PG_DUMP.search(head):
        return "postgresql"
    mysql = len(_MYSQL.findall(head))
    sqlite = len(_SQLITE.findall(head))
    postgres = len(_PG_WORDS.findall(head))
    best = max(mysql, sqlite, postgres)
    if best == 0:
        return None
    if postgres == best:
        return "postgresql"
    return "mysql" if mysql == best else "sqlite"


def ddl_dialect(loaded: LoadedConfig | None, text: str) -> tuple[str, str]:
    """The dialect a DDL schema file is read in, and where that came from: the configured
    `[schema] dialect`, else `database`, else the text's marks, else PostgreSQL."""
    from schemasense.server.migrations.discover import dialect_of_provider

    config = loaded.config if loaded is not None else None
    if config is not None and config.declared is not None and config.declared.dialect:
        return config.declared.dialect, "config"
    if config is not None and config.database:
        found = dialect_of_provider(config.database)
        if found is not None:
            return found, "config"
    sniffed = sniff_sql_dialect(text)
    if sniffed is not None:
        return sniffed, "sniffed"
    return "postgresql", "default"


def unit_database(kind: str, texts: Mapping[str, str], loaded: LoadedConfig | None) -> str | None:
    """The database a unit of `kind` is written for, as its own text says: a Prisma schema's
    datasource provider, a DDL file's dialect (`ddl_dialect`)."""
    if kind == SQL_DDL:
        return ddl_dialect(loaded, next(iter(texts.values()), ""))[0]
    return datasource_provider(texts)


def configured_schema_files(loaded: LoadedConfig) -> list[str]:
    """The absolute paths `[schema] path` names (relative to the config file's folder)."""
    config = loaded.config
    if config.declared is None or loaded.root is None:
        return []
    paths = config.declared.paths()
    return [os.path.normpath(os.path.join(loaded.root, p)) for p in paths]


def ddl_schema_beside(migration: str) -> str | None:
    """The DDL schema file beside the `migrations` folder holding `migration` (dbmate's
    `db/schema.sql` for `db/migrations/x.sql`, Rails' `db/structure.sql`), if there is one:
    the schema a migration file opened on its own belongs to."""
    current = os.path.dirname(migration)
    for _ in range(3):
        parent = os.path.dirname(current)
        if os.path.basename(current) == "migrations":
            for name in DDL_FILE_NAMES:
                candidate = os.path.join(parent, name)
                if is_ddl_schema_name(candidate) and os.path.isfile(candidate):
                    return candidate
            return None
        if parent == current:
            return None
        current = parent
    return None


def default_migrations(schema_file: str, kind: str) -> tuple[str, str]:
    """Where a new migration set for the schema in `schema_file` goes, and in which tool's
    format, when the project has none yet: dbmate's `db/migrations` beside `db/schema.sql`,
    a plain `migrations` folder beside another DDL file, Prisma's `migrations` beside
    `schema.prisma`."""
    folder = os.path.dirname(schema_file)
    if kind == SQL_DDL:
        if os.path.basename(folder) == "db" and os.path.basename(schema_file) == "schema.sql":
            return os.path.join(folder, "migrations"), "dbmate"
        return os.path.join(folder, "migrations"), "plain"
    return os.path.join(folder, "migrations"), "prisma"


@dataclass(frozen=True)
class ProjectFacts:
    """What `detect` found for one folder."""

    root: str
    sources: tuple[str, ...] = ()
    """The kinds of schema source present (`prisma`, `sql_ddl`), in that order."""
    database: str | None = None
    """The configured database, else the Prisma datasource's provider, else a DDL file's
    dialect; None when nothing says."""
    database_version: str | None = None
    migrations: tuple[tuple[str, str], ...] = ()
    """(folder, tool) of every migration set found below the root."""
    config: str | None = None
    """The configuration file that applies (None: defaults)."""
    schema_files: tuple[str, ...] = field(default_factory=tuple)


def detect(root: str, text_of: TextOf | None = None) -> ProjectFacts:
    """The facts of the project in `root` (see the module docstring)."""
    from schemasense.server.migrations import discover_migrations
    from schemasense.server.project.discovery import Discovery

    root = os.path.normpath(os.path.abspath(root))
    read = text_of or _read
    loaded = load_config(root, read)
    units = Discovery(read).units_under(root)
    kinds = tuple(k for k in (PRISMA, SQL_DDL) if any(u.kind == k for u in units))
    database = loaded.config.database
    if database is None:
        for unit in units:
            texts = {p: read(p) or "" for p in unit.files}
            if unit.kind == PRISMA:
                database = datasource_provider(texts)
            else:
                database = ddl_dialect(loaded, next(iter(texts.values()), ""))[0]
            if database:
                break
    sets = discover_migrations(root)
    return ProjectFacts(
        root=root,
        sources=kinds,
        database=database,
        database_version=loaded.config.database_version,
        migrations=tuple((s.root, s.tool) for s in sets),
        config=loaded.path,
        schema_files=tuple(f for u in units for f in u.files),
    )


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            return f.read()
    except OSError:
        return None
