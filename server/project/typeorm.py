"""A TypeORM project's DataSources, read statically: which database, which entity files, which
migration folders, which naming strategy and which TypeORM version.

TypeORM is configured in code, in several ways real projects mix:
- `new DataSource({...})` (0.3, 1.x), `createConnection({...})` (0.2);
- NestJS `TypeOrmModule.forRoot({...})` and `forRootAsync({ useFactory: () => ({...}) })`;
- `ormconfig.json` / `ormconfig.js` / `ormconfig.ts` (0.2, 0.3);
- `TYPEORM_CONNECTION`, `TYPEORM_ENTITIES`, `TYPEORM_MIGRATIONS` in `.env` (0.2, 0.3; removed
  in 1.x).
The options' `type` gives the dialect (`postgres`, `mysql`, `mariadb`, `sqlite`,
`better-sqlite3`, ...); `entities` are classes (followed through imports to their files) or
globs (`__dirname + "/**/*.entity.{ts,js}"`, matched against the project's files; a glob into
the build output, `dist/**/*.js`, is matched against the sources it is built from); `migrations`
globs give the folders of the migration chains; `namingStrategy: new SnakeNamingStrategy()`
(typeorm-naming-strategies) is known by name, a project's own class is not read (a finding says
the default is used). The TypeORM version comes from package.json: 1.x hashes constraint names
differently from 0.2/0.3 (`codegen/orms/typeorm/naming.py`).

Several DataSources are several units; two that declare the same database type and the same
entity files (a NestJS module and the CLI's data-source.ts, as in samples/typeorm-nest) are one.
Several `new DataSource(...)` of one file bound to names of their own (`export const main =
new DataSource({...}); export const analytics = new DataSource({...})`) are several units too:
the first is the file's unit, each other one `<file>#<name>` (`unit_key`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from schemasense.server.sources.typescript import Module
from schemasense.server.sources.typescript.values import (
    Array,
    Call,
    Func,
    Hole,
    Obj,
    Ref,
    Str,
    Value,
)

CODE_SUFFIXES = (".ts", ".js", ".mts", ".cts", ".mjs", ".cjs")
ORMCONFIG = ("ormconfig.json", "ormconfig.js", "ormconfig.ts", "ormconfig.cjs", "ormconfig.mjs")
_MARKERS = ("DataSource(", "forRoot", "createConnection(", "TypeOrmModule")

LOOKED_FOR = (
    "`new DataSource({...})`, `createConnection({...})`, NestJS `TypeOrmModule.forRoot({...})` / "
    "`forRootAsync({ useFactory })`, ormconfig.json/js/ts, or TYPEORM_CONNECTION in .env"
)


@dataclass
class DataSourceDecl:
    """One DataSource as its file says it."""

    file: str
    start: int
    end: int
    how: str
    """`DataSource`, `forRoot`, `createConnection`, `ormconfig`, `env` or `none`."""
    type: str | None = None
    entity_files: list[str] = field(default_factory=list)
    entity_classes: set[tuple[str, str]] | None = None
    """(file, class) of each class listed; None when globs (or nothing) name the entities."""
    migration_globs: list[str] = field(default_factory=list)
    naming: str = "default"
    """`default`, `snake`, or `custom:<ClassName>`."""
    naming_span: tuple[int, int] | None = None
    problems: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, message) of what could not be read (warnings)."""
    type_span: tuple[int, int] | None = None
    extra_files: list[str] = field(default_factory=list)
    """Other files the DataSource's options need (the project's own naming strategy)."""
    entities_unread: bool = False
    """Some `entities` could not be read: every `@Entity` class of the project is used."""
    binding: str | None = None
    """The name a `new DataSource(...)` is bound to (`export const analytics = new
    DataSource(...)`): several in one file are told apart by it (`unit_key`)."""


# -- files --------------------------------------------------------------------------------------


