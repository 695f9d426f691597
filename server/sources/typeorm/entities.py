"""Entity classes -> TypeORM's metadata of the tables it creates (`codegen/orms/typeorm/metadata`),
read from the decorators without running anything. Never raises.

What TypeORM's `EntityMetadataBuilder`, `RelationJoinColumnBuilder` and
`JunctionEntityMetadataBuilder` do (typeorm 1.1 and 0.3.28, `metadata-builder/*.js`), in order:

- an `@Entity` class's columns: its own and those of every class it `extends` (base first), a
  `@Column(() => Embedded)` expanded with its prefix; then the join columns of its owning
  relations (`@ManyToOne`, `@OneToOne` with `@JoinColumn`, `@TreeParent`), typed as the column
  they reference;
- names by the naming strategy (`codegen/orms/typeorm/naming.py`), types and defaults by the
  driver (`codegen/orms/typeorm/types.py`);
- keys: the primary key, `unique: true` and `@Unique` (a UNIQUE INDEX on MySQL), the `REL_`
  unique of a one-to-one's join column, `@Index` on properties and classes, `@Check` (not on
  MySQL), foreign keys of owning relations (not where `createForeignKeyConstraints: false`);
- the join table of a `@ManyToMany` with `@JoinTable`, the closure table of a
  `@Tree("closure-table")`.

What TypeORM would refuse at start-up is a problem with the range of the decorator
(`problems.py`): an unknown relation target or inverse side, a column type the driver does not
support or cannot know, join decorators on both sides, duplicate column names.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from schemasense.codegen.orms.typeorm.metadata import (
    CheckMeta,
    ColumnMeta,
    ForeignKeyMeta,
    IndexMeta,
    TableMeta,
    UniqueMeta,
)
from schemasense.codegen.orms.typeorm.naming import NamingStrategy
from schemasense.codegen.orms.typeorm.types import (
    DATE_DEFAULT,
    DATE_PRECISION,
    DESIGN_TYPES,
    MAPPED,
    ColumnShape,
    Family,
    full_type,
    normalize_default,
    normalize_type,
    supported,
)
from schemasense.server.findings import Finding
from schemasense.server.sources.typeorm import problems as P
from schemasense.server.sources.typeorm.modules import Modules, Reads
from schemasense.server.sources.typescript import ClassDecl, Decorator, Member, Module
from schemasense.server.sources.typescript.values import (
    Array,
    Bool,
    Call,
    Func,
    Null,
    Num,
    Obj,
    Ref,
    Str,
    Value,
)

COLUMN_DECORATORS = {
    "Column",
    "PrimaryColumn",
    "PrimaryGeneratedColumn",
    "CreateDateColumn",
    "UpdateDateColumn",
    "DeleteDateColumn",
    "VersionColumn",
    "ObjectIdColumn",
    "TreeLevelColumn",
}
RELATION_DECORATORS = {"ManyToOne", "OneToMany", "OneToOne", "ManyToMany", "TreeParent"}
ENTITY_DECORATORS = {"Entity", "ChildEntity", "ViewEntity"}
_ACTIONS = {
    "CASCADE": "CASCADE",
    "SET NULL": "SET NULL",
    "RESTRICT": "RESTRICT",
    "NO ACTION": "NO ACTION",
    "SET DEFAULT": "SET DEFAULT",
    "DEFAULT": "NO ACTION",
}


@dataclass
class EntityInfo:
    """One entity class as read: where it is, its table, its columns by property."""

    module: Module
    decl: ClassDecl
    table: TableMeta
    view: bool = False
    by_property: dict[str, list[ColumnMeta]] = field(default_factory=dict)
    """A property's columns (a relation's join columns; an embedded's every column)."""
    relations: dict[str, tuple[Member, Decorator]] = field(default_factory=dict)
    members: list[tuple[Module, Member]] = field(default_factory=list)
    unread_properties: set[str] = field(default_factory=set)
    """Properties whose column decorator is the project's own (not read)."""


@dataclass
class _Own:
    """What reading one entity class on its own gave (its columns, before the relations are
    read), kept untouched for the next read: reused while `reads` still hold."""

    reads: Reads
    info: EntityInfo
    findings: list[Finding]
    unsupported: list[tuple[int | None, Finding]]
    """The columns of a type the driver refuses: by index in the table's columns (None: a
    column the table did not take)."""


@dataclass
class _Related:
    """What reading one entity's relations, class constraints and tree gave (what they add
    to its table, their problems, the join and closure tables), and what it looked at: the
    files, and each entity it named (its own reading, and whether its relations were read
    before). Reused while all of that is the same."""

    own: _Own
    reads: Reads
    looked: dict[str, tuple[_Own | None, bool]]
    after: EntityInfo
    findings: list[Finding]
    popped: list[int]
    """The entity's refused columns (by index) the relations retyped."""
    extra: list[TableMeta]


@dataclass
class EntitySet:
    """The unit's tables in TypeORM's metadata order, the entities by class name, and the
    problems found reading them."""

    tables: list[TableMeta]
    entities: dict[str, EntityInfo]
    findings: list[Finding]
    unread_entities: list[str] = field(default_factory=list)
    """Tables (by TypeORM's default name) of classes under a project's own entity decorator."""
    own: dict[tuple[str, str], _Own] = field(default_factory=dict, repr=False)
    """(file, class) -> what the entity's own reading gave, for the next read (`previous`):
    a keystroke in one entity file reads that file's entities again and reuses the others'."""
    related: dict[str, _Related] = field(default_factory=dict, repr=False)
    """class -> what reading its relations gave, for the next read."""
    context: tuple = ()
    """What every entity's reading depends on beyond its files: `own` is reused only under
    the same context."""


def read_entities(
    modules: Modules,
    files: Sequence[str],
    family: Family,
    naming: NamingStrategy,
    *,
    mariadb: bool = False,
    only: set[tuple[str, str]] | None = None,
    previous: EntitySet | None = None,
) -> EntitySet:
    """The entities declared in `files` (each `@Entity` class; `only`: the (file, class) pairs
    a DataSource lists, when it lists classes). `previous`: the same unit's last read, whose
    entities are reused where what they were read from is unchanged."""
    reader = _Reader(modules, family, naming, mariadb)
    context = (
        family,
        naming,
        mariadb,
        frozenset(only) if only is not None else None,
        frozenset(modules.texts),
    )
    kept = previous.own if previous is not None and previous.context == context else {}
    for path in files:
        module = modules.module(path)
        if module is None:
            continue
        for decl in module.classes:
            if decl.decorator(*ENTITY_DECORATORS) is None:
                own = next((d for d in decl.decorators if d.name.endswith("Entity")), None)
                if own is not None:
                    reader.unread_entities.append(naming.table_name(decl.name))
                    reader.problem(
                        P.UNREAD,
                        f"`@{own.name}` is the project's own decorator: schemasense does not "
                        f"run it, so {decl.name} is not read as an entity",
                        module,
                        own.start,
                        own.end,
                        severity="warning",
                    )
                continue
            if only is not None and (path, decl.name) not in only:
                continue
            if decl.name in reader.entities:
                continue
            held = kept.get((path, decl.name))
            if held is not None and held.reads.still(modules):
                reader.reuse(held)
            else:
                held = reader.read_own(module, decl)
            reader.own[(path, decl.name)] = held
            reader.own_by_name[decl.name] = held
    same = previous is not None and previous.context == context
    reader.relations(previous.related if same else {})  # type: ignore[union-attr]
    findings = list(
        {
            (f.code, f.span.file, f.span.start, f.span.end, f.message): f for f in reader.findings
        }.values()
    )
    return EntitySet(
        reader.tables,
        reader.entities,
        findings,
        reader.unread_entities,
        own=reader.own,
        related=reader.related,
        context=context,
    )


