"""Settings from the editor: `initializationOptions`, then `workspace/configuration`.

Invalid settings never fail anything: the problems are shown once as a warning and the
defaults stand in for the bad values (`server/project/settings.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from lsprotocol import types
from schemasense.server.project.settings import SECTION, parse_settings

from .session import Session

logger = logging.getLogger("schemasense")


def apply_settings(session: Session, raw: Any, origin: str) -> None:
    """Validate `raw`, show what was wrong with it, and use the result from now on."""
    settings, problems = parse_settings(raw)
    if problems:
        session.show_message(
            f"schemasense: invalid {origin}; " + "; ".join(problems),
            types.MessageType.Warning,
        )
    previous, session.settings = session.settings, settings
    session.workspace.settings = settings
    logging.getLogger("schemasense").setLevel(settings.log_level.upper())
    session.publisher.enabled = settings.enable
    if settings.enable != previous.enable or settings.config_key() != previous.config_key():
        session.schedule()


async def pull(
    session: Session,
    request: Callable[[types.ConfigurationParams], Awaitable[Sequence[Any]]],
) -> None:
    """Ask the client for the `schemasense` section, when it supports `workspace/configuration`."""
    if not session.capability("workspace.configuration", False):
        return
    try:
        result = await request(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
        )
    except Exception as exc:  # the client's error, not ours: keep the settings we have
        logger.warning("workspace/configuration failed: %s", exc)
        return
    value = result[0] if result else None
    if value is not None:
        apply_settings(session, value, "workspace settings")


async def did_change_configuration(
    session: Session,
    params: types.DidChangeConfigurationParams,
    request: Callable[[types.ConfigurationParams], Awaitable[Sequence[Any]]],
) -> None:
    """Push-model clients send the settings here; pull-model clients only say "changed"."""
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get(SECTION), dict):
        apply_settings(session, settings[SECTION], "workspace settings")
    else:
        await pull(session, request)
