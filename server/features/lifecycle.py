"""initialize / initialized / workspace folders: what the server learns about the project.

`initialize` must never fail (STYLE.md 18): it only records things, and bad settings fall back
to the defaults with a message.
"""

from __future__ import annotations

import logging

from lsprotocol import types
from schemasense.server.positions import Encoding

from .configuration import apply_settings
from .session import Session
from .uris import uri_to_path

logger = logging.getLogger("schemasense.server")

_ENCODINGS: dict[str, Encoding] = {"utf-8": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}


def initialize(
    session: Session, params: types.InitializeParams, position_encoding: str | None
) -> None:
    """Record the project folders, the position encoding pygls agreed on, and the settings."""
    session.workspace.position_encoding = _ENCODINGS.get(str(position_encoding or ""), "utf-16")
    folders = params.workspace_folders or []
    for folder in folders:
        session.workspace.add_root(uri_to_path(folder.uri))
    if not folders:
        if params.root_uri:
            session.workspace.add_root(uri_to_path(params.root_uri))
        elif params.root_path:
            session.workspace.add_root(params.root_path)
    if params.initialization_options is not None:
        apply_settings(session, params.initialization_options, "initializationOptions")
    logger.info(
        "initialized: roots %s, position encoding %s",
        session.workspace.roots,
        session.workspace.position_encoding,
    )


def did_change_workspace_folders(
    session: Session, params: types.DidChangeWorkspaceFoldersParams
) -> None:
    for folder in params.event.removed:
        session.workspace.remove_root(uri_to_path(folder.uri))
    for folder in params.event.added:
        session.workspace.add_root(uri_to_path(folder.uri))
