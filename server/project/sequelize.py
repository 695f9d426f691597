"""Where a Sequelize project keeps its models and migrations, and which database it uses.

Read from the project's own files, statically (the TypeScript layer), as sequelize-cli and the
app would find them:

- `package.json`: `sequelize` / `sequelize-typescript` / `sequelize-cli` / `umzug` versions (a
  project with none of them is not a Sequelize project);
- `.sequelizerc`: `models-path`, `migrations-path`, `config` (`path.resolve("db", "models")`,
  `path.join(__dirname, ...)` or a string);
- the config file (`config/config.json` or `.js` unless `.sequelizerc` names another): every
  environment's `dialect`, and the chosen one's `dialect` and `define`: schemasense.toml's
  `[sequelize] env`, else `development` (sequelize-cli's default `NODE_ENV`; the environment
  itself is never read, so a check means the same from every shell);
- `new Sequelize(...)` in the project's code: its options' `dialect` and `define` (`underscored`,
  `freezeTableName`, `timestamps`, `paranoid`, `createdAt`...), which every model starts from;
- umzug set-ups: `new Umzug({ migrations: { glob: "migrations/*.js" } })` (umzug 3), or
  `migrations: { path: path.join(__dirname, "../migrations") }` (umzug 2).

Defaults as sequelize-cli has them: `models/` and `migrations/` beside the config. When no
dialect is found, schemasense.toml's `database` is used, else PostgreSQL, and the read says so.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from schemasense.server.project import ah_sequelize
from schemasense.server.sources.typescript.kept import kept_module as read_module
from schemasense.server.sources.typescript.values import Call, Obj, Ref, Str, Value

DIALECTS = ("postgres", "mysql", "mariadb", "sqlite")
DEFAULT_ENV = "development"
"""sequelize-cli's environment when `NODE_ENV` is not set."""
CONFIG_NAMES = ("config/config.json", "config/config.js", "config/config.cjs")
_SETUP_WORDS = re.compile(r"new\s+(?:Sequelize|Umzug)\b")


@dataclass(frozen=True)
class RefusedPath:
    """A `.sequelizerc` path (`config`, `models-path`, ...) outside the project: never read,
    so a configuration cannot send schemasense to read (and print) files that are not the
    project's. `start`/`end`: the value's characters in `.sequelizerc`."""

    key: str
    written: str
    reason: str
    start: int
    end: int


@dataclass
class SequelizeSetup:
    root: str
    versions: dict[str, str] = field(default_factory=dict)
    models_dirs: list[str] = field(default_factory=list)
    migrations_dirs: list[str] = field(default_factory=list)
    config_file: str | None = None
    sequelizerc: str | None = None
    setup_files: list[str] = field(default_factory=list)
    """Files with `new Sequelize(...)` or `new Umzug(...)`."""
    plugin_config: str | None = None
    """actionhero's `ah-sequelize-plugin` config file (`src/config/sequelize.ts`), when the
    project depends on the plugin and has one."""
    dialect: str | None = None
    dialect_from: str | None = None
    """Where the dialect was found (a file, with what), for messages and hover."""
    define: dict[str, Any] = field(default_factory=dict)
    looked_for: list[str] = field(default_factory=list)
    env: str = DEFAULT_ENV
    """The config file's environment the project is read in."""
    environments: dict[str, str | None] = field(default_factory=dict)
    """Every environment of the config file -> its dialect (None: none readable), in file
    order; empty for a config file without environments."""
    refused: list[RefusedPath] = field(default_factory=list)
    """`.sequelizerc` paths not followed: absolute, or above the project."""

    @property
    def inputs(self) -> list[str]:
        files = [os.path.join(self.root, "package.json")]
        for f in (self.sequelizerc, self.config_file, self.plugin_config, *self.setup_files):
            if f:
                files.append(f)
        return list(dict.fromkeys(files))


TextOf = Callable[[str], "str | None"]


def versions_of(package_json: str | None) -> dict[str, str]:
    try:
        data = json.loads(package_json or "")
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, str] = {}
    for section in ("dependencies", "devDependencies", "peerDependencies"):
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        for name in (
            "sequelize",
            "sequelize-typescript",
            "sequelize-cli",
            "umzug",
            ah_sequelize.PLUGIN,
        ):
            if isinstance(deps.get(name), str):
                found.setdefault(name, deps[name])
    return found