class _Reader:
    def __init__(self, modules: Modules, family: Family, naming: NamingStrategy, mariadb: bool):
        self.modules = modules
        self.family = family
        self.naming = naming
        self.mariadb = mariadb
        self.entities: dict[str, EntityInfo] = {}
        self.tables: list[TableMeta] = []
        self.extra_tables: list[TableMeta] = []
        self.findings: list[Finding] = []
        self.unread_entities: list[str] = []
        self.unsupported: dict[int, Finding] = {}
        """Columns of a type the driver refuses, by id: a problem unless a relation retypes
        them."""
        self.own: dict[tuple[str, str], _Own] = {}
        self.own_by_name: dict[str, _Own] = {}
        self.related: dict[str, _Related] = {}
        self._looked: dict[str, tuple[_Own | None, bool]] | None = None
        """While an entity's relations are read: each entity they named."""
        self._done: set[str] = set()
        """The entities whose relations are read (in this read, so far)."""
        self._reused: set[str] = set()
        """Those whose relations' reading was taken from the previous read."""
        self._alive: list[object] = []
        """Stand-ins for refused columns the tables did not take (their ids stay unique)."""

    # -- one entity on its own, read or reused ---------------------------------------------------

    def read_own(self, module: Module, decl: ClassDecl) -> _Own:
        """Read the entity `decl` of `module`, noting what it looked at, and keep an untouched
        copy of the result for the next read."""
        findings, unsupported = len(self.findings), len(self.unsupported)
        reads = Reads()
        reads.files[module.path] = self.modules.texts.get(module.path)
        self.modules.recording = reads
        try:
            self.entity(module, decl)
        finally:
            self.modules.recording = None
        info = self.entities[decl.name]
        index = {id(c): i for i, c in enumerate(info.table.columns)}
        refused = [(index.get(k), f) for k, f in list(self.unsupported.items())[unsupported:]]
        return _Own(reads, _fork(info), self.findings[findings:], refused)

    def reuse(self, held: _Own) -> None:
        """Take an entity's reading from the previous read (a copy: the relations add to it)."""
        info = _fork(held.info)
        columns = info.table.columns
        self.entities[info.decl.name] = info
        self.findings.extend(held.findings)
        for i, finding in held.unsupported:
            key: object = columns[i] if i is not None else object()
            if i is None:
                self._alive.append(key)
            self.unsupported[id(key)] = finding
        if not info.view:
            self.tables.append(info.table)

    # -- problems -------------------------------------------------------------------------------

    def problem(self, code: str, message: str, module: Module, start: int, end: int, **kw) -> None:
        self.findings.append(P.problem(code, message, module.path, start, end, **kw))

    def unread(self, module: Module, value: Value, what: str) -> None:
        self.problem(
            P.UNREAD,
            f"{what} cannot be read without running the code; TypeORM's default is assumed",
            module,
            value.start,
            value.end,
            severity="warning",
        )

    # -- entities -------------------------------------------------------------------------------

    def entity(self, module: Module, decl: ClassDecl) -> None:
        if decl.name in self.entities:
            return
        entity_dec = decl.decorator(*ENTITY_DECORATORS)
        assert entity_dec is not None
        given_name: str | None = None
        schema: str | None = None
        first = entity_dec.arg(0)
        if isinstance(first, Str):
            given_name = first.value
        options = entity_dec.options()
        if options is not None:
            name = options.get("name")
            if isinstance(name, Str):
                given_name = name.value
            elif name is not None:
                self.unread(module, name, "The table name")
            s = options.get("schema")
            if isinstance(s, Str):
                schema = s.value
        span = (module.path, entity_dec.start, entity_dec.end)
        table = TableMeta(
            name=self.naming.table_name(decl.name, given_name),
            schema=schema,
            class_name=decl.name,
            span=span,
        )
        info = EntityInfo(module, decl, table, view=entity_dec.name == "ViewEntity")
        self.entities[decl.name] = info
        if info.view:
            return
        info.members = _first_of_each(self._members(module, decl, 0))
        for owner, member in info.members:
            self.member_columns(info, owner, member)
        self.tables.append(table)

    def _members(
        self, module: Module, decl: ClassDecl, depth: int
    ) -> Iterable[tuple[Module, Member]]:
        """The class's members, inherited ones first (`extends` followed across files)."""
        if depth < 8 and decl.extends_name is not None:
            found = self.modules.class_of(module, decl.extends_name)
            if found is not None:
                yield from self._members(found[0], found[1], depth + 1)
        for member in decl.members:
            if member.kind == "property" and not member.static:
                yield module, member

    # -- columns --------------------------------------------------------------------------------

    def member_columns(self, info: EntityInfo, module: Module, member: Member) -> None:
        dec = _column_decorator(member)
        relation = member.decorator(*RELATION_DECORATORS)
        if relation is not None:
            info.relations[member.name] = (member, relation)
        if dec is None:
            own = next((d for d in member.decorators if d.name.endswith("Column")), None)
            if own is None or own.name in ("JoinColumn",) or relation is not None:
                return
            if own.options() is not None:
                # a wrapper of @Column (medusa's @DbAwareColumn): read as @Column with the same
                # options, and said
                self.problem(
                    P.UNREAD,
                    f"`@{own.name}` is the project's own decorator: schemasense does not run it "
                    "and reads it as `@Column` with the same options",
                    module,
                    own.start,
                    own.end,
                    severity="warning",
                )
                dec = dataclasses.replace(own, path=("Column",))
            else:
                info.unread_properties.add(member.name)
                self.problem(
                    P.UNREAD,
                    f"`@{own.name}` is the project's own decorator: schemasense does not run it, "
                    f'so the column of "{member.name}" is left out',
                    module,
                    own.start,
                    own.end,
                    severity="warning",
                )
                return
        embedded = dec.arg(0)
        if dec.name == "Column" and isinstance(embedded, Func):
            self.embedded(info, module, member, dec, embedded, [])
            return
        column = self.column(info.table, module, member, dec, [])
        if column is not None:
            self.add_column(info, module, member.name, column, dec, member)

    def add_column(
        self,
        info: EntityInfo,
        module: Module,
        prop: str,
        column: ColumnMeta,
        dec: Decorator,
        member: Member,
    ) -> None:
        table = info.table
        if table.column(column.name) is not None:
            self.problem(
                P.DUPLICATE,
                f'Table "{table.name}" already has a column "{column.name}"',
                module,
                dec.start,
                dec.end,
                help="TypeORM would create the table with the column once; rename one of them.",
            )
            return
        table.columns.append(column)
        info.by_property.setdefault(prop, []).append(column)
        for index_dec in member.decorators:
            if index_dec.name == "Index":
                self.index(info, module, index_dec, [column.name], class_level=False)

    def embedded(
        self,
        info: EntityInfo,
        module: Module,
        member: Member,
        dec: Decorator,
        func: Func,
        prefixes: list[str],
    ) -> None:
        target = func.returns
        found = self.modules.class_of(module, target.path[-1]) if isinstance(target, Ref) else None
        if found is None:
            self.problem(
                P.UNKNOWN_TARGET,
                "The embedded class of this column is not found",
                module,
                dec.start,
                dec.end,
            )
            return
        options = next((a for a in dec.args[1:] if isinstance(a, Obj)), None)
        prefix: list[str] = [member.name]
        given = options.get("prefix") if options is not None else None
        if isinstance(given, Str) and given.value is not None:
            prefix = [given.value] if given.value else []
        elif isinstance(given, Bool) and not given.value:
            prefix = []
        sub_module, sub_decl = found
        for owner, sub in self._members(sub_module, sub_decl, 0):
            sub_dec = _column_decorator(sub)
            if sub_dec is None:
                continue
            arg = sub_dec.arg(0)
            if sub_dec.name == "Column" and isinstance(arg, Func):
                self.embedded(info, owner, sub, sub_dec, arg, prefixes + prefix)
                continue
            column = self.column(info.table, owner, sub, sub_dec, prefixes + prefix)
            if column is not None:
                self.add_column(info, owner, member.name, column, sub_dec, sub)

    def column(
        self,
        table: TableMeta,
        module: Module,
        member: Member,
        dec: Decorator,
        prefixes: list[str],
    ) -> ColumnMeta | None:
        kind = dec.name
        type_arg: str | None = None
        options = Obj(dec.start, dec.start)
        for arg in dec.args:
            if isinstance(arg, Str) and type_arg is None:
                type_arg = arg.value
            elif isinstance(arg, Obj):
                options = arg
            elif isinstance(arg, Ref | Func) and kind != "Column":
                self.unread(module, arg, "This argument")
        opt = _Options(self, module, options)
        generation: str | None = None
        if kind == "PrimaryGeneratedColumn":
            generation = type_arg or opt.str("generationStrategy") or "increment"
            type_arg = None
        elif kind == "Column" and opt.value("generated") is not None:
            g = opt.value("generated")
            if isinstance(g, Bool) and g.value:
                generation = "increment"
            elif isinstance(g, Str):
                generation = g.value
        generated = member.decorator("Generated")
        if generated is not None:
            g = generated.arg(0)
            generation = g.value if isinstance(g, Str) and g.value else "increment"
        declared_type = opt.str("type") or type_arg
        given_type = opt.value("type")
        constructors = ("String", "Number", "Boolean", "Date", "Buffer")
        if (
            declared_type is None
            and isinstance(given_type, Ref)
            and given_type.path[-1] in constructors
        ):  # `type: Number`: a constructor, as a design type is
            declared_type = given_type.path[-1]
        if declared_type is None and isinstance(given_type, Call) and len(given_type.args) == 1:
            # `type: resolveDbType("timestamptz")`: a project's function of a type name, read
            # as that name (and said)
            arg = self.modules.value_of(module, given_type.args[0])
            if isinstance(arg, Str) and arg.value:
                declared_type = arg.value
                self.problem(
                    P.UNREAD,
                    f"The column type is computed by the project's own code; schemasense reads "
                    f'it as "{arg.value}"',
                    module,
                    given_type.start,
                    given_type.end,
                    severity="warning",
                )
        if declared_type is None and given_type is not None:
            self.unread(module, given_type, "This column type")
        design = self.design_type(module, member.type_text)
        family = self.family
        mapped = MAPPED[family]
        mode = {
            "CreateDateColumn": "createDate",
            "UpdateDateColumn": "updateDate",
            "DeleteDateColumn": "deleteDate",
            "VersionColumn": "version",
            "TreeLevelColumn": "treeLevel",
        }.get(kind)
        raw_type = declared_type
        if raw_type is None and mode is not None:
            raw_type = mapped[mode]
        if raw_type is None and generation == "uuid":
            raw_type = "uuid"
        if raw_type is None and generation in ("increment", "identity", "rowid"):
            raw_type = "Number" if design in (None, "Number") else design
        if raw_type is None:
            raw_type = design
        if raw_type is None and given_type is not None:
            raw_type = "String"
        if raw_type is None and member.type_text and _named_type(member.type_text):
            self.problem(
                P.UNREAD,
                f'The type `{member.type_text}` of "{member.name}" is not one schemasense can '
                "resolve (TypeORM sees what TypeScript records for it); read as a string",
                module,
                dec.start,
                dec.end,
                severity="warning",
            )
            raw_type = "String"
        if raw_type is None:
            self.problem(
                P.BAD_TYPE,
                f'TypeORM cannot know the type of "{member.name}": its TypeScript type '
                f"`{member.type_text or '(none)'}` is recorded as Object",
                module,
                dec.start,
                dec.end,
                help='Give the type in the decorator: `@Column({ type: "varchar", ... })`.',
            )
            raw_type = "String"
        if generation == "uuid" and family == "postgres":
            # TypeORM makes a uuid-generated column `uuid` on PostgreSQL whatever type it was
            # given (`@Column("varchar") @Generated("uuid")` is `uuid DEFAULT uuid_generate_v4()`)
            raw_type = "uuid"
        unsupported = raw_type not in DESIGN_TYPES.values() and not supported(
            family, normalize_type(family, raw_type, mariadb=self.mariadb)
        )
        normalized = normalize_type(family, raw_type, mariadb=self.mariadb)
        enum_values = opt.enum_values()
        if (
            enum_values is not None
            and normalized not in ("enum", "simple-enum")
            and family != "sqlite"
        ):
            enum_values = enum_values if raw_type in ("enum", "simple-enum", "set") else None
        length = opt.length()
        precision = opt.int("precision")
        scale = opt.int("scale")
        if mode in ("createDate", "updateDate", "deleteDate") and precision is None:
            precision = DATE_PRECISION[family]
        array = opt.bool("array") or False
        shape = ColumnShape(
            type=normalized,
            length=length,
            precision=precision,
            scale=scale,
            array=array,
            has_enum=enum_values is not None,
            uuid_generated=generation == "uuid",
            design_string=raw_type == "String",
        )
        nullable = bool(opt.bool("nullable"))
        if mode == "deleteDate" and opt.bool("nullable") is None:
            nullable = True
        primary = kind in ("PrimaryColumn", "PrimaryGeneratedColumn") or bool(opt.bool("primary"))
        if primary:
            nullable = False
        default = self.default(opt, normalized, raw_type, array, scale, mode)
        on_update = None
        if family == "mysql":
            on_update = opt.str("onUpdate")
            if mode == "updateDate" and on_update is None:
                on_update = "CURRENT_TIMESTAMP(6)"
        name = self.naming.column_name(member.name, opt.str("name"), prefixes)
        col = ColumnMeta(
            name=name,
            property=member.name,
            type=normalized if enum_values is None or family != "sqlite" else "simple-enum",
            full_type=full_type(family, shape),
            nullable=nullable,
            default=default,
            primary=primary,
            generation=generation,
            enum=enum_values,
            enum_name=opt.str("enumName"),
            unique=bool(opt.bool("unique")),
            array=array,
            unsigned=bool(opt.bool("unsigned")),
            on_update=on_update,
            comment=opt.str("comment"),
            span=(module.path, member.start, member.end),
            shape=shape,
            updated_at=mode == "updateDate",
        )
        if family == "sqlite" and enum_values is not None:
            col.type = normalized
        if mode == "deleteDate" and table.soft_delete is None:
            table.soft_delete = name
        if col.unique:
            self.column_unique(table, col, module, dec)
        if unsupported:
            # said once the relations are read: a join column declared as a column takes the
            # referenced column's type before TypeORM validates it
            self.unsupported[id(col)] = P.problem(
                P.BAD_TYPE,
                f'Data type "{raw_type}" is not supported by the {family} driver',
                module.path,
                dec.start,
                dec.end,
            )
        return col

    def design_type(self, module: Module, type_text: str | None) -> str | None:
        """`_design_type`, with a named type resolved: an enum is `String` (or `Number` when
        its values are numbers), as TypeScript records it."""
        found = _design_type(type_text)
        if found is not None or type_text is None:
            return found
        name = type_text.strip()
        if not _named_type(name):
            return None
        alias = self.modules.type_alias(module, name)
        if alias is not None:
            parts = [p.strip() for p in alias.split("|") if p.strip()]
            if parts and all(p[:1] in "'\"`" for p in parts):
                return "String"
            if parts and all(p.lstrip("-").replace(".", "").isdigit() for p in parts):
                return "Number"
            return _design_type(alias)
        value = self.modules.value_of(module, Ref(0, 0, (name,)))
        if isinstance(value, Obj) and value.props:
            if all(isinstance(p.value, Num) for p in value.props):
                return "Number"
            if all(isinstance(p.value, Str) for p in value.props):
                return "String"
        return None

    def default(
        self,
        opt: _Options,
        normalized: str,
        raw_type: str,
        array: bool,
        scale: int | None,
        mode: str | None,
    ) -> str | None:
        family = self.family
        value = opt.value("default")
        if value is None:
            if mode in ("createDate", "updateDate"):
                return normalize_default(
                    family, DATE_DEFAULT[family], column_type=normalized, is_function=True,
                    mariadb=self.mariadb,
                )  # fmt: skip
            return None
        if isinstance(value, Func):
            returned = value.returns
            if isinstance(returned, Str) and returned.value is not None:
                return normalize_default(
                    family, returned.value, column_type=normalized, is_function=True,
                    mariadb=self.mariadb,
                )  # fmt: skip
            self.unread(opt.module, value, "This default")
            return None
        if isinstance(value, Null):
            return None
        if isinstance(value, Str | Num | Bool):
            literal = value.value
            if isinstance(value, Str) and literal is None:
                self.unread(opt.module, value, "This default")
                return None
            return normalize_default(
                family, literal, column_type=raw_type, scale=scale, mariadb=self.mariadb,
                is_array=array,
            )  # fmt: skip
        if isinstance(value, Array) and (array or raw_type == "simple-enum"):
            items = tuple(v.value for v in value.items if isinstance(v, Str | Num | Bool))
            return normalize_default(
                family, None, column_type=raw_type, is_array=array, list_value=items,
            )  # fmt: skip
        if isinstance(value, Array | Obj) and family != "mysql":
            # an object default (`default: []`, `default: {}` on json): `'<JSON.stringify>'`
            data = _plain(value)
            if data is not _UNKNOWN:
                text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
                text = text.replace("'", "''")
                if family == "sqlite" and raw_type == "jsonb":
                    return f"jsonb('{text}')"
                return f"'{text}'"
        self.unread(opt.module, value, "This default")
        return None

    def column_unique(
        self, table: TableMeta, col: ColumnMeta, module: Module, dec: Decorator
    ) -> None:
        """`unique: true`: a UNIQUE constraint (`UQ_`), on MySQL a unique index (`IDX_`)."""
        span = (module.path, dec.start, dec.end)
        if self.family == "mysql":
            name = self.naming.index_name(table.name, [col.name])
            table.indexes.append(IndexMeta(name, [col.name], unique=True, span=span, rank=2))
        else:
            name = self.naming.unique_constraint_name(table.name, [col.name])
            table.uniques.append(UniqueMeta(name, [col.name], span=span))

    # -- indexes ------------------------------------------------------------------------------

    def index(
        self,
        info: EntityInfo,
        module: Module,
        dec: Decorator,
        columns: list[str],
        *,
        class_level: bool,
    ) -> None:
        table = info.table
        name: str | None = None
        options: Obj | None = None
        for arg in dec.args:
            if isinstance(arg, Str):
                name = arg.value
            elif isinstance(arg, Obj):
                options = arg
        opt = _Options(self, module, options or Obj(dec.start, dec.start))
        if opt.bool("synchronize") is False:
            return
        where = opt.str("where")
        fulltext = bool(opt.bool("fulltext"))
        spatial = bool(opt.bool("spatial"))
        unique = bool(opt.bool("unique"))
        if self.family == "mysql":
            where = None  # MySQL has no partial indexes; TypeORM leaves the WHERE out
        index_name = name or self.naming.index_name(table.name, columns, where)
        table.indexes.append(
            IndexMeta(
                index_name,
                columns,
                unique=unique,
                where=where,
                spatial=spatial,
                fulltext=fulltext,
                concurrent=bool(opt.bool("concurrent")),
                span=(module.path, dec.start, dec.end),
                rank=1 if class_level else 0,
            )
        )

    def class_constraints(self, info: EntityInfo) -> None:
        """`@Index([...])`, `@Unique([...])`, `@Check(...)` on the class (and its bases)."""
        module, decl, table = info.module, info.decl, info.table
        decorators: list[tuple[Module, Decorator]] = []
        chain: list[tuple[Module, ClassDecl]] = [(module, decl)]
        while chain[-1][1].extends_name and len(chain) < 8:
            found = self.modules.class_of(chain[-1][0], chain[-1][1].extends_name or "")
            if found is None:
                break
            chain.append(found)
        for m, d in reversed(chain):  # a class's decorators run from the bottom up
            decorators.extend((m, dec) for dec in reversed(d.decorators))
        for m, dec in decorators:
            if dec.name == "Index":
                fields = next((a for a in dec.args if isinstance(a, Array)), None)
                if fields is None:
                    if any(isinstance(a, Func) for a in dec.args):
                        self.unread(m, dec.args[0], "An index's fields given as a function")
                    continue
                columns = self.field_columns(info, m, fields)
                if columns is not None:
                    self.index(info, m, dec, columns, class_level=True)
            elif dec.name == "Unique":
                fields = next((a for a in dec.args if isinstance(a, Array)), None)
                name_arg = dec.arg(0)
                given = name_arg.value if isinstance(name_arg, Str) else None
                if fields is None:
                    continue
                columns = self.field_columns(info, m, fields)
                if columns is None:
                    continue
                span = (m.path, dec.start, dec.end)
                if self.family == "mysql":
                    # MySQL keeps @Unique as a unique index (EntityMetadataBuilder), named as one
                    name = given or self.naming.index_name(table.name, columns)
                    table.indexes.append(IndexMeta(name, columns, unique=True, span=span, rank=2))
                    continue
                name = given or self.naming.unique_constraint_name(table.name, columns)
                table.uniques.append(UniqueMeta(name, columns, span=span))
            elif dec.name == "Check":
                if self.family == "mysql":
                    continue  # the schema builder skips checks for the MySQL family
                args = [a for a in dec.args if isinstance(a, Str)]
                if not args or args[-1].value is None:
                    if dec.args:
                        self.unread(m, dec.args[-1], "A check's expression")
                    continue
                expression = args[-1].value
                given = args[0].value if len(args) > 1 else None
                name = given or self.naming.check_constraint_name(table.name, expression)
                table.checks.append(CheckMeta(name, expression, span=(m.path, dec.start, dec.end)))

    def field_columns(self, info: EntityInfo, module: Module, fields: Array) -> list[str] | None:
        names: list[str] = []
        for item in fields.items:
            if not isinstance(item, Str) or item.value is None:
                self.unread(module, item, "An index field")
                return None
            prop = item.value
            columns = info.by_property.get(prop)
            if columns is None and "." in prop:  # an embedded's column: "address.city"
                head, _, rest = prop.partition(".")
                columns = [c for c in info.by_property.get(head, []) if c.property == rest]
            if not columns and prop in info.unread_properties:
                return None
            if not columns:
                self.problem(
                    P.UNKNOWN_TARGET,
                    f'"{prop}" is not a column or relation of {info.decl.name}',
                    module,
                    item.start,
                    item.end,
                    help="TypeORM would stop at start-up: an index names a property it "
                    "cannot find.",
                )
                return None
            names.extend(c.name for c in columns)
        return names

    # -- relations ------------------------------------------------------------------------------

    def relations(self, kept: Mapping[str, _Related] | None = None) -> None:
        """Join columns, foreign keys and join tables, once every entity's columns are known
        (a join column takes the type of the primary key it references). `kept`: the
        previous read's, taken again for an entity whose inputs are the same."""
        kept = kept or {}
        for info in list(self.entities.values()):
            if info.view:
                continue
            name = info.decl.name
            own = self.own_by_name.get(name)
            held = kept.get(name)
            if held is not None and held.own is own and self._still(held):
                self._take_related(info, held)
                self._reused.add(name)
                self.related[name] = held
            else:
                related = self._read_related(info, own)
                if related is not None:
                    self.related[name] = related
            self._done.add(name)
        self.findings.extend(self.unsupported.values())
        self.unsupported.clear()
        names = {(t.schema, t.name) for t in self.tables}
        for table in self.extra_tables:
            # a join table named like another table (an entity's, or the other side's
            # @JoinTable): TypeORM's schema builder creates whichever it meets first
            if (table.schema, table.name) not in names:
                names.add((table.schema, table.name))
                self.tables.append(table)
            elif table.span is not None:
                self.findings.append(
                    P.problem(
                        P.BAD_JOIN,
                        f'The join table "{table.name}" is another table of this DataSource '
                        "too: TypeORM creates the first it meets and skips this one",
                        table.span[0],
                        table.span[1],
                        table.span[2],
                        severity="warning",
                        help="Name the join table after the entity that maps it, or map the "
                        "relation through that entity (@ManyToOne on both keys).",
                    )
                )

    def _read_related(self, info: EntityInfo, own: _Own | None) -> _Related | None:
        """Read an entity's relations, class constraints and tree, noting what they looked
        at and what they added (None: not kept, for an entity read without its own)."""
        looked: dict[str, tuple[_Own | None, bool]] = {}
        reads = Reads()
        before = list(info.table.columns)
        refused = {id(c) for c in before if id(c) in self.unsupported}
        findings, extra = len(self.findings), len(self.extra_tables)
        self._looked, self.modules.recording = looked, reads
        try:
            for _prop, (member, dec) in info.relations.items():
                module = _owner(info, member)
                self.relation(info, module, member, dec)
            self.class_constraints(info)
            self.tree(info)
        finally:
            self._looked, self.modules.recording = None, None
        if own is None:
            return None
        popped = [
            i for i, c in enumerate(before) if id(c) in refused and id(c) not in self.unsupported
        ]
        return _Related(
            own,
            reads,
            looked,
            _fork(info),
            self.findings[findings:],
            popped,
            [_fork_table(t) for t in self.extra_tables[extra:]],
        )

    def _still(self, held: _Related) -> bool:
        """Whether an entity's relations would be read the same: the same files, and each
        entity they named read the same (and, if its relations were read before, those
        taken from the previous read too)."""
        for name, (own, done) in held.looked.items():
            if self.own_by_name.get(name) is not own or (name in self._done) != done:
                return False
            if done and name not in self._reused:
                return False
        return held.reads.still(self.modules)

    def _take_related(self, info: EntityInfo, held: _Related) -> None:
        """What the entity's relations added, taken from the previous read (into the
        entity's own copy of its table)."""
        table, after = info.table, held.after.table
        for i in held.popped:
            self.unsupported.pop(id(table.columns[i]), None)
        table.columns = list(after.columns)
        table.indexes = list(after.indexes)
        table.uniques = list(after.uniques)
        table.checks = list(after.checks)
        table.foreign_keys = list(after.foreign_keys)
        table.primary_key_name = after.primary_key_name
        info.by_property = {prop: list(cols) for prop, cols in held.after.by_property.items()}
        self.findings.extend(held.findings)
        self.extra_tables.extend(_fork_table(t) for t in held.extra)

    def target(self, module: Module, dec: Decorator) -> tuple[EntityInfo | None, Value | None]:
        first = dec.arg(0)
        if dec.name == "TreeParent":
            return None, None
        target: Value | None = first.returns if isinstance(first, Func) else first
        name: str | None = None
        if isinstance(target, Ref):
            found = self.modules.class_of(module, target.path[-1])
            name = found[1].name if found is not None else target.path[-1]
        elif isinstance(target, Str):
            name = target.value
        if name is None:
            return None, target
        if self._looked is not None:
            self._looked[name] = (self.own_by_name.get(name), name in self._done)
        return self.entities.get(name), target

    def relation(self, info: EntityInfo, module: Module, member: Member, dec: Decorator) -> None:
        if dec.name == "TreeParent":
            target: EntityInfo | None = info
        else:
            target, _written = self.target(module, dec)
            if target is None:
                self.problem(
                    P.UNKNOWN_TARGET,
                    f"The target of {info.decl.name}.{member.name} is not an entity of this "
                    "DataSource",
                    module,
                    dec.start,
                    dec.end,
                    help="TypeORM would stop at start-up (Entity metadata was not found): add "
                    "the class to the DataSource's entities.",
                )
                return
            self.check_inverse(info, module, member, dec, target)
        assert target is not None
        options = dec.options() or Obj(dec.start, dec.start)
        opt = _Options(self, module, options)
        kind = dec.name
        if kind in ("OneToMany",):
            return
        join_column = member.decorator("JoinColumn")
        if kind == "OneToOne" and join_column is None:
            return
        if kind == "ManyToMany":
            join_table = member.decorator("JoinTable")
            if join_table is not None:
                self.join_table(info, module, member, dec, join_table, target, opt)
            return
        if kind == "OneToOne" and join_column is not None:
            inverse = _inverse_member(self, module, dec, target)
            if inverse is not None and inverse.decorator("JoinColumn") is not None:
                self.problem(
                    P.BAD_JOIN,
                    f"@JoinColumn on both sides of the one-to-one {info.decl.name}.{member.name}",
                    module,
                    join_column.start,
                    join_column.end,
                    help="Only the owning side of a one-to-one has @JoinColumn.",
                )
        self.join_columns(info, module, member, dec, join_column, target, opt)

    def check_inverse(
        self, info: EntityInfo, module: Module, member: Member, dec: Decorator, target: EntityInfo
    ) -> None:
        second = dec.arg(1)
        if not isinstance(second, Func) and not isinstance(second, Str):
            if dec.name == "OneToMany":
                self.problem(
                    P.UNKNOWN_INVERSE,
                    f"{info.decl.name}.{member.name} is a one-to-many without its inverse side",
                    module,
                    dec.start,
                    dec.end,
                    help="A @OneToMany needs the @ManyToOne it mirrors: "
                    "`@OneToMany(() => T, (t) => t.owner)`.",
                )
            return
        name = _inverse_name(second)
        if name is None:
            return
        if name not in target.relations and not any(
            m.name == name and m.decorator(*RELATION_DECORATORS) for _, m in target.members
        ):
            self.problem(
                P.UNKNOWN_INVERSE,
                f'{target.decl.name} has no relation "{name}" (the inverse side of '
                f"{info.decl.name}.{member.name})",
                module,
                second.start,
                second.end,
                severity="error" if dec.name == "OneToMany" else "warning",
                help="TypeORM leaves the relation without an inverse side; queries that join "
                "through it from the other entity fail.",
            )

    def referenced(self, target: EntityInfo, names: list[str] | None) -> list[ColumnMeta]:
        if names:
            cols = []
            for n in names:
                c = next((c for c in target.table.columns if c.property == n or c.name == n), None)
                if c is not None:
                    cols.append(c)
            return cols
        return [c for c in target.table.columns if c.primary]

    def join_columns(
        self,
        info: EntityInfo,
        module: Module,
        member: Member,
        dec: Decorator,
        join_column: Decorator | None,
        target: EntityInfo,
        opt: _Options,
    ) -> None:
        specs: list[Obj] = []
        if join_column is not None:
            arg = join_column.arg(0)
            if isinstance(arg, Obj):
                specs = [arg]
            elif isinstance(arg, Array):
                specs = [a for a in arg.items if isinstance(a, Obj)]
        names = [
            v.value
            for s in specs
            if isinstance(v := s.get("referencedColumnName"), Str) and v.value
        ]
        referenced = self.referenced(target, names or None)
        if not referenced:
            return
        table = info.table
        nullable = opt.bool("nullable")
        is_nullable = True if nullable is None else nullable
        columns: list[ColumnMeta] = []
        for i, ref in enumerate(referenced):
            spec = specs[i] if i < len(specs) else None
            given = spec.get("name") if spec is not None else None
            given_name = given.value if isinstance(given, Str) else None
            relation_name = self.naming.relation_name(member.name)
            name = given_name or self.naming.join_column_name(
                relation_name, ref.property or ref.name
            )
            existing = table.column(name)
            if existing is not None:  # an explicit @Column for the join column: TypeORM
                # gives it the referenced column's type (RelationJoinColumnBuilder)
                self.unsupported.pop(id(existing), None)
                existing = _own_column(info, existing)
                existing.type = ref.type
                if existing.shape is not None:
                    shape = dataclasses.replace(
                        existing.shape,
                        type=ref.type,
                        has_enum=ref.enum is not None,
                        uuid_generated=False,
                        design_string=False,
                    )
                    existing.full_type = full_type(self.family, shape)
                columns.append(existing)
                continue
            col = ColumnMeta(
                name=name,
                property=member.name,
                type=ref.type,
                full_type=_join_type(self.family, ref),
                nullable=is_nullable and not bool(opt.bool("primary")),
                primary=bool(opt.bool("primary")),
                enum=ref.enum,
                enum_name=ref.enum_name or (_enum_name(target.table, ref) if ref.enum else None),
                array=ref.array,
                unsigned=ref.unsigned,
                span=(module.path, member.start, member.end),
            )
            table.columns.append(col)
            columns.append(col)
        info.by_property[member.name] = columns
        col_names = [c.name for c in columns]
        span = (module.path, dec.start, dec.end)
        if dec.name == "OneToOne":
            name = self.naming.relation_constraint_name(table.name, col_names)
            if self.family == "mysql":
                table.indexes.append(IndexMeta(name, col_names, unique=True, span=span, rank=3))
            else:
                table.uniques.append(UniqueMeta(name, col_names, span=span))
        for index_dec in member.decorators:
            if index_dec.name == "Index":
                self.index(info, module, index_dec, col_names, class_level=False)
        if opt.bool("createForeignKeyConstraints") is False:
            return
        table.foreign_keys.append(
            ForeignKeyMeta(
                name=self.naming.foreign_key_name(table.name, col_names),
                columns=col_names,
                referenced_table=target.table.name,
                referenced_schema=target.table.schema,
                referenced_columns=[r.name for r in referenced],
                on_delete=_action(opt.str("onDelete")) or "NO ACTION",
                on_update=_action(opt.str("onUpdate")) or "NO ACTION",
                span=span,
            )
        )

    def join_table(
        self,
        info: EntityInfo,
        module: Module,
        member: Member,
        dec: Decorator,
        join_table: Decorator,
        target: EntityInfo,
        opt: _Options,
    ) -> None:
        jt = join_table.options() or Obj(join_table.start, join_table.start)
        inverse = _inverse_member(self, module, dec, target)
        if (
            inverse is not None
            and inverse.decorator("JoinTable") is not None
            and target is not info
        ):
            self.problem(
                P.BAD_JOIN,
                f"@JoinTable on both sides of the many-to-many {info.decl.name}.{member.name}",
                module,
                join_table.start,
                join_table.end,
                help="Only the owning side of a many-to-many has @JoinTable.",
            )
        inverse_name = _inverse_name(dec.arg(1)) or ""
        given = jt.get("name")
        if given is not None:
            given = self.modules.value_of(module, given)
        owner, other = info.table, target.table
        name = (
            given.value
            if isinstance(given, Str) and given.value
            else self.naming.join_table_name(owner.name, other.name, member.name, inverse_name)
        )
        jc = jt.get("joinColumn")
        ijc = jt.get("inverseJoinColumn")
        join_specs = [jc] if isinstance(jc, Obj) else []
        inverse_specs = [ijc] if isinstance(ijc, Obj) else []
        if isinstance(jt.get("joinColumns"), Array):
            join_specs = [a for a in jt.get("joinColumns").items if isinstance(a, Obj)]  # type: ignore[union-attr]
        if isinstance(jt.get("inverseJoinColumns"), Array):
            inverse_specs = [a for a in jt.get("inverseJoinColumns").items if isinstance(a, Obj)]  # type: ignore[union-attr]
        span = (module.path, join_table.start, join_table.end)
        table = TableMeta(name=name, schema=owner.schema, kind="join_table", span=span)
        own_refs = self.referenced(info, _ref_names(join_specs))
        other_refs = self.referenced(target, _ref_names(inverse_specs))
        own_cols = []
        for i, ref in enumerate(own_refs):
            spec_name = _spec_name(join_specs, i)
            col_name = spec_name or self.naming.join_table_column_name(
                owner.name, ref.property or ref.name, ref.name
            )
            own_cols.append(self._junction_column(col_name, ref, owner, span))
        other_cols = []
        for i, ref in enumerate(other_refs):
            spec_name = _spec_name(inverse_specs, i)
            col_name = spec_name or self.naming.join_table_inverse_column_name(
                other.name, ref.property or ref.name, ref.name
            )
            if any(c.name == col_name for c in own_cols):
                col_name = self.naming.join_table_column_duplication_prefix(col_name, 2)
                for c in own_cols:
                    if c.name == col_name.rsplit("_", 1)[0]:
                        c.name = self.naming.join_table_column_duplication_prefix(c.name, 1)
            other_cols.append(self._junction_column(col_name, ref, other, span))
        table.columns = own_cols + other_cols
        table.primary_key_name = self.naming.primary_key_name(name, [c.name for c in table.columns])
        for cols in (own_cols, other_cols):
            names = [c.name for c in cols]
            table.indexes.append(IndexMeta(self.naming.index_name(name, names), names, span=span))
        inverse_opt = (
            _Options(self, module, inverse.decorator("ManyToMany").options() or Obj(0, 0))  # type: ignore[union-attr]
            if inverse is not None and inverse.decorator("ManyToMany") is not None
            else None
        )
        create_fks = opt.bool("createForeignKeyConstraints") is not False
        if create_fks:
            own_names = [c.name for c in own_cols]
            table.foreign_keys.append(
                ForeignKeyMeta(
                    self.naming.foreign_key_name(name, own_names),
                    own_names,
                    owner.name,
                    [r.name for r in own_refs],
                    on_delete=_action(opt.str("onDelete")) or "CASCADE",
                    on_update=_action(opt.str("onUpdate")) or "CASCADE",
                    referenced_schema=owner.schema,
                    span=span,
                )
            )
            other_names = [c.name for c in other_cols]
            inv_delete = inverse_opt.str("onDelete") if inverse_opt is not None else None
            inv_update = inverse_opt.str("onUpdate") if inverse_opt is not None else None
            # JunctionEntityMetadataBuilder: 1.x `inverseRelation?.onDelete ?? "CASCADE"`;
            # 0.3 `inverseRelation ? inverseRelation.onDelete : "CASCADE"` (then NO ACTION)
            unset = (
                "NO ACTION"
                if inverse_opt is not None and self.naming.version == "0.3"
                else "CASCADE"
            )
            table.foreign_keys.append(
                ForeignKeyMeta(
                    self.naming.foreign_key_name(name, other_names),
                    other_names,
                    other.name,
                    [r.name for r in other_refs],
                    on_delete=_action(inv_delete) or unset,
                    on_update=_action(inv_update) or unset,
                    referenced_schema=other.schema,
                    span=span,
                )
            )
        self.extra_tables.append(table)

    def _junction_column(
        self, name: str, ref: ColumnMeta, owner: TableMeta, span: tuple[str, int, int]
    ) -> ColumnMeta:
        return ColumnMeta(
            name=name,
            property=None,
            type=ref.type,
            full_type=_join_type(self.family, ref),
            nullable=False,
            primary=True,
            enum=ref.enum,
            enum_name=ref.enum_name or (_enum_name(owner, ref) if ref.enum else None),
            unsigned=ref.unsigned,
            span=span,
        )

    def tree(self, info: EntityInfo) -> None:
        """`@Tree("closure-table")`: the `<table>_closure` table of ancestor/descendant pairs
        (`ClosureJunctionEntityMetadataBuilder`); `materialized-path` adds `mpath`."""
        dec = info.decl.decorator("Tree")
        if dec is None:
            return
        kind = dec.arg(0)
        table = info.table
        span = (info.module.path, dec.start, dec.end)
        if isinstance(kind, Str) and kind.value == "nested-set":
            # EntityMetadataBuilder: `nsleft` default 1 and `nsright` default 2, integers
            integer = normalize_type(self.family, "Number")
            for name, default in (("nsleft", "1"), ("nsright", "2")):
                table.columns.append(
                    ColumnMeta(
                        name=name, property=None, type=integer,
                        full_type=full_type(self.family, ColumnShape(type=integer)),
                        default=normalize_default(self.family, int(default), column_type=integer),
                        span=span,
                    )
                )  # fmt: skip
            return
        if isinstance(kind, Str) and kind.value == "materialized-path":
            normalized = normalize_type(self.family, "varchar")
            table.columns.append(
                ColumnMeta(
                    name="mpath", property=None, type=normalized,
                    full_type=full_type(
                        self.family, ColumnShape(type=normalized, design_string=True)
                    ),
                    nullable=True, default="''", span=span,
                )
            )  # fmt: skip
            return
        if not isinstance(kind, Str) or kind.value != "closure-table":
            return
        name = self.naming.closure_junction_table_name(table.name)
        closure = TableMeta(name=name, schema=table.schema, kind="closure_table", span=span)
        primary = [c for c in table.columns if c.primary]
        ancestors = [self._junction_column(f"{c.name}_ancestor", c, table, span) for c in primary]
        descendants = [
            self._junction_column(f"{c.name}_descendant", c, table, span) for c in primary
        ]
        closure.columns = ancestors + descendants
        closure.primary_key_name = self.naming.primary_key_name(
            name, [c.name for c in closure.columns]
        )
        for cols in (ancestors, descendants):
            names = [c.name for c in cols]
            closure.indexes.append(IndexMeta(self.naming.index_name(name, names), names, span=span))
            closure.foreign_keys.append(
                ForeignKeyMeta(
                    self.naming.foreign_key_name(name, names),
                    names,
                    table.name,
                    [c.name for c in primary],
                    on_delete="CASCADE",
                    on_update="NO ACTION",
                    referenced_schema=table.schema,
                    span=span,
                )
            )
        self.extra_tables.append(closure)


