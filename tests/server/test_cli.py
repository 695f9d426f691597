"""The command-line contract of issue 2: output formats, paths, exit codes, --version.

In-process tests (`main([...])`) swap the reader for one that returns fixed findings, so the
format is pinned whatever the reader says; subprocess tests run the real thing on the samples.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import pytest
from schemasense.codegen.schema import Schema, Span
from schemasense.server import cli
from schemasense.server.findings import Finding
from schemasense.server.sources.prisma import source as prisma_source

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CLI = [sys.executable, "-m", "schemasense.server"]

SCHEMA = """datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
\tname  Strin
}
"""


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one schema, the current folder set to the project's parent."""
    schema = tmp_path / "blog" / "prisma" / "schema.prisma"
    schema.parent.mkdir(parents=True)
    schema.write_text(SCHEMA)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "blog"


def fake_reader(monkeypatch: pytest.MonkeyPatch, *made: tuple[str, str, str, int, int, str | None]):
    """Make the workspace's reader return these findings (code, severity, needle, length,
    occurrence, help) for whatever it reads; `needle` locates the span in the file's text."""

    def read(files, **options):
        findings = []
        for path, text in files.items():
            for code, severity, needle, length, occurrence, help_ in made:
                start = -1
                for _ in range(occurrence + 1):
                    start = text.index(needle, start + 1)
                findings.append(
                    Finding(
                        code=code,
                        severity=severity,  # type: ignore[arg-type]
                        message=f"message about {needle}",
                        span=Span(file=path, start=start, end=start + length),
                        help=help_,
                    )
                )
        # Only what the workspace uses of a PrismaRead, so the reader's own shape may change.
        return SimpleNamespace(schema=Schema(sources=list(files)), findings=findings)

    monkeypatch.setattr(prisma_source, "read_prisma_schema", read)


# -- in-process: formats ------------------------------------------------------------------------


def test_text_report_is_compiler_style_with_carets(project, monkeypatch, capsys):
    fake_reader(
        monkeypatch,
        ("DB002", "error", "Strin", 5, 0, "did you mean `String`?"),
        ("DB014", "warning", "posts", 5, 0, None),
    )
    assert cli.main(["check", "blog"]) == 1
    out = capsys.readouterr().out
    path = os.path.join("blog", "prisma", "schema.prisma")
    assert out == (
        f"{path}:7:3: warning[DB014] message about posts\n"
        "  |\n"
        "7 |   posts Post[]\n"
        "  |   ^^^^^\n"
        "\n"
        f"{path}:8:8: error[DB002] message about Strin\n"
        "  |\n"
        "8 | \tname  Strin\n"
        "  | \t      ^^^^^\n"
        "  = help: did you mean `String`?\n"
        "\n"
        "Found 2 problems (1 error, 1 warning) in 1 schema.\n"
    )


def test_json_report_shape(project, monkeypatch, capsys):
    fake_reader(monkeypatch, ("DB002", "error", "Strin", 5, 0, "did you mean `String`?"))
    assert cli.main(["check", str(project), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "code": "DB002",
            "severity": "error",
            "message": "message about Strin",
            "path": os.path.join("blog", "prisma", "schema.prisma"),
            "range": {"start": {"line": 8, "column": 8}, "end": {"line": 8, "column": 13}},
            "help": "did you mean `String`?",
        }
    ]


