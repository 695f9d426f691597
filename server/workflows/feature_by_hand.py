"""What the project's models cannot declare, kept by hand in the migration, and said so.

A Prisma schema has no CHECK and no partial or expression index; a TypeORM entity and a
Sequelize model have no index on an expression; the migration generator carries a table's
CHECKs only where it writes the table whole. Here those pieces are added to the migration
files (Prisma's `migration.sql`, a TypeORM class's `up`/`down`), and each index only the
migration creates is marked with the suppression DB309's docs ask for, in the migration and on
the model (TypeORM also gets `@Index(name, { synchronize: false })`, so its schema sync keeps it).
"""

from __future__ import annotations

import re

from schemasense.codegen.emit.migrations.files import GeneratedFile
from schemasense.codegen.schema import Schema
from schemasense.server.project.analysis import ProjectAnalysis
from schemasense.server.workflows.feature_files import FeatureFile


def raw_steps(project: ProjectAnalysis, proj, tables) -> list[str]:
    """What Prisma's migration SQL leaves out and the description asks for: its CHECK
    constraints, as statements added to `migration.sql` (a Prisma migration is SQL the developer
    may extend; `prisma migrate deploy` runs it as it is). Partial and expression indexes, which
    a Prisma schema cannot declare either, are in the migration's target (`with_extras`), so
    the migration writes them itself."""
    from schemasense.codegen.dialects import get_dialect

    dialect = get_dialect(project.dialect)
    target: Schema = proj.declared
    out = []
    for t in tables:
        after = target.table(t.name)
        if after is None:
            continue
        before = proj.migrated.table(t.name)
        had_checks = {c.name for c in before.checks} if before else set()
        q = dialect.quote
        for c in after.checks:
            if c.name in had_checks:
                continue
            expression = c.expression if c.expression.upper().startswith("CHECK") else (
                f"CHECK ({c.expression})")  # fmt: skip
            out.append(f"ALTER TABLE {q(t.name)} ADD CONSTRAINT {q(c.name)} {expression};")
    return out


_ADD_CHECK = re.compile(
    r'^ALTER TABLE ("[^"]+"|`[^`]+`) ADD CONSTRAINT ("[^"]+"|`[^`]+`) CHECK .*;$'
)


def _literal(sql: str) -> str:
    """SQL as the text of a JavaScript template literal."""
    return sql.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")


def typeorm_checks(f: FeatureFile, checks: list[str], drop: list[str] | None = None) -> FeatureFile:
    """A TypeORM migration class with the CHECKs its entities' TypeORM does not write (a table
    that exists gains one; on MySQL, whose CHECKs TypeORM ignores, every one): each a
    `queryRunner.query` at the end of `up`; those of `drop` (default: all) dropped first in
    `down` (a table the migration creates takes its CHECKs with it)."""
    from dataclasses import replace

    if not checks or not f.path.endswith((".ts", ".js")):
        return f
    text = f.text
    up = re.search(r"async up\([^)]*\)[^{]*\{", text)
    down = re.search(r"async down\([^)]*\)[^{]*\{", text)
    if up is None or down is None:
        return f
    indent = "        "
    adds = "".join(
        f"{indent}await queryRunner.query(`{_literal(c.rstrip(';'))}`);\n" for c in checks
    )
    drops = ""
    for c in checks if drop is None else drop:
        m = _ADD_CHECK.match(c)
        if m:
            sql = f"ALTER TABLE {m.group(1)} DROP CONSTRAINT IF EXISTS {m.group(2)}"
            drops += f"{indent}await queryRunner.query(`{_literal(sql)}`);\n"
    up_end = _body_end(text, up.end() - 1)
    text = text[:up_end].rstrip(" ") + adds + text[up_end:]
    down = re.search(r"async down\([^)]*\)[^{]*\{\n?", text)
    assert down is not None
    text = text[: down.end()] + drops + text[down.end() :]
    return replace(f, text=text)


