"""`schemasense check --since GIT_REF`: only the migrations added since the ref are reported
on; tables created by an earlier file of that batch count as new."""

from __future__ import annotations

import json
import subprocess

import pytest
from schemasense.server import cli

from tests.server.rules.migration_helpers import write_migrations

SCHEMA = """datasource db {
  provider = "postgresql"
}

model Post {
  id    BigInt @id @default(autoincrement())
  title String

  @@index([title])
}
"""

INIT = 'CREATE TABLE "Post" ("id" BIGSERIAL PRIMARY KEY, "title" TEXT NOT NULL);\n'


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    write_migrations(
        tmp_path,
        {
            "20240101000000_init": INIT,
            "20240102000000_old": 'CREATE INDEX "Post_id_idx" ON "Post"("id");\n',
        },
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _codes(capsys, *args) -> list[tuple[str, str]]:
    cli.main(["check", ".", "--format", "json", *args])
    return sorted(
        (i["code"], i["path"].split("/")[-2])
        for i in json.loads(capsys.readouterr().out)
        if i["code"].startswith("DB2")
    )


def test_since_reports_only_new_migrations(repo, capsys):
    write_migrations(
        repo,
        {
            "20240103000000_tags": 'CREATE TABLE "Tag" ("id" BIGSERIAL PRIMARY KEY, "name" TEXT);\n',
            "20240104000000_tag_idx": 'CREATE INDEX "Tag_name_idx" ON "Tag"("name");\nCREATE INDEX "Post_title_idx" ON "Post"("title");\n',
        },
    )
    everything = _codes(capsys)
    assert ("DB201", "20240102000000_old") in everything
    assert ("DB201", "20240104000000_tag_idx") in everything
    since = _codes(capsys, "--since", "HEAD")
    # the old file is history; Tag was created earlier in the same batch, so only Post's index
    assert [c for c in since if c[0] == "DB201"] == [("DB201", "20240104000000_tag_idx")]
    findings = json.loads(capsys.readouterr().out or "[]")
    assert findings == []
