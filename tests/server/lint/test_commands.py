"""`schemasense rules`, `rules CODE`, `dev gen-docs`, `dev new-rule`, and the check formats."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from schemasense.server import cli
from schemasense.server.lint import commands, docs
from schemasense.server.lint.registry import all_rules

REPO = Path(__file__).resolve().parents[3]

SCHEMA = """datasource db {
  provider = "postgresql"
}

model Author {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])
}
"""


def test_docs_folder_is_in_sync_with_the_docstrings():
    folder = REPO / "docs" / "rules"
    assert commands.stale_pages(str(folder)) == [], (
        "docs/rules/ is out of date: run `schemasense dev gen-docs`"
    )


def test_rules_lists_every_rule(capsys):
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule in all_rules():
        assert f"{rule.code} " in out and rule.name in out


def test_rules_json(capsys):
    assert cli.main(["rules", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"code": "DB101", "name": "foreign-key-without-index"}.items() <= data[2].items() or any(
        d["code"] == "DB101" and d["fix"] == "sometimes" for d in data
    )


def test_rules_code_prints_the_docs(capsys):
    assert cli.main(["rules", "DB101"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# foreign-key-without-index (DB101)\n")
    for section in docs.REQUIRED_SECTIONS:
        assert f"## {section}" in out
    assert cli.main(["rules", "foreign-key-without-index"]) == 0
    assert capsys.readouterr().out == out


def test_unknown_rule_is_a_usage_error(capsys):
    assert cli.main(["rules", "DB999"]) == 2
    assert "no rule 'DB999'" in capsys.readouterr().err


def test_gen_docs_writes_and_checks(tmp_path, capsys):
    out = tmp_path / "rules"
    assert cli.main(["dev", "gen-docs", "--out", str(out), "--check"]) == 1
    assert cli.main(["dev", "gen-docs", "--out", str(out)]) == 0
    assert cli.main(["dev", "gen-docs", "--out", str(out), "--check"]) == 0
    (out / "gone-rule.md").write_text("stale")
    assert cli.main(["dev", "gen-docs", "--out", str(out), "--check"]) == 1
    capsys.readouterr()


def test_new_rule_refuses_taken_codes_and_bad_names(capsys):
    assert cli.main(["dev", "new-rule", "foreign-key-without-index", "--code", "DB101"]) == 2
    assert "codes are never reused" in capsys.readouterr().err
    assert cli.main(["dev", "new-rule", "NotKebab", "--code", "DB199"]) == 2


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_sarif(project, capsys):
    assert cli.main(["check", ".", "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DB101"]
    (result,) = run["results"]
    assert result["ruleId"] == "DB101" and result["level"] == "warning"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "prisma/schema.prisma"
    assert location["region"]["startLine"] == 13
    replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "\n  @@index([authorId])\n"


def test_check_github(project, capsys):
    assert cli.main(["check", ".", "--format", "github"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(
        "::warning file=prisma/schema.prisma,line=13,col=3,endLine=13,endColumn="
    )
    assert ",title=DB101 foreign-key-without-index::Foreign key `Post_authorId_fkey`" in line
    assert "%0Ahelp: add @@index([authorId])" in line


def test_check_json_has_the_fix(project, capsys):
    assert cli.main(["check", ".", "--format", "json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["fix"]["title"] == "Add @@index([authorId])"
    assert item["fix"]["applicability"] == "safe"


def test_check_exit_1_when_the_config_makes_it_an_error(project, capsys):
    (project / "schemasense.toml").write_text('[severity]\nDB101 = "error"\n')
    assert cli.main(["check", "."]) == 1
    assert "error[DB101]" in capsys.readouterr().out


def test_check_reports_an_invalid_config_without_stopping(project, capsys):
    (project / "schemasense.toml").write_text('ignore = ["DB1O1"]\n')
    assert cli.main(["check", "."]) == 1
    out = capsys.readouterr().out
    assert "schemasense.toml:1:11: error[DB090]" in out and "warning[DB101]" in out


def test_since_a_bad_ref_is_a_usage_error(project, capsys):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    assert cli.main(["check", ".", "--since", "no-such-ref"]) == 2
    assert "--since" in capsys.readouterr().err
