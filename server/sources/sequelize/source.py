"""The Sequelize source (`sources/base.py`): a project's Sequelize models -> the declared schema.

A project-wide source: its unit is found across the project (`find_units`), from the set-up
`server/project/sequelize.py` reads (package.json, `.sequelizerc`, the config file, actionhero's
`ah-sequelize-plugin` config, `new Sequelize(...)`): the files of the models folder, plus the
files that decided it. The unit's key is the file that declares the set-up (`.sequelizerc`, else
the config file, else the plugin's config, else the file with `new Sequelize`, else
package.json). Its migrations are the `migrations-path` (sequelize-cli), umzug's glob folder or
the plugin's `migrations`, in the project's dialect (`migration_places`).

The schema is already in the database's form (`database_form`): it is what the SQL `sync()`
runs replays to (`reader.py`). The rules run on it as on any declared schema; their fixes are
written in the model text by the editor (`editor.py`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.sources.base import (
    HoverAnswer,
    MigrationPlace,
    Place,
    ProjectFiles,
    TextOf,
    UnitFiles,
)

# The set-up reader and the model reader (tree-sitter, the TypeScript model) are imported where
# they are used: the registry loads every source, and a project without Sequelize must not pay
# for them at start-up (tests/test_lazy_start.py).
if TYPE_CHECKING:
    from schemasense.server.lint.context import MigrationContext, RuleCaches
    from schemasense.server.project import sequelize as setup_of
    from schemasense.server.project.config import LoadedConfig
    from schemasense.server.sources.sequelize.editor import SequelizeEditor
    from schemasense.server.sources.sequelize.reader import SequelizeRead

MIGRATION_TOOL = "sequelize"
"""The migration tool name the sequelize-cli / umzug reader registers under."""

NOTHING_FOUND = "DB070"
ENVIRONMENTS = "DB075"
"""The config file's environments disagree on the dialect, or the chosen one is not there."""

_FROM_CONFIG = {
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mariadb",
    "sqlite": "sqlite",
}


