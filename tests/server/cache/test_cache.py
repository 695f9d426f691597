"""The persistent cache of `check` (server/cache/): where it is, what makes it miss, that a hit
runs none of the engine, that a torn entry or a second process at the same time is harmless,
and that `--no-cache` keeps nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from schemasense.server import cli
from schemasense.server.cache import record, store
from schemasense.server.project.config import parse_config
from schemasense.server.workspace.workspace import Workspace

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "samples" / "prisma-blog"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Prisma sample, checked from its own folder with the cache on."""
    root = tmp_path / "project"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".schemasense_cache"))
    monkeypatch.chdir(root)
    monkeypatch.delenv(store.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv(store.CACHE_DIR_ENV, raising=False)
    (root / ".git").mkdir()  # the project root: the cache goes here
    migrations = root / "prisma" / "migrations"
    for name, sql in MIGRATIONS.items():
        (migrations / name).mkdir(parents=True)
        (migrations / name / "migration.sql").write_text(sql)
    (migrations / "migration_lock.toml").write_text('provider = "postgresql"\n')
    return root


MIGRATIONS = {
    "20240101000000_init": 'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "email" TEXT);\n',
    "20240201000000_name": 'ALTER TABLE "User" ADD COLUMN "name" TEXT NOT NULL;\n',
}


def _check(capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, str]:
    code = cli.main(["check", ".", "--format", "json", *extra])
    return code, capsys.readouterr().out


def _engine_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self, path):
        raise AssertionError("the engine ran: the cache missed")

    monkeypatch.setattr(Workspace, "check_path", refuse)


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob(".schemasense_cache/*/runs/*.marshal"))


def test_a_second_run_on_the_same_files_prints_the_same_without_the_engine(
    project, capsys, monkeypatch
):
    cold = _check(capsys)
    assert json.loads(cold[1]), "the sample has findings"
    assert len(_entries(project)) == 1
    assert (project / ".schemasense_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (project / ".schemasense_cache" / "CACHEDIR.TAG").is_file()
    with monkeypatch.context() as m:
        _engine_forbidden(m)
        assert _check(capsys) == cold


@pytest.mark.parametrize(
    "change",
    ["edit the schema", "add a migration", "add a config file", "remove a migration"],
)
def test_what_a_run_looked_at_changed_is_a_miss(project, capsys, monkeypatch, change):
    _check(capsys)
    schema = project / "prisma" / "schema.prisma"
    migrations = project / "prisma" / "migrations"
    if change == "edit the schema":
        schema.write_text(schema.read_text() + "\nmodel Probe {\n  id Int @id\n  at DateTime\n}\n")
    elif change == "add a migration":
        folder = migrations / "29990101000000_probe"
        folder.mkdir()
        (folder / "migration.sql").write_text('CREATE INDEX "probe" ON "User"("email");\n')
    elif change == "add a config file":
        (project / "schemasense.toml").write_text('ignore = ["DB1"]\n')
    else:
        shutil.rmtree(sorted(p for p in migrations.iterdir() if p.is_dir())[-1])
    warm = _check(capsys)
    assert warm == _check(capsys, "--no-cache")
    with monkeypatch.context() as m:  # and the new answer is kept
        _engine_forbidden(m)
        assert _check(capsys) == warm


def test_no_cache_neither_reads_nor_writes(project, capsys, monkeypatch):
    cold = _check(capsys, "--no-cache")
    assert not (project / ".schemasense_cache").exists()
    monkeypatch.setenv(store.NO_CACHE_ENV, "1")
    assert _check(capsys) == cold
    assert not (project / ".schemasense_cache").exists()


def test_a_torn_or_foreign_entry_is_a_miss(project, capsys):
    cold = _check(capsys)
    (entry,) = _entries(project)
    for damaged in (entry.read_bytes()[:100], b"", b"not marshal data", b"\xe3\x00"):
        entry.write_bytes(damaged)
        assert _check(capsys) == cold
        assert entry.read_bytes() != damaged  # rewritten whole


def test_another_version_never_reads_the_entry(project, capsys, monkeypatch):
    cold = _check(capsys)
    monkeypatch.setattr(store, "FORMAT", store.FORMAT + 1)
    with monkeypatch.context() as m:
        _engine_forbidden(m)
        assert cli.main(["check", ".", "--format", "json"]) == 2
    assert "the engine ran" in capsys.readouterr().err
    assert _check(capsys) == cold
    assert len({p.parent.parent.name for p in _entries(project)}) == 2


def test_the_cache_folder_is_found_like_the_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv(store.CACHE_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "repo" / "app"
    project.mkdir(parents=True)
    # no config, no git: PATH's own folder (never the cwd, which may be outside the project)
    assert store.cache_root(str(project)) == str(project / ".schemasense_cache")
    (tmp_path / "repo" / ".git").mkdir()
    assert store.cache_root(str(project)) == str(tmp_path / "repo" / ".schemasense_cache")
    (project / "package.json").write_text('{"name": "app"}')  # no "schemasense": not a config
    assert store.cache_root(str(project)) == str(tmp_path / "repo" / ".schemasense_cache")
    (project / "schemasense.toml").write_text('select = ["ALL"]\n')
    assert store.cache_root(str(project)) == str(project / ".schemasense_cache")
    (project / "schemasense.toml").write_text('cache-dir = "build/cache"\n')
    assert store.cache_root(str(project / "x.prisma")) == str(project / "build" / "cache")
    for invalid in ("3", '""', '"../cache"', '"/tmp/elsewhere"', '"~/cache"'):
        (project / "schemasense.toml").write_text(f"cache-dir = {invalid}\n")
        assert store.cache_root(str(project)) == str(project / ".schemasense_cache"), invalid
    monkeypatch.setenv(store.CACHE_DIR_ENV, "elsewhere")
    assert store.cache_root(str(project)) == str(tmp_path / "elsewhere")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('cache-dir = ""', "must name a folder"),
        ("cache-dir = 3", "valid string"),
        ('cache-dir = "../cache"', "inside the project"),
        ('cache-dir = "/var/cache/x"', "relative"),
    ],
)
def test_an_invalid_cache_dir_is_a_config_finding(tmp_path, text, problem):
    loaded = parse_config(str(tmp_path / "schemasense.toml"), text + "\n")
    assert [f.code for f in loaded.findings] == ["DB090"]
    assert problem in loaded.findings[0].message
    assert loaded.config.cache_dir is None


