"""Generate one ORM's model from another's, in the editor: "Generate TypeORM entity" on a Prisma
model or a Sequelize model, "Generate Prisma model" on a TypeORM entity or a Sequelize model,
"Generate Sequelize model" on a Prisma model or a TypeORM entity.

The cursor picks the model: the one whose declaration's head holds it (`model Task {`, from
`@Entity` to `export class Tag {`, the `sequelize.define(...` line), as a "generate" refactoring
is offered on a class name. The action's
WorkspaceEdit creates the new files (CreateFile, then their text) or appends to the project's
Prisma schema; nothing is written behind the editor's back. The files are those of
`server/workflows/generate_model.py`, the same the CLI writes; an action whose files exist
already is not offered (the workflow refuses to overwrite).
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from lsprotocol import types
from schemasense.codegen.schema import Table
from schemasense.server.positions import LineMap
from schemasense.server.workflows.generate_model import (
    TARGET_TITLES,
    TARGETS,
    GenerateError,
    Prepared,
    prepare,
    project_of,
)

from . import names
from .session import Session

KIND = names.GENERATE_MODEL_KIND
log = logging.getLogger(__name__)


def available_targets(kind: str) -> list[str]:
    """The targets offered for models of source `kind` (not its own; Sequelize once its
    emitter is in the build)."""
    out = []
    for target in TARGETS:
        if target == kind:
            continue
        if target == "sequelize" and not _has_sequelize():
            continue
        out.append(target)
    return out


def _has_sequelize() -> bool:
    try:
        return importlib.util.find_spec("schemasense.codegen.emit.models.sequelize") is not None
    except (ImportError, ValueError):
        return False


def code_actions(session: Session, params: types.CodeActionParams) -> list[types.CodeAction]:
    """The actions for the model under the cursor; a failure here is logged and costs only
    these actions (the fixes asked for in the same request still come)."""
    try:
        return _code_actions(session, params)
    except Exception:
        log.exception("generate model: code actions failed")
        return []


def _code_actions(session: Session, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = params.context.only
    if only and not any(KIND.startswith(str(k)) or str(k) == "refactor" for k in only):
        return []
    path = session.path_of(params.text_document.uri)
    workspace = session.workspace
    text = workspace.text(path)
    if text is None:
        return []
    unit = workspace.unit_for(path)
    if path not in unit.files or unit.kind not in ("prisma", "typeorm", "sequelize"):
        return []
    try:
        project = project_of(workspace, unit)
    except GenerateError:
        return []
    offset = LineMap(text).offset(
        params.range.start.line, params.range.start.character, workspace.position_encoding
    )
    table = table_at(project.schema.tables, path, text, offset, sequelize=unit.kind == "sequelize")
    if table is None:
        return []
    name = table.model_name or table.name
    actions = []
    for target in available_targets(unit.kind):
        try:
            prepared = prepare(workspace, project, target, [name])
        except GenerateError:
            continue
        if any(_exists(f.path) for f in prepared.files):
            continue
        actions.append(
            types.CodeAction(
                title=f"Generate {TARGET_TITLES[target]} for {name}",
                kind=KIND,
                edit=workspace_edit(session, prepared),
            )
        )
    return actions


def table_at(
    tables: list[Table], path: str, text: str, offset: int, *, sequelize: bool = False
) -> Table | None:
    """The table whose declaration's head holds `offset` in `path`: from the declaration's
    start (the Prisma `model` line, the `@Entity` decorator, the `define` call) to the end of
    the line of the first `{` after it (`model Task {`, `export class Tag {`). Offered there,
    like a "generate" refactoring on a class name, and not on every line of the model. A
    Sequelize model's span is its name in the options after its columns: there the whole
    `init`/`define` call (its columns and that name) counts."""
    for t in tables:
        if t.span is None or t.span.file != path:
            continue
        if sequelize:  # the span is the model's name (`modelName: "User"`), after its columns
            spans = [s for s in (t.span, *(c.span for c in t.columns)) if s and s.file == path]
            if min(s.start for s in spans) <= offset <= max(s.end for s in spans):
                return t
            continue
        brace = text.find("{", t.span.start)
        if brace == -1:
            continue
        end = text.find("\n", brace)
        end = len(text) if end == -1 else end
        if t.span.start <= offset <= end:
            return t
    return None


def _exists(path: str) -> bool:
    import os

    return os.path.exists(path)


def workspace_edit(session: Session, prepared: Prepared) -> types.WorkspaceEdit:
    """Create each new file and put its text in; append to an existing file at its end."""
    changes: list[Any] = []
    origin = types.Position(line=0, character=0)
    for f in prepared.files:
        uri = session.uri_of(f.path)
        changes.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False)))
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[
                    types.TextEdit(range=types.Range(start=origin, end=origin), new_text=f.text)
                ],
            )
        )
    for a in prepared.appends:
        uri = session.uri_of(a.path)
        current = session.workspace.text(a.path) or a.expected
        line, character = LineMap(current).position(
            len(current), session.workspace.position_encoding
        )
        end = types.Position(line=line, character=character)
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=session.workspace.version(a.path)
                ),
                edits=[types.TextEdit(range=types.Range(start=end, end=end), new_text=a.text)],
            )
        )
    return types.WorkspaceEdit(document_changes=changes)
