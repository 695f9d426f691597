"""A TypeORM entity opened with the language id "prisma" (as the DTO test's client did, and as
an editor's wrong language mode does) is still read as TypeORM: the Prisma-only features
answer nothing instead of raising (the rename provider's `AttributeError: 'TypeOrmRead' object
has no attribute 'index'`, which the code action guard had only logged), and the source's own
hover and symbols answer as for a `typescript` document."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from schemasense.server.features import hover, navigation, rename
from schemasense.server.features.session import Session

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "typeorm-nest"


def _session(tmp_path: Path, language_id: str) -> tuple[Session, Path, str]:
    project = tmp_path / "typeorm-nest"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules", "dist"))
    session = Session(publish=lambda params: None, show=lambda params: None)
    session.workspace.add_root(str(tmp_path))
    entity = project / "src" / "users" / "user.entity.ts"
    text = entity.read_text()
    session.workspace.open(str(entity), text, 1, language_id)
    return session, entity, text


def _position(text: str, anchor: str, shift: int = 0) -> types.Position:
    at = text.index(anchor) + shift
    line = text.count("\n", 0, at)
    return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def test_rename_actions_on_an_entity_opened_as_prisma(tmp_path: Path):
    session, entity, text = _session(tmp_path, "prisma")
    doc = types.TextDocumentIdentifier(uri=entity.as_uri())
    for anchor in ("export class User", "  email: string", "@Entity()"):
        at = _position(text, anchor, 2)
        params = types.CodeActionParams(
            text_document=doc,
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=[]),
        )
        assert rename.database_rename_actions(session, params) == []
    at = _position(text, "export class User", 14)
    prepared = rename.prepare_rename(
        session, types.PrepareRenameParams(text_document=doc, position=at)
    )
    assert prepared is None


def test_an_entity_opened_as_prisma_is_answered_as_typeorm(tmp_path: Path):
    answers = []
    for language_id in ("typescript", "prisma"):
        session, entity, text = _session(tmp_path / language_id, language_id)
        doc = types.TextDocumentIdentifier(uri=entity.as_uri())
        found = hover.hover(
            session,
            types.HoverParams(text_document=doc, position=_position(text, "email: string", 1)),
        )
        assert found is not None
        symbols = navigation.document_symbols(session, types.DocumentSymbolParams(doc))
        assert symbols is not None and [s.name for s in symbols] == ["User"]
        markdown = found.contents.value.replace(f"/{language_id}/", "/")  # type: ignore[union-attr]
        answers.append((markdown, [c.name for c in symbols[0].children or []]))
    assert answers[0] == answers[1]
