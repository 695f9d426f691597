"""The temporary copy of a project that `--verify` works in (`feature_verify.py`).

The project is copied without its node_modules and .git; its node_modules (its own, or the
nearest above it, as Node resolves) is linked package by package into a real folder, so
Vite's caches land in the copy, and a package a step writes into (`@prisma/client`, which
`prisma generate` fills) is copied instead. The feature's files are written into the copy,
never into the project, until every step has passed.
"""

from __future__ import annotations

import os
import shutil

from schemasense.server.workflows.feature_verify_node import DRIVER_DIR


class CopyError(Exception):
    """The project cannot be copied for verification (the message says why)."""


_NOT_COPIED = ("node_modules", ".git", DRIVER_DIR)
_NOT_LINKED = (".cache", ".vite", ".vitest", ".prisma", ".package-lock.json")


def copy_project(root: str, dest: str, orm: str) -> str:
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*_NOT_COPIED), symlinks=True)
    modules = node_modules_of(root)
    if modules is None:
        raise CopyError(
            "no node_modules in the project or above it: `npm install`, then verify again"
        )
    link_modules(
        modules,
        os.path.join(dest, "node_modules"),
        private=("@prisma/client",) if orm == "prisma" else (),
    )
    return dest


def node_modules_of(root: str) -> str | None:
    """The node_modules Node would resolve from the project: its own, else the nearest above."""
    here = os.path.abspath(root)
    while True:
        candidate = os.path.join(here, "node_modules")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def link_modules(source: str, dest: str, private: tuple[str, ...] = ()) -> None:
    """`dest` as a real folder of links to `source`'s packages (so Vite's caches and a
    generated Prisma client land in the copy), with the `private` packages copied."""
    os.makedirs(dest)
    for name in sorted(os.listdir(source)):
        if name in _NOT_LINKED:
            continue
        inner = [p.split("/", 1)[1] for p in private if p.startswith(name + "/")]
        path = os.path.join(source, name)
        if inner:
            os.makedirs(os.path.join(dest, name))
            for sub in sorted(os.listdir(path)):
                target = os.path.join(path, sub)
                if sub in inner:
                    shutil.copytree(target, os.path.join(dest, name, sub), symlinks=True)
                else:
                    os.symlink(target, os.path.join(dest, name, sub))
        else:
            os.symlink(path, os.path.join(dest, name))


def in_copy(feature, copy: str, path: str) -> str:
    rel = os.path.relpath(path, feature.project.root)
    if rel.startswith(".."):
        raise CopyError(f"{path} is outside the project: cannot verify it in a copy")
    return os.path.join(copy, rel)


def write_into(feature, copy: str) -> None:
    for f in feature.files:
        path = in_copy(feature, copy, f.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f.text)
