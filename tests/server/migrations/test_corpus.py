"""The corpus's migration folders replay with no error, and re-replaying after one file
changed parses that file alone."""

from __future__ import annotations

import dataclasses

import pytest
from schemasense.server.migrations import Replayer, read_set

from tests.conftest import CORPUS

FOLDERS = {
    "calcom": ("calcom/packages/prisma/migrations", "postgresql"),
    "umami-postgresql": ("umami/db/postgresql/migrations", "postgresql"),
    "umami-mysql": ("umami/db/mysql/migrations", "mysql"),
    "pingvin-share": ("pingvin-share/backend/prisma/migrations", "sqlite"),
    "epic-stack": ("epic-stack/prisma/migrations", "sqlite"),
}


@pytest.mark.corpus
@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_replays_without_errors(folder: str) -> None:
    path, dialect = FOLDERS[folder]
    if not (CORPUS / path).is_dir():
        pytest.skip(f"{path} is not in the corpus")
    mset = read_set(str(CORPUS / path))
    assert mset is not None and mset.dialect == dialect
    result = Replayer().replay(mset)
    assert [f.message for f in result.findings if f.severity == "error"] == []
    assert [f.message for f in result.findings] == []
    assert result.schema.tables
    texts = {f.path: f.up_text for f in mset.files}
    for record in result.statements:
        text = texts[record.span.file]
        assert text[record.span.start : record.span.end].strip(), record


@pytest.mark.corpus
def test_one_changed_file_is_parsed_alone_and_gives_the_same_schema() -> None:
    path = CORPUS / FOLDERS["calcom"][0]
    if not path.is_dir():
        pytest.skip("cal.com is not in the corpus")
    mset = read_set(str(path))
    replayer = Replayer()
    first = replayer.replay(mset)
    parses = replayer.parses
    files = list(mset.files)
    for index in (len(files) - 1, len(files) // 2, 0):
        f = files[index]
        files[index] = dataclasses.replace(f, up_text=f.up_text + "\n-- edited\n")
        again = replayer.replay(dataclasses.replace(mset, files=list(files)))
        parses += 1
        assert replayer.parses == parses
        assert [t.name for t in again.schema.tables] == [t.name for t in first.schema.tables]
    # what the checkpoints gave is what a replay from nothing gives
    fresh = Replayer().replay(dataclasses.replace(mset, files=list(files)))
    assert fresh.schema == again.schema
