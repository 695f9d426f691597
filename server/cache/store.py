"""Where the cache lives, which version of it a run may read, and one entry's write and read.

The folder is, in order: `SCHEMASENSE_CACHE_DIR`; else `cache-dir` of the configuration found
at or above the command's PATH (the same file `project/config.find_config_file` finds:
schemasense.toml, `[tool.schemasense]` in pyproject.toml, `"schemasense"` in package.json;
relative to that file's folder); else `.schemasense_cache` in that file's folder; else at the
root of the git work tree holding PATH; else in PATH's own folder (never the current folder, which
may be outside the project: a command writes nothing outside the project it is given). The folder
holds a `.gitignore` (`*`) and a `CACHEDIR.TAG`, so neither git nor backup tools keep it.

Entries live under `<version>-f<FORMAT>/`: a new schemasense (or a new entry format) never
reads an old cache, it starts a folder of its own. Two runs may write the same entry at once:
each writes a file of its own in the folder and renames it over the entry (`os.replace`, atomic
on one file system), so a reader sees a whole old entry or a whole new one. A reader that
finds no entry, or one it cannot read, takes it as a miss.
"""

from __future__ import annotations

import contextlib
import os
import sys

FORMAT = 1
"""The entries' format: raised when what an entry holds changes shape."""

CACHE_DIR_ENV = "SCHEMASENSE_CACHE_DIR"
NO_CACHE_ENV = "SCHEMASENSE_NO_CACHE"
DEFAULT_NAME = ".schemasense_cache"
_CONFIG_NAMES = ("schemasense.toml", "pyproject.toml", "package.json")
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by schemasense.\n"
)


def disabled_by_environment() -> bool:
    """`SCHEMASENSE_NO_CACHE` set to anything but empty, 0 or false."""
    value = os.environ.get(NO_CACHE_ENV, "").strip().lower()
    return value not in ("", "0", "false", "no")


def cache_root(path: str) -> str:
    """The cache folder for a command on `path` (see the module docstring)."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return os.path.abspath(env)
    start = os.path.abspath(path)
    folder = start if os.path.isdir(start) else os.path.dirname(start)
    project = folder
    while True:
        for name in _CONFIG_NAMES:
            found = _configured(os.path.join(folder, name), name)
            if found is not None:
                value = found[0]
                return os.path.normpath(os.path.join(folder, value or DEFAULT_NAME))
        if os.path.exists(os.path.join(folder, ".git")):
            return os.path.join(folder, DEFAULT_NAME)
        parent = os.path.dirname(folder)
        if parent == folder:
            return os.path.join(project, DEFAULT_NAME)
        folder = parent


def _configured(path: str, name: str) -> tuple[str | None] | None:
    """(`cache-dir` or None,) when `path` is a schemasense configuration, else None. An invalid
    `cache-dir` (not a non-empty string, or a folder outside the configuration's) counts as
    none here; the check reports it (DB090)."""
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
    except OSError:
        return None
    table = None
    try:
        if name == "schemasense.toml":
            import tomllib

            table = tomllib.loads(text)
        elif name == "pyproject.toml":
            import re

            if not re.search(r"^\[tool\.schemasense[.\]]", text, re.M):
                return None
            import tomllib

            table = tomllib.loads(text).get("tool", {}).get("schemasense")
        elif '"schemasense"' in text:
            import json

            data = json.loads(text)
            table = data.get("schemasense") if isinstance(data, dict) else None
        else:
            return None
    except (ValueError, RecursionError):  # tomllib.TOMLDecodeError is a ValueError
        return (None,)
    value = table.get("cache-dir") if isinstance(table, dict) else None
    valid = isinstance(value, str) and value.strip() and "\0" not in value
    return (value if valid and _inside(value) else None,)


def _inside(path: str) -> bool:
    """Whether `path` stays in the configuration file's folder, as `config._inside_the_project`
    asks (a shared repository's configuration must not make `check` write elsewhere on the
    machine; `SCHEMASENSE_CACHE_DIR` can)."""
    if os.path.isabs(path) or path.startswith("~") or (len(path) > 1 and path[1] == ":"):
        return False
    return os.path.normpath(path.replace("\\", "/")).split("/")[0] != ".."


def installed() -> tuple[str, str | None]:
    """The installed schemasense's version and its dist-info folder, found by name on
    sys.path (importing importlib.metadata would cost a warm run a third of its time)."""
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith("schemasense-") and name.endswith((".dist-info", ".egg-info")):
                return name[len("schemasense-") :].rsplit(".", 1)[0], os.path.join(folder, name)
    return "unknown", None


def version() -> str:
    """The installed schemasense's version (`installed`)."""
    return installed()[0]


def version_folder(root: str) -> str:
    """The folder of this schemasense's entries inside the cache folder `root`."""
    return os.path.join(root, f"{version()}-f{FORMAT}")


def read(path: str) -> bytes | None:
    """An entry's bytes, or None when there is none or it cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def write(root: str, path: str, data: bytes) -> bool:
    """Write an entry atomically (a file of our own beside it, renamed over it). Creates the
    cache folder with its `.gitignore` and `CACHEDIR.TAG` first. False (nothing written) when
    the folder cannot be written: a cache that cannot be kept is no error."""
    try:
        prepare(root)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _replace(path, data)
        return True
    except (OSError, ValueError):
        return False


def prepare(root: str) -> bool:
    """Make the cache folder with its `.gitignore` and `CACHEDIR.TAG` (False: it cannot be
    made). A run makes it before it looks at anything, so that a cache folder inside the
    project (`cache-dir = "build/cache"`) is there already for the run and the next."""
    try:
        if not os.path.isdir(root):
            os.makedirs(root, exist_ok=True)
        for name, text in ((".gitignore", "# created by schemasense\n*\n"), ("CACHEDIR.TAG", _TAG)):
            marker = os.path.join(root, name)
            if not os.path.exists(marker):
                _replace(marker, text.encode())
        return True
    except (OSError, ValueError):
        return False


def _replace(path: str, data: bytes) -> None:
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