def test_cache_dir_in_the_config_moves_the_cache(project, capsys):
    (project / "schemasense.toml").write_text('cache-dir = "build/sscache"\n')
    _check(capsys)
    assert list((project / "build" / "sscache").glob("*/runs/*.marshal"))
    assert not (project / ".schemasense_cache").exists()


def test_the_recorder_sees_reads_listings_and_absences(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    with record.Recorder() as recorder:
        with open(tmp_path / "a.txt") as f:
            f.read()
        os.listdir(tmp_path)
        os.path.isfile(tmp_path / "missing.toml")
    seen = recorder.observations()
    kinds = {(kind, Path(path).name) for (kind, path), _ in seen}
    assert {("read", "a.txt"), ("list", tmp_path.name), ("stat", "missing.toml")} <= kinds
    assert record.still_valid(seen)
    (tmp_path / "missing.toml").write_text("")
    assert not record.still_valid(seen)
    assert os.stat is record._REAL_STAT and open is record._REAL_OPEN  # patches undone


def test_a_warm_run_imports_no_engine(project):
    """The point of the whole-run entry: the warm path costs the interpreter, argparse and the
    validation, not the 0.3 s of importing the engine."""
    code = (
        "import sys\n"
        "from schemasense.server.cli import main\n"
        "main(['check', '.', '--format', 'json'])\n"
        "heavy = [m for m in ('schemasense.server.lint.engine', 'pydantic', 'postgast')"
        " if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != store.NO_CACHE_ENV}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert runs[0].stderr.rsplit("HEAVY=", 1)[1] != ""  # the cold run imports the engine
    assert runs[1].stderr.rsplit("HEAVY=", 1)[1] == ""
    assert runs[1].stdout == runs[0].stdout


def test_two_runs_at_once_both_answer_and_leave_a_whole_entry(project):
    env = {k: v for k, v in os.environ.items() if k != store.NO_CACHE_ENV}
    cmd = [sys.executable, "-m", "schemasense.server", "check", ".", "--format", "json"]
    procs = [
        subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate()[0] for p in procs]
    assert outs[0] == outs[1] and json.loads(outs[0])
    assert len(_entries(project)) == 1
    assert not list(project.glob(".schemasense_cache/**/*.tmp"))
    again = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    assert again.stdout == outs[0]


CLEAN_SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int     @id @default(autoincrement())
  email String?
  name  String

  @@index([email])
}
"""


def test_since_is_part_of_the_key(project, capsys, monkeypatch):
    """`--since REF` reports on the files added since REF: the same files and the same command
    line, with another set of added files (a commit since), is another answer, never the
    cached one."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    (project / "prisma" / "schema.prisma").write_text(CLEAN_SCHEMA)
    shutil.rmtree(project / ".git")
    git("init", "-q")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "prisma", "package.json")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init")
    folder = project / "prisma" / "migrations" / "29990101000000_probe"
    folder.mkdir()
    (folder / "migration.sql").write_text('CREATE INDEX "probe" ON "User"("email");\n')
    since = _check(capsys, "--since", "HEAD")
    assert since == _check(capsys, "--since", "HEAD", "--no-cache")
    with monkeypatch.context() as m:
        _engine_forbidden(m)
        assert _check(capsys, "--since", "HEAD") == since
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "prisma")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "probe")
    after = _check(capsys, "--since", "HEAD")  # nothing added since HEAD now
    assert after == _check(capsys, "--since", "HEAD", "--no-cache")
    assert after != since


def test_the_stamp_of_an_installed_package_is_its_dist_info(tmp_path, monkeypatch):
    from schemasense.server.cache import runs

    dist_info = tmp_path / "site-packages" / "schemasense-9.9.9.dist-info"
    dist_info.mkdir(parents=True)
    package = str(tmp_path / "site-packages" / "schemasense" / "server")
    monkeypatch.setattr(runs, "_package_folders", lambda: [package])
    monkeypatch.setattr(store, "installed", lambda: ("9.9.9", str(dist_info)))
    stamp = runs._stamp()
    assert stamp[:2] == (store.FORMAT, "9.9.9")
    os.utime(dist_info, ns=(1, 1))  # reinstalled: another stamp
    assert runs._stamp() != stamp
    # an editable install: the code's files themselves
    monkeypatch.setattr(runs, "_package_folders", lambda: [str(tmp_path / "src")])
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "rule.py").write_text("A = 1\n")
    edited = runs._stamp()
    (tmp_path / "src" / "rule.py").write_text("A = 22\n")
    assert runs._stamp() != edited


def test_the_oldest_entries_beyond_the_limit_are_dropped(project, capsys, monkeypatch):
    from schemasense.server.cache import runs

    monkeypatch.setattr(runs, "KEEP", 2)
    for fmt in ("json", "text", "github"):
        cli.main(["check", ".", "--format", fmt])
    capsys.readouterr()
    kept = _entries(project)
    assert len(kept) == 2
    with monkeypatch.context() as m:  # the newest ones are the ones kept
        _engine_forbidden(m)
        assert cli.main(["check", ".", "--format", "github"]) == 1
