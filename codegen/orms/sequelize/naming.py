"""The names Sequelize 6 gives, exactly as Sequelize 6.37 computes them.

A model, an association or a migration call that leaves a name out gets Sequelize's: the table a
model lives in, the column of an attribute, the timestamp columns, the foreign keys associations
add and the join tables of `belongsToMany`, the names of model `indexes`, of `addIndex` and of
`addConstraint`, and PostgreSQL enum types. A drift check or a generated migration that names them
otherwise is wrong, so these match byte for byte: `tests/codegen/orms/test_sequelize_naming.py`
builds real models with npm `sequelize` 6.37.8 and runs its `queryInterface` on the same inputs.

Sources (`node_modules/sequelize/lib/`): `utils.js` (`camelize`, `underscoredIf`, `nameIndex`,
`generateEnumName`, `combineTableNames`), `model.js` (`init`, `refreshAttributes`),
`associations/*.js`, `dialects/abstract/query-generator.js` (`addIndexQuery`,
`getConstraintSnippet`), `dialects/mysql/query-generator.js` (`attributeToSQL`),
`dialects/postgres/query-generator.js` (`pgEnumName`). English inflection is npm `inflection`
1.13.4, ported in `inflection.py`.

What Sequelize leaves to the database (PostgreSQL `<t>_<c>_key` / `_fkey` / `_pkey`, MySQL's
index named after the column and `<t>_ibfk_<n>`) is not here: it is the dialect's naming.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from . import inflection

Dialect = Literal["postgres", "mysql", "mariadb", "sqlite"]

_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""JavaScript's `\\s` and what `String.prototype.trim` removes (Python's own sets also hold
U+001C-U+001F and U+0085)."""
_JS_TRIMMED = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000\ufeff")
)
_CAMELIZE = re.compile(f"[-_{_JS_SPACE}]+(.)?")
_QUOTE = {"postgres": '"', "mysql": "`", "mariadb": "`", "sqlite": "`"}


class SequelizeError(ValueError):
    """Sequelize throws here instead of naming (the message says what it would throw)."""


# -- Sequelize's string helpers (`lib/utils.js`) ----------------------------------------------


def pluralize(word: str) -> str:
    """`Utils.pluralize`: `inflection.pluralize`."""
    return inflection.pluralize(word)


def singularize(word: str) -> str:
    """`Utils.singularize`: `inflection.singularize`."""
    return inflection.singularize(word)


def underscore(text: str) -> str:
    """`Utils.underscore`: `inflection.underscore` (`createdAt` -> `created_at`)."""
    return inflection.underscore(text)


def underscored_if(text: str, condition: bool) -> str:
    """`Utils.underscoredIf`: what `underscored: true` does to a name."""
    return underscore(text) if condition else text


def js_trim(text: str) -> str:
    """`String.prototype.trim`."""
    return text.strip(_JS_TRIMMED)


def camelize(text: str) -> str:
    """`Utils.camelize`, Sequelize's own (not inflection's): trimmed, and every run of `-`, `_` or
    white space dropped with the character after it upper-cased: `User_id` -> `UserId`,
    `author_id` -> `authorId`. A text ending in `-` or `_` makes Sequelize throw (the callback
    upper-cases an `undefined`): `SequelizeError` here."""

    def replace(match: re.Match[str]) -> str:
        following = match.group(1)
        if following is None:
            raise SequelizeError(
                "TypeError: Cannot read properties of undefined (reading 'toUpperCase')"
                f" camelizing {text!r}"
            )
        return _js_upper_unit(following)

    # JavaScript's `.` takes no line terminator, but the greedy run before it took them all
    return _CAMELIZE.sub(replace, js_trim(text))


def _js_upper_unit(char: str) -> str:
    """`c.toUpperCase()` where `c` is what `.` matched without the `u` flag: one UTF-16 code unit,
    so an astral character keeps its case (its high surrogate has none)."""
    return char if ord(char) > 0xFFFF else char.upper()


def combine_table_names(first: str, second: str) -> str:
    """`Utils.combineTableNames`: the two names, the lower-cased-smaller first (JavaScript's `<`:
    by UTF-16 code units), concatenated."""
    return first + second if _utf16(first.lower()) < _utf16(second.lower()) else second + first


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def generate_enum_name(table: str, column: str) -> str:
    """`Utils.generateEnumName`: PostgreSQL's type for an ENUM column, `enum_<table>_<column>`."""
    return f"enum_{table}_{column}"


