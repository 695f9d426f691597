"""Replaying a migration set: parse each file (cached by content), apply in order.

`replay(migration_set)` returns the schema the migrations build, what every statement did,
and the findings. A `Replayer` keeps, between calls, each file's parse (by dialect and text)
and snapshots of the state after some files ("checkpoints"), so replaying again after one file
changed parses that file only and applies operations from the last checkpoint before it.
The workspace keeps its own `Replayer`; a call without one keeps nothing.
"""

from __future__ import annotations

import dataclasses
import gc
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from schemasense.codegen.ddl.statements import Parsed
from schemasense.server.findings import Finding
from schemasense.server.migrations import problems
from schemasense.server.migrations.apply import Context, apply
from schemasense.server.migrations.model import (
    CallPiece,
    FileReplay,
    MigrationFile,
    MigrationSet,
    ReplayResult,
    SqlPiece,
    StatementAction,
    StatementRecord,
)
from schemasense.server.migrations.state import Rules, SchemaState

Parser = Callable[[str], list[Parsed]]


def _dialect(dialect: str) -> tuple[Parser, Rules]:
    if dialect == "mysql":
        from schemasense.server.migrations.sql import mysql

        return mysql.parse_sql, mysql.RULES
    if dialect == "sqlite":
        from schemasense.server.migrations.sql import sqlite

        return sqlite.parse_sql, sqlite.RULES
    from schemasense.server.migrations.sql import postgresql as postgres

    return postgres.parse_sql, postgres.RULES


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_file(dialect: str, text: str) -> tuple[Parsed, ...]:
    """A file's statements (uncached). A lone surrogate (an editor may send one) is read as
    U+FFFD, which keeps every offset: names holding one could not be printed as JSON or UTF-8."""
    parser, _ = _dialect(dialect)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return tuple(parser(text))


@dataclass(slots=True)
class _Checkpoint:
    """The state after the first `count` files, whose texts were `texts`."""

    count: int
    texts: tuple[str, ...]
    state: SchemaState
    results: tuple[FileReplay, ...]


CHECKPOINT_EVERY = 24
"""Files between two snapshots of the state; a changed file re-applies at most this many
files before it, plus every file after it. The states before and after the last file are
always kept, so editing the newest migration re-applies that file alone."""