class SequelizeSource:
    kind: ClassVar[str] = "sequelize"
    file_globs: ClassVar[tuple[str, ...]] = ("**/.sequelizerc",)
    language_ids: ClassVar[tuple[str, ...]] = ()
    database_form: ClassVar[bool] = True
    checks_declared_on: ClassVar[frozenset[str]] = frozenset()
    primary_key_required: ClassVar[bool] = False
    reads_incrementally: ClassVar[bool] = True
    """`read` takes the unit's last read (`previous=`) and reuses what unchanged files gave."""
    code_suffixes: ClassVar[tuple[str, ...]] = (".js", ".ts", ".cjs", ".mjs", ".mts", ".cts")

    def claims(self, path: str, text_of: TextOf, language_id: str | None = None) -> bool:
        return False  # its files are found project-wide (`find_units`), never by name

    # -- the unit ------------------------------------------------------------------------------

    def find_units(self, root: str, project: ProjectFiles) -> list[UnitFiles]:
        package = project.text_of(os.path.join(root, "package.json"))
        if not package or "sequelize" not in package:
            return []  # cheaply, before the readers are imported: `detect` would say None
        from schemasense.server.project import sequelize as setup_of

        code = _own_files(root, project.files_under(root, self.code_suffixes), project.text_of)
        setup = setup_of.detect(root, project.text_of, code)
        if setup is None:
            return []
        models = [
            f
            for f in code
            if any(f.startswith(d.rstrip(os.sep) + os.sep) for d in setup.models_dirs)
        ]
        if not models:
            models = [f for f in code if _declares_models(project.text_of(f))]
        if not (
            models
            or setup.sequelizerc
            or setup.config_file
            or setup.plugin_config
            or setup.setup_files
        ):
            return []  # sequelize is a dependency, and nothing else says the project uses it
        key = (
            setup.sequelizerc
            or setup.config_file
            or setup.plugin_config
            or (setup.setup_files[0] if setup.setup_files else None)
            or os.path.join(root, "package.json")
        )
        inputs = tuple(setup.inputs)
        files = tuple(dict.fromkeys([key, *inputs, *models]))
        return [UnitFiles(key, files, inputs)]

    def migration_places(self, read: SequelizeRead) -> list[MigrationPlace]:  # type: ignore[override]
        from schemasense.server.sources.sequelize.reader import REPLAY_DIALECT

        setup = read.setup
        if setup is None:
            return []
        dialect = REPLAY_DIALECT.get(read.dialect)
        return [
            MigrationPlace(folder, MIGRATION_TOOL, dialect)
            for folder in setup.migrations_dirs
            if os.path.isdir(folder)
        ]

    # -- reading -------------------------------------------------------------------------------

    def read(
        self,
        texts: Mapping[str, str],
        config: LoadedConfig | None = None,
        *,
        previous: Any = None,
    ) -> SequelizeRead:
        from schemasense.server.sources.sequelize.reader import SequelizeRead, read_models

        if not isinstance(previous, SequelizeRead):
            previous = None
        package = next((p for p in sorted(texts, key=len) if p.endswith("package.json")), None)
        root = os.path.dirname(package) if package else os.path.commonpath(list(texts) or ["/"])
        code = [p for p in texts if p.endswith(self.code_suffixes)]
        chosen = config.config.sequelize if config is not None else None
        env = chosen.env if chosen is not None else None
        setup, setup_reads = _setup(root, texts, code, previous, env)
        findings: list[Finding] = []
        if setup is not None and setup.config_file is not None:
            findings += _environment_findings(setup, texts)
        if setup is not None:
            findings += _refused_findings(setup)
        if setup is not None:
            in_models = [
                p
                for p in code
                if any(p.startswith(d.rstrip(os.sep) + os.sep) for d in setup.models_dirs)
            ]
        else:
            in_models = []
        models = in_models or [p for p in code if _declares_models(texts[p])]
        dialect = setup.dialect if setup is not None else None
        key = package or next(iter(sorted(texts)), "")
        if setup is not None:
            key = setup.sequelizerc or setup.config_file or setup.plugin_config or key
        if dialect is None:
            configured = config.config.database if config is not None else None
            dialect = _FROM_CONFIG.get(configured or "", "postgres")
            if configured is None:
                findings.append(
                    _nothing(
                        key,
                        texts,
                        "No Sequelize dialect found (looked for "
                        + "; ".join(setup.looked_for if setup else ["package.json"])
                        + "): reading the models as PostgreSQL's. Say which database in "
                        'schemasense.toml: `database = "mysql"` (or "postgresql", "mariadb", '
                        '"sqlite").',
                    )
                )
        define = setup.define if setup is not None else {}
        read = read_models({p: texts[p] for p in models}, dialect, define, previous)
        read.setup = setup
        read.setup_reads = setup_reads
        if not read.built.models:
            where = ", ".join(os.path.relpath(d, root) for d in setup.models_dirs) if setup else ""
            findings.append(
                _nothing(
                    key,
                    texts,
                    "No Sequelize models found"
                    + (f" in {where}" if where else "")
                    + " (looked for `Model.init(...)`, `sequelize.define(...)`). Name the folder"
                    " in .sequelizerc: `'models-path': path.resolve('src', 'models')`.",
                )
            )
        read.findings[:0] = findings
        return read

    # -- the rules -----------------------------------------------------------------------------

    def lint(
        self,
        read: SequelizeRead,  # type: ignore[override]
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        migrations: Sequence[MigrationContext] = (),
        *,
        caches: RuleCaches | None = None,
    ) -> list[Finding]:
        from schemasense.server.lint.engine import lint_declared

        return lint_declared(self, read, texts, loaded, migrations, caches)

    def index(self, read: SequelizeRead, texts: Mapping[str, str]) -> Any:  # type: ignore[override]
        return None

    def editor(self, read: SequelizeRead, texts: Mapping[str, str]) -> SequelizeEditor:  # type: ignore[override]
        from schemasense.server.sources.sequelize.editor import SequelizeEditor

        return SequelizeEditor(read.declared, texts, read.schema.tables)

    def hover(
        self,
        read: SequelizeRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
        findings: Sequence[Finding] = (),
        history: Any = None,
    ) -> HoverAnswer | None:
        from schemasense.server.sources.sequelize.hover import hover

        return hover(read, file, offset)

    def definition(
        self,
        read: SequelizeRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
    ) -> list[Place]:
        from schemasense.server.sources.sequelize.navigation import definition

        return definition(read, file, offset)

    # -- the editor's outline, references, completion (`NavigableSource`) ---------------------

    def outlines(self, read: SequelizeRead, only: str | None = None) -> list[Any]:  # type: ignore[override]
        from schemasense.server.sources.sequelize.navigation import outlines

        return outlines(read, only)

    def references(
        self,
        read: SequelizeRead,  # type: ignore[override]
        file: str,
        offset: int,
        include_declaration: bool = True,
        migrations: Any = None,
    ) -> list[Place]:
        from schemasense.server.sources.sequelize.navigation import references

        return references(read, file, offset, include_declaration, migrations)

    def complete(self, read: SequelizeRead, file: str, text: str, offset: int) -> Any:  # type: ignore[override]
        from schemasense.server.language.orm_completion import sequelize

        return sequelize(read.dialect, text, offset)


