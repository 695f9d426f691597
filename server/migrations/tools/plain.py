"""Plain SQL files: every `.sql` file of a folder, in the lexical order of the names; a
`<name>.down.sql` is the way back of `<name>.sql` (as this tool writes them), not a migration.

Never detected (any folder of SQL files would look like one); a project names it in
`schemasense.toml` (`[migrations] tool = "plain"`). Each file runs as it is, statement by
statement, with no transaction around it (`project/config.py`, `default_transaction`).
"""

from __future__ import annotations

import os

from schemasense.server.findings import Finding
from schemasense.server.migrations.model import MigrationFile, Tool
from schemasense.server.migrations.tools.base import SqlFileTool, TextOf, sql_names


class Plain(SqlFileTool):
    name: Tool = "plain"
    detect_rank = 1000

    def find(self, folder: str, text_of: TextOf, found: list[Finding]) -> list[MigrationFile]:
        files = []
        for name in sorted(sql_names(folder)):
            if name.endswith(".down.sql"):
                continue
            path = os.path.join(folder, name)
            text = text_of(path)
            if text is None:
                continue
            down = os.path.join(folder, name.removesuffix(".sql") + ".down.sql")
            files.append(
                MigrationFile(
                    path=path,
                    name=name,
                    version=name,
                    up_text=text,
                    down_text=text_of(down) if os.path.isfile(down) else None,
                )
            )
        return files


TOOL = Plain()
