"""Operations -> SQL, one dialect per module, in the form Prisma's schema engine writes.

    script = render_sql(plan.operations, "postgresql")
    script.text            # `-- CreateTable\nCREATE TABLE "User" (...);\n\n-- AddForeignKey...`
    script.unsupported     # what the dialect cannot say (never wrong SQL in its place)

A dialect is a `SqlTarget` subclass in its own module (`sql_postgresql.py`, `sql_mysql.py`,
`sql_sqlite.py`), registered under its name when it is defined. `render` dispatches on each
operation's class through a method named after it (`CreateTable` -> `create_table_sql`), which
returns the statements. A dialect without the method, or one that raises `Unsupported`,
yields an `Unsupported` note carrying the operation and its span; the script goes on with the
rest.

The text is Prisma's: each step is `-- <Step>` then its statements, each ending in `;`,
steps separated by a blank line; an empty migration says so. Where running a step loses data,
`warnings` (and `with_warnings=True`) say it in Prisma's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from schemasense.codegen.ddl.operations import (
    AddConstraint,
    AlterEnum,
    AlterEnumAddValue,
    AlterTable,
    Operation,
    RedefineIndex,
    RedefineTables,
    RenameColumn,
    RenameEnumValue,
    RenameTable,
)
from schemasense.codegen.schema import Span

EMPTY_MIGRATION = "-- This is an empty migration."


class UnsupportedOperation(Exception):
    """Raised by a dialect's `<op>_sql` when it cannot express the operation."""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """An operation the dialect cannot express: why, and where it came from."""

    operation: Operation
    reason: str
    span: Span | None = None

    def __str__(self) -> str:
        return f"{self.operation.kind}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Step:
    """One operation as SQL: `-- <description>` and its statements."""

    description: str
    statements: tuple[str, ...]
    operation: Operation
    comment: str | None = None
    """Text for a `-- ` comment above the statements (a safe-mode note, a data-loss note)."""

    def text(self) -> str:
        head = f"-- {self.description}\n"
        if self.comment:
            head += "".join(f"-- {line}".rstrip() + "\n" for line in self.comment.splitlines())
        return head + "".join(f"{s};\n" for s in self.statements)


@dataclass(frozen=True, slots=True)
class Script:
    dialect: str
    steps: tuple[Step, ...]
    unsupported: tuple[Unsupported, ...] = ()
    warnings: tuple[str, ...] = ()
    transactional: bool = True
    """False when a statement cannot run in a transaction (`CREATE INDEX CONCURRENTLY`)."""

    @property
    def text(self) -> str:
        return self.render()

    def render(self, *, with_warnings: bool = False) -> str:
        """The migration file's text (Prisma's `migrate diff --script` form)."""
        body = "\n".join(step.text() for step in self.steps)
        if self.unsupported:
            notes = "".join(f"-- Unsupported: {u}\n" for u in self.unsupported)
            body = notes + ("\n" + body if body else "")
        if not body:
            body = EMPTY_MIGRATION + "\n"
        if with_warnings and self.warnings:
            lines = "\n".join(f"  - {w}" for w in self.warnings)
            body = f"/*\n  Warnings:\n\n{lines}\n\n*/\n" + body
        return body

    @property
    def is_empty(self) -> bool:
        return not self.steps and not self.unsupported

    @property
    def statements(self) -> list[str]:
        return [s for step in self.steps for s in step.statements]


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def method_name(operation: Operation) -> str:
    """`CreateTable` -> `create_table_sql`."""
    return _CAMEL.sub("_", type(operation).__name__).lower() + "_sql"


_STEP_NAMES = {
    RenameTable: "RenameTable",
    RenameColumn: "RenameColumn",
    RenameEnumValue: "RenameEnumValue",
    AlterEnumAddValue: "AlterEnum",
    AlterEnum: "AlterEnum",
    RedefineIndex: "RedefineIndex",
    RedefineTables: "RedefineTables",
    AlterTable: "AlterTable",
}


def _added_constraint_step(op: AddConstraint) -> str:
    """An `AddConstraint` on its own is a step named after its kind (Prisma's `AddForeignKey`;
    the safe plan's `AddCheck`, `AddUniqueUsingIndex`)."""
    kind = op.constraint.kind
    if kind == "unique" and op.constraint.using_index:
        return "AddUniqueUsingIndex"
    return {"foreign_key": "AddForeignKey", "check": "AddCheck"}.get(kind, "AddConstraint")


