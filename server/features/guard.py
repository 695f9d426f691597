"""Every handler's guard: an internal error is logged, shown once, and the server goes on.

A bug in one feature must not take the editor's session down with it, and must not flood the
user either: the stack goes to the log every time, while the user sees one `window/showMessage`
per distinct error (same exception type raised from the same line), and the handler returns its
empty answer (None, or the `default` given). pygls would otherwise show "Error in server" for
every failing notification, and answer a failing request with an error the editor may show as a
pop-up each time.
"""

from __future__ import annotations

import functools
import inspect
import logging
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from schemasense.server.render import mask_credentials

logger = logging.getLogger("schemasense.server")

F = TypeVar("F", bound=Callable[..., Any])


class Guard:
    """Wraps handlers; `report(message)` shows a message to the user (window/showMessage)."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report
        self._seen: set[tuple[str, str, int]] = set()

    def __call__(self, name: str, default: Any = None) -> Callable[[F], F]:
        """Decorate a handler (plain function or coroutine function) named `name` in logs."""

        def decorate(fn: F) -> F:
            if inspect.iscoroutinefunction(fn):

                @functools.wraps(fn)
                async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                    try:
                        return await fn(*args, **kwargs)
                    except Exception as exc:
                        self.failed(name, exc)
                        return default

                return guarded_async  # type: ignore[return-value]

            @functools.wraps(fn)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                try:
                    return fn(*args, **kwargs)
                except Exception as exc:
                    self.failed(name, exc)
                    return default

            return guarded  # type: ignore[return-value]

        return decorate

    def run(self, name: str, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """Call `fn(*args)` under the guard (for callbacks that are not handlers)."""
        try:
            return fn(*args)
        except Exception as exc:
            self.failed(name, exc)
            return default

    def failed(self, name: str, exc: BaseException) -> None:
        """Log `exc` with its stack; tell the user the first time this error is seen."""
        logger.error("internal error in %s", name, exc_info=exc)
        key = _error_key(exc)
        if key in self._seen:
            return
        self._seen.add(key)
        message = mask_credentials(
            f"schemasense: internal error in {name}: {type(exc).__name__}: {exc}. "
            "Diagnostics may be out of date; the details are in the server log."
        )
        try:
            self._report(message)
        except Exception:
            logger.exception("could not report an internal error to the client")


def _error_key(exc: BaseException) -> tuple[str, str, int]:
    """Where an error comes from: its type and the innermost frame that raised it."""
    frames = traceback.extract_tb(exc.__traceback__)
    origin = frames[-1] if frames else None
    return (
        f"{type(exc).__module__}.{type(exc).__qualname__}",
        origin.filename if origin else "",
        origin.lineno or 0 if origin else 0,
    )