def _fork_table(table: TableMeta) -> TableMeta:
    """A copy of a table whose lists may be changed (`finish` sorts the indexes)."""
    copied = copy.copy(table)
    copied.columns = list(table.columns)
    copied.indexes = list(table.indexes)
    copied.uniques = list(table.uniques)
    copied.checks = list(table.checks)
    copied.foreign_keys = list(table.foreign_keys)
    return copied


def _fork(info: EntityInfo) -> EntityInfo:
    """A copy of an entity's reading that the relations may add to: its table and lists are
    new, its columns shared (the relations copy a column before changing it: `_own_column`),
    so the reading kept for the next read stays as it was."""
    copied = copy.copy(info)
    copied.table = _fork_table(info.table)
    copied.by_property = {prop: list(cols) for prop, cols in info.by_property.items()}
    copied.relations = dict(info.relations)
    copied.members = list(info.members)
    copied.unread_properties = set(info.unread_properties)
    return copied


def _own_column(info: EntityInfo, column: ColumnMeta) -> ColumnMeta:
    """A copy of `column` put in its place in the entity's table and properties, to change
    (the column may be shared with a reading kept for the next read)."""
    copied = copy.copy(column)
    columns = info.table.columns
    for i, c in enumerate(columns):
        if c is column:
            columns[i] = copied
    for cols in info.by_property.values():
        for i, c in enumerate(cols):
            if c is column:
                cols[i] = copied
    return copied


