"""Which of the project's queries each index serves, for the editor: the hover on an index or
key ("Queries it serves: N", "Queries on this table it does not serve: M", with `file:line`
links) and the code lens on a model ("N queries · M served").

The editor asks on every hover and every scroll, and the schema changes on every keystroke in
it, so nothing here re-reads the project each time: the query files of a root are listed once
(again when the folder structure changes: `Workspace.files_changed`), each file is parsed
once per content (`sources/typescript/kept.py`), and its queries are read and judged
(`codegen/queries/serve.py`) again only when its text or one of the schemas they are read
against changed (`caches.QueryMemo`, on the workspace's caches). A keystroke in the schema re-judges
the queries (the schema is another object); a keystroke in a code file re-reads that file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemasense.codegen.queries.serve import Judgement, judge
from schemasense.codegen.schema import Schema, Table
from schemasense.server.project.config import find_config_file, parse_config
from schemasense.server.queries.files import is_query_file, query_files
from schemasense.server.queries.read import FoundQuery, project_units, read_file_queries
from schemasense.server.sources.typescript.kept import kept_module
from schemasense.server.workspace.workspace import Workspace

LINKS = 10
"""How many `file:line` links a hover lists per kind; the count says how many there are."""


@dataclass(frozen=True, slots=True)
class JudgedQuery:
    """A query read from the code, judged against its unit's table (None: the table is not in
    the unit's schema)."""

    found: FoundQuery
    judgement: Judgement | None
    line: int
    """The 1-based line of the call in its file."""


def project_root(workspace: Workspace, path: str) -> str:
    """The folder whose code is read for the unit at `path`: the workspace root holding it
    (in a monorepo the code may sit in another package), else its folder."""
    path = os.path.abspath(path)
    for root in sorted(workspace.roots, key=len, reverse=True):
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return root
    return path if os.path.isdir(path) else os.path.dirname(path)


def judged_queries(workspace: Workspace, root: str) -> list[JudgedQuery]:
    """Every query of the code below `root`, judged against the schema of the unit that read
    it. Never raises on the files' contents."""
    memo = workspace.caches.queries
    units = project_units(workspace, root)
    if not units:
        return []
    with memo.lock:
        files = memo.listings.get(root)
    if files is None:
        config_file = find_config_file(root, workspace.text)
        loaded = parse_config(*config_file) if config_file else None
        files = query_files(root, loaded)
        with memo.lock:
            memo.listings[root] = files
    listed = set(files)
    extra = [
        p
        for p in workspace.open_paths()
        if p not in listed and p.startswith(root.rstrip(os.sep) + os.sep) and is_query_file(p)
    ]
    inputs = tuple((u.unit.key, u.schema, u.dialect) for u in units)
    with memo.lock:  # compared once here, so each file's entry is checked by identity
        last = memo.inputs.get(root)
        if last is not None and _same(last, inputs):
            inputs = last
        else:
            memo.inputs[root] = inputs
    judged: list[JudgedQuery] = []
    for file in [*files, *extra]:
        text = workspace.text(file)
        if text is None:
            continue
        with memo.lock:
            held = memo.files.get(file)
        if held is not None and (held[0] is text or held[0] == text) and held[1] is inputs:
            judged.extend(held[2])
            continue
        found = read_file_queries(file, text, units, kept_module(file, text))
        items = [_judge(f, text) for f in found]
        with memo.lock:
            memo.files[file] = (text, inputs, items)
        judged.extend(items)
    return judged


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(
        x[0] == y[0] and (x[1] is y[1] or x[1] == y[1]) and x[2] == y[2]
        for x, y in zip(a, b, strict=True)
    )


def _judge(found: FoundQuery, text: str) -> JudgedQuery:
    query = found.query
    start = query.span.start if query.span is not None else 0
    line = text.count("\n", 0, start) + 1
    table = found.unit.schema.table(query.table) if query.operation != "raw" else None
    judgement = judge(query, table, found.unit.dialect) if table is not None else None
    return JudgedQuery(found, judgement, line)


