"""`workspace/executeCommand` commands.

`schemasense.debugInformation` (like ruff's `ruff.printDebugInformation`) answers what the
server sees: version, folders, position encoding, settings, open documents and schema units. It
is also the cheap request the end-to-end tests use to check that the server still answers.
"""

from __future__ import annotations

from typing import Any

from . import names
from .session import Session

DEBUG_INFORMATION = names.DEBUG_INFORMATION


def debug_information(session: Session, server_version: str) -> dict[str, Any]:
    workspace = session.workspace
    return {
        "version": server_version,
        "roots": list(workspace.roots),
        "positionEncoding": workspace.position_encoding,
        "settings": session.settings.model_dump(by_alias=True),
        "watchingFiles": session.watching,
        "openDocuments": {path: workspace.version(path) for path in workspace.open_paths()},
        "openUnits": [
            {"key": unit.key, "folder": unit.folder, "files": list(unit.files)}
            for unit in workspace.open_units()
        ],
    }
