"""Project configuration: `schemasense.toml`, `[tool.schemasense]` in pyproject.toml, or the
`"schemasense"` key of package.json — the first found, walking up from the schema to the
repository root.

    database = "postgresql"          # the target database (else the datasource's provider)
    database-version = "15"          # its server version: lock facts depend on it
    select = ["ALL"]                 # codes, code prefixes (DB1, DB20) or rule names
    ignore = ["DB105"]
    extend-select = ["DB120"]        # add to select (preview rules by their exact code)
    preview = false                  # turn every preview rule on
    docs-url = "https://example.com/rules/"   # base of each diagnostic's link
    cache-dir = ".schemasense_cache" # where `check` keeps its cache (server/cache/store.py)

    [severity]                       # per rule: error | warning | info | off
    DB101 = "error"
    timestamp-without-time-zone = "info"

    [rules.int-primary-key-overflow] # a rule's options (its docs list them)
    ignore-tables = ["Country"]

    [schema]                         # a schema kept as SQL DDL (server/sources/sql_ddl/)
    path = "db/schema.sql"           # or a list; found without it: schema.sql, db/structure.sql
    dialect = "postgresql"           # else `database`, else sniffed from the text, else PostgreSQL

    [migrations]                     # the runner (see server/migrations/discover.py)
    path = "prisma/migrations"
    tool = "prisma"
    transaction = "per-file"         # per-file (Prisma, Flyway) | none | per-statement

    [queries]                        # which code files hold queries (server/queries/files.py)
    include = ["src/**"]             # globs relative to this file (default: every code file)
    exclude = ["src/scripts/**"]     # on top of node_modules, build output, tests, migrations

    [limits]                         # budgets (docs/configuration.md, "Limits")
    max-file-mb = 64                 # larger files are not read
    max-folders = 50000              # folders a search for schemas lists
    scan-seconds = 60                # and the seconds it may take
    analysis-seconds = 300           # the rules' run over one schema and its migrations

    [[overrides]]                    # per-path: later overrides win
    paths = ["prisma/migrations/2021*/**"]
    ignore = ["DB2"]

Invalid configuration never stops a check: every problem becomes a finding on the config file
(`DB090`), the bad entries are dropped, and the rest applies.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding, Severity

CONFIG_CODE = "DB090"
FILE_NAMES = ("schemasense.toml", "pyproject.toml", "package.json")

Database = Literal["postgresql", "cockroachdb", "mysql", "mariadb", "sqlite", "sqlserver"]
Transaction = Literal["per-file", "none", "per-statement"]
SeverityOrOff = Literal["error", "warning", "info", "off"]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _inside_the_project(path: str, what: str) -> str:
    """`path` if it names a place in the configuration file's folder or below it.

    A configuration file is data: it must not send schemasense to read or write elsewhere on
    the machine (a shared repository's `schemasense.toml` pointing `[migrations] path` at
    `~/.ssh`, or generated migrations into another project). Absolute paths and paths that climb
    above the file's folder are refused with the reason.
    """
    if os.path.isabs(path) or re.match(r"^[A-Za-z]:[\\/]", path) or path.startswith("~"):
        raise ValueError(f"{what} must be relative to the configuration file's folder: {path!r}")
    if os.path.normpath(path.replace("\\", "/")).split("/")[0] == "..":
        raise ValueError(f"{what} must stay inside the project (no '..' above it): {path!r}")
    return path


class _Base(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=_kebab, populate_by_name=True
    )


class Selection(_Base):
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    extend_select: list[str] = Field(default_factory=list)
    severity: dict[str, SeverityOrOff] = Field(default_factory=dict)


class Override(Selection):
    paths: list[str]
    """Glob patterns relative to the config file's folder (`**` crosses folders)."""


class MigrationsConfig(_Base):
    model_config = ConfigDict(
        extra="allow", frozen=True, alias_generator=_kebab, populate_by_name=True
    )
    path: str | None = None
    tool: (
        Literal["prisma", "flyway", "golang-migrate", "dbmate", "plain", "typeorm", "sequelize"]
        | None
    ) = None
    dialect: Literal["postgresql", "mysql", "sqlite"] | None = None
    transaction: Transaction | None = None

    @field_validator("path")
    @classmethod
    def _path_inside(cls, value: str | None) -> str | None:
        return None if value is None else _inside_the_project(value, "[migrations] path")

    """How the runner applies a file: Prisma and Flyway run each file in one transaction
    (`per-file`), golang-migrate and dbmate too unless told otherwise; `none` runs each
    statement on its own (autocommit)."""


