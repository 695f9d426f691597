"""DB091: an ignore comment that suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from schemasense.server.findings import Finding
from schemasense.server.lint.context import RuleContext
from schemasense.server.lint.registry import Input, Rule, Status


class UnusedIgnore(Rule):
    """## What it does
    Reports a `schemasense-ignore` comment (or one of the codes it names) that no longer
    suppresses any finding: the problem was fixed, the line moved, or the code is misspelled.

    ## Why is this bad?
    A stale ignore comment hides the next real problem on that line, and a misspelled code
    suppresses nothing while looking as if it did. Squawk has the same check
    (`unused-ignore`).

    ## Example
    ```prisma
    model Post {
      id       Int @id
      authorId Int // schemasense-ignore DB101 only read through the author
      author   User @relation(fields: [authorId], references: [id])

      @@index([authorId])
    }
    ```

    ## Use instead
    ```prisma
    model Post {
      id       Int @id
      authorId Int
      author   User @relation(fields: [authorId], references: [id])

      @@index([authorId])
    }
    ```

    ## Fix safety
    The fix removes the unused code from the comment, or the whole comment when none of its
    codes is used. It is safe: the comment suppressed nothing.
    """

    code = "DB091"
    severity = "warning"
    fix = "always"
    status = Status.stable("0.1.0")
    applies_to: ClassVar[tuple[Input, ...]] = ("project",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # The engine reports these once every other rule has run (`rules/engine.py`).
        return iter(())
