"""Definition, references, document symbols, workspace symbols and code lenses, from
`server/language/navigation.py` in LSP's shapes."""

from __future__ import annotations

import re

from lsprotocol import types
from schemasense.server.language import declared
from schemasense.server.language import navigation as language
from schemasense.server.language.hover import table_drift
from schemasense.server.language.migrations import op_table
from schemasense.server.language.sql import sql_definition
from schemasense.server.positions import LineMap
from schemasense.server.project.detection import PRISMA
from schemasense.server.queries import usage
from schemasense.server.sources.base import NavigableSource

from . import names
from .diagnostics import to_range
from .lookup import Lookup, SourceLookup, indexes, lookup, source_lookup
from .migration_lookup import line_map, migrations_for, migrations_of, sql_lookup
from .session import Session

SYMBOL_KINDS = {
    "model": types.SymbolKind.Class,
    "view": types.SymbolKind.Interface,
    "type": types.SymbolKind.Struct,
    "enum": types.SymbolKind.Enum,
    "field": types.SymbolKind.Field,
    "value": types.SymbolKind.EnumMember,
    "datasource": types.SymbolKind.Module,
    "generator": types.SymbolKind.Module,
    "property": types.SymbolKind.Property,
    "relation": types.SymbolKind.Field,
    "key": types.SymbolKind.Key,
}

CODE_LENS_COMMAND = names.CODE_LENS_COMMAND
"""The command a model's code lens carries (it answers the model's counts; nothing to run)."""


def definition(session: Session, params: types.DefinitionParams) -> list[types.Location] | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return (
            _source_definition(session, params)
            or _sql_definition(session, params)
            or _migration_definition(session, params)
        )
    targets = language.definition(found.index, found.path, found.offset(params.position))
    return [found.location(t.file, t.start, t.end) for t in targets] or None


def _source_definition(
    session: Session, params: types.DefinitionParams
) -> list[types.Location] | None:
    """The definition a source other than Prisma answers (a table named in a DDL file)."""
    found = source_lookup(session, params.text_document.uri)
    if found is None:
        return None
    analysis = found.analysis
    offset = found.offset(params.position)
    places = found.source.definition(analysis.read, analysis.texts, found.path, offset)
    locations = []
    for p in places:
        if p.file == found.path:
            locations.append(
                types.Location(uri=session.uri_of(p.file), range=found.range(p.start, p.end))
            )
            continue
        text = analysis.texts.get(p.file)  # another file of the unit (an entity class)
        if text is not None:
            other = SourceLookup(session, p.file, analysis, found.source, LineMap(text))
            locations.append(
                types.Location(uri=session.uri_of(p.file), range=other.range(p.start, p.end))
            )
    return locations or None


def _sql_definition(
    session: Session, params: types.DefinitionParams
) -> list[types.Location] | None:
    """From a table, column or index name in a migration to its declaration in the schema."""
    found = sql_lookup(session, params.text_document.uri)
    if found is None or found.schema is None:
        return None
    encoding = session.workspace.position_encoding
    offset = found.lines.offset(params.position.line, params.position.character, encoding)
    targets = sql_definition(found.migrations, found.schema, found.path, found.lines.text, offset)
    schema = found.schema
    return [
        types.Location(
            uri=session.uri_of(t.file),
            range=to_range(schema.line_map(t.file), t.start, t.end, encoding),
        )
        for t in targets
    ] or None


def _location(session: Session, found: Lookup, target: language.Location) -> types.Location:
    """A location in the schema's files or in a migration file."""
    if target.file in found.index.texts:
        return found.location(target.file, target.start, target.end)
    lines = line_map(session.workspace, target.file)
    return types.Location(
        uri=session.uri_of(target.file),
        range=to_range(lines, target.start, target.end, session.workspace.position_encoding),
    )


def references(session: Session, params: types.ReferenceParams) -> list[types.Location] | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return _source_references(session, params)
    offset = found.offset(params.position)
    include = params.context.include_declaration if params.context else True
    migrations = migrations_for(session, found)
    targets = language.references(found.index, found.path, offset, include, migrations)
    return [_location(session, found, t) for t in targets] or None


def _document_symbol(found: Lookup, symbol: language.Symbol) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name,
        kind=SYMBOL_KINDS[symbol.kind],
        detail=symbol.detail or None,
        range=found.range(symbol.file, *symbol.span),
        selection_range=found.range(symbol.file, *symbol.name_span),
        children=[_document_symbol(found, c) for c in symbol.children] or None,
    )


