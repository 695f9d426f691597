"""Our Sequelize names equal Sequelize's own: npm `sequelize` 6.37.8 and its `inflection` 1.13.4
(the repository's package.json) build real models and associations and run `queryInterface` on
the same inputs (`sequelize_naming.cjs`). Inputs: every identifier-shaped name of the Sequelize
corpus (the string literals, object keys and class names of the models and migrations of
grouparoo, opencollective-api and gladys under ../shared/corpus/sequelize, read where the corpus
is present: it is third-party data and is not copied here) plus generated ones: camel humps,
acronyms, digits, every uncountable word and every inflection rule's word in three cases and
behind a prefix, words ending in s / x / y / us / is / man / person / child, separators, non-
ASCII and astral characters."""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from schemasense.codegen.orms.sequelize import inflection
from schemasense.codegen.orms.sequelize.naming import (
    SequelizeError,
    TableRef,
    add_index_name,
    belongs_to_key,
    belongs_to_many,
    camelize,
    combine_table_names,
    constraint_name,
    has_many_key,
    has_one_key,
    index_name,
    model,
    model_columns,
    model_name_forms,
    mysql_add_column_foreign_key_name,
    pluralize,
    postgres_enum_type,
    singularize,
    table_name,
    timestamp_attributes,
    underscore,
    version_attribute,
)

from tests.conftest import CORPUS as CORPUS_DIR
from tests.conftest import corpus_available
from tests.oracle.prisma import REPO_ROOT, _node

pytestmark = pytest.mark.oracle
SCRIPT = Path(__file__).with_name("sequelize_naming.cjs")
_NAME = re.compile(
    r"""['"]([A-Za-z_$][A-Za-z0-9_$]*)['"]|\bclass\s+([A-Za-z_$][A-Za-z0-9_$]*)"""
    r"""|^\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*:""",
    re.M,
)


def _corpus_names() -> list[str]:
    """Every identifier-shaped string literal, class name and object key of the Sequelize
    corpus's models and migrations (none where the corpus is absent)."""
    if corpus_available() is not None:
        return []
    names: set[str] = set()
    for path in (CORPUS_DIR / "sequelize").rglob("*"):
        if path.suffix not in (".js", ".ts", ".cjs") or "node_modules" in path.parts:
            continue
        if not {"models", "migrations"} & set(path.parts):
            continue
        for match in _NAME.finditer(path.read_text(encoding="utf-8", errors="replace")):
            names.add(next(g for g in match.groups() if g))
    return sorted(names)


CORPUS = _corpus_names()

RULE_WORDS = """
man woman men women person people child children tia data datum media medium criteria criterion
analysis analyses basis bases diagnosis parenthesis prognosis synopsis thesis theses database
databases drive drives hive hives archive objective curve curves wolf wolves half halves shelf
scarf leaf wife wives knife life lives safe dove doves wave waves movie movies company companies
day days query queries soliloquy series mouse mice louse lice house houses box boxes church
churches glass dress wish wishes bus buses buss shoe shoes potato potatoes tomato buffalo hero
crisis crises axis axes test testis testes octopus octopi virus viruses alias aliases status
statuses canvas campus campuses summons bonus bonuses ox oxen oxford matrix matrices vertex
vertices index indices indexes foot feet tooth teeth goose geese quiz quizzes whereas genus
genera focus address addresses process class classes user users category categories stadium
album premium quota meta beta delta pizza agenda human humans salesman salesperson chairman
gentleman craftsman saleswoman grandchild stepchild employee news series species information
address_book access beer business fish gas
"""
STEMS = [*RULE_WORDS.split(), *sorted(inflection.UNCOUNTABLE_WORDS)]
PIECES = [
    *("User", "user", "API", "HTML", "Id", "id", "ID", "OAuth", "2", "10", "v2", "Type"),
    *("_", "__", "-", " ", "::", "/", ".", "'", '"', "`", "$", "\t", "\n", "\u2028", "\ufeff"),
    *("é", "É", "ß", "İ", "\u0131", "Σ", "ς", "\u017f", "\u212a", "ﬃ", "😀", "𐐨", "ǅ", "Ω", "ŉ"),
    *("s", "x", "y", "us", "is", "man", "person", "child", "es", "ies", "ves"),
]


def _cased(word: str) -> list[str]:
    return [word, word.capitalize(), word.upper(), "Old" + word.capitalize(), "my_" + word]


