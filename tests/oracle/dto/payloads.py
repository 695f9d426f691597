"""Payloads for the DTO agreement oracle: per model, valid Create payloads and ones that break
exactly one column (its type, length, range, enum, nullability, presence or a CHECK).

Values are made from what the DTO model says of each field (`DtoField`: base type and rules),
so a valid payload satisfies every rule a DTO carries, Sequelize's `validate:` included (that
is the ORM's to check, not the database's: its rules are kept, never broken). Whether a payload
is accepted is then judged twice, by the DTO (under Node) and by the database (an INSERT); the
payloads themselves assert nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from schemasense.codegen.emit.dto import DtoField, DtoModel
from schemasense.codegen.emit.dto.model import SAFE_INTEGER

MISSING = object()
"""A value left out of the payload."""


@dataclass
class Payload:
    id: int
    model: str
    values: dict[str, Any]
    broken: str | None = None
    """`property: what` for a payload that breaks one column; None for a valid one."""
    column: str | None = None
    kind: str | None = None
    """type, length, range, enum, null, missing, check."""
    orm_filled: dict[str, Any] = field(default_factory=dict)
    """Columns (database names) the ORM fills on insert, and the values it would."""


def _pattern_ok(rule, value: str) -> bool:
    flags = re.I if "i" in rule.flags else 0
    try:
        return re.search(rule.value, value, flags) is not None
    except re.error:
        return True


def string_ok(f: DtoField, value: str) -> bool:
    for r in f.rules:
        if r.kind == "max_length" and len(value) > r.value:
            return False
        if r.kind == "min_length" and len(value) < r.value:
            return False
        if r.kind == "max_bytes" and len(value.encode()) > r.value:
            return False
        if r.kind == "pattern" and not _pattern_ok(r, value):
            return False
        if r.kind == "one_of" and value not in r.value:
            return False
        if r.kind == "email" and not re.fullmatch(r"[a-z0-9.]+@[a-z0-9]+\.[a-z]+", value):
            return False
        if r.kind == "url" and not value.startswith("https://"):
            return False
        if r.kind == "lowercase" and value != value.lower():
            return False
        if r.kind == "uppercase" and value != value.upper():
            return False
    return True


def _string(f: DtoField, n: int) -> str | None:
    one_of = next((r.value for r in f.rules if r.kind == "one_of"), None)
    if one_of:
        return next((v for v in one_of if isinstance(v, str) and string_ok(f, v)), None)
    low = next((r.value for r in f.rules if r.kind == "min_length"), 0)
    candidates = [
        f"v{n}x",
        f"user{n}@example.com",
        f"https://example.com/{n}",
        f"abc-{n}",
        f"ABC{n}",
        "a" * max(low, 1),
        str(n) * max(low, 1),
        "abc",
        "a@b.co",
    ]
    return next((c for c in candidates if string_ok(f, c)), None)


def _bounds(f: DtoField) -> tuple[float, float]:
    low, high = -float("inf"), float("inf")
    for r in f.rules:
        if r.kind == "min":
            v = r.value + (1 if r.exclusive and f.base == "int" else 0)
            v = v + (0.5 if r.exclusive and f.base != "int" else 0)
            low = max(low, v)
        elif r.kind == "max":
            v = r.value - (1 if r.exclusive and f.base == "int" else 0)
            v = v - (0.5 if r.exclusive and f.base != "int" else 0)
            high = min(high, v)
    return low, high


def _scalar(f: DtoField, n: int) -> Any:
    base = f.base
    if base == "string":
        return _string(f, n)
    if base in ("int", "number"):
        one_of = next((r.value for r in f.rules if r.kind == "one_of"), None)
        if one_of:
            return one_of[0]
        low, high = _bounds(f)
        v: float = (n % 50) + 1 if base == "int" else (n % 50) + 1.5
        v = min(max(v, low), high)
        return int(v) if base == "int" else v
    if base == "decimal":
        for c in ("1.5", "0.5", "1", "0"):
            if all(_pattern_ok(r, c) for r in f.rules if r.kind == "pattern"):
                return c
        return None
    if base == "boolean":
        return True
    if base == "uuid":
        return str(uuid.UUID(int=n * 7919 + 12345, version=4))
    if base == "datetime":
        return f"2024-05-{(n % 27) + 1:02d}T07:08:09.000Z"
    if base == "date":
        return f"2024-05-{(n % 27) + 1:02d}"
    if base == "time":
        return "07:08:09"
    if base == "json":
        return {"n": n, "tags": ["a"]}
    if base == "bytes":
        return "AAEC"
    if base == "enum":
        values = next((r.value for r in f.rules if r.kind == "one_of"), None) or f.enum_values
        return values[0] if values else None
    return None


def valid_value(f: DtoField, n: int) -> Any:
    """A value every rule of `f` takes (None: none could be made, as for a type the DTO checks
    as a string only: a range, a geometry)."""
    if any(note.endswith("checked as a string only") for note in f.notes):
        return None
    value = _scalar(f, n)
    if value is None:
        return None
    return [value] if f.array else value


def breaks(f: DtoField, valid: Any, dialect: str) -> list[tuple[str, Any]]:
    """(what, value) that break exactly `f` (MISSING: left out)."""
    out: list[tuple[str, Any]] = []
    if f.presence == "required":
        out.append(("missing", MISSING))
    if not f.nullable:
        out.append(("null", None))
    wrap = (lambda v: [v]) if f.array else (lambda v: v)
    base = f.base
    bad_type = {
        "int": ["abc", 1.5] if dialect != "mysql" else ["abc"],  # MariaDB rounds 1.5
        "number": ["abc"],
        "decimal": ["abc"],
        "boolean": ["maybe"],
        "uuid": ["not-a-uuid"],
        "datetime": ["not a date"],
        "date": ["2024-13-45"],
        "time": ["25:61:00"],
        "enum": ["NOT_A_VALUE"],
    }.get(base, [])
    kind = "enum" if base == "enum" else "type"
    out += [(kind, wrap(v)) for v in bad_type]
    if base == "int":
        for r in f.rules:
            if r.source.startswith(("CHECK", "validate")) or r.kind not in ("min", "max"):
                continue
            if r.kind == "max" and r.value < SAFE_INTEGER:
                out.append(("range", wrap(r.value + 1)))
            if r.kind == "min" and -SAFE_INTEGER < r.value <= 0:
                out.append(("range", wrap(r.value - 1)))
    scalar = valid[0] if f.array and isinstance(valid, list) else valid
    for r in f.rules:
        if r.source.startswith("validate"):
            continue
        check = r.source.startswith("CHECK")
        if r.kind == "max_length" and isinstance(scalar, str):
            longer = _pad(f, scalar, r.value + 1)
            if longer is not None:
                out.append(("check" if check else "length", wrap(longer)))
        elif not check:
            continue
        elif r.kind == "min" and base in ("int", "number"):
            out.append(("check", wrap(r.value if r.exclusive else r.value - 1)))
        elif r.kind == "max" and base in ("int", "number"):
            out.append(("check", wrap(r.value if r.exclusive else r.value + 1)))
        elif r.kind == "pattern" and base == "string":
            for bad in ("!!", "", " ", "UPPER CASE!"):
                if not _pattern_ok(r, bad):
                    out.append(("check", wrap(bad)))
                    break
        elif r.kind == "one_of" and base in ("string", "enum"):
            out.append(("check", wrap("zzz_not_listed")))
        elif r.kind == "min_length" and base == "string":
            out.append(("check", wrap("x" * (r.value - 1))))
    return out


def _pad(f: DtoField, value: str, length: int) -> str | None:
    """`value` made `length` long, still passing every rule but the length."""
    for filler in ("x", "a", "0", "-"):
        text = value + filler * (length - len(value)) if len(value) < length else value[:length]
        if "@" in value and len(value) < length:
            text = filler * (length - len(value)) + value
        others = DtoField(
            f.property,
            f.column,
            f.base,
            f.array,
            f.nullable,
            f.presence,
            tuple(r for r in f.rules if r.kind not in ("max_length", "max_bytes")),
        )
        if len(text) == length and string_ok(others, text):
            return text
    return None


def payloads(model: DtoModel, start: int, dialect: str) -> tuple[list[Payload], list[str]]:
    """The payloads of `model`, numbered from `start`; and why some could not be made."""
    skipped: list[str] = []
    fields = model.create_fields
    base: dict[str, Any] = {}
    for f in fields:
        v = valid_value(f, start)
        if v is None:
            if f.presence == "required" and not f.nullable:
                skipped.append(f"{model.name}.{f.property}: no valid value could be made")
                return [], skipped
            continue
        base[f.property] = v
    out = [Payload(start, model.name, dict(base))]
    minimal = {
        f.property: base[f.property]
        for f in fields
        if f.presence == "required" and f.property in base
    }
    out.append(Payload(start + 1, model.name, minimal))
    nulls = {**base, **{f.property: None for f in fields if f.nullable}}
    out.append(Payload(start + 2, model.name, nulls))
    n = start + 3
    for f in fields:
        if f.property not in base:
            continue
        for what, value in breaks(f, base[f.property], dialect):
            values = dict(base)
            if value is MISSING:
                del values[f.property]
            else:
                values[f.property] = value
            out.append(
                Payload(
                    n, model.name, values, f"{f.property}: {what}", f.column, what.split(":")[0]
                )
            )
            n += 1
    return out, skipped
