"""Generate database layer… from the editor: `schemasense.generateDatabaseLayer`.

The editor's form of `schemasense generate description:"…"` (issue 15). It runs the CLI's own
workflow (`workflows.generate_feature.prepare`, then `feature_report.build` and the Markdown
emitter), so the editor and the command line write the same files with the same text; only the
last step differs: where the CLI writes every file or none, the command sends ONE
`workspace/applyEdit` so the editor shows the change and can undo it, and nothing touches the
disk behind its back.

Arguments (one object): `{description, orm?, migration?, projectUri?}`.
- `description`: the description's text, or `@path` (relative to the workspace folder that
  holds the project, or absolute), as the CLI takes it;
- `orm`: `prisma|typeorm|sequelize`, for a project with several model sets;
- `migration`: the migration's name (else the feature's, from the description);
- `projectUri`: the project folder (else the first workspace folder).

The edit: a `CreateFile` (never overwriting: `overwrite=false, ignoreIfExists=false`) then the
text of each new file, and one `TextDocumentEdit` for each file the feature changes, naming the
open document's version (null for a file not open). The workflow reads the project from disk
like the CLI, so an open document under the project whose text is not saved (a model, a
migration, a config: the kinds of file the project is read from) stops the command, naming the
files: generating from one text and applying to another would silently lose the unsaved change
or the generated one. The one exception is the description itself, sent as its text (VS Code
sends an unsaved description file that way).

The answer: `{applied: true, feature, orm, files: [{uri, action, kind}], report}` where `report`
is the Markdown report, which the editors show (VS Code: a read-only Markdown document and its
preview; Neovim: a scratch buffer); a `window/showMessage` says what was made. When the feature
cannot be made, `{error, problems, ormChoices?}` (problems as `line:column: message`; `ormChoices`:
the choices when the project has more than one model set) and the same as an error message; nothing
is sent to apply. A client without `workspace/applyEdit` (or without file creation in its
workspace edits) is told so and gets nothing to apply.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from lsprotocol import types
from schemasense.codegen.emit.report.feature import markdown
from schemasense.server.positions import LineMap
from schemasense.server.workflows.feature_report import build
from schemasense.server.workflows.generate_feature import Feature, FeatureError, prepare

from . import names
from .session import Session

COMMAND = names.GENERATE_LAYER_COMMAND
_ORM_CHOICE = re.compile(r"\borm:(prisma|typeorm|sequelize)\b")

ApplyEdit = Callable[[types.ApplyWorkspaceEditParams], Awaitable[Any]]


class LayerError(Exception):
    """What stops the command before anything is sent to apply."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


async def command(session: Session, args: Sequence[Any], apply_edit: ApplyEdit) -> dict[str, Any]:
    """`schemasense.generateDatabaseLayer {description, orm?, migration?, projectUri?}`."""
    try:
        options = _options(args)
        _check_client(session)
        root = _project_root(session, options.get("projectUri"))
        cwd = _workspace_folder(session, root)
        _check_unsaved(session, root, options["description"])
        feature = await asyncio.to_thread(
            prepare,
            root,
            options["description"],
            migration_name=options.get("migration") or None,
            orm=options.get("orm") or None,
            cwd=cwd,
        )
        edit = workspace_edit(session, feature)
    except FeatureError as exc:
        return _failed(session, str(exc), [str(p) for p in exc.problems])
    except LayerError as exc:
        return _failed(session, str(exc), exc.problems)
    result = await apply_edit(
        types.ApplyWorkspaceEditParams(edit=edit, label=f"Generate database layer: {feature.name}")
    )
    if not getattr(result, "applied", False):
        reason = getattr(result, "failure_reason", None) or "the editor did not apply the edit"
        return _failed(session, f"nothing was written: {reason}", [])
    files = [
        {"uri": session.uri_of(f.path), "action": f.action, "kind": f.kind} for f in feature.files
    ]
    made = sum(f.action == "create" for f in feature.files)
    changed = len(feature.files) - made
    session.show_message(
        f"schemasense: database layer {feature.name} ({feature.project.orm}): {made} file(s) "
        f"created, {changed} changed; not saved yet, save them to keep them.",
        types.MessageType.Info,
    )
    return {
        "applied": True,
        "feature": feature.name,
        "orm": feature.project.orm,
        "files": files,
        "report": markdown(build(feature, written=True)),
    }


def _options(args: Sequence[Any]) -> dict[str, Any]:
    options = args[0] if args and isinstance(args[0], dict) else {}
    if args and isinstance(args[0], str):
        options = {"description": args[0]}
    description = options.get("description")
    if not isinstance(description, str) or not description.strip():
        raise LayerError(
            "give the description: its text (SQL DDL, Prisma models, a TypeORM entity, a "
            "Sequelize model) or @path to a file"
        )
    for key in ("orm", "migration", "projectUri"):
        if options.get(key) is not None and not isinstance(options[key], str):
            raise LayerError(f"{key} must be a string")
    return options


