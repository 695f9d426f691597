"""The base of the MySQL / MariaDB online DDL rules (DB230-DB232).

Each of them reports one kind of fact (`codegen.ddl.lock_facts.classify`) about the statement's
ALTER TABLE actions, for the configured server: a copy, an in-place rebuild, or in-place work
under a write-blocking lock. The facts are worked out once per statement, whichever of the
rules asks first, and every finding reads the same way: what the action is, on which server,
and what happens to the table meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.lock_facts import statement_facts
from schemasense.codegen.dialects.mysql_online_ddl import (
    Online,
    Server,
    fk_checks_on,
    pinned_better,
)
from schemasense.server.findings import Finding
from schemasense.server.lint.migration_rule import MigrationRule, MigrationState
from schemasense.server.migrations.model import StatementRecord

Facts = list[tuple[str, ops.TableChange | None, Online]]


class MysqlOnlineDdlRule(MigrationRule):
    """A rule over the online DDL facts of a MySQL / MariaDB statement: `reports` says which
    facts it flags; tables new in this migration (or batch) and statements that pin a better
    `ALGORITHM=` / `LOCK=` (the server refuses those rather than copy) are never flagged."""

    dialects: ClassVar[tuple[str, ...]] = ("mysql",)
    advice: ClassVar[str] = ""
    """The finding's help."""

    def reports(self, fact: Online, copied: bool) -> bool:
        """Whether `fact` is this rule's to report; `copied`: another action of the statement
        on the same table copies it, so the whole statement runs as that copy (DB230's)."""
        raise NotImplementedError

    def check_statement(self, stmt: StatementRecord, state: MigrationState) -> Iterator[Finding]:
        server, facts = _facts(stmt, state)
        copied = {table for table, _, fact in facts if fact.algorithm == "COPY"}
        for table, action, fact in facts:
            if not self.reports(fact, table in copied):
                continue
            if state.is_new(table) or pinned_better(stmt.text, fact):
                continue
            yield self.finding(
                f"{fact.reason[0].upper()}{fact.reason[1:]} runs on {server.label} as "
                f"{fact.what_happens(table)}",
                self.sub_span(stmt, action.span if action is not None else None),
                help=self.advice,
            )


def _facts(stmt: StatementRecord, state: MigrationState) -> tuple[Server, Facts]:
    """The statement's facts, kept on the walk's state (`state.facts`) until the next statement
    (the three rules ask about the same statement in turn, before the state moves on)."""
    kept = state.facts
    if kept is not None and kept[0] is stmt:
        return kept[1]
    server = state.server
    found = statement_facts(
        stmt.ops, server, state.tables, foreign_key_checks=fk_checks_on(state.settings)
    )
    facts = [(table, action, fact) for table, action, fact in found if isinstance(fact, Online)]
    state.facts = (stmt, (server.online, facts))
    return server.online, facts
