"""The migration tools, one module each, found by scanning this package.

    tool = get_tool("dbmate")
    tool.find(folder, text_of, found)        # the folder's migrations, in the tool's order
    detect_tool(folder)                      # which tool's layout a folder holds

Each module holds `TOOL`, an object with the `MigrationTool` protocol (`base.py`); a new tool is
one module, and nothing else names it (its `name` must also be one of `model.TOOLS`, the
configuration's vocabulary).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from functools import cache

from schemasense.server.migrations.model import Tool
from schemasense.server.migrations.tools.base import MigrationTool, ReadFile, TextOf

__all__ = ["MigrationTool", "ReadFile", "TextOf", "all_tools", "detect_tool", "get_tool"]


@cache
def all_tools() -> tuple[MigrationTool, ...]:
    """Every registered tool, in detection order."""
    found: list[MigrationTool] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        tool = getattr(module, "TOOL", None)
        if tool is not None:
            found.append(tool)
    return tuple(sorted(found, key=lambda t: (t.detect_rank, t.name)))


def get_tool(name: str) -> MigrationTool | None:
    """The tool called `name` (`prisma`, `flyway`, `golang-migrate`, `dbmate`, `plain`)."""
    return next((t for t in all_tools() if t.name == name), None)


def detect_tool(folder: str) -> Tool | None:
    """Which tool's layout `folder` holds, or None if it holds no migrations."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return None
    for tool in all_tools():
        if tool.holds(folder, entries):
            return tool.name
    return None
