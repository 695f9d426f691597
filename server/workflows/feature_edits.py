"""Changes to models the project has: new columns and indexes written into an existing Prisma
model block, TypeORM entity class or Sequelize `init`/`define` call.

Each is found the same way: the ORM's model emitter writes the table as it is and as it will
be, and what the second writes that the first does not (fields, members, decorators, attribute
and index entries) goes into the project's own file, in its place; nothing else is touched.
"""

from __future__ import annotations

import os
import re

from schemasense.codegen.schema import Schema
from schemasense.server.project.analysis import ProjectAnalysis
from schemasense.server.project.conventions import detect_style
from schemasense.server.workflows import generate_model
from schemasense.server.workflows.feature_files import FeatureError, FeatureFile, read_text
from schemasense.server.workflows.feature_models import CODE
from schemasense.server.workspace.workspace import Workspace


def prisma_changes(
    workspace: Workspace,
    project: ProjectAnalysis,
    form: Schema,
    schema: Schema,
    changes,
    files: list[FeatureFile],
    created=(),
) -> list[FeatureFile]:
    """New columns and indexes of existing Prisma models, written into their model blocks: the
    lines the Prisma emitter writes for the changed table that it does not write for the table
    as it is (fields before the block attributes, `@@index` lines before the `}`). Blocks are
    edited from the end of each file, so the offsets read stay true."""
    from schemasense.codegen.emit.models.prisma import prisma_models

    todo: dict[str, list] = {}
    group = _with_targets(changes, form)
    pointing = [t for t in created if any(form.table(f.referenced_table) for f in t.foreign_keys)]
    for t in pointing:  # a new model's relation to a project model: the back-relation there
        for f in t.foreign_keys:
            if form.table(f.referenced_table) and f.referenced_table not in group:
                group.append(f.referenced_table)
    for table in group:
        declared = project.schema.table(table)
        if declared is None or declared.span is None:
            raise FeatureError(f"{table}: its model could not be found")
        todo.setdefault(declared.span.file, []).append((declared, table))
    # emitted together, a new foreign key is a relation field in its model and the other side
    # in the target's
    was = schema.model_copy(update={"tables": [
        form.table(t.name) if t.name in group else t for t in schema.tables]})  # fmt: skip
    before_all = prisma_models(was, [was.table(t) for t in group])
    after_all = prisma_models(
        schema, [schema.table(t) for t in [*group, *(t.name for t in pointing)]]
    )
    out = []
    for path, items in todo.items():
        before = workspace.text(path) or ""
        text = before
        for declared, table in sorted(items, key=lambda i: -i[0].span.start):
            model = declared.model_name or table
            old = {" ".join(x.split()) for x in _lines(_block_of(before_all, model, table))}
            new = [x for x in _lines(_block_of(after_all, model, table))
                   if " ".join(x.split()) not in old]  # fmt: skip
            fields = [" ".join(x.split()) for x in new if not x.lstrip().startswith(("@@", "//"))]
            attributes = [x.strip() for x in new if x.lstrip().startswith("@@")]
            text = _into_block(text, declared.span.start, declared.span.end, fields, attributes)
        out.append(FeatureFile(path, text, "model", "edit", before))
    return out


