"""Removing one step from a migration written in code, with the step of `down` that undoes it.

A SQL migration loses a statement by deleting its text. A TypeORM class or a Sequelize file
runs each step as a call (`await queryRunner.query(`...`)`, `await queryRunner.renameColumn(...)`,
`await queryInterface.renameTable(...)`): the step goes when its whole statement goes, and
its inverse in `down` must go with it, or undoing the migration would rename what was never
renamed. This module finds both, statically (tree-sitter, never the user's code), and says
None wherever it cannot be sure: a call that is not a statement of its own (a promise chain),
a SQL string with more than the one statement, an inverse that is not found as one call.

Only renames are matched today (the fixes of DB210 / DB211, which keep the old name on the
model instead): `rename_pairs` is what a step renames, in either vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.schema import Span
from schemasense.server.findings import TextEdit
from schemasense.server.migrations.model import StatementRecord
from schemasense.server.migrations.replay import parse_file

if TYPE_CHECKING:
    # tree-sitter loads only when a code migration is really edited (a Prisma project's rules
    # import this module for CODE_TOOLS and must not pay for a TypeScript parser)
    from schemasense.server.sources.typescript.declarations import CallSite, Module

CODE_TOOLS = ("typeorm", "sequelize")
"""The migration tools whose files are code."""

Rename = tuple[str, str, str]
"""("table" | "column", old name, new name)."""

_QUERY_METHODS = {"query"}
_RENAME_METHODS = {"renameColumn": "column", "renameTable": "table"}


def rename_pairs(statement_ops: Iterable[object]) -> frozenset[Rename]:
    """What the operations rename (tables and columns, old -> new), by name only: the table a
    column rename is on may itself be renamed in the same migration."""
    found: set[Rename] = set()
    for op in statement_ops:
        if isinstance(op, ops.RenameTable):
            found.add(("table", _bare(op.old), _bare(op.new)))
        elif isinstance(op, ops.AlterTable):
            for change in op.changes:
                if isinstance(change, ops.RenameColumn):
                    found.add(("column", change.old, change.new))
                elif isinstance(change, ops.RenameTable):
                    found.add(("table", _bare(op.table), _bare(change.new)))
                elif isinstance(change, ops.ModifyColumn) and change.name != change.after.name:
                    found.add(("column", change.name, change.after.name))
        elif isinstance(op, ops.RenameColumn):
            found.add(("column", op.old, op.new))
    return frozenset(found)


def _bare(name: str) -> str:
    """`schema.table` -> `table`."""
    return name.rsplit(".", 1)[-1]


def remove_step(
    tool: str, dialect: str, path: str, text: str, stmt: StatementRecord
) -> tuple[TextEdit, ...] | None:
    """Edits that delete the step `stmt` of `up` (its whole call statement) and the step of
    `down` that undoes it; None when either cannot be done cleanly."""
    if tool not in CODE_TOOLS:
        return None
    undone = rename_pairs(stmt.ops)
    if not undone:
        return None
    from schemasense.server.sources.typescript.declarations import read_module

    module = read_module(path, text)
    bodies = _bodies(tool, module)
    if bodies is None:
        return None
    up, down = bodies
    if not up[0] <= stmt.span.start < up[1]:
        return None
    site = _site_of(module, stmt, up)
    if site is None or _renames(site, dialect) != undone:
        return None
    edits = [_whole_statement(path, text, site)]
    if edits[0] is None:
        return None
    if down is not None:
        inverse = frozenset((kind, new, old) for kind, old, new in undone)
        matches = [s for s in _steps(module, down) if _renames(s, dialect) == inverse]
        if len(matches) > 1:
            return None
        if matches:
            edits.append(_whole_statement(path, text, matches[0]))
            if edits[-1] is None:
                return None
    return tuple(e for e in edits if e is not None)


def _bodies(tool: str, module: Module) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """The body ranges of the file's `up` and `down` (None for a missing `down`)."""
    if tool == "typeorm":
        from schemasense.server.migrations.typeorm.reader import migration_classes

        classes = migration_classes(module)
        if len(classes) != 1 or classes[0].up is None:
            return None
        up, down = classes[0].up, classes[0].down
        return (up.body_start, up.body_end), (
            (down.body_start, down.body_end) if down is not None else None
        )
    from schemasense.server.migrations.sequelize.reader import find_exported

    up_f, down_f = find_exported(module, "up"), find_exported(module, "down")
    if up_f is None:
        return None
    return (up_f.body_start, up_f.body_end), (
        (down_f.body_start, down_f.body_end) if down_f is not None else None
    )


def _steps(module: Module, body: tuple[int, int]) -> list[CallSite]:
    """The calls of `body` that can be a step: `x.query(...)`, `x.renameColumn(...)`, ..."""
    return [
        s
        for s in module.calls(within=body)
        if not s.new and (s.method in _QUERY_METHODS or s.method in _RENAME_METHODS)
    ]


def _site_of(module: Module, stmt: StatementRecord, up: tuple[int, int]) -> CallSite | None:
    """The call of `up` that runs `stmt`: the call itself for a Table-API / queryInterface
    step, the `query(...)` whose string holds it for SQL."""
    best: CallSite | None = None
    for site in _steps(module, up):
        if not site.start <= stmt.span.start <= stmt.span.end <= site.end:
            continue
        if best is None or site.end - site.start < best.end - best.start:
            best = site
    return best


def _renames(site: CallSite, dialect: str) -> frozenset[Rename] | None:
    """What the call renames, when it is one step that only renames; None otherwise."""
    from schemasense.server.sources.typescript.values import Str

    if site.method in _RENAME_METHODS:
        kind = _RENAME_METHODS[site.method]
        values = [site.args.get(i) for i in range(3 if kind == "column" else 2)]
        if not all(isinstance(v, Str) and v.value for v in values):
            return None
        names = [v.value for v in values]  # type: ignore[union-attr]
        if kind == "column":
            return frozenset({("column", names[1], names[2])})
        return frozenset({("table", _bare(names[0]), _bare(names[1]))})  # type: ignore[arg-type]
    sql = site.args.get(0)
    if not isinstance(sql, Str) or not sql.value:
        return None
    parsed = [p for p in parse_file(dialect, sql.value) if p.kind != "empty"]
    if len(parsed) != 1 or parsed[0].error is not None:
        return None
    return rename_pairs(parsed[0].ops) or None


_BEFORE = re.compile(r"(?:^|\n)([ \t]*)(?:await[ \t]+)?$")
_AFTER = re.compile(r"[ \t]*;?[ \t]*(?://[^\n]*)?(?:\n|$)")


def _whole_statement(path: str, text: str, site: CallSite) -> TextEdit | None:
    """Delete the line(s) of `[await] call;`, or None when the call is not a statement of its
    own (a promise chain, an argument, a `return`)."""
    head = text[: site.start]
    before = _BEFORE.search(head[max(0, head.rfind("\n")) :])
    after = _AFTER.match(text, site.end)
    if before is None or after is None:
        return None
    start = head.rfind("\n") + 1
    return TextEdit(Span(file=path, start=start, end=after.end()), "")