# -- the key under the cursor -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyAt:
    """A primary key, unique constraint or index declared at a place in a schema file."""

    table: Table
    name: str
    """Its name as the planner calls it (`serve.IndexUse.index`)."""
    start: int
    end: int


def key_at(schema: Schema, file: str, offset: int) -> KeyAt | None:
    """The key whose declaration covers `offset` of `file` (the innermost), if any. None where
    that declaration is more than one key's (a primary key on a base class several entities
    extend, a `@JoinTable()` declaring a join table's keys) or a Sequelize model's implicit
    `id`, "declared" on the model's name: which key the hover is on is then not known."""
    found: list[KeyAt] = []
    for table in schema.tables:
        candidates = []
        pk = table.primary_key
        if pk is not None and pk.columns and pk.span is not None:
            candidates.append((pk.name or f"{table.name}_pkey", pk.span))
        candidates += [(u.name, u.span) for u in table.uniques if u.span is not None]
        candidates += [(i.name, i.span) for i in table.indexes if i.span is not None]
        for name, span in candidates:
            if span.file != file or not span.start <= offset <= span.end:
                continue
            if table.span is not None and (span.file, span.start, span.end) == (
                table.span.file,
                table.span.start,
                table.span.end,
            ):
                continue
            found.append(KeyAt(table, name, span.start, span.end))
    if not found:
        return None
    size = min(k.end - k.start for k in found)
    innermost = [k for k in found if k.end - k.start == size]
    if len({(k.start, k.end) for k in innermost}) == 1 and len(innermost) > 1:
        return None
    return innermost[0]


# -- what a key serves, what a table's queries get ----------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyUsage:
    served: list[JudgedQuery]
    not_served: list[JudgedQuery]


def _on(judged: Sequence[JudgedQuery], unit_key: str, table: str) -> list[JudgedQuery]:
    return [
        j
        for j in judged
        if j.judgement is not None
        and j.found.unit.unit.key == unit_key
        and j.found.query.table == table
    ]


def key_usage(judged: Sequence[JudgedQuery], unit_key: str, key: KeyAt) -> KeyUsage:
    """The queries on `key`'s table that it serves (it is among the judgement's indexes) and
    those it does not. A query part of which could not be read (`unknown`) is in neither."""
    served, not_served = [], []
    for j in _on(judged, unit_key, key.table.name):
        assert j.judgement is not None
        if j.judgement.verdict == "unknown":
            continue
        if any(use.index == key.name for use in j.judgement.uses):
            served.append(j)
        else:
            not_served.append(j)
    return KeyUsage(served, not_served)


def table_counts(judged: Sequence[JudgedQuery], unit_key: str, table: str) -> tuple[int, int]:
    """(queries on `table`, those an index serves: verdict `served`)."""
    on = _on(judged, unit_key, table)
    served = sum(1 for j in on if j.judgement is not None and j.judgement.verdict == "served")
    return len(on), served


def lens_title(count: int, served: int) -> str:
    return f"{count} quer{'y' if count == 1 else 'ies'} · {served} served"


def usage_markdown(usage: KeyUsage, link: Callable[[str, int], str], root: str) -> str:
    """The hover's part: "Queries it serves: N" and "Queries on this table it does not serve:
    M", each with up to `LINKS` links `[file:line](uri#Lline)`; `link(file, line)` makes the
    target."""
    parts = []
    for heading, items in (
        ("Queries it serves", usage.served),
        ("Queries on this table it does not serve", usage.not_served),
    ):
        lines = [f"**{heading}: {len(items)}**"]
        for j in items[:LINKS]:
            shown = os.path.relpath(j.found.file, root)
            label = j.found.query.label or j.found.query.operation
            lines.append(f"- [{shown}:{j.line}]({link(j.found.file, j.line)}) `{label}`")
        if len(items) > LINKS:
            lines.append(f"- and {len(items) - LINKS} more")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
