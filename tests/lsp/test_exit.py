"""`shutdown` then `exit` ends the server with exit code 0 and nothing on stderr but logs.

The stdio frames are read by a thread of their own (features/transport.py); a thread blocked
in `sys.stdin.buffer.readline` holds the buffered reader's lock and makes the interpreter abort
at exit (SIGABRT, "could not acquire lock for <_io.BufferedReader name='<stdin>'>"), so the
thread reads the file descriptor itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_exit_after_shutdown_ends_the_process_cleanly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemasense.server", "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
    ]  # fmt: skip
    for message in messages:
        proc.stdin.write(_frame(message))
    proc.stdin.flush()
    time.sleep(1.0)  # the answers are on their way; exit comes after, as a client sends it
    proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
    proc.stdin.flush()
    try:
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert "Fatal Python error" not in stderr, stderr
    assert code == 0, stderr
    out = proc.stdout.read() if proc.stdout else b""
    assert b'"id": 2' in out or b'"id":2' in out  # shutdown was answered