def detect(
    root: str, text_of: TextOf, code_files: Iterable[str], env: str | None = None
) -> SequelizeSetup | None:
    """The Sequelize set-up of the project at `root`, or None when package.json names none of
    sequelize / sequelize-typescript; `env`: the config file's environment to read (else
    `development`)."""
    versions = versions_of(text_of(os.path.join(root, "package.json")))
    if "sequelize" not in versions and "sequelize-typescript" not in versions:
        return None
    setup = SequelizeSetup(root, versions, env=env or DEFAULT_ENV)
    rc = os.path.join(root, ".sequelizerc")
    rc_text = text_of(rc)
    paths: dict[str, str] = {}
    setup.looked_for.append(".sequelizerc")
    if rc_text is not None:
        setup.sequelizerc = rc
        paths = _rc_paths(rc, rc_text, root, setup.refused)
    config = paths.get("config")
    candidates = [config] if config else [os.path.join(root, n) for n in CONFIG_NAMES]
    setup.looked_for.append(" or ".join(os.path.relpath(c, root) for c in candidates))
    for candidate in candidates:
        text = text_of(candidate)
        if text is not None:
            setup.config_file = candidate
            setup.environments = environments(candidate, text)
            dialect, define = _config_dialect(candidate, text, setup.env)
            if dialect:
                setup.dialect, setup.dialect_from = dialect, f"{candidate} ({setup.env})"
            setup.define = define
            break
    base = os.path.dirname(setup.config_file) if setup.config_file else root
    base = os.path.dirname(base) if setup.config_file and not config else base
    if not config:
        base = root
    models = paths.get("models-path") or os.path.join(base, "models")
    setup.models_dirs.append(models)
    migrations = paths.get("migrations-path") or os.path.join(base, "migrations")
    setup.migrations_dirs.append(migrations)
    if ah_sequelize.PLUGIN in versions:
        _read_plugin_config(root, text_of, setup)
    setup.looked_for.append("new Sequelize(...) / new Umzug(...) in the project's code")
    for path in code_files:
        text = text_of(path)
        if text is None or not names_setup(text):
            continue
        setup.setup_files.append(path)
        _read_setup_file(path, text, setup)
    return setup


def _read_plugin_config(root: str, text_of: TextOf, setup: SequelizeSetup) -> None:
    """`ah-sequelize-plugin`'s config file: its models and migrations folders join the ones
    sequelize-cli would use, its dialect counts after the config file's."""
    setup.looked_for.append(" or ".join(ah_sequelize.CONFIG_NAMES) + f" ({ah_sequelize.PLUGIN})")
    found = ah_sequelize.find_config(root, text_of)
    if found is None:
        return
    path, text = found
    setup.plugin_config = path
    plugin = ah_sequelize.read_config(path, text, root, DIALECTS)
    for folder in plugin.models:
        if folder not in setup.models_dirs:
            setup.models_dirs.append(folder)
    for folder in plugin.migrations:
        if folder not in setup.migrations_dirs:
            setup.migrations_dirs.append(folder)
    if plugin.dialect and setup.dialect is None:
        setup.dialect, setup.dialect_from = plugin.dialect, f"{path} ({ah_sequelize.PLUGIN})"


def names_setup(text: str) -> bool:
    """Whether a code file holds `new Sequelize(...)` / `new Umzug(...)`: `detect` reads those
    files and no other code file (what it gives depends on no other code file's text)."""
    return _SETUP_WORDS.search(text) is not None


def _rc_paths(
    path: str, text: str, root: str, refused: list[RefusedPath] | None = None
) -> dict[str, str]:
    """`.sequelizerc`'s paths, each below `root`; one that is not goes to `refused`."""
    module = read_module(path, text)
    exported = module.default_export
    out: dict[str, str] = {}
    if not isinstance(exported, Obj):
        return out
    inside = os.path.normpath(root)
    for key in ("models-path", "migrations-path", "config", "seeders-path"):
        value = exported.get(key)
        parts = _path_parts(value)
        if value is None or parts is None:
            continue
        resolved = os.path.normpath(os.path.join(root, *parts))
        # an absolute path or `..` above the project is never followed: a configuration never
        # sends schemasense outside the project (what is there is not the project's to read)
        if os.path.commonpath([resolved, inside]) == inside:
            out[key] = resolved
        elif refused is not None:
            written = "/".join(parts)
            absolute = any(os.path.isabs(p) for p in parts)
            reason = "is absolute" if absolute else "goes above the project folder"
            refused.append(RefusedPath(key, written, reason, value.start, value.end))
    return out


def _path_value(value: Value | None, root: str) -> str | None:
    """`"db/models"`, `path.resolve("db", "models")`, `path.join(__dirname, "db/models")`,
    `path.resolve(process.cwd(), "models")` -> a path below `root` (None: not readable)."""
    parts = _path_parts(value)
    return None if parts is None else os.path.normpath(os.path.join(root, *parts))


