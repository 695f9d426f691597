"""The database names TypeORM gives, exactly as TypeORM computes them.

TypeORM names every table, column, join column, join table and constraint it creates through its
naming strategy (`src/naming-strategy/DefaultNamingStrategy.ts`, string helpers in
`src/util/StringUtils.ts`). A migration or a drift check that names them differently is wrong, so
these must match byte for byte: `tests/codegen/orms/test_typeorm_naming.py` runs TypeORM 1.1 and
0.3.28 and `typeorm-naming-strategies` 4.1 (npm) on the same inputs.

Two things vary by project:
- the TypeORM version: 0.3 hashes `encodeURIComponent(key)`, 1.x the raw key. They agree on keys of
  `[A-Za-z0-9_.!~*'()-]` and differ on every key with a space, a quote, `=`, `<` or non-ASCII —
  that is, every partial index (`where`) and every CHECK. A 0.3 project read with 1.x names gets
  its partial indexes dropped and re-created, so the version is read from the project;
- the naming strategy: `DefaultNamingStrategy`, or `SnakeNamingStrategy` from
  `typeorm-naming-strategies` (which changes table, column, relation and join names; the hashed
  constraint names are then computed from the snake-cased names).

Keys are sorted as JavaScript's default `sort()` sorts: by UTF-16 code units.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

Version = Literal["0.3", "1"]
"""Which hashing TypeORM uses: "0.3" (0.2.36 to 0.3.x: the key URI-encoded) or "1" (1.x)."""

_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""What `\\s` matches in a JavaScript regular expression (Python's `\\s` also takes U+001C-U+001F
and U+0085)."""
_SNAKE_1 = re.compile(r"([A-Z])([A-Z])([a-z])")
_SNAKE_2 = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL = re.compile(rf"^([A-Z])|[{_JS_SPACE}\-_]([A-Za-z0-9_])")
_TITLE = re.compile(rf"[A-Za-z0-9_][^{_JS_SPACE}]*")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def snake_case(text: str) -> str:
    """`StringUtils.snakeCase`: `UserProfileAPI` -> `user_profile_api`."""
    text = _SNAKE_1.sub(r"\1_\2\3", text)
    text = _SNAKE_2.sub(r"\1_\2", text)
    return _js_lower(text)


def camel_case(text: str, first_capital: bool = False) -> str:
    """`StringUtils.camelCase`: `author_id` -> `authorId`, `home address` -> `homeAddress`."""
    if first_capital:
        text = " " + text

    def replace(match: re.Match[str]) -> str:
        if match.group(2):
            return _js_upper(match.group(2))
        return _js_lower(match.group(1))

    return _CAMEL.sub(replace, text)


def title_case(text: str) -> str:
    """`StringUtils.titleCase`: each word's first character upper-cased, the rest lower-cased."""
    return _TITLE.sub(lambda m: _js_upper(m.group(0)[0]) + _js_lower(m.group(0)[1:]), text)


