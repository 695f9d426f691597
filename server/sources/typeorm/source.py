"""The TypeORM source (`sources/base.py`): a DataSource and its entity files -> the declared
schema, with the database names TypeORM gives.

Units are found per project (a folder with a package.json that depends on `typeorm` or
`@nestjs/typeorm`): one per DataSource (`server/project/typeorm.py`); its files are the
DataSource's file, the entity files it names, every file they import (base classes, enums),
and package.json (the TypeORM version). With no DataSource, one unit of every file holding an
`@Entity` class, read with TypeORM's defaults and a DB060 warning. The rules run on the schema
as on any source's (design rules, drift against the migration chains the DataSource names:
`migration_places`, tool `typeorm`, dialect from `type`). Its editor (`editor.py`) writes the
rules' fixes in the entity text (indexes, types, keys, `@UpdateDateColumn`, kept names).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from schemasense.server.findings import Finding
from schemasense.server.sources.base import (
    HoverAnswer,
    MigrationPlace,
    Place,
    ProjectFiles,
    TextOf,
    UnitFiles,
)

# The readers (tree-sitter, the TypeScript model) are imported where they are used, not here:
# the registry loads every source, and a project without TypeORM must not pay for them at
# start-up (tests/test_lazy_start.py).
if TYPE_CHECKING:
    from schemasense.server.language.completion import Completions
    from schemasense.server.language.declared import Outline
    from schemasense.server.lint.context import MigrationContext, RuleCaches
    from schemasense.server.project.config import LoadedConfig
    from schemasense.server.sources.typeorm import language
    from schemasense.server.sources.typeorm.editor import TypeOrmEditor
    from schemasense.server.sources.typeorm.modules import Modules
    from schemasense.server.sources.typeorm.reader import TypeOrmRead

_CODE_SUFFIXES = (".ts", ".js", ".mts", ".cts", ".mjs", ".cjs")
"""`server/project/typeorm.py`'s CODE_SUFFIXES, spelled here so that the registry need not
import it (tests/test_lazy_start.py checks they agree)."""
_FILES = (*_CODE_SUFFIXES, "ormconfig.json", ".env")
_ENTITY = re.compile(r"@\w*Entity\(")
"""A file that declares an entity (`@Entity(`, or a project's own `@FeatureFlagEntity(`)."""


class TypeOrmSource:
    kind: ClassVar[str] = "typeorm"
    file_globs: ClassVar[tuple[str, ...]] = ()
    language_ids: ClassVar[tuple[str, ...]] = ()
    database_form: ClassVar[bool] = True
    checks_declared_on: ClassVar[frozenset[str]] = frozenset({"postgresql", "sqlite"})
    primary_key_required: ClassVar[bool] = True
    """TypeORM's EntityMetadataValidator throws MissingPrimaryColumnError for an entity
    with no primary column."""
    reads_incrementally: ClassVar[bool] = True
    """`read` takes the unit's last read (`previous=`) and reuses what unchanged files gave."""
    reads_by_key: ClassVar[bool] = True
    """`read` takes the unit's key (`key=`): which DataSource of a file with several it is."""
    code_suffixes: ClassVar[tuple[str, ...]] = _CODE_SUFFIXES

    def claims(self, path: str, text_of: TextOf, language_id: str | None = None) -> bool:
        """Never by name: TypeORM units are found per project (`find_units`)."""
        return False

    # -- units --------------------------------------------------------------------------------

    def find_units(self, root: str, files: ProjectFiles) -> list[UnitFiles]:
        package = os.path.join(root, "package.json")
        package_text = files.text_of(package)
        if not package_text or "typeorm" not in package_text:
            return []  # cheaply, before the readers are imported: no dependency on TypeORM
        from schemasense.server.project import typeorm as project
        from schemasense.server.sources.typeorm.modules import Modules

        if not project.mentions_typeorm(package_text):
            return []
        listed = files.files_under(root, _FILES)
        texts = project.LazyTexts(listed, files.text_of)
        modules = Modules(texts, root=root)
        decls = project.find_datasources(root, listed, texts, modules.module)
        units: list[UnitFiles] = []
        # a DataSource of a nested project is that project's (its package.json, its version)
        nested = _nested_projects(root, listed, files)
        decls = [d for d in decls if not _within_any(d.file, nested)]
        if not decls:
            entity_files = [
                f
                for f in listed
                if f.endswith(project.CODE_SUFFIXES)
                and not _within_any(f, nested)
                and _ENTITY.search(texts.get(f) or "") is not None
            ]
            if not entity_files:
                return []
            closure = _imports(modules, entity_files, listed)
            return [UnitFiles(package, (package, *closure), (package,))]
        every_entity: list[str] | None = None
        files_seen: set[str] = set()
        for decl in decls:
            key = project.unit_key(decl, decl.file not in files_seen)
            files_seen.add(decl.file)
            entity_files = decl.entity_files
            if decl.entities_unread or not entity_files:
                if every_entity is None:
                    every_entity = [
                        f
                        for f in listed
                        if f.endswith(project.CODE_SUFFIXES)
                        and not _within_any(f, nested)
                        and _ENTITY.search(texts.get(f) or "") is not None
                    ]
                entity_files = sorted({*entity_files, *every_entity})
            closure = _imports(modules, entity_files, listed)
            files_ = tuple(dict.fromkeys((decl.file, *closure, *decl.extra_files, package)))
            units.append(UnitFiles(key, files_, (decl.file, *decl.extra_files, package)))
        return units

    def migration_places(self, read: TypeOrmRead) -> list[MigrationPlace]:  # type: ignore[override]
        from schemasense.codegen.orms.typeorm.types import DRIVER_FAMILY, PROVIDER
        from schemasense.server.project import typeorm as project

        decl = read.datasource
        if decl is None:
            return []
        dialect = PROVIDER[DRIVER_FAMILY.get(read.type, "postgres")]
        return [
            MigrationPlace(folder, "typeorm", dialect) for folder in project.migration_folders(decl)
        ]

    # -- reading ------------------------------------------------------------------------------

    def read(
        self,
        texts: Mapping[str, str],
        config: LoadedConfig | None = None,
        *,
        previous: Any = None,
        key: str | None = None,
    ) -> TypeOrmRead:
        from schemasense.server.sources.typeorm.reader import TypeOrmRead, failed_read, read_typeorm

        database = config.config.database if config is not None else None
        if not isinstance(previous, TypeOrmRead):
            previous = None
        try:
            return read_typeorm(
                texts,
                None,
                str(database) if database else None,
                previous=previous,
                unit_key=key,
            )
        except Exception as exc:  # a bug must not stop the editor: say it once, read nothing
            return failed_read(texts, exc)

    def lint(
        self,
        read: TypeOrmRead,  # type: ignore[override]
        texts: Mapping[str, str],
        loaded: LoadedConfig,
        migrations: Sequence[MigrationContext] = (),
        *,
        caches: RuleCaches | None = None,
    ) -> list[Finding]:
        """The read's findings, then the rules over the declared schema (and the linked
        migrations), through the same suppressions as for any source."""
        from schemasense.server.lint.engine import lint_declared

        return lint_declared(self, read, texts, loaded, migrations, caches)

    def index(self, read: TypeOrmRead, texts: Mapping[str, str]) -> list[language.Occurrence]:  # type: ignore[override]
        from schemasense.server.sources.typeorm import language

        return language.occurrences(read.schema)

    def editor(self, read: TypeOrmRead, texts: Mapping[str, str]) -> TypeOrmEditor:  # type: ignore[override]
        from schemasense.server.sources.typeorm.editor import TypeOrmEditor

        return TypeOrmEditor(texts, read.schema.tables)

    def hover(
        self,
        read: TypeOrmRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
        findings: Sequence[Finding] = (),
        history: Any = None,
    ) -> HoverAnswer | None:
        from schemasense.server.sources.typeorm import language

        return language.hover(read, file, offset, findings, history)

    def definition(
        self,
        read: TypeOrmRead,  # type: ignore[override]
        texts: Mapping[str, str],
        file: str,
        offset: int,
    ) -> list[Place]:
        from schemasense.server.sources.typeorm import language, navigation

        return navigation.definition(read, file, offset) or language.definition(read, file, offset)

    # -- the editor's outline, references, completion (`NavigableSource`) ---------------------

    def outlines(self, read: TypeOrmRead, only: str | None = None) -> list[Outline]:  # type: ignore[override]
        from schemasense.server.sources.typeorm import navigation

        return navigation.outlines(read, only)

    def references(
        self,
        read: TypeOrmRead,  # type: ignore[override]
        file: str,
        offset: int,
        include_declaration: bool = True,
        migrations: Any = None,
    ) -> list[Place]:
        from schemasense.server.sources.typeorm import navigation

        return navigation.references(read, file, offset, include_declaration, migrations)

    def complete(self, read: TypeOrmRead, file: str, text: str, offset: int) -> Completions:  # type: ignore[override]
        from schemasense.server.language import orm_completion

        return orm_completion.typeorm(read.family, text, offset)


def _imports(modules: Modules, files: Sequence[str], listed: Sequence[str] = ()) -> list[str]:
    """`files` and every project file they import, transitively (base classes, enums); a
    base class whose import leads nowhere, by its name among the project's files."""
    from schemasense.server.project import typeorm as project
    from schemasense.server.sources.typeorm.modules import Modules

    seen: dict[str, None] = {}
    stack = list(files)
    whole = Modules(project.LazyTexts(tuple(listed), modules.texts.get)) if listed else None
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen[path] = None
        module = modules.module(path)
        if module is None:
            continue
        for imp in module.imports:
            if imp.type_only:
                continue
            target = modules.resolve_path(path, imp.module)
            if target is not None and target not in seen:
                stack.append(target)
        for decl in module.classes:
            name = decl.extends_name
            if name and whole is not None and modules.class_of(module, name) is None:
                found = whole.class_named(name)
                if found is not None and found[0].path not in seen:
                    stack.append(found[0].path)
    return sorted(seen)


def _nested_projects(root: str, listed: Sequence[str], files: ProjectFiles) -> tuple[str, ...]:
    """The folders below `root` holding listed files and a package.json of their own: other
    projects (a sample in a repository), whose entities a DataSource of `root` that names none
    does not take."""
    folders: set[str] = set()
    for path in listed:
        folder = os.path.dirname(path)
        while folder != root and folder.startswith(root) and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return tuple(
        f + os.sep
        for f in sorted(folders)
        if files.text_of(os.path.join(f, "package.json")) is not None
    )


def _within_any(path: str, folders: Sequence[str]) -> bool:
    return any(path.startswith(f) for f in folders)
