"""What schemasense may touch (robustness issue, item 7), watched by the interpreter itself.

A `sys.addaudithook` hook sees every file the process opens, every socket it connects and every
process it starts. Each command a user or CI runs on a project (`check` in every format,
`schema`, `schema --migrated`, and the generators with `--dry-run`) runs here in this process,
on every sample and on corpus projects of each ORM, and the hook checks that it:
- connects no socket (no database, no network: verification is the only command that may, and
  only to the URL the user gives it);
- starts no process (the project's code is never run: no `node`, no `tsc`, no shell);
- reads no file outside the project, except the interpreter's and schemasense's own modules and
  the configuration files of the folders above it (package.json, schemasense.toml,
  pyproject.toml, Prettier's `.prettierrc`: how a monorepo package finds its root and its
  style, as Node and Prettier themselves look upwards);
- writes no file at all (a `--dry-run` prints; `check` and `schema` only read).

Credentials in datasource URLs (a literal URL, or one behind `env()` that we never resolve) are
never printed by `check`, whatever the format.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
from schemasense.server.cli import main

from tests.conftest import CORPUS, corpus_available

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"

_WATCH: dict[str, object] = {"on": False, "events": []}
_ALLOWED_CONFIG_NAMES = {
    "package.json",
    "schemasense.toml",
    "pyproject.toml",
    ".prettierrc",
    ".prettierrc.json",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _hook(event: str, args: tuple) -> None:
    if not _WATCH["on"]:
        return
    if event in ("socket.connect", "socket.sendto", "socket.getaddrinfo"):
        _WATCH["events"].append((event, repr(args[1:2])))  # type: ignore[union-attr]
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork"):
        _WATCH["events"].append((event, repr(args[:1])))  # type: ignore[union-attr]
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
            flags & _WRITE_FLAGS
        )
        _WATCH["events"].append(("write" if writing else "read", os.fsdecode(args[0])))  # type: ignore[union-attr]


sys.addaudithook(_hook)


def _own_roots() -> tuple[str, ...]:
    """Where the interpreter and schemasense's own code live: opening those is importing."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(REPO / "server")}
    roots.add(str(REPO / "codegen"))
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(sysconfig.get_paths()[key])
    return tuple(os.path.realpath(r) + os.sep for r in roots)


@contextlib.contextmanager
def _watched() -> Iterator[list[tuple[str, str]]]:
    events: list[tuple[str, str]] = []
    _WATCH["events"] = events
    _WATCH["on"] = True
    try:
        yield events
    finally:
        _WATCH["on"] = False


def _run(argv: list[str]) -> tuple[int, str, list[tuple[str, str]]]:
    out, err = io.StringIO(), io.StringIO()
    with _watched() as events, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue() + err.getvalue(), events


def _outside(events: list[tuple[str, str]], project: Path) -> list[str]:
    """Every event the rules above forbid, as text."""
    root = os.path.realpath(project) + os.sep
    own = _own_roots()
    ancestors = {os.path.realpath(p) for p in project.resolve().parents}
    bad: list[str] = []
    for kind, what in events:
        if kind in ("read", "write"):
            if what.startswith("__editable__") or what == os.devnull:
                continue
            path = os.path.realpath(what)
        if kind == "write":
            bad.append(f"wrote {what}")
        elif kind == "read":
            if (path + os.sep).startswith(root) or path.startswith(own):
                continue
            if os.path.dirname(path).endswith((".egg-info", ".dist-info")):
                continue  # an installed package's metadata (entry points, version)
            if os.path.dirname(path) in ancestors and os.path.basename(path) in (
                _ALLOWED_CONFIG_NAMES
            ):
                continue
            bad.append(f"read {what}")
        else:
            bad.append(f"{kind} {what}")
    return sorted(set(bad))


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return target


def _commands(project: Path) -> list[list[str]]:
    path = str(project)
    commands = [["check", path, "--format", fmt] for fmt in ("text", "json", "sarif", "github")]
    commands += [["schema", path, "--json"], ["schema", path, "--migrated", "--json"]]
    commands += [
        ["generate", "migration", path, "--dry-run"],
        ["generate", "dto", path, "--dry-run"],
        ["generate", "model", path, "--to", "typeorm", "--dry-run"],
        ["generate", "model", path, "--to", "prisma", "--dry-run"],
        ["generate", "tests", path, "--dry-run"],
    ]
    return commands


SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_every_command_on_a_sample_stays_in_the_project(sample: str, tmp_path: Path):
    project = _copy(SAMPLES / sample, tmp_path)
    statuses = []
    for argv in _commands(project):
        status, output, events = _run(argv)
        statuses.append(status)
        assert "internal error" not in output, (argv, output)
        assert _outside(events, project) == [], argv
    # The watch saw the project being read (a hook that sees nothing proves nothing).
    _, _, events = _run(["check", str(project), "--format", "json"])
    assert any(kind == "read" and what.startswith(str(project)) for kind, what in events)
    assert 0 in statuses or 1 in statuses


