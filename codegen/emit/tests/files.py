"""The test files for a schema: the runner's config, the set-up, the helpers, the factories
and one test file per model, as `GeneratedFile`s (paths relative to the project root).

`test_files(schema, target)` renders the plan (`plan.py`) through the templates in
`codegen/templates/tests/`, in the ORM's flavour (`orm.py`), for the project's runner: Vitest
(`vitest.config.ts`) or Jest (`jest.config.cjs`, a CommonJS file because Jest reads a
TypeScript config only through ts-node). The test files are the same for both runners but for
the module they import `describe`, `it` and `expect` from. Nothing here reads or writes the
disk; `package_json(text, flavour, out, ext, runner)` gives the project's package.json with
what the tests need added (never removing or changing what is there).

Jest runs the TypeScript through `@swc/jest`, not ts-jest: ts-jest 29 refuses TypeScript 7
(`typescript >=4.3 <7`), while swc compiles with no TypeScript of the project's at all, and
writes the decorator metadata TypeORM and sequelize-typescript read (`legacyDecorator`,
`decoratorMetadata`, class fields assigned as tsc's `useDefineForClassFields: false` does).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field

from schemasense.codegen.emit.migrations.files import GeneratedFile, render
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.schema import Schema

from .orm import Flavour
from .plan import IndexCase, ModelPlan, Parent, plan_model, settle_parents, testable_tables
from .restyle import requote

MARKER = "_schemasense_test_migrations"

RUNNERS = ("vitest", "jest")

RUNNER_DEPENDENCIES: dict[str, dict[str, str]] = {
    "vitest": {"vitest": "^4.1.12"},
    # @swc/jest (with @swc/core) compiles the TypeScript: ts-jest refuses TypeScript 7
    "jest": {
        "@jest/globals": "^30.5.2",
        "@swc/core": "^1.16.22",
        "@swc/jest": "^0.2.39",
        "jest": "^30.5.2",
    },
}
"""What each runner adds to the project's devDependencies (the ORM's own come from its flavour)."""

RUNNER_MODULES = {"vitest": "vitest", "jest": "@jest/globals"}
"""Where a test file imports `describe`, `it`, `expect` and the hooks from."""


@dataclass(frozen=True)
class TestTarget:
    """Where and how the tests are written."""

    flavour: Flavour
    out: str = "test/db"
    """The folder, relative to the project root (POSIX)."""
    source: str = "the schema"
    """What the header names as the source (a path relative to the project root)."""
    migrations: str = "prisma/migrations"
    """The migrations folder, relative to the project root."""
    models: tuple[str, ...] = ()
    """Only these models' test files (all when empty); the shared files are always written."""
    style: CodeStyle = field(default_factory=CodeStyle)
    dialect: str = "postgresql"
    soft_delete: dict[str, str] = field(default_factory=dict)
    """Table -> the column its ORM soft-deletes with."""
    relation_fks: frozenset[str] = frozenset()
    """Foreign keys (by name) the ORM sets through a relation property (TypeORM)."""
    runner: str = "vitest"
    """`vitest` or `jest`."""


def plans(
    schema: Schema,
    soft_delete: dict[str, str] | None = None,
    as_string: frozenset[str] = frozenset(),
    relation_fks: frozenset[str] = frozenset(),
) -> list[ModelPlan]:
    soft = soft_delete or {}
    return settle_parents(
        [
            plan_model(t, schema, soft.get(t.name), as_string, relation_fks)
            for t in testable_tables(schema)
        ]
    )


def test_files(schema: Schema, target: TestTarget) -> list[GeneratedFile]:
    all_plans = plans(schema, target.soft_delete, target.flavour.as_string, target.relation_fks)
    chosen = [p for p in all_plans if not target.models or p.model in target.models]
    ext = target.style.language
    to_root = posixpath.relpath(".", target.out)
    common = {
        "source": target.source,
        "out": target.out,
        "ext": ext,
        "to_root": to_root,
        "marker": MARKER,
        "dialect": target.dialect,
        "migrations": target.migrations,
        "flavour": target.flavour,
        "runner": target.runner,
        "test_module": RUNNER_MODULES[target.runner],
        **_sql_helpers(target),
        **_orm_helpers(target),
    }
    out = [
        GeneratedFile(
            f"{target.out}/{config_name(target.runner, ext)}",
            render(f"tests/{target.runner}.config.j2", **common),
        ),
        GeneratedFile(
            f"{target.out}/global-setup.{ext}",
            render(
                target.flavour.setup_template or f"tests/{target.flavour.name}/global-setup.ts.j2",
                **common,
            ),
        ),
        GeneratedFile(f"{target.out}/db.{ext}", render(target.flavour.helpers_template, **common)),
        GeneratedFile(
            f"{target.out}/factories.{ext}",
            render(
                "tests/factories.ts.j2",
                plans=all_plans,
                uses_uuid=any("randomUUID()" in v.ts for p in all_plans for v in p.values),
                **common,
            ),
        ),
    ]
    for p in chosen:
        text = render(
            "tests/model.test.ts.j2",
            p=p,
            helper_imports=_helper_imports(p, target.flavour.name == "sequelize"),
            factory_imports=_factory_imports(p),
            model_imports=target.flavour.imports(_models_used(p)),
            **common,
        )
        name = target.style.file_stem(p.model, "test")
        out.append(GeneratedFile(f"{target.out}/{name}.{ext}", text))
    return [
        GeneratedFile(f.path, requote(_indent(f.text, target.style), target.style.quote))
        for f in out
    ]


