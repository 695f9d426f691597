"""Mutations of real input, for the readers' fuzz tests (tests/server/*/test_fuzz*.py, bounded)
and the long runs (`python -m tests.fuzz.run`, not collected by pytest).

Each mutation keeps most of a real file and breaks it the way editors, merges and hostile users
do: a byte flipped, the text cut, a piece duplicated, a token inserted, invalid UTF-8 decoded with
replacement, NUL, a lone surrogate, a line of 1 MB, brackets of every kind nested 500 deep.
"""

from __future__ import annotations

import random

TOKENS = [
    "(", ")", "[", "]", "{", "}", "'", '"', "`", "$$", "$tag$", ";", ",", "--", "/*", "*/",
    "\\", "\x00", "\udcff", "\ufeff", "\u2028", "😀", "é", "\n", "\t", "NULL", "DEFAULT",
    "CREATE TABLE ", "ALTER TABLE ", "ADD COLUMN ", "REFERENCES ", "CHECK (", "INDEX ",
    "@@index([", "@relation(", "@default(", "model ", "enum ", "}", "::", "||", "+",
]  # fmt: skip
BRACKETS = [("(", ")"), ("[", "]"), ("{", "}"), ("'", "'"), ('"', '"'), ("/*", "*/")]
KINDS = (
    "flip", "cut", "duplicate", "insert", "utf8", "nul", "surrogate", "long_line", "nesting",
)  # fmt: skip


def mutate(text: str, rng: random.Random, kind: str | None = None) -> str:
    """One mutation of `text` (`kind` one of `KINDS`, else drawn)."""
    kind = kind or rng.choice(KINDS)
    n = len(text)
    at = rng.randint(0, n)
    if kind == "flip" and n:
        data = bytearray(text.encode("utf-8", "surrogatepass"))
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
        return data.decode("utf-8", "replace")
    if kind == "cut":
        return text[:at]
    if kind == "duplicate":
        end = min(n, at + rng.randint(1, 400))
        return text[:end] + text[at:end] + text[end:]
    if kind == "insert":
        return text[:at] + "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 8))) + text[at:]
    if kind == "utf8":
        return text[:at] + b"\xff\xfe\xc3(\xa0\xe2\x28".decode("utf-8", "replace") + text[at:]
    if kind == "nul":
        return text[:at] + "\x00" * rng.randint(1, 4) + text[at:]
    if kind == "surrogate":
        return text[:at] + "\udcff\ud800" + text[at:]
    if kind == "long_line":
        return text[:at] + "x" * 1_000_000 + text[at:]
    if kind == "nesting":
        opening, closing = rng.choice(BRACKETS)
        return text[:at] + opening * 500 + "1" + closing * 500 + text[at:]
    return text


def in_range(start: int, end: int, text: str) -> bool:
    return 0 <= start <= end <= len(text)
