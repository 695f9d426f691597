"""Document URIs <-> the workspace's file ids (absolute paths).

A `file:` URI becomes its path; any other URI (`untitled:Untitled-1`) is its own id, so an
unsaved buffer is still checked, as a schema of its own.
"""

from __future__ import annotations

import os
import re

from pygls.uris import from_fs_path, to_fs_path

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def uri_to_path(uri: str) -> str:
    if uri.startswith("file:"):
        path = to_fs_path(uri)
        if path:
            return os.path.normpath(path)
    return uri


def path_to_uri(path: str) -> str:
    if _URI.match(path):
        return path
    return from_fs_path(path) or path
