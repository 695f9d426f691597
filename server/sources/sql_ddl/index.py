"""Where each object of a DDL schema is written: the editor's position index for one read.

Built once per read from the schema model's spans (the replay gives every table, column, key,
index and foreign key the statement that declared it), narrowed to the name where the name is
found in that statement. `at(offset)` answers the innermost object under the cursor: a name
token first, then the statement around it. `REFERENCES other (...)` inside a foreign key is a
reference to the table `other`, so go-to-definition can follow it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.schema import Schema, Span, Table

Kind = str
"""`table`, `column`, `primary key`, `unique`, `index`, `foreign key`, `reference`."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One object (or a reference to one) at `[start, end)` of `file`."""

    start: int
    end: int
    kind: Kind
    table: str
    name: str | None = None
    name_only: bool = False
    """True for a name token; False for the whole statement or line that declares it."""


@dataclass
class DdlIndex:
    """Every occurrence of one DDL file, by offset, and each table's declaration."""

    file: str
    text: str
    schema: Schema
    occurrences: list[Occurrence] = field(default_factory=list)
    declarations: dict[str, Occurrence] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)
    """What hovers derive from this index once (the drift against a replay)."""
    _starts: list[int] = field(default_factory=list, repr=False)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.schema.tables if t.name == name), None)

    def at(self, offset: int) -> Occurrence | None:
        """The innermost occurrence holding `offset` (a name token before its statement)."""
        best: Occurrence | None = None
        i = bisect_right(self._starts, offset)
        for occurrence in reversed(self.occurrences[:i]):
            inside = occurrence.start <= offset <= occurrence.end
            if inside and (best is None or _rank(occurrence) < _rank(best)):
                best = occurrence
        return best


def _rank(o: Occurrence) -> tuple[int, int]:
    return (0 if o.name_only else 1, o.end - o.start)


def build_index(file: str, text: str, schema: Schema) -> DdlIndex:
    index = DdlIndex(file, text, schema)
    found: list[Occurrence] = []
    for table in schema.tables:
        if table.span is None or table.span.file != file:
            continue
        statement = Occurrence(table.span.start, table.span.end, "table", table.name)
        found.append(statement)
        name = _name_in(text, table.span, table.name)
        decl = (
            Occurrence(name[0], name[1], "table", table.name, table.name, True)
            if name
            else statement
        )
        found.append(decl)
        index.declarations[table.name] = decl
        for column in table.columns:
            span = column.span
            if span is None or span == table.span or span.file != file:
                continue
            found.append(Occurrence(span.start, span.end, "column", table.name, column.name))
            token = _name_in(text, span, column.name)
            if token:
                found.append(Occurrence(*token, "column", table.name, column.name, name_only=True))
        keys: list[tuple[str, str | None, Span | None]] = []
        if table.primary_key is not None:
            keys.append(("primary key", table.primary_key.name, table.primary_key.span))
        keys += [("unique", u.name, u.span) for u in table.uniques]
        keys += [("index", i.name, i.span) for i in table.indexes]
        keys += [("foreign key", fk.name, fk.span) for fk in table.foreign_keys]
        for kind, key_name, span in keys:
            if span is None or span.file != file or span == table.span:
                continue
            found.append(Occurrence(span.start, span.end, kind, table.name, key_name))
            token = _name_in(text, span, key_name) if key_name else None
            if token:
                found.append(Occurrence(*token, kind, table.name, key_name, name_only=True))
        for fk in table.foreign_keys:
            span = fk.span or table.span
            for m in _REFERENCES.finditer(text, span.start, span.end):
                target = _bare(m.group("name"))
                if target == fk.referenced_table:
                    start, end = m.span("name")
                    found.append(
                        Occurrence(start, end, "reference", target, target, name_only=True)
                    )
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    index.occurrences = found
    index._starts = [o.start for o in found]
    return index


_REFERENCES = re.compile(
    r"\bREFERENCES\s+(?P<name>(?:[\"`\[]?\w+[\"`\]]?\.)?[\"`\[]?\w+[\"`\]]?)", re.I
)


def _bare(name: str) -> str:
    return name.split(".")[-1].strip('"`[]')


def _name_in(text: str, span: Span, name: str | None) -> tuple[int, int] | None:
    """Where `name` is written in `span` (quoted or not, maybe schema-qualified)."""
    if not name:
        return None
    pattern = re.compile(rf"""(?<![\w$])["`\[]?{re.escape(name)}["`\]]?(?![\w$])""", re.I)
    match = pattern.search(text, span.start, span.end)
    if match is None:
        return None
    start, end = match.span()
    if text[start] in '"`[':
        start += 1
    if end > start and text[end - 1] in '"`]':
        end -= 1
    return start, end