def _first_of_each(members: Iterable[tuple[Module, Member]]) -> list[tuple[Module, Member]]:
    """A property declared again in a subclass: TypeORM keeps the decorators registered first,
    the base class's (`MetadataArgsStorage.filterByTargetAndWithoutDuplicateProperties`)."""
    out: list[tuple[Module, Member]] = []
    seen: set[str] = set()
    for module, member in members:
        if member.name in seen:
            continue
        if member.decorators:
            seen.add(member.name)
        out.append((module, member))
    return [(m, x) for m, x in out if x.decorators or x.name not in seen]


def _column_decorator(member: Member) -> Decorator | None:
    """The column decorator TypeORM keeps: decorators run from the property up, and the first
    registered wins, so the last one written."""
    found = [d for d in member.decorators if d.name in COLUMN_DECORATORS]
    return found[-1] if found else None


def finish(tables: list[TableMeta], naming: NamingStrategy) -> None:
    """Primary key names, once every column (join columns too) is in place."""
    for table in tables:
        table.indexes.sort(key=lambda i: i.rank)
        primary = [c.name for c in table.columns if c.primary]
        if primary and table.primary_key_name is None:
            table.primary_key_name = naming.primary_key_name(table.name, primary)


# -- helpers ---------------------------------------------------------------------------------------


