"""A DDL schema file -> the declared schema, through the migration replay. Never raises.

The file is replayed as a one-file migration set (tool `plain`: no transaction, no sections)
in its dialect (`project/detection.ddl_dialect`: configured, else sniffed, else PostgreSQL).
What the replay could not read or apply is a finding on the statement, worded for a schema
file. Tables a migration tool keeps for itself (`schema_migrations` in a dbmate dump) are left
out of the declared schema: no migration creates them, so keeping them would be drift.
Column spans are narrowed from the whole `CREATE TABLE` to the column's own line, so a finding
about a column underlines that line.

pg_dump writes a `serial` column as what it is in the catalog: an integer column, a sequence
owned by it and `DEFAULT nextval('seq'::regclass)` set by a later `ALTER TABLE`. PostgreSQL
cannot tell the two apart, so such a column is read as auto-incrementing, as `serial` is.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.codegen.schema import Schema, Span, Table
from schemasense.server.findings import Finding
from schemasense.server.migrations import MigrationFile, MigrationSet, ReplayResult
from schemasense.server.migrations.replay import Replayer
from schemasense.server.positions import column_line
from schemasense.server.project import detection
from schemasense.server.project.config import LoadedConfig
from schemasense.server.sources.sql_ddl.index import DdlIndex, build_index

_UNPARSED_HELP = (
    "The rest of the file is read; what this statement declares is missing from the schema."
)


@dataclass
class DdlRead:
    """One DDL file read: the schema it declares, the findings, and the replay behind it."""

    file: str
    text: str
    dialect: str
    dialect_source: str
    """Where the dialect came from: `config`, `sniffed` or `default`."""
    replay: ReplayResult | None
    findings: list[Finding] = field(default_factory=list)
    declared: Schema = field(default_factory=Schema)
    _index: DdlIndex | None = field(default=None, repr=False, compare=False)

    @property
    def schema(self) -> Schema:
        return self.declared

    def index(self) -> DdlIndex:
        """The position index of this read (built on first use and kept with the read, so it
        lives as long as the workspace keeps the read: until the file's text changes)."""
        if self._index is None:
            self._index = build_index(self.file, self.text, self.declared)
        return self._index


def read_ddl(
    texts: Mapping[str, str], loaded: LoadedConfig | None = None, replayer: Replayer | None = None
) -> DdlRead:
    """Read the DDL file of `texts` (one file id -> its text)."""
    path, text = next(iter(texts.items()), ("", ""))
    dialect, source = detection.ddl_dialect(loaded, text)
    mset = MigrationSet(
        tool="plain",
        dialect=dialect,  # type: ignore[arg-type]
        root=os.path.dirname(path),
        files=[MigrationFile(path, os.path.basename(path), None, text)],
        dialect_source=source,
    )
    try:
        result = (replayer or Replayer(incremental=False)).replay(mset)
    except Exception as exc:  # the replay never raises on bad SQL; a bug must not stop the editor
        finding = Finding(
            code="DB000",
            severity="error",
            message=f"schemasense could not read this schema file: {type(exc).__name__}: {exc}",
            span=Span(file=path, start=0, end=0),
            help="This is a bug in schemasense; please report it.",
        )
        return DdlRead(path, text, dialect, source, None, [finding], Schema(sources=[path]))
    findings = [_for_schema_file(f) for f in result.findings]
    schema = _declared(result.schema, text, path)
    return DdlRead(path, text, dialect, source, result, findings, schema)


def _for_schema_file(finding: Finding) -> Finding:
    """The replay's words are a migration's: say "statement" and what skipping it means here."""
    message = finding.message.removeprefix("Migration statement").removeprefix(" ")
    if message != finding.message:
        message = "Statement " + message
        return dataclasses.replace(finding, message=message, help=_UNPARSED_HELP)
    return finding


def _declared(migrated: Schema, text: str, path: str) -> Schema:
    tables = [
        _narrow_columns(t, text)
        for t in migrated.tables
        if t.name not in detection.BOOKKEEPING_TABLES
    ]
    return migrated.model_copy(update={"tables": tables, "sources": [path]})


_NEXTVAL = re.compile(r"^nextval\('[^']+'(?:::regclass)?\)$", re.I)
_INTEGER_KINDS = ("int", "bigint", "smallint")


def _narrow_columns(table: Table, text: str) -> Table:
    """Each column's span: its own line of the `CREATE TABLE` where one names it; a column
    that takes `nextval(...)` as its default is auto-incrementing."""
    columns = []
    changed = False
    for column in table.columns:
        default = column.default
        if (
            not column.auto_increment
            and default is not None
            and default.kind == "expression"
            and column.type.kind in _INTEGER_KINDS
            and _NEXTVAL.match(str(default.value or ""))
        ):
            column = column.model_copy(update={"auto_increment": True})
            changed = True
        span = column.span
        if span is not None and table.span is not None and span == table.span:
            narrowed = column_line(text, span, column.name)
            if narrowed is not None:
                column = column.model_copy(update={"span": narrowed})
                changed = True
        columns.append(column)
    return table.model_copy(update={"columns": columns}) if changed else table
