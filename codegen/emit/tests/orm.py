"""How each ORM is written in a generated test: the snippets the ORM-neutral templates call.

A flavour knows the ORM's calls (create a row, find rows, update rows), the TypeScript type of a
create payload, what the helpers file (`db.ts`) builds, and the devDependencies the tests need
besides the runner's (`files.RUNNER_DEPENDENCIES`). The test files themselves
(`model.test.ts.j2`, `factories.ts.j2`) are the same for every ORM, so a case reads alike in a
Prisma, TypeORM or Sequelize project.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


@dataclass(frozen=True)
class Flavour:
    name: str
    helpers_template: str
    setup_template: str = ""
    """The global set-up's template (`tests/<name>/global-setup.ts.j2` when empty)."""
    dev_dependencies: dict[str, str] = field(default_factory=dict)
    as_string: frozenset[str] = frozenset()
    """The column kinds the ORM hands over as strings."""

    def input_type(self, model: str) -> str:
        raise NotImplementedError

    def create(self, model: str, data: str) -> str:
        raise NotImplementedError

    def find_many(self, model: str, where: str) -> str:
        raise NotImplementedError

    def find_one(self, model: str, where: str) -> str:
        raise NotImplementedError

    def update(self, model: str, where: str, data: str) -> str:
        raise NotImplementedError

    def imports(self, models: list[str]) -> list[str]:
        """What a test file imports to use `models` in ORM calls, besides the helpers."""
        return []

    def factory_imports(self, models: list[str]) -> list[str]:
        """What factories.ts imports to make rows of `models`."""
        return self.imports(models)

    # a foreign key as the ORM sets and reads it (Prisma: its scalar fields; TypeORM: the
    # relation property holding the parent's key)
    def fk_get(self, parent, index: int, row: str) -> str:
        return f"{row}.{parent.fields[index]}"

    def fk_set(self, parent, values: list[str]) -> str:
        return ", ".join(f"{f}: {v}" for f, v in zip(parent.fields, values, strict=True))

    def fk_unset(self, parent, obj: str) -> str:
        return " && ".join(f"{obj}.{f} === undefined" for f in parent.fields)


@dataclass(frozen=True)
class PrismaFlavour(Flavour):
    """Prisma Client through a driver adapter (no engine download): pg on PostgreSQL, mariadb
    on MySQL / MariaDB, libsql on a SQLite file; `client_module` is where the project's
    generator puts the client (`@prisma/client` for `prisma-client-js`, the output folder's
    `client` for `prisma-client`)."""

    client_module: str = "@prisma/client"
    dialect: str = "postgresql"

    def delegate(self, model: str) -> str:
        return f"db.{lower_first(model)}"

    def input_type(self, model: str) -> str:
        return f"Prisma.{model}UncheckedCreateInput"

    def create(self, model: str, data: str) -> str:
        return f"{self.delegate(model)}.create({{ data: {data} }})"

    def find_many(self, model: str, where: str) -> str:
        return f"{self.delegate(model)}.findMany({{ where: {where} }})"

    def find_one(self, model: str, where: str) -> str:
        return f"{self.delegate(model)}.findFirstOrThrow({{ where: {where} }})"

    def update(self, model: str, where: str, data: str) -> str:
        return f"{self.delegate(model)}.updateMany({{ where: {where}, data: {data} }})"

    def factory_imports(self, models: list[str]) -> list[str]:
        return [f'import type {{ Prisma }} from "{self.client_module}";']


PRISMA_DEV_DEPENDENCIES = {"@prisma/client": "^7.10.1", "prisma": "^7.10.1"}
"""Prisma's own, on any database (`PRISMA_ADAPTERS` adds the database's)."""


PRISMA_ADAPTERS = {
    "postgresql": {
        "@prisma/adapter-pg": "^7.10.1",
        "@types/pg": "^8.15.0",
        "pg": "^8.16.0",
    },
    # the mariadb driver speaks to MySQL too
    "mysql": {"@prisma/adapter-mariadb": "^7.10.0", "mariadb": "^3.4.5"},
    # libsql's SQLite comes prebuilt in npm packages (better-sqlite3 builds from source or
    # downloads its binary from GitHub at install time)
    "sqlite": {"@prisma/adapter-libsql": "^7.10.0", "@libsql/client": "^0.17.0"},
}
"""The driver adapter, and the driver the set-up applies the migrations with, per database."""


def prisma_flavour(client_module: str, dialect: str = "postgresql") -> PrismaFlavour:
    suffix = "" if dialect == "postgresql" else f".{dialect}"
    return PrismaFlavour(
        name="prisma",
        helpers_template=f"tests/prisma/db{suffix}.ts.j2",
        setup_template=f"tests/prisma/global-setup{suffix}.ts.j2",
        dev_dependencies={**PRISMA_DEV_DEPENDENCIES, **PRISMA_ADAPTERS[dialect]},
        client_module=client_module,
        dialect=dialect,
    )