def test_warnings_only_exit_0(project, monkeypatch, capsys):
    fake_reader(monkeypatch, ("DB014", "warning", "posts", 5, 0, None))
    assert cli.main(["check", "blog", "--format", "json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["severity"] == "warning"
    assert "help" not in item


def test_no_findings_exit_0(project, monkeypatch, capsys):
    fake_reader(monkeypatch)
    assert cli.main(["check", "blog"]) == 0
    assert capsys.readouterr().out == "No problems found in 1 schema.\n"
    assert cli.main(["check", "blog", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_file_path_checks_that_schema(project, monkeypatch, capsys):
    fake_reader(monkeypatch, ("DB002", "error", "Strin", 5, 0, None))
    assert cli.main(["check", "blog/prisma/schema.prisma", "--format", "json"]) == 1
    [item] = json.loads(capsys.readouterr().out)
    assert item["path"] == os.path.join("blog", "prisma", "schema.prisma")


def test_every_schema_below_a_folder_is_checked(project, monkeypatch, capsys):
    other = project.parent / "shop" / "schema.prisma"
    other.parent.mkdir()
    other.write_text(SCHEMA)
    skipped = project.parent / "node_modules" / "dep" / "schema.prisma"
    skipped.parent.mkdir(parents=True)
    skipped.write_text(SCHEMA)
    fake_reader(monkeypatch, ("DB002", "error", "Strin", 5, 0, None))
    assert cli.main(["check", "."]) == 1
    out = capsys.readouterr().out
    assert "in 2 schemas." in out
    assert os.path.join("shop", "schema.prisma") + ":8:8:" in out
    assert "node_modules" not in out


# -- in-process: exit code 2 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check", "missing"], "no such file or folder"),
        (["check", "blog/notes.txt"], "not a .prisma file"),
        (["check", "empty"], "no schema found (looked below it for a Prisma schema"),
        (["schema", "missing"], "no such file or folder"),
    ],
)
def test_usage_errors_exit_2(project, capsys, argv, needle):
    (project / "notes.txt").write_text("hello")
    (project.parent / "empty").mkdir()
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert needle in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("argv", [[], ["check"], ["check", "x", "--format", "xml"], ["lint"]])
def test_argparse_errors_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_internal_error_exits_2_with_a_message(project, monkeypatch, capsys):
    def broken(files, **options):
        raise RuntimeError("the reader fell over")

    monkeypatch.setattr(prisma_source, "read_prisma_schema", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["check", "blog"]) == 2
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: the reader fell over" in err
    assert "Traceback" not in err


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"schemasense {metadata.version('schemasense')}\n"


# -- in-process: schema -------------------------------------------------------------------------


def test_schema_prints_the_model_with_relative_spans(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert cli.main(["schema", "samples/prisma-clean", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    Schema.model_validate(data)
    assert data["provider"] == "postgresql"
    assert {t["name"] for t in data["tables"]} >= {"users", "projects", "tasks"}
    folder = os.path.join("samples", "prisma-clean", "prisma", "schema")
    assert sorted(data["sources"]) == [
        os.path.join(folder, name) for name in ("schema.prisma", "task.prisma", "user.prisma")
    ]
    assert data["datasource"]["span"]["file"] == os.path.join(folder, "schema.prisma")


def test_schema_refuses_a_folder_with_several_schemas(project, capsys):
    other = project.parent / "shop" / "schema.prisma"
    other.parent.mkdir()
    other.write_text(SCHEMA)
    assert cli.main(["schema", ".", "--json"]) == 2
    err = capsys.readouterr().err
    assert "holds 2 schemas" in err
    assert os.path.join("shop", "schema.prisma") in err
    assert os.path.join("blog", "prisma", "schema.prisma") in err


# -- subprocess: the real reader on the samples -------------------------------------------------


def test_clean_sample_passes():
    result = run("check", "samples/prisma-clean")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "No problems found in 1 schema.\n"


def test_blog_sample_shows_what_prisma_reports():
    """Prisma 7's own validator, on the same file: two errors (lines 36 and 64) and one
    warning (line 62, SetNull on a required field)."""
    result = run("check", "samples/prisma-blog", "--format", "json")
    assert result.returncode == 1, result.stderr
    found = [
        (item["severity"], item["range"]["start"]["line"], item["range"]["start"]["column"])
        for item in json.loads(result.stdout)
    ]
    assert found == [("error", 36, 3), ("warning", 62, 3), ("error", 64, 3)]
    assert {item["path"] for item in json.loads(result.stdout)} == {
        os.path.join("samples", "prisma-blog", "prisma", "schema.prisma")
    }


def test_blog_sample_text_report():
    result = run("check", "samples/prisma-blog")
    assert result.returncode == 1, result.stderr
    path = os.path.join("samples", "prisma-blog", "prisma", "schema.prisma")
    assert (
        f"{path}:64:3: error[DB005] Error validating field `author` in model `Comment`: "
        "The relation field `author` on model `Comment` is missing an opposite relation field "
        "on the model `User`."
    ) in result.stdout
    assert "64 |   author    User     @relation(fields: [authorId], references: [id])\n" in (
        result.stdout
    )
    assert "   |   ^^^^^^^^^" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("Found 3 problems")


def test_version_from_a_subprocess():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"schemasense {metadata.version('schemasense')}"


def test_serve_over_tcp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*CLI, "serve", "--tcp", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        with conn:
            _send(
                conn,
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": None, "capabilities": {}},
                },
            )
            reply = _receive(conn)
            assert reply["id"] == 1
            assert reply["result"]["serverInfo"]["name"] == "schemasense"
            sync = reply["result"]["capabilities"]["textDocumentSync"]
            assert sync["change"] == 2  # incremental
            _send(conn, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
            assert _receive(conn)["id"] == 2
            _send(conn, {"jsonrpc": "2.0", "method": "exit"})
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()


def _send(conn: socket.socket, message: dict) -> None:
    body = json.dumps(message).encode()
    conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def _receive(conn: socket.socket) -> dict:
    """Read messages until a response (not a server notification) arrives."""
    buffer = b""
    while True:
        while b"\r\n\r\n" not in buffer:
            buffer += _recv(conn)
        header, buffer = buffer.split(b"\r\n\r\n", 1)
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        while len(buffer) < length:
            buffer += _recv(conn)
        message = json.loads(buffer[:length])
        buffer = buffer[length:]
        if "id" in message and "method" not in message:
            return message


def _recv(conn: socket.socket) -> bytes:
    chunk = conn.recv(65536)
    if not chunk:
        raise ConnectionError("the server closed the connection")
    return chunk


def test_the_cyclic_collector_is_off_during_a_command_and_back_on_after(monkeypatch, capsys):
    """A one-shot command runs with gc off (speed); a caller in the same process (a test,
    a script) gets it back on."""
    import gc

    seen = []
    monkeypatch.setattr(cli, "_rules_or_dev", lambda args: seen.append(gc.isenabled()) or 0)
    assert gc.isenabled()
    assert cli.main(["rules"]) == 0
    assert seen == [False]
    assert gc.isenabled()