def config_name(runner: str, ext: str = "ts") -> str:
    """The runner's config file in the test folder."""
    return "jest.config.cjs" if runner == "jest" else f"vitest.config.{ext}"


def _helper_imports(p: ModelPlan, sequelize: bool = False) -> list[str]:
    names = {"disconnect", "reset"}
    if not p.unusable:
        names.add("sql")
        if p.updated_at or p.indexes or p.soft_delete:
            names.add("models" if sequelize else "db")
        if p.indexes:
            names.add("queryPlan")
    return sorted(names)


def _factory_imports(p: ModelPlan) -> list[str]:
    if p.unusable:
        return []
    names = {f"make{p.model}"}
    names |= {f"make{fk.model}" for fk in p.foreign_keys if fk.nullable}
    names |= {f"make{parent.model}" for i in p.indexes for parent in i.optional_parents}
    names |= {f"make{parent.model}" for u in p.uniques for parent in u.parents if parent.nullable}
    return sorted(names)


def _models_used(p: ModelPlan) -> list[str]:
    """The models a test file names in ORM calls (its own, for updates and lookups)."""
    return [p.model] if not p.unusable and (p.updated_at or p.indexes or p.soft_delete) else []


def _orm_helpers(target: TestTarget) -> dict[str, object]:
    """How a row's column values are read and set, foreign keys through the ORM's flavour."""
    flavour = target.flavour

    def parent_of(p: ModelPlan, column: str) -> tuple[Parent, int] | None:
        for parent in p.foreign_keys:
            if column in parent.columns:
                return parent, parent.columns.index(column)
        return None

    def field_of(p: ModelPlan, column: str) -> str:
        for c, f in p.key:
            if c == column:
                return f
        for v in p.values:
            if v.column == column:
                return v.field
        return p.fields.get(column, column)

    def value_of(p: ModelPlan, column: str, row: str) -> str:
        found = parent_of(p, column)
        if found is not None:
            return flavour.fk_get(found[0], found[1], row)
        return f"{row}.{field_of(p, column)}"

    def values_of(p: ModelPlan, columns, row: str) -> list[str]:
        return [value_of(p, c, row) for c in columns]

    def assign(p: ModelPlan, columns, row: str) -> str:
        parts = []
        done: set[tuple[str, ...]] = set()
        for column in columns:
            found = parent_of(p, column)
            if found is None:
                bang = "!" if column in p.nullable else ""
                parts.append(f"{field_of(p, column)}: {row}.{field_of(p, column)}{bang}")
                continue
            parent = found[0]
            if parent.columns in done:  # by its columns: SQLite's foreign keys have no name
                continue
            done.add(parent.columns)
            values = [flavour.fk_get(parent, i, row) for i in range(len(parent.columns))]
            parts.append(flavour.fk_set(parent, values))
        return ", ".join(parts)

    def parent_values(parent: Parent, row: str) -> list[str]:
        return [f"{row}.{f}" for f in parent.parent_fields]

    def fk_values(parent: Parent, row: str) -> list[str]:
        return [flavour.fk_get(parent, i, row) for i in range(len(parent.columns))]

    return {
        "value_of": value_of,
        "values_of": values_of,
        "assign": assign,
        "parent_values": parent_values,
        "fk_values": fk_values,
    }


def _indent(text: str, style: CodeStyle) -> str:
    if style.indent == "  ":
        return text
    lines = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 2
        lines.append(style.indent * depth + stripped)
    return "\n".join(lines)


