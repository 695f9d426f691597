"""pygls's protocol, with our document copy updated first on `didChange`.

pygls applies each change to its own `TextDocument` before calling the server's handler, and in
doing so (pygls 2.1) it rewrites an out-of-range `Position` in the client's params in place, and
a failure there (its lines are `str.splitlines`, which also breaks at U+2028 and form feeds)
would skip our handler altogether and leave the workspace behind the editor. Here the handler
runs first on the params as the client sent them; pygls's copy is updated afterwards, so
`ls.workspace` still works for anyone who reads it, and its failures are only logged.

It also answers as LSP says a server must before `initialize` and after `shutdown` (pygls 2.1
answers a request before `initialize` as if initialized, and after `shutdown` not at all, so the
client waits forever): a request before `initialize` gets ServerNotInitialized (-32002), a
notification then is dropped (except `exit`); after `shutdown` a request gets InvalidRequest
(-32600).
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, default_converter, lsp_method

logger = logging.getLogger("schemasense.server")


class DiagnosticForms:
    """The JSON form of each diagnostic sent, kept while it is sent again: the publisher hands
    out the same `Diagnostic` object for a finding a keystroke did not change
    (`diagnostics.py`), and turning cal.com's 353 into JSON on every keystroke cost 7 ms. A
    diagnostic is never changed once made. Entries hold their diagnostic (so an id is not
    reused while kept); those not sent in the last two rounds of `LIMIT` are let go."""

    LIMIT = 20_000

    def __init__(self) -> None:
        self._current: dict[int, tuple[types.Diagnostic, dict]] = {}
        self._previous: dict[int, tuple[types.Diagnostic, dict]] = {}
        self._plain = default_converter().get_unstructure_hook(types.Diagnostic)

    def form(self, diagnostic: types.Diagnostic) -> dict:
        key = id(diagnostic)
        held = self._current.get(key) or self._previous.get(key)
        if held is None or held[0] is not diagnostic:
            held = (diagnostic, self._plain(diagnostic))
        if len(self._current) >= self.LIMIT:
            self._previous, self._current = self._current, {}
        self._current[key] = held
        return held[1]


_SERVER_NOT_INITIALIZED = -32002
_INVALID_REQUEST = -32600


class SchemasenseProtocol(LanguageServerProtocol):
    _initialize_seen = False
    """Whether `initialize` has been received (requests before it are refused)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._diagnostics = DiagnosticForms()
        self._converter.register_unstructure_hook(types.Diagnostic, self._diagnostics.form)

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        msg_id = getattr(message, "id", None)
        is_request = method is not None and msg_id is not None
        if method == types.INITIALIZE:
            self._initialize_seen = True
        elif method == types.EXIT:
            pass
        elif self._shutdown and is_request:
            logger.warning("refused %s (id %r): the server is shut down", method, msg_id)
            self._send_response(
                msg_id,
                error=types.ResponseError(
                    code=_INVALID_REQUEST, message="the server has been shut down"
                ),
            )
            return
        elif not self._initialize_seen and method is not None:
            if is_request:
                self._send_response(
                    msg_id,
                    error=types.ResponseError(
                        code=_SERVER_NOT_INITIALIZED,
                        message="the server has not been initialized yet",
                    ),
                )
            logger.warning("refused %s before initialize", method)
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None
        try:
            for change in params.content_changes:
                self.workspace.update_text_document(params.text_document, change)
        except Exception:
            logger.warning("pygls could not apply a change to its copy", exc_info=True)
