"""MySQL and SQLite migrations: sqlglot's tokenizer and parser to operations.

The file is tokenized once (sqlglot's tokens carry character offsets), split into statements
on `;` tokens (a SQLite trigger's `BEGIN ... END` stays whole), and each statement is parsed
alone, so one statement sqlglot cannot read is one finding and the rest still replay. What
sqlglot's tree forgets, the text as written, is taken from the tokens: a SQLite column keeps
its declared type and default exactly as written, and MySQL's are rewritten from that text
into the database's own spelling by the dialect (`mysql.py`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.ddl.statements import Parsed
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokens import Token, TokenType

logging.getLogger("sqlglot").setLevel(logging.ERROR)

# words that end a column's type and start its constraints
_CONSTRAINT_WORDS = frozenset(
    {
        "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
        "REFERENCES", "GENERATED", "AS", "AUTO_INCREMENT", "AUTOINCREMENT", "COMMENT", "ON",
        "CHARSET", "KEY", "INVISIBLE", "VISIBLE", "STORED", "VIRTUAL", "FIRST", "AFTER",
        "PRIMARY KEY", "NOT NULL", "SERIAL",
    }
)  # fmt: skip
_ACTIONS = {
    "CASCADE": "Cascade",
    "RESTRICT": "Restrict",
    "SET NULL": "SetNull",
    "SET DEFAULT": "SetDefault",
    "NO ACTION": "NoAction",
}
_KINDS = {
    exp.Create: "create",
    exp.Alter: "alter_table",
    exp.Drop: "drop",
    exp.Insert: "insert",
    exp.Update: "update",
    exp.Delete: "delete",
    exp.Select: "select",
    exp.Pragma: "pragma",
    exp.Command: "command",
    exp.Transaction: "transaction",
    exp.Commit: "transaction",
    exp.Set: "set",
}

TypeText = Callable[[str, Any], ops.SqlType]
"""A dialect's reading of a column's type: (the type as written, sqlglot's DataType)."""
DefaultText = Callable[[str, Any], Any]
"""A dialect's reading of a default: (the text as written, sqlglot's expression) -> raw."""


class SqlglotReader:
    """Reads one dialect's migration files (see the module docstring)."""

    def __init__(self, dialect: str, type_text: TypeText, default_text: DefaultText) -> None:
        self.dialect_name = dialect
        self.dialect = Dialect.get_or_raise(dialect)
        self.type_text = type_text
        self.default_text = default_text

    # -- splitting --------------------------------------------------------------------------------

    def parse_sql(self, text: str) -> list[Parsed]:
        try:
            tokens = self.dialect.tokenize(text)
        except TokenError:
            return self._parse_pieces(text)
        return [self._statement(text, group) for group in self._groups(tokens)]

    def _groups(self, tokens: list[Token]) -> list[list[Token]]:
        groups: list[list[Token]] = []
        current: list[Token] = []
        in_trigger = False
        for token in tokens:
            if token.token_type == TokenType.SEMICOLON:
                if not current:
                    continue
                if not in_trigger and _starts_trigger(current):
                    in_trigger = True
                if in_trigger and current[-1].text.upper() != "END":
                    current.append(token)
                    continue
                groups.append(current)
                current = []
                in_trigger = False
            else:
                current.append(token)
        if current:
            groups.append(current)
        return groups

    def _parse_pieces(self, text: str) -> list[Parsed]:
        """A file the tokenizer rejects (an unclosed quote): split on `;` by hand and read
        each piece alone, so the rest still replays."""
        out: list[Parsed] = []
        for start, end in _rough_split(text):
            piece = text[start:end]
            try:
                tokens = self.dialect.tokenize(piece)
            except TokenError as error:
                out.append(Parsed(span=(start, end), kind="unknown", error=str(error)))
                continue
            for group in self._groups(tokens):
                shifted = [_shift(t, start) for t in group]
                out.append(self._statement(text, shifted))
        return out

    # -- one statement ----------------------------------------------------------------------------

    def _statement(self, text: str, tokens: list[Token]) -> Parsed:
        span = (tokens[0].start, tokens[-1].end + 1)
        try:
            parser = self.dialect.parser(error_level=ErrorLevel.RAISE)
            trees = parser.parse(tokens, text)
        except (ParseError, TokenError, Exception) as error:
            text = _ANSI.sub("", str(error))
            message = text.splitlines()[0] if text else type(error).__name__
            return Parsed(span=span, kind="unknown", error=message)
        tree = trees[0] if trees else None
        if tree is None:
            return Parsed(span=span, kind="empty", opaque=True)
        kind = _KINDS.get(type(tree), type(tree).__name__.lower())
        translator = _Translator(self, text, tokens)
        try:
            made = translator.statement(tree)
        except _Unsupported as error:
            return Parsed(span=span, kind=kind, error=str(error))
        except Exception as error:  # a reader never raises: the statement is one finding
            return Parsed(span=span, kind=kind, error=f"{type(error).__name__}: {error}")
        if isinstance(tree, exp.Create):
            kind = "create_" + str(tree.args.get("kind") or "").lower()
        if made is None:
            return Parsed(span=span, kind=kind, opaque=True)
        return Parsed(span=span, kind=kind, ops=tuple(made))


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Unsupported(Exception):
    pass


def _starts_trigger(tokens: list[Token]) -> bool:
    words = [t.text.upper() for t in tokens[:6]]
    return bool(words) and words[0] == "CREATE" and "TRIGGER" in words


def _shift(token: Token, by: int) -> Token:
    return Token(
        token.token_type,
        token.text,
        token.line,
        token.col,
        token.start + by,
        token.end + by,
        token.comments,
    )


def _rough_split(text: str) -> list[tuple[int, int]]:
    out = []
    start = i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"`":
            close = text.find(ch, i + 1)
            i = n if close < 0 else close + 1
        elif text.startswith("--", i):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 2
        elif ch == ";":
            out.append((start, i))
            i += 1
            start = i
        else:
            i += 1
    out.append((start, n))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _name(node: Any) -> str:
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if isinstance(node, exp.Identifier | exp.Column | exp.Table | exp.Var):
        return node.name
    return node.name if hasattr(node, "name") else str(node)


def _qname(table: Any) -> ops.QName:
    if isinstance(table, exp.Schema):
        table = table.this
    if isinstance(table, exp.Table):
        return (table.db or None, table.name)
    return (None, _name(table))


def _actions(options: list[Any], dialect: str = "") -> tuple[str, str]:
    # an action not written: InnoDB's default, which MariaDB reports as RESTRICT (an explicit
    # NO ACTION as NO ACTION); SQLite's is NO ACTION
    on_delete = on_update = "Restrict" if dialect == "mysql" else "NoAction"
    for option in options:
        text = " ".join(str(option.this if isinstance(option, exp.Var) else option).split())
        upper = text.upper()
        for prefix in ("ON DELETE ", "ON UPDATE "):
            if upper.startswith(prefix):
                action = _ACTIONS.get(upper[len(prefix) :], "NoAction")
                if prefix == "ON DELETE ":
                    on_delete = action
                else:
                    on_update = action
    return on_delete, on_update


class _Translator:
    """sqlglot's tree of one statement to operations, with the statement's tokens at hand."""

    def __init__(self, reader: SqlglotReader, text: str, tokens: list[Token]) -> None:
        self.reader = reader
        self.text = text
        self.tokens = tokens
        self.by_start = {t.start: i for i, t in enumerate(tokens)}
        self.dialect = reader.dialect_name

    def sql(self, node: Any) -> str:
        if self.dialect == "sqlite":
            node = self._as_written(node)
        return node.sql(dialect=self.dialect)

    def _as_written(self, node: Any) -> Any:
        """SQLite keeps an expression's text as written, and sqlglot prints `substr(...)` as
        `SUBSTRING(...)`: a call written `substr` keeps its name (flowise's chat_flow index)."""

        def written(n: Any) -> Any:
            if isinstance(n, exp.Substring):
                start, end = n.meta.get("start"), n.meta.get("end")
                said = self.text[start : end + 1] if start is not None and end is not None else ""
                if said.lower() == "substr":
                    args = [a for a in (n.this, n.args.get("start"), n.args.get("length")) if a]
                    return exp.Anonymous(this=said, expressions=args)
            return n

        if not any(True for _ in node.find_all(exp.Substring)):
            return node
        return node.copy().transform(written)

    # -- dispatch -------------------------------------------------------------------------------

    def statement(self, tree: Any) -> list[ops.Op] | None:
        if isinstance(tree, exp.Create):
            return self.create(tree)
        if isinstance(tree, exp.Alter):
            return self.alter(tree)
        if isinstance(tree, exp.Drop):
            return self.drop(tree)
        if isinstance(tree, exp.Pragma):
            return self.pragma(tree)
        if isinstance(tree, exp.Command):
            return self.command(tree)
        return None

    def create(self, tree: exp.Create) -> list[ops.Op] | None:
        kind = str(tree.args.get("kind") or "").upper()
        if kind == "TABLE":
            return self.create_table(tree)
        if kind == "VIEW":
            return [
                ops.CreateView(
                    name=_qname(tree.this),
                    or_replace=bool(tree.args.get("replace")),
                    if_not_exists=bool(tree.args.get("exists")),
                )
            ]
        if kind == "INDEX":
            index = tree.this
            table = _qname(index.args.get("table"))
            return [
                ops.CreateIndex(
                    table[1],
                    self.index_def(index, unique=bool(tree.args.get("unique"))),
                    schema=table[0],
                    if_not_exists=bool(tree.args.get("exists")),
                )
            ]
        return None

    # -- tables ---------------------------------------------------------------------------------

    def create_table(self, tree: exp.Create) -> list[ops.Op]:
        schema = tree.this
        if not isinstance(schema, exp.Schema):
            name = _qname(schema)
            return [
                ops.CreateTable(
                    ops.TableDef(name[1], (), schema=name[0]),
                    as_select=True,
                    if_not_exists=bool(tree.args.get("exists")),
                )
            ]
        table = _qname(schema.this)
        columns: list[ops.ColumnDef] = []
        constraints: list[ops.ConstraintDef] = []
        indexes: list[ops.TableChange] = []
        for item in schema.expressions:
            if isinstance(item, exp.ColumnDef):
                columns.append(self.column_def(item))
            elif isinstance(item, exp.Identifier | exp.Column):  # SQLite: a column, no type
                columns.append(ops.ColumnDef(name=item.name, type=self.reader.type_text("", None)))
            else:
                self.table_item(item, None, constraints, indexes, table)
        result: list[ops.Op] = [
            ops.CreateTable(
                ops.TableDef(
                    table[1], tuple(columns), schema=table[0], constraints=tuple(constraints)
                ),
                if_not_exists=bool(tree.args.get("exists")),
            )
        ]
        if indexes:
            result.append(ops.AlterTable(table[1], tuple(indexes), schema=table[0]))
        return result

    def table_item(
        self,
        item: Any,
        name: str | None,
        constraints: list[ops.ConstraintDef],
        indexes: list[ops.TableChange],
        table: ops.QName,
    ) -> None:
        """A table constraint (or MySQL's inline index) inside CREATE TABLE or ADD."""
        if isinstance(item, exp.Constraint):
            for inner in item.expressions:
                self.table_item(inner, item.name, constraints, indexes, table)
            return
        if isinstance(item, exp.PrimaryKey):
            constraints.append(
                ops.ConstraintDef(
                    kind="primary_key",
                    name=name,
                    columns=tuple(self.key_part(p) for p in item.expressions),
                )
            )
        elif isinstance(item, exp.PrimaryKeyColumnConstraint):
            constraints.append(ops.ConstraintDef(kind="primary_key", name=name))
        elif isinstance(item, exp.UniqueColumnConstraint):
            target = item.this
            parts = target.expressions if isinstance(target, exp.Schema) else []
            index_name = (
                target.this.name
                if isinstance(target, exp.Schema) and target.this
                else (target.name if isinstance(target, exp.Identifier) else None)
            )
            constraints.append(
                ops.ConstraintDef(
                    kind="unique",
                    name=name or index_name or None,
                    columns=tuple(self.key_part(p) for p in parts),
                )
            )
        elif isinstance(item, exp.ForeignKey):
            reference = item.args.get("reference")
            ref_schema = reference.this if reference is not None else None
            on_delete, on_update = _actions(
                reference.args.get("options") or [] if reference is not None else [],
                self.dialect,
            )
            if item.args.get("delete"):
                on_delete = _ACTIONS.get(str(item.args["delete"]).upper(), on_delete)
            if item.args.get("update"):
                on_update = _ACTIONS.get(str(item.args["update"]).upper(), on_update)
            constraints.append(
                ops.ConstraintDef(
                    kind="foreign_key",
                    name=name,
                    columns=tuple(ops.IndexPart(column=_name(c)) for c in item.expressions),
                    ref_table=_qname(ref_schema) if ref_schema is not None else None,
                    ref_columns=tuple(_name(c) for c in ref_schema.expressions)
                    if isinstance(ref_schema, exp.Schema)
                    else (),
                    on_delete=on_delete,
                    on_update=on_update,
                )
            )  # type: ignore[arg-type]
        elif isinstance(item, exp.CheckColumnConstraint):
            constraints.append(ops.ConstraintDef(kind="check", name=name, raw=self.sql(item.this)))
        elif isinstance(item, exp.IndexColumnConstraint):
            kind = str(item.args.get("kind") or "").upper()
            index = ops.IndexDef(
                name=item.name or name or None,
                columns=tuple(self.key_part(p) for p in item.expressions),
                unique=kind == "UNIQUE",
                method="FULLTEXT" if kind == "FULLTEXT" else _index_using(item),
            )
            indexes.append(ops.CreateIndex(table[1], index, table[0]))
        else:
            raise _Unsupported(f"unsupported table element {self.sql(item)!r}")

    def key_part(self, node: Any) -> ops.IndexPart:
        sort = None
        if isinstance(node, exp.Ordered):
            sort = "desc" if node.args.get("desc") else None
            node = node.this
        length = None
        if isinstance(node, exp.ColumnPrefix):
            length = int(node.expression.name)
            node = node.this
        if isinstance(node, exp.Identifier | exp.Column):
            return ops.IndexPart(column=node.name, sort=sort, length=length)
        return ops.IndexPart(raw=self.sql(node), sort=sort, length=length)

    def index_def(self, index: Any, unique: bool) -> ops.IndexDef:
        params = index.args.get("params")
        parts = params.args.get("columns") or [] if params is not None else []
        where = params.args.get("where") if params is not None else None
        include = params.args.get("include") or [] if params is not None else []
        using = params.args.get("using") if params is not None else None
        return ops.IndexDef(
            name=index.name or None,
            columns=tuple(self.key_part(p) for p in parts),
            unique=unique,
            include=tuple(_name(i) for i in include),
            predicate=self.sql(where.this) if where is not None else None,
            method=_name(using).lower() if using is not None else None,
        )

    # -- columns --------------------------------------------------------------------------------

    def column_tokens(self, cd: exp.ColumnDef) -> list[Token]:
        """The tokens of a column definition after its name (to the `,` or `)` closing it)."""
        meta = cd.this.meta if isinstance(cd.this, exp.Identifier) else {}
        start = self.by_start.get(meta.get("start", -1))
        if start is None:
            return []
        out = []
        depth = 0
        for token in self.tokens[start + 1 :]:
            kind = token.token_type
            if kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                if depth == 0:
                    break
                depth -= 1
            elif kind == TokenType.COMMA and depth == 0:
                break
            out.append(token)
        return out

    def raw(self, tokens: list[Token]) -> str:
        return self.text[tokens[0].start : tokens[-1].end + 1] if tokens else ""

    def column_def(self, cd: exp.ColumnDef) -> ops.ColumnDef:
        tokens = self.column_tokens(cd)
        type_tokens: list[Token] = []
        depth = 0
        for i, token in enumerate(tokens):
            word = token.text.upper()
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
            elif (
                depth == 0
                and token.token_type != TokenType.STRING
                and (
                    word in _CONSTRAINT_WORDS
                    or word.split(" ")[0] in _CONSTRAINT_WORDS
                    or (
                        word == "CHARACTER"
                        and i + 1 < len(tokens)
                        and tokens[i + 1].text.upper() == "SET"
                    )
                )
            ):
                break
            type_tokens.append(token)
        type_raw = self.raw(type_tokens)
        sql_type = self.reader.type_text(type_raw, cd.args.get("kind"))
        not_null = False
        nullable_explicit = False
        default = None
        auto_increment = False
        comment = None
        generated = None
        inline: list[ops.ConstraintDef] = []
        for constraint in cd.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            cname = constraint.name or None
            if isinstance(kind, exp.NotNullColumnConstraint):
                if kind.args.get("allow_null"):
                    not_null = False
                    nullable_explicit = True
                else:
                    not_null = True
            elif isinstance(kind, exp.DefaultColumnConstraint):
                default = self.reader.default_text(self.default_raw(tokens), kind.this)
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                inline.append(
                    ops.ConstraintDef(
                        kind="primary_key",
                        name=cname,
                        columns=(
                            ops.IndexPart(
                                column=cd.name, sort="desc" if kind.args.get("desc") else None
                            ),
                        ),
                    )
                )
            elif isinstance(kind, exp.AutoIncrementColumnConstraint):
                auto_increment = True
            elif isinstance(kind, exp.UniqueColumnConstraint):
                inline.append(
                    ops.ConstraintDef(
                        kind="unique", name=cname, columns=(ops.IndexPart(column=cd.name),)
                    )
                )
            elif isinstance(kind, exp.Reference):
                ref_schema = kind.this
                on_delete, on_update = _actions(kind.args.get("options") or [], self.dialect)
                inline.append(
                    ops.ConstraintDef(
                        kind="foreign_key",
                        name=cname,
                        columns=(ops.IndexPart(column=cd.name),),
                        ref_table=_qname(ref_schema),
                        ref_columns=tuple(_name(c) for c in ref_schema.expressions)
                        if isinstance(ref_schema, exp.Schema)
                        else (),
                        on_delete=on_delete,
                        on_update=on_update,
                    )
                )  # type: ignore[arg-type]
            elif isinstance(kind, exp.CheckColumnConstraint):
                inline.append(ops.ConstraintDef(kind="check", name=cname, raw=self.sql(kind.this)))
            elif isinstance(kind, exp.CommentColumnConstraint):
                comment = kind.this.name if kind.this is not None else None
            elif isinstance(kind, exp.ComputedColumnConstraint):
                generated = self.sql(kind.this)
        position = None
        pos = cd.args.get("position")
        if isinstance(pos, exp.ColumnPosition):
            where = str(pos.args.get("position") or "").upper()
            position = ("first", None) if where == "FIRST" else ("after", _name(pos.this))
        return ops.ColumnDef(
            name=cd.name,
            type=sql_type,
            nullable=not not_null,
            nullable_explicit=nullable_explicit,
            default=ops.DefaultDef.parsed(default),
            autoincrement=auto_increment,
            generated=generated,
            constraints=tuple(inline),
            comment=comment,
            position=position,
        )

    def default_raw(self, tokens: list[Token]) -> str:
        """The default's text as written: after DEFAULT, one term (a literal, a signed
        number, a keyword or a call) or a parenthesised expression."""
        for i, token in enumerate(tokens):
            if token.token_type == TokenType.DEFAULT or token.text.upper() == "DEFAULT":
                rest = tokens[i + 1 :]
                break
        else:
            return ""
        if not rest:
            return ""
        first = rest[0]
        end = 0
        if first.token_type == TokenType.L_PAREN or (
            len(rest) > 1 and rest[1].token_type == TokenType.L_PAREN
        ):
            depth = 0
            for j, token in enumerate(rest):
                if token.token_type == TokenType.L_PAREN:
                    depth += 1
                elif token.token_type == TokenType.R_PAREN:
                    depth -= 1
                    if depth == 0:
                        end = j
                        break
        elif first.text in ("-", "+") and len(rest) > 1:
            end = 1
        return self.raw(rest[: end + 1])

    # -- ALTER TABLE ----------------------------------------------------------------------------

    def alter(self, tree: exp.Alter) -> list[ops.Op] | None:
        kind = str(tree.args.get("kind") or "TABLE").upper()
        if kind != "TABLE":
            return None
        table = _qname(tree.this)
        actions: list[ops.TableChange] = []
        for action in tree.args.get("actions") or []:
            actions.extend(self.action(action, table))
        return [
            ops.AlterTable(
                table[1], tuple(actions), schema=table[0], if_exists=bool(tree.args.get("exists"))
            )
        ]

    def action(self, node: Any, table: ops.QName) -> list[ops.TableChange]:
        if isinstance(node, exp.ColumnDef):
            return [
                ops.AddColumn(
                    column=self.column_def(node), if_not_exists=bool(node.args.get("exists"))
                )
            ]
        if isinstance(node, exp.ModifyColumn):
            cd = node.this
            old = node.args.get("rename_from")
            return [
                ops.ModifyColumn(
                    name=_name(old) if old is not None else cd.name, after=self.column_def(cd)
                )
            ]
        if isinstance(node, exp.Drop):
            return self.drop_action(node, table)
        if isinstance(node, exp.DropPrimaryKey):
            return [ops.DropConstraint(name=None, kind="primary_key")]
        if isinstance(node, exp.RenameColumn):
            old, new = _name(node.this), _name(node.args.get("to"))
            return [ops.RenameColumn(table[1], old, new, table[0])]
        if isinstance(node, exp.AlterRename):
            return [ops.RenameTable(table[1], _qname(node.this)[1], table[0])]
        if isinstance(node, exp.RenameIndex):
            old, new = _name(node.this), _name(node.args.get("to"))
            return [ops.RenameIndex(table[1], old, new, table[0])]
        if isinstance(node, exp.AddConstraint):
            constraints: list[ops.ConstraintDef] = []
            indexes: list[ops.TableChange] = []
            for item in node.expressions:
                self.table_item(item, None, constraints, indexes, table)
            return [*(ops.AddConstraint(constraint=c) for c in constraints), *indexes]
        if isinstance(node, exp.AlterColumn):
            name = _name(node.this)
            if node.args.get("drop") and node.args.get("default") is None:
                return [ops.DropDefault(name)]
            if node.args.get("default") is not None:
                value = node.args["default"]
                raw = self.reader.default_text(self.sql(value), value)
                return [ops.SetDefault(name, ops.DefaultDef("expression", raw=raw))]
            if node.args.get("dtype") is not None:
                dtype = node.args["dtype"]
                return [
                    ops.AlterColumnType(
                        name=name, type=self.reader.type_text(self.sql(dtype), dtype)
                    )
                ]
            return [ops.IgnoredAction(what=self.sql(node))]
        return [ops.IgnoredAction(what=type(node).__name__)]

    def drop_action(self, node: exp.Drop, table: ops.QName) -> list[ops.TableChange]:
        kind = str(node.args.get("kind") or "").upper()
        names = [_name(t) for t in node.args.get("tables") or []]
        exists = bool(node.args.get("exists"))
        if kind == "COLUMN":
            return [ops.DropColumn(name=n, if_exists=exists) for n in names]
        if kind == "FOREIGN KEY":
            return [ops.DropConstraint(name=n, kind="foreign_key", if_exists=exists) for n in names]
        if kind in ("INDEX", "KEY"):
            return [
                ops.DropIndex(table[1], ops.IndexDef(n), table[0], if_exists=exists) for n in names
            ]
        if kind in ("CONSTRAINT", "CHECK"):
            return [ops.DropConstraint(name=n, if_exists=exists) for n in names]
        if kind == "PRIMARY KEY":
            return [ops.DropConstraint(name=None, kind="primary_key")]
        return [ops.IgnoredAction(what=f"DROP {kind}")]

    # -- the rest -------------------------------------------------------------------------------

    def drop(self, tree: exp.Drop) -> list[ops.Op] | None:
        kind = str(tree.args.get("kind") or "").upper()
        names = tuple(_qname(t) for t in tree.args.get("tables") or [])
        exists = bool(tree.args.get("exists"))
        if kind in ("TABLE", "VIEW"):
            return ops.drop_objects(
                kind.lower(), names, if_exists=exists, cascade=bool(tree.args.get("cascade"))
            )
        if kind == "INDEX":
            on = tree.args.get("cluster")
            on_table = _qname(on.this) if isinstance(on, exp.OnProperty) else None
            return ops.drop_objects("index", names, if_exists=exists, on_table=on_table)
        return None

    def pragma(self, tree: exp.Pragma) -> list[ops.Op]:
        inner = tree.this
        if isinstance(inner, exp.EQ):
            return [ops.Pragma(name=_name(inner.this), value=_name(inner.expression))]
        return [ops.Pragma(name=_name(inner), value=None)]

    def command(self, tree: exp.Command) -> list[ops.Op] | None:
        word = str(tree.this).upper()
        expression = tree.args.get("expression")
        rest = expression if isinstance(expression, str) else _name(expression)
        next_word = rest.split(None, 1)[0].upper() if rest.strip() else ""
        if word == "ALTER" and self.dialect == "mysql":
            # `ALTER TABLE t CONVERT TO CHARACTER SET x`: nothing the replay models, but the
            # migration rules need to see it (it copies the table)
            convert = _CONVERT.match(rest)
            if convert is not None:
                what = " ".join(convert.group(2).split()).rstrip(";").strip()
                return [ops.AlterTable(_unquote(convert.group(1)), (ops.IgnoredAction(what=what),))]
        if word in ("CREATE", "ALTER", "DROP") and next_word not in _OPAQUE_OBJECTS:
            # sqlglot fell back to a raw command: a DDL statement it could not read
            raise _Unsupported(f"sqlglot cannot read this {word} statement")
        if word == "RENAME" and self.dialect == "mysql":
            match = re.match(r"\s*TABLE\s+(.*)$", rest, re.I | re.S)
            if match:
                result: list[ops.Op] = []
                for pair in match.group(1).split(","):
                    names = re.split(r"\s+TO\s+", pair.strip(), flags=re.I)
                    if len(names) == 2:
                        result.append(ops.RenameTable(_unquote(names[0]), _unquote(names[1])))
                return result
        return None


_OPAQUE_OBJECTS = frozenset(
    {
        "TRIGGER",
        "PROCEDURE",
        "FUNCTION",
        "EVENT",
        "DEFINER",
        "OR",
        "USER",
        "ROLE",
        "SERVER",
        "DATABASE",
        "SCHEMA",
        "TEMP",
        "TEMPORARY",
        "ALGORITHM",
        "SQL",
        "AGGREGATE",
    }
)
"""What follows CREATE / ALTER / DROP in a statement kept as it is (not a table change)."""

_CONVERT = re.compile(
    r"\s*TABLE\s+(`[^`]+`|[\w$.]+)\s+(CONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\b.*)$",
    re.I | re.S,
)


def _unquote(name: str) -> str:
    name = name.strip().rstrip(";").strip()
    if "." in name and not name.startswith(("`", '"')):
        name = name.split(".")[-1]
    if len(name) >= 2 and name[0] == name[-1] and name[0] in '`"[':
        return name[1:-1]
    if name.startswith("[") and name.endswith("]"):
        return name[1:-1]
    return name


def _index_using(item: Any) -> str | None:
    using = item.args.get("index_type")
    if isinstance(using, exp.Var | exp.Identifier):
        return using.name.lower()
    options = item.args.get("options") or []
    for option in options:
        text = str(option).upper()
        if text.startswith("USING "):
            return text.split()[1].lower()
    return None