def typeorm_changes(
    workspace: Workspace,
    project: ProjectAnalysis,
    form: Schema,
    schema: Schema,
    changes,
    files: list[FeatureFile],
    created=(),
) -> list[FeatureFile]:
    """New columns and indexes of existing TypeORM entities, written into their classes: the
    members (decorators and property, a blank line apart) and class decorators the entity
    emitter writes for the changed table that it does not write for the table as it is, with
    the decorators they use added to the `typeorm` import. An entity that a new table's foreign
    key points at (`created`) gains the relation's other side."""
    from schemasense.codegen.emit.models.typeorm import EntityOptions, typeorm_entity_files
    from schemasense.codegen.orms.typeorm.naming import NamingStrategy, SnakeNamingStrategy
    from schemasense.server.project.typeorm import typeorm_version

    version = typeorm_version(read_text(os.path.join(project.root, "package.json")))
    snake = getattr(getattr(project.read, "datasource", None), "naming", None) == "snake"
    options = EntityOptions(naming=(SnakeNamingStrategy if snake else NamingStrategy)(version))  # type: ignore[arg-type]
    metas = {m.name: m for m in getattr(getattr(project.read, "entities", None), "tables", [])}
    named = generate_model.with_class_names(schema, project.read)
    named_form = generate_model.with_class_names(form, project.read)
    out: dict[str, FeatureFile] = {}
    group = _with_targets(changes, form)
    pointing = [t for t in created if any(form.table(f.referenced_table) for f in t.foreign_keys)]
    for t in pointing:
        for f in t.foreign_keys:
            if form.table(f.referenced_table) and f.referenced_table not in group:
                group.append(f.referenced_table)
    emitted = group + [t.name for t in pointing]
    classes = {m.class_name: m.span[0] for m in metas.values() if getattr(m, "span", None)}
    classes.update(_declared_classes(files))
    for table in group:
        meta = metas.get(table)
        if meta is None or not getattr(meta, "span", None):
            raise FeatureError(f"{table}: its entity class could not be found")
        path = meta.span[0]
        before = out[path].before if path in out else (workspace.text(path) or "")
        text = out[path].text if path in out else before
        # emitted together, a new foreign key is a relation in its table and its inverse in
        # the target's class
        at = group.index(table)
        old = typeorm_entity_files(named_form, [named_form.table(t) for t in group], None,
                                   options)[at]  # fmt: skip
        new = typeorm_entity_files(named, [named.table(t) for t in emitted], None, options)[at]
        members = [
            m for m in _members(new.text) if _norm(m) not in {_norm(x) for x in _members(old.text)}
        ]
        heads = [
            h
            for h in _class_decorators(new.text)
            if _norm(h) not in {_norm(x) for x in _class_decorators(old.text)}
        ]
        text = _into_class(text, meta.class_name, members, heads)
        used = {d for chunk in [*members, *heads] for d in re.findall(r"@(\w+)\(", chunk)}
        text = _imported(text, used)
        text = _classes_imported(text, path, classes, [*members, *heads])
        out[path] = FeatureFile(path, text, "model", "edit", before)
    return list(out.values())


def _declared_classes(files: list[FeatureFile]) -> dict[str, str]:
    """Class name -> file, for the entity classes the feature's new files declare."""
    return {
        m.group(1): f.path
        for f in files
        for m in re.finditer(r"^export\s+class\s+(\w+)", f.text, re.M)
    }


def _classes_imported(text: str, path: str, classes: dict[str, str], chunks: list[str]) -> str:
    """The entity classes a new relation names (`() => User`) imported from their files, after
    the file's last import, where the file neither declares nor imports them yet."""
    named = {n for chunk in chunks for n in re.findall(r"\(\)\s*=>\s*(\w+)", chunk)}
    lines = []
    for name in sorted(named):
        where = classes.get(name)
        if where is None or where == path or re.search(rf"\b(?:class|import)\b[^;]*\b{name}\b",
                                                        text):  # fmt: skip
            continue
        spec = os.path.relpath(os.path.splitext(where)[0], os.path.dirname(path))
        spec = spec if spec.startswith(".") else "./" + spec
        lines.append(f'import {{ {name} }} from "{spec}";\n')
    if not lines:
        return text
    imports = list(re.finditer(r"^import\b[\s\S]*?from\s*[\"'][^\"']+[\"'];?[ \t]*$", text, re.M))
    at = imports[-1].end() + 1 if imports else 0
    return text[:at] + "".join(lines) + text[at:]


