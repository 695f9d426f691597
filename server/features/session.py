"""The language server's state: one workspace, the settings, and when to check next.

Feature functions take the session instead of the pygls server, so they can be called and
tested without one: `send`, `show` and `request` are the only ways out to the client.

Checking is scheduled, not done inside each notification: `schedule(paths)` remembers what
changed and arms one timer (`debounceMs`, 0 by default); when it fires, every open unit is
checked against the texts as they are then. A burst of edits that arrives before the timer fires
is checked once, and the last check always sees the last text, so the final diagnostics match
the final text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import Any

from lsprotocol import types
from schemasense.server.project.settings import Settings
from schemasense.server.workspace.workspace import Workspace

from .diagnostics import DiagnosticsPublisher
from .guard import Guard
from .uris import path_to_uri, uri_to_path

logger = logging.getLogger("schemasense.server")


class Session:
    """Everything one editor connection needs, with the client reached through callables.

    `send(method_params)` sends a notification (publishDiagnostics, showMessage);
    `client_capabilities()` returns what the client said it can do at `initialize`.
    """

    def __init__(
        self,
        publish: Callable[[types.PublishDiagnosticsParams], None],
        show: Callable[[types.ShowMessageParams], None],
        client_capabilities: Callable[[], types.ClientCapabilities | None] = lambda: None,
    ) -> None:
        self.workspace = Workspace()
        self.settings = Settings()
        self._show = show
        self.client_capabilities = client_capabilities
        self.guard = Guard(lambda message: self.show_message(message, types.MessageType.Error))
        self._uris: dict[str, str] = {}
        self.publisher = DiagnosticsPublisher(self.workspace, publish, uri_of=self.uri_of)
        self._pending: set[str] = set()
        self._timer: asyncio.TimerHandle | None = None
        self.watching = False

    # -- the client -----------------------------------------------------------------------------

    def show_message(self, message: str, kind: types.MessageType = types.MessageType.Warning):
        self._show(types.ShowMessageParams(type=kind, message=message))

    def path_of(self, uri: str) -> str:
        """The workspace id of a document URI; the URI is kept to answer in the client's form."""
        path = uri_to_path(uri)
        self._uris[path] = uri
        return path

    def uri_of(self, path: str) -> str:
        return self._uris.get(path) or path_to_uri(path)

    def capability(self, dotted: str, default: Any = None) -> Any:
        """A client capability by its dotted snake_case path, e.g. `workspace.configuration`."""
        value: Any = self.client_capabilities()
        for part in dotted.split("."):
            if value is None:
                return default
            value = getattr(value, part, None)
        return default if value is None else value

    # -- checking -------------------------------------------------------------------------------

    def schedule(self, paths: Iterable[str] = ()) -> None:
        """Check soon: after `debounceMs`, or at once when no event loop is running."""
        self._pending.update(paths)
        if self._timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.check_now()
            return
        self._timer = loop.call_later(self.settings.debounce_ms / 1000, self.check_now)

    def check_now(self) -> None:
        """Check every open unit now and publish (guarded: this runs as a timer callback)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        touched, self._pending = self._pending, set()
        self.guard.run("diagnostics", self.publisher.refresh, touched)
        for notice in self.workspace.take_notices():  # a budget reached, a file not read
            logger.warning("%s", notice)
            self.show_message(notice, types.MessageType.Warning)
