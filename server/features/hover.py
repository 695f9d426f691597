"""textDocument/hover: `server/language/hover.py`'s Markdown at the LSP position in a schema,
with the migrations beside it; `server/language/sql.py`'s in a migration's SQL."""

from __future__ import annotations

from lsprotocol import types
from schemasense.server.language import hover as language
from schemasense.server.language.migrations import Target
from schemasense.server.language.sql import sql_hover
from schemasense.server.queries import usage

from .diagnostics import to_range
from .lookup import Lookup, lookup, source_lookup
from .migration_lookup import line_map, migrations_for, migrations_of, sql_lookup
from .session import Session


def hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return _source_hover(session, params) or _sql_hover(session, params)
    offset = found.offset(params.position)
    findings = found.analysis.by_file.get(found.path, ())
    answer = language.hover(found.index, found.path, offset, findings, history(session, found))
    markdown = answer.markdown if answer is not None else None
    span = (answer.start, answer.end) if answer is not None else None
    markdown, span = _with_queries(session, found.analysis, found.path, offset, markdown, span)
    if markdown is None or span is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=found.range(found.path, *span),
    )


def _with_queries(
    session: Session,
    analysis,  # type: ignore[no-untyped-def]
    path: str,
    offset: int,
    markdown: str | None,
    span: tuple[int, int] | None,
) -> tuple[str | None, tuple[int, int] | None]:
    """On a primary key, unique constraint or index: the queries of the project's code it
    serves and those on its table it does not (`queries/usage.py`), after the hover's text.
    Nothing is added when the project's code makes no query on the unit's tables."""
    key = usage.key_at(analysis.read.schema, path, offset)
    if key is None:
        return markdown, span
    root = usage.project_root(session.workspace, analysis.unit.key)
    judged = usage.judged_queries(session.workspace, root)
    if not any(j.found.unit.unit.key == analysis.unit.key for j in judged):
        return markdown, span
    used = usage.key_usage(judged, analysis.unit.key, key)

    def link(file: str, line: int) -> str:
        return f"{session.uri_of(file)}#L{line}"

    text = usage.usage_markdown(used, link, root)
    if markdown:
        return markdown.rstrip("\n") + "\n\n---\n" + text, span
    return text, (key.start, key.end)


def history(session: Session, found: Lookup) -> language.History | None:
    """The migrations beside the schema, with links to their files at a line."""
    migrations = migrations_for(session, found)
    if migrations is None:
        return None
    return language.History(migrations, _linker(session))


def _linker(session: Session):
    """(file, offset) -> a link to that line of a migration file, for hover Markdown."""
    encoding = session.workspace.position_encoding

    def link(file: str, offset: int) -> str:
        line, character = line_map(session.workspace, file).position(offset, encoding)
        return f"{session.uri_of(file)}#L{line + 1},{character + 1}"

    return link


def _source_hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    """The hover a source other than Prisma answers (a DDL schema file's)."""
    found = source_lookup(session, params.text_document.uri)
    if found is None:
        return None
    analysis = found.analysis
    findings = analysis.by_file.get(found.path, ())
    offset = found.offset(params.position)
    migrations = migrations_of(session, analysis)
    history = language.History(migrations, _linker(session)) if migrations is not None else None
    answer = found.source.hover(
        analysis.read, analysis.texts, found.path, offset, findings, history
    )
    markdown = answer.markdown if answer is not None else None
    span = (answer.start, answer.end) if answer is not None else None
    markdown, span = _with_queries(session, analysis, found.path, offset, markdown, span)
    if markdown is None or span is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=found.range(*span),
    )


def _sql_hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    found = sql_lookup(session, params.text_document.uri)
    if found is None:
        return None
    encoding = session.workspace.position_encoding
    offset = found.lines.offset(params.position.line, params.position.character, encoding)
    answer = sql_hover(
        found.migrations,
        found.schema,
        found.path,
        offset,
        found.findings,
        found.lines.text,
        Target.of(found.config),
    )
    if answer is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=answer.markdown),
        range=to_range(found.lines, answer.start, answer.end, encoding),
    )
