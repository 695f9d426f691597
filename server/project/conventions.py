"""Read a project's code conventions (`codegen.emit.style.CodeStyle`) from its own files.

A Prettier configuration says it outright (`singleQuote`, `tabWidth`, `useTabs`, `semi`, in
`.prettierrc`, `.prettierrc.json` or package.json's `"prettier"`); otherwise the project's
source files are counted: the quote its `import`/`require` lines use, the indent of the first
indented lines, whether statements end with `;`, how its file names are cased, TypeScript or
JavaScript, and `require` or `import`. The majority wins; a project with no code gets the
defaults (Prettier's, as `nest new` writes them). Reading only: nothing here runs code.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable

from schemasense.codegen.emit.style import CodeStyle, FileCase
from schemasense.server.project.discovery import is_skipped_dir

_CODE_SUFFIXES = (".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")
_MAX_FILES = 60
_IMPORT_QUOTE = re.compile(
    r"""^\s*(?:import\b[^\n]*?from\s*|import\s*|.*\brequire\(\s*)(['"])""", re.M
)
_INDENT = re.compile(r"^([ \t]+)\S", re.M)
_STATEMENT_START = re.compile(r"^\s*(?:import|export|const|let|return)\b")
_TRAILING_COMMENT = re.compile(r"\s*//[^'\"`]*$")
_CONTINUATION = ("?", ":", ".", "+", "-", "*", "/", "&&", "||", "??", "=", ",", ")", "]")
_ESM = re.compile(r"^\s*(?:import|export)\b", re.M)
_CJS = re.compile(r"\brequire\(|\bmodule\.exports\b")


def detect_style(root: str, files: Iterable[str] | None = None) -> CodeStyle:
    """The conventions of the project at `root`, from `files` (paths) or from a walk of it."""
    paths = list(files) if files is not None else list(_code_files(root))
    texts = [t for t in (_read(p) for p in paths[:_MAX_FILES]) if t]
    quote = _majority(m.group(1) for t in texts for m in _IMPORT_QUOTE.finditer(t)) or '"'
    indent = _indent(texts)
    semicolons = _semicolons(texts)
    names = [os.path.basename(p) for p in paths]
    language = (
        "ts" if sum(n.endswith((".ts", ".mts", ".cts")) for n in names) * 2 >= len(names) else "js"
    )
    if not names:
        language = "ts"
    esm = sum(bool(_ESM.search(t)) for t in texts)
    cjs = sum(bool(_CJS.search(t)) and not _ESM.search(t) for t in texts)
    module = "commonjs" if language == "js" and cjs > esm else "esm"
    style = CodeStyle(
        quote=quote,
        indent=indent,
        semicolons=semicolons,
        file_case=_file_case(names),
        language=language,  # type: ignore[arg-type]
        module=module,  # type: ignore[arg-type]
    )
    return _with_prettier(root, style)


def _code_files(root: str) -> Iterable[str]:
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not is_skipped_dir(d) and d not in ("dist", "build"))
        for name in sorted(files):
            if name.endswith(_CODE_SUFFIXES) and not name.endswith(".d.ts"):
                yield os.path.join(folder, name)
                count += 1
                if count >= _MAX_FILES:
                    return


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(200_000)
    except OSError:
        return None


def _majority(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def _indent(texts: list[str]) -> str:
    widths: Counter[str] = Counter()
    for text in texts:
        first = _INDENT.search(text)
        if first:
            lead = first.group(1)
            widths["\t" if lead.startswith("\t") else " " * min(len(lead), 8)] += 1
    return widths.most_common(1)[0][0] if widths else "  "


def _semicolons(texts: list[str]) -> bool:
    """Whether one-line statements end with `;` (a line the next one continues is not one)."""
    ends: Counter[bool] = Counter()
    for text in texts:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if not _STATEMENT_START.match(line):
                continue
            code = _TRAILING_COMMENT.sub("", line).rstrip()
            if not code or code[-1] in "{([,=>":
                continue
            following = next((n.strip() for n in lines[i + 1 :] if n.strip()), "")
            if following.startswith(_CONTINUATION):
                continue
            ends[code.endswith(";")] += 1
    return ends[True] >= ends[False] if ends else True


def _file_case(names: list[str]) -> FileCase:
    """How file names are cased (migrations, named by their tool, do not vote)."""
    votes: Counter[FileCase] = Counter()
    for name in names:
        stem = name.split(".", 1)[0]
        if stem[:1].isdigit() or stem in ("index", "main", "app"):
            continue  # a migration's timestamped name, or a name every project shares
        if "-" in stem:
            votes["kebab"] += 1
        elif "_" in stem:
            votes["snake"] += 1
        elif stem[:1].isupper():
            votes["pascal"] += 1
        elif any(c.isupper() for c in stem):
            votes["camel"] += 1
    return votes.most_common(1)[0][0] if votes else "kebab"


def _with_prettier(root: str, style: CodeStyle) -> CodeStyle:
    options = _prettier_options(root)
    if not options:
        return style
    quote = (
        "'"
        if options.get("singleQuote") is True
        else '"'
        if "singleQuote" in options
        else style.quote
    )
    indent = style.indent
    if options.get("useTabs") is True:
        indent = "\t"
    elif isinstance(options.get("tabWidth"), int):
        indent = " " * options["tabWidth"]
    semi = options["semi"] if isinstance(options.get("semi"), bool) else style.semicolons
    return CodeStyle(quote, indent, semi, style.file_case, style.language, style.module)


def _prettier_options(root: str) -> dict | None:
    for name in (".prettierrc", ".prettierrc.json"):
        text = _read(os.path.join(root, name))
        if text:
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    text = _read(os.path.join(root, "package.json"))
    if text:
        try:
            value = json.loads(text).get("prettier")
        except (ValueError, AttributeError):
            return None
        if isinstance(value, dict):
            return value
    return None
