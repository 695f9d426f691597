"""The base of migration-safety rules (DB2xx): a rule judges one statement in its state.

A rule says which dialects it checks and implements `check_statement(stmt, state)`. It never
walks the history itself: the lint engine walks each migration set once per run
(`lint/walk.py`) and hands every migration rule each statement of the undeployed files with the
state before it (`MigrationState`), skipping the rules whose `watches` the statement cannot
concern. What a rule needs to remember within a file (`reported`, `facts`) is a declared field
of the state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.schema import Span
from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.registry import Input, Rule
from schemasense.server.lint.walk import MigrationState, mysql_setting, table_key
from schemasense.server.migrations.model import StatementRecord

__all__ = ["MigrationRule", "MigrationState", "mysql_setting", "single_action", "table_key"]


class MigrationRule(Rule):
    """A migration-safety rule over the statements of undeployed migration files."""

    applies_to: ClassVar[tuple[Input, ...]] = ("migrations",)
    dialects: ClassVar[tuple[str, ...]] = ("postgresql",)
    watches: ClassVar[tuple[type, ...] | None] = None
    """The operations (`ops.CreateIndex`, ...) and ALTER TABLE actions (`ops.AddColumn`, ...)
    that `check_statement` can report on: the shared walk skips the rule on a statement that
    has none of them (3,000 statements x 30 rules add up). None: every statement (a rule that
    reads the statement's kind or text)."""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """This rule alone over the engine's walk (the engine runs every migration rule of a
        run in one walk; this is for a caller holding one rule)."""
        from schemasense.server.lint.engine import check_statements

        yield from check_statements(ctx, [self])[self.code]

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterable[Finding]:
        raise NotImplementedError

    # helpers

    @staticmethod
    def actions(stmt: StatementRecord) -> Iterator[tuple[ops.AlterTable, ops.TableChange]]:
        """Every ALTER TABLE action of the statement with its statement op."""
        for op in stmt.ops:
            if isinstance(op, ops.AlterTable):
                for action in op.changes:
                    yield op, action

    @staticmethod
    def sub_span(stmt: StatementRecord, sub: tuple[int, int] | None) -> Span:
        """The span of a clause (`sub`: the reader's offsets into the parsed text), or of the
        whole statement."""
        return stmt.clause_span(sub)


class Dispatch:
    """The rules of one dialect, and which of them a statement can concern: those that watch
    every statement, and those that watch one of its operations or actions."""

    def __init__(self, rules: list[MigrationRule]) -> None:
        self._rules = rules
        self._always = [r for r in rules if r.watches is None]
        self._by_types: dict[frozenset[type], list[MigrationRule]] = {}

    def rules_for(self, stmt: StatementRecord) -> list[MigrationRule]:
        types = set()
        for op in stmt.ops:
            types.add(type(op))
            if isinstance(op, ops.AlterTable):
                types.update(type(a) for a in op.changes)
        key = frozenset(types)
        found = self._by_types.get(key)
        if found is None:
            found = self._by_types[key] = [
                r
                for r in self._rules
                if r.watches is None or any(issubclass(t, r.watches) for t in key)
            ]
        return found


def single_action(stmt: StatementRecord) -> tuple[ops.AlterTable, ops.TableChange] | None:
    """The statement's one ALTER TABLE action, when it is exactly that (multi-step fixes
    rewrite whole statements only)."""
    if len(stmt.ops) != 1 or not isinstance(stmt.ops[0], ops.AlterTable):
        return None
    op = stmt.ops[0]
    if len(op.changes) != 1:
        return None
    return op, op.changes[0]