class LazyTexts(Mapping[str, str]):
    """Texts of a known set of files, read on first use (`text_of` is discovery's)."""

    def __init__(self, files: tuple[str, ...], text_of: Callable[[str], str | None]) -> None:
        self._files = set(files)
        self._order = files
        self._text_of = text_of
        self._cache: dict[str, str | None] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self._files:
            raise KeyError(key)
        if key not in self._cache:
            self._cache[key] = self._text_of(key)
        text = self._cache[key]
        if text is None:
            raise KeyError(key)
        return text

    def __contains__(self, key: object) -> bool:
        return key in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def mentions_typeorm(package_json: str | None) -> bool:
    if not package_json:
        return False
    try:
        data = json.loads(package_json)
    except (ValueError, RecursionError):
        return False
    deps = {**data.get("dependencies", {}), **data.get("devDependencies", {})}
    return "typeorm" in deps or "@nestjs/typeorm" in deps


def typeorm_version(package_json: str | None) -> str:
    """`0.3` (for 0.2 and 0.3: the same hashing) or `1`, from the declared `typeorm` range;
    `1` when none is declared (the version npm installs today)."""
    try:
        data = json.loads(package_json or "{}")
    except (ValueError, RecursionError):
        return "1"
    deps = {**data.get("devDependencies", {}), **data.get("dependencies", {})}
    spec = str(deps.get("typeorm", ""))
    m = re.search(r"(\d+)\.(\d+)", spec)
    if m is None:
        return "1"
    return "0.3" if m.group(1) == "0" else "1"


def driver_from_package(package_json: str | None) -> str | None:
    """The database a project's drivers suggest, when no DataSource says it."""
    try:
        data = json.loads(package_json or "{}")
    except (ValueError, RecursionError):
        return None
    deps = {**data.get("devDependencies", {}), **data.get("dependencies", {})}
    for package, type_ in (
        ("pg", "postgres"),
        ("mysql2", "mysql"),
        ("mysql", "mysql"),
        ("mariadb", "mariadb"),
        ("better-sqlite3", "better-sqlite3"),
        ("sqlite3", "sqlite"),
    ):
        if package in deps:
            return type_
    return None


# -- finding DataSources ------------------------------------------------------------------------


def find_datasources(
    root: str,
    files: tuple[str, ...],
    texts: Mapping[str, str],
    modules_of: Callable[[str], Module | None],
) -> list[DataSourceDecl]:
    """Every DataSource declared under `root` (code files, ormconfig.*, .env)."""
    found: list[DataSourceDecl] = []
    for path in files:
        name = os.path.basename(path)
        if name == "ormconfig.json":
            decl = _ormconfig_json(path, texts.get(path) or "", root, files)
            if decl is not None:
                found.append(decl)
            continue
        if not path.endswith(CODE_SUFFIXES) or path.endswith(".d.ts"):
            continue
        text = texts.get(path) or ""
        if not any(m in text for m in _MARKERS) and name not in ORMCONFIG:
            continue
        module = modules_of(path)
        if module is None:
            continue
        found.extend(_in_module(module, root, files, texts, modules_of))
    for name in (".env", ".env.example", ".env.development", ".env.local"):
        env = os.path.join(root, name)
        if env in texts:
            decl = _from_env(env, texts.get(env) or "", root, files)
            if decl is not None:
                found.append(decl)
                break
    return _distinct(found, texts)


def _entity_set(decl: DataSourceDecl, texts: Mapping[str, str]) -> set[str]:
    return {f for f in decl.entity_files if "Entity(" in (texts.get(f) or "")}


def _distinct(found: list[DataSourceDecl], texts: Mapping[str, str]) -> list[DataSourceDecl]:
    """One DataSource per file (but `new DataSource(...)`s bound to names of their own), and
    one per (type, entity files): the first kept, preferring `new DataSource` (the one the
    TypeORM CLI runs migrations with)."""
    order = {"DataSource": 0, "createConnection": 1, "ormconfig": 2, "forRoot": 3, "env": 4}
    out: list[DataSourceDecl] = []
    readable = [d for d in found if d.type is not None or d.entity_files]
    if readable:  # a call whose options cannot be read says nothing another one does not
        found = readable
    for decl in sorted(found, key=lambda d: (order.get(d.how, 9), d.file, d.start)):
        in_file = [o for o in out if o.file == decl.file]
        if in_file and not (
            decl.binding is not None and all(o.binding not in (None, decl.binding) for o in in_file)
        ):
            continue  # one per file, but DataSources bound to names of their own
        same = next(
            (
                o
                for o in out
                if o.type == decl.type
                and o.naming == decl.naming
                and _entity_set(o, texts) == _entity_set(decl, texts)
            ),
            None,
        )
        if same is not None:
            if not same.migration_globs:
                same.migration_globs = decl.migration_globs
            continue
        out.append(decl)
    return out


