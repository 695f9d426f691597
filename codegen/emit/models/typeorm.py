"""The schema model as TypeORM entity classes: one file per entity, in the project's style.

Each entity names the same database objects the schema does, and says only what TypeORM would
not derive itself: `@Entity("name")` where the naming strategy (`codegen.orms.typeorm.naming`,
Default or Snake, 0.3 or 1.x hashing) would give another table name, `name:` on a column
where it would give another column name, and `primaryKeyConstraintName`,
`foreignKeyConstraintName` and index / unique names where TypeORM's sha1 names differ from the
database's. Every column states its type (`type: "varchar", length: 40`), so what TypeORM
creates does not depend on the TypeScript type's metadata.

How the schema's facts (`facts.py`) become decorators:
- an auto-increment key is `@PrimaryGeneratedColumn()`, a database-made uuid key
  (`uuid_generate_v4()`) `@PrimaryGeneratedColumn("uuid")`, any other key `@PrimaryColumn`; a
  uuid the ORM made (Prisma's `uuid()`) stays the application's: `= randomUUID()`;
- `createdAt` with `now()` is `@CreateDateColumn`, Prisma's `@updatedAt` `@UpdateDateColumn`;
- a foreign key is `@ManyToOne` (`@OneToOne` where its columns are unique) with a
  `@JoinColumn` where a name must be given, and the other side `@OneToMany` / `@OneToOne` in
  the target's class; the key's own column stays a `@Column` beside it, so its type is exact;
- a unique index (what Prisma's `@unique` is) is `@Index(..., { unique: true })`, a unique
  constraint `@Unique`; a partial index carries `where`.
What TypeORM cannot say (CHECKs it can: `@Check`; an expression index, an index method, a
descending column) is a `//` comment on the class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from schemasense.codegen.emit.migrations.files import GeneratedFile, join
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.orms.typeorm.naming import NamingStrategy
from schemasense.codegen.schema import Column, Schema, Table

from .facts import Plan, RelationPlan, SqlType, default_fact, plan, sql_type, undeclared_keys

_ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}
_STRINGS = {"varchar", "text", "char", "uuid", "citext", "inet", "xml", "bit", "varbit", "money"}
_STRINGS |= {"time", "timetz", "date", "numeric", "bigint", "tinytext", "mediumtext", "longtext"}
_NUMBERS = {"integer", "smallint", "real", "double precision", "float", "tinyint", "mediumint"}
_NUMBERS |= {"int"}
_DATES = {"timestamp", "timestamptz", "datetime"}
_MYSQL_TYPES = {"integer": "int", "double precision": "double", "numeric": "decimal"}
_CREATED = re.compile(r"^created_?[aA]t$")
_UPDATED = re.compile(r"^updated_?[aA]t$")


@dataclass(frozen=True)
class EntityOptions:
    """How the project's TypeORM names things and where its entity files go."""

    naming: NamingStrategy = field(default_factory=NamingStrategy)
    suffix: str = "entity"
    """The file suffix before `.ts`: `entity` (NestJS: `user.entity.ts`) or empty (`User.ts`)."""
    folder: str = ""
    uniques_are_indexes: bool | None = None
    """Whether the schema's unique constraints are really unique indexes (Prisma's `@unique`
    writes `CREATE UNIQUE INDEX`); None: decided from the schema (Prisma's words in it)."""


def typeorm_entity_files(
    schema: Schema,
    tables: Sequence[Table] | None = None,
    style: CodeStyle | None = None,
    options: EntityOptions | None = None,
) -> list[GeneratedFile]:
    """One `GeneratedFile` per table of `tables` (every table by default), paths under
    `options.folder`."""
    style = style or CodeStyle()
    options = options or EntityOptions()
    chosen = [t for t in (tables if tables is not None else schema.tables) if t.kind != "view"]
    p = plan(schema)
    wanted = {t.name for t in chosen}
    p.relations = [r for r in p.relations if r.owner.name in wanted and r.target.name in wanted]
    indexes = options.uniques_are_indexes
    if indexes is None:
        indexes = any(c.type.orm_type for t in schema.tables for c in t.columns)
    out = []
    for t in chosen:
        writer = _Entity(schema, p, t, style, options, indexes)
        out.append(GeneratedFile(join(options.folder, writer.file_name()), writer.render()))
    return out


