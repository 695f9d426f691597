"""The server never logs a password found in a URL (robustness issue, item 7).

A project's datasource may hold a literal URL with its password, and a migration may quote one
(a column default, a comment). At log level debug, pygls logs every message it sends, so a hover
that shows a column's default would put the password in the server's stderr, which editors keep
in an output panel and CI keeps in its log. Here the server runs over stdio with
`--log-level debug` on such a project, is asked for hovers, code actions and symbols on every
line that holds the URL, and then its stderr and every `window/logMessage` and
`window/showMessage` it sent are searched for the password. The starred form must be in the log
(the hover was logged, masked), so the test cannot pass by logging nothing.

Raw frames over stdio, as in test_protocol_abuse.py, because the test reads the process's stderr.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

SECRET = "s3cr3tPW"
URL = f"postgresql://app:{SECRET}@db.example.com:5432/app"
STARRED = "app:" + "*" * len(SECRET) + "@db.example.com"

SCHEMA = f"""datasource db {{
  provider = "postgresql"
  url      = "{URL}"
}}

model User {{
  id    Int    @id @default(autoincrement())
  email String @default("{URL}")
}}
"""

MIGRATION = f"""-- connect with {URL}
CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL DEFAULT '{URL}', \
CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
"""


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read(out, into: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    while True:
        length = None
        while True:
            line = out.readline()
            if not line:
                return
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n"):
                break
        if length is not None:
            into.put(json.loads(out.read(length)))


def _project(root: Path) -> tuple[Path, Path]:
    schema = root / "prisma" / "schema.prisma"
    migration = root / "prisma" / "migrations" / "20240101000000_init" / "migration.sql"
    migration.parent.mkdir(parents=True)
    schema.write_text(SCHEMA)
    migration.write_text(MIGRATION)
    (root / "prisma" / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    return schema, migration


def _requests(schema: Path, migration: Path) -> list[dict]:
    """Hover, code actions and symbols on every line holding the URL, then shutdown."""
    requests: list[dict] = []
    spots = [(schema, 2, 20), (schema, 7, 4), (schema, 7, 30)]
    spots += [(migration, 0, 20), (migration, 1, 4), (migration, 1, 60), (migration, 1, 90)]
    for path, line, character in spots:
        document = {"uri": path.as_uri()}
        position = {"line": line, "character": character}
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}
        requests.append(
            {
                "method": "textDocument/hover",
                "params": {"textDocument": document, "position": position},
            }
        )
        requests.append(
            {
                "method": "textDocument/codeAction",
                "params": {
                    "textDocument": document,
                    "range": whole,
                    "context": {"diagnostics": []},
                },
            }
        )
    requests.append(
        {
            "method": "textDocument/documentSymbol",
            "params": {"textDocument": {"uri": schema.as_uri()}},
        }
    )
    return [{"jsonrpc": "2.0", "id": n, **r} for n, r in enumerate(requests, start=10)]


def test_no_password_of_a_url_in_the_log_or_log_messages(tmp_path: Path) -> None:
    schema, migration = _project(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemasense.server", "serve", "--log-level", "debug"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    messages: queue.Queue[dict] = queue.Queue()
    threading.Thread(target=_read, args=(proc.stdout, messages), daemon=True).start()
    stderr: list[bytes] = []  # drained as it comes: a full pipe would block the server
    drain = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    drain.start()
    root = {"uri": tmp_path.as_uri(), "name": tmp_path.name}
    requests = _requests(schema, migration)
    try:
        assert proc.stdin is not None
        for message in (
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "capabilities": {},
                    "processId": None,
                    "rootUri": tmp_path.as_uri(),
                    "workspaceFolders": [root],
                },
            },
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            *(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {
                        "textDocument": {
                            "uri": path.as_uri(),
                            "languageId": language,
                            "version": 1,
                            "text": path.read_text(),
                        }
                    },
                }
                for path, language in ((schema, "prisma"), (migration, "sql"))
            ),
            *requests,
            {"jsonrpc": "2.0", "id": 99, "method": "shutdown"},
        ):
            proc.stdin.write(_frame(message))
            proc.stdin.flush()
        seen: list[dict] = []
        while not any(m.get("id") == 99 and "method" not in m for m in seen):
            try:
                seen.append(messages.get(timeout=30))
            except queue.Empty:
                pytest.fail("the server did not answer shutdown within 30 s")
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.flush()
        proc.wait(timeout=20)
    finally:
        proc.kill()
    drain.join(timeout=10)
    log = b"".join(stderr).decode(errors="replace")
    answered = {m["id"] for m in seen if "result" in m}
    assert {r["id"] for r in requests} <= answered
    hovers = {r["id"] for r in requests if r["method"] == "textDocument/hover"}
    shown_defaults = [m for m in seen if m.get("id") in hovers and SECRET in json.dumps(m)]
    assert shown_defaults  # the editor is shown the default as written: it has the text anyway
    assert STARRED in log, "the hover sent was not logged: the test would prove nothing"
    assert SECRET not in log
    shown = [m for m in seen if m.get("method") in ("window/logMessage", "window/showMessage")]
    assert not [m for m in shown if SECRET in json.dumps(m)]
