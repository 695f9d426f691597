"""How a project writes its TypeScript and JavaScript, for every emitter of code files.

Generated entities, models, DTOs and tests are written in the project's own conventions, so that
they read as if a colleague wrote them and its formatter leaves them alone: the quote, the indent,
semicolons, how file names are cased, and whether the project writes TypeScript or JavaScript
(and CommonJS or ES modules). `server/project/conventions.py` reads them from the project's own
files; an emitter only receives a `CodeStyle`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

FileCase = Literal["kebab", "camel", "pascal", "snake"]


@dataclass(frozen=True, slots=True)
class CodeStyle:
    """The conventions of one project's code (defaults: what `nest new` and Prettier write)."""

    quote: str = '"'
    indent: str = "  "
    semicolons: bool = True
    file_case: FileCase = "kebab"
    language: Literal["ts", "js"] = "ts"
    module: Literal["esm", "commonjs"] = "esm"
    """For JavaScript: `import`/`export` or `require`/`module.exports` (TypeScript is `esm`)."""
    import_extension: str = ""
    """What a relative import of a TypeScript file ends with: `.js` in a project compiled for
    Node's own ES modules (`"module": "nodenext"`), where `./user` does not resolve."""

    def relative_module(self, stem: str) -> str:
        """The specifier of the sibling module `stem` (a file name without its extension)."""
        if self.language == "js":
            return f"./{stem}.js" if self.module == "esm" else f"./{stem}"
        return f"./{stem}{self.import_extension}"

    def string(self, text: str) -> str:
        """`text` as a string literal in the project's quote."""
        escaped = text.replace("\\", "\\\\").replace(self.quote, "\\" + self.quote)
        return f"{self.quote}{escaped}{self.quote}".replace("\n", "\\n")

    def end(self) -> str:
        """What ends a statement: `;` or nothing."""
        return ";" if self.semicolons else ""

    def file_stem(self, name: str, suffix: str = "") -> str:
        """A file name stem for `name` (a class or model name) in the project's casing, with an
        optional dotted `suffix` as NestJS writes it (`user-profile.entity`, `create-user.dto`)."""
        words = split_words(name)
        if self.file_case == "kebab":
            stem = "-".join(w.lower() for w in words)
        elif self.file_case == "snake":
            stem = "_".join(w.lower() for w in words)
        elif self.file_case == "camel":
            stem = words[0].lower() + "".join(w.capitalize() for w in words[1:]) if words else ""
        else:
            stem = "".join(w.capitalize() for w in words)
        return f"{stem}.{suffix}" if suffix else stem


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_words(name: str) -> list[str]:
    """The words of a name: `UserProfile` -> [User, Profile]; `user_profile` and `user-profile`
    -> [user, profile]; `HTTPLog` -> [HTTP, Log]."""
    return _WORD.findall(name)
