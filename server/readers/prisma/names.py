"""Temporary: Prisma's derived names, until codegen.naming lands (then this file goes)."""

from __future__ import annotations

from dataclasses import dataclass

_LIMITS = {"postgresql": 63, "cockroachdb": 63, "mysql": 64, "sqlserver": 128, "sqlite": 10000}


def _name(table: str, columns: list[str], suffix: str, provider: str | None) -> str:
    limit = _LIMITS.get(provider or "", 10000)
    base = "_".join([table, *columns]) if columns else table
    if len(base) + len(suffix) > limit:
        base = base[: limit - len(suffix)]
    return base + suffix


def primary_key_name(table: str, provider: str | None) -> str | None:
    if provider in ("mysql", "sqlite", "mongodb"):
        return None
    return _name(table, [], "_pkey", provider)


def unique_name(table: str, columns: list[str], provider: str | None) -> str:
    return _name(table, columns, "_key", provider)


def index_name(table: str, columns: list[str], provider: str | None) -> str:
    return _name(table, columns, "_idx", provider)


def foreign_key_name(table: str, columns: list[str], provider: str | None) -> str:
    return _name(table, columns, "_fkey", provider)


def join_table_name(relation_name: str) -> str:
    return "_" + relation_name


@dataclass
class JoinKey:
    name: str
    primary_key: bool


def join_table_key(table: str, provider: str | None) -> JoinKey:
    if provider in ("postgresql", "cockroachdb"):
        return JoinKey(_name(table, ["AB"], "_pkey", provider), True)
    return JoinKey(f"{table}_AB_unique", False)


def join_table_b_index_name(table: str, provider: str | None) -> str:
    return f"{table}_B_index"