class _Options:
    """A decorator's options object, read with names resolved across files."""

    def __init__(self, reader: _Reader, module: Module, obj: Obj) -> None:
        self.reader = reader
        self.module = module
        self.obj = obj

    def value(self, key: str) -> Value | None:
        v = self.obj.get(key)
        return self.reader.modules.value_of(self.module, v) if v is not None else None

    def str(self, key: str) -> str | None:
        v = self.value(key)
        return v.value if isinstance(v, Str) else None

    def bool(self, key: str) -> bool | None:
        v = self.value(key)
        return v.value if isinstance(v, Bool) else None

    def int(self, key: str) -> int | None:
        v = self.value(key)
        return int(v.value) if isinstance(v, Num) else None

    def length(self) -> str | None:
        v = self.value("length")
        if isinstance(v, Num):
            return str(int(v.value)) if float(v.value).is_integer() else str(v.value)
        if isinstance(v, Str):
            return v.value
        return None

    def enum_values(self) -> tuple[str, ...] | None:
        """`enum: SomeEnum` (its values, as TypeORM takes them: the keys that are not numbers
        map to values), `enum: ["a", "b"]`, or a const object."""
        v = self.value("enum")
        if v is None:
            return None
        if isinstance(v, Array):
            out = []
            for item in v.items:
                item = self.reader.modules.value_of(self.module, item)
                if isinstance(item, Str | Num) and item.value is not None:
                    out.append(_js_text(item.value))
            return tuple(out)
        if isinstance(v, Obj):
            out = []
            for prop in v.props:
                if _is_number(prop.key):
                    continue
                item = self.reader.modules.value_of(self.module, prop.value)
                if isinstance(item, Str | Num) and item.value is not None:
                    out.append(_js_text(item.value))
            return tuple(out)
        self.reader.unread(self.module, v, "The enum's values")
        return None