_CONSTRAINT_STEPS = {
    ("ValidateConstraint", "foreign_key"): "ValidateForeignKey",
    ("ValidateConstraint", "check"): "ValidateCheck",
    ("DropConstraint", "check"): "DropCheck",
    ("DropConstraint", "foreign_key"): "DropForeignKey",
    ("RenameConstraint", "foreign_key"): "RenameForeignKey",
}
"""An ALTER TABLE of one constraint change is its own step, named as the safe plan's steps are."""


class SqlTarget:
    """Base of the per-dialect SQL targets: quoting, dispatch and the script's text."""

    registry: ClassVar[dict[str, type[SqlTarget]]] = {}
    NAME: ClassVar[str] = ""
    QUOTE: ClassVar[tuple[str, str]] = ('"', '"')
    INDENT: ClassVar[str] = "    "
    NON_TRANSACTIONAL: ClassVar[tuple[str, ...]] = ()
    """Statement prefixes that cannot run inside a transaction."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.NAME:
            SqlTarget.registry[cls.NAME] = cls

    # identifiers and literals

    def quote(self, name: str) -> str:
        left, right = self.QUOTE
        return f"{left}{name.replace(right, right * 2)}{right}"

    def qualified(self, name: str, schema: str | None = None) -> str:
        return f"{self.quote(schema)}.{self.quote(name)}" if schema else self.quote(name)

    @staticmethod
    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    # rendering

    def step_name(self, operation: Operation) -> str:
        if isinstance(operation, AddConstraint):
            return _added_constraint_step(operation)
        if isinstance(operation, AlterTable) and len(operation.changes) == 1:
            change = operation.changes[0]
            constraint_kind = getattr(change, "kind", None)  # DropConstraint's, Validate...'s
            named = _CONSTRAINT_STEPS.get((type(change).__name__, constraint_kind))
            if named is not None:
                return named
        return _STEP_NAMES.get(type(operation), type(operation).__name__)

    def render(self, operations: Iterable[Operation]) -> Script:
        steps: list[Step] = []
        unsupported: list[Unsupported] = []
        warnings: list[str] = []
        transactional = True
        for op in operations:
            method = getattr(self, method_name(op), None)
            if method is None:
                unsupported.append(
                    Unsupported(op, f"{self.NAME} cannot express {op.kind}", op.span)
                )
                continue
            try:
                statements = method(op)
            except UnsupportedOperation as exc:
                unsupported.append(Unsupported(op, str(exc), op.span))
                continue
            if not statements:
                continue
            if any(
                s.lstrip().upper().startswith(self.NON_TRANSACTIONAL)
                for s in statements
                if self.NON_TRANSACTIONAL
            ):
                transactional = False
            comment = op.comment if isinstance(op, AddConstraint) else None
            steps.append(Step(self.step_name(op), tuple(statements), op, comment))
            if op.loses_data:
                warnings.extend(op.loses_data.splitlines())
        return Script(self.NAME, tuple(steps), tuple(unsupported), tuple(warnings), transactional)

    # helpers shared by the dialects

    def join(self, names: Sequence[str], sep: str = ", ") -> str:
        return sep.join(self.quote(n) for n in names)


@dataclass
class _Registry:
    instances: dict[str, SqlTarget] = field(default_factory=dict)


_INSTANCES = _Registry()


def sql_target(dialect: str) -> SqlTarget:
    """The target for `postgresql`, `mysql` or `sqlite` (Prisma's provider names accepted)."""
    from schemasense.codegen.emit.sql import mysql, postgresql, sqlite  # noqa: F401 - registers them

    name = {"postgres": "postgresql", "cockroachdb": "postgresql"}.get(dialect, dialect)
    if name not in _INSTANCES.instances:
        cls = SqlTarget.registry.get(name)
        if cls is None:
            raise ValueError(f"no SQL target for {dialect!r}")
        _INSTANCES.instances[name] = cls()
    return _INSTANCES.instances[name]


def render_sql(operations: Iterable[Operation], dialect: str) -> Script:
    """`operations` as a migration script for `dialect`."""
    return sql_target(dialect).render(operations)


def render_statements(operations: Iterable[Operation], dialect: str) -> list[str]:
    """`operations` as bare statements (no `-- <Step>` headings, no `;`): what a fix writes
    in place of one statement, or as the file of a migration of its own. Raises
    `UnsupportedOperation` where the dialect cannot say one (a fix then offers nothing)."""
    script = sql_target(dialect).render(operations)
    if script.unsupported:
        raise UnsupportedOperation(str(script.unsupported[0]))
    return script.statements


def render_file(operations: Iterable[Operation], dialect: str) -> str:
    """`operations` as a file of bare statements, each ending in `;` and a new line."""
    return "".join(f"{s};\n" for s in render_statements(operations, dialect))
