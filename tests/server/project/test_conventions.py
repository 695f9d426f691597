"""A project's code conventions are read from its own files, and Prettier's settings win."""

from __future__ import annotations

import json
from pathlib import Path

from schemasense.codegen.emit.style import CodeStyle, split_words
from schemasense.server.project.conventions import detect_style


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_single_quotes_four_spaces_no_semicolons_pascal_files(tmp_path: Path) -> None:
    body = "import { Entity } from 'typeorm'\n\nexport class User {\n    id = 1\n}\n"
    _write(tmp_path, {"src/User.ts": body, "src/Post.ts": body})
    style = detect_style(str(tmp_path))
    assert style == CodeStyle("'", "    ", False, "pascal", "ts", "esm")


def test_commonjs_javascript_with_semicolons(tmp_path: Path) -> None:
    body = "'use strict';\nconst { Model } = require(\"sequelize\");\nmodule.exports = {};\n"
    _write(tmp_path, {"models/user_account.js": body, "models/blog_post.js": body})
    style = detect_style(str(tmp_path))
    assert (style.quote, style.semicolons, style.file_case) == ('"', True, "snake")
    assert (style.language, style.module) == ("js", "commonjs")


def test_migration_names_do_not_vote_for_the_file_case(tmp_path: Path) -> None:
    body = 'import { X } from "y";\n'
    _write(
        tmp_path,
        {
            "src/migrations/1700000000000-Init.ts": body,
            "src/migrations/1700000000001-AddUser.ts": body,
            "src/entity/UserProfile.ts": body,
        },
    )
    assert detect_style(str(tmp_path)).file_case == "pascal"


def test_a_continued_line_is_not_a_statement_without_semicolon(tmp_path: Path) -> None:
    body = "const a = b\n  ? c\n  : d;\nconst e = f;\n"
    _write(tmp_path, {"a.js": body})
    assert detect_style(str(tmp_path)).semicolons is True


def test_prettier_configuration_wins(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "src/user.ts": 'import { X } from "y";\n\nclass A {\n  b = 1;\n}\n',
            "package.json": json.dumps({"prettier": {"singleQuote": True, "semi": False}}),
            ".prettierrc": json.dumps({"useTabs": True}),
        },
    )
    style = detect_style(str(tmp_path))
    assert (style.quote, style.indent, style.semicolons) == ('"', "\t", True)  # .prettierrc first


def test_an_empty_project_gets_prettiers_defaults(tmp_path: Path) -> None:
    assert detect_style(str(tmp_path)) == CodeStyle()


def test_names_split_into_words_and_file_stems() -> None:
    assert split_words("HTTPLog") == ["HTTP", "Log"]
    assert split_words("user_profile") == ["user", "profile"]
    assert CodeStyle().file_stem("UserProfile", "entity") == "user-profile.entity"
    assert CodeStyle(file_case="camel").file_stem("user_profile") == "userProfile"
    assert CodeStyle(quote="'").string("it's") == "'it\\'s'"


def test_relative_imports_end_in_js_where_the_project_writes_them_so(tmp_path: Path) -> None:
    """Node's own ES modules (`"module": "nodenext"`) need `./user.js` in TypeScript too: the
    project's own imports say so, else its tsconfig does."""
    body = (
        'import { Post } from "./post.js";\nimport { x } from "../util/x.js";\nexport class U {}\n'
    )
    _write(tmp_path / "a", {"src/user.ts": body, "src/post.ts": body})
    assert detect_style(str(tmp_path / "a")).import_extension == ".js"
    plain = 'import { Post } from "./post";\nexport class U {}\n'
    _write(tmp_path / "b", {"src/user.ts": plain, "tsconfig.json": '{"module": "nodenext"}'})
    assert detect_style(str(tmp_path / "b")).import_extension == ""  # its own imports win
    _write(
        tmp_path / "c",
        {
            "src/user.ts": "export class U {}\n",
            "tsconfig.json": (
                '{\n  // ESM\n  "compilerOptions": { "moduleResolution": "NodeNext" }\n}'
            ),
        },
    )
    assert detect_style(str(tmp_path / "c")).import_extension == ".js"
    assert CodeStyle(import_extension=".js").relative_module("user") == "./user.js"
    assert CodeStyle().relative_module("user") == "./user"
    assert CodeStyle(language="js", module="commonjs").relative_module("user") == "./user"