_UNKNOWN = object()


def _plain(value: Value) -> object:
    """An array or object literal of literals as JSON data (`_UNKNOWN` if any part is not)."""
    if isinstance(value, Str):
        return value.value if value.value is not None else _UNKNOWN
    if isinstance(value, Num | Bool):
        return value.value
    if isinstance(value, Null):
        return None
    if isinstance(value, Array):
        items = [_plain(v) for v in value.items]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    if isinstance(value, Obj):
        if value.spreads or value.unknown_keys:
            return _UNKNOWN
        out = {p.key: _plain(p.value) for p in value.props}
        return _UNKNOWN if any(v is _UNKNOWN for v in out.values()) else out
    return _UNKNOWN


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _js_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _design_type(type_text: str | None) -> str | None:
    """The constructor TypeScript records for a property type (`emitDecoratorMetadata`), or
    None where it records `Object` (a union of several types, an object type)."""
    if type_text is None:
        return None
    parts = [p.strip() for p in type_text.split("|")]
    parts = [p for p in parts if p not in ("null", "undefined")]
    if len(parts) != 1:
        return None
    t = parts[0]
    if t in DESIGN_TYPES:
        return DESIGN_TYPES[t]
    if t in ("String", "Number", "Boolean", "Date", "Buffer"):
        return t
    if t.startswith('"') or t.startswith("'"):
        return "String"
    return None