def _in_module(
    module: Module,
    root: str,
    files: tuple[str, ...],
    texts: Mapping[str, str],
    modules_of: Callable[[str], Module | None],
) -> list[DataSourceDecl]:
    out: list[DataSourceDecl] = []

    def wanted(site) -> bool:  # type: ignore[no-untyped-def]
        return site.method in ("DataSource", "createConnection", "forRoot", "forRootAsync")

    for site in module.calls(where=wanted):
        how = {"forRootAsync": "forRoot"}.get(site.method, site.method)
        if site.method in ("forRoot", "forRootAsync") and "TypeOrmModule" not in site.path:
            continue
        arg = site.args.get(0)
        options = _options_of(arg, module, modules_of)
        if options is None:
            if site.method == "DataSource" and not site.new:
                continue
            candidates = _candidates(module)
            if candidates:
                # `new DataSource(pick())` choosing among option objects of the file (one per
                # environment or database): the first is read (one unit per file)
                out.extend(
                    _decl(module, o.start, o.end, how, o, root, files, modules_of)
                    for o in candidates
                )
                continue
            decl = DataSourceDecl(module.path, site.start, site.end, how)
            if arg is not None:
                decl.problems.append(
                    (arg.start, arg.end, "The DataSource's options cannot be read statically")
                )
            out.append(decl)
            continue
        decl = _decl(module, site.start, site.end, how, options, root, files, modules_of)
        if site.method == "DataSource":
            decl.binding = _binding(texts.get(module.path) or "", site.start)
        out.append(decl)
    if not out and os.path.basename(module.path) in ORMCONFIG:
        value = module.default_export
        options = _options_of(value, module, modules_of) if value is not None else None
        if isinstance(options, Obj):
            out.append(
                _decl(
                    module,
                    options.start,
                    options.end,
                    "ormconfig",
                    options,
                    root,
                    files,
                    modules_of,
                )
            )
    return out


_BOUND = re.compile(r"(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w$.<>]+\s*)?=\s*$")


def _binding(text: str, start: int) -> str | None:
    """The variable `new DataSource(...)` at `start` is assigned to, where it is one."""
    head = text[max(0, start - 200) : start]
    m = _BOUND.search(head)
    return m.group(1) if m else None


def unit_key(decl: DataSourceDecl, first_in_file: bool) -> str:
    """The key of a DataSource's unit: its file, or `<file>#<name>` for a second (third, ...)
    DataSource of the same file (`find_datasources` keeps those only when bound to names)."""
    if first_in_file or decl.binding is None:
        return decl.file
    return f"{decl.file}#{decl.binding}"


def chosen(found: list[DataSourceDecl], key: str | None) -> DataSourceDecl | None:
    """The DataSource a unit key names (`unit_key`) among those found, else the first."""
    if key is not None and "#" in key:
        file, _, name = key.rpartition("#")
        for decl in found:
            if decl.file == file and decl.binding == name:
                return decl
    return found[0] if found else None


def _candidates(module: Module) -> list[Obj]:
    """The file's top-level option objects (`const devConfig = { type: "sqlite", entities:
    [...] }`), in file order."""
    out = []
    for name in module.constants:
        value = module.constant(name)
        if not isinstance(value, Obj):
            continue
        keys = set(value.keys())
        if "type" in keys and keys & {"entities", "migrations"}:
            out.append(value)
    return sorted(out, key=lambda o: o.start)