def postgres_enum_type(table: str, column: str) -> str:
    """The enum type `pgEnumName` creates for an ENUM column of `table` (in the table's schema):
    `enum_Users_status`; double quotes in the names are dropped, as its quoting drops them."""
    return generate_enum_name(table, column).replace('"', "")


# -- models (`lib/model.js`) ------------------------------------------------------------------


def model_name_forms(
    model_name: str, singular: str | None = None, plural: str | None = None
) -> tuple[str, str]:
    """A model's `options.name`: `(singular, plural)`, each Sequelize's inflection of the model
    name unless the model's `name: { singular, plural }` gives it."""
    return (
        singularize(model_name) if singular is None else singular,
        pluralize(model_name) if plural is None else plural,
    )


def table_name(
    model_name: str,
    *,
    table_name: str | None = None,
    freeze_table_name: bool = False,
    underscored: bool = False,
) -> str:
    """`Model.init`: `tableName` when given (an empty one is not), else the model name itself with
    `freezeTableName`, else its plural, snake-cased with `underscored`: `User` -> `Users`,
    `UserRole` + `underscored` -> `user_roles`, `Person` -> `People`."""
    if table_name:
        return table_name
    if freeze_table_name:
        return model_name
    return underscored_if(pluralize(model_name), underscored)


def column_name(attribute: str, *, field: str | None = None, underscored: bool = False) -> str:
    """`refreshAttributes`: an attribute's `field` when given (even empty), else its name,
    snake-cased with `underscored`: `createdAt` -> `created_at`, `UserId` -> `user_id`."""
    return field if field is not None else underscored_if(attribute, underscored)


TimestampOption = str | bool | None


def timestamp_attributes(
    *,
    timestamps: bool = True,
    paranoid: bool = False,
    created_at: TimestampOption = None,
    updated_at: TimestampOption = None,
    deleted_at: TimestampOption = None,
) -> dict[str, str]:
    """`Model.init`: the timestamp attributes a model gets, by role (`createdAt`, `updatedAt`,
    `deletedAt`) -> attribute name. The options `createdAt` / `updatedAt` / `deletedAt` rename
    (a string) or drop (`false`) one; `deletedAt` only with `paranoid`. Their columns are
    `column_name(attribute, underscored=...)` (`created_at`). An empty name makes Sequelize
    throw: `SequelizeError`."""
    if not timestamps:
        return {}
    options = {"createdAt": created_at, "updatedAt": updated_at, "deletedAt": deleted_at}
    for role, value in options.items():
        if value == "":
            raise SequelizeError(f'Value for "{role}" option cannot be an empty string')
    names: dict[str, str] = {}
    for role, value in options.items():
        if value is False or (role == "deletedAt" and not paranoid):
            continue
        names[role] = value if isinstance(value, str) else role
    return names


def version_attribute(version: str | bool | None) -> str | None:
    """`Model.init`: the optimistic-locking attribute `version: true` adds (`version`), or the
    name `version` gives; None without it."""
    if not version:
        return None
    return version if isinstance(version, str) else "version"


def model_columns(
    attributes: Mapping[str, str | None],
    *,
    primary_key_declared: bool,
    underscored: bool = False,
    timestamps: Mapping[str, str] | None = None,
    version: str | None = None,
) -> dict[str, str]:
    """Every attribute of a model -> its column, in Sequelize's order (`_addDefaultAttributes`):
    `id` first when no attribute is `primaryKey` (an attribute called `id` that is not makes
    Sequelize throw), the declared attributes (attribute -> its `field`, or None), then the
    timestamp attributes (`timestamp_attributes`) and the `version` one — each unless declared,
    in which case the declaration wins, `field` included."""
    if not primary_key_declared and "id" in attributes:
        raise SequelizeError(
            "A column called 'id' was added to the attributes but not marked with"
            " 'primaryKey: true'"
        )
    declared: dict[str, str | None] = {} if primary_key_declared else {"id": None}
    declared.update(attributes)
    for attribute in [*(timestamps or {}).values(), *([version] if version else [])]:
        declared.setdefault(attribute, None)
    return {
        attribute: column_name(attribute, field=field, underscored=underscored)
        for attribute, field in declared.items()
    }