def sequelize_checks(files: list[FeatureFile], checks: list[str]) -> list[FeatureFile]:
    """sequelize-cli migrations with the CHECKs added to tables that exist (a Sequelize model
    cannot declare one, so the diff has none): each a `queryInterface.sequelize.query` at the
    end of the first migration's `up` (inside its transaction, when it opens one, so a row the
    CHECK refuses undoes the whole migration), and dropped first in the last one's `down` (the
    one that undoes the whole change when the safe plan split it)."""
    from dataclasses import replace

    code = [f for f in files if f.kind == "migration" and f.path.endswith((".js", ".cjs", ".ts"))]
    if not checks or not code:
        return files
    first, last = code[0], code[-1]
    drops = [
        f"ALTER TABLE {m.group(1)} DROP CONSTRAINT IF EXISTS {m.group(2)}"
        for c in checks
        if (m := _ADD_CHECK.match(c))
    ]
    out = []
    for f in files:
        text = f.text
        up = re.search(r"async up\([^)]*\)[^{]*\{", text)
        if f is first and up is not None:
            end = _body_end(text, up.end() - 1)
            tx = _TRANSACTION.search(text, up.end(), end)
            if tx is not None:
                end = _body_end(text, tx.end() - 1)
            indent = tx.group(1) + "  " if tx is not None else "    "
            option = ", { transaction }" if tx is not None else ""
            adds = "".join(_query(c.rstrip(";"), indent, option) for c in checks)
            text = text[:end].rstrip(" ") + adds + text[end:]
        down = re.search(r"async down\([^)]*\)[^{]*\{\n?", text)
        if f is last and down is not None:
            adds = "".join(_query(d, "    ", "") for d in drops)
            text = text[: down.end()] + adds + text[down.end() :]
        out.append(replace(f, text=text) if text != f.text else f)
    return out


_TRANSACTION = re.compile(r"^([ \t]*)await queryInterface\.sequelize\.transaction\(async "
                          r"\(transaction\) => \{", re.M)  # fmt: skip


def _query(sql: str, indent: str, option: str) -> str:
    """`await queryInterface.sequelize.query(`sql`[, { transaction }]);`, the SQL escaped for a
    template literal."""
    sql = _literal(sql)
    tail = f"{indent}  {option[2:]},\n" if option else ""
    return f"{indent}await queryInterface.sequelize.query(\n{indent}  `{sql}`,\n{tail}{indent});\n"


def _check_text(expression: str) -> str:
    return expression if expression.upper().startswith("CHECK") else f"CHECK ({expression})"


