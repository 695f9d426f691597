"""The marked region of a generated file, so a second run keeps what a person added.

A generated file holds its generated text between a `// schemasense:begin` line and a
`// schemasense:end` line. `merge(old, new)` puts the new region in place of the old one and
keeps every line outside it as it was; a file with no markers is not ours, and `merge` says so
by returning None (the caller then writes beside it instead).
"""

from __future__ import annotations

BEGIN = "// schemasense:begin"
END = "// schemasense:end"


def _bounds(text: str) -> tuple[int, int] | None:
    start = text.find(BEGIN)
    if start < 0:
        return None
    end = text.find(END, start)
    if end < 0:
        return None
    return start, end + len(END)


def merge(old: str, new: str) -> str | None:
    """`old` with its marked region replaced by `new`'s, or None when `old` has no region."""
    old_bounds = _bounds(old)
    new_bounds = _bounds(new)
    if old_bounds is None or new_bounds is None:
        return None
    return old[: old_bounds[0]] + new[new_bounds[0] : new_bounds[1]] + old[old_bounds[1] :]
