"""The generated TypeScript in the project's quote: a small lexer, not a formatter.

The templates are written with double quotes; a project whose code (or Prettier's
`singleQuote`) uses single quotes gets every plain string literal in single quotes instead,
escapes adjusted. Comments, template literals (and what their `${...}` holds is restyled like any
code) and a string that holds the other quote are left as they are, as Prettier does.
"""

from __future__ import annotations


def requote(text: str, quote: str) -> str:
    """`text` with its double-quoted string literals in `quote` (a no-op for `"`)."""
    if quote == '"':
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    braces: list[int] = []
    """For each open `${`, the depth of `{` inside it (a `}` at depth 0 resumes the template)."""
    in_template = False
    while i < n:
        ch = text[i]
        if in_template:
            if ch == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            if ch == "`":
                in_template = False
            elif ch == "$" and text.startswith("${", i):
                braces.append(0)
                in_template = False
                out.append("${")
                i += 2
                continue
            out.append(ch)
            i += 1
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(text[i:end])
            i = end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(text[i:end])
            i = end
            continue
        if ch == "`":
            in_template = True
            out.append(ch)
            i += 1
            continue
        if ch == "{" and braces:
            braces[-1] += 1
        elif ch == "}" and braces:
            if braces[-1] == 0:
                braces.pop()
                in_template = True
                out.append(ch)
                i += 1
                continue
            braces[-1] -= 1
        if ch in "'\"":
            end = _string_end(text, i)
            literal = text[i:end]
            out.append(_convert(literal, quote) if ch == '"' else literal)
            i = end
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    q = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == q or text[i] == "\n":
            return i + 1
        i += 1
    return len(text)


def _convert(literal: str, quote: str) -> str:
    body = literal[1:-1]
    if quote in body:
        return literal  # Prettier keeps the quote that needs fewer escapes
    return quote + body.replace('\\"', '"') + quote