def _own_files(root: str, files: Sequence[str], text_of: TextOf) -> list[str]:
    """`files` without those of a project nested below `root` (a folder with a package.json
    of its own is a project of its own: a monorepo's package, a sample)."""
    nested: dict[str, bool] = {}

    def inside_nested(path: str) -> bool:
        folder = os.path.dirname(path)
        seen: list[str] = []
        found = False
        while folder.startswith(root) and folder != root:
            if folder in nested:
                found = nested[folder]
                break
            seen.append(folder)
            if text_of(os.path.join(folder, "package.json")) is not None:
                found = True
                break
            folder = os.path.dirname(folder)
        for f in seen:
            nested[f] = found
        return found

    return [f for f in files if not inside_nested(f)]


def _environment_findings(
    setup: setup_of.SequelizeSetup, texts: Mapping[str, str]
) -> list[Finding]:
    """DB075: the chosen environment is not in the config file, or the environments name
    different dialects (the one read is said, and how to choose another)."""
    envs = setup.environments
    key = setup.config_file or ""
    if not envs:
        return []
    how = 'choose another in schemasense.toml: `[sequelize]` `env = "production"`'
    if setup.env not in envs:
        listed = ", ".join(envs)
        return [
            _environment(
                key,
                texts,
                f"The Sequelize config has no environment {setup.env!r} (it has {listed}); {how}",
            )
        ]
    dialects = {d for d in envs.values() if d is not None}
    if len(dialects) < 2:
        return []
    each = ", ".join(f"{e}: {d}" for e, d in envs.items() if d is not None)
    return [
        _environment(
            key,
            texts,
            f"The Sequelize config's environments use different databases ({each}); the models "
            f"and migrations are read as {setup.env!r}'s ({envs[setup.env] or 'none named'}): "
            f"{how}",
        )
    ]


def _environment(key: str, texts: Mapping[str, str], message: str) -> Finding:
    finding = _nothing(key, texts, message)
    return Finding(
        code=ENVIRONMENTS,
        severity="info",
        message=finding.message,
        span=finding.span,
    )


def _setup(
    root: str,
    texts: Mapping[str, str],
    code: list[str],
    previous: SequelizeRead | None,
    env: str | None = None,
) -> tuple[Any, tuple]:
    """`setup_of.detect` over the unit's texts, and what it read: (root, the code files, each
    file it looked at -> [its text, how many times]). The previous read's set-up is taken
    again when detect would read the same: every file it looked at has the same text, or is
    a code file it only scanned (looked at once) that names no set-up before or after."""
    from schemasense.server.project import sequelize as setup_of

    if previous is not None and previous.setup_reads is not None:
        held_root, held_code, consulted, held_env = previous.setup_reads
        if (
            held_root == root
            and held_code == tuple(code)
            and held_env == env
            and _same_setup(texts, consulted, code)
        ):
            return previous.setup, previous.setup_reads
    consulted = {}

    def text_of(path: str) -> str | None:
        text = texts.get(path)
        entry = consulted.setdefault(path, [text, 0])
        entry[1] += 1
        return text

    setup = setup_of.detect(root, text_of, code, env)
    return setup, (root, tuple(code), consulted, env)


def _same_setup(texts: Mapping[str, str], consulted: dict[str, list], code: list[str]) -> bool:
    from schemasense.server.project import sequelize as setup_of

    scanned: set[str] | None = None
    for path, (text, times) in consulted.items():
        now = texts.get(path)
        if now is text or now == text:
            continue
        if scanned is None:
            scanned = set(code)
        if times != 1 or path not in scanned or now is None or text is None:
            return False
        if setup_of.names_setup(text) or setup_of.names_setup(now):
            return False
    return True


def _declares_models(text: str | None) -> bool:
    """A file that declares Sequelize models (`Model.init`, `sequelize.define`, a
    sequelize-typescript `@Table` class)."""
    if not text or "sequelize" not in text:
        return False
    return ".init(" in text or ".define(" in text or "@Table" in text


def _refused_findings(setup: setup_of.SequelizeSetup) -> list[Finding]:
    """DB070: a `.sequelizerc` path that is absolute or goes above the project is not
    followed (nothing outside the project is read); said on the value, with the default
    taken instead."""
    return [
        Finding(
            code=NOTHING_FOUND,
            severity="warning",
            message=(
                f"`{r.key}` in .sequelizerc ({r.written!r}) {r.reason}: "
                "refused, schemasense reads nothing outside the project; the default place "
                "is used instead. Give a path inside the project."
            ),
            span=Span(file=setup.sequelizerc or "", start=r.start, end=r.end),
        )
        for r in setup.refused
    ]


def _nothing(key: str, texts: Mapping[str, str], message: str) -> Finding:
    end = min(len(texts.get(key, "")), len((texts.get(key, "") or "").split("\n", 1)[0]))
    return Finding(
        code=NOTHING_FOUND,
        severity="warning",
        message=message,
        span=Span(file=key, start=0, end=end),
    )