def _named_type(text: str) -> bool:
    """`MessageType`, `Role` (one name, not a union, array or object type)."""
    return text.replace("_", "").isalnum() and text[:1].isalpha()


def _join_type(family: Family, ref: ColumnMeta) -> str:
    """The referenced column's type for a join column: without SERIAL / AUTO_INCREMENT (a
    generated `increment` key is referenced as its integer type)."""
    if family == "sqlite" and ref.enum is not None:
        return "varchar"
    return ref.full_type


def _enum_name(table: TableMeta, ref: ColumnMeta) -> str:
    """A join column referencing an enum key keeps the referenced enum type (PostgreSQL)."""
    return f"{table.name}_{ref.name.lower()}_enum"


def _action(value: str | None) -> str | None:
    if value is None:
        return None
    return _ACTIONS.get(value.upper())


def _inverse_name(value: Value | None) -> str | None:
    """`(post) => post.author` -> "author"; `"author"` -> "author"."""
    if isinstance(value, Str):
        return value.value
    if isinstance(value, Func) and isinstance(value.returns, Ref) and len(value.returns.path) >= 2:
        return value.returns.path[-1]
    return None


def _inverse_member(
    reader: _Reader, module: Module, dec: Decorator, target: EntityInfo
) -> Member | None:
    name = _inverse_name(dec.arg(1))
    if name is None:
        return None
    return next((m for _, m in target.members if m.name == name), None)


def _owner(info: EntityInfo, member: Member) -> Module:
    return next((o for o, m in info.members if m is member), info.module)


def _ref_names(specs: list[Obj]) -> list[str] | None:
    names = [
        v.value for s in specs if isinstance(v := s.get("referencedColumnName"), Str) and v.value
    ]
    return names or None


def _spec_name(specs: list[Obj], i: int) -> str | None:
    if i >= len(specs):
        return None
    v = specs[i].get("name")
    return v.value if isinstance(v, Str) else None