@dataclass(frozen=True)
class TypeOrmFlavour(Flavour):
    """TypeORM: a DataSource with the project's own options (its exported DataSource's), its
    entity classes and migration classes; the schema is built by `runMigrations`."""

    entity_modules: dict[str, str] = field(default_factory=dict)
    """Entity class -> module specifier relative to the test folder."""
    datasource_module: str = ""
    datasource_export: str = "AppDataSource"
    migrations: tuple[tuple[str, str], ...] = ()
    """(class, module specifier) of each migration, in order."""
    sqlite: bool = False

    def repo(self, model: str) -> str:
        return f"db.getRepository({model})"

    def input_type(self, model: str) -> str:
        return f"DeepPartial<{model}>"

    def create(self, model: str, data: str) -> str:
        return f"{self.repo(model)}.save({self.repo(model)}.create({data}))"

    def find_many(self, model: str, where: str) -> str:
        return f"{self.repo(model)}.find({{ where: {where} }})"

    def find_one(self, model: str, where: str) -> str:
        return f"{self.repo(model)}.findOneByOrFail({where})"

    def update(self, model: str, where: str, data: str) -> str:
        return f"{self.repo(model)}.update({where}, {data})"

    def soft_delete(self, model: str, where: str) -> str:
        return f"{self.repo(model)}.softDelete({where})"

    def find_one_or_null(self, model: str, where: str) -> str:
        return f"{self.repo(model)}.findOneBy({where})"

    def imports(self, models: list[str]) -> list[str]:
        by_module: dict[str, list[str]] = {}
        for m in sorted(set(models)):
            by_module.setdefault(self.entity_modules[m], []).append(m)
        return [
            f'import {{ {", ".join(names)} }} from "{module}";'
            for module, names in sorted(by_module.items())
        ]

    def factory_imports(self, models: list[str]) -> list[str]:
        return ['import type { DeepPartial } from "typeorm";', *self.imports(models)]

    def fk_get(self, parent, index: int, row: str) -> str:
        if parent.scalar:
            return super().fk_get(parent, index, row)
        dot = "?." if parent.nullable else "."
        return f"{row}.{parent.fields[0]}{dot}{parent.parent_fields[index]}"

    def fk_set(self, parent, values: list[str]) -> str:
        if parent.scalar:
            return super().fk_set(parent, values)
        inner = ", ".join(f"{f}: {v}" for f, v in zip(parent.parent_fields, values, strict=True))
        return f"{parent.fields[0]}: {{ {inner} }}"

    def fk_unset(self, parent, obj: str) -> str:
        if parent.scalar:
            return super().fk_unset(parent, obj)
        return f"{obj}.{parent.fields[0]} === undefined"


TYPEORM_DEV_DEPENDENCIES: dict[str, str] = {}


def typeorm_flavour(**options) -> TypeOrmFlavour:
    return TypeOrmFlavour(
        name="typeorm",
        helpers_template="tests/typeorm/db.ts.j2",
        dev_dependencies=dict(TYPEORM_DEV_DEPENDENCIES),
        as_string=frozenset({"date", "bigint"}),
        **options,
    )


@dataclass(frozen=True)
class SequelizeFlavour(Flavour):
    """Sequelize: an instance on DATABASE_URL (or a SQLite file) with the project's models
    defined by their own files (sequelize-cli's `module.exports = (sequelize, DataTypes) =>
    Model`) and associated, as `models/index.js` does, or sequelize-typescript's model classes
    registered with `new Sequelize({ models })`; the schema is built by the project's migrations
    through umzug (sequelize-cli's `SequelizeMeta` table)."""

    model_modules: dict[str, str] = field(default_factory=dict)
    """Model name -> module specifier of the file that defines it, relative to the test folder."""
    migrations_glob: str = "migrations/*.js"
    classes: tuple[tuple[str, str, bool], ...] = ()
    """sequelize-typescript: (class, module specifier, default export) of each model class, which
    `new Sequelize({ models })` registers instead of the define functions."""
    sqlite: bool = False
    """A SQLite file (DATABASE_FILE) instead of DATABASE_URL."""
    mysql: bool = False
    """MySQL / MariaDB (the mysql2 driver) on DATABASE_URL instead of PostgreSQL."""

    def class_imports(self) -> list[str]:
        out = []
        for cls, module, default in sorted(self.classes):
            out.append(
                f'import {cls} from "{module}";'
                if default
                else f'import {{ {cls} }} from "{module}";'
            )
        return out

    def model(self, model: str) -> str:
        return f"models.{model}"

    def input_type(self, model: str) -> str:
        return "Row"

    def create(self, model: str, data: str) -> str:
        return f"plain({self.model(model)}.create({data}))"

    def find_many(self, model: str, where: str) -> str:
        return (
            f"({self.model(model)}.findAll({{ where: {where}, raw: true }}) as unknown as "
            "Promise<Row[]>)"
        )

    def find_one(self, model: str, where: str) -> str:
        return (
            f"({self.model(model)}.findOne({{ where: {where}, raw: true, rejectOnEmpty: true }}) "
            "as unknown as Promise<Row>)"
        )

    def find_one_or_null(self, model: str, where: str) -> str:
        return f"{self.model(model)}.findOne({{ where: {where} }})"

    def update(self, model: str, where: str, data: str) -> str:
        return f"{self.model(model)}.update({data}, {{ where: {where} }})"

    def soft_delete(self, model: str, where: str) -> str:
        return f"{self.model(model)}.destroy({{ where: {where} }})"

    def factory_imports(self, models: list[str]) -> list[str]:
        return []


def sequelize_flavour(**options) -> SequelizeFlavour:
    return SequelizeFlavour(
        name="sequelize",
        helpers_template="tests/sequelize/db.ts.j2",
        dev_dependencies={
            "umzug": "^3.8.2",
            **({"mysql2": "^3.14.0"} if options.get("mysql") else {}),
        },
        as_string=frozenset({"date"}),
        **options,
    )