def sha1_hex(text: str, version: Version = "1") -> str:
    """`StringUtils.hash` (Node's sha1 of the UTF-8 text; lone surrogates become U+FFFD, as
    Node encodes them), of `encodeURIComponent(text)` for 0.3."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    if version == "0.3":
        text = quote(text, safe="-_.!~*'()")
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def js_sorted(names: Sequence[str]) -> list[str]:
    """JavaScript's default `Array.prototype.sort`: by UTF-16 code units, so `"Z" < "a"` and an
    astral character sorts before U+E000-U+FFFF."""
    return sorted(names, key=lambda s: s.encode("utf-16-be", "surrogatepass"))


def _js_lower(text: str) -> str:
    return text.lower()


def _js_upper(text: str) -> str:
    return text.upper()


def _table(table: str) -> str:
    """`getTableName`: for `schema.table` the part after the last dot."""
    return table.split(".")[-1]


@dataclass(frozen=True)
class NamingStrategy:
    """TypeORM's `DefaultNamingStrategy`, for one TypeORM version."""

    version: Version = "1"

    # -- tables and columns ---------------------------------------------------------------------

    def table_name(self, class_name: str, user_name: str | None = None) -> str:
        # 1.x keeps an empty name given (`??`); 0.3 falls back on the class name (`?:`)
        given = user_name if self.version == "1" else user_name or None
        return given if given is not None else snake_case(class_name)

    def closure_junction_table_name(self, table: str) -> str:
        return table + "_closure"

    def column_name(
        self, property_name: str, custom_name: str | None = None, prefixes: Sequence[str] = ()
    ) -> str:
        name = custom_name or property_name
        if prefixes:
            return camel_case("_".join(prefixes)) + title_case(name)
        return name

    def relation_name(self, property_name: str) -> str:
        return property_name

    def join_column_name(self, relation_name: str, referenced_column: str) -> str:
        return camel_case(relation_name + "_" + referenced_column)

    def join_table_name(
        self, first_table: str, second_table: str, first_property: str, second_property: str = ""
    ) -> str:
        return snake_case(first_table + "_" + first_property.replace(".", "_") + "_" + second_table)

    def join_table_column_name(
        self, table: str, property_name: str, column_name: str | None = None
    ) -> str:
        given = column_name if self.version == "1" else column_name or None
        return camel_case(table + "_" + (given if given is not None else property_name))

    def join_table_inverse_column_name(
        self, table: str, property_name: str, column_name: str | None = None
    ) -> str:
        return self.join_table_column_name(table, property_name, column_name)

    def join_table_column_duplication_prefix(self, column_name: str, index: int) -> str:
        return f"{column_name}_{index}"

    # -- constraints ----------------------------------------------------------------------------

    def primary_key_name(self, table: str, columns: Sequence[str]) -> str:
        return "PK_" + self._hash(self._key(table, columns))[:27]

    def unique_constraint_name(self, table: str, columns: Sequence[str]) -> str:
        return "UQ_" + self._hash(self._key(table, columns))[:27]

    def relation_constraint_name(
        self, table: str, columns: Sequence[str], where: str | None = None
    ) -> str:
        return "REL_" + self._hash(self._key(table, columns, where))[:26]

    def default_constraint_name(self, table: str, column: str) -> str:
        return "DF_" + self._hash(f"{_table(table)}_{column}")[:27]

    def foreign_key_name(self, table: str, columns: Sequence[str]) -> str:
        return "FK_" + self._hash(self._key(table, columns))[:27]

    def index_name(self, table: str, columns: Sequence[str], where: str | None = None) -> str:
        return "IDX_" + self._hash(self._key(table, columns, where))[:26]

    def check_constraint_name(self, table: str, expression: str, is_enum: bool = False) -> str:
        name = "CHK_" + self._hash(f"{_table(table)}_{expression}")[:26]
        return f"{name}_ENUM" if is_enum else name

    def exclusion_constraint_name(self, table: str, expression: str) -> str:
        return "XCL_" + self._hash(f"{_table(table)}_{expression}")[:26]

    # -- helpers --------------------------------------------------------------------------------

    def _key(self, table: str, columns: Sequence[str], where: str | None = None) -> str:
        key = f"{_table(table)}_{'_'.join(js_sorted(columns))}"
        return f"{key}_{where}" if where else key

    def _hash(self, key: str) -> str:
        return sha1_hex(key, self.version)


@dataclass(frozen=True)
class SnakeNamingStrategy(NamingStrategy):
    """`SnakeNamingStrategy` of `typeorm-naming-strategies` 4.1: snake_case tables, columns,
    relations, join columns and join tables; TypeORM's hashed constraint names over them."""

    def table_name(self, class_name: str, user_name: str | None = None) -> str:
        return user_name if user_name else snake_case(class_name)

    def column_name(
        self, property_name: str, custom_name: str | None = None, prefixes: Sequence[str] = ()
    ) -> str:
        return snake_case("_".join([*prefixes, ""])) + (custom_name or snake_case(property_name))

    def relation_name(self, property_name: str) -> str:
        return snake_case(property_name)

    def join_column_name(self, relation_name: str, referenced_column: str) -> str:
        return snake_case(relation_name + "_" + referenced_column)

    def join_table_column_name(
        self, table: str, property_name: str, column_name: str | None = None
    ) -> str:
        return snake_case(table + "_" + (column_name if column_name else property_name))


STRATEGIES: dict[str, type[NamingStrategy]] = {
    "DefaultNamingStrategy": NamingStrategy,
    "SnakeNamingStrategy": SnakeNamingStrategy,
}
"""The strategies schemasense knows by their class name in a DataSource's `namingStrategy`."""