def _block_of(text: str, model: str, table: str) -> str:
    """The `model` block of `text` for this table (by its `@@map`, else its name)."""
    spans = list(re.finditer(r"^model\s+(\w+)\s*\{.*?^\}", text, re.M | re.S))
    for m in spans:
        if f'@@map("{table}")' in m.group(0):
            return m.group(0)
    for m in spans:
        if m.group(1) in (model, table):
            return m.group(0)
    return ""


def _with_targets(changes, form: Schema) -> list[str]:
    """The changed tables, then the tables their new foreign keys point at (which gain the
    relation's other side), each once."""
    group = [c.table for c in changes]
    for c in changes:
        for fk in c.foreign_keys:
            if fk.referenced_table not in group and form.table(fk.referenced_table) is not None:
                group.append(fk.referenced_table)
    return group


def sequelize_changes(
    workspace: Workspace, project: ProjectAnalysis, form: Schema, schema: Schema, changes
) -> list[FeatureFile]:
    """New columns and indexes of existing Sequelize models, written into their `init` /
    `define` call: the attribute entries and `indexes` entries the model emitter writes for the
    changed table that it does not write for the table as it is."""
    from schemasense.codegen.emit.models.sequelize import sequelize_flavour, sequelize_model_files
    from schemasense.server.project.sequelize import versions_of

    setup = getattr(project.read, "setup", None)
    versions = getattr(setup, "versions", None) or versions_of(
        read_text(os.path.join(project.root, "package.json"))
    )
    code = [p for p in project.unit.files if p.endswith(CODE)]
    style = detect_style(project.root, [p for p in code if "config" not in os.path.basename(p)])

    def emitted(s: Schema, table: str) -> str:
        (f,) = sequelize_model_files(s, [table], style, flavour=sequelize_flavour(versions),
                                     dialect=getattr(setup, "dialect", None), folder="",
                                     define=getattr(setup, "define", None))  # fmt: skip
        return f.text

    out: dict[str, FeatureFile] = {}
    for change in changes:
        declared = project.schema.table(change.table)
        if declared is None or declared.span is None:
            raise FeatureError(f"{change.table}: its model could not be found")
        path = declared.span.file
        before = out[path].before if path in out else (workspace.text(path) or "")
        text = out[path].text if path in out else before
        old_attrs, old_indexes = _init_parts(emitted(form, change.table))
        new_attrs, new_indexes = _init_parts(emitted(schema, change.table))
        attrs = [a for a in new_attrs if _norm(a) not in {_norm(x) for x in old_attrs}]
        indexes = [i for i in new_indexes if _norm(i) not in {_norm(x) for x in old_indexes}]
        at = declared.span.start
        text = _into_init(text, at, attrs, indexes)
        out[path] = FeatureFile(path, text, "model", "edit", before)
    return list(out.values())


_INIT = re.compile(r"\.(?:init|define)\s*\(")


def _init_parts(text: str, at: int = 0) -> tuple[list[str], list[str]]:
    """The attribute entries and the `indexes` entries of the first `init`/`define` call."""
    attrs_span, options_span = _init_objects(text, at)
    if attrs_span is None:
        return [], []
    attrs = _entries(text, *attrs_span)
    indexes: list[str] = []
    if options_span is not None:
        m = re.search(r"\bindexes\s*:\s*\[", text[options_span[0] : options_span[1]])
        if m is not None:
            open_at = options_span[0] + m.end() - 1
            indexes = _entries(text, open_at, _closing(text, open_at))
    return attrs, indexes


def _init_objects(text: str, at: int):
    m = _INIT.search(text, at)
    if m is None:
        return None, None
    first = text.find("{", m.end())
    if first < 0:
        return None, None
    end = _closing(text, first)
    second = text.find("{", end + 1)
    close_call = text.find(")", end + 1)
    options = (second, _closing(text, second)) if 0 <= second < close_call or (
        second >= 0 and text[end + 1 : second].strip() in (",", "")) else None  # fmt: skip
    return (first, end), options