def _generated(rng: random.Random, count: int) -> list[str]:
    words = []
    for _ in range(count):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.6:
            parts.append(rng.choice(STEMS))
        words.append("".join(parts))
    return words


def _words() -> list[str]:
    rng = random.Random(20261207)
    words = list(CORPUS)
    for stem in STEMS:
        words += _cased(stem)
    words += _generated(rng, 1500)
    return list(dict.fromkeys(words))


def _model_spec(rng: random.Random, pool: list[str], name: str | None = None) -> dict:
    options: dict = {}
    if rng.random() < 0.3:
        options["underscored"] = True
    if rng.random() < 0.15:
        options["freezeTableName"] = True
    if rng.random() < 0.1:
        options["tableName"] = rng.choice(pool)
    if rng.random() < 0.1:
        options["name"] = {"singular": rng.choice(pool)}
    spec: dict = {"name": name or rng.choice(pool), "options": options}
    if rng.random() < 0.3:
        spec["primaryKey"] = rng.choice(["uuid", "user_id", "ID", "code", "Key"])
    return spec


def _ours_model(spec: dict):
    options = spec["options"]
    name = options.get("name", {})
    return model(
        spec["name"],
        table_name_option=options.get("tableName"),
        freeze_table_name=options.get("freezeTableName", False),
        underscored=options.get("underscored", False),
        singular=name.get("singular"),
        plural=name.get("plural"),
        primary_key=spec.get("primaryKey", "id"),
        timestamps=options.get("timestamps", True),
        paranoid=options.get("paranoid", False),
        created_at=options.get("createdAt"),
        updated_at=options.get("updatedAt"),
        deleted_at=options.get("deletedAt"),
    )


def _cases() -> list[list]:
    words = _words()
    rng = random.Random(7)
    # names for models, attributes and keys: the corpus's, the rule words', and generated ones
    # (those ending in `_` or `-` make Sequelize's camelize throw, and are tested there)
    generated = [w for w in _generated(random.Random(11), 300) if w.strip(" \t\n\u2028\ufeff")]
    pool = [w for w in CORPUS + [w for s in STEMS for w in _cased(s)] + generated]
    pool = [w for w in pool if w[-1] not in "_-"]
    cases: list[list] = []
    for word in words:
        cases += [
            ["pluralize", [word]],
            ["singularize", [word]],
            ["underscore", [word]],
            ["inflectionUnderscore", [word, True]],
            ["camelize", [word]],
            ["inflectionCamelize", [word, False]],
            ["inflectionCamelize", [word, True]],
        ]
        other = rng.choice(words)
        cases.append(["combineTableNames", [word, other]])
        cases.append(["enumName", [word, other]])
        cases.append(["mysqlAddColumnForeignKey", [word, other]])
    for _ in range(600):
        spec = _model_spec(rng, pool)
        spec["options"].update(_timestamp_options(rng, pool))
        spec["attributes"] = {
            rng.choice(pool): rng.choice([None, None, rng.choice(pool)]) for _ in range(3)
        }
        spec["attributes"].pop(spec.get("primaryKey"), None)
        if rng.random() < 0.1:
            spec["attributes"][rng.choice(["createdAt", "updatedAt", "version"])] = "declared"
        if rng.random() < 0.2:
            spec["options"]["version"] = rng.choice([True, False, "lockVersion"])
        fields = rng.sample(pool, rng.randint(1, 3))
        spec["options"]["indexes"] = [{"fields": fields}]
        cases.append(["model", [spec]])
    for _ in range(400):
        source, target = _model_spec(rng, pool), _model_spec(rng, pool)
        if source["name"] == target["name"]:
            continue
        source["attributes"], target["attributes"] = {"handle": None}, {"slug": None}
        options = {}
        if rng.random() < 0.4:
            options["as"] = rng.choice(pool)
        if rng.random() < 0.1:
            options["foreignKey"] = rng.choice(pool)
        # a sourceKey / targetKey does not name the key of these three
        keyed = rng.random() < 0.3
        to_options = {**options, "targetKey": "slug"} if keyed else options
        has_options = {**options, "sourceKey": "handle"} if keyed else options
        cases += [
            ["belongsTo", [source, target, to_options]],
            ["hasMany", [source, target, {k: v for k, v in has_options.items() if k != "as"}]],
            ["hasOne", [source, target, has_options]],
        ]
    for _ in range(400):
        cases.append(["belongsToMany", _belongs_to_many_args(rng, pool)])
    tables = [*pool[:50], "public.Users", "a.b.c", 'Qu"oted', "it's", "Users"]
    fields_pool = words
    for _ in range(1500):
        table: object = rng.choice(tables + [w for w in words if '"' not in w][:300])
        if rng.random() < 0.15:
            table = {"table": rng.choice(pool), "schema": rng.choice(["public", "s", None])}
        fields = [_index_field(rng, fields_pool) for _ in range(rng.randint(1, 3))]
        cases.append(["nameIndex", [table, fields]])
        cases.append(["addIndex", [table, fields]])
        cases.append(["mysqlAddIndex", [table, fields]])
        cases.append(["sqliteAddIndex", [table, fields]])
        kind = rng.choice(["unique", "check", "primary key", "foreign key"])
        plain = [f for f in fields if isinstance(f, str)] or ["x"]
        references = None
        if kind == "foreign key":
            references = rng.choice([rng.choice(pool), {"table": "Users", "schema": "public"}])
        cases.append(["addConstraint", [table, kind, plain, references]])
        cases.append(["mysqlAddConstraint", [table, kind, plain, references]])
        cases.append(["sqliteAddConstraint", [table, kind, plain, references]])
    return cases


