"""DTOs that say in TypeScript exactly what the database accepts (issue 14).

`dto_models` (model.py) works out, from the schema model in its database form, each field's
type, rules and place in Create; `checks.py` reads what CHECK constraints a DTO can say;
`class_validator.py` and `zod.py` spell it out; `files.py` names the files, frames the
generated region and merges a second run into a file written before. Nothing here reads files
or runs code: `server/workflows/generate_dto.py` gathers the schema and the hints and writes.
"""

from schemasense.codegen.emit.dto.files import STYLES, DtoStyle, dto_file, file_name, merge
from schemasense.codegen.emit.dto.model import (
    ColumnHint,
    DtoField,
    DtoModel,
    DtoOptions,
    Hints,
    TableHint,
    dto_models,
)

__all__ = [
    "STYLES",
    "ColumnHint",
    "DtoField",
    "DtoModel",
    "DtoOptions",
    "DtoStyle",
    "Hints",
    "TableHint",
    "dto_file",
    "dto_models",
    "file_name",
    "merge",
]
