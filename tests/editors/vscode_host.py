"""Real VS Code for the extension's end-to-end test: code-server (VS Code 1.100 for the browser)
from `editors/vscode/test-host`, driven by Debian's Chromium through Playwright.

`requirements()` says why the test cannot run here (for pytest.skip), or None. Every wait is
bounded. Nothing is written outside the test's own folders: code-server's config, data,
extensions and user settings all live under the given temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.editors.workspaces import env_without_server

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "editors" / "vscode"
HOST = EXTENSION / "test-host"
CODE_SERVER = HOST / "node_modules" / ".bin" / "code-server"
CHROMIUM = Path(os.environ.get("SCHEMASENSE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("SCHEMASENSE_ARTIFACTS", REPO / "test-artifacts"))

# Chromium on a closed network: without the background-networking flags it keeps trying (and
# failing) to reach Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

USER_SETTINGS = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoUpdate": False,
    "extensions.autoCheckUpdates": False,
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "chat.commandCenter.enabled": False,
    "schemasense.trace.server": "messages",
}


def requirements() -> str | None:
    """None when everything the test needs is here; otherwise what is missing and how to get it."""
    if os.environ.get("SCHEMASENSE_SKIP_VSCODE") == "1":
        return "SCHEMASENSE_SKIP_VSCODE=1: the VS Code end-to-end stage is turned off"
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Node.js and npm are not installed (scripts/test installs them as root)"
    if not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        return (
            "editors/vscode/node_modules is missing: "
            "run `npm ci` in editors/vscode (scripts/test does)"
        )
    if not CODE_SERVER.exists():
        return (
            "code-server is not installed: run editors/vscode/test-host/install.sh "
            "(scripts/test does, where a C toolchain and ripgrep are present)"
        )
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: `apt-get install chromium` (scripts/test does as root)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


def run(cmd: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> str:
    """Run a build step; its output is in the assertion message when it fails."""
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def build_vsix(out: Path) -> Path:
    """Compile the extension with tsc and package it with vsce (offline), into `out`."""
    npx = shutil.which("npx") or "npx"
    run([npx, "--no-install", "tsc", "-p", "."], EXTENSION, timeout=120)
    vsix = out / "schemasense.vsix"
    run([npx, "--no-install", "vsce", "package", "-o", str(vsix)], EXTENSION, timeout=120)
    return vsix


def build_prisma_language_stub(out: Path) -> Path:
    """A stand-in for Prisma's own extension (not on any registry we reach): it contributes the
    `prisma` language for `.prisma` files, as Prisma's does, so the test shows that both live
    side by side (schemasense selects documents by path and contributes no language)."""
    folder = out / "prisma-language-stub"
    folder.mkdir()
    manifest = {
        "name": "prisma-language-stub",
        "publisher": "test",
        "version": "0.0.1",
        "license": "MIT",
        "repository": {"type": "git", "url": "https://example.invalid/stub.git"},
        "engines": {"vscode": "^1.91.0"},
        "contributes": {
            "languages": [{"id": "prisma", "aliases": ["Prisma"], "extensions": [".prisma"]}]
        },
    }
    (folder / "package.json").write_text(json.dumps(manifest))
    (folder / "README.md").write_text("The prisma language id, as Prisma's extension gives it.\n")
    (folder / "LICENSE").write_text("MIT\n")
    vsix = out / "prisma-language-stub.vsix"
    vsce = EXTENSION / "node_modules" / ".bin" / "vsce"
    run([str(vsce), "package", "-o", str(vsix)], folder, timeout=120)
    return vsix


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CodeServer:
    """One code-server with the .vsix installed, on a free port of 127.0.0.1."""

    def __init__(self, root: Path, *vsixes: Path) -> None:
        self.root = root
        self.user_data = root / "user-data"
        self.extensions = root / "extensions"
        (self.user_data / "User").mkdir(parents=True)
        (self.user_data / "User" / "settings.json").write_text(json.dumps(USER_SETTINGS, indent=1))
        self.env = env_without_server()
        self.env["XDG_CONFIG_HOME"] = str(root / "config")
        self.env["XDG_DATA_HOME"] = str(root / "data")
        self.port = free_port()
        self.log = root / "code-server.log"
        self.process: subprocess.Popen | None = None
        for vsix in vsixes:
            run(
                [str(CODE_SERVER), *self._dirs(), "--install-extension", str(vsix)],
                REPO,
                timeout=120,
                env=self.env,
            )

    def _dirs(self) -> list[str]:
        return ["--user-data-dir", str(self.user_data), "--extensions-dir", str(self.extensions)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(CODE_SERVER),
                    "--auth",
                    "none",
                    "--bind-addr",
                    f"127.0.0.1:{self.port}",
                    "--disable-telemetry",
                    "--disable-update-check",
                    "--disable-workspace-trust",
                    *self._dirs(),
                ],
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"code-server exited:\n{self.log.read_text()}"
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError(f"code-server did not answer in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def extension_logs(self) -> str:
        """The extension's output channel (the server's stderr and the client's messages)."""
        logs = sorted(self.user_data.glob("logs/*/exthost*/schemasense.schemasense/*.log"))
        return "\n".join(f"== {p}\n{p.read_text(errors='replace')}" for p in logs)
