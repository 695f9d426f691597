"""`workflows/files.py`: every generated file or none, inside the project (robustness issue,
item 6): a path whose real place is outside the project is refused before anything is
written, and a write that fails half-way leaves the disk as it was, with no temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from schemasense.server.workflows.files import OutsideProject, write_all_or_none


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_a_folder_linking_out_refuses_every_file(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "src").mkdir(parents=True)
    elsewhere.mkdir()
    (project / "src" / "out").symlink_to(elsewhere, target_is_directory=True)
    before = _tree(project)
    files = [(str(project / "src" / "a.ts"), "a"), (str(project / "src" / "out" / "b.ts"), "b")]
    with pytest.raises(OutsideProject, match=r"out/b\.ts is outside the project"):
        write_all_or_none(files, root=str(project))
    assert _tree(project) == before and os.listdir(elsewhere) == []
    dotted = [(str(project / "src" / ".." / ".." / "c.ts"), "c")]
    with pytest.raises(OutsideProject):
        write_all_or_none(dotted, root=str(project))
    assert not (tmp_path / "c.ts").exists()
    # the same files inside the project are written
    assert write_all_or_none(files[:1], root=str(project)) == [files[0][0]]


def test_a_failure_half_way_leaves_no_file_and_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "kept.ts").write_text("old")
    (tmp_path / "blocker").write_text("a file where a folder is wanted")
    before = _tree(tmp_path)
    files = [
        (str(tmp_path / "kept.ts"), "new"),
        (str(tmp_path / "new" / "made.ts"), "made"),
        (str(tmp_path / "blocker" / "x.ts"), "cannot be written"),
    ]
    with pytest.raises(OSError):
        write_all_or_none(files, root=str(tmp_path))
    assert _tree(tmp_path) == before
    assert (tmp_path / "kept.ts").read_text() == "old"
