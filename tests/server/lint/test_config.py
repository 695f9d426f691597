"""Configuration: where it is found, what it selects, and bad input as findings."""

from __future__ import annotations

import json
from pathlib import Path

from schemasense.server.lint.registry import get_rule
from schemasense.server.project.config import (
    Config,
    effective_severity,
    find_config_file,
    load_config,
    parse_config,
)

DB101 = get_rule("DB101")


def test_schemasense_toml_pyproject_and_package_json(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "apps" / "web" / "prisma"
    sub.mkdir(parents=True)
    assert find_config_file(str(sub)) is None
    (tmp_path / "package.json").write_text(json.dumps({"schemasense": {"ignore": ["DB101"]}}))
    loaded = load_config(str(sub))
    assert loaded.path == str(tmp_path / "package.json") and loaded.config.ignore == ["DB101"]
    (tmp_path / "apps" / "pyproject.toml").write_text('[tool.schemasense]\nselect = ["DB1"]\n')
    assert load_config(str(sub)).config.select == ["DB1"]
    (tmp_path / "apps" / "web" / "schemasense.toml").write_text('database = "mysql"\n')
    assert load_config(str(sub)).config.database == "mysql"


def test_package_json_without_the_key_and_pyproject_without_the_table_are_skipped(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 1\n")
    assert find_config_file(str(tmp_path)) is None


def test_the_search_stops_at_the_repository_root(tmp_path: Path):
    (tmp_path / "schemasense.toml").write_text("")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config_file(str(repo)) is None


def test_kebab_keys_and_every_section():
    loaded = parse_config(
        "/p/schemasense.toml",
        """
database = "postgresql"
database-version = 11
select = ["DB1", "DB091"]
ignore = ["unused-ignore"]
extend-select = ["DB090"]
docs-url = "https://example.com/rules"

[severity]
DB101 = "error"

[migrations]
path = "prisma/migrations"
tool = "prisma"
transaction = "per-file"

[[overrides]]
paths = ["prisma/legacy/**"]
ignore = ["DB1"]
""",
    )
    assert loaded.findings == []
    config = loaded.config
    assert config.database_version == "11" and config.version_tuple() == (11,)
    assert config.transaction_for("prisma") == "per-file"
    assert config.transaction_for("plain") == "none"  # the entry is for prisma only
    assert loaded.overrides_for("/p/prisma/legacy/schema.prisma")
    assert not loaded.overrides_for("/p/prisma/schema.prisma")


def test_invalid_toml_is_a_finding_on_its_line():
    text = 'select = ["DB1"]\nignore = [oops]\n'
    loaded = parse_config("/p/schemasense.toml", text)
    (finding,) = loaded.findings
    assert finding.code == "DB090" and finding.severity == "error"
    assert text[finding.span.start :].startswith("oops") or finding.span.start >= text.index("\n")
    assert loaded.config == Config()


def test_bad_entries_are_dropped_and_the_rest_applies():
    text = (
        'database = "oracle"\nignore = ["DB101", "DB1O1"]\nunknown-key = 1\n'
        '[severity]\nforeign-key-without-idx = "error"\n'
        "[rules.foreign-key-without-index]\nbogus = 1\n"
    )
    loaded = parse_config("/p/schemasense.toml", text)
    messages = sorted(f.message for f in loaded.findings)
    assert messages == [
        "Invalid schemasense configuration: `database`: Input should be 'postgresql', "
        "'cockroachdb', 'mysql', 'mariadb', 'sqlite' or 'sqlserver'",
        "Invalid schemasense configuration: `ignore`: no rule matches `DB1O1`",
        "Invalid schemasense configuration: `severity`: no rule `foreign-key-without-idx`",
        "Invalid schemasense configuration: unknown key `unknown-key`",
        "Invalid schemasense configuration: unknown option `bogus` of rule "
        "`foreign-key-without-index`",
    ]
    assert loaded.config.ignore == ["DB101", "DB1O1"]
    assert loaded.config.database is None
    # each finding points at the key it is about
    for finding in loaded.findings:
        assert finding.span.end > finding.span.start


def test_package_json_problems():
    loaded = parse_config("/p/package.json", '{"schemasense": {"select": "DB1"}}')
    assert [f.message for f in loaded.findings] == [
        "Invalid schemasense configuration: `select`: Input should be a valid list"
    ]
    assert parse_config("/p/package.json", "{").findings[0].code == "DB090"


def test_selection_severity_and_overrides():
    def sev(text: str, overrides: bool = False):
        loaded = parse_config("/p/schemasense.toml", text)
        assert loaded.findings == []
        return effective_severity(
            DB101, loaded.config, loaded.config.overrides if overrides else []
        )

    assert sev("") == "warning"
    assert sev('ignore = ["DB1"]') is None
    assert sev('select = ["DB2"]') is None
    assert sev('select = ["DB2"]\nextend-select = ["foreign-key-without-index"]') == "warning"
    assert sev('[severity]\nDB101 = "error"') == "error"
    assert sev('[severity]\nDB101 = "off"') is None
    text = '[[overrides]]\npaths = ["x/**"]\nseverity = { DB101 = "info" }'
    assert sev(text) == "warning" and sev(text, overrides=True) == "info"