@dataclass(frozen=True)
class Model:
    """What Sequelize's association names depend on, for one model."""

    name: str
    """The model name (`sequelize.define`'s first argument, `modelName`, or the class name)."""
    table: str
    singular: str
    plural: str
    primary_key: str = "id"
    """The attribute of `primaryKeyAttribute`: the first `primaryKey: true` one, else `id`."""
    underscored: bool = False
    timestamps: bool = True
    paranoid: bool = False
    created_at: TimestampOption = None
    """The `createdAt` option as written (a name, `false`, or None when left out); so are the
    next two. A join table Sequelize defines takes them from the model that declared it."""
    updated_at: TimestampOption = None
    deleted_at: TimestampOption = None

    def timestamp_attributes(
        self, *, timestamps: bool | None = None, paranoid: bool | None = None
    ) -> dict[str, str]:
        """`timestamp_attributes` with this model's options (`timestamps` / `paranoid` as given
        instead of the model's when not None)."""
        return timestamp_attributes(
            timestamps=self.timestamps if timestamps is None else timestamps,
            paranoid=self.paranoid if paranoid is None else paranoid,
            created_at=self.created_at,
            updated_at=self.updated_at,
            deleted_at=self.deleted_at,
        )


def model(
    name: str,
    *,
    table_name_option: str | None = None,
    freeze_table_name: bool = False,
    underscored: bool = False,
    singular: str | None = None,
    plural: str | None = None,
    primary_key: str = "id",
    timestamps: bool = True,
    paranoid: bool = False,
    created_at: TimestampOption = None,
    updated_at: TimestampOption = None,
    deleted_at: TimestampOption = None,
) -> Model:
    """A `Model` with Sequelize's defaults for what the options leave out (the options as
    `sequelize.define` sees them: the Sequelize `define` options under the model's own).
    Timestamp options Sequelize rejects raise `SequelizeError`, as `Model.init` throws."""
    forms = model_name_forms(name, singular, plural)
    table = table_name(
        name,
        table_name=table_name_option,
        freeze_table_name=freeze_table_name,
        underscored=underscored,
    )
    built = Model(
        name, table, forms[0], forms[1], primary_key, underscored,
        timestamps, paranoid, created_at, updated_at, deleted_at,
    )  # fmt: skip
    built.timestamp_attributes()
    return built


# -- associations (`lib/associations/*.js`) ---------------------------------------------------


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key an association adds: its attribute and column, on the model holding it."""

    attribute: str
    column: str


def belongs_to_key(
    source: Model, target: Model, *, as_: str | None = None, foreign_key: str | None = None
) -> ForeignKey:
    """`source.belongsTo(target)`: on the source, `camelize(<as or target's singular>_<target's
    primary key>)`: `UserId`, `authorId` with `as: 'author'`. A `targetKey` does not change it."""
    key = foreign_key or camelize(f"{as_ or target.singular}_{target.primary_key}")
    return ForeignKey(key, column_name(key, underscored=source.underscored))


def has_many_key(source: Model, target: Model, *, foreign_key: str | None = None) -> ForeignKey:
    """`source.hasMany(target)`: on the target, `camelize(<source's singular>_<source's primary
    key>)`. Neither `as` nor `sourceKey` changes it."""
    key = foreign_key or camelize(f"{source.singular}_{source.primary_key}")
    return ForeignKey(key, column_name(key, underscored=target.underscored))


def has_one_key(
    source: Model, target: Model, *, as_: str | None = None, foreign_key: str | None = None
) -> ForeignKey:
    """`source.hasOne(target)`: on the target, `camelize(singularize(<as or source's model name>)
    _<source's primary key>)`. Unlike `hasMany`, `as` names the key: `User.hasOne(Profile,
    { as: 'avatar' })` adds `Profiles.avatarId`, not `UserId`."""
    key = foreign_key or camelize(f"{singularize(as_ or source.name)}_{source.primary_key}")
    return ForeignKey(key, column_name(key, underscored=target.underscored))


@dataclass(frozen=True)
class JoinTable:
    """What `belongsToMany` builds: the join table and its two keys."""

    table: str
    foreign_key: ForeignKey
    """Towards the source."""
    other_key: ForeignKey
    """Towards the target."""
    primary_key: bool
    """The two keys are the join table's primary key (its own, generated, `id` was dropped)."""
    unique_name: str | None
    """Else, the name of the UNIQUE over both keys (None with `through.unique: false`)."""
    timestamp_columns: dict[str, str]
    """The join table's timestamp attributes -> their columns."""


