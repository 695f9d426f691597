"""Generate tests from the editor: "Generate tests for <Model>" on a model or an entity.

When the editor asks for source actions (`only: ["source"]`) with the cursor in a Prisma
`model` block, a TypeORM entity class or a Sequelize model (any table of the schema whose
declaration spans the cursor), `code_actions` offers a
`source.schemasense.generateTests` action whose WorkspaceEdit creates the test folder's files
(`workflows/generate_tests`: the runner's config, the set-up, the helpers, the factories and
the model's test file) and adds what the tests need to package.json. Nothing is written behind
the editor. A file that exists already is never overwritten silently: a file the generator
wrote before is updated inside its marked region only (the title says how many files are
updated), and a file of that name that is not ours gets the generated one beside it.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from schemasense.server.positions import LineMap
from schemasense.server.workflows.generate_migration import GenerateError
from schemasense.server.workflows.generate_tests import PreparedTests, prepare

from . import names
from .session import Session

KIND = names.GENERATE_TESTS_KIND


def code_actions(session: Session, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = params.context.only
    # a source action: offered when the editor asks for source actions (VS Code's "Source
    # Action…" menu asks with only=["source"]), not in every quick-fix list
    if not only or not any(KIND.startswith(str(k)) or str(k).startswith(KIND) for k in only):
        return []
    path = session.path_of(params.text_document.uri)
    workspace = session.workspace
    text = workspace.text(path)
    if text is None:
        return []
    unit = workspace.unit_for(path)
    if path not in unit.files:
        return []
    analysis = workspace.analyze(unit)
    offset = LineMap(text).offset(
        params.range.start.line, params.range.start.character, workspace.position_encoding
    )
    model = _model_at(analysis.read, path, offset)
    if model is None:
        return []
    try:
        prepared = prepare(workspace, path, models=(model,), unit=unit)
    except GenerateError:
        return []
    if not prepared.changed:
        return []
    updated = [f for f in prepared.changed if f.action in ("update", "edit")]
    title = f"Generate tests for {model}"
    if updated:
        title += f" (updates {len(updated)} existing file{'s' if len(updated) > 1 else ''})"
    return [types.CodeAction(title=title, kind=KIND, edit=workspace_edit(session, prepared))]


def _declarations(read) -> list[tuple[str, int, int, str]]:
    """(file, start, end, model) of each model's declaration: the schema's table spans, and
    for TypeORM (whose schema names no models and whose table span is the `@Entity()`
    decorator) each entity class from its decorator to its closing brace."""
    out = []
    entities = getattr(getattr(read, "entities", None), "entities", None)
    spans = {t.name: t.span for t in read.schema.tables if t.span is not None}
    if isinstance(entities, dict):
        for cls, info in entities.items():
            span = spans.get(info.table.name)
            if span is not None and not info.view:
                out.append((span.file, min(span.start, info.decl.start), info.decl.end, cls))
    for table in read.schema.tables:
        if table.span is not None and table.model_name:
            out.append((table.span.file, table.span.start, table.span.end, table.model_name))
    return out


def _model_at(read, path: str, offset: int) -> str | None:
    """The model whose declaration spans `offset` in `path` (the innermost one)."""
    best = None
    for file, start, end, name in _declarations(read):
        if file != path or not (start <= offset <= end):
            continue
        if best is None or end - start < best[0]:
            best = (end - start, name)
    return best[1] if best else None


def workspace_edit(session: Session, prepared: PreparedTests) -> types.WorkspaceEdit:
    """A CreateFile and its text for each new file; the whole text replaced for a file that
    is updated (its marked region regenerated, the rest as it was)."""
    changes: list[Any] = []
    origin = types.Position(line=0, character=0)
    for f in prepared.changed:
        uri = session.uri_of(f.path)
        if f.action in ("create", "beside"):
            changes.append(
                types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False))
            )
            old = ""
        else:
            old = session.workspace.text(f.path) or ""
        lines = LineMap(old)
        end_line, end_char = lines.position(len(old), session.workspace.position_encoding)
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=session.workspace.version(f.path)
                ),
                edits=[
                    types.TextEdit(
                        range=types.Range(
                            start=origin,
                            end=types.Position(line=end_line, character=end_char),
                        ),
                        new_text=f.text,
                    )
                ],
            )
        )
    return types.WorkspaceEdit(document_changes=changes)
