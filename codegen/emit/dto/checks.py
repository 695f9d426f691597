"""CHECK constraints -> the rules a DTO can say about one column, and the ones it cannot.

A DTO can say a numeric bound (`price >= 0` -> `@Min(0)` / `.min(0)`), a pattern
(`slug ~* '^[a-z0-9-]+$'`, `email LIKE '%@%'`), a list of values (`format IN ('a', 'b')`,
PostgreSQL's `= ANY (ARRAY[...])`), a length bound (`char_length(name) >= 3`, `name <> ''`)
and `x IS NOT NULL`. A check is split at its top-level `AND`s; `x IS NULL OR <rule on x>` is the
rule (a nullable column passes on NULL anyway). Everything else (two columns, `OR` between
different columns, functions) is left to the database and named in a comment of the DTO, never
guessed. The text is the database's own (PostgreSQL's `pg_get_constraintdef` with its casts and
parentheses) or the ORM's (`"price" >= 0`), so both spellings are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

RuleKind = Literal[
    "min",
    "max",
    "pattern",
    "one_of",
    "min_length",
    "max_length",
    "not_null",
    "email",
    "url",
    "lowercase",
    "uppercase",
    "int",
    "number",
    "max_bytes",
]


@dataclass(frozen=True, slots=True)
class Rule:
    """One thing a DTO checks about a value, and where it came from (for the comment)."""

    kind: RuleKind
    value: object = None
    exclusive: bool = False
    flags: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class ReadCheck:
    """A check read: the rules it gives each column (by database name), and what is left."""

    rules: dict[str, list[Rule]]
    unsaid: list[str]


_CAST = re.compile(
    r"::\s*(?:\"[^\"]+\"|character varying|double precision|bit varying"
    r"|(?:timestamp|time)(?:\(\d\))? with(?:out)? time zone|[a-z_]\w*)"
    r"(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?",
    re.I,
)
_NUMBER = r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_IDENT = r"(?:\"(?:[^\"]|\"\")+\"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)"
_STRING = r"'(?:[^']|'')*'"
_OPS = {">=": ("min", False), ">": ("min", True), "<=": ("max", False), "<": ("max", True)}
_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "<>": "<>", "!=": "!="}


def read_check(expression: str, columns: set[str], dialect: str = "postgresql") -> ReadCheck:
    """The rules of `expression` (one CHECK's text) for the table's `columns`; `dialect` says
    how LIKE compares (without case on MySQL's default collations and in SQLite)."""
    body = _strip_check(expression)
    rules: dict[str, list[Rule]] = {}
    unsaid: list[str] = []
    for part in _split(body, "AND"):
        found = _part(part, columns, expression, dialect)
        if found is None:
            unsaid.append(part.strip())
            continue
        column, part_rules = found
        rules.setdefault(column, []).extend(part_rules)
    if unsaid and rules:  # say the whole check once, with what was not carried
        return ReadCheck(rules, unsaid)
    return ReadCheck(rules, [expression.strip()] if unsaid else [])


def _strip_check(text: str) -> str:
    text = text.strip()
    if re.match(r"check\b", text, re.I):
        text = text[5:].strip()
    text = re.sub(r"\s+NOT VALID$", "", text, flags=re.I)
    return _unwrap(text)


def _unwrap(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and _closing(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _closing(text: str, start: int) -> int:
    depth = 0
    quote = ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _split(text: str, word: str) -> list[str]:
    """`text` split at top-level `word` (AND / OR), keeping `BETWEEN a AND b` whole."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    between = False
    upper = text.upper()
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            i += 1
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and _word_at(upper, i, "BETWEEN"):
            between = True
        elif depth == 0 and _word_at(upper, i, word):
            if word == "AND" and between:
                between = False
            else:
                parts.append(text[start:i])
                start = i + len(word)
        i += 1
    parts.append(text[start:])
    return [_unwrap(p) for p in parts if p.strip()]


def _word_at(upper: str, i: int, word: str) -> bool:
    if not upper.startswith(word, i):
        return False
    before = upper[i - 1] if i else " "
    after = upper[i + len(word)] if i + len(word) < len(upper) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _plain(part: str) -> str:
    """The part without casts and without parentheses around a lone identifier."""
    out = []
    last = 0
    for m in re.finditer(_STRING, part):
        out.append(_CAST.sub("", part[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_CAST.sub("", part[last:]))
    text = "".join(out)
    text = re.sub(r"(?<![\w$])\(\s*(" + _IDENT + r")\s*\)", r"\1", text)
    text = re.sub(r"\(\s*(" + _STRING + r")\s*\)", r"\1", text)
    text = re.sub(r"\(\s*(" + _NUMBER + r")\s*\)", r"\1", text)
    return _unwrap(text)


def _name(ident: str) -> str:
    if ident[:1] in '"`[':
        return ident[1:-1].replace('""', '"')
    return ident


def _string(literal: str) -> str:
    return literal[1:-1].replace("''", "'")


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "e" not in text.lower() else value


def _part(
    part: str, columns: set[str], source: str, dialect: str = "postgresql"
) -> tuple[str, list[Rule]] | None:
    text = _plain(part)
    ors = _split(text, "OR")
    if len(ors) == 2:  # `x IS NULL OR <rule on x>`
        m = re.fullmatch(r"(" + _IDENT + r")\s+IS\s+NULL", _plain(ors[0]), re.I)
        if m and _name(m.group(1)) in columns:
            found = _part(ors[1], columns, source, dialect)
            if found and found[0] == _name(m.group(1)):
                return found
        return None
    if len(ors) > 2:
        return None
    src = source.strip()
    if not src.upper().startswith("CHECK"):
        src = f"CHECK ({src})"
    m = re.fullmatch(r"(" + _IDENT + r")\s*(>=|<=|<>|!=|>|<|=)\s*(" + _NUMBER + r")", text)
    if m is None:
        r = re.fullmatch(r"(" + _NUMBER + r")\s*(>=|<=|<>|!=|>|<|=)\s*(" + _IDENT + r")", text)
        if r is not None:
            column, op, number = r.group(3), _FLIP[r.group(2)], r.group(1)
        else:
            column = op = number = ""
    else:
        column, op, number = m.group(1), m.group(2), m.group(3)
    if column and _name(column) in columns:
        name = _name(column)
        value = _number(number)
        if op in _OPS:
            kind, exclusive = _OPS[op]
            return name, [Rule(kind, value, exclusive, source=src)]  # type: ignore[arg-type]
        if op == "=":
            return name, [Rule("one_of", [value], source=src)]
        return None
    m = re.fullmatch(
        r"("
        + _IDENT
        + r")\s*(~\*|~|!~\*|!~|~~\*|~~|NOT\s+LIKE|NOT\s+ILIKE|LIKE|ILIKE|GLOB|REGEXP|RLIKE)\s*("
        + _STRING
        + r")",
        text,
        re.I,
    )
    if m and _name(m.group(1)) in columns:
        op = re.sub(r"\s+", " ", m.group(2).upper())
        pattern = _string(m.group(3))
        rule = _pattern_rule(op, pattern, src, dialect)
        return (_name(m.group(1)), [rule]) if rule else None
    m = re.fullmatch(r"(" + _IDENT + r")\s+IN\s*\((.*)\)", text, re.I | re.S)
    if m is None:
        m = re.fullmatch(
            r"(" + _IDENT + r")\s*=\s*ANY\s*\(\s*\(?\s*ARRAY\s*\[(.*)\]\s*\)?\s*\)",
            text,
            re.I | re.S,
        )
    if m and _name(m.group(1)) in columns:
        items = [i.strip() for i in _split_commas(m.group(2))]
        values: list[object] = []
        for item in items:
            item = _plain(item)
            if re.fullmatch(_STRING, item):
                values.append(_string(item))
            elif re.fullmatch(_NUMBER, item):
                values.append(_number(item))
            else:
                return None
        return _name(m.group(1)), [Rule("one_of", values, source=src)]
    m = re.fullmatch(
        r"(" + _IDENT + r")\s+BETWEEN\s+(" + _NUMBER + r")\s+AND\s+(" + _NUMBER + r")",
        text,
        re.I,
    )
    if m and _name(m.group(1)) in columns:
        return _name(m.group(1)), [
            Rule("min", _number(m.group(2)), source=src),
            Rule("max", _number(m.group(3)), source=src),
        ]
    m = re.fullmatch(
        r"(?:char_length|character_length|length|len)\s*\(\s*("
        + _IDENT
        + r")\s*\)\s*(>=|<=|>|<|=)\s*(\d+)",
        text,
        re.I,
    )
    if m and _name(m.group(1)) in columns:
        name, op, n = _name(m.group(1)), m.group(2), int(m.group(3))
        if op == ">=":
            return name, [Rule("min_length", n, source=src)]
        if op == ">":
            return name, [Rule("min_length", n + 1, source=src)]
        if op == "<=":
            return name, [Rule("max_length", n, source=src)]
        if op == "<":
            return name, [Rule("max_length", n - 1, source=src)]
        return name, [Rule("min_length", n, source=src), Rule("max_length", n, source=src)]
    m = re.fullmatch(r"(" + _IDENT + r")\s*(?:<>|!=)\s*''", text)
    if m and _name(m.group(1)) in columns:
        return _name(m.group(1)), [Rule("min_length", 1, source=src)]
    m = re.fullmatch(r"(" + _IDENT + r")\s+IS\s+NOT\s+NULL", text, re.I)
    if m and _name(m.group(1)) in columns:
        return _name(m.group(1)), [Rule("not_null", source=src)]
    return None


def _split_commas(text: str) -> list[str]:
    parts, start, quote, depth = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch == "'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


_SAFE_REGEX = re.compile(r"^[\w\s^$.*+?()\[\]{}|\\:/@#%&=,;!<>'\"-]*$")
_UNSAFE_ESCAPES = re.compile(r"\\[mMyYAZ]|\[\[[:=.]|\(\?[^:=!]")


def _pattern_rule(op: str, pattern: str, source: str, dialect: str) -> Rule | None:
    """A JavaScript regular expression that accepts exactly what the operator does, or None
    when the pattern uses what the two dialects read differently."""
    negated = op.startswith("!") or op.startswith("NOT")
    if negated:
        return None
    if op in ("~", "~*", "REGEXP", "RLIKE"):
        if not _SAFE_REGEX.match(pattern) or _UNSAFE_ESCAPES.search(pattern):
            return None
        flags = "i" if op == "~*" else ""
        if op in ("REGEXP", "RLIKE"):
            flags = "i"  # MySQL's default collations compare without case
        return Rule("pattern", pattern, flags=flags, source=source)
    if op in ("LIKE", "~~", "ILIKE", "~~*"):
        caseless = op in ("ILIKE", "~~*") or dialect in ("mysql", "sqlite")
        return Rule("pattern", _like(pattern), flags="i" if caseless else "", source=source)
    if op == "GLOB":
        return None
    return None


def _like(pattern: str) -> str:
    """A LIKE pattern (`%`, `_`, backslash escapes) as an anchored regular expression."""
    out = ["^"]
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "%":
            out.append("[\\s\\S]*")
        elif ch == "_":
            out.append("[\\s\\S]")
        else:
            out.append(re.escape(ch) if not ch.isalnum() else ch)
        i += 1
    out.append("$")
    return "".join(out)