def _options_of(
    value: Value | None, module: Module, modules_of: Callable[[str], Module | None]
) -> Obj | None:
    if isinstance(value, Call) and value.callee_path[-2:] == ("Object", "assign"):
        merged = [a for a in value.args if isinstance(a, Obj)]
        if merged:
            value = Obj(value.start, value.end, tuple(p for o in merged for p in o.props))
    if isinstance(value, Obj):
        factory = value.get("useFactory")
        if isinstance(factory, Func) and isinstance(factory.returns, Obj):
            return factory.returns
        if isinstance(factory, Func):
            return None
        return _with_spreads(value, module)
    if isinstance(value, Ref):
        imported = module.import_of(value.path[0])
        if imported is not None and imported[1] is not None:
            path = _resolve(module.path, imported[0].module, modules_of)
            other = modules_of(path) if path is not None else None
            resolved = other.constant(imported[1]) if other is not None else None
            if other is not None and resolved is not None:
                return _options_of(resolved, other, modules_of)
    if isinstance(value, Func) and isinstance(value.returns, Obj):
        return value.returns
    return None


def _with_spreads(obj: Obj, module: Module) -> Obj:
    """`{ ...base, type: "postgres" }`: the spread objects' keys first, the literal's after."""
    props = []
    for spread in obj.spreads:
        if isinstance(spread, Obj):
            props.extend(spread.props)
    if not props:
        return obj
    return Obj(obj.start, obj.end, (*props, *obj.props), (), obj.unknown_keys)


def _decl(
    module: Module,
    start: int,
    end: int,
    how: str,
    options: Obj,
    root: str,
    files: tuple[str, ...],
    modules_of: Callable[[str], Module | None],
) -> DataSourceDecl:
    decl = DataSourceDecl(module.path, start, end, how)
    type_value = options.get("type")
    if isinstance(type_value, Str) and type_value.value:
        decl.type = type_value.value
        decl.type_span = (type_value.start, type_value.end)
    elif type_value is not None:
        decl.problems.append(
            (type_value.start, type_value.end, "The DataSource's `type` cannot be read statically")
        )
    base = os.path.dirname(module.path)
    entities = options.get("entities")
    if entities is not None:
        _entities(decl, module, entities, base, root, files, modules_of)
    migrations = options.get("migrations")
    items = migrations.items if isinstance(migrations, Array) else (migrations,)
    for item in items if migrations is not None else ():
        if isinstance(item, Ref):
            # migration classes, or an array of them imported from a folder's index
            # (`migrations: sqliteMigrations`): the folder of the file the name comes from
            found = _imported_file(module, item.path[0], modules_of)
            if found is not None:
                decl.migration_globs.append(os.path.join(os.path.dirname(found), "*"))
                decl.extra_files.append(found)  # so the unit's read finds it again
            continue
        glob = _glob_text(item, base, root)
        if glob is not None:
            decl.migration_globs.append(glob)
    naming = options.get("namingStrategy")
    if naming is not None:
        decl.naming_span = (naming.start, naming.end)
        if isinstance(naming, Call) and naming.new and naming.callee_path:
            cls = naming.callee_path[-1]
            decl.naming = {"SnakeNamingStrategy": "snake", "DefaultNamingStrategy": "default"}.get(
                cls, f"custom:{cls}"
            )
            imported = module.import_of(naming.callee_path[0])
            own = imported is not None and imported[0].module.startswith(".")
            if own or module.class_named(cls) is not None:
                # the project's own class: read as typeorm-naming-strategies' when it snake-cases
                # (a copy of it, as awesome-nest-boilerplate keeps), else TypeORM's default
                found = _class_file(module, naming.callee_path[0], modules_of)
                if found is not None and found[0] != module.path:
                    decl.extra_files.append(found[0])
                source = _class_text(module, naming.callee_path[0], modules_of)
                snake = source is not None and re.search(r"snake_?case", source, re.I)
                decl.naming = "snake" if snake else f"custom:{cls}"
                if snake:
                    decl.problems.append(
                        (
                            naming.start,
                            naming.end,
                            f"The naming strategy `{cls}` is the project's own: schemasense does "
                            "not run it and names as typeorm-naming-strategies' "
                            "SnakeNamingStrategy, which it resembles",
                        )
                    )
        else:
            decl.naming = "custom:?"
    return decl