class SchemaConfig(_Base):
    """`[schema]`: the declared schema kept as SQL DDL (`server/sources/sql_ddl/`)."""

    path: str | list[str] | None = None
    """The DDL file(s), relative to the config file's folder."""
    dialect: Literal["postgresql", "mysql", "sqlite"] | None = None
    """The SQL they are written in (else `database`, else sniffed, else PostgreSQL)."""

    @field_validator("path")
    @classmethod
    def _paths_inside(cls, value: str | list[str] | None) -> str | list[str] | None:
        for path in [value] if isinstance(value, str) else value or []:
            _inside_the_project(path, "[schema] path")
        return value

    def paths(self) -> list[str]:
        if self.path is None:
            return []
        return [self.path] if isinstance(self.path, str) else list(self.path)


class QueriesConfig(_Base):
    """`[queries]`: which code files the query readers read (`server/queries/files.py`)."""

    include: list[str] | None = None
    """Globs relative to the config file's folder: only the files they match (default: every
    `.ts`/`.tsx`/`.js`/... file of the project)."""
    exclude: list[str] = Field(default_factory=list)
    """Globs of files left out, on top of node_modules, build output, tests and migrations."""


class SequelizeConfig(_Base):
    """`[sequelize]`: which environment of the sequelize-cli config file
    (`config/config.json|js`) the project is read in."""

    env: str | None = None
    """The environment (`"production"`); else `development`, sequelize-cli's own default.
    `NODE_ENV` is never read: what the schema means must not depend on the shell it is
    checked from."""


class LimitsConfig(_Base):
    """`[limits]`: the budgets of a scan and of a read (`server/workspace/workspace.py` and
    `server/project/discovery.py`). Past one, the user is told once which limit stopped what and
    the setting to raise; the rest of the project is checked as usual."""

    max_file_mb: float = Field(default=64.0, gt=0)
    """A file larger than this (in MB) is not read: a schema or migration never comes near it,
    and a 20 MB schema costs `check` minutes and gigabytes."""
    max_folders: int = Field(default=50_000, ge=1)
    """A search for schemas below a folder lists at most this many folders."""
    scan_seconds: float = Field(default=60.0, gt=0)
    """A search for schemas below a folder stops after this many seconds (a network drive, a
    folder opened at a home directory)."""
    analysis_seconds: float = Field(default=300.0, gt=0)
    """The rules' run over a schema and its migrations (design, drift, migration rules) stops
    after this many seconds with one DB092 finding naming what did not run
    (`server/lint/engine.py`)."""


