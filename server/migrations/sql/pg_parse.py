"""libpg_query called so that no statement can take the process down with it.

Two ways PostgreSQL's parser, through postgast, fails on deep input (robustness issue, item 4):
- an expression nested past protobuf's decoding depth (a GIN index over ~23 columns, 16 nested
  sub-selects, ~47 terms of `+`) parses, but its tree cannot be decoded in Python
  (`DecodeError: Exceeded upb_DecodeOptions_MaxDepth`): that is a parse error of the statement;
- a much deeper one (~21,800 terms of `+`, 87 KB) overflows the C stack while libpg_query
  builds its tree: a segmentation fault, which no `except` catches.

So a piece of SQL with more than `ISOLATE_OVER` operator and bracket characters (far more than
any real migration statement holds; a depth failure needs ~47) is parsed in a child process: a
crash there is a finding on the statement, and the server, the CLI and the rest of the file carry
on. Everything else is parsed in process, as before.
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
from typing import Any

from postgast import pg_query_pb2 as pb
from postgast.native import lib

ISOLATE_OVER = 2000
"""Operator and bracket characters above which a piece is parsed in a child process."""

TOO_DEEP = (
    "the statement is nested too deeply for PostgreSQL's parser to read "
    "(libpg_query's parse tree exceeds protobuf's depth limit)"
)
CRASHED = (
    "PostgreSQL's parser crashed on this statement (it is nested too deeply): "
    "it was read in a separate process, and skipped"
)

_CHILD = """
import ctypes, sys
from postgast.native import lib
data = sys.stdin.buffer.read()
result = lib.pg_query_parse_protobuf(data)
out = sys.stdout.buffer
if result.error:
    err = result.error.contents
    out.write(b"E%d\\n" % max(err.cursorpos - 1, 0) + (err.message or b"error"))
else:
    out.write(b"P" + ctypes.string_at(result.parse_tree.data, result.parse_tree.len))
out.flush()
"""


def risky(data: bytes) -> bool:
    """Whether `data` holds enough operators and brackets to be parsed in a child process."""
    count = 0
    for char in (b"(", b"+", b"-", b"*", b"/", b"|", b"&", b"[", b"<", b">", b"="):
        count += data.count(char)
        if count > ISOLATE_OVER:
            return True
    return False


def parse(data: bytes) -> tuple[Any | None, str | None, int]:
    """Parse bytes: (ParseResult, None, 0) or (None, message, cursor byte position)."""
    if risky(data):
        return _parse_in_child(data)
    result = lib.pg_query_parse_protobuf(data)
    try:
        if result.error:
            err = result.error.contents
            message = err.message.decode("utf-8", errors="replace") if err.message else "error"
            return None, message, max(err.cursorpos - 1, 0)
        pbuf = result.parse_tree
        return _decode(ctypes.string_at(pbuf.data, pbuf.len))
    finally:
        lib.pg_query_free_protobuf_parse_result(result)


def _decode(raw: bytes) -> tuple[Any | None, str | None, int]:
    try:
        return pb.ParseResult.FromString(raw), None, 0
    except Exception:  # google.protobuf.message.DecodeError: past the depth limit
        return None, TOO_DEEP, 0


def _parse_in_child(data: bytes) -> tuple[Any | None, str | None, int]:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=data,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"PostgreSQL's parser could not be run on this statement: {error}", 0
    out = proc.stdout
    if proc.returncode != 0 or not out:
        return None, CRASHED, 0
    if out.startswith(b"P"):
        return _decode(out[1:])
    head, _, message = out[1:].partition(b"\n")
    cursor = int(head) if head.isdigit() else 0
    return None, message.decode("utf-8", errors="replace") or "error", cursor
