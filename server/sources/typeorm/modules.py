"""The files of a TypeORM unit read once, and names looked up across them: which class an
imported name is, what an enum imported from another file holds.

TypeORM's decorators name other classes by reference (`@ManyToOne(() => User)`, `extends
BaseEntity`, `@Column(() => Address)`) and enums by value (`enum: UserRole`,
`default: UserRole.Reader`), usually imported from another file; this resolves them through the
files' imports (relative paths with the TypeScript resolution: `.ts`, `.tsx`, `.js`, `/index`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from schemasense.server.sources.typescript import ClassDecl, Module
from schemasense.server.sources.typescript.kept import kept_module
from schemasense.server.sources.typescript.values import Obj, Ref, Value


@dataclass
class Reads:
    """What a piece of reading looked at: each file's text (None: not in the unit) and, for
    each class looked up by name across the unit, the files declaring it. The same answers
    again mean the same reading."""

    files: dict[str, str | None] = field(default_factory=dict)
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def still(self, modules: Modules) -> bool:
        """Whether `modules` would give the same answers."""
        texts = modules.texts
        for path, text in self.files.items():
            now = texts.get(path)
            if now is not text and now != text:
                return False
        return all(modules.class_files(n) == p for n, p in self.classes.items())


_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".d.ts")


_CLASS = re.compile(r"\bclass\s+([A-Za-z_$][\w$]*)")


class Modules:
    """Every file of the unit, read with the TypeScript layer (lazily, once).

    `previous`: the Modules of the unit's previous read, whose per-file class-name index is
    reused for the files whose text did not change. While `recording` holds a `Reads`, every
    file looked at and every class looked up by name is noted in it (what an entity's
    reading depended on, `entities.py`).

    `root`: the project's folder; a file outside it (a relative import that climbs above the
    project, `../../../elsewhere/options`) is never read nor resolved to, even when `texts`
    could give it: nothing outside the project is read (robustness issue, item 7)."""

    def __init__(
        self,
        texts: Mapping[str, str],
        previous: Modules | None = None,
        root: str | None = None,
    ) -> None:
        self.texts = texts
        self.root = os.path.normpath(root) if root else None
        self._modules: dict[str, Module] = {}
        self._class_files: dict[str, list[str]] | None = None
        self._names: dict[str, tuple[str, tuple[str, ...]]] = {}
        """path -> (its text, the class names the text declares), for `class_named`."""
        self._previous_names = previous._names if previous is not None else {}
        self.recording: Reads | None = None
        same_files = previous is not None and previous.texts.keys() == texts.keys()
        self._resolved: dict[tuple[str, str], str | None] = (
            previous._resolved if same_files else {}  # type: ignore[union-attr]
        )
        """(importing folder, import) -> the file it names: the same while the unit's files
        are (shared with the previous read's)."""
        self._found: dict[tuple, tuple[tuple[Module, ClassDecl] | None, Reads]] = {}
        """(file, name, depth) -> what `class_of` (depth -1) or a lookup through a re-export
        found, and what finding it read."""
        self._found_before = previous._found if previous is not None else {}

    def inside(self, path: str) -> bool:
        """Whether `path` is in the project (always, without a `root`)."""
        if self.root is None:
            return True
        path = os.path.normpath(path)
        return path == self.root or path.startswith(self.root.rstrip(os.sep) + os.sep)

    def module(self, path: str) -> Module | None:
        if self.recording is not None:
            self.recording.files[path] = self.texts.get(path) if self.inside(path) else None
        found = self._modules.get(path)
        if found is None:
            if not self.inside(path):
                return None
            text = self.texts.get(path)
            if text is None:
                return None
            found = self._modules[path] = kept_module(path, text)
        return found

    def class_files(self, name: str) -> tuple[str, ...]:
        """The unit's files that declare a class `name` (by a quick scan of the text)."""
        if self._class_files is None:
            self._class_files = {}
            for path, text in self.texts.items():
                if path.endswith(_EXTENSIONS):
                    held = self._previous_names.get(path)
                    if held is None or held[0] != text:
                        held = (text, tuple(m.group(1) for m in _CLASS.finditer(text)))
                    self._names[path] = held
                    for found in held[1]:
                        self._class_files.setdefault(found, []).append(path)
            self._previous_names = {}
        return tuple(dict.fromkeys(self._class_files.get(name, ())))

    def resolve_path(self, from_file: str, spec: str) -> str | None:
        """The unit's file a relative import names (None for a package or a missing file)."""
        key = (os.path.dirname(from_file), spec)
        try:
            return self._resolved[key]
        except KeyError:
            found = self._resolve_path(from_file, spec)
            if found is not None and not self.inside(found):
                found = None  # above the project (`../..`, an alias): not followed
            self._resolved[key] = found
            return found

    def _resolve_path(self, from_file: str, spec: str) -> str | None:
        if not spec.startswith("."):
            return self._aliased(from_file, spec)
        base = os.path.normpath(os.path.join(os.path.dirname(from_file), spec))
        return self._candidate(base)

    def _aliased(self, from_file: str, spec: str) -> str | None:
        """A tsconfig `paths` alias or `baseUrl` import (`@server/entity/User`,
        `src/models/user`), guessed without the tsconfig: the first segment (without `@`)
        named as a folder above the importing file."""
        head, _, rest = spec.lstrip("@").partition("/")
        if not rest:
            return None
        folder = os.path.dirname(from_file)
        while folder and folder != os.path.dirname(folder):
            if os.path.basename(folder) == head:
                return self._candidate(os.path.join(folder, rest))
            folder = os.path.dirname(folder)
        return None

    def _candidate(self, base: str) -> str | None:
        stem = base
        for ext in (".js", ".mjs", ".cjs"):
            if base.endswith(ext):
                stem = base[: -len(ext)]
        for candidate in (base, *(stem + e for e in _EXTENSIONS)):
            if candidate in self.texts:
                return candidate
        for e in _EXTENSIONS:
            candidate = os.path.join(base, "index" + e)
            if candidate in self.texts:
                return candidate
        return None

    def class_of(self, module: Module, name: str) -> tuple[Module, ClassDecl] | None:
        """The class `name` means in `module`: declared there, or imported (followed through
        re-exports); where the import leads to no file of the unit (an index file that is
        not there), the one class of that name the unit's files declare.

        Kept with what finding it read, for this read and the next (`previous`): a lookup is
        made again only when one of those files changed."""
        return self._kept(
            (module.path, name, -1),
            module,
            lambda: self._class_of(module, name, 0) or self.class_named(name),
        )

    def _kept(self, key: tuple, module: Module, find):  # type: ignore[no-untyped-def]
        """`find()`, a lookup from `module`, kept under `key` with the files it read (and
        those noted in the reading under way, if any)."""
        held = self._found.get(key)
        if held is None:
            held = self._found_before.get(key)
            if held is not None:
                seen = held[1].files.get(module.path)
                if not (seen is module.text or seen == module.text) or not held[1].still(self):
                    held = None
            if held is None:
                outer, reads = self.recording, Reads()
                reads.files[module.path] = module.text
                self.recording = reads
                try:
                    found = find()
                finally:
                    self.recording = outer
                held = (found, reads)
            self._found[key] = held
        if self.recording is not None:
            self.recording.files.update(held[1].files)
            self.recording.classes.update(held[1].classes)
        return held[0]

    def class_named(self, name: str) -> tuple[Module, ClassDecl] | None:
        paths = self.class_files(name)
        if self.recording is not None:
            self.recording.classes[name] = paths
        found = []
        for path in paths:
            module = self.module(path)
            decl = module.class_named(name) if module is not None else None
            if module is not None and decl is not None:
                found.append((module, decl))
        return found[0] if len(found) == 1 else None

    def _class_of(self, module: Module, name: str, depth: int) -> tuple[Module, ClassDecl] | None:
        if depth > 4:
            return None
        decl = module.class_named(name)
        if decl is not None:
            return module, decl
        imported = module.import_of(name)
        if imported is None:
            return None
        imp, original = imported
        path = self.resolve_path(module.path, imp.module)
        other = self.module(path) if path else None
        if other is None:
            return None
        target = original or name
        if original is None:  # a default import: the file's default-exported class
            decl = next((c for c in other.classes if c.default_export), None)
            if decl is not None:
                return other, decl
        found = self._class_of(other, target, depth + 1)
        if found is not None:
            return found
        return self._reexported(other, target, depth)

    def _reexported(self, module: Module, name: str, depth: int) -> tuple[Module, ClassDecl] | None:
        """`export * from "./x"` / `export { X } from "./x"` (index files)."""
        for node in module.parsed.root.named_children:
            if node.type != "export_statement":
                continue
            source = node.child_by_field_name("source")
            if source is None:
                continue
            path = self.resolve_path(module.path, module.parsed.node_text(source)[1:-1])
            other = self.module(path) if path else None
            if other is not None:
                found = self._kept(
                    (other.path, name, depth + 1),
                    other,
                    lambda other=other: self._class_of(other, name, depth + 1),
                )
                if found is not None:
                    return found
        return None

    def type_alias(self, module: Module, name: str, depth: int = 0) -> str | None:
        """The right-hand side of `type Name = ...` where `name` is declared (this file or
        the one it is imported from)."""
        m = re.search(rf"\btype\s+{re.escape(name)}\s*=\s*([^;]+?)\s*(?:;|\n\s*\n|$)", module.text)
        if m is not None:
            return " ".join(m.group(1).split())
        imported = module.import_of(name)
        if imported is None or depth > 4:
            return None
        imp, original = imported
        path = self.resolve_path(module.path, imp.module)
        other = self.module(path) if path else None
        if other is None:
            return None
        return self.type_alias(other, original or name, depth + 1)

    def value_of(self, module: Module, ref: Value) -> Value:
        """A value with names imported from other files resolved: `UserRole` (an enum or a
        const object) and `UserRole.Reader` (one of its members)."""
        if not isinstance(ref, Ref):
            return ref
        head, *rest = ref.path
        value = self._constant(module, head, 0)
        if value is None and len(rest) == 1:  # `Entity.tableName`: a class's static property
            found = self.class_of(module, head)
            member = found[1].member(rest[0], static=True) if found is not None else None
            if member is not None and member.value is not None:
                return self.value_of(found[0], member.value)  # type: ignore[index]
        if value is None:
            return ref
        for prop in rest:
            if not isinstance(value, Obj):
                return ref
            found = value.get(prop)
            if found is None:
                return ref
            value = found
        return value

    def _constant(self, module: Module, name: str, depth: int) -> Value | None:
        if depth > 4:
            return None
        value = module.constant(name)
        if value is not None:
            return value if not isinstance(value, Ref) else self.value_of(module, value)
        imported = module.import_of(name)
        if imported is None:
            return None
        imp, original = imported
        path = self.resolve_path(module.path, imp.module)
        other = self.module(path) if path else None
        if other is None or original is None:
            return None
        found = self._constant(other, original, depth + 1)
        if found is not None:
            return found
        for node in other.parsed.root.named_children:
            source = node.child_by_field_name("source") if node.type == "export_statement" else None
            if source is None:
                continue
            p = self.resolve_path(other.path, other.parsed.node_text(source)[1:-1])
            nxt = self.module(p) if p else None
            if nxt is not None:
                found = self._constant(nxt, original, depth + 1)
                if found is not None:
                    return found
        return None
