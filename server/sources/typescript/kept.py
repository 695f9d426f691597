"""`read_module`, kept per file while its text is the same: a keystroke in one file of a
project re-reads that file only, and parses it incrementally from its last text's tree.

A pure function's cache (the module is a function of path and text), so it may live at module
level. Per path, the modules of its last `VERSIONS` texts are kept (typing into a file replaces
the oldest instead of adding one per keystroke; a change undone finds the text before it), for
at most `LIMIT` paths, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from schemasense.server.sources.typescript.declarations import Module, read_module

LIMIT = 4096
VERSIONS = 2

T = TypeVar("T")


class PerFile(Generic[T]):
    """`make(path, text)` kept for the last `VERSIONS` texts of each of at most `LIMIT`
    paths. `make` must be a pure function of its arguments.

    `make_from(path, text, latest)`, when given, makes a new text's value from the value of the
    path's latest text (a keystroke's module from the one before it: an incremental parse);
    it must give what `make(path, text)` gives."""

    def __init__(
        self,
        make: Callable[[str, str], T],
        limit: int = LIMIT,
        make_from: Callable[[str, str, T], T] | None = None,
    ) -> None:
        self._make = make
        self._make_from = make_from
        self._limit = limit
        self._kept: OrderedDict[str, list[tuple[str, T]]] = OrderedDict()
        self._lock = threading.Lock()

    def forget(self, paths: Iterable[str]) -> None:
        """Drop what is kept for `paths` (their next value is made from nothing)."""
        with self._lock:
            for path in paths:
                self._kept.pop(path, None)

    def get(self, path: str, text: str) -> T:
        latest = None
        with self._lock:
            versions = self._kept.get(path)
            if versions is not None:
                for i, (held, value) in enumerate(versions):
                    if held is text or held == text:
                        self._kept.move_to_end(path)
                        if i:  # the latest first
                            versions.insert(0, versions.pop(i))
                        return value
                if versions:
                    latest = versions[0][1]
        if latest is not None and self._make_from is not None:
            value = self._make_from(path, text, latest)
        else:
            value = self._make(path, text)
        with self._lock:
            versions = self._kept.setdefault(path, [])
            versions.insert(0, (text, value))
            del versions[VERSIONS:]
            self._kept.move_to_end(path)
            while len(self._kept) > self._limit:
                self._kept.popitem(last=False)
        return value


def _module_from(path: str, text: str, latest: Module) -> Module:
    """`read_module(path, text)`, parsed incrementally from the module of the path's latest
    text (what tree-sitter is for: a keystroke re-parses around the edit)."""
    return read_module(path, text, previous=latest)


_MODULES: PerFile[Module] = PerFile(read_module, make_from=_module_from)


def kept_module(path: str, text: str) -> Module:
    """`read_module(path, text)`, the same object again while `path`'s text is one of its
    last two."""
    return _MODULES.get(path, text)