def _path_parts(value: Value | None) -> list[str] | None:
    """The strings a path value joins, the project's own folder (`__dirname`,
    `process.cwd()`) left out; None when it cannot be read without running code."""
    if isinstance(value, Str) and value.known and value.value is not None:
        return [value.value]
    if isinstance(value, Call) and value.callee_path[-1:] in (("resolve",), ("join",)):
        parts: list[str] = []
        for arg in value.args:
            if isinstance(arg, Str) and arg.known and arg.value is not None:
                parts.append(arg.value)
            elif _is_base(arg):
                continue
            else:
                return None
        return parts
    return None


def _is_base(arg: Value) -> bool:
    """`__dirname` or `process.cwd()`: the folder the path is taken from (the project's)."""
    if isinstance(arg, Ref):
        return arg.path == ("__dirname",)
    return isinstance(arg, Call) and arg.callee_path == ("process", "cwd")


def environments(path: str, text: str) -> dict[str, str | None]:
    """The config file's environments (top-level objects: `development`, `test`,
    `production`, ...) -> each one's dialect (None where it names none readable), in file
    order; empty when the file holds no environments (one set of options)."""
    sections: list[tuple[str, object]] = []
    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict):
            return {}
        sections = [(k, v) for k, v in data.items() if isinstance(v, dict)]
        out = {k: v.get("dialect") for k, v in sections}  # type: ignore[union-attr]
        return {k: (d if d in DIALECTS else None) for k, d in out.items()}
    module = read_module(path, text)
    exported = module.default_export
    if not isinstance(exported, Obj):
        return {}
    found: dict[str, str | None] = {}
    names = exported.keys()  # an object literal's keys, in the order written
    for key in names:
        value = exported.get(key)
        if isinstance(value, Ref) and len(value.path) == 1:  # `{ development }`
            value = module.constant(value.path[0])
        if isinstance(value, Obj):
            found[key] = _dialect_in(value)
    if "dialect" in names and not any(found.values()):
        return {}  # one set of options, no environments
    return found


def _config_dialect(path: str, text: str, env: str) -> tuple[str | None, dict[str, Any]]:
    """The environment `env`'s `dialect` and `define` options (what sequelize-cli and an app
    that passes the config to `new Sequelize` use)."""
    from schemasense.server.sources.sequelize.build import literal

    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None, {}
        if not isinstance(data, dict):
            return None, {}
        section = data.get(env) if isinstance(data.get(env), dict) else data
        dialect = section.get("dialect")
        define = section.get("define")
        return (dialect if dialect in DIALECTS else None), (
            define if isinstance(define, dict) else {}
        )
    module = read_module(path, text)
    exported = module.default_export
    sections: list[Value | None] = []
    if isinstance(exported, Obj):
        chosen = exported.get(env)
        if isinstance(chosen, Ref) and len(chosen.path) == 1:  # `{ development }`
            chosen = module.constant(chosen.path[0])
        sections += [chosen, exported]
    sections += [module.constant(name) for name in module.constants]
    for section in sections:
        found = _dialect_in(section)
        if found and isinstance(section, Obj):
            define = section.get("define")
            options = literal(define) if isinstance(define, Obj) else {}
            return found, {k: v for k, v in options.items() if isinstance(v, str | bool | dict)}
    return None, {}


def _dialect_in(value: Value | None) -> str | None:
    if not isinstance(value, Obj):
        return None
    dialect = value.get("dialect")
    if isinstance(dialect, Str) and dialect.value in DIALECTS:
        return dialect.value
    return None


def _read_setup_file(path: str, text: str, setup: SequelizeSetup) -> None:
    from schemasense.server.sources.sequelize.build import literal

    module = read_module(path, text)
    for call in module.calls(where=lambda c: c.new and c.path[-1:] in (("Sequelize",), ("Umzug",))):
        if call.path[-1] == "Sequelize":
            options = next((a for a in reversed(list(call.args)) if isinstance(a, Obj)), None)
            if options is None:
                continue
            dialect = _dialect_in(options)
            if dialect and setup.dialect is None:
                setup.dialect, setup.dialect_from = dialect, f"{path} (new Sequelize)"
            define = options.get("define")
            if isinstance(define, Obj) and not setup.define:
                setup.define = {
                    k: v for k, v in literal(define).items() if isinstance(v, str | bool | dict)
                }
        else:
            options = call.args.get(0)
            migrations = options.get("migrations") if isinstance(options, Obj) else None
            glob = migrations.get("glob") if isinstance(migrations, Obj) else None
            place = None
            if isinstance(glob, Str) and glob.known and glob.value:
                folder = glob.value.split("*", 1)[0].rstrip("/") or "."
                place = os.path.normpath(os.path.join(os.path.dirname(path), folder))
            elif isinstance(migrations, Obj) and migrations.get("path") is not None:
                # umzug 2: `migrations: { path: path.join(__dirname, "../migrations") }`
                place = _path_value(migrations.get("path"), os.path.dirname(path))
            if place is not None and place not in setup.migrations_dirs:
                setup.migrations_dirs.append(place)