def _check_client(session: Session) -> None:
    """The command's only way to write is `workspace/applyEdit` with file creation."""
    if not session.capability("workspace.apply_edit", False):
        raise LayerError(
            "this editor cannot apply workspace edits (no workspace/applyEdit capability), so "
            "Generate database layer cannot write the files; run `schemasense generate "
            'description:"…"` in a terminal instead'
        )
    # Resource operations exist only in `documentChanges`, so a client that lists `create`
    # takes them (Neovim 0.11 lists it without saying `documentChanges`).
    operations = session.capability("workspace.workspace_edit.resource_operations", []) or []
    if not any(str(getattr(op, "value", op)) == "create" for op in operations):
        raise LayerError(
            "this editor cannot create files through workspace edits (no resourceOperations "
            "'create'), so Generate database layer cannot write the files; "
            'run `schemasense generate description:"…"` in a terminal instead'
        )


def _project_root(session: Session, project_uri: str | None) -> str:
    if project_uri:
        root = session.path_of(project_uri)
        if not os.path.isdir(root):
            raise LayerError(f"the project folder {root} does not exist")
        return root
    roots = session.workspace.roots
    if not roots:
        raise LayerError("no workspace folder is open: give projectUri, the project's folder")
    return roots[0]


def _workspace_folder(session: Session, root: str) -> str:
    """The workspace folder holding `root` (`@path` descriptions are relative to it)."""
    roots = session.workspace.roots
    inside = [r for r in roots if root == r or root.startswith(r.rstrip(os.sep) + os.sep)]
    return max(inside, key=len) if inside else root


_READ = (".prisma", ".sql", ".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", ".toml")
"""The kinds of file the project is read from (models, migrations, DataSources, configs)."""


def _check_unsaved(session: Session, root: str, description: str) -> None:
    """The workflow reads the disk: an open document under the project that says otherwise
    would be overwritten by, or would overwrite, what was generated. The description's own
    document, sent as its text, is not read from disk."""
    workspace = session.workspace
    prefix = root.rstrip(os.sep) + os.sep
    unsaved = []
    for path in workspace.open_paths():
        if not path.startswith(prefix) or not path.endswith(_READ):
            continue
        doc = workspace.document(path)
        if doc is not None and doc.text != description and doc.text != _disk(path):
            unsaved.append(os.path.relpath(path, root))
    if unsaved:
        raise LayerError(
            "the generator reads the project from disk, and these open files have unsaved "
            f"changes: {', '.join(sorted(unsaved))}; save them (or revert them) first; "
            "nothing was written"
        )


def _disk(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def workspace_edit(session: Session, feature: Feature) -> types.WorkspaceEdit:
    """The feature's files as one workspace edit: created (never over an existing file) and
    filled, or changed in place with the open document's version."""
    workspace = session.workspace
    encoding = workspace.position_encoding
    changes: list[Any] = []
    for f in feature.files:
        uri = session.uri_of(f.path)
        now = workspace.text(f.path)
        if f.action == "create":
            if now is not None or os.path.exists(f.path):
                raise LayerError(f"{_rel(feature, f.path)} exists already; nothing was written")
            changes.append(
                types.CreateFile(
                    uri=uri,
                    options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
                )
            )
            edit = _insert(f.text)
        else:
            if now != f.before or f.before is None:
                raise LayerError(
                    f"{_rel(feature, f.path)} changed while generating; nothing was written"
                )
            edit = _replace(f.before, f.text, encoding)
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=workspace.version(f.path)
                ),
                edits=[edit],
            )
        )
    return types.WorkspaceEdit(document_changes=changes)


def _rel(feature: Feature, path: str) -> str:
    return os.path.relpath(path, feature.project.root)


def _insert(text: str) -> types.TextEdit:
    """The new file's text over its whole (empty) content: (0,0) to the start of the line
    after it, the usual "whole document" range. An editor clamps the end (VS Code), and Neovim
    then drops the empty last line its buffer keeps, instead of writing one more newline."""
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=1, character=0)
        ),
        new_text=text,
    )


def _replace(before: str, after: str, encoding) -> types.TextEdit:
    """One edit for the changed middle (common start and end kept), so the editor's cursor
    and folds elsewhere in the file stay where they were. The common end is taken first, so
    text added at the end goes before the file's last newline, never after it (an insert after
    the last line is one Neovim writes with an extra newline)."""
    limit = min(len(before), len(after))
    suffix = 0
    while suffix < limit and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]:
        suffix += 1
    prefix = 0
    while prefix < limit - suffix and before[prefix] == after[prefix]:
        prefix += 1
    lines = LineMap(before)
    start = lines.position(prefix, encoding)
    end = lines.position(len(before) - suffix, encoding)
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        new_text=after[prefix : len(after) - suffix],
    )


def _failed(session: Session, message: str, problems: Sequence[str]) -> dict[str, Any]:
    """An error message (with the problems, one a line) and the answer that says the same."""
    shown = "\n".join([f"schemasense: {message}", *(f"  {p}" for p in problems)])
    session.show_message(shown, types.MessageType.Error)
    answer: dict[str, Any] = {"error": message, "problems": list(problems)}
    choices = list(dict.fromkeys(_ORM_CHOICE.findall(message)))
    if len(choices) > 1:
        answer["ormChoices"] = choices
    return answer