def belongs_to_many(
    source: Model,
    target: Model,
    through: str | Model,
    *,
    as_: str | None = None,
    foreign_key: str | None = None,
    other_key: str | None = None,
    source_key: str | None = None,
    target_key: str | None = None,
    paired_foreign_key: str | None = None,
    through_defined_by: Model | None = None,
    timestamps: bool = True,
    through_paranoid: bool = False,
    through_has_primary_key: bool = False,
    unique: bool = True,
    unique_key: str | None = None,
) -> JoinTable:
    """`source.belongsToMany(target, { through })`.

    Keys: `camelize(<source's singular>_<sourceKey>)` and `camelize(<target's singular, or
    singularize(as) for a self-association>_<targetKey>)` — unlike `belongsTo` / `hasMany`,
    `sourceKey` / `targetKey` do change them. When the reverse `target.belongsToMany(source)`
    with the same `through` was declared first, its foreign key (`paired_foreign_key`) is this
    side's other key unless `otherKey` is given (an `otherKey` other than the reverse's foreign
    key makes Sequelize throw or build a third key column: not modelled).

    `through` as a string is a model Sequelize defines with that name as its table name, as is
    (no plural), and with the options of the association — into which `Model.belongsToMany` has
    copied the source model's own options — the first time an association names it. So its
    columns are snake-cased when the model whose `belongsToMany` came first (`through_defined_by`,
    by default the source) is `underscored`, and its timestamps take that model's `createdAt` /
    `updatedAt` / `deletedAt` names, with the association's `timestamps` option (`timestamps`:
    else the `define` default, true unless the Sequelize `define` options say otherwise — never
    the model's own) and `through: { model, paranoid }` (`through_paranoid`).
    `through` as a model keeps its own table, `underscored` and timestamps. Without
    a primary key of its own (`through_has_primary_key`) the two keys become the join table's
    primary key; with one, they get a UNIQUE named `<table>_<fk>_<otherKey>_unique` (or
    `uniqueKey`), on attribute names."""
    _check_naming_collision(source, as_ or target.plural)
    if source is target or source == target:
        if not as_:
            raise SequelizeError("'as' must be defined for many-to-many self-associations")
        target_singular = singularize(as_)
    else:
        target_singular = target.singular
    fk = foreign_key or camelize(f"{source.singular}_{source_key or source.primary_key}")
    if other_key:
        ok = other_key
    elif paired_foreign_key:
        ok = paired_foreign_key
    else:
        ok = camelize(f"{target_singular}_{target_key or target.primary_key}")
    if isinstance(through, Model):
        table, underscored = through.table, through.underscored
        stamps = through.timestamp_attributes()
    else:
        definer = through_defined_by or source
        table, underscored, through_has_primary_key = through, definer.underscored, False
        stamps = definer.timestamp_attributes(timestamps=timestamps, paranoid=through_paranoid)
    unique_name = None
    if through_has_primary_key and unique:
        unique_name = unique_key or f"{table}_{fk}_{ok}_unique"
    return JoinTable(
        table,
        ForeignKey(fk, column_name(fk, underscored=underscored)),
        ForeignKey(ok, column_name(ok, underscored=underscored)),
        not through_has_primary_key,
        unique_name,
        {a: column_name(a, underscored=underscored) for a in stamps.values()},
    )


def _check_naming_collision(source: Model, as_name: str) -> None:
    """`Helpers.checkNamingCollision`: an association named like an attribute of its source
    (its key, or a timestamp renamed to that name) makes Sequelize throw."""
    attributes = {source.primary_key, *source.timestamp_attributes().values()}
    if as_name in attributes:
        raise SequelizeError(
            f"Naming collision between attribute '{as_name}' and association '{as_name}' on "
            f"model {source.name}. To remedy this, change either foreignKey or as in your "
            "association definition"
        )


# -- indexes and constraints --------------------------------------------------------------------

IndexField = str | Mapping[str, str] | None
"""An entry of an index's `fields`: a name, an object with `name` / `attribute`, or None for what
has neither (`sequelize.fn(...)`, `sequelize.literal(...)`: Sequelize joins an empty string)."""