def _timestamp_options(rng: random.Random, pool: list[str]) -> dict:
    options: dict = {}
    if rng.random() < 0.1:
        options["timestamps"] = False
    if rng.random() < 0.4:
        options["paranoid"] = True
    for role in ("createdAt", "updatedAt", "deletedAt"):
        roll = rng.random()
        if roll < 0.1:
            options[role] = False
        elif roll < 0.2:
            options[role] = rng.choice(pool)
        elif roll < 0.22:
            options[role] = ""
        elif roll < 0.25:
            options[role] = True
    return options


def _index_field(rng: random.Random, pool: list[str]):
    roll = rng.random()
    if roll < 0.8:
        return rng.choice(pool)
    if roll < 0.9:
        return {"name": rng.choice(pool), "attribute": rng.choice(pool)}
    if roll < 0.95:
        return {"attribute": rng.choice(pool)}
    return None


def _belongs_to_many_args(rng: random.Random, pool: list[str]) -> list:
    source = _model_spec(rng, pool)
    source["options"].update(_timestamp_options(rng, pool))
    self_association = rng.random() < 0.15
    target = source if self_association else _model_spec(rng, pool)
    if not self_association and target["name"] == source["name"]:
        target["name"] += "Other"
    options: dict = {}
    if self_association or rng.random() < 0.3:
        options["as"] = rng.choice(pool)
    if rng.random() < 0.2:
        options["foreignKey"] = rng.choice(pool)
    if rng.random() < 0.2:
        options["otherKey"] = rng.choice(pool)
    if rng.random() < 0.1:
        options["uniqueKey"] = rng.choice(pool)
    if rng.random() < 0.2:
        options["timestamps"] = rng.choice([True, False])
    if rng.random() < 0.2:
        source["attributes"], options["sourceKey"] = {"handle": None}, "handle"
    if not self_association and rng.random() < 0.2:
        target["attributes"], options["targetKey"] = {"slug": None}, "slug"
    through: object = rng.choice(pool) + "Link"
    if rng.random() < 0.2:
        through = {"model": through, "paranoid": rng.choice([True, False])}
    if rng.random() < 0.4:
        through = _model_spec(rng, pool, name=rng.choice(pool) + "Membership")
    define = {"underscored": True} if rng.random() < 0.3 else {}
    reverse = None
    if not self_association and "otherKey" not in options and rng.random() < 0.3:
        reverse = {"foreignKey": rng.choice(pool)} if rng.random() < 0.5 else {}
    return [source, target, through, options, define, reverse]


# -- ours ---------------------------------------------------------------------------------------


def _table_arg(table):
    return TableRef(table["table"], table["schema"]) if isinstance(table, dict) else table