CORPUS_PROJECTS = [
    "calcom",
    "umami",
    "typeorm/medusa-v1",
    "typeorm/jellyseerr",
    "sequelize/gladys",
    "sequelize/opencollective-api",
]


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_PROJECTS)
def test_check_on_a_corpus_project_stays_in_the_project(name: str):
    if corpus_available() is not None:
        pytest.skip(corpus_available())
    project = CORPUS / name
    if not project.is_dir():
        pytest.skip(f"{project} is not in this corpus")
    for argv in (["check", str(project), "--format", "json"], ["schema", str(project), "--json"]):
        status, output, events = _run(argv)
        assert "internal error" not in output, (argv, output)
        assert _outside(events, project) == [], argv
        assert status in (0, 1, 2)


def test_the_watch_sees_what_it_forbids(tmp_path: Path):
    """The hook is live: a socket, a process, a write and a read outside are each reported."""
    import socket
    import subprocess

    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    with _watched() as events:
        with contextlib.suppress(OSError), socket.socket() as s:
            s.settimeout(0.01)
            s.connect(("127.0.0.1", 9))
        subprocess.run(["true"], check=False)
        outside.read_text()
        (project / "new.txt").write_text("x")
    found = _outside(events, project)
    assert any(f.startswith("socket.connect") for f in found), found
    assert any(f.startswith("subprocess.Popen") for f in found), found
    assert f"read {outside}" in found
    assert f"wrote {project / 'new.txt'}" in found


SECRET_SCHEMA = """\
datasource db {
  provider  = "postgresql"
  url       = "postgresql://admin:hunter2-literal@db.internal:5432/app?sslmode=require" @@
  directUrl = env("DIRECT_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  Strin
}
"""


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_never_prints_a_credential(fmt: str, tmp_path: Path, monkeypatch):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SECRET_SCHEMA)
    monkeypatch.setenv("DIRECT_URL", "postgresql://u:s3cret-from-env@h/db")
    status, output, events = _run(["check", str(tmp_path), "--format", fmt])
    assert status == 1  # the broken datasource line and the misspelt type are reported...
    assert "Strin" in output and "DB001" in output
    assert "hunter2-literal" not in output  # ...and no password with them
    assert "s3cret-from-env" not in output
    if fmt == "text":  # the source line is shown, its password starred, the carets in place
        assert "postgresql://admin:" + "*" * len("hunter2-literal") + "@db.internal" in output
    assert _outside(events, tmp_path) == []


@pytest.mark.parametrize(
    ("entry", "refused"),
    [
        ('docs-url = "command:workbench.action.terminal.sendSequence"', "docs-url"),
        ('docs-url = "javascript:alert(1)"', "docs-url"),
        ('docs-url = "file:///etc/"', "docs-url"),
        ('docs-url = "../../elsewhere"', "docs-url"),
        ('[migrations]\npath = "../other-project/migrations"', "[migrations] path"),
        ('[migrations]\npath = "/etc"', "[migrations] path"),
        ('[schema]\npath = ["db/schema.sql", "~/.ssh/id_rsa"]', "[schema] path"),
    ],
)
def test_the_configuration_cannot_point_outside_the_project(entry: str, refused: str):
    """A configuration file is data from the repository: it can neither make a diagnostic's
    link run an editor command nor send schemasense to read or write outside the project."""
    from schemasense.server.project.config import parse_config

    loaded = parse_config("/p/schemasense.toml", entry + "\n")
    messages = [f.message for f in loaded.findings]
    assert any(refused in m for m in messages), messages
    assert loaded.docs_base() is None
    assert loaded.config.migration_entries() == [] or all(
        e.path is None for e in loaded.config.migration_entries()
    )


@pytest.mark.parametrize(
    "entry",
    [
        'docs-url = "https://example.com/rules/"',
        'docs-url = "docs/rules"',
        '[migrations]\npath = "prisma/migrations"',
        '[schema]\npath = "db/schema.sql"',
    ],
)
def test_the_configuration_may_name_places_in_the_project(entry: str):
    from schemasense.server.project.config import parse_config

    assert parse_config("/p/schemasense.toml", entry + "\n").findings == []


def test_the_check_cache_writes_only_in_its_folder_inside_the_project(
    tmp_path: Path, monkeypatch
) -> None:
    """With the persistent cache on (the suite turns it off), `check` writes only into the
    project's `.schemasense_cache/`, whatever the current folder, and a second run reads it."""
    monkeypatch.delenv("SCHEMASENSE_NO_CACHE", raising=False)
    monkeypatch.delenv("SCHEMASENSE_CACHE_DIR", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    project = _copy(SAMPLES / "prisma-clean", tmp_path)
    cache = project / ".schemasense_cache"
    first = _run(["check", str(project), "--format", "json"])
    second = _run(["check", str(project), "--format", "json"])
    assert first[:2] == second[:2]
    writes = [what for kind, what in first[2] if kind == "write"]
    assert writes and all(w.startswith(str(cache) + os.sep) for w in writes), writes
    assert not [w for kind, w in second[2] if kind == "write"]  # a hit writes nothing
    assert list(elsewhere.iterdir()) == []
    others = [e for e in _outside(first[2], project) if not e.startswith(f"wrote {cache}")]
    assert others == []
