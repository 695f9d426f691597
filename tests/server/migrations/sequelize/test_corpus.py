"""Every sequelize-cli migration of the corpus is read and replayed: nothing raises, every
step is inside its file, and how much is read stays at what it was measured at."""

from __future__ import annotations

import collections

import pytest
from schemasense.server.migrations.discover import read_set
from schemasense.server.migrations.model import CallPiece, SqlPiece
from schemasense.server.migrations.replay import replay

from tests.conftest import CORPUS

CHAINS = {
    # folder: (dialect, calls read at least, unreadable calls at most)
    "sequelize/gladys/server/migrations": ("sqlite", 115, 2),
    "sequelize/grouparoo/core/src/migrations": ("postgresql", 440, 6),
    "sequelize/opencollective-api/migrations": ("postgresql", 445, 37),
}


@pytest.mark.corpus
@pytest.mark.parametrize("folder", sorted(CHAINS))
def test_every_corpus_migration_is_read_and_replayed(folder: str) -> None:
    if not (CORPUS / folder).is_dir():
        pytest.skip(f"{folder} is not in the corpus")
    dialect, least, most = CHAINS[folder]
    mset = read_set(str(CORPUS / folder), "sequelize", dialect=dialect)
    assert mset is not None and mset.tool == "sequelize"
    names = [f.name for f in mset.files]
    assert names == sorted(names)
    calls = [p for f in mset.files for p in f.pieces or () if isinstance(p, CallPiece)]
    unread = [p for p in calls if p.error]
    assert len(calls) - len(unread) >= least
    assert len(unread) <= most
    for file in mset.files:
        size = len(file.up_text)
        for piece in file.pieces or ():
            if isinstance(piece, SqlPiece):
                assert 0 <= piece.offset <= piece.offset + len(piece.text) <= size
                for a, b in piece.holes:
                    assert 0 <= a <= b <= len(piece.text)
            else:
                assert 0 <= piece.start <= piece.end <= size
    result = replay(mset)
    for record in result.statements:
        text = next(f.file.up_text for f in result.files if f.file.path == record.file)
        said = text[record.span.start : record.span.end]
        if record.source == "call":
            assert said == record.text
        else:  # unknown `${}` holes are placeholders of the same length
            assert len(said) == len(record.text)
    codes = collections.Counter(f.code for f in result.findings)
    assert codes["DB050"] == len(unread) + sum(
        1 for r in result.statements if r.source == "sql" and r.action == "unparsed"
    )
