"""pygls's protocol, with our document copy updated first on `didChange`.

pygls applies each change to its own `TextDocument` before calling the server's handler, and in
doing so (pygls 2.1) it rewrites an out-of-range `Position` in the client's params in place, and
a failure there (its lines are `str.splitlines`, which also breaks at U+2028 and form feeds)
would skip our handler altogether and leave the workspace behind the editor. Here the handler
runs first on the params as the client sent them; pygls's copy is updated afterwards, so
`ls.workspace` still works for anyone who reads it, and its failures are only logged.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method

logger = logging.getLogger("schemasense.server")


class SchemasenseProtocol(LanguageServerProtocol):
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
