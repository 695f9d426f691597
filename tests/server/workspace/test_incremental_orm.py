"""A keystroke in a TypeORM entity or a Sequelize model reuses the previous read (what the
unchanged files gave, the tables whose metadata did not change, the migrations' replay); the
findings and the schema must be exactly those of a cold read of the same texts.

Each case opens one model file in a long-lived workspace, types a sequence of edits into it
(and into a second file of the unit: a base class, a relation's target), and after every edit
compares the workspace's analysis with a new workspace's over the same open texts, which
parses the files typed into from nothing (the warm one parses them incrementally).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from schemasense.server.sources.sequelize import declared
from schemasense.server.sources.typescript import kept
from schemasense.server.workspace.workspace import Analysis, TextChange, Workspace

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def _findings(analysis: Analysis) -> list[tuple]:
    return sorted(
        (f.code, f.severity, f.message, f.span.file, f.span.start, f.span.end, f.help)
        for f in analysis.findings
    )


def _cold(root: Path, texts: dict[str, str], main: str) -> Analysis:
    """A new workspace's read of `texts`. The files typed into are read from nothing: what
    the per-file caches hold for them is dropped first (the warm read parsed them from their
    last tree, `typescript/parse.py`); the other files' modules are shared."""
    kept._MODULES.forget(texts)
    declared._DECLARED.forget(texts)
    workspace = Workspace([str(root)])
    for path, text in texts.items():
        workspace.open(path, text, 1, "typescript")
    return workspace.analyze(workspace.unit_for(main))


def _typeorm_edits(text: str) -> list[str]:
    """Edits a developer makes in an entity, each on the text the last one left."""
    out = [text]
    at = text.index("@Column(")
    out.append(out[-1][:at] + "@Column({ nullable: true })\n  probe_note: string\n\n  " + text[at:])
    out.append(out[-1].replace("probe_note: string", "probe_note: number", 1))
    out.append(re.sub(r"nullable: true", "nullable: false", out[-1], count=2))
    out.append(out[-1].replace("}", "} ", 3))  # whitespace only: every span after it moves
    out.append(out[-1] + "\n// a comment typed at the end\n")
    out.append(out[-1][:at] + "@Column({ type: " + out[-1][at:])  # half typed
    out.append(text)
    return out


def _sequelize_edits(text: str) -> list[str]:
    out = [text]
    out.append(out[-1].replace("allowNull: false", "allowNull: true", 1))
    out.append(out[-1].replace("}", "} ", 3))
    at = out[-1].index("type: DataTypes.")
    out.append(out[-1][:at] + "type: DataTypes.TEXT, probe: " + out[-1][at:])
    out.append(out[-1].replace("DataTypes.STRING", "DataTypes.TEXT", 1))
    out.append(out[-1] + "\n// a comment typed at the end\n")
    out.append(out[-1][:at] + "type: DataTypes.(" + out[-1][at:])  # half typed
    out.append(text)
    return out


def _run(root: Path, main: Path, edits: list[str], other: Path | None, other_edits: list[str]):
    """Type `edits` into `main`, then `other_edits` into `other`, comparing with cold reads."""
    workspace = Workspace([str(root)])
    main_s = str(main)
    workspace.open(main_s, main.read_text(), 1, "typescript")
    workspace.analyze(workspace.unit_for(main_s))
    open_texts = {main_s: main.read_text()}
    steps = [(main_s, t) for t in edits]
    if other is not None:
        workspace.open(str(other), other.read_text(), 1, "typescript")
        open_texts[str(other)] = other.read_text()
        steps += [(str(other), t) for t in other_edits]
    compared = 0
    for version, (path, text) in enumerate(steps, start=2):
        workspace.change(path, version, [TextChange(text)])
        open_texts[path] = text
        warm = workspace.analyze(workspace.unit_for(main_s))
        cold = _cold(root, open_texts, main_s)
        assert _findings(warm) == _findings(cold), f"step {version - 1} in {path}"
        assert warm.read.schema == cold.read.schema, f"step {version - 1} in {path}"
        compared += 1
    assert compared == len(steps)
    return workspace


def _entity_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*.ts")
        if "node_modules" not in p.parts
        and "@Entity(" in (text := p.read_text())
        and "@Column(" in text
    )


@pytest.mark.parametrize("sample", ["typeorm-nest", "typeorm-sqlite"])
def test_typeorm_sample_edits_match_a_cold_read(sample):
    root = SAMPLES / sample
    files = _entity_files(root)
    assert len(files) >= 2
    main, other = files[0], files[1]
    _run(root, main, _typeorm_edits(main.read_text()), other, _typeorm_edits(other.read_text()))


