"""Reading an attribute's arguments the way psl does: take each one once, flag the rest.

An `ArgumentReader` wraps one attribute. `default("fields")` takes the unnamed first argument or
the one named `fields`; `optional("map")` takes a named one. `finish()` reports every argument
nobody took ("No such argument."), every duplicate, and a trailing `name:` with no value, so
each attribute validator only states what it accepts.
"""

from __future__ import annotations

from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import ast, problems
from schemasense.server.sources.prisma.problems import describe


class ArgumentReader:
    def __init__(
        self,
        attribute: ast.Attribute,
        file: str,
        findings: list[Finding],
        check_trailing_comma: bool = True,
    ) -> None:
        self.attribute = attribute
        self.file = file
        self.findings = findings
        self.arguments = attribute.arguments.arguments if attribute.arguments else []
        self.taken: set[int] = set()
        self.display = ("@@" if attribute.block else "@") + attribute.name.name
        comma = attribute.arguments.trailing_comma if attribute.arguments else None
        if check_trailing_comma and comma is not None:
            self.error(
                "Trailing commas are not valid in attribute arguments, please remove the comma.",
                comma,
            )

    def error(self, message: str, span: ast.Offsets | None = None, code: str = problems.ARGUMENT):
        self.findings.append(
            problems.attribute_error(
                code, self.display, message, self.file, span or self.attribute.span
            )
        )

    def default(self, name: str) -> ast.Argument | None:
        """The unnamed argument (first one) or the argument named `name`."""
        for i, arg in enumerate(self.arguments):
            if i in self.taken:
                continue
            if arg.name is None or arg.name.name == name:
                self.taken.add(i)
                return arg
        return None

    def optional(self, name: str) -> ast.Argument | None:
        for i, arg in enumerate(self.arguments):
            if i not in self.taken and arg.name is not None and arg.name.name == name:
                self.taken.add(i)
                return arg
        return None

    def required_default(self, name: str) -> ast.Argument | None:
        arg = self.default(name)
        if arg is None:
            self.error(f'Argument "{name}" is missing.')
        return arg

    def finish(self) -> None:
        """Report what no one took: unknown, duplicate, or empty (`name:`) arguments."""
        seen: set[str] = set()
        for i, arg in enumerate(self.arguments):
            if arg.name is not None and arg.value is None:
                self.findings.append(
                    problems.problem(
                        problems.ARGUMENT,
                        f'The "{arg.name.name}" argument is missing a value.'
                        if i in self.taken
                        else "No such argument.",
                        self.file,
                        arg.span,
                    )
                )
                continue
            key = arg.name.name if arg.name else ""
            if i in self.taken:
                if key in seen and key:
                    self.error(f'Argument "{key}" is already specified.', arg.span)
                seen.add(key)
                continue
            if key and key in seen:
                self.error(f'Argument "{key}" is already specified.', arg.span)
            elif not key and "" in seen:
                self.error("No such argument.", arg.span)
            else:
                self.error("No such argument.", arg.span)


def string_value(reader: ArgumentReader, arg: ast.Argument | None, what: str) -> str | None:
    """The string of `arg`, or None after reporting what else it was."""
    if arg is None or arg.value is None:
        return None
    if isinstance(arg.value, ast.StringValue):
        return arg.value.value
    reader.error(f"Expected a string value, but received {describe(arg.value)}.", arg.value.span)
    return None


def constant_value(reader: ArgumentReader, arg: ast.Argument | None) -> str | None:
    if arg is None or arg.value is None:
        return None
    if isinstance(arg.value, ast.ConstantValue):
        return arg.value.name
    reader.error(f"Expected a constant value, but received {describe(arg.value)}.", arg.value.span)
    return None


def field_references(
    reader: ArgumentReader, arg: ast.Argument | None, allow_args: bool
) -> list[tuple[str, ast.FunctionCall | None, ast.Offsets]] | None:
    """`[a, b(sort: Desc)]` (or a single `a`) -> [(name, call or None, span)]."""
    if arg is None or arg.value is None:
        return None
    value = arg.value
    items = value.items if isinstance(value, ast.ArrayExpression) else [value]
    result: list[tuple[str, ast.FunctionCall | None, ast.Offsets]] = []
    for item in items:
        if isinstance(item, ast.ConstantValue):
            result.append((item.name, None, item.span))
        elif isinstance(item, ast.FunctionCall) and allow_args:
            result.append((item.name, item, item.span))
        else:
            reader.error(f"Expected a constant value, but received {describe(item)}.", item.span)
            return None
    return result