def _closing(text: str, open_at: int) -> int:
    """The offset of the bracket closing the one at `open_at` (strings skipped)."""
    pairs = {"{": "}", "[": "]", "(": ")"}
    stack, i, quote = [], open_at, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in pairs:
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return len(text) - 1


def _entries(text: str, open_at: int, close_at: int) -> list[str]:
    """The top-level entries between two brackets, each stripped of its trailing comma."""
    out, start, i, quote, depth = [], open_at + 1, open_at + 1, None, 0
    while i < close_at:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
        i += 1
    tail = text[start:close_at].strip()
    return [e for e in [*out, tail] if e]


def _into_init(text: str, at: int, attrs: list[str], indexes: list[str]) -> str:
    calls = [m.start() for m in _INIT.finditer(text)]
    before = [c for c in calls if c <= at]
    start = before[-1] if before else next((c for c in calls if c > at), len(text))
    attrs_span, options_span = _init_objects(text, start)
    if attrs_span is None:
        raise FeatureError("the model's init/define call could not be found")
    if indexes and options_span is not None:
        body = text[options_span[0] : options_span[1]]
        m = re.search(r"\bindexes\s*:\s*\[", body)
        pad = _indent_at(text, options_span[1]) + "  "
        if m is not None:
            open_at = options_span[0] + m.end() - 1
            close = _closing(text, open_at)
            add = "".join(f"{pad}  {_reindent(i, pad + '  ')},\n" for i in indexes)
            head = text[:close].rstrip()
            head += "" if head.endswith((",", "[")) else ","
            text = head + "\n" + add + pad + text[close:]
        else:
            close = options_span[1]
            entries = "".join(f"{pad}  {_reindent(i, pad + '  ')},\n" for i in indexes)
            add = f"{pad}indexes: [\n{entries}{pad}],\n"
            head = text[:close].rstrip()
            head += "" if head.endswith((",", "{")) else ","
            text = head + "\n" + add + _indent_at(text, close) + text[close:]
    if attrs:
        close = attrs_span[1]
        pad = _indent_at(text, close) + "  "
        add = "".join(f"{pad}{_reindent(a, pad)},\n" for a in attrs)
        head = text[:close].rstrip()
        head += "" if head.endswith((",", "{")) else ","
        text = head + "\n" + add + _indent_at(text, close) + text[close:]
    return text


def _indent_at(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start:offset]
    return line[: len(line) - len(line.lstrip())]


def _reindent(entry: str, pad: str) -> str:
    """A multi-line entry with its inner lines indented relative to `pad`."""
    lines = entry.split("\n")
    if len(lines) == 1:
        return entry
    inner = [ln for ln in lines[1:] if ln.strip()]
    base = min((len(ln) - len(ln.lstrip()) for ln in inner), default=0)
    close_base = len(lines[-1]) - len(lines[-1].lstrip())
    shift = base - 2 if close_base < base else base
    return "\n".join([lines[0], *(pad + ln[shift:] if ln.strip() else ln for ln in lines[1:])])


def _norm(text: str) -> str:
    return " ".join(text.split())


def _class_body(text: str, class_name: str) -> tuple[int, int] | None:
    """Offsets of `{` and its `}` of `class <class_name>` (braces in strings not expected)."""
    m = re.search(rf"\bclass\s+{re.escape(class_name)}\b[^{{]*\{{", text)
    if m is None:
        return None
    depth, i = 0, m.end() - 1
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return m.end() - 1, i
        i += 1
    return None


def _members(text: str) -> list[str]:
    m = re.search(r"\bclass\s+(\w+)", text)
    body = _class_body(text, m.group(1)) if m else None
    if body is None:
        return []
    inner = text[body[0] + 1 : body[1]]
    return [c.strip("\n") for c in re.split(r"\n[ \t]*\n", inner) if c.strip()]


