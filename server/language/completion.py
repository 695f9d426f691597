"""Completion in `.prisma` files, read off the text at the cursor (which is often half typed and
does not parse) and the position index of the last read (for the names of models, enums, fields
and the provider).

Contexts, from the cursor backwards on the current line:
- a field's type: scalars, models, enums, composite types, `Unsupported("")`;
- `@db.`: the provider's native types that fit the field's scalar, with their arguments;
- `@` after a field's type, `@@` in a block: the attributes (with their arguments as snippets);
- inside `@relation(`: its argument names; after `onDelete:` / `onUpdate:`, the referential
  actions the provider allows under the relation mode; inside `fields: [`, the model's scalar
  fields; inside `references: [`, the target model's fields;
- inside `@@index([`, `@@unique([`, `@@id([`, `@@fulltext([`: the model's scalar fields not
  listed yet; `type:` of `@@index`: the provider's index types; `sort:`: `Asc` / `Desc`;
- inside `@default(`: the functions that suit the field's type, enum values for an enum field,
  `true` / `false` for a Boolean;
- top level: block keywords; in a datasource: property names, providers, relation modes.

Snippets use LSP's syntax (`$1`, `${1:name}`); `plain_text()` gives the text without them for
clients that do not take snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from schemasense.codegen.dialects import get_dialect, providers
from schemasense.codegen.dialects.capabilities import REFERENTIAL_ACTION_ORDER
from schemasense.server.sources.prisma import ast
from schemasense.server.sources.prisma.database import SCALAR_TYPES
from schemasense.server.sources.prisma.index import SchemaIndex

ItemKind = Literal[
    "scalar",
    "model",
    "enum",
    "composite",
    "native",
    "attribute",
    "argument",
    "action",
    "field",
    "value",
    "function",
    "keyword",
    "property",
]


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    kind: ItemKind
    detail: str = ""
    insert: str | None = None
    """Snippet text to insert (None: the label)."""
    documentation: str | None = None
    retrigger: bool = False
    """Ask for completion again after inserting (`@db.`)."""


@dataclass(slots=True)
class Completions:
    """Items that replace `[start, end)` of the text (the word being typed)."""

    items: list[Completion] = field(default_factory=list)
    start: int = 0
    end: int = 0


_SNIPPET = re.compile(r"\$\{\d+:([^}]*)\}|\$\d+")


def plain_text(snippet: str) -> str:
    """A snippet without its tab stops (placeholders keep their text)."""
    return _SNIPPET.sub(lambda m: m.group(1) or "", snippet)


_HEADER = re.compile(r"^\s*(model|view|type|enum|datasource|generator)\s+(\w+)")
_WORD_BEFORE = re.compile(r"[A-Za-z0-9_]*$")
_WORD_AFTER = re.compile(r"^[A-Za-z0-9_]*")
_FIELD_LINE = re.compile(r"^\s*(\w+)\s+(\w*)(\?|\[\])?(\s.*)?$")
_BLOCK_ATTRIBUTE_LINE = re.compile(r"^\s*@@")
_PROPERTY_LINE = re.compile(r"^\s*(\w+)\s*=\s*(.*)$")

_TOP_KEYWORDS = ("model", "enum", "type", "view", "datasource", "generator")
_DATASOURCE_PROPERTIES = (
    "provider",
    "url",
    "directUrl",
    "shadowDatabaseUrl",
    "relationMode",
    "extensions",
    "schemas",
)
_GENERATOR_PROPERTIES = ("provider", "output", "previewFeatures", "binaryTargets", "engineType")


def complete(index: SchemaIndex, file: str, offset: int, text: str | None = None) -> Completions:
    """What may be typed at `offset` of `file`, whose text is `text` (by default the one
    `index` was built from; the index may be a keystroke behind it: only names are read
    from it)."""
    text = index.texts.get(file, "") if text is None else text
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    before = text[line_start:offset]
    word = _WORD_BEFORE.search(before)
    after = _WORD_AFTER.match(text[offset:line_end])
    result = Completions(
        start=offset - len(word.group(0)) if word else offset,
        end=offset + (len(after.group(0)) if after else 0),
    )
    if _in_comment(before):
        return result
    block = _enclosing_block(text, line_start)
    if block is None:
        if re.fullmatch(r"\s*\w*", before):
            result.items = [Completion(k, "keyword") for k in _TOP_KEYWORDS]
        return result
    kind, name = block
    if kind in ("datasource", "generator"):
        result.items = _config_items(kind, before, result)
        return result
    if kind == "enum":
        m = re.search(r"@@?\w*$", before)
        if m:
            result.start = line_start + m.start()
            block_level = m.group(0).startswith("@@")
            result.items = [
                Completion(label, "attribute", insert=insert)
                for label, insert in (
                    (("@@map", '@@map("$1")'), ("@@schema", '@@schema("$1")'))
                    if block_level
                    else (("@map", '@map("$1")'),)
                )
            ]
        return result
    result.items = _model_items(index, name, kind, before, offset, result)
    return result


def _in_comment(before: str) -> bool:
    in_string = False
    for i, ch in enumerate(before):
        if ch == '"' and (i == 0 or before[i - 1] != "\\"):
            in_string = not in_string
        elif not in_string and before.startswith("//", i):
            return True
    return False


def _enclosing_block(text: str, line_start: int) -> tuple[str, str] | None:
    """(kind, name) of the block the line at `line_start` is in, read backwards from it."""
    end = line_start
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start : end - 1] if text[end - 1] == "\n" else text[start:end]
        stripped = line.strip()
        if stripped.startswith("}"):
            return None
        m = _HEADER.match(line)
        if m and "{" in line:
            return m.group(1), m.group(2)
        end = start
    return None


# -- config blocks -------------------------------------------------------------------------------


def _config_items(kind: str, before: str, result: Completions) -> list[Completion]:
    m = _PROPERTY_LINE.match(before)
    if m is None:
        if re.fullmatch(r"\s*\w*", before):
            names = _DATASOURCE_PROPERTIES if kind == "datasource" else _GENERATOR_PROPERTIES
            return [Completion(n, "property", insert=f"{n} = $0") for n in names]
        return []
    prop, value = m.group(1), m.group(2)
    if kind == "datasource" and prop == "provider" and value.startswith('"'):
        return [Completion(p, "value") for p in providers()]
    if kind == "datasource" and prop == "relationMode" and value.startswith('"'):
        return [Completion(p, "value") for p in ("foreignKeys", "prisma")]
    if kind == "generator" and prop == "provider" and value.startswith('"'):
        return [Completion(p, "value") for p in ("prisma-client-js", "prisma-client")]
    return []


# -- models --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Frame:
    kind: Literal["call", "array"]
    name: str
    argument: str | None = None
    items: list[str] = field(default_factory=list)


def _frames(text: str) -> tuple[list[_Frame], bool]:
    """The calls and arrays still open at the end of `text` (innermost last), and whether
    the end is inside a string."""
    stack: list[_Frame] = []
    i = 0
    n = len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
        elif ch == "(":
            m = re.search(r"(@{0,2}[\w.]+)\s*$", text[:i])
            stack.append(_Frame("call", m.group(1) if m else ""))
        elif ch == "[":
            argument = stack[-1].argument if stack and stack[-1].kind == "call" else None
            stack.append(_Frame("array", argument or ""))
        elif ch in ")]":
            if stack:
                stack.pop()
        elif ch == ",":
            if stack and stack[-1].kind == "call":
                stack[-1].argument = None
        elif ch == ":":
            m = re.search(r"(\w+)\s*$", text[:i])
            if stack and stack[-1].kind == "call" and m:
                stack[-1].argument = m.group(1)
        elif ch.isalpha() or ch == "_":
            m = re.match(r"[\w.]+", text[i:])
            assert m is not None
            if stack and stack[-1].kind == "array":
                stack[-1].items.append(m.group(0))
            i += len(m.group(0))
            continue
        i += 1
    return stack, in_string


def _model_items(
    index: SchemaIndex, model: str, kind: str, before: str, offset: int, result: Completions
) -> list[Completion]:
    """Items inside a model, view or composite type; `before` is the line up to `offset`."""
    if _BLOCK_ATTRIBUTE_LINE.match(before):
        stack, in_string = _frames(before)
        if in_string:
            return []
        if not stack:
            m = re.search(r"@@\w*$", before)
            if m is None:
                return []
            result.start = offset - len(m.group(0))
            return _block_attributes(index, kind)
        return _block_attribute_args(index, model, stack, before)
    m = _FIELD_LINE.match(before)
    if m is None:
        return []  # the field's name is being typed
    _, type_name, modifier, rest = m.groups()
    if rest is None:
        if modifier is None:
            return _types(index)
        return []
    stack, in_string = _frames(rest)
    if in_string:
        return []
    if not stack:
        return _attribute_position(index, model, type_name, modifier, rest, offset, result)
    return _field_attribute_args(index, model, type_name, modifier, stack)


def _types(index: SchemaIndex) -> list[Completion]:
    items = [Completion(s, "scalar", "scalar type") for s in sorted(SCALAR_TYPES)]
    for name, (_, node) in sorted(index.models.items()):
        if node.kind == "type":
            items.append(Completion(name, "composite", "composite type"))
        else:
            items.append(Completion(name, "model", node.kind))
    items.extend(Completion(name, "enum", "enum") for name in sorted(index.enums))
    items.append(
        Completion("Unsupported", "scalar", "a type Prisma cannot read", 'Unsupported("$1")')
    )
    return items


def _datasource_name(index: SchemaIndex) -> str:
    return index.datasource[1].name.name if index.datasource is not None else "db"


def _attribute_position(
    index: SchemaIndex,
    model: str,
    type_name: str,
    modifier: str | None,
    rest: str,
    offset: int,
    result: Completions,
) -> list[Completion]:
    ds = _datasource_name(index)
    native = re.search(rf"@{re.escape(ds)}\.(\w*)$", rest)
    if native is not None:
        return _native_types(index, type_name)
    at = re.search(r"@\w*$", rest)
    if at is None:
        if rest.endswith((" ", "\t")):
            # after the type: offer the attributes with their `@`
            return _field_attributes(index, model, type_name, modifier)
        return []
    result.start = offset - len(at.group(0))  # the `@` is replaced too
    return _field_attributes(index, model, type_name, modifier)


def _is_relation_type(index: SchemaIndex, type_name: str) -> bool:
    node = index.models.get(type_name)
    return node is not None and node[1].kind != "type"


def _field_attributes(
    index: SchemaIndex, model: str, type_name: str, modifier: str | None
) -> list[Completion]:
    ds = _datasource_name(index)
    if _is_relation_type(index, type_name):
        return [
            Completion(
                "@relation",
                "attribute",
                "the relation's fields, references and actions",
                "@relation(fields: [$1], references: [$2])",
            ),
            Completion("@relation(name)", "attribute", "a named relation", '@relation("$1")'),
            Completion("@ignore", "attribute", "leave it out of Prisma Client"),
        ]
    is_composite_model = model in index.models and index.models[model][1].kind == "type"
    items = []
    if not is_composite_model:
        items += [
            Completion("@id", "attribute", "the primary key"),
            Completion("@unique", "attribute", "a unique constraint"),
        ]
    items += [
        Completion("@default", "attribute", "a default value", "@default($1)", retrigger=True),
        Completion("@map", "attribute", "the column's database name", '@map("$1")'),
    ]
    if type_name == "DateTime" and modifier != "[]":
        items.append(Completion("@updatedAt", "attribute", "set by Prisma Client on update"))
    if not is_composite_model:
        items.append(Completion("@ignore", "attribute", "leave it out of Prisma Client"))
    dialect = get_dialect(index.provider)
    if dialect is not None and dialect.NATIVE_TYPES and type_name in SCALAR_TYPES:
        items.append(
            Completion(f"@{ds}.", "attribute", "a native database type", f"@{ds}.", retrigger=True)
        )
    return items


def _native_types(index: SchemaIndex, type_name: str) -> list[Completion]:
    dialect = get_dialect(index.provider)
    if dialect is None:
        return []
    items = []
    hints = {
        "int": "(${1:n})",
        "optional_int": "",
        "optional_int_or_max": "",
        "optional_precision_scale": "",
        "none": "",
    }
    for name, spec in dialect.NATIVE_TYPES.items():
        if type_name in SCALAR_TYPES and type_name not in spec.scalars:
            continue
        args = {
            "int": "(n)",
            "optional_int": "(n?)",
            "optional_int_or_max": "(n | Max)?",
            "optional_precision_scale": "(p, s)?",
            "none": "",
        }[spec.args]
        items.append(
            Completion(
                name,
                "native",
                f"{spec.sql}{args}" + (f" · {', '.join(spec.scalars)}" if spec.scalars else ""),
                name + hints[spec.args],
            )
        )
    return items


def _scalar_fields(index: SchemaIndex, model: str) -> list[tuple[str, str]]:
    node = index.models.get(model)
    if node is None:
        return []
    found = []
    for f in node[1].fields:
        if f.type is None or _is_relation_type(index, f.type.name):
            continue
        found.append((f.name.name, _type_text(f)))
    return found


def _type_text(f: ast.Field) -> str:
    if f.type is None:
        return ""
    return f.type.name + {"optional": "?", "list": "[]"}.get(f.arity, "")


def _field_items(index: SchemaIndex, model: str, listed: list[str]) -> list[Completion]:
    return [
        Completion(name, "field", detail)
        for name, detail in _scalar_fields(index, model)
        if name not in listed
    ]


def _field_attribute_args(
    index: SchemaIndex, model: str, type_name: str, modifier: str | None, stack: list[_Frame]
) -> list[Completion]:
    top = stack[-1]
    call = next((f for f in reversed(stack) if f.kind == "call"), None)
    if call is None:
        return []
    if call.name == "@relation":
        if top.kind == "array":
            if top.name == "fields":
                return _field_items(index, model, top.items)
            if top.name == "references":
                return _field_items(index, type_name, top.items)
            return []
        if call.argument in ("onDelete", "onUpdate"):
            return _actions(index)
        if call.argument is None:
            return [
                Completion("fields", "argument", "the scalar fields here", "fields: [$1]"),
                Completion(
                    "references", "argument", "the fields they point at", "references: [$1]"
                ),
                Completion(
                    "onDelete",
                    "argument",
                    "what deleting the referenced row does",
                    "onDelete: $1",
                    retrigger=True,
                ),
                Completion(
                    "onUpdate",
                    "argument",
                    "what changing the referenced key does",
                    "onUpdate: $1",
                    retrigger=True,
                ),
                Completion("map", "argument", "the foreign key's database name", 'map: "$1"'),
                Completion("name", "argument", "the relation's name", 'name: "$1"'),
            ]
        return []
    if call.name == "@default" and call.argument is None and top.kind == "call":
        return _default_items(index, type_name, modifier)
    if call.name in ("@id", "@unique") and top.kind == "call":
        if call.argument == "sort":
            return [Completion("Asc", "value"), Completion("Desc", "value")]
        if call.argument is None:
            return [
                Completion("map", "argument", "the constraint's database name", 'map: "$1"'),
                Completion("sort", "argument", "Asc or Desc", "sort: $1", retrigger=True),
                Completion("length", "argument", "a prefix length (MySQL)", "length: $1"),
                Completion("clustered", "argument", "SQL Server", "clustered: $1"),
            ]
    return []


def _actions(index: SchemaIndex) -> list[Completion]:
    dialect = get_dialect(index.provider)
    mode = index.db.config.relation_mode if index.db is not None else "foreignKeys"
    allowed = dialect.referential_actions(mode) if dialect is not None else REFERENTIAL_ACTION_ORDER  # type: ignore[arg-type]
    docs = {
        "Cascade": "delete / update the rows that refer to it too",
        "Restrict": "refuse while rows refer to it",
        "NoAction": "like Restrict, checked at the end of the statement",
        "SetNull": "set the referring fields to NULL (they must be optional)",
        "SetDefault": "set the referring fields to their defaults",
    }
    return [Completion(a, "action", docs[a]) for a in REFERENTIAL_ACTION_ORDER if a in allowed]


def _default_items(index: SchemaIndex, type_name: str, modifier: str | None) -> list[Completion]:
    if modifier == "[]":
        return [Completion("[]", "value", "an empty list")]
    if type_name in index.enums:
        values = [
            Completion(value.name.name, "value", f"{type_name} value")
            for value in index.enums[type_name][1].values
        ]
        if index.provider != "mongodb":
            values.append(
                Completion('dbgenerated("")', "function", "an SQL expression", 'dbgenerated("$1")')
            )
        return values
    provider = index.provider
    functions: list[tuple[str, str, str]] = []
    if type_name in ("Int", "BigInt"):
        if provider == "cockroachdb":
            functions.append(("sequence()", "sequence()", "a CockroachDB sequence"))
        if provider != "mongodb":
            functions.append(("autoincrement()", "autoincrement()", "generated by the database"))
    elif type_name == "String":
        if provider == "mongodb":
            functions.append(("auto()", "auto()", "an ObjectId MongoDB generates (@db.ObjectId)"))
        functions += [
            ("uuid()", "uuid()", "a UUID v4, generated by Prisma Client"),
            ("uuid(7)", "uuid(7)", "a UUID v7 (time-ordered), generated by Prisma Client"),
            ("cuid()", "cuid()", "a CUID, generated by Prisma Client"),
            ("cuid(2)", "cuid(2)", "a CUID2, generated by Prisma Client"),
            ("nanoid()", "nanoid()", "a Nano ID, generated by Prisma Client"),
            ("ulid()", "ulid()", "a ULID, generated by Prisma Client"),
            ('""', '"$1"', "a string"),
        ]
    elif type_name == "DateTime":
        functions.append(("now()", "now()", "CURRENT_TIMESTAMP"))
    elif type_name == "Boolean":
        functions += [("true", "true", ""), ("false", "false", "")]
    if provider != "mongodb" and type_name in SCALAR_TYPES:
        functions.append(('dbgenerated("")', 'dbgenerated("$1")', "an SQL expression as given"))
    return [Completion(label, "function", doc, insert) for label, insert, doc in functions]


def _block_attributes(index: SchemaIndex, kind: str) -> list[Completion]:
    dialect = get_dialect(index.provider)
    items = []
    if kind != "type":
        items += [
            Completion("@@id", "attribute", "a compound primary key", "@@id([$1])"),
            Completion("@@unique", "attribute", "a compound unique constraint", "@@unique([$1])"),
            Completion("@@index", "attribute", "an index", "@@index([$1])"),
        ]
        if dialect is not None and dialect.has("FullTextIndex"):
            items.append(
                Completion("@@fulltext", "attribute", "a full-text index", "@@fulltext([$1])")
            )
        items += [
            Completion("@@map", "attribute", "the table's database name", '@@map("$1")'),
            Completion("@@ignore", "attribute", "leave the model out of Prisma Client"),
        ]
        schemas = index.db.config.schemas if index.db is not None else []
        if schemas:
            detail = "one of " + ", ".join(schemas)
            items.append(Completion("@@schema", "attribute", detail, '@@schema("$1")'))
    return items


def _block_attribute_args(
    index: SchemaIndex, model: str, stack: list[_Frame], before: str
) -> list[Completion]:
    top = stack[-1]
    call = stack[0]
    name = call.name.removeprefix("@@")
    if name not in ("id", "unique", "index", "fulltext"):
        return []
    if top.kind == "array" and len(stack) == 2 and top.name in ("", "fields"):
        return _field_items(index, model, top.items)
    if top.kind == "call" and len(stack) == 3:
        # a field's options: `[title(sort: Desc)]`
        if top.argument == "sort":
            return [Completion("Asc", "value"), Completion("Desc", "value")]
        if top.argument is None:
            return [
                Completion("sort", "argument", "Asc or Desc", "sort: $1", retrigger=True),
                Completion("length", "argument", "a prefix length (MySQL)", "length: $1"),
                Completion("ops", "argument", "an operator class (PostgreSQL)", "ops: $1"),
            ]
        return []
    if top is call:
        if call.argument == "type" and name == "index":
            dialect = get_dialect(index.provider)
            types = sorted(dialect.INDEX_TYPES) if dialect is not None else ["BTree"]
            return [Completion(t, "value", "index type") for t in types]
        if call.argument is None and "[" in before:
            args = [Completion("map", "argument", "the database name", 'map: "$1"')]
            if name in ("id", "unique"):
                args.append(Completion("name", "argument", "the Prisma Client name", 'name: "$1"'))
            if name == "index":
                args.append(
                    Completion("type", "argument", "the index method", "type: $1", retrigger=True)
                )
                args.append(
                    Completion("where", "argument", "a partial index predicate", 'where: raw("$1")')
                )
            args.append(Completion("clustered", "argument", "SQL Server", "clustered: $1"))
            return args
    return []
