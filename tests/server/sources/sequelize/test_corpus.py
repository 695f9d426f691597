"""The Sequelize source on the corpus projects (../shared/corpus/sequelize): the unit each
project's set-up gives, read without an exception or a schemasense gap (DB000), every finding's
range inside its file, and the models found counted.

None of them can be loaded by Sequelize itself (so `sync()` cannot be their oracle): the corpus
keeps their models, migrations and configuration but not the modules the models import —
gladys's models require `../utils/constants` (their ENUM values) and `../utils/addSelector`,
opencollective-api's import `../lib/sequelize`, `../lib/permalink/entity-map` and
`../constants/*`, grouparoo's extend `../classes/commonModel` (which declares their `id` and
timestamps) and import `../modules/*`. What cannot be known here is a DB073 warning on the
attribute or class, never a guess."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from schemasense.server.sources.sequelize.source import SequelizeSource

pytestmark = pytest.mark.corpus

PROJECTS = {
    # root, dialect, tables at least, foreign keys at least
    "gladys/server": ("sqlite", 25, 26),
    "opencollective-api": ("postgres", 51, 140),
    "grouparoo/core": ("postgres", 29, 35),
}


class _Files:
    def text_of(self, path: str) -> str | None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def files_under(self, root: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            sorted(
                str(p)
                for p in Path(root).rglob("*")
                if p.is_file() and p.name.endswith(suffixes) and "node_modules" not in p.parts
            )
        )


@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_each_corpus_project_reads(corpus_dir: Path, project: str) -> None:
    dialect, min_tables, min_fks = PROJECTS[project]
    root = corpus_dir / "sequelize" / project
    source = SequelizeSource()
    units = source.find_units(str(root), _Files())
    assert len(units) == 1
    texts = {p: Path(p).read_text(encoding="utf-8") for p in units[0].files}
    started = time.perf_counter()
    read = source.read(texts)
    seconds = time.perf_counter() - started
    assert read.dialect == dialect
    codes = Counter(f.code for f in read.findings)
    assert "DB000" not in codes, [f.message for f in read.findings if f.code == "DB000"]
    for finding in read.findings:
        text = texts.get(finding.span.file)
        assert text is not None, finding
        assert 0 <= finding.span.start <= finding.span.end <= len(text), finding
    for table in read.schema.tables:
        for column in table.columns:
            span = column.span
            assert span is not None and span.end <= len(texts[span.file]), (table.name, column)
    tables = len(read.schema.tables)
    fks = sum(len(t.foreign_keys) for t in read.schema.tables)
    print(f"\n[{project}] {tables} tables, {fks} foreign keys, {dict(codes)}, {seconds:.2f}s")
    assert tables >= min_tables and fks >= min_fks