class Replayer:
    """Replays migration sets, keeping parses and checkpoints between calls."""

    def __init__(
        self, max_parsed: int = 20_000, every: int = CHECKPOINT_EVERY, *, incremental: bool = True
    ) -> None:
        self._parsed: OrderedDict[tuple[str, str], tuple[Parsed, ...]] = OrderedDict()
        self._checkpoints: dict[tuple[str, str], list[_Checkpoint]] = {}
        self._max = max_parsed
        self._every = every
        self._incremental = incremental
        """False: a replay made once (the CLI): no checkpoint is kept, so no state is copied."""
        self._latest: dict[tuple[str, str, str], str] = {}
        """(set root, dialect, file) -> the text of the file's last replay: when it changes, the
        parse of the text before is dropped (`_forget_replaced`)."""
        self._lock = threading.Lock()
        self.parses = 0
        """How many files were parsed (not found in the cache): for tests and benchmarks."""

    def parsed(self, dialect: str, text: str) -> tuple[Parsed, ...]:
        key = (dialect, text)
        found = self._parsed.get(key)
        if found is not None:
            self._parsed.move_to_end(key)
            return found
        found = parse_file(dialect, text)
        self.parses += 1
        self._parsed[key] = found
        if len(self._parsed) > self._max:
            self._parsed.popitem(last=False)
        return found

    def replay(self, migration_set: MigrationSet) -> ReplayResult:
        # The replay makes many small objects and frees few; the cyclic collector would walk
        # them all again and again (a third of a cold replay), so it waits until the end.
        with self._lock:
            enabled = gc.isenabled()
            gc.disable()
            try:
                return self._replay(migration_set)
            finally:
                if enabled:
                    gc.enable()

    def _forget_replaced(self, mset: MigrationSet) -> None:
        """Drop the parse of each SQL file's text before its latest: typing into an open
        migration made a parse per keystroke, kept until 20,000 of them (memory grew by 20
        parses of a ten-table file per edit; tests/server/workspace/test_soak_memory.py). A
        type-then-undo parses the file again, which costs one file."""
        for file in mset.files:
            if file.pieces is not None:
                continue
            slot = (mset.root, mset.dialect, file.path)
            before = self._latest.get(slot)
            if before is not None and before != file.up_text:
                self._parsed.pop((mset.dialect, before), None)
            self._latest[slot] = file.up_text

    def _replay(self, mset: MigrationSet) -> ReplayResult:
        _, rules = _dialect(mset.dialect)
        self._forget_replaced(mset)
        files = mset.files
        texts = tuple(f.up_text for f in files)
        set_key = (mset.root, mset.dialect)
        checkpoints = self._checkpoints.get(set_key, [])
        # the latest checkpoint whose files are all unchanged
        start: _Checkpoint | None = None
        for cp in reversed(checkpoints):
            if cp.count <= len(texts) and texts[: cp.count] == cp.texts:
                start = cp
                break
        if start is not None and start.count == len(texts):
            # nothing changed: the kept state is only read
            state = start.state
            results = list(start.results)
            first = start.count
            kept = [cp for cp in checkpoints if cp.count <= start.count]
        elif start is not None:
            state = start.state.clone()
            results = list(start.results)
            first = start.count
            kept = [cp for cp in checkpoints if cp.count <= start.count]
        else:
            state = SchemaState(rules)
            results = []
            first = 0
            kept = []
        last = len(files)
        for index in range(first, last):
            results.append(self._replay_file(state, files[index], mset.dialect))
            done = index + 1
            if not self._incremental:
                continue
            if done % self._every == 0 or done == last - 1:
                kept.append(_Checkpoint(done, texts[:done], state.clone(), tuple(results)))
            elif done == last:
                # the state after the last file is only read from here on (to_schema), and a
                # later replay starts from a copy of it, so it is kept as it is
                kept.append(_Checkpoint(done, texts, state, tuple(results)))
        if not files or not self._incremental:
            kept = []
        self._checkpoints[set_key] = kept
        sources = [f.path for f in files]
        schema = state.to_schema(rules.provider, sources)
        findings: list[Finding] = list(mset.problems)
        for r in results:
            findings.extend(r.findings)
        return ReplayResult(
            migration_set=mset, schema=schema, files=tuple(results), findings=tuple(findings)
        )

    def _replay_file(self, state: SchemaState, file: MigrationFile, dialect: str) -> FileReplay:
        """Apply one file's statements and record each one (`StatementRecord`: its text, span,
        operations and what applying them did) -- the one description of a statement that
        rules, hover and drift read. A file written in code (`file.pieces`) is its pieces in
        order: each SQL text read like a SQL file's, each call applied as the operations it
        says."""
        records: list[StatementRecord] = []
        findings: list[Finding] = []
        if file.pieces is None:
            self._replay_sql(
                state, file, dialect, file.up_text, file.up_span_offset, records, findings
            )
        else:
            for piece in file.pieces:
                if piece.conditional and not self._applies_cleanly(state, file, dialect, piece):
                    # the check in the code would not run it here: recorded, not applied
                    first = len(records)
                    self._replay_piece(state.clone(), file, dialect, piece, records, [])
                    records[first:] = [
                        dataclasses.replace(r, action="skipped", touches=())
                        for r in records[first:]
                    ]
                    continue
                self._replay_piece(state, file, dialect, piece, records, findings)
        return FileReplay(file=file, statements=tuple(records), findings=tuple(findings))

    def _applies_cleanly(
        self, state: SchemaState, file: MigrationFile, dialect: str, piece: SqlPiece | CallPiece
    ) -> bool:
        """Whether `piece` applies with nothing missing or already there (on a copy)."""
        probe: list[Finding] = []
        self._replay_piece(state.clone(), file, dialect, piece, [], probe)
        return not any(f.code in (problems.MISSING, problems.EXISTS) for f in probe)

    def _replay_piece(
        self,
        state: SchemaState,
        file: MigrationFile,
        dialect: str,
        piece: SqlPiece | CallPiece,
        records: list[StatementRecord],
        findings: list[Finding],
    ) -> None:
        if isinstance(piece, CallPiece):
            self._replay_call(state, file, piece, records, findings)
        else:
            self._replay_sql(
                state, file, dialect, piece.text, piece.offset, records, findings,
                piece.file_offset if piece.offsets is not None else None,
            )  # fmt: skip

    def _replay_sql(
        self,
        state: SchemaState,
        file: MigrationFile,
        dialect: str,
        text: str,
        offset: int,
        records: list[StatementRecord],
        findings: list[Finding],
        placed: Callable[[int], int] | None = None,
    ) -> None:
        """Apply the SQL `text`, which starts at `offset` of the file (`placed`: where each
        character is in the file, when not at `offset + i`: a string with escapes)."""
        path = file.path
        for parsed in self.parsed(dialect, text):
            if placed is None:
                ctx = Context(path, offset, parsed.span)
                clause_offset = offset
            else:
                start, end = placed(parsed.span[0]), placed(parsed.span[1])
                clause_offset = start - parsed.span[0]
                ctx = Context(path, clause_offset, (parsed.span[0], end - clause_offset))
            # the SQL as read (for a string with escapes, not the file's characters)
            said = text[parsed.span[0] : parsed.span[1]]
            if parsed.error is not None:
                findings.append(
                    problems.unparsed_statement(path, ctx.range(), parsed.error, dialect)
                )
                action: StatementAction = "unparsed"
                touches: tuple = ()
            elif parsed.opaque:
                action, touches = "opaque", ()
            else:
                action, touches = _apply_all(state, parsed.ops, ctx, findings)
            records.append(
                StatementRecord(
                    file=path,
                    span=ctx.to_span(),
                    kind=parsed.kind,
                    action=action,
                    text=said,
                    ops=parsed.ops,
                    error=parsed.error,
                    touches=touches,
                    index=len(records),
                    clause_offset=clause_offset,
                )
            )

    @staticmethod
    def _replay_call(
        state: SchemaState,
        file: MigrationFile,
        piece: CallPiece,
        records: list[StatementRecord],
        findings: list[Finding],
    ) -> None:
        """Apply a call's operations (their clause spans are file offsets already)."""
        path = file.path
        ctx = Context(path, 0, (piece.start, piece.end))
        said = file.up_text[piece.start - file.up_span_offset : piece.end - file.up_span_offset]
        if piece.error is not None:
            findings.append(problems.unread_call(path, ctx.range(), piece.error))
            action: StatementAction = "unparsed"
            touches: tuple = ()
        elif piece.opaque:
            action, touches = "opaque", ()
        else:
            action, touches = _apply_all(state, piece.ops, ctx, findings)
        records.append(
            StatementRecord(
                file=path,
                span=ctx.to_span(),
                kind=piece.kind,
                action=action,
                text=said,
                ops=piece.ops,
                error=piece.error,
                touches=touches,
                index=len(records),
                clause_offset=0,
                source="call",
            )
        )

    def forget(self, root: str | None = None) -> None:
        """Drop checkpoints (of one set's root, or all); parses stay cached."""
        with self._lock:
            if root is None:
                self._checkpoints.clear()
            else:
                for key in [k for k in self._checkpoints if k[0] == root]:
                    del self._checkpoints[key]


def _apply_all(
    state: SchemaState, ops: tuple, ctx: Context, findings: list[Finding]
) -> tuple[StatementAction, tuple]:
    """Apply one statement's operations; what it did and what it touched."""
    for op in ops:
        apply(state, op, ctx)
    findings.extend(ctx.findings)
    if ctx.failed and not ctx.touches:
        return "failed", ()
    if ctx.skipped and not ctx.touches:
        return "skipped", ()
    return "applied", tuple(ctx.touches)


def replay(migration_set: MigrationSet, replayer: Replayer | None = None) -> ReplayResult:
    """Replay `migration_set` in order into the schema model (see the module docstring).
    Without a `replayer`, a replay made once: nothing is kept for a next call (the workspace
    keeps its own `Replayer`, with parses and checkpoints)."""
    return (replayer or Replayer(incremental=False)).replay(migration_set)
