"""Generate a migration from the editor: a code action on `schema.prisma`, on the model code
(TypeORM entities, Sequelize models) and on the migration files the drift points at, and a
command.

Where the drift rules (DB3xx) report that the migrations do not build what the schema
declares, `code_actions` offers "Generate migration…": a WorkspaceEdit that creates the
migration's files (Prisma's `migrations/<timestamp>_<name>/migration.sql` and `down.sql`, or
the project's own tool's files) with a `CreateFile` and a `TextDocumentEdit` each, so the
editor shows the change and can undo it; nothing is written behind its back. When the schema
leaves a rename in doubt (a field renamed without `@map`), there are two actions, one per
choice ("rename `User.name` to `User.fullName`" and "drop `User.name`, add `User.fullName`").
Once the files exist (the editor opens them), the replay includes them and the drift clears.

`schemasense.generateMigration` does the same from a command (the editors' "Generate
migration" command, which asks for a name): arguments `{uri, name?, safe?, renames?, format?,
position?}` (`position`: in a file that declares several DataSources, the one it is in),
where `renames` maps a candidate's label (`User.name -> User.fullName`) to true (rename) or
false (drop and add). It applies the edit through `workspace/applyEdit` and answers
`{applied, name, files}`; with a rename undecided it applies nothing and answers
`{needsDecision: [labels]}`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from lsprotocol import types
from schemasense.codegen.ddl.operations import RenameCandidate
from schemasense.server.positions import LineMap
from schemasense.server.project.detection import PRISMA
from schemasense.server.workflows.generate_migration import (
    DRIFT_CODES,
    GenerateError,
    Prepared,
    prepare,
    project_of,
)

from . import names
from .session import Session

COMMAND = names.GENERATE_MIGRATION_COMMAND
KIND = names.GENERATE_MIGRATION_KIND
TITLE = "Generate migration…"
_CODE = (".js", ".cjs", ".mjs", ".ts", ".cts", ".mts")


def code_actions(session: Session, params: types.CodeActionParams) -> list[types.CodeAction]:
    """ "Generate migration…" on a schema (Prisma, or a DDL file) whose migrations drift
    from it."""
    only = params.context.only
    quickfix = not only or any(str(k).startswith("quickfix") for k in only)
    source = not only or any(KIND.startswith(str(k)) for k in only)
    if not (quickfix or source):
        return []
    path = session.path_of(params.text_document.uri)
    workspace = session.workspace
    doc = workspace.document(path)
    unit = _unit_at(session, path, params.range.start)
    prisma = path.endswith(".prisma") or (doc is not None and doc.language_id == "prisma")
    if not (prisma or (unit.kind != PRISMA and path in unit.files)):
        # a migration file of a code-first project (a sequelize-cli migration, a TypeORM
        # class): the action is that of the models' unit, whose migrations hold it
        owner = _unit_of_migration(session, path) if path.endswith(_CODE) else None
        if owner is None:
            return []
        unit = owner
    analysis = workspace.analyze(unit)
    if not any(f.code in DRIFT_CODES for f in analysis.findings):
        return []
    drift = [d for d in params.context.diagnostics if str(d.code) in DRIFT_CODES]
    kind = types.CodeActionKind.QuickFix if drift and quickfix else KIND
    if kind == KIND and not source:
        return []
    actions = []
    for title, renames in _choices(session, unit):
        prepared = _prepared(session, unit, renames)
        if prepared is None or prepared.is_empty:
            continue
        actions.append(
            types.CodeAction(
                title=title,
                kind=kind,
                diagnostics=drift or None,
                edit=workspace_edit(session, prepared),
            )
        )
    return actions


def _unit_at(session: Session, path: str, position: types.Position | None):
    """The unit of `path`; in a file that declares several DataSources (several units, keyed
    `FILE` and `FILE#Export`), the one whose declaration holds `position` (the first one
    elsewhere in the file, or with no position)."""
    workspace = session.workspace
    unit = workspace.unit_for(path)
    text = workspace.text(path)
    if unit.kind == PRISMA or position is None or text is None or unit.key != path:
        return unit
    siblings = [
        u for u in workspace.units_at(os.path.dirname(path)) if u.key.partition("#")[0] == path
    ]
    if len(siblings) < 2:
        return unit
    offset = LineMap(text).offset(position.line, position.character, workspace.position_encoding)
    for sibling in siblings:
        declared = getattr(workspace.analyze(sibling).read, "datasource", None)  # TypeORM's
        start, end = getattr(declared, "start", -1), getattr(declared, "end", -1)
        if getattr(declared, "file", None) == path and start <= offset <= end:
            return sibling
    return unit


def _unit_of_migration(session: Session, path: str):
    """The model-code unit (TypeORM, Sequelize) whose migrations hold `path`: the one the
    migration links name, else an open one that replays it."""
    workspace = session.workspace
    owner = workspace.migrations.schema_for(path)
    if owner is not None:
        found = [u for u in workspace.units_at(os.path.dirname(owner)) if u.key == owner]
        if found and found[0].kind != PRISMA:
            return found[0]
    for unit in workspace.open_units():
        if unit.kind != PRISMA and path in workspace.analyze(unit).migration_files:
            return unit
    return None


def _choices(session: Session, unit) -> list[tuple[str, bool | dict[str, bool] | None]]:
    first = _prepared(session, unit, None)
    if first is None:
        return []
    doubtful = first.undecided
    if not doubtful:
        return [(TITLE, None)]
    return [
        (f"{TITLE} (rename {_phrase(doubtful, rename=True)})", {c.label: True for c in doubtful}),
        (f"{TITLE} ({_phrase(doubtful, rename=False)})", {c.label: False for c in doubtful}),
    ]


def _phrase(candidates: Sequence[RenameCandidate], *, rename: bool) -> str:
    parts = []
    for c in candidates:
        old = f"{c.parent}.{c.old}" if c.parent else c.old
        new = f"{c.parent}.{c.new}" if c.parent else c.new
        parts.append(f"`{old}` to `{new}`" if rename else f"drop `{old}`, add `{new}`")
    return "; ".join(parts)


def _prepared(
    session: Session,
    unit,
    renames,
    name: str | None = None,
    safe: bool = False,
    tool: str | None = None,
) -> Prepared | None:
    """The migration for `unit`, cached while neither the schema nor its migrations change
    (a code action request comes with every cursor move): on the workspace's caches, keyed by
    the read's digest and the replays' versions."""
    workspace = session.workspace
    analysis = workspace.analyze(unit)
    caches = workspace.caches
    key = (unit.key, analysis.digest, analysis.replays, repr(renames), name, safe, tool)
    found, hit = caches.recall(caches.generated_migrations, key)
    if found:
        return hit
    try:
        prepared = prepare(
            project_of(workspace, unit),
            name,
            safe=safe,
            renames=renames,
            tool=tool,
            now=datetime.now(UTC),
        )
    except GenerateError:
        return None
    return caches.remember(caches.generated_migrations, key, prepared)


def workspace_edit(session: Session, prepared: Prepared) -> types.WorkspaceEdit:
    """Create each file and put its text in (versions: none, the files are new)."""
    changes: list[Any] = []
    for f in prepared.files:
        uri = session.uri_of(f.path)
        changes.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False)))
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=session.workspace.version(f.path)
                ),
                edits=[
                    types.TextEdit(
                        range=types.Range(
                            start=types.Position(line=0, character=0),
                            end=types.Position(line=0, character=0),
                        ),
                        new_text=f.text,
                    )
                ],
            )
        )
    return types.WorkspaceEdit(document_changes=changes)


ApplyEdit = Callable[[types.ApplyWorkspaceEditParams], Awaitable[Any]]


async def command(session: Session, args: Sequence[Any], apply_edit: ApplyEdit) -> dict[str, Any]:
    """`schemasense.generateMigration {uri, name?, safe?, renames?, format?}`."""
    options = args[0] if args and isinstance(args[0], dict) else {}
    uri = options.get("uri") or (args[0] if args and isinstance(args[0], str) else None)
    if not uri:
        return {"error": "give the schema's uri"}
    path = session.path_of(uri)
    position = options.get("position")
    at = (
        types.Position(line=int(position["line"]), character=int(position["character"]))
        if isinstance(position, dict) and {"line", "character"} <= position.keys()
        else None
    )
    unit = _unit_at(session, path, at)
    renames = options.get("renames")
    try:
        prepared = prepare(
            project_of(session.workspace, unit),
            options.get("name") or None,
            safe=bool(options.get("safe")),
            renames=renames if isinstance(renames, dict | bool) else None,
            tool=options.get("format"),
            now=datetime.now(UTC),
        )
    except GenerateError as exc:
        return {"error": str(exc)}
    decided = renames if isinstance(renames, dict) else {}
    undecided = [c.label for c in prepared.undecided if c.label not in decided]
    if undecided and not isinstance(renames, bool):
        return {"needsDecision": undecided}
    if prepared.is_empty:
        return {
            "applied": False,
            "name": prepared.migration.name,
            "files": [],
            "message": "the migrations already build what the schema declares",
        }
    edit = workspace_edit(session, prepared)
    result = await apply_edit(
        types.ApplyWorkspaceEditParams(
            edit=edit, label=f"Generate migration {prepared.migration.name}"
        )
    )
    applied = bool(getattr(result, "applied", False))
    return {
        "applied": applied,
        "name": prepared.migration.name,
        "files": [session.uri_of(f.path) for f in prepared.files],
        "unsupported": [str(u) for u in prepared.migration.unsupported],
    }
