"""The editor's settings for schemasense, validated, with a fallback to the defaults.

They arrive as `initializationOptions` when the server starts and, from clients that support
it, as the `schemasense` section of `workspace/configuration` (VS Code's `settings.json`) later.
Both may be written with or without the `schemasense` wrapper key:

    {"schemasense": {"enable": true, "debounceMs": 0, "logLevel": "warning",
                     "select": ["DB1"], "ignore": ["DB105"], "dialect": "postgresql"}}

`select`, `ignore` and `dialect` override the project's configuration (`schemasense.toml` and
its equivalents, `server/project/config.py`): the editor's settings win over the project's.

A bad value never stops the server (jedi-language-server's rule): `parse_settings` keeps every
valid field, puts the default in place of each invalid one, and returns a list of problems that
the server shows to the user once. Unknown keys are reported too (most often a typo), and
ignored.

Plain data; nothing LSP-shaped.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from schemasense.server.project.config import Config, Database

SECTION = "schemasense"


class Settings(BaseModel):
    """What the user can change from the editor."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    enable: bool = True
    """Publish diagnostics at all. With false, every published diagnostic is cleared."""

    debounce_ms: int = Field(default=0, ge=0, le=5000, alias="debounceMs")
    """Wait this long after a change before checking, so a burst of keystrokes is checked
    once. 0 checks as soon as the server has read the pending messages."""

    log_level: Literal["error", "warning", "info", "debug"] = Field(
        default="warning", alias="logLevel"
    )
    """What the server writes to its log (stderr, shown in the editor's output panel)."""

    select: list[str] | None = None
    """Rules to run (codes, code prefixes or rule names). Replaces the project's `select`;
    None keeps it."""

    ignore: list[str] = Field(default_factory=list)
    """Rules not to run, added to the project's `ignore`."""

    dialect: Database | None = None
    """The target database. Replaces the project's `database`; None keeps it (and, without
    one, the Prisma datasource's provider applies)."""

    def over(self, config: Config) -> Config:
        """The project's configuration with these settings in place of its own."""
        update: dict[str, Any] = {}
        if self.select is not None:
            update["select"] = list(self.select)
        if self.ignore:
            update["ignore"] = [*config.ignore, *self.ignore]
        if self.dialect is not None:
            update["database"] = self.dialect
        return config.model_copy(update=update) if update else config

    def config_key(self) -> str:
        """What `over` depends on, for the workspace's read cache."""
        return self.model_dump_json(include={"select", "ignore", "dialect"})


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Settings from whatever the client sent, and the problems found in it.

    `None` or an empty object gives the defaults with no problem.
    """
    if raw is None:
        return Settings(), []
    if not isinstance(raw, dict):
        return Settings(), [f"settings must be an object, not {type(raw).__name__}"]
    if isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    try:
        return Settings.model_validate(raw), []
    except ValidationError as exc:
        errors = exc.errors()
    problems: list[str] = []
    bad: set[str] = set()
    for error in errors:
        key = str(error["loc"][0]) if error["loc"] else ""
        bad.add(key)
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown setting `{key}` (ignored)")
        else:
            value = raw.get(key)
            problems.append(
                f"`{key}`: {error['msg']} (got {value!r}; using the default {_default_of(key)!r})"
            )
    kept = {k: v for k, v in raw.items() if k not in bad}
    try:
        return Settings.model_validate(kept), problems
    except ValidationError:  # cannot happen, but settings must never fail
        return Settings(), problems


def _default_of(key: str) -> Any:
    for name, info in Settings.model_fields.items():
        if key in (name, info.alias):
            return info.default
    return None
