"""What an expression in a TypeScript or JavaScript file says, read without running it.

An ORM's model and migration files are mostly data written as code: decorator arguments (`@Column({
type: "varchar", length: 255 })`), object literals (`Model.init({ ... }, { ... })`), strings and
template literals of SQL (`queryRunner.query(`ALTER TABLE ...`)`), names imported from the ORM
(`DataTypes.STRING(255)`, `Sequelize.NOW`). `evaluate.py` turns each expression into one of these
values; what cannot be known statically (a call's result, a parameter) stays a `Ref`, `Call` or
`Unknown`, with its range, so a reader can say exactly what it could not read.

Every value carries `start` and `end`: character offsets of the expression in its file. A string
keeps the ranges of its pieces (`parts`): a template literal is fragments of text and `${...}`
holes, and a concatenation `"a" + B` keeps each operand's range, so a finding about a statement
inside a migration's SQL points at the characters in the file, not at the whole literal.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Value:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fragment:
    """Literal text of a string, and where its characters are in the file.

    `offsets` is None when each character of `text` sits at `start + i` (a template literal
    without escapes, or a plain string without escapes); otherwise it maps each character of
    `text` to its file offset (escapes such as `\\n` take several characters in the file)."""

    text: str
    start: int
    end: int
    offsets: tuple[int, ...] | None = None

    def offset_of(self, index: int) -> int:
        """The file offset of character `index` of `text` (`len(text)` gives the end)."""
        if self.offsets is None:
            return self.start + index
        if index >= len(self.offsets):
            return self.end
        return self.offsets[index]


@dataclass(frozen=True, slots=True)
class Hole:
    """A `${...}` in a template literal (or an operand of `+` that is not a known string):
    its expression's value, and the range of the whole `${...}`."""

    value: Value
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Str(Value):
    """A string: `value` is its text when every part is known, else None (a hole remains)."""

    value: str | None
    parts: tuple[Fragment | Hole, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Num(Value):
    value: int | float


@dataclass(frozen=True, slots=True)
class Bool(Value):
    value: bool


@dataclass(frozen=True, slots=True)
class Null(Value):
    """`null`, or `undefined` (`undefined=True`)."""

    undefined: bool = False


@dataclass(frozen=True, slots=True)
class Array(Value):
    items: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class Prop:
    """One `key: value` of an object literal (`{ name }` shorthand included)."""

    key: str
    key_start: int
    key_end: int
    value: Value


@dataclass(frozen=True, slots=True)
class Obj(Value):
    """An object literal. `props` keeps the order written; a later key wins in `get`, as in
    JavaScript. `spreads` are the `...x` entries (their values), `unknown_keys` the computed keys
    that could not be read (`[name]: ...`)."""

    props: tuple[Prop, ...] = ()
    spreads: tuple[Value, ...] = ()
    unknown_keys: tuple[Value, ...] = ()
    named_keys: tuple[tuple[Ref, Value], ...] = ()
    """The computed keys that are names from elsewhere, with their values (`{ [Op.ne]: null }`
    is `((Ref(("Op", "ne")), Null),)`); they are among `unknown_keys` too."""

    def get(self, key: str) -> Value | None:
        found = None
        for prop in self.props:
            if prop.key == key:
                found = prop.value
        return found

    def prop(self, key: str) -> Prop | None:
        found = None
        for prop in self.props:
            if prop.key == key:
                found = prop
        return found

    def keys(self) -> list[str]:
        return list(dict.fromkeys(p.key for p in self.props))


@dataclass(frozen=True, slots=True)
class Ref(Value):
    """A name that is not a known constant: an identifier or a member chain
    (`DataTypes.STRING` is `("DataTypes", "STRING")`), e.g. something imported from the ORM."""

    path: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Call(Value):
    """A call (`DataTypes.STRING(255)`) or a `new` expression (`new Table({...})`)."""

    callee: Value
    args: tuple[Value, ...] = ()
    new: bool = False

    @property
    def callee_path(self) -> tuple[str, ...]:
        return self.callee.path if isinstance(self.callee, Ref) else ()


@dataclass(frozen=True, slots=True)
class Func(Value):
    """An arrow function or function expression. `returns` is the value it returns when that
    is one expression (`() => "now()"`, `() => User`, `type => Photo`), else None."""

    params: tuple[str, ...] = ()
    returns: Value | None = None
    body_start: int = 0
    body_end: int = 0


@dataclass(frozen=True, slots=True)
class Unknown(Value):
    """An expression that cannot be read statically; `reason` says which kind, for messages."""

    reason: str = ""
    text: str = field(default="", repr=False)
