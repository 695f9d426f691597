"""The stdio message loop: frames read defensively, so no input can make the server deaf or die.

pygls's own loop (`pygls.io_.run_async`, 2.1) trusts the client: a `Content-Length` header must be
a whole line of its own, a body must be as long as its header says, and that length is allocated
before it is read. A wrong or missing header therefore leaves it reading bodies as headers from
then on (the server never answers again), and a length of 10^12 kills it with MemoryError. This
loop instead:

- finds `Content-Length: N` at the end of any line, so after garbage (a body shorter or longer
  than announced, a frame with no length) it picks up again at the next well-formed frame;
- refuses a length over `MAX_MESSAGE_BYTES` (logged; the reader then resynchronises);
- logs a body that is not JSON, not UTF-8, or nested too deeply, and goes on;
- answers a request whose params do not fit its method with InvalidParams (pygls drops it, and the
  client waits forever).

LSP's errors before `initialize` and after `shutdown` are in `protocol.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCProtocol

logger = logging.getLogger("schemasense.server")

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
"""The largest message body read (a whole cal.com schema is 80 KB; a 6 MB schema fits)."""

_CONTENT_LENGTH = re.compile(rb"Content-Length:[ \t]*(\d{1,20})[ \t]*\r?\n$", re.IGNORECASE)


def frames(stop_event: threading.Event, stream: Any) -> Iterator[bytes]:
    """The message bodies of `stream` (a blocking binary stream), read defensively, until it
    ends or `stop_event` is set. Never raises on what the client sends."""
    length: int | None = None
    while not stop_event.is_set():
        line = stream.readline(MAX_MESSAGE_BYTES)
        if not line:
            return
        match = _CONTENT_LENGTH.search(line)
        if match is not None:
            announced = int(match.group(1))
            if announced > MAX_MESSAGE_BYTES:
                logger.error(
                    "skipped a message of %d bytes (the limit is %d)", announced, MAX_MESSAGE_BYTES
                )
                length = None
            else:
                length = announced
            continue
        if line.strip():
            if length is None:
                logger.warning("skipped a line outside any message: %r", line[:80])
            continue  # another header of this frame (Content-Type)
        if length is None:
            continue  # a blank line with no length announced: nothing to read
        body = stream.read(length)
        length = None
        if not body:
            return
        yield body


class FdReader:
    """`readline(limit)` and `read(n)` straight from a file descriptor, with a buffer of its
    own. The reading thread blocks in `os.read`, which holds no lock of Python's: a thread
    blocked in `sys.stdin.buffer.readline` holds the buffered reader's lock, and the
    interpreter then aborts at exit ("could not acquire lock ... at interpreter shutdown")."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()
        self._ended = False

    def _fill(self) -> bool:
        if self._ended:
            return False
        chunk = os.read(self._fd, 65536)
        if not chunk:
            self._ended = True
            return False
        self._buffer += chunk
        return True

    def readline(self, limit: int = -1) -> bytes:
        """Up to and including the next newline, at most `limit` bytes (all: -1)."""
        start = 0
        while True:
            newline = self._buffer.find(b"\n", start)
            if newline != -1:
                end = newline + 1
                break
            if 0 <= limit <= len(self._buffer):
                end = limit
                break
            start = len(self._buffer)
            if not self._fill():
                end = len(self._buffer)
                break
        if 0 <= limit < end:
            end = limit
        line = bytes(self._buffer[:end])
        del self._buffer[:end]
        return line

    def read(self, n: int) -> bytes:
        """`n` bytes, fewer only at the end of the stream."""
        while len(self._buffer) < n and self._fill():
            pass
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data


def _unlocked(stream: Any) -> Any:
    """`stream` read through its file descriptor where it has one (see `FdReader`)."""
    try:
        return FdReader(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return stream


async def read_messages(
    stop_event: threading.Event, stream: Any, protocol: JsonRPCProtocol
) -> None:
    """Hand every message of `stream` to `protocol`, in order, until the stream ends.

    The frames are read by a thread of their own, which queues each message on the event loop
    as soon as it has arrived: while an analysis runs, the edits sent meanwhile are read and
    queued, so they are all applied before the check that was waiting (a timer) runs again,
    and a burst of edits is checked once, at its latest version, rather than once per edit."""
    loop = asyncio.get_running_loop()
    ended = asyncio.Event()

    source = _unlocked(stream)

    def pump() -> None:
        try:
            for body in frames(stop_event, source):
                loop.call_soon_threadsafe(handle_body, protocol, body)
        except (OSError, ValueError) as exc:  # the stream broke or was closed under us
            logger.error("stopped reading the client: %s: %s", type(exc).__name__, exc)
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is already closed (exit)
                loop.call_soon_threadsafe(ended.set)

    threading.Thread(target=pump, name="schemasense-stdin", daemon=True).start()
    await ended.wait()


def handle_body(protocol: JsonRPCProtocol, body: bytes) -> None:
    """Decode one message and hand it to the protocol; what cannot be read is logged (and a
    request whose params are wrong gets its InvalidParams answer)."""
    try:
        text = body.decode("utf-8")
        message = json.loads(text, object_hook=protocol.structure_message)
    except JsonRpcInvalidParams:
        _answer_invalid_params(protocol, body)
        return
    except (ValueError, RecursionError, JsonRpcException) as exc:
        logger.error("skipped a message that cannot be read: %s: %s", type(exc).__name__, exc)
        return
    try:
        protocol.handle_message(message)
    except Exception:
        logger.exception("a message could not be handled")


def _answer_invalid_params(protocol: JsonRPCProtocol, body: bytes) -> None:
    try:
        raw = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):
        return
    if not isinstance(raw, dict) or "id" not in raw or "method" not in raw:
        logger.error("skipped a notification with params that do not fit its method")
        return
    method = raw.get("method")
    logger.error("answered InvalidParams to %r (id %r)", method, raw.get("id"))
    protocol._send_response(
        raw["id"],
        error=types.ResponseError(
            code=JsonRpcInvalidParams.CODE,
            message=f"invalid params for {method}",
        ),
    )


class DefensiveLanguageServer(LanguageServer):
    """pygls's server with `read_messages` as its stdio loop (TCP is unchanged)."""

    def _start_io_async(self, stdin: Any = None, stdout: Any = None) -> None:
        import sys

        logger.info("Starting async IO server")
        self._stop_event = threading.Event()
        writer = StdoutWriter(stdout or sys.stdout.buffer)
        self.protocol.set_writer(writer)
        try:
            asyncio.run(read_messages(self._stop_event, stdin or sys.stdin.buffer, self.protocol))
        except BrokenPipeError:
            logger.error("Connection to the client is lost! Shutting down the server.")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()
