"""Files on disk: watch `*.prisma`, package.json and migration `.sql` files through the editor,
re-check on change.

A multi-file schema is read as a whole, so a file changed on disk (a `git checkout`, another
editor, a formatter) can add or clear problems in a file that is open. The server asks the
client to watch for it (`client/registerCapability` for `workspace/didChangeWatchedFiles`,
when the client can register it dynamically); without that, the disk is looked at again only
when a document is opened or saved.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from lsprotocol import types
from schemasense.server.sources.base import file_globs

from .session import Session

logger = logging.getLogger("schemasense.server")

REGISTRATION_ID = "schemasense-watched-files"
GLOBS = (*file_globs(), "**/package.json", "**/migrations/**/*.sql")
"""Schema files (each source's: `**/*.prisma`, `**/schema.sql`, ...), package.json (its
`prisma.schema`), and migration files: a new or changed migration re-reads that file and
updates the drift diagnostics."""


def registration() -> types.RegistrationParams:
    return types.RegistrationParams(
        registrations=[
            types.Registration(
                id=REGISTRATION_ID,
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=g) for g in GLOBS]
                ),
            )
        ]
    )


async def register(
    session: Session, send_request: Callable[[types.RegistrationParams], Awaitable[None]]
) -> None:
    """Ask the client to watch schema files, if it can register that capability dynamically."""
    if not session.capability("workspace.did_change_watched_files.dynamic_registration", False):
        logger.info("the client cannot watch files for us; disk changes are seen on open/save")
        return
    try:
        await send_request(registration())
    except Exception as exc:  # the client's refusal is not our internal error
        logger.warning("the client refused to watch files for us: %s", exc)
        return
    session.watching = True


def did_change_watched_files(session: Session, params: types.DidChangeWatchedFilesParams) -> None:
    paths = [session.path_of(change.uri) for change in params.changes]
    structure = any(
        change.type != types.FileChangeType.Changed or change.uri.endswith("package.json")
        for change in params.changes
    )
    session.workspace.files_changed(paths, structure=structure)
    session.schedule(paths)
