"""How each ORM is written in a generated test: the snippets the ORM-neutral templates call.

A flavour knows the ORM's calls (create a row, find rows, update rows), the TypeScript type of
a create payload, what the helpers file (`db.ts`) builds, and the devDependencies the tests
need. The test files themselves (`model.test.ts.j2`, `factories.ts.j2`) are the same for every
ORM, so a case reads alike in a Prisma, TypeORM or Sequelize project.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


@dataclass(frozen=True)
class Flavour:
    name: str
    helpers_template: str
    dev_dependencies: dict[str, str] = field(default_factory=dict)

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

    def imports(self) -> list[str]:
        """What factories.ts imports besides the helpers."""
        return []


@dataclass(frozen=True)
class PrismaFlavour(Flavour):
    """Prisma Client through its pg driver adapter (no engine download): `client_module` is
    where the project's generator puts the client (`@prisma/client` for `prisma-client-js`,
    the output folder's `client` for `prisma-client`)."""

    client_module: str = "@prisma/client"

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

    def imports(self) -> list[str]:
        return [f"import type {{ Prisma }} from {self.client_module!r};".replace("'", '"')]


PRISMA_DEV_DEPENDENCIES = {
    "@prisma/adapter-pg": "^7.10.1",
    "@prisma/client": "^7.10.1",
    "@types/pg": "^8.15.0",
    "pg": "^8.16.0",
    "prisma": "^7.10.1",
    "vitest": "^4.1.12",
}


def prisma_flavour(client_module: str) -> PrismaFlavour:
    return PrismaFlavour(
        name="prisma",
        helpers_template="tests/prisma/db.ts.j2",
        dev_dependencies=PRISMA_DEV_DEPENDENCIES,
        client_module=client_module,
    )