def _class_decorators(text: str) -> list[str]:
    m = re.search(r"^@Entity\(", text, re.M)
    c = re.search(r"^export\s+class\b", text, re.M)
    if m is None or c is None:
        return []
    before = text[m.start() : c.start()]
    return [
        d
        for d in re.split(r"\n(?=@)", before.strip())
        if d.startswith("@") and not d.startswith("@Entity(")
    ]


def _into_class(text: str, class_name: str, members: list[str], heads: list[str]) -> str:
    body = _class_body(text, class_name)
    if body is None:
        raise FeatureError(f"class {class_name} could not be found to add its new columns")
    close = body[1]
    head = text[:close].rstrip() + "\n"
    added = "".join(f"\n{m}\n" for m in members)
    text = head + added + text[close:]
    if heads:
        at = re.search(r"^@Entity\(", text, re.M)
        if at is not None:
            text = text[: at.start()] + "".join(f"{h}\n" for h in heads) + text[at.start() :]
    return text


def _imported(text: str, names: set[str]) -> str:
    m = re.search(r"import\s*\{([^}]*)\}\s*from\s*([\"'])typeorm\2", text)
    if m is None or not names:
        return text
    have = [n.strip() for n in m.group(1).split(",") if n.strip()]
    missing = sorted(n for n in names if n not in have and n != "Entity")
    if not missing:
        return text
    allnames = sorted({*have, *missing})
    multiline = "\n" in m.group(1)
    inner = (
        ("\n" + "".join(f"  {n},\n" for n in allnames))
        if multiline
        else " " + ", ".join(allnames) + " "
    )
    return text[: m.start(1)] + inner + text[m.end(1) :]


def _into_block(text: str, start: int, end: int, fields: list[str], attributes: list[str]) -> str:
    open_at = text.find("{", start)
    close_at = text.rfind("}", start, end + 1)
    body = text[open_at + 1 : close_at]
    first = re.search(r"^[ \t]*@@", body, re.M)
    split_at = first.start() if first else len(body.rstrip())
    field_part = body[:split_at].rstrip()
    named = {m.group(1): f for f in fields if (m := _FIELD.match("  " + f))}
    kept = []
    for line in field_part.split("\n"):
        m = _FIELD.match(line) if not line.strip().startswith(("//", "@@")) else None
        if m is not None and m.group(1) in named:  # the field gains an attribute (`@unique`)
            kept.append("  " + named.pop(m.group(1)))
        else:
            kept.append(line)
    field_part = "\n".join(kept)
    fields = [f for f in fields if (m := _FIELD.match("  " + f)) is None or m.group(1) in named]
    attr_part = body[split_at:].strip("\n")
    lines = _aligned([*field_part.split("\n"), *(f"  {f}" for f in fields)])
    out = "\n".join(lines) + "\n"
    attrs = [a for a in attr_part.splitlines() if a.strip()] + [f"  {a}" for a in attributes]
    if attrs:
        out += "\n" + "\n".join(attrs) + "\n"
    return text[: open_at + 1] + out + text[close_at:]


_FIELD = re.compile(r"^[ \t]+(\w+)[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$")


def _aligned(lines: list[str]) -> list[str]:
    """Field lines in columns, as `prisma format` writes them (comments and blanks kept)."""
    rows = [_FIELD.match(x) if not x.strip().startswith(("//", "@@")) else None for x in lines]
    name_w = max((len(m.group(1)) for m in rows if m), default=0)
    type_w = max((len(m.group(2)) for m in rows if m), default=0)
    out = []
    for line, m in zip(lines, rows, strict=True):
        if m is None:
            out.append(line)
        elif m.group(3):
            out.append(f"  {m.group(1).ljust(name_w)} {m.group(2).ljust(type_w)} {m.group(3)}")
        else:
            out.append(f"  {m.group(1).ljust(name_w)} {m.group(2)}".rstrip())
    return out


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]
