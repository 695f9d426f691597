"""Where an actionhero project's `ah-sequelize-plugin` keeps its models and migrations.

The plugin has no `.sequelizerc` and no `new Sequelize(...)` in the project's code: its
initializer (in node_modules) builds Sequelize and one umzug per folder from actionhero's config
file `src/config/sequelize.ts` (or `config/sequelize.js`), which exports

    export const DEFAULT = {
      [namespace]: (config) => {          // namespace = "sequelize"
        ...
        return {
          dialect: "postgres",
          models: [join(__dirname, "..", "models")],
          migrations: [join(__dirname, "..", "migrations"), ...pluginMigrations],
        };
      },
    };

(`exports.default = { sequelize: function (api) { return {...} } }` in older projects). The file
is read statically, as the other set-up files are: the function's returned object literal, its
`models` / `migrations` (a path or an array of paths; `path.join(__dirname, ...)`,
`path.resolve(...)` or a string), and its `dialect` when it is a string literal. What cannot be
read (a spread of other packages' folders, a variable) is left out, never guessed; a path
outside the project is never followed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from schemasense.server.sources.typescript.kept import kept_module as read_module
from schemasense.server.sources.typescript.values import Array, Call, Func, Obj, Ref, Str, Value

PLUGIN = "ah-sequelize-plugin"
CONFIG_NAMES = (
    "src/config/sequelize.ts",
    "src/config/sequelize.js",
    "config/sequelize.js",
    "config/sequelize.ts",
)
"""actionhero's config folders (TypeScript projects: `src/config`; older ones: `config`), the
plugin's file in them, in the order looked at."""

_FUNCTION_NODES = frozenset(
    ("arrow_function", "function_expression", "function_declaration", "method_definition")
)


@dataclass
class PluginConfig:
    path: str
    models: list[str] = field(default_factory=list)
    migrations: list[str] = field(default_factory=list)
    dialect: str | None = None


def find_config(root: str, text_of: Callable[[str], str | None]) -> tuple[str, str] | None:
    """The plugin's config file under `root` and its text, or None."""
    for name in CONFIG_NAMES:
        path = os.path.join(root, name)
        text = text_of(path)
        if text is not None:
            return path, text
    return None


def read_config(path: str, text: str, root: str, dialects: tuple[str, ...]) -> PluginConfig:
    """The folders and dialect the config file at `path` gives (empty where unreadable)."""
    found = PluginConfig(path)
    options = _options(path, text)
    if options is None:
        return found
    here = os.path.dirname(path)
    found.models = _paths(options.get("models"), here, root)
    found.migrations = _paths(options.get("migrations"), here, root)
    dialect = options.get("dialect")
    if isinstance(dialect, Str) and dialect.known and dialect.value in dialects:
        found.dialect = dialect.value
    return found


def _options(path: str, text: str) -> Obj | None:
    """The object the config's `sequelize` entry returns (or is)."""
    module = read_module(path, text)
    exported = module.constant("DEFAULT") if "DEFAULT" in module.constants else None
    if exported is None:
        exported = module.default_export
    if isinstance(exported, Obj) and isinstance(exported.get("DEFAULT"), Obj):
        exported = exported.get("DEFAULT")  # `module.exports = { DEFAULT: {...} }`
    if not isinstance(exported, Obj):
        return None
    entry = exported.get("sequelize")
    if isinstance(entry, Obj):
        return entry
    if not isinstance(entry, Func):
        return None
    if isinstance(entry.returns, Obj):
        return entry.returns
    body = module.node_at(entry.body_start, entry.body_end)
    if body is None:
        return None
    returned: Obj | None = None
    stack = list(reversed(body.named_children))
    while stack:
        node = stack.pop()
        if node.type in _FUNCTION_NODES:
            continue  # a nested function's `return` is not the config's
        if node.type == "return_statement":
            value = next((module.value(c) for c in node.named_children), None)
            if isinstance(value, Obj) and (
                value.get("migrations") is not None or value.get("models") is not None
            ):
                returned = value
            continue
        stack.extend(reversed(node.named_children))
    return returned


def _paths(value: Value | None, here: str, root: str) -> list[str]:
    items = value.items if isinstance(value, Array) else (value,) if value is not None else ()
    inside = os.path.normpath(root)
    out: list[str] = []
    for item in items:
        resolved = _path(item, here, root)
        # a folder outside the project (another package's `dist/migrations`) is not read
        if (
            resolved is not None
            and os.path.commonpath([resolved, inside]) == inside
            and resolved not in out
        ):
            out.append(resolved)
    return out


def _path(value: Value, here: str, root: str) -> str | None:
    """`"src/models"` (from the project's root: actionhero's cwd), `join(__dirname, "..",
    "models")` (from the config's folder), `path.resolve(process.cwd(), "models")`."""
    if isinstance(value, Str) and value.known and value.value is not None:
        return os.path.normpath(os.path.join(root, value.value))
    if not (isinstance(value, Call) and value.callee_path[-1:] in (("resolve",), ("join",))):
        return None
    parts: list[str] = []
    base = root
    for index, arg in enumerate(value.args):
        if isinstance(arg, Str) and arg.known and arg.value is not None:
            parts.append(arg.value)
        elif index == 0 and isinstance(arg, Ref) and arg.path == ("__dirname",):
            base = here
        elif index == 0 and isinstance(arg, Call) and arg.callee_path == ("process", "cwd"):
            base = root
        else:
            return None
    if not parts:
        return None
    return os.path.normpath(os.path.join(base, *parts))
