"""The Sequelize source end to end over stdio: open a model of the sequelize-cli sample, get
the design rules' findings on the model's text (a `belongsTo` whose key has no index, at the
association call), then declare the index in the model's `indexes` and see that finding go."""

from __future__ import annotations

import shutil
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, text_edits
from .features import position

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sequelize-js"


async def test_a_sequelize_model_in_the_editor(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "app"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    model = project / "models" / "post.js"
    text = model.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=model.as_uri(), language_id="javascript", version=1, text=text
            )
        )
    )
    diagnostics = await diagnostics_for(client, model, version=1)
    fk = [d for d in diagnostics if str(d.code) == "DB101"]
    assert len(fk) == 1 and "authorId" in fk[0].message
    call = 'Post.belongsTo(models.User, { as: "author", foreignKey: "authorId" })'
    assert fk[0].range.start == position(text, call)
    assert fk[0].range.end == position(text, call, len(call))

    # an index leading with the key, declared in the model: the finding goes
    edited = text.replace(
        '{ unique: true, fields: ["slug"] },',
        '{ unique: true, fields: ["slug"] },\n        { fields: ["authorId"] },',
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=model.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    after = await diagnostics_for(client, model, version=2)
    assert [d for d in after if str(d.code) == "DB101"] == []
    # ... and the migrations, which do not create that index, now drift from the model
    drift = [d for d in after if str(d.code) == "DB309"]
    assert len(drift) == 1 and "posts_author_id" in drift[0].message.lower().replace('"', "")
    assert {str(d.code) for d in after} - {"DB101", "DB309"} == {
        str(d.code) for d in diagnostics
    } - {"DB101"}


async def test_hover_on_a_sequelize_attribute(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "app"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    model = project / "models" / "user.js"
    text = model.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=model.as_uri(), language_id="javascript", version=1, text=text
            )
        )
    )
    await diagnostics_for(client, model, version=1)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=model.as_uri()),
            position=position(text, "publicId:", 3),
        )
    )
    assert hover is not None
    assert "**Users.publicId** `uuid NOT NULL`" in hover.contents.value
    assert hover.range.start == position(text, "publicId:")


async def test_the_bigint_key_fix_through_the_editor(client: LanguageClient, tmp_path: Path):
    """DB108 on `Post`'s implicit 32-bit `id`: the code action writes the key out as a BIGINT
    attribute in the open model (its version named) and changes `Comment.postId`, an attribute
    of its own that references it, in a file that is not open (no version); the model, sent
    back with the edit, has no DB108 on `Post` left."""
    project = tmp_path / "app"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("node_modules"))
    model = project / "models" / "post.js"
    comment = project / "models" / "comment.js"
    text = model.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=model.as_uri(), language_id="javascript", version=1, text=text
            )
        )
    )
    diagnostics = await diagnostics_for(client, model, version=1)
    [db108] = [d for d in diagnostics if str(d.code) == "DB108"]
    assert "Post.id" in db108.message
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=model.as_uri()),
            range=db108.range,
            context=types.CodeActionContext(diagnostics=[db108]),
        )
    )
    title = "Make the key BIGINT (and its references) (DB108) (unsafe)"
    [action] = [a for a in actions or [] if a.title == title]
    assert isinstance(action, types.CodeAction) and action.edit is not None
    edits = text_edits(action.edit, {model.as_uri(): 1, comment.as_uri(): None})
    assert set(edits) == {model.as_uri(), comment.as_uri()}
    [key] = edits[model.as_uri()]
    assert key.new_text.startswith("id: { type: DataTypes.BIGINT, primaryKey: true")
    [reference] = edits[comment.as_uri()]
    assert reference.new_text == "DataTypes.BIGINT"

    lines = text.split("\n")
    at = sum(len(line) + 1 for line in lines[: key.range.start.line]) + key.range.start.character
    fixed = text[:at] + key.new_text + text[at:]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=model.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    after = await diagnostics_for(client, model, version=2)
    assert [d for d in after if str(d.code) == "DB108"] == []
    assert not [d for d in after if d.severity == types.DiagnosticSeverity.Error]