def _ours(kind: str, args: list):
    if kind == "pluralize":
        return pluralize(args[0])
    if kind == "singularize":
        return singularize(args[0])
    if kind == "underscore":
        return underscore(args[0])
    if kind == "inflectionUnderscore":
        return inflection.underscore(*args)
    if kind == "inflectionCamelize":
        return inflection.camelize(*args)
    if kind == "camelize":
        return camelize(args[0])
    if kind == "combineTableNames":
        return combine_table_names(*args)
    if kind == "enumName":
        return postgres_enum_type(*args)
    if kind == "mysqlAddColumnForeignKey":
        return mysql_add_column_foreign_key_name(*args)
    if kind == "nameIndex":
        return index_name(_table_arg(args[0]), args[1])
    if kind in ("addIndex", "mysqlAddIndex", "sqliteAddIndex"):
        return add_index_name(_table_arg(args[0]), args[1], _dialect(kind))
    if kind in ("addConstraint", "mysqlAddConstraint", "sqliteAddConstraint"):
        table, constraint_type, fields, references = args
        references = _table_arg(references) if references is not None else None
        return constraint_name(
            _table_arg(table),
            constraint_type,
            fields,
            references_table=references,
            dialect=_dialect(kind),
        )
    if kind == "model":
        return _ours_model_answer(args[0])
    if kind in ("belongsTo", "hasMany", "hasOne"):
        source, target, options = args
        function = {"belongsTo": belongs_to_key, "hasMany": has_many_key, "hasOne": has_one_key}
        keyword = {"foreign_key": options.get("foreignKey")}
        if kind != "hasMany":
            keyword["as_"] = options.get("as")
        key = function[kind](_ours_model(source), _ours_model(target), **keyword)
        return {"attribute": key.attribute, "column": key.column}
    if kind == "belongsToMany":
        return _ours_belongs_to_many(*args)
    raise AssertionError(kind)


def _dialect(kind: str):
    return next((d for d in ("mysql", "sqlite") if kind.startswith(d)), "postgres")


def _ours_model_answer(spec: dict) -> dict:
    options = spec["options"]
    underscored = options.get("underscored", False)
    forms = model_name_forms(spec["name"], options.get("name", {}).get("singular"))
    table = table_name(
        spec["name"],
        table_name=options.get("tableName"),
        freeze_table_name=options.get("freezeTableName", False),
        underscored=underscored,
    )
    timestamps = timestamp_attributes(
        timestamps=options.get("timestamps", True),
        paranoid=options.get("paranoid", False),
        created_at=options.get("createdAt"),
        updated_at=options.get("updatedAt"),
        deleted_at=options.get("deletedAt"),
    )
    attributes = dict.fromkeys([spec["primaryKey"]] if "primaryKey" in spec else [])
    attributes.update(spec["attributes"])
    columns = model_columns(
        attributes,
        primary_key_declared="primaryKey" in spec,
        underscored=underscored,
        timestamps=timestamps,
        version=version_attribute(options.get("version")),
    )
    return {
        "table": table,
        "singular": forms[0],
        "plural": forms[1],
        "columns": columns,
        "timestamps": timestamps,
        "indexes": [index_name(table, index["fields"]) for index in options["indexes"]],
    }


def _with_define(spec: dict, define: dict) -> dict:
    """A model spec as `sequelize.define` sees it: the `define` options under its own."""
    return {**spec, "options": {**define, **spec["options"]}}


def _ours_belongs_to_many(source, target, through, options, define, reverse) -> dict:
    source_model = _ours_model(_with_define(source, define))
    self_association = target == source
    target_model = source_model if self_association else _ours_model(_with_define(target, define))
    through_paranoid = False
    if isinstance(through, dict) and "model" in through:
        through, through_paranoid = through["model"], through["paranoid"]
    elif isinstance(through, dict):
        through = _with_define(through, define)
    paired = None
    if reverse is not None:
        paired = belongs_to_many(
            target_model,
            source_model,
            _ours_through(through),
            foreign_key=reverse.get("foreignKey"),
        ).foreign_key.attribute
    join = belongs_to_many(
        source_model,
        target_model,
        _ours_through(through),
        as_=options.get("as"),
        foreign_key=options.get("foreignKey"),
        other_key=options.get("otherKey"),
        source_key=options.get("sourceKey"),
        target_key=options.get("targetKey"),
        paired_foreign_key=paired,
        through_defined_by=None if reverse is None else target_model,
        timestamps=(options if reverse is None else reverse).get("timestamps", True),
        through_paranoid=through_paranoid,
        through_has_primary_key=isinstance(through, dict) and "primaryKey" in through,
        unique_key=options.get("uniqueKey"),
    )
    return {
        "table": join.table,
        "foreignKey": {"attribute": join.foreign_key.attribute, "column": join.foreign_key.column},
        "otherKey": {"attribute": join.other_key.attribute, "column": join.other_key.column},
        "primaryKey": join.primary_key,
        "unique": join.unique_name,
        "timestampColumns": join.timestamp_columns,
    }


