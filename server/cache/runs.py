"""A one-shot command's whole output, kept and replayed while nothing it looked at changed.

The entry of a command is named after its invocation: the command and its options, the
absolute PATH, the current folder (paths are printed relative to it) and the `SCHEMASENSE_*`
environment. It holds a stamp (the cache format, Python's version and a fingerprint of the
schemasense code, so an edited editable install never replays an old answer), what the run
looked at on disk (`record.py`), and what it printed and returned. A run whose entry is there,
with the same stamp and every observation still true, prints the same and returns the same,
without importing the engine; any other run is a miss: it runs the command while recording,
and keeps the entry if the command ended with 0 or 1 (not on a usage or internal error).

A file changed while the command runs cannot leave a wrong entry: each observation is made
before the command's own call sees the file (its bytes hashed before the command opens it, a
folder listed before the command lists it), so a change after it makes the next run's
observation differ (a miss), and a change before it is what the command saw too. Only a file
changed and changed back within the one run could fool it, as it could any content-keyed
cache; so the observations are not made a second time at the end.
"""

from __future__ import annotations

import io
import marshal
import os
import sys
from collections.abc import Callable

from schemasense.server.cache import record, store
from schemasense.server.cache.record import blake2b

_ENV_KEPT_OUT = (store.CACHE_DIR_ENV, store.NO_CACHE_ENV)


def cached_run(command: tuple, path: str, run: Callable[[], int]) -> int:
    """Run `run` (a command printing to sys.stdout / sys.stderr and returning its exit code)
    through the cache of `path`'s project; `command` names the invocation (the command and
    its options, without PATH)."""
    root = store.cache_root(path)
    folder = store.version_folder(root)
    key = (
        command,
        os.path.abspath(path),
        os.getcwd(),
        tuple(
            sorted(
                (k, v)
                for k, v in os.environ.items()
                if k.startswith("SCHEMASENSE_") and k not in _ENV_KEPT_OUT
            )
        ),
    )
    name = blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    entry_path = os.path.join(folder, "runs", name + ".marshal")
    stamp = _stamp()
    entry = _load(entry_path)
    if (
        entry is not None
        and entry.get("key") == key
        and entry.get("stamp") == stamp
        and record.still_valid(entry["seen"], root)
    ):
        sys.stdout.write(entry["stdout"])
        sys.stderr.write(entry["stderr"])
        return entry["code"]
    store.prepare(root)
    out, err = io.StringIO(), io.StringIO()
    real = sys.stdout, sys.stderr
    recorder = record.Recorder(_excluded(root), hidden=root)
    sys.stdout, sys.stderr = out, err
    try:
        with recorder:
            code = run()
    finally:
        sys.stdout, sys.stderr = real
        sys.stdout.write(out.getvalue())
        sys.stderr.write(err.getvalue())
    seen = recorder.observations()
    if code in (0, 1):
        data = {
            "key": key,
            "stamp": stamp,
            "seen": seen,
            "stdout": out.getvalue(),
            "stderr": err.getvalue(),
            "code": code,
        }
        if store.write(root, entry_path, marshal.dumps(data)):
            _prune(os.path.dirname(entry_path))
    return code


KEEP = 64
"""Entries kept per cache folder (one per command line: `--since` with another set of added
files is another line, so a long-lived cache would grow with every branch)."""


def _prune(folder: str) -> None:
    """Drop the oldest entries beyond `KEEP` (another run may be dropping them too)."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".marshal")]
        if len(entries) <= KEEP:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
        for entry in entries[KEEP:]:
            os.unlink(entry.path)
    except OSError:
        pass


def _load(path: str) -> dict | None:
    data = store.read(path)
    if data is None:
        return None
    try:
        entry = marshal.loads(data)
    except Exception:  # a torn or foreign file: a miss, whatever it raised
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("seen"), list):
        return None
    if not all(k in entry for k in ("stdout", "stderr", "code")):
        return None
    return entry


def _package_folders() -> list[str]:
    """The folders of the installed schemasense code (server and codegen)."""
    server = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    import importlib.util

    spec = importlib.util.find_spec("schemasense.codegen")
    codegen = list(spec.submodule_search_locations or []) if spec is not None else []
    return [server, *codegen]


def _stamp() -> tuple:
    """What the code that made an entry is: the cache format, the schemasense version,
    Python's, and for an editable install (the code is not in site-packages) the size and
    modification time of every file of it: an edited checkout must not replay an answer of
    the code before the edit. An installed package is known by its dist-info folder."""
    version, dist_info = store.installed()
    folders = _package_folders()
    if all("site-packages" in folder for folder in folders) and dist_info is not None:
        try:
            return (store.FORMAT, version, sys.version, os.stat(dist_info).st_mtime_ns)
        except OSError:
            pass
    h = blake2b(digest_size=16)
    for folder in folders:
        for current, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".tmp")):
                    continue
                try:
                    st = os.stat(os.path.join(current, name))
                except OSError:
                    continue
                h.update(f"{current}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return (store.FORMAT, version, sys.version, h.hexdigest())


def _excluded(root: str) -> list[str]:
    """What the recorder does not note: the cache, the code, Python's own folders."""
    return [
        root,
        *_package_folders(),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        *(p for p in sys.path if p and "site-packages" in p),
    ]