class Config(Selection):
    database: Database | None = None
    database_version: str | None = None
    preview: bool = False
    docs_url: str | None = None
    cache_dir: str | None = None
    """Where `check` and `schema --migrated` keep their cache, relative to the config file's
    folder (`server/cache/store.py` reads it, before any of this is imported)."""
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    declared: SchemaConfig | None = Field(default=None, alias="schema")
    """`[schema]` (named `declared` here: pydantic models have a `schema` of their own)."""
    migrations: MigrationsConfig | list[MigrationsConfig] | None = None
    queries: QueriesConfig | None = None
    sequelize: SequelizeConfig | None = None
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    overrides: list[Override] = Field(default_factory=list)

    @field_validator("docs_url")
    @classmethod
    def _docs_url(cls, value: str | None) -> str | None:
        """An http(s) URL or a folder of the project: a diagnostic's link is clicked in the
        editor, and `command:`, `file:` or `javascript:` links can do more than open a page."""
        if value is None:
            return None
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", value)
        if scheme is not None and not re.match(r"^[A-Za-z]:[\\/]", value):
            if scheme.group(1).lower() not in ("http", "https"):
                raise ValueError(
                    f"docs-url must be an http(s) URL or a folder of the project: {value!r}"
                )
            return value
        return _inside_the_project(value, "docs-url")

    @field_validator("cache_dir")
    @classmethod
    def _cache_dir_named(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must name a folder (an empty string names none)")
        if value is not None and "\0" in value:
            raise ValueError("must not hold a NUL character")
        return None if value is None else _inside_the_project(value, "cache-dir")

    @field_validator("database_version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    def migration_entries(self) -> list[MigrationsConfig]:
        if self.migrations is None:
            return []
        return self.migrations if isinstance(self.migrations, list) else [self.migrations]

    def transaction_for(self, tool: str | None, dialect: str | None = None) -> Transaction:
        """The transaction mode of a migration set run by `tool` on `dialect`: the configured
        one, else the tool's own (`default_transaction`)."""
        for entry in self.migration_entries():
            if entry.transaction and (entry.tool is None or entry.tool == tool):
                return entry.transaction
        return default_transaction(tool, dialect)

    def version_tuple(self) -> tuple[int, ...] | None:
        if not self.database_version:
            return None
        parts = re.findall(r"\d+", self.database_version)
        return tuple(int(p) for p in parts[:3]) if parts else None


def default_transaction(tool: str | None, dialect: str | None) -> Transaction:
    """How `tool` runs a migration file on `dialect` when the configuration does not say.

    - `plain`: as it is, no transaction;
    - Prisma on SQLite: no transaction either. Prisma's schema engine applies a SQLite script
      with rusqlite's `execute_batch` (`sqlite/native/mod.rs`, `apply_migration_script`), so
      every statement commits on its own, which is why the `PRAGMA foreign_keys=OFF` Prisma
      writes around a table redefinition takes effect. (Cloudflare D1's `wrangler d1
      migrations apply` does wrap each file: configure `transaction = "per-file"` there.)
    - sequelize-cli / umzug: none either; each `queryInterface` call is its own query, and a
      migration that wants one opens it itself (`queryInterface.sequelize.transaction(...)`).
    - every other supported tool wraps a file in one transaction (Prisma on PostgreSQL sends
      the file as one multi-statement query, which PostgreSQL runs as one transaction).
    """
    if tool in ("plain", "sequelize"):
        return "none"
    if tool == "prisma" and dialect == "sqlite":
        return "none"
    return "per-file"


@dataclass
class LoadedConfig:
    """The configuration that applies to a project, where it came from, and its problems."""

    config: Config = field(default_factory=Config)
    path: str | None = None
    root: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def relative(self, path: str) -> str:
        if self.root is None:
            return path
        try:
            return os.path.relpath(path, self.root).replace(os.sep, "/")
        except ValueError:
            return path

    def docs_base(self) -> str | None:
        """`docs-url` as a URL: a relative path is taken from the config file's folder (a
        project that keeps the docs in its repository)."""
        url = self.config.docs_url
        if not url or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
            return url
        path = os.path.normpath(os.path.join(self.root or os.getcwd(), url))
        return Path(path).as_uri() + "/"

    def overrides_for(self, path: str) -> list[Override]:
        rel = self.relative(path)
        return [o for o in self.config.overrides if any(_glob(rel, p) for p in o.paths)]


def glob_match(path: str, pattern: str) -> bool:
    """Whether the relative path `path` matches the config glob `pattern` (`**` crosses
    folders; `dir/**` matches the files below `dir`; `**/x` matches `x` at the top too)."""
    return _glob(path, pattern)


def _glob(path: str, pattern: str) -> bool:
    pattern = pattern.strip().lstrip("./")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    # `dir/**` also matches files directly below; `**/x` also matches `x` at the top.
    if pattern.endswith("/**") and path.startswith(pattern[:-3] + "/"):
        return True
    return pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:])


TextOf = Callable[[str], "str | None"]


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return f.read()
    except OSError:
        return None


