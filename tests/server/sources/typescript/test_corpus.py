"""Every TypeScript and JavaScript file of the TypeORM and Sequelize corpus, read.

Nothing raises, every range lies inside its file, and what ORM readers will need is found: each
TypeORM migration class's `up` and `down` with the calls they make on their query runner (directly,
or through a function of the same file they hand it to), each sequelize-cli migration's exported
`up`, and each `@Entity`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from schemasense.server.sources.typescript import read_module
from schemasense.server.sources.typescript.values import Func, Obj, Ref, Str

pytestmark = pytest.mark.corpus

SUFFIXES = (".ts", ".js", ".cjs", ".mjs")

KNOWN_GRAMMAR_GAPS = {
    # `(unknown) => ...` with `unknown` as a parameter name: tree-sitter-typescript 0.23 reads
    # `unknown` as the type keyword there (TypeScript itself accepts it)
    "sequelize/opencollective-api/server/models/PaymentMethod.ts",
}


def _files(corpus: Path) -> list[Path]:
    return sorted(
        p
        for kind in ("typeorm", "sequelize")
        for p in (corpus / kind).rglob("*")
        if p.suffix in SUFFIXES
    )


def test_every_file_reads_and_every_range_is_inside_it(corpus_dir: Path) -> None:
    files = _files(corpus_dir)
    assert len(files) > 1000
    broken = set()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        module = read_module(str(path), text)
        for problem in module.syntax_errors:
            assert 0 <= problem.start <= problem.end <= len(text), path
            broken.add(str(path.relative_to(corpus_dir)))
        for cls in module.classes:
            assert 0 <= cls.start <= cls.name_start <= cls.name_end <= cls.end <= len(text)
            for member in cls.members:
                assert cls.start <= member.name_start <= member.name_end <= cls.end
    assert broken == KNOWN_GRAMMAR_GAPS


def test_typeorm_migrations_show_their_calls(corpus_dir: Path) -> None:
    classes = 0
    queries = known = 0
    for path in _files(corpus_dir):
        if "typeorm" not in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "MigrationInterface" not in text:
            continue
        module = read_module(str(path), text)
        for cls in module.classes:
            if "MigrationInterface" not in cls.implements:
                continue
            classes += 1
            for direction in ("up", "down"):
                method = cls.member(direction)
                assert method is not None, f"{path}: {cls.name}.{direction}"
                calls = module.calls((method.body_start, method.body_end))
                if not method.params:  # `public async down(): Promise<void> {}`: nothing to undo
                    assert not calls, f"{path}: {cls.name}.{direction}"
                    continue
                runner = method.params[0].name
                direct = [c for c in calls if c.path[:1] == (runner,)]
                handed = [
                    c
                    for c in calls
                    if any(isinstance(a, Ref) and a.path == (runner,) for a in c.args)
                ]
                # a method that does nothing (`down() { void 0 }`) is the only one without
                assert direct or handed or not calls, f"{path}: {cls.name}.{direction}"
                for call in direct:
                    if call.method == "query":
                        queries += 1
                        sql = call.args.get(0)
                        assert isinstance(sql, Str), f"{path}:{call.start}: {sql!r}"
                        known += sql.known
    assert classes >= 300
    assert known / queries > 0.95, (known, queries)


def test_sequelize_migrations_export_up(corpus_dir: Path) -> None:
    exported = 0
    for path in _files(corpus_dir):
        if "sequelize" not in path.parts or "migrations" not in path.parts or "lib" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        module = read_module(str(path), text)
        value = module.default_export
        if value is None:
            # archived files whose body is commented out, or `module.exports = ...` only inside
            # a branch (`if (process.env.OC_ENV === "ci") { module.exports = ... }`)
            top_level = [line for line in text.splitlines() if line.startswith("module.exports")]
            assert not top_level or "/*" in text, path
            continue
        assert isinstance(value, Obj) and isinstance(value.get("up"), Func), path
        exported += 1
    assert exported >= 800


def test_entities_are_found(corpus_dir: Path) -> None:
    entities = 0
    for path in _files(corpus_dir):
        if "typeorm" not in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "@Entity" not in text and "@ViewEntity" not in text:
            continue
        module = read_module(str(path), text)
        found = [c for c in module.classes if c.decorator("Entity", "ViewEntity")]
        assert found or "@Entity" not in text.replace("@EntityRepository", ""), path
        entities += len(found)
    assert entities >= 100
