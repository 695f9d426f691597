"""The README and docs/ say what the code does, kept by a test.

- every read-problem code (DB0xx) the code can emit is a row of docs/problem-codes.md, and every
  row is a code the code can emit (a code is found as a string constant `"DB0nn"` anywhere in
  `server/`, which is how every reader, the engine and the configuration write them);
- every repository path the README and `docs/*.md` name in backticks (`server/...`,
  `codegen/...`, `tests/...`, `docs/...`, ...) exists, and so does every relative link;
- the README's example `schemasense.toml` is accepted as it is (no DB090, no DB053) and names
  every key the configuration accepts.

(`docs/rules/` is generated; tests/server/lint/test_commands.py keeps it in sync.)
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from schemasense.server.migrations import discover_migrations
from schemasense.server.project.config import Config, MigrationsConfig, Override, parse_config

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
PROBLEM_CODES = REPO / "docs" / "problem-codes.md"
ROOTS = ("server/", "codegen/", "tests/", "docs/", "editors/", "samples/", "scripts/")


def emitted_read_codes() -> dict[str, list[str]]:
    """`DB0nn` -> the files of `server/` that hold it as a string constant."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "server").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"DB0\d\d", node.value)
            ):
                found.setdefault(node.value, []).append(str(path.relative_to(REPO)))
    return found


def documented_read_codes() -> set[str]:
    text = PROBLEM_CODES.read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*(DB0\d\d)\s*\|", text, re.M))


def test_the_scan_finds_the_readers_codes():
    codes = emitted_read_codes()
    assert {"DB000", "DB001", "DB050", "DB053", "DB090"} <= codes.keys()


def test_every_emitted_read_code_is_documented():
    missing = {c: files for c, files in emitted_read_codes().items()}
    for code in documented_read_codes():
        missing.pop(code, None)
    assert missing == {}, f"add these codes to docs/problem-codes.md: {missing}"


def test_every_documented_read_code_is_emitted():
    stale = documented_read_codes() - emitted_read_codes().keys()
    assert stale == set(), f"docs/problem-codes.md lists codes nothing emits: {sorted(stale)}"


def test_the_code_table_lists_every_rule():
    """docs/problem-codes.md has a row for every rule `schemasense rules` lists, and none
    for a rule that does not exist: with the read problems above, every code."""
    from schemasense.server.lint.registry import all_rules

    text = PROBLEM_CODES.read_text(encoding="utf-8")
    rules_part = text[text.index("## Rules") :]
    documented = set(re.findall(r"^\|\s*(DB\d{3})\s*\|", rules_part, re.M))
    registered = {rule.code for rule in all_rules()}
    assert len(registered) > 50
    assert documented == registered, (
        f"missing: {sorted(registered - documented)}, stale: {sorted(documented - registered)}"
    )


def _prose(text: str) -> str:
    """The text outside fenced code blocks (their backticks are not inline code)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def named_paths(doc: Path) -> list[str]:
    """Repository paths in inline code: `server/x.py`, `docs/rules/` (not patterns such as
    `server/rules/<family>/` or `**/migrations/**/*.sql`)."""
    out = []
    for code in re.findall(r"`([^`\n]+)`", _prose(doc.read_text(encoding="utf-8"))):
        if code.startswith(ROOTS) and not re.search(r"[<>*{}\s]", code):
            out.append(code)
    return out


def relative_links(doc: Path) -> list[str]:
    links = re.findall(r"\]\(([^)\s]+)\)", _prose(doc.read_text(encoding="utf-8")))
    return [link.split("#")[0] for link in links if not re.match(r"^[a-z]+:|^#", link)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_named_paths_exist(doc: Path):
    missing = [p for p in named_paths(doc) if not (REPO / p).exists()]
    missing += [link for link in relative_links(doc) if link and not (doc.parent / link).exists()]
    assert missing == [], f"{doc.relative_to(REPO)} names paths that do not exist: {missing}"


def test_the_path_check_can_fail(tmp_path: Path):
    doc = tmp_path / "x.md"
    doc.write_text("See `server/readers/prisma/reader.py`, [a](nowhere.md).\n```\n`tests/x`\n```")
    assert named_paths(doc) == ["server/readers/prisma/reader.py"]
    assert relative_links(doc) == ["nowhere.md"]


def readme_config_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1]
    match = re.search(r"```toml\n(.*?)```", section, re.S)
    assert match, "the README's Configuration section has no ```toml example"
    return match.group(1)


def test_readme_config_example_is_accepted(tmp_path: Path):
    text = readme_config_example()
    (tmp_path / "schemasense.toml").write_text(text, encoding="utf-8")
    loaded = parse_config(str(tmp_path / "schemasense.toml"), text)
    assert [f.message for f in loaded.findings] == []
    # the migration reader reads `[migrations]` itself: a set where it says, and no DB053
    migrations = tomllib.loads(text)["migrations"]["path"]
    folder = tmp_path / migrations / "20240101000000_init"
    folder.mkdir(parents=True)
    (folder / "migration.sql").write_text('CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);\n')
    (found,) = discover_migrations(str(tmp_path))
    assert (found.tool, found.problems) == ("prisma", ())


def _keys(model: type) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def test_readme_config_example_names_every_key():
    data = tomllib.loads(readme_config_example())
    assert _keys(Config) - data.keys() == set()
    assert _keys(MigrationsConfig) - data["migrations"].keys() == set()
    assert _keys(Override) - _keys(Config) - data["overrides"][0].keys() == set()