def test_sequelize_sample_edits_match_a_cold_read():
    root = SAMPLES / "sequelize-js"
    files = sorted(p for p in (root / "models").glob("*.js") if "allowNull: false" in p.read_text())
    assert files
    main = files[0]
    _run(root, main, _sequelize_edits(main.read_text()), None, [])


@pytest.mark.corpus
def test_medusa_entity_edits_match_a_cold_read(corpus_dir):
    root = corpus_dir / "typeorm" / "medusa-v1" / "packages" / "medusa"
    main = root / "src" / "models" / "cart.ts"
    # the base class every entity extends: an edit there changes every table
    base = next(
        p
        for p in (root / "src" / "interfaces" / "models").glob("*.ts")
        if "class SoftDeletableEntity" in p.read_text()
    )
    base_text = base.read_text()
    at = base_text.index("@")
    column = "@Column({ nullable: true })\n  probe_flag: boolean\n\n  "
    base_edits = [base_text[:at] + column + base_text[at:], base_text]
    _run(root, main, _typeorm_edits(main.read_text()), base, base_edits)


@pytest.mark.corpus
def test_opencollective_model_edits_match_a_cold_read(corpus_dir):
    root = corpus_dir / "sequelize" / "opencollective-api"
    main = root / "server" / "models" / "Collective.ts"
    other = root / "server" / "models" / "Member.ts"
    _run(
        root,
        main,
        _sequelize_edits(main.read_text()),
        other,
        _sequelize_edits(other.read_text())[:3],
    )


def _reread(root: Path, main: Path):
    """The unit's read before and after a keystroke at the end of `main`."""
    workspace = Workspace([str(root)])
    text = main.read_text()
    workspace.open(str(main), text, 1, "typescript")
    before = workspace.analyze(workspace.unit_for(str(main))).read
    workspace.change(str(main), 2, [TextChange(text + "\n// typed\n")])
    after = workspace.analyze(workspace.unit_for(str(main))).read
    return before, after


def test_a_keystroke_in_an_entity_reuses_the_other_entities_and_tables():
    root = SAMPLES / "typeorm-nest"
    main = _entity_files(root)[0]
    before, after = _reread(root, main)
    others = [k for k in after.entities.own if k[0] != str(main)]
    assert others
    assert all(after.entities.own[k] is before.entities.own[k] for k in others)
    assert any(k[0] == str(main) for k in after.entities.own)
    assert all(
        after.entities.own[k] is not before.entities.own[k]
        for k in after.entities.own
        if k[0] == str(main)
    )
    kept = [t for t in after.schema.tables if any(t is b for b in before.schema.tables)]
    assert kept  # the tables of the other entities are the same objects (rule caches hit)


def test_a_keystroke_in_a_model_reuses_the_other_models_and_the_replay():
    root = SAMPLES / "sequelize-js"
    main = sorted((root / "models").glob("*.js"))[0]
    before, after = _reread(root, main)
    others = [k for k in after.built.own if k[2] != str(main)]
    assert others
    assert all(after.built.own[k] is before.built.own[k] for k in others)
    assert after.kept.result is before.kept.result  # a comment: the same SQL, not replayed
    assert [t.name for t in after.schema.tables] == [t.name for t in before.schema.tables]


def _prisma_edits(text: str) -> list[str]:
    out = [text]
    at = text.index("model ")
    at = text.index("\n", text.index("{", at)) + 1
    out.append(out[-1][:at] + "  probeNote String?\n" + out[-1][at:])
    out.append(out[-1].replace("probeNote String?", "probeNote Int", 1))
    out.append(out[-1].replace("}", "} ", 2))
    out.append(out[-1] + "\n// a comment typed at the end\n")
    out.append(out[-1][:at] + "  probe Strin\n" + out[-1][at:])  # half typed
    out.append(text)
    return out


@pytest.mark.parametrize(
    "schema", ["prisma-blog/prisma/schema.prisma", "prisma-clean/prisma/schema/user.prisma"]
)
def test_prisma_sample_edits_match_a_cold_read(schema):
    """The drift check keeps what it located per table: the same findings as a cold read."""
    main = SAMPLES / schema
    _run(
        main.parents[2] if "schema/" in schema else main.parents[1],
        main,
        _prisma_edits(main.read_text()),
        None,
        [],
    )


@pytest.mark.corpus
def test_calcom_schema_edits_match_a_cold_read(corpus_dir):
    """cal.com's 471 migrations drift from its schema: the drift findings of the tables a
    keystroke did not touch are reused, and must be those of a cold read."""
    main = corpus_dir / "calcom" / "packages" / "prisma" / "schema.prisma"
    edits = _prisma_edits(main.read_text())
    _run(main.parent, main, [edits[1], edits[3], edits[-1]], None, [])