@dataclass(frozen=True)
class TableRef:
    """A table given as `{ tableName, schema }`."""

    table: str
    schema: str | None = None


def index_name(table: str | TableRef, fields: Sequence[IndexField]) -> str:
    """`Utils.nameIndex`, for a model's `indexes` without `name` (on the model's table name, its
    schema left out): `underscore(<table>_<fields joined by _>)`, so `Users` + `createdAt` ->
    `users_created_at`, `Users` + `UserId` -> `users__user_id`."""
    if isinstance(table, TableRef):
        table = table.table
    names = [_field_name(field, attribute_first=False) for field in fields]
    return underscore(f"{table}_{'_'.join(names)}")


def add_index_name(
    table: str | TableRef, fields: Sequence[IndexField], dialect: Dialect = "postgres"
) -> str:
    """`queryInterface.addIndex(table, fields)` without `name`: `nameIndex` on the table name
    with dots made `_` and quotes dropped (`'public.Users'` -> `public__users_email`), an object
    field's `attribute` before its `name`; as Sequelize writes it in the SQL, unquoted (the
    dialect's quote character dropped; a name with a dot, from a `{ tableName }` or a field, is
    written qualified, `"a->b"."c"`: given here as `a->b.c`)."""
    if isinstance(table, TableRef):
        prefix = table.table
    else:
        prefix = re.sub("[\"']", "", table.replace(".", "_"))
    names = [_field_name(field, attribute_first=True) for field in fields]
    return _quoted_identifiers(underscore(f"{prefix}_{'_'.join(names)}")).replace(
        _QUOTE[dialect], ""
    )


def _quoted_identifiers(name: str) -> str:
    """`quoteIdentifiers` without the quotes: `a.b.c` is written `"a->b"."c"`, so `a->b.c`."""
    if "." not in name:
        return name
    *head, tail = name.split(".")
    return "->".join(head) + "." + tail


def _field_name(field: IndexField, *, attribute_first: bool) -> str:
    if field is None:
        return ""
    if isinstance(field, str):
        return field
    keys = ("attribute", "name") if attribute_first else ("name", "attribute")
    return next((field[key] for key in keys if field.get(key)), "")


ConstraintType = Literal["unique", "check", "primary key", "foreign key"]
_SUFFIX = {"unique": "_uk", "check": "_ck", "primary key": "_pk"}


def constraint_name(
    table: str | TableRef,
    constraint_type: ConstraintType,
    fields: Sequence[str],
    *,
    references_table: str | TableRef | None = None,
    dialect: Dialect = "postgres",
) -> str:
    """`queryInterface.addConstraint(table, { type, fields })` without `name`:
    `<table>_<fields joined by _>_uk` (`_ck`, `_pk`), `<table>_<fields>_<references.table>_fk`.
    Sequelize builds it from the quoted table and fields and quotes it again, so the quote
    characters vanish and a schema shows: `public.Users_email_uk`; a dotted table name is quoted
    as `"a->b"."c"`. On SQLite (whose `addConstraint` re-creates the table) the table goes in
    unquoted, and a `{ tableName, schema }` table as `[object Object]`; everywhere, a
    `references.table` given as an object is written `[object Object]`."""
    quote = _QUOTE[dialect]
    if dialect == "sqlite":
        table_text = "[object Object]" if isinstance(table, TableRef) else table
    elif isinstance(table, TableRef):
        table_text = f"{table.schema}.{table.table}" if table.schema else table.table
    else:
        table_text = _quoted_identifiers(table)
    name = f"{table_text}_{'_'.join(fields)}"
    if constraint_type == "foreign key":
        referenced = (
            "[object Object]" if isinstance(references_table, TableRef) else references_table
        )
        name += f"_{referenced}_fk"
    else:
        name += _SUFFIX[constraint_type]
    return name.replace(quote, "")


def mysql_add_column_foreign_key_name(table: str, column: str) -> str:
    """MySQL / MariaDB `queryInterface.addColumn(table, column, { references })`: Sequelize
    names the constraint `<table>_<column>_foreign_idx` (PostgreSQL and SQLite leave it to the
    database)."""
    return f"{table}_{column}_foreign_idx".replace("`", "")