def _ours_through(through):
    return through if isinstance(through, str) else _ours_model(through)


# -- the comparison -----------------------------------------------------------------------------


def _theirs(cases: list[list]) -> list:
    node = _node()
    if node is None or not (REPO_ROOT / "node_modules" / "sequelize").is_dir():
        pytest.skip("node or the npm packages (npm ci at the repo root) are missing")
    proc = subprocess.run(
        [node, str(SCRIPT), str(REPO_ROOT)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(proc.stdout)


def test_every_name_equals_sequelizes():
    cases = _cases()
    theirs = _theirs(cases)
    wrong, threw = [], 0
    for (kind, args), expected in zip(cases, theirs, strict=True):
        try:
            got = _ours(kind, args)
        except SequelizeError as error:
            got = {"error": str(error)}
        if isinstance(expected, dict) and set(expected) == {"error"}:
            threw += 1
            if not (isinstance(got, dict) and set(got) == {"error"}):
                wrong.append(f"{kind}{tuple(args)!r}: ours {got!r}, Sequelize threw {expected}")
        elif got != expected:
            wrong.append(f"{kind}{tuple(args)!r}: ours {got!r}, Sequelize {expected!r}")
    assert not wrong, f"{len(wrong)} of {len(cases)} differ:\n" + "\n".join(wrong[:30])
    assert len(cases) > 10_000
    assert threw < len(cases) // 20, "most inputs must name something"


def test_the_rules_are_the_packages_every_one_in_order():
    """Beyond behaving alike: the rule tables and uncountable words are inflection's own."""
    (source,) = _theirs([["inflectionSource", []]])
    for rules, ours in (
        ("plural", inflection.PLURAL_RULES),
        ("singular", inflection.SINGULAR_RULES),
    ):
        theirs = [(source["patterns"][name], replacement) for name, replacement in source[rules]]
        assert [(p.pattern.replace(r"\Z", "$"), r) for p, r in ours] == theirs
    assert set(source["uncountable"]) == inflection.UNCOUNTABLE_WORDS
    assert len(source["uncountable"]) == len(inflection.UNCOUNTABLE_WORDS) == 202


@pytest.mark.parametrize(
    ("word", "plural", "singular"),
    [
        ("User", "Users", "User"),
        ("Person", "People", "Person"),
        ("Category", "Categories", "Category"),
        ("Data", "Data", "Datum"),
        ("Status", "Statuses", "Status"),
        ("Index", "Indices", "Index"),
        ("News", "News", "News"),
        ("UserInformation", "UserInformations", "UserInformation"),
        ("Quota", "Quota", "Quotum"),
    ],
)
def test_inflection_one_line_each(word, plural, singular):
    assert pluralize(word) == plural
    assert singularize(word) == singular


def test_defaults_a_reader_meets():
    user, post = model("User"), model("Post", underscored=True)
    assert (user.table, post.table) == ("Users", "posts")
    assert belongs_to_key(post, user) == belongs_to_key(post, user, foreign_key="UserId")
    assert belongs_to_key(post, user).column == "user_id"
    assert belongs_to_key(post, user, as_="author").attribute == "authorId"
    assert has_one_key(user, post, as_="avatar").attribute == "avatarId"
    assert has_many_key(user, post, foreign_key=None).attribute == "UserId"
    join = belongs_to_many(user, model("Group"), "UserGroups")
    assert (join.foreign_key.attribute, join.other_key.attribute) == ("UserId", "GroupId")
    assert index_name("Users", ["UserId", "createdAt"]) == "users__user_id_created_at"
    assert add_index_name("public.Users", ["email"]) == "public__users_email"
    assert constraint_name("Users", "unique", ["email"]) == "Users_email_uk"
    fk = constraint_name("Posts", "foreign key", ["userId"], references_table="Users")
    assert fk == "Posts_userId_Users_fk"
    with pytest.raises(SequelizeError):
        camelize("user_")