def document_symbols(
    session: Session, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return _source_symbols(session, params)
    key = ("documentSymbol", found.path, found.encoding)
    answer = found.index.memo.get(key)
    if answer is None:
        symbols = language.document_symbols(found.index, found.path)
        answer = found.index.memo[key] = [_document_symbol(found, s) for s in symbols]
    return answer  # type: ignore[return-value]


def workspace_symbols(
    session: Session, params: types.WorkspaceSymbolParams
) -> list[types.WorkspaceSymbol]:
    encoding = session.workspace.position_encoding
    answer = []
    all_indexes = indexes(session)
    by_file = {file: index for index in all_indexes for file in index.file_ids}
    for symbol in language.workspace_symbols(all_indexes, params.query):
        lines = by_file[symbol.file].line_map(symbol.file)
        (sl, sc) = lines.position(symbol.name_span[0], encoding)
        (el, ec) = lines.position(symbol.name_span[1], encoding)
        answer.append(
            types.WorkspaceSymbol(
                name=symbol.name,
                kind=SYMBOL_KINDS[symbol.kind],
                container_name=symbol.container,
                location=types.Location(
                    uri=session.uri_of(symbol.file),
                    range=types.Range(
                        start=types.Position(line=sl, character=sc),
                        end=types.Position(line=el, character=ec),
                    ),
                ),
            )
        )
    for symbol, lines in _source_workspace_symbols(session, params.query):
        answer.append(
            types.WorkspaceSymbol(
                name=symbol.name,
                kind=SYMBOL_KINDS[symbol.kind],
                container_name=symbol.container,
                location=types.Location(
                    uri=session.uri_of(symbol.file),
                    range=to_range(lines, *symbol.name_span, encoding),
                ),
            )
        )
    return answer


def code_lens(session: Session, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    found = lookup(session, params.text_document.uri)
    if found is None:
        return _source_lenses(session, params)
    migrations = migrations_for(session, found)
    drift = table_drift(found.index, migrations) if migrations is not None else None
    lenses = language.code_lenses(found.index, found.path, migrations, drift)
    answer = [
        types.CodeLens(
            range=found.range(lens.file, lens.start, lens.end),
            command=types.Command(
                title=lens.title, command=CODE_LENS_COMMAND, arguments=[lens.model]
            ),
        )
        for lens in lenses
    ]
    tables = []
    for lens in lenses:
        table = found.index.table(lens.model)
        if table is not None:
            tables.append((table.name, lens.model, found.range(lens.file, lens.start, lens.end)))
    return answer + _query_lenses(session, found.analysis, tables)


def _query_lenses(
    session: Session,
    analysis,  # type: ignore[no-untyped-def]
    tables: list[tuple[str, str, types.Range]],
) -> list[types.CodeLens]:
    """ "N queries · M served" on each model (`queries/usage.py`), when the project's code
    makes any query on the unit's tables."""
    if not tables:
        return []
    judged = usage.judged_queries(
        session.workspace, usage.project_root(session.workspace, analysis.unit.key)
    )
    if not any(j.found.unit.unit.key == analysis.unit.key for j in judged):
        return []
    lenses = []
    for table, model, where in tables:
        count, served = usage.table_counts(judged, analysis.unit.key, table)
        lenses.append(
            types.CodeLens(
                range=where,
                command=types.Command(
                    title=usage.lens_title(count, served),
                    command=CODE_LENS_COMMAND,
                    arguments=[model],
                ),
            )
        )
    return lenses


def model_summary(session: Session, args: list) -> dict | None:
    """`schemasense.modelSummary <model>`: what the code lens says, as data."""
    name = args[0] if args else None
    for index in indexes(session):
        model = index.model(name) if isinstance(name, str) else None
        if model is not None:
            return {
                "model": model.name,
                "relations": len(model.relation_fields),
                "indexes": len(model.indexes) + (1 if model.id is not None else 0),
            }
    for analysis, source in navigable_units(session):
        for outline in source.outlines(analysis.read):
            table = analysis.read.schema.table(outline.table)
            if outline.name == name and table is not None:
                return {
                    "model": outline.name,
                    "table": table.name,
                    "columns": len(table.columns),
                    "relations": outline.relations,
                    "indexes": len(table.indexes)
                    + len(table.uniques)
                    + (1 if table.primary_key is not None else 0),
                }
    return None


# -- TypeORM entities, Sequelize models (`NavigableSource`) -------------------------------------


def _navigable(session: Session, uri: str) -> tuple[SourceLookup, NavigableSource] | None:
    found = source_lookup(session, uri)
    if found is None or not isinstance(found.source, NavigableSource):
        return None
    return found, found.source


def navigable_units(session: Session):  # type: ignore[no-untyped-def]
    """(analysis, source) of every unit below the roots or open whose source is navigable."""
    workspace = session.workspace
    units = {u.key: u for u in workspace.units()}
    for unit in workspace.open_units():
        units.setdefault(unit.key, unit)
    for unit in units.values():
        if unit.kind == PRISMA:
            continue
        analysis = workspace.analyze(unit)
        source = analysis.source
        if isinstance(source, NavigableSource):
            yield analysis, source


def _lines_of(found: SourceLookup, file: str) -> LineMap | None:
    if file == found.path:
        return found.lines
    text = found.analysis.texts.get(file)
    if text is not None:
        return LineMap(text)
    return line_map(found.session.workspace, file)  # a migration file


def _source_symbols(
    session: Session, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    held = _navigable(session, params.text_document.uri)
    if held is None:
        return None
    found, source = held
    read = found.analysis.read
    symbols = declared.document_symbols(read.schema, source.outlines(read, found.path), found.path)

    def convert(symbol: language.Symbol) -> types.DocumentSymbol:
        return types.DocumentSymbol(
            name=symbol.name,
            kind=SYMBOL_KINDS[symbol.kind],
            detail=symbol.detail or None,
            range=found.range(*symbol.span),
            selection_range=found.range(*symbol.name_span),
            children=[convert(c) for c in symbol.children] or None,
        )

    return [convert(s) for s in symbols]


def _source_workspace_symbols(session: Session, query: str):  # type: ignore[no-untyped-def]
    """(symbol, the lines of its file) of every navigable unit matching `query`."""
    for analysis, source in navigable_units(session):
        read = analysis.read
        for symbol in declared.workspace_symbols([(read.schema, source.outlines(read))], query):
            text = analysis.texts.get(symbol.file)
            if text is not None:
                yield symbol, LineMap(text)


def _source_lenses(session: Session, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    held = _navigable(session, params.text_document.uri)
    if held is None:
        return None
    found, source = held
    read = found.analysis.read
    migrations = migrations_of(session, found.analysis)
    drift = _drift(session, found, migrations) if migrations is not None else None
    outlines = source.outlines(read, found.path)
    lenses = declared.code_lenses(read.schema, outlines, found.path, migrations, drift)
    answer = [
        types.CodeLens(
            range=found.range(lens.start, lens.end),
            command=types.Command(
                title=lens.title, command=CODE_LENS_COMMAND, arguments=[lens.model]
            ),
        )
        for lens in lenses
    ]
    tables = [
        (o.table, o.name, found.range(*o.name_span))
        for o in outlines
        if o.file == found.path and read.schema.table(o.table) is not None
    ]
    return answer + _query_lenses(session, found.analysis, tables)


_IDENTIFIER = re.compile(r"[\w$]+")


def _migration_definition(
    session: Session, params: types.DefinitionParams
) -> list[types.Location] | None:
    """From a table or column named in a migration of a TypeORM / Sequelize unit to the
    entity / model or the property that declares it."""
    path = session.path_of(params.text_document.uri)
    workspace = session.workspace
    encoding = workspace.position_encoding
    for analysis, source in navigable_units(session):
        if path not in analysis.migration_files:
            continue
        migrations = migrations_of(session, analysis)
        if migrations is None:
            continue
        lines = line_map(workspace, path)
        offset = lines.offset(params.position.line, params.position.character, encoding)
        statement = migrations.statement_at(path, offset)
        if statement is None:
            continue
        name = next(
            (
                m.group()
                for m in _IDENTIFIER.finditer(lines.text, max(0, offset - 128), offset + 128)
                if m.start() <= offset <= m.end()
            ),
            None,
        )
        if name is None:
            continue
        tables = [op_table(op) for op in statement.ops]
        read = analysis.read
        targets = declared.migration_definition(read.schema, source.outlines(read), tables, name)
        return [
            types.Location(
                uri=session.uri_of(t.file),
                range=to_range(LineMap(analysis.texts[t.file]), t.start, t.end, encoding),
            )
            for t in targets
            if t.file in analysis.texts
        ] or None
    return None


def _drift(session: Session, found: SourceLookup, migrations) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The unit's drift per table, computed once per read and replay (`declared_drift`)."""
    caches = session.workspace.caches
    analysis = found.analysis
    key = (analysis.unit.key, analysis.digest, analysis.replays, migrations.root)
    hit, drift = caches.recall(caches.declared_drift, key)
    if hit:
        return drift
    drift = declared.drift_by_table(analysis.read.schema, migrations)
    return caches.remember(caches.declared_drift, key, drift)


def _source_references(
    session: Session, params: types.ReferenceParams
) -> list[types.Location] | None:
    held = _navigable(session, params.text_document.uri)
    if held is None:
        return None
    found, source = held
    include = params.context.include_declaration if params.context else True
    migrations = migrations_of(session, found.analysis)
    places = source.references(
        found.analysis.read, found.path, found.offset(params.position), include, migrations
    )
    encoding = session.workspace.position_encoding
    locations = []
    for p in places:
        lines = _lines_of(found, p.file)
        if lines is not None:
            locations.append(
                types.Location(
                    uri=session.uri_of(p.file), range=to_range(lines, p.start, p.end, encoding)
                )
            )
    return locations or None
