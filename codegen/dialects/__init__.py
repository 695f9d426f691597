"""One module per database provider; `get_dialect(provider)` finds them by Prisma's name.

Importing the provider modules is what registers them (see `Dialect.__init_subclass__`), so
this file imports each one and keeps no table of its own.
"""

from __future__ import annotations

from . import cockroachdb, mongodb, mysql, postgresql, sqlite, sqlserver
from .base import Dialect
from .native import DefaultNative, NativeTypeSpec

__all__ = [
    "DefaultNative",
    "Dialect",
    "NativeTypeSpec",
    "cockroachdb",
    "get_dialect",
    "mongodb",
    "mysql",
    "postgresql",
    "providers",
    "sqlite",
    "sqlserver",
]


_INSTANCES: dict[type[Dialect], Dialect] = {}


def get_dialect(provider: str | None) -> Dialect | None:
    """The dialect for a datasource `provider` as Prisma spells it (`postgresql`, `postgres`,
    `cockroachdb`, `mysql`, `sqlite`, `sqlserver`, `mongodb`); None for anything else.

    Provider names are matched exactly, as psl does (`"PostgreSQL"` is not a provider).
    """
    cls = Dialect.registry.get(provider or "")
    if cls is None:
        return None
    if cls not in _INSTANCES:
        _INSTANCES[cls] = cls()
    return _INSTANCES[cls]


def providers() -> tuple[str, ...]:
    """The canonical provider names (no aliases), in a stable order."""
    return tuple(sorted({cls.NAME for cls in Dialect.registry.values()}))