def file_stem(style: CodeStyle, options: EntityOptions, class_name: str) -> str:
    return style.file_stem(class_name, options.suffix)


class _Entity:
    """One entity class and its file."""

    def __init__(
        self,
        schema: Schema,
        p: Plan,
        table: Table,
        style: CodeStyle,
        options: EntityOptions,
        uniques_are_indexes: bool,
    ) -> None:
        self.schema, self.p, self.table, self.style = schema, p, table, style
        self.options, self.naming = options, options.naming
        self.uniques_are_indexes = uniques_are_indexes
        self.imports: set[str] = set()
        self.locals: set[str] = set()
        self.notes: list[str] = []
        self.node: set[str] = set()
        provider = schema.provider or "postgresql"
        self.family = {"mysql": "mysql", "sqlite": "sqlite"}.get(provider, "postgres")
        self.unique_columns = self.plain_uniques()

    def plain_uniques(self) -> set[str]:
        """The columns whose unique constraint TypeORM names itself: `unique: true` on the
        column says them (not on MySQL, where TypeORM makes that an index of another name)."""
        if self.uniques_are_indexes or self.family == "mysql":
            return set()
        t = self.table
        out = set()
        for u in t.uniques:
            cols = [c.column for c in u.columns]
            plain = len(cols) == 1 and cols[0] and not u.columns[0].sort
            if plain and u.name == self.naming.unique_constraint_name(t.name, [cols[0] or ""]):
                out.add(cols[0] or "")
        return out

    # -- text helpers ------------------------------------------------------------------------------

    def q(self, text: str) -> str:
        return self.style.string(text)

    def obj(self, items: list[tuple[str, str]]) -> str:
        if not items:
            return ""
        return "{ " + ", ".join(f"{k}: {v}" for k, v in items) + " }"

    def file_name(self) -> str:
        return file_stem(self.style, self.options, self.p.model(self.table)) + ".ts"

    # -- columns -----------------------------------------------------------------------------------

    def ts_type(self, st: SqlType, column: Column) -> str:
        if st.name == "enum":
            enum = self.schema.enum(st.enum or "")
            values = [v.name for v in enum.values] if enum else []
            base = " | ".join(self.q(v) for v in values) or "string"
            if st.array:
                return f"({base})[]"
        elif st.name == "boolean" or (st.name == "tinyint" and st.length == 1):
            base = "boolean"
        elif st.name in _DATES:
            base = "Date"
        elif st.name in _NUMBERS:
            base = "number"
        elif st.name in ("json", "jsonb", "simple-json"):
            base = "unknown"
        elif st.name in ("bytea", "blob", "longblob", "mediumblob", "tinyblob", "binary"):
            base = "Buffer"
        else:
            base = "string"
        return base + ("[]" if st.array else "")

    def type_options(self, st: SqlType, column: Column) -> list[tuple[str, str]]:
        name = st.name
        if self.family == "mysql":
            name = _MYSQL_TYPES.get(name, name)
        opts: list[tuple[str, str]] = [("type", self.q(name))]
        if st.name == "enum":
            enum = self.schema.enum(st.enum or "")
            values = [v.name for v in enum.values] if enum else []
            opts.append(("enum", "[" + ", ".join(self.q(v) for v in values) + "]"))
            if self.family == "postgres" and st.enum:
                default = f"{self.table.name}_{column.name.lower()}_enum"
                if st.enum != default:
                    opts.append(("enumName", self.q(st.enum)))
        if st.length is not None:
            opts.append(("length", str(st.length)))
        if st.precision is not None:
            opts.append(("precision", str(st.precision)))
        if st.scale is not None:
            opts.append(("scale", str(st.scale)))
        if st.array:
            opts.append(("array", "true"))
        if st.unsigned:
            opts.append(("unsigned", "true"))
        return opts

    def name_option(self, prop: str, column: Column) -> list[tuple[str, str]]:
        if self.naming.column_name(prop) != column.name:
            return [("name", self.q(column.name))]
        return []

    def default_option(self, column: Column, st: SqlType) -> list[tuple[str, str]]:
        fact = default_fact(self.schema, column)
        if fact is None or fact.kind in ("autoincrement", "client"):
            return []
        if fact.kind == "now":
            return [("default", "() => " + self.q("CURRENT_TIMESTAMP"))]
        if fact.kind in ("db_uuid", "expression"):
            return [("default", "() => " + self.q(str(fact.value)))]
        if fact.kind == "enum":
            return [("default", self.q(str(fact.value)))]
        value = fact.value
        if isinstance(value, bool):
            return [("default", "true" if value else "false")]
        if isinstance(value, int | float):
            return [("default", json.dumps(value))]
        return [("default", self.q(str(value)))]

    def column_member(self, column: Column, pk: list[str]) -> list[str]:
        t = self.table
        prop = self.p.field(t, column.name)
        st = sql_type(self.schema, column)
        fact = default_fact(self.schema, column)
        ts = self.ts_type(st, column)
        nullable = column.nullable
        lines: list[str] = []
        pk_name = self.pk_name_option()
        init = ""
        if column.name in pk:
            if len(pk) == 1 and fact is not None and fact.kind == "autoincrement":
                self.imports.add("PrimaryGeneratedColumn")
                opts = self.name_option(prop, column) + pk_name
                if st.name != "integer":
                    opts = [("type", self.q(st.name)), *opts]
                args = self.obj(opts)
                lines.append(f"@PrimaryGeneratedColumn({args})")
            elif (
                len(pk) == 1
                and fact is not None
                and fact.kind == "db_uuid"
                and str(fact.value).lower() == "uuid_generate_v4()"
                and self.family == "postgres"
            ):
                self.imports.add("PrimaryGeneratedColumn")
                opts = self.name_option(prop, column) + pk_name
                lines.append(
                    f"@PrimaryGeneratedColumn({self.q('uuid')}"
                    + (f", {self.obj(opts)}" if opts else "")
                    + ")"
                )
            else:
                self.imports.add("PrimaryColumn")
                opts = self.name_option(prop, column) + self.type_options(st, column)
                opts += self.default_option(column, st) + pk_name
                lines.append(f"@PrimaryColumn({self.obj(opts)})")
                init = self.client_default(fact)
        else:
            opts = self.name_option(prop, column) + self.type_options(st, column)
            if nullable:
                opts.append(("nullable", "true"))
            created = (
                fact is not None
                and fact.kind == "now"
                and st.name in _DATES
                and _CREATED.match(column.field_name or column.name)
            )
            updated = (
                fact is not None
                and fact.kind == "now"
                and st.name in _DATES
                and _UPDATED.match(column.field_name or column.name)
            )
            if column.name in self.unique_columns:
                opts.append(("unique", "true"))
            if created:
                self.imports.add("CreateDateColumn")
                lines.append(f"@CreateDateColumn({self.obj(opts)})")
            elif column.updated_at or updated:
                self.imports.add("UpdateDateColumn")
                lines.append(f"@UpdateDateColumn({self.obj(opts)})")
            else:
                opts += self.default_option(column, st)
                self.imports.add("Column")
                lines.append(f"@Column({self.obj(opts)})")
                if fact is not None and fact.kind == "autoincrement":
                    self.imports.add("Generated")
                    lines.append(f"@Generated({self.q('increment')})")
                init = self.client_default(fact)
        if nullable and column.name not in pk:
            ts += " | null"
        declared = f"{prop}{'!' if not init else ''}: {ts}{init}{self.style.end()}"
        doc = [f"/** {column.doc} */"] if column.doc else []
        return doc + lines + [declared]

    def client_default(self, fact) -> str:
        if fact is None or fact.kind != "client":
            return ""
        if fact.value in ("uuid", "uuid(4)"):
            self.node.add("randomUUID")
            return " = randomUUID()"
        self.notes.append(f"Prisma filled a column with {fact.value}(); set it before saving")
        return ""

    def pk_name_option(self) -> list[tuple[str, str]]:
        t = self.table
        pk = t.primary_key
        if pk is None or not pk.name or self.family != "postgres":
            return []
        cols = [c.column or "" for c in pk.columns]
        if pk.name == self.naming.primary_key_name(t.name, cols):
            return []
        return [("primaryKeyConstraintName", self.q(pk.name))]

    def stand_in_key(self) -> list[str]:
        """TypeORM wants a primary column in every entity: a table without a primary key gets
        the columns of its first unique key of required columns as one (Prisma's identifier for
        such a model), which adds a primary key to the database."""
        t = self.table
        candidates = [[c.column for c in u.columns] for u in t.uniques]
        candidates += [[c.column for c in i.columns] for i in t.indexes if i.unique]
        for cols in candidates:
            columns = [t.column(c) for c in cols if c]
            if columns and len(columns) == len(cols) and not any(c.nullable for c in columns):
                self.notes.append(
                    f"the table has no primary key; TypeORM needs one, so ({', '.join(cols)}) "
                    "(unique) is declared primary: TypeORM will add a primary key"
                )
                return [c for c in cols if c]
        return []

    # -- relations ---------------------------------------------------------------------------------

    def relation_member(self, r: RelationPlan) -> list[str]:
        target = self.p.model(r.target)
        if target != self.p.model(self.table):
            self.locals.add(target)
        decorator = "OneToOne" if r.kind == "one-to-one" else "ManyToOne"
        self.imports.add(decorator)
        var = _var(target)
        opts: list[tuple[str, str]] = []
        fk = r.foreign_key
        if fk.on_delete != "NoAction":
            opts.append(("onDelete", self.q(_ACTIONS[fk.on_delete])))
        if fk.on_update != "NoAction":
            opts.append(("onUpdate", self.q(_ACTIONS[fk.on_update])))
        if not r.optional:
            opts.append(("nullable", "false"))
        head = f"@{decorator}(() => {target}, ({var}) => {var}.{r.inverse}"
        head += f", {self.obj(opts)})" if opts else ")"
        lines = [head]
        join = self.join_columns(r)
        if join is not None or decorator == "OneToOne":
            self.imports.add("JoinColumn")
            lines.append(f"@JoinColumn({join or ''})")
        ts = target + (" | null" if r.optional else "")
        lines.append(f"{r.field}!: {ts}{self.style.end()}")
        return lines

    def join_columns(self, r: RelationPlan) -> str | None:
        t = self.table
        fk = r.foreign_key
        items = []
        for c, ref in zip(r.columns, r.referenced, strict=True):
            ref_prop = self.p.field(r.target, ref.name)
            opts: list[tuple[str, str]] = []
            if self.naming.join_column_name(r.field, ref_prop) != c.name:
                opts.append(("name", self.q(c.name)))
            if not r.referenced_is_primary or len(r.columns) > 1:
                opts.append(("referencedColumnName", self.q(ref_prop)))
            items.append(opts)
        fk_default = self.naming.foreign_key_name(t.name, fk.columns)
        if fk.name != fk_default:
            items[0].append(("foreignKeyConstraintName", self.q(fk.name)))
            if len(items) > 1:
                for more in items[1:]:
                    more.append(("foreignKeyConstraintName", self.q(fk.name)))
        if not any(items):
            return None
        if len(items) == 1:
            return self.obj(items[0])
        return "[" + ", ".join(self.obj(i) or "{}" for i in items) + "]"

    def inverse_member(self, r: RelationPlan) -> list[str]:
        owner = self.p.model(r.owner)
        if owner != self.p.model(self.table):
            self.locals.add(owner)
        var = _var(owner)
        if r.kind == "one-to-one":
            self.imports.add("OneToOne")
            return [
                f"@OneToOne(() => {owner}, ({var}) => {var}.{r.field})",
                f"{r.inverse}?: {owner} | null{self.style.end()}",
            ]
        self.imports.add("OneToMany")
        return [
            f"@OneToMany(() => {owner}, ({var}) => {var}.{r.field})",
            f"{r.inverse}!: {owner}[]{self.style.end()}",
        ]

    # -- class decorators --------------------------------------------------------------------------

    def class_decorators(self, one_to_one_keys: set[tuple[str, ...]]) -> list[str]:
        t = self.table
        out = []
        cls = self.p.model(t)
        self.imports.add("Entity")
        entity_opts = []
        if t.db_schema and t.db_schema != "public":
            entity_opts.append(("schema", self.q(t.db_schema)))
        if self.naming.table_name(cls) != t.name:
            if entity_opts:
                entity_opts.insert(0, ("name", self.q(t.name)))
                out.append(f"@Entity({self.obj(entity_opts)})")
            else:
                out.append(f"@Entity({self.q(t.name)})")
        else:
            out.append(f"@Entity({self.obj(entity_opts)})")
        for u in t.uniques:
            cols = [c.column for c in u.columns]
            if any(c is None for c in cols):
                self.notes.append(f"unique {u.name} is on an expression; TypeORM cannot say so")
                continue
            names = [c for c in cols if c is not None]
            if len(names) == 1 and names[0] in self.unique_columns:
                continue  # `unique: true` on the column
            props = "[" + ", ".join(self.q(self.p.field(t, c)) for c in names) + "]"
            rel = self.naming.relation_constraint_name(t.name, names)
            if tuple(sorted(names)) in one_to_one_keys and u.name == rel:
                continue
            if self.uniques_are_indexes:
                self.imports.add("Index")
                default = self.naming.index_name(t.name, names)
                name = "" if u.name == default else f"{self.q(u.name)}, "
                out.append(f"@Index({name}{props}, {{ unique: true }})")
            else:
                self.imports.add("Unique")
                default = self.naming.unique_constraint_name(t.name, names)
                name = "" if u.name == default else f"{self.q(u.name)}, "
                out.append(f"@Unique({name}{props})")
        for i in t.indexes:
            cols = [c.column for c in i.columns]
            if any(c is None for c in cols):
                self.notes.append(f"index {i.name} is on an expression; TypeORM cannot say so")
                continue
            if any(c.sort == "desc" or c.length or c.ops for c in i.columns):
                self.notes.append(
                    f"index {i.name} has a sort order, prefix or operator class TypeORM "
                    "cannot say; it is written without them"
                )
            if i.method not in (None, "btree"):
                self.notes.append(f"index {i.name} uses {i.method}; TypeORM creates a btree index")
            if i.include:
                self.notes.append(f"index {i.name} INCLUDEs columns; TypeORM cannot say so")
            names = [c for c in cols if c is not None]
            rel = self.naming.relation_constraint_name(t.name, names)
            if i.unique and tuple(sorted(names)) in one_to_one_keys and i.name == rel:
                continue
            self.imports.add("Index")
            props = "[" + ", ".join(self.q(self.p.field(t, c)) for c in names) + "]"
            default = self.naming.index_name(t.name, names, i.predicate)
            name = "" if i.name == default else f"{self.q(i.name)}, "
            opts = []
            if i.unique:
                opts.append(("unique", "true"))
            if i.predicate:
                opts.append(("where", self.q(i.predicate)))
            tail = f", {self.obj(opts)}" if opts else ""
            out.append(f"@Index({name}{props}{tail})")
        for check in t.checks:
            expression = re.sub(r"^CHECK\s*", "", check.expression.strip(), flags=re.I)
            if expression.startswith("(") and expression.endswith(")"):
                expression = expression[1:-1]
            self.imports.add("Check")
            default = self.naming.check_constraint_name(t.name, expression)
            name = "" if check.name in ("", default) else f"{self.q(check.name)}, "
            out.append(f"@Check({name}{self.q(expression)})")
        return out

    # -- the file ----------------------------------------------------------------------------------

    def render(self) -> str:
        t = self.table
        ind = self.style.indent
        pk = [c.column or "" for c in t.primary_key.columns] if t.primary_key else []
        if not pk:
            pk = self.stand_in_key()
        owned = self.p.owned(t)
        one_to_one = {
            tuple(sorted(c.name for c in r.columns)) for r in owned if r.kind == "one-to-one"
        }
        members: list[list[str]] = []
        last_of: dict[int, list[RelationPlan]] = {}
        for r in owned:
            last = max(t.columns.index(c) for c in r.columns)
            last_of.setdefault(last, []).append(r)
        for index, column in enumerate(t.columns):
            members.append(self.column_member(column, pk))
            for r in last_of.get(index, []):
                members.append(self.relation_member(r))
        for r in self.p.inverse(t):
            members.append(self.inverse_member(r))
        decorators = self.class_decorators(one_to_one)
        if not pk:
            self.notes.append("the table has no primary key and no unique key; TypeORM needs one")
        self.notes += undeclared_keys(self.p, t)
        body: list[str] = []
        for i, member in enumerate(members):
            if i:
                body.append("")
            for line in member:
                body += self.wrapped(ind, line)
        lines = self.import_lines()
        lines.append("")
        lines += [f"// {n}" for n in self.notes]
        if t.doc:
            lines.append(f"/** {t.doc} */")
        for line in decorators:
            lines += self.wrapped("", line)
        lines.append(f"export class {self.p.model(t)} {{")
        lines += body
        lines.append("}")
        return "\n".join(lines) + "\n"

    def wrapped(self, lead: str, line: str) -> list[str]:
        """`line` as Prettier prints it (80 columns): a decorator whose last argument is an
        object literal that does not fit is broken inside that object, one option a line,
        with trailing commas."""
        if len(lead) + len(line) <= PRINT_WIDTH:
            return [lead + line]
        ind = self.style.indent
        union = re.match(r"^(\w+[!?]?:) (.+ \| .+?)(;?)$", line)
        if union and not line.startswith("@") and "=" not in line:
            members = union.group(2).split(" | ")
            out = [lead + union.group(1)] + [f"{lead}{ind}| {m}" for m in members]
            return [*out[:-1], out[-1] + union.group(3)]
        start = line.rfind("{ ", 0, len(line) - 2) if line.endswith("})") else -1
        inner = line[start + 2 : -3]
        head = line[: start + 1]
        if start == -1 or "{" in inner or "}" in inner or len(lead) + len(head) > PRINT_WIDTH:
            # no object to break inside (or its head is too long): one argument a line
            m = re.match(r"^(@\w+)\((.*)\)$", line)
            if m is None:
                return [lead + line]
            args = _split_top(m.group(2))
            return [f"{lead}{m.group(1)}("] + [f"{lead}{ind}{a}," for a in args] + [lead + ")"]
        comma = ","
        items = _split_top(inner)
        out = [lead + line[: start + 1]]
        out += [f"{lead}{ind}{item}{comma}" for item in items]
        out.append(lead + "})")
        return out

    def import_lines(self) -> list[str]:
        end = self.style.end()
        out = []
        if self.node:
            out.append(f"import {{ {', '.join(sorted(self.node))} }} from {self.q('crypto')}{end}")
        line = f"import {{ {', '.join(sorted(self.imports))} }} from {self.q('typeorm')}{end}"
        if len(line) > PRINT_WIDTH:
            names = "".join(f"{self.style.indent}{n},\n" for n in sorted(self.imports))
            line = f"import {{\n{names}}} from {self.q('typeorm')}{end}"
        out.append(line)
        for name in sorted(self.locals):
            stem = file_stem(self.style, self.options, name)
            out.append(f"import {{ {name} }} from {self.q(self.style.relative_module(stem))}{end}")
        return out


PRINT_WIDTH = 80
"""Prettier's default line width, where it breaks a decorator's options and the imports."""


def _split_top(text: str) -> list[str]:
    """`a: 1, b: [x, y], c: () => "d, e"` -> its top-level items (commas inside brackets and
    strings do not split)."""
    items, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote and not current.endswith("\\") else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        items.append(current.strip())
    return items


_RESERVED = frozenset(
    """
    break case catch class const continue debugger default delete do else enum export extends
    false finally for function if import in instanceof new null return super switch this throw
    true try typeof var void while with yield let static implements interface package private
    protected public await arguments eval
    """.split()  # noqa: SIM905
)


def _var(class_name: str) -> str:
    """The arrow function's parameter for an entity (`(post) => post.author`), never a
    reserved word (`(exportEntity) => ...` for a class `Export`)."""
    name = class_name[:1].lower() + class_name[1:]
    return name + "Entity" if name in _RESERVED else name