def _entities(
    decl: DataSourceDecl,
    module: Module,
    value: Value,
    base: str,
    root: str,
    files: tuple[str, ...],
    modules_of: Callable[[str], Module | None],
) -> None:
    items = value.items if isinstance(value, Array) else (value,)
    classes: set[tuple[str, str]] = set()
    any_class = False
    for item in items:
        if isinstance(item, Ref):
            any_class = True
            found = _class_file(
                module, item.path[-1] if len(item.path) == 1 else item.path[0], modules_of
            )
            if found is None:
                decl.problems.append(
                    (
                        item.start,
                        item.end,
                        f"The entity `{item.dotted}` is not found in the project",
                    )
                )
                continue
            path, name = found
            classes.add((path, name))
            if path not in decl.entity_files:
                decl.entity_files.append(path)
            continue
        glob = _glob_text(item, base, root)
        if glob is None:
            decl.problems.append((item.start, item.end, "These entities cannot be read statically"))
            continue
        for path in match_glob(glob, files):
            if path not in decl.entity_files:
                decl.entity_files.append(path)
    decl.entity_classes = classes if any_class and not _has_globs(items) else None
    if any(
        p[2].startswith("The entit") or p[2].startswith("These entities") for p in decl.problems
    ):
        decl.entities_unread = True
        decl.entity_classes = None


def _has_globs(items: tuple[Value, ...]) -> bool:
    return any(not isinstance(i, Ref) for i in items)


def _class_file(
    module: Module, name: str, modules_of: Callable[[str], Module | None]
) -> tuple[str, str] | None:
    if module.class_named(name) is not None:
        return module.path, name
    imported = module.import_of(name)
    if imported is None:
        return None
    imp, original = imported
    path = _resolve(module.path, imp.module, modules_of)
    if path is None:
        return None
    other = modules_of(path)
    if other is None:
        return None
    target = original or name
    if other.class_named(target) is not None:
        return path, target
    if original is None:
        decl = next((c for c in other.classes if c.default_export), None)
        if decl is not None:
            return path, decl.name
    return _class_file(other, target, modules_of) if other.import_of(target) else None


def _imported_file(
    module: Module, name: str, modules_of: Callable[[str], Module | None]
) -> str | None:
    """The project file `name` is imported from (None for a package or a missing file)."""
    imported = module.import_of(name)
    if imported is None:
        return None
    return _resolve(module.path, imported[0].module, modules_of)


def _class_text(
    module: Module, name: str, modules_of: Callable[[str], Module | None]
) -> str | None:
    """The source text of the class `name` means in `module` (declared there or imported)."""
    found = _class_file(module, name, modules_of)
    if found is None:
        return None
    other = modules_of(found[0])
    decl = other.class_named(found[1]) if other is not None else None
    return other.text[decl.start : decl.end] if other is not None and decl is not None else None