def _sql_helpers(target: TestTarget) -> dict[str, object]:
    """The functions the templates build SQL and TypeScript with."""
    mysql = target.dialect == "mysql"
    style = target.style

    def q(name: str) -> str:
        return f"`{name}`" if mysql else f'"{name}"'

    def ph(i: int) -> str:
        return "?" if target.dialect != "postgresql" else f"${i}"

    def ts_string(text: str) -> str:
        quote = style.quote
        other = "'" if quote == '"' else '"'
        if quote in text and other not in text:
            quote = other
        escaped = text.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
        return f"{quote}{escaped}{quote}"

    def key_where_sql(p: ModelPlan, start: int = 1) -> str:
        return " AND ".join(f"{q(c)} = {ph(start + i)}" for i, (c, _) in enumerate(p.key))

    def select_key(p: ModelPlan) -> str:
        return f"SELECT 1 AS found FROM {q(p.table)} WHERE {key_where_sql(p)}"

    def select_columns(p: ModelPlan, columns: tuple[str, ...]) -> str:
        picked = ", ".join(f"{q(c)} AS {q(column_alias(c))}" for c in columns)
        return f"SELECT {picked} FROM {q(p.table)} WHERE {key_where_sql(p)}"

    def column_alias(column: str) -> str:
        return "v_" + "".join(ch if ch.isalnum() else "_" for ch in column)

    def update_sql(p: ModelPlan, column: str, value: str) -> str:
        return f"UPDATE {q(p.table)} SET {q(column)} = {value} WHERE {key_where_sql(p)}"

    def delete_parent_sql(fk: Parent) -> str:
        where = " AND ".join(f"{q(c)} = {ph(i + 1)}" for i, c in enumerate(fk.parent_columns))
        return f"DELETE FROM {q(fk.table)} WHERE {where}"

    def key_params(p: ModelPlan, row: str) -> str:
        return "[" + ", ".join(f"{row}.{f}" for _, f in p.key) + "]"

    def key_where(p: ModelPlan, row: str) -> str:
        return "{ " + ", ".join(f"{f}: {row}.{f}" for _, f in p.key) + " }"

    def key_of(p: ModelPlan, row: str) -> str:
        if len(p.key) == 1:
            return f"{row}.{p.key[0][1]}"
        return "[" + ", ".join(f"{row}.{f}" for _, f in p.key) + "]"

    def index_where(i: IndexCase, row: str) -> str:
        return "{ " + ", ".join(f"{f}: {row}.{f}" for f in i.fields) + " }"

    def index_sql(p: ModelPlan, i: IndexCase) -> str:
        where = " AND ".join(f"{q(c)} = {ph(n + 1)}" for n, c in enumerate(i.columns))
        if i.predicate:
            where += f" AND ({i.predicate})"
        return f"SELECT * FROM {q(p.table)} WHERE {where}"

    def on_delete_title(fk: Parent) -> str:
        what = {
            "Cascade": "deletes the row too",
            "SetNull": f"sets {', '.join(fk.fields)} to NULL",
            "SetDefault": f"sets {', '.join(fk.fields)} to its default",
        }.get(fk.on_delete, "is refused while the row points at it")
        return f"deleting the {fk.model} {what} ({fk.on_delete})"

    return {
        "str": ts_string,
        "sql_str": ts_string,
        "select_key": select_key,
        "select_columns": select_columns,
        "column_alias": column_alias,
        "update_sql": update_sql,
        "delete_parent_sql": delete_parent_sql,
        "key_params": key_params,
        "key_where": key_where,
        "key_of": key_of,
        "index_where": index_where,
        "index_sql": index_sql,
        "on_delete_title": on_delete_title,
    }


def package_json(
    text: str, flavour: Flavour, out: str, ext: str = "ts", runner: str = "vitest"
) -> tuple[str, list[str]]:
    """`text` (a package.json) with the tests' devDependencies (the runner's and the ORM's) and
    a `test:db` script added where missing; and what was added, to tell the user."""
    data = json.loads(text) if text.strip() else {}
    added: list[str] = []
    declared = {**data.get("dependencies", {}), **data.get("devDependencies", {})}
    dev = data.setdefault("devDependencies", {})
    wanted = {**RUNNER_DEPENDENCIES[runner], **flavour.dev_dependencies}
    for name, version in sorted(wanted.items()):
        if name not in declared:
            dev[name] = version
            added.append(f"{name}@{version}")
    scripts = data.setdefault("scripts", {})
    ours = {r: _script(r, out, ext) for r in RUNNERS}
    if "test:db" not in scripts:
        scripts["test:db"] = ours[runner]
        added.append("script test:db")
    elif scripts["test:db"] != ours[runner] and scripts["test:db"] in ours.values():
        # the script a run for the other runner wrote: now it runs this runner's tests
        scripts["test:db"] = ours[runner]
        added.append(f"script test:db (now {runner})")
    data["devDependencies"] = dict(sorted(dev.items()))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", added


def _script(runner: str, out: str, ext: str) -> str:
    config = f"{out}/{config_name(runner, ext)}"
    return f"jest --config {config}" if runner == "jest" else f"vitest run --config {config}"
