"""What the feature workflow writes, and what stops it: shared by its modules
(`generate_feature.py` and the `feature_*.py` helpers beside it)."""

from __future__ import annotations

from dataclasses import dataclass

from schemasense.server.workflows.describe import Problem


class FeatureError(Exception):
    """What stops the feature: an unclear project, an unreadable description, a conflict."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class FeatureFile:
    path: str
    """Absolute."""
    text: str
    kind: str
    """`model`, `migration`, `dto`, `test` or `package`."""
    action: str = "create"
    """`create` or `edit` (an existing file, `before` its text now)."""
    before: str | None = None


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except OSError:
        return None