def find_config_file(start: str, text_of: TextOf | None = None) -> tuple[str, str] | None:
    """The nearest config at or above `start` (a folder), not above the repository root:
    `(path, text)` of schemasense.toml, a pyproject.toml with `[tool.schemasense]` or a
    package.json with a `"schemasense"` key."""
    text_of = text_of or _read
    folder = os.path.abspath(start)
    while True:
        for name in FILE_NAMES:
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                continue
            text = text_of(path)
            if text is None:
                continue
            if name == "schemasense.toml":
                return path, text
            if name == "pyproject.toml" and re.search(r"^\[tool\.schemasense[.\]]", text, re.M):
                return path, text
            if name == "package.json" and '"schemasense"' in text:
                return path, text
        if os.path.exists(os.path.join(folder, ".git")):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(start: str, text_of: TextOf | None = None) -> LoadedConfig:
    """The configuration for a schema or migration in folder `start`; never raises."""
    found = find_config_file(start, text_of)
    if found is None:
        return LoadedConfig()
    path, text = found
    return parse_config(path, text)


_TOO_DEEP = "the file nests arrays or tables too deeply to read; its configuration is ignored"


def parse_config(path: str, text: str) -> LoadedConfig:
    """Parse and validate one config file's text. Problems become DB090 findings on it."""
    loaded = LoadedConfig(path=path, root=os.path.dirname(path))
    raw, problem = _raw_table(path, text)
    if problem is not None:
        loaded.findings.append(problem)
        return loaded
    if raw is None:
        return loaded
    config, problems = _validate(raw)
    loaded.config = config
    for message, key in problems:
        loaded.findings.append(_finding(path, text, message, key))
    loaded.findings.extend(_check_selectors(path, text, config))
    return loaded


def _raw_table(path: str, text: str) -> tuple[dict[str, Any] | None, Finding | None]:
    name = os.path.basename(path)
    if name == "package.json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            return None, _finding(path, text, f"package.json is not valid JSON: {exc}", None)
        except RecursionError:
            return None, _finding(path, text, _TOO_DEEP, None)
        raw = data.get("schemasense") if isinstance(data, dict) else None
        if raw is None:
            return None, None
        if not isinstance(raw, dict):
            return None, _finding(path, text, '"schemasense" must be an object', "schemasense")
        return raw, None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, _toml_error(path, text, exc)
    except RecursionError:
        return None, _finding(path, text, _TOO_DEEP, None)
    if name == "pyproject.toml":
        raw = data.get("tool", {}).get("schemasense")
        if raw is None:
            return None, None
        if not isinstance(raw, dict):
            return None, _finding(path, text, "[tool.schemasense] must be a table", "schemasense")
        return raw, None
    return data, None


def _validate(raw: dict[str, Any]) -> tuple[Config, list[tuple[str, str | None]]]:
    """Validate, dropping each invalid top-level entry and keeping the rest."""
    try:
        return Config.model_validate(raw), []
    except ValidationError as exc:
        errors = exc.errors()
    problems: list[tuple[str, str | None]] = []
    bad: set[str] = set()
    for error in errors:
        loc = [str(p) for p in error["loc"]]
        top = loc[0] if loc else ""
        bad.add(top)
        where = ".".join(loc) or "configuration"
        # A union's branches each report; keep the message readable.
        if error["type"] == "extra_forbidden":
            message = f"unknown key `{where}`"
        else:
            message = f"`{where}`: {error['msg']}"
        last = next((p for p in reversed(loc) if not p.isdigit()), None)
        item = (message, last)
        if item not in problems:
            problems.append(item)
    kept = {k: v for k, v in raw.items() if k not in bad}
    try:
        return Config.model_validate(kept), problems
    except ValidationError:
        return Config(), problems


def _check_selectors(path: str, text: str, config: Config) -> list[Finding]:
    from schemasense.server.lint.registry import get_rule, is_known_selector

    findings: list[Finding] = []
    selections: list[Selection] = [config, *config.overrides]
    for sel in selections:
        for key in ("select", "ignore", "extend_select"):
            for entry in getattr(sel, key) or ():
                if not is_known_selector(entry):
                    findings.append(
                        _finding(path, text, f"`{_kebab(key)}`: no rule matches `{entry}`", entry)
                    )
        for entry in sel.severity:
            if get_rule(entry) is None and not re.fullmatch(r"DB0\d\d", entry.upper()):
                findings.append(_finding(path, text, f"`severity`: no rule `{entry}`", entry))
    for name, options in config.rules.items():
        rule = get_rule(name)
        if rule is None:
            findings.append(_finding(path, text, f"`rules`: no rule `{name}`", name))
            continue
        try:
            rule.options_model.model_validate(options)
        except ValidationError as exc:
            for error in exc.errors():
                loc = ".".join(str(p) for p in error["loc"])
                message = (
                    f"unknown option `{loc}` of rule `{rule.name}`"
                    if error["type"] == "extra_forbidden"
                    else f"option `{loc}` of rule `{rule.name}`: {error['msg']}"
                )
                findings.append(_finding(path, text, message, loc or name))
    return findings


