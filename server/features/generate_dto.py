"""Generate DTOs from the editor: a code action on a model or entity.

With the cursor in a Prisma `model`, a TypeORM `@Entity` class or a Sequelize model, the
"Generate DTOs for <Model>" action (kind `source.schemasense.generateDto`; offered where no
diagnostic is in the request, or when source actions are asked for) returns a
WorkspaceEdit made by the same workflow as `schemasense generate dto`
(`server/workflows/generate_dto.py`): a `CreateFile` plus a `TextDocumentEdit` for each new
file (`<model>.dto.ts` with the class-validator classes, `<model>.schema.ts` with the zod
schemas), and for a file written before, one `TextDocumentEdit` that replaces it with the
merged text (the generated region rewritten, the user's code outside the markers kept). A file
there without markers is never touched: then there is no action, and the title of a disabled
one says why. Nothing is written behind the editor's back.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from schemasense.server.positions import LineMap
from schemasense.server.workflows.generate_dto import DtoError, Prepared, model_at, prepare

from . import names
from .session import Session

KIND = names.GENERATE_DTO_KIND


def code_actions(session: Session, params: types.CodeActionParams) -> list[types.CodeAction]:
    """ "Generate DTOs for <Model>" where the cursor is in a model."""
    only = params.context.only
    if only and not any(KIND.startswith(str(k)) for k in only):
        return []
    if not only and params.context.diagnostics:
        return []  # on a problem the fixes are what is asked for ("Source Action…" still has it)
    path = session.path_of(params.text_document.uri)
    workspace = session.workspace
    text = workspace.text(path)
    if text is None:
        return []
    unit = workspace.unit_for(path)
    if path not in unit.files:
        return []
    analysis = workspace.analyze(unit)
    start = params.range.start
    offset = LineMap(text).offset(start.line, start.character, workspace.position_encoding)
    model = model_at(analysis, path, offset)
    if model is None:
        return []
    try:
        prepared = prepare(workspace, unit, models=[model])
    except DtoError:
        return []
    title = f"Generate DTOs for {model}"
    if prepared.conflicts:
        return [
            types.CodeAction(
                title=title,
                kind=KIND,
                disabled=types.CodeActionDisabled(
                    reason=f"{prepared.conflicts[0]} exists and was not written by schemasense"
                ),
            )
        ]
    if not any(f.changed for f in prepared.files):
        return []
    return [types.CodeAction(title=title, kind=KIND, edit=workspace_edit(session, prepared))]


def workspace_edit(session: Session, prepared: Prepared) -> types.WorkspaceEdit:
    changes: list[Any] = []
    origin = types.Position(line=0, character=0)
    for f in prepared.files:
        if not f.changed:
            continue
        uri = session.uri_of(f.path)
        if f.existing is None:
            changes.append(
                types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False))
            )
            end = origin
        else:
            lines = LineMap(f.existing)
            line, character = lines.position(len(f.existing), session.workspace.position_encoding)
            end = types.Position(line=line, character=character)
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=session.workspace.version(f.path)
                ),
                edits=[types.TextEdit(range=types.Range(start=origin, end=end), new_text=f.text)],
            )
        )
    return types.WorkspaceEdit(document_changes=changes)
