"""TypeScript and JavaScript read with tree-sitter, shared by every source written in code.

TypeORM entities and migration classes, Sequelize models and migrations, and the queries in a
project's code are all read through this one layer (a source never imports another source; they
share `sources/base` and this package). The user's code is never run: expressions are read
statically (`evaluate.py`), and what cannot be known keeps its range so a reader can report it.

- `parse.py`: text -> tree-sitter tree, with offsets in characters;
- `values.py`: what an expression says (strings with the ranges of their pieces, objects,
  arrays, names, calls, functions);
- `evaluate.py`: expression node -> value, resolving the file's constants;
- `declarations.py`: a file's classes, decorators, members, imports, constants and calls.
"""

from schemasense.server.sources.typescript.declarations import (
    CallSite,
    ClassDecl,
    Decorator,
    Import,
    Member,
    Module,
    read_module,
)

__all__ = ["CallSite", "ClassDecl", "Decorator", "Import", "Member", "Module", "read_module"]