def sequelize_check_comments(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """Above the `modelName` of each Sequelize model whose table gains CHECKs, a comment naming
    them: a model cannot declare a CHECK, so the migration adds it."""
    from dataclasses import replace

    out = []
    for f in files:
        text = f.text
        for model, checks in tables:
            m = re.search(rf"^([ \t]*)(modelName:\s*[\"']{re.escape(model)}[\"'])", text, re.M)
            if m is None or not checks:
                continue
            lines = "".join(f"{m.group(1)}// {c.name} {_check_text(c.expression)}: added by the "
                            "migration (a Sequelize model cannot declare it)\n"
                            for c in checks)  # fmt: skip
            text = text[: m.start()] + lines + text[m.start() :]
        out.append(replace(f, text=text) if text != f.text else f)
    return out


def _body_end(text: str, open_at: int) -> int:
    """The offset of the line holding the `}` that closes the brace at `open_at`."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text.rfind("\n", 0, i) + 1
    return len(text)


def kept_by_hand(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """Above each Prisma model whose table has indexes only the migration can say (partial,
    expression), the suppression DB309's docs ask for: they are kept by hand, on purpose."""
    from dataclasses import replace

    models = {t.model_name for t in tables if t.model_name and by_hand([t])}
    out = []
    for f in files:
        text = f.text
        for model in models:
            text = re.sub(
                rf"^(model {re.escape(model)} \{{)",
                "// schemasense-ignore DB309 its partial and expression indexes are kept by hand "
                "in the migration\n\\1",
                text,
                flags=re.M,
            )
        out.append(replace(f, text=text) if text != f.text else f)
    return out


def typeorm_by_hand(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """An entity whose table has an index on an expression (full-text search), which TypeORM
    cannot declare: `@Index(name, { synchronize: false })` so TypeORM's schema sync leaves the
    index alone, and the DB309 suppression, since only the migration creates it."""
    from dataclasses import replace

    out = []
    for f in files:
        text = f.text
        for t in tables:
            names = [i.name for i in t.indexes if any(c.expression for c in i.columns)]
            entity = re.search(rf"^@Entity\(\s*[\"']{re.escape(t.name)}[\"']", text, re.M)
            if not names or entity is None:
                continue
            lines = "".join(f'@Index("{n}", {{ synchronize: false }})\n' for n in names)
            lines += (
                "// schemasense-ignore DB309 kept by hand: TypeORM cannot declare an index on "
                "an expression\n"
            )
            text = text[: entity.start()] + lines + text[entity.start() :]
        out.append(replace(f, text=text) if text != f.text else f)
    return out


_ADD_INDEX = re.compile(r"^([ \t]*)(await [\w.]*addIndex\()", re.M)


def _sequelize_mark(text: str, name: str) -> str:
    """The `addIndex(` call of a sequelize-cli migration that names index `name`, marked."""
    at = text.find(f'name: "{name}"')
    if at < 0:
        at = text.find(f"name: '{name}'")
    calls = [m for m in _ADD_INDEX.finditer(text) if m.start() < at]
    if at < 0 or not calls:
        return text
    m = calls[-1]
    mark = (f"{m.group(1)}// schemasense-ignore DB309 kept by hand: the models cannot declare "
            "this index\n")  # fmt: skip
    return text[: m.start()] + mark + text[m.start() :]


def sequelize_by_hand(files: list[FeatureFile], tables) -> list[FeatureFile]:
    """A Sequelize model whose table has an index on an expression, which its `indexes` option
    does not say here: the DB309 suppression above its `modelName`, since only the migration
    creates it."""
    from dataclasses import replace

    out = []
    for f in files:
        text = f.text
        for t in tables:
            if not any(any(c.expression for c in i.columns) for i in t.indexes) or not t.model_name:
                continue
            m = re.search(
                rf"^([ \t]*)(modelName:\s*[\"']{re.escape(t.model_name)}[\"'])", text, re.M
            )
            if m is not None:
                mark = (f"{m.group(1)}// schemasense-ignore DB309 kept by hand in the migration: "
                        "an index on an expression\n")  # fmt: skip
                text = text[: m.start()] + mark + text[m.start() :]
        out.append(replace(f, text=text) if text != f.text else f)
    return out


def by_hand(tables, expressions_only: bool = False) -> set[str]:
    return {
        i.name
        for t in tables
        for i in t.indexes
        if (i.predicate and not expressions_only) or any(c.expression for c in i.columns)
    }


def with_raw(f: GeneratedFile, raw: list[str], by_hand: set[str] = frozenset()) -> str:
    """A migration file with each index its models cannot declare (`by_hand`: partial or
    expression indexes in Prisma, expression indexes in TypeORM) marked as kept by hand, as
    DB309's docs say to; a Prisma `migration.sql` also gets the CHECKs (`raw`)."""
    text = f.text
    lead = "--" if f.path.endswith(".sql") else "//"
    for name in sorted(by_hand):
        text = _sequelize_mark(text, name)
        text = re.sub(
            rf'^([ \t]*)(.*CREATE (?:UNIQUE )?INDEX "{re.escape(name)}")',
            rf"\1{lead} schemasense-ignore DB309 kept by hand: the models cannot declare this "
            r"index\n\1\2",
            text,
            count=1,
            flags=re.M,
        )
    if not f.path.endswith("migration.sql"):
        return text
    if not raw:
        return text
    body = "\n\n".join(raw)
    note = "-- Added by schemasense: the CHECK constraints, which Prisma's schema cannot declare"
    return text.rstrip("\n") + f"\n\n{note}\n{body}\n"