def _resolve(from_file: str, spec: str, modules_of: Callable[[str], Module | None]) -> str | None:
    if not spec.startswith("."):
        return None
    base = os.path.normpath(os.path.join(os.path.dirname(from_file), spec))
    stem = re.sub(r"\.(c|m)?js$", "", base)
    for candidate in (base, *(stem + e for e in (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs"))):
        if modules_of(candidate) is not None:
            return candidate
    for e in (".ts", ".js"):
        candidate = os.path.join(base, "index" + e)
        if modules_of(candidate) is not None:
            return candidate
    return None


def _glob_text(value: Value, base: str, root: str) -> str | None:
    """A glob as an absolute pattern: `__dirname + "/x/*.ts"`, `` `${__dirname}/x` ``,
    `path.join(__dirname, "x", "*.ts")`, or a path relative to the project (TypeORM resolves
    those against the working directory: the project root)."""
    if isinstance(value, Str):
        if value.value is not None:
            return _absolute(value.value, root)
        text = ""
        for part in value.parts:
            if isinstance(part, Hole):
                v = part.value
                if isinstance(v, Ref) and v.path == ("__dirname",):
                    text += base
                elif isinstance(v, Call) and v.callee_path[-1:] == ("cwd",):
                    text += root
                else:
                    return None
            else:
                text += part.text
        return _absolute(text, root)
    if isinstance(value, Call) and value.callee_path[-1:] in (("join",), ("resolve",)):
        pieces: list[str] = []
        for arg in value.args:
            if isinstance(arg, Ref) and arg.path == ("__dirname",):
                pieces.append(base)
            elif isinstance(arg, Call) and arg.callee_path[-1:] == ("cwd",):
                pieces.append(root)
            elif isinstance(arg, Str) and arg.value is not None:
                pieces.append(arg.value)
            else:
                return None
        joined = os.path.join(*pieces) if pieces else ""
        return _absolute(joined, root)
    return None


def _absolute(text: str, root: str) -> str:
    return os.path.normpath(text if os.path.isabs(text) else os.path.join(root, text))


@lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if glob.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "{":
            close = glob.find("}", i)
            if close < 0:
                out += re.escape(c)
            else:
                options = glob[i + 1 : close].split(",")
                out += "(?:" + "|".join(re.escape(o) for o in options) + ")"
                i = close + 1
                continue
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z")


def match_glob(glob: str, files: tuple[str, ...]) -> list[str]:
    """The files `glob` matches; a glob into the build output (`dist/`, `build/`, `.js`)
    matches the TypeScript sources it is compiled from when it matches nothing itself."""
    pattern = _glob_regex(glob)
    hits = [f for f in files if pattern.match(f) and not f.endswith(".d.ts")]
    if hits:
        return _prefer_ts(hits)
    for out_dir in ("/dist/", "/build/", "/out/"):
        if out_dir in glob:
            source = glob.replace(out_dir, "/src/", 1)
            source = re.sub(r"\.js\b", ".ts", source)
            hits = [f for f in files if _glob_regex(source).match(f)]
            if hits:
                return _prefer_ts(hits)
            source = glob.replace(out_dir, "/", 1)
            source = re.sub(r"\.js\b", ".ts", source)
            hits = [f for f in files if _glob_regex(source).match(f)]
            if hits:
                return _prefer_ts(hits)
    if glob.endswith(".js"):
        pattern = _glob_regex(glob[:-3] + ".ts")
        return [f for f in files if pattern.match(f)]
    return []


def _prefer_ts(paths: list[str]) -> list[str]:
    """A `.js` next to its `.ts` is the compiled copy: keep the source."""
    ts = {p[:-3] for p in paths if p.endswith(".ts")}
    return [p for p in paths if not (p.endswith(".js") and p[:-3] in ts)]


def migration_folders(decl: DataSourceDecl) -> list[str]:
    """The folders the migration globs point at (the part before the first wildcard)."""
    out: list[str] = []
    for glob in decl.migration_globs:
        head = re.split(r"[*?{]", glob, maxsplit=1)[0]
        folder = head if head.endswith("/") else os.path.dirname(head)
        folder = folder.rstrip("/")
        for out_dir in ("/dist/", "/build/"):
            if out_dir in folder + "/":
                folder = (folder + "/").replace(out_dir, "/src/", 1).rstrip("/")
        if folder and folder not in out:
            out.append(folder)
    return out


# -- ormconfig.json and .env --------------------------------------------------------------------


def _ormconfig_json(
    path: str, text: str, root: str, files: tuple[str, ...]
) -> DataSourceDecl | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, list):
        data = next((d for d in data if isinstance(d, dict)), None)
    if not isinstance(data, dict):
        return None
    decl = DataSourceDecl(path, 0, len(text), "ormconfig", type=data.get("type"))
    for glob in data.get("entities") or []:
        if isinstance(glob, str):
            for f in match_glob(_absolute(glob, root), files):
                if f not in decl.entity_files:
                    decl.entity_files.append(f)
    decl.migration_globs = [
        _absolute(g, root) for g in data.get("migrations") or [] if isinstance(g, str)
    ]
    return decl


def _from_env(path: str, text: str, root: str, files: tuple[str, ...]) -> DataSourceDecl | None:
    values: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"\s*(TYPEORM_[A-Z_]+)\s*=\s*(.*)$", line)
        if m:
            values[m.group(1)] = m.group(2).strip().strip("\"'")
    if "TYPEORM_CONNECTION" not in values:
        return None
    decl = DataSourceDecl(path, 0, len(text), "env", type=values["TYPEORM_CONNECTION"])
    for glob in values.get("TYPEORM_ENTITIES", "").split(","):
        if glob.strip():
            for f in match_glob(_absolute(glob.strip(), root), files):
                if f not in decl.entity_files:
                    decl.entity_files.append(f)
    decl.migration_globs = [
        _absolute(g.strip(), root)
        for g in values.get("TYPEORM_MIGRATIONS", "").split(",")
        if g.strip()
    ]
    return decl
