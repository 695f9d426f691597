"""The protocol survives abuse (robustness issue, item 2): a malformed frame is logged and
skipped and the next well-formed request is answered; requests before `initialize` and after
`shutdown` get the errors LSP specifies; a request whose params do not fit gets InvalidParams.

Raw frames over stdio (pytest-lsp cannot send broken ones): each test spawns
`python -m schemasense.server serve`, writes bytes and reads the answers.
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

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"capabilities": {}, "rootUri": None, "processId": None},
}


def hover(msg_id: int) -> dict:
    return {
        "jsonrpc": "2.0",
        "id": msg_id,
        "method": "textDocument/hover",
        "params": {
            "textDocument": {"uri": "file:///nowhere/schema.prisma"},
            "position": {"line": 0, "character": 0},
        },
    }


def frame(message: dict | None = None, *, body: bytes | None = None, length: int | None = None):
    data = body if body is not None else json.dumps(message).encode()
    return f"Content-Length: {len(data) if length is None else length}\r\n\r\n".encode() + data


class RawServer:
    """The server on stdio, with a thread that parses its answers into a queue."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "schemasense.server", "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.answers: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
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
            if length is None:
                continue
            self.answers.put(json.loads(out.read(length)))

    def send(self, *frames: bytes) -> None:
        assert self.proc.stdin is not None
        for data in frames:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def answer(self, msg_id: int, timeout: float = 20.0) -> dict:
        """The answer to request `msg_id` (answers to others, and notifications, are skipped)."""
        while True:
            try:
                message = self.answers.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no answer to request {msg_id} within {timeout} s")
            if message.get("id") == msg_id and "method" not in message:
                return message

    def close(self) -> str:
        self.proc.kill()
        self.proc.wait(timeout=10)
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode(errors="replace")


@pytest.fixture
def server(tmp_path: Path):
    raw = RawServer(tmp_path)
    yield raw
    raw.close()


def test_a_request_before_initialize_gets_server_not_initialized(server):
    server.send(frame(hover(5)))
    assert server.answer(5)["error"]["code"] == -32002
    server.send(frame(INIT))
    assert "capabilities" in server.answer(1)["result"]


def test_after_shutdown_a_request_gets_invalid_request(server):
    server.send(frame(INIT), frame({"jsonrpc": "2.0", "id": 8, "method": "shutdown"}))
    assert server.answer(8)["result"] is None
    server.send(frame(hover(9)))
    assert server.answer(9)["error"]["code"] == -32600


def test_params_that_do_not_fit_get_invalid_params(server):
    bad = {"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {"foo": 1}}
    server.send(frame(INIT), frame(bad), frame(hover(7)))
    assert server.answer(4)["error"]["code"] == -32602
    assert "result" in server.answer(7)


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(frame(body=b"{not json"), id="invalid JSON"),
        pytest.param(frame(body=b'{"jsonrpc":"2.0","id":3,"method":"x\xff"}'), id="invalid UTF-8"),
        pytest.param(frame(body=b"[" * 100_000 + b"]" * 100_000), id="deep JSON"),
        pytest.param(b"Foo: bar\r\n\r\n{}", id="no Content-Length"),
        pytest.param(frame(body=json.dumps(hover(6)).encode(), length=10), id="length too short"),
        pytest.param(frame(body=b"{}", length=10**12), id="length of a terabyte"),
        pytest.param(b"Content-Length: abc\r\n\r\n", id="length not a number"),
        pytest.param(b"x" * 100_000 + b"\r\n", id="a long line of garbage"),
    ],
)
def test_a_malformed_frame_is_skipped_and_the_next_request_answered(server, garbage):
    server.send(frame(INIT), garbage, frame(hover(7)))
    assert "capabilities" in server.answer(1)["result"]
    assert "result" in server.answer(7)
    assert server.proc.poll() is None, "the server is still running"