def rule_options(config: Config, rule: type) -> BaseModel:
    """The validated options of `rule` (its defaults where the config's are invalid)."""
    from schemasense.server.lint.registry import get_rule

    for name, options in config.rules.items():
        if get_rule(name) is rule:
            try:
                return rule.options_model.model_validate(options)
            except ValidationError:
                break
    return rule.options_model()


def _finding(path: str, text: str, message: str, key: str | None) -> Finding:
    start, end = _locate(text, key)
    return Finding(
        code=CONFIG_CODE,
        severity="error",
        message=f"Invalid schemasense configuration: {message}",
        span=Span(file=path, start=start, end=end),
        help="The rest of the configuration applies; this entry is ignored.",
    )


def _toml_error(path: str, text: str, exc: tomllib.TOMLDecodeError) -> Finding:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    start = 0
    if match:
        line, col = int(match.group(1)), int(match.group(2))
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        start = min(starts[min(line, len(starts)) - 1] + col - 1, len(text))
    end = text.find("\n", start)
    return Finding(
        code=CONFIG_CODE,
        severity="error",
        message=f"Invalid schemasense configuration: not valid TOML: {exc}",
        span=Span(file=path, start=start, end=end if end != -1 else len(text)),
        help="Nothing in this file applies until it parses; the defaults are used.",
    )


def _locate(text: str, key: str | None) -> tuple[int, int]:
    """Where `key` is written in the file (its first occurrence as a key or a string), else
    the file's first line."""
    if key:
        for pattern in (
            rf'(?m)^\s*"?{re.escape(key)}"?\s*[=:]',
            rf'"{re.escape(key)}"',
            rf"\b{re.escape(key)}\b",
        ):
            m = re.search(pattern, text)
            if m:
                start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                end = text.find("\n", start)
                return start, end if end != -1 else len(text)
    end = text.find("\n")
    return 0, end if end != -1 else len(text)


def effective_severity(rule: type, config: Config, overrides: list[Override]) -> Severity | None:
    """The severity of `rule` for a file, or None when it is off there.

    Stable rules are on by default. Preview and deprecated rules are off, and a prefix or
    `ALL` turns a preview rule on only with `preview = true`; naming its exact code or name
    always does (ruff's rule). The config applies first, then each matching override in order.
    """
    from schemasense.server.lint.registry import get_rule, matches, resolve_code

    status = rule.status.kind  # type: ignore[attr-defined]

    def named(entries: list[str] | None) -> bool:
        for entry in entries or ():
            if not matches(entry, rule):
                continue
            if status == "stable" or resolve_code(entry) == rule.code:  # type: ignore[attr-defined]
                return True
            if status == "preview" and config.preview:
                return True
        return False

    on = status == "stable" or (status == "preview" and config.preview)
    severity: Severity = rule.severity  # type: ignore[attr-defined]
    for sel in [config, *overrides]:
        if sel.select is not None:
            on = named(sel.select)
        if named(sel.extend_select):
            on = True
        if any(matches(entry, rule) for entry in sel.ignore):
            on = False
        for key, value in sel.severity.items():
            if get_rule(key) is rule:
                if value == "off":
                    on = False
                else:
                    on, severity = True, value
    return severity if on else None


def severity_configured(rule: type, config: Config, overrides: list[Override]) -> bool:
    """Whether the config (or an override for the file) names a severity for `rule` in its
    `[severity]` table. Where it does, that severity is every finding's; where it does not, a
    finding keeps the severity its rule gave it (a rule may raise its default for one case:
    DB103 is an error on a TypeORM entity, which TypeORM refuses at start-up)."""
    from schemasense.server.lint.registry import get_rule

    return any(
        get_rule(key) is rule and value != "off"
        for sel in [config, *overrides]
        for key, value in sel.severity.items()
    )
