"""Generate DTOs, live over stdio: the code action on a Prisma model and on a TypeORM entity.

- the cursor in `model User` offers "Generate DTOs for User", whose WorkspaceEdit creates
  `src/dto/user.dto.ts` and `src/dto/user.schema.ts` (CreateFile + TextDocumentEdit each);
- after a hand edit outside the generated markers and a new field in the model, the action
  replaces each file with the merged text: the new field is there, the hand edit kept;
- a file of the same name that schemasense did not write gets a disabled action, never an edit;
- in a TypeORM entity (a copy of samples/typeorm-nest) the same action reads its decorators.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, open_document

REPO = Path(__file__).resolve().parents[2]

SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  READER
  ADMIN
}

model User {
  id        String   @id @default(uuid()) @db.Uuid
  /// Where we write to the user.
  email     String   @db.VarChar(255)
  role      Role     @default(READER)
  createdAt DateTime @default(now())
}
"""


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _apply(edit: types.WorkspaceEdit) -> list[Path]:
    """What an editor does with the edit: create each file, apply the edits, save."""
    touched = []
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = _path(change.uri)
            assert not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
        elif isinstance(change, types.TextDocumentEdit):
            path = _path(change.text_document.uri)
            [text_edit] = change.edits
            text = path.read_text()
            assert text_edit.range.start == types.Position(line=0, character=0)
            lines = text.split("\n")
            end = text_edit.range.end
            offset = sum(len(line) + 1 for line in lines[: end.line]) + end.character
            path.write_text(text_edit.new_text + text[offset:])
            touched.append(path)
    return touched


async def _actions(client: LanguageClient, path: Path, line: int) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(
                start=types.Position(line=line, character=2),
                end=types.Position(line=line, character=2),
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return [
        a
        for a in result or []
        if isinstance(a, types.CodeAction) and a.title.startswith("Generate DTOs")
    ]


def _prisma_project(root: Path) -> Path:
    (root / "package.json").write_text('{"name": "app", "dependencies": {"zod": "^4.0.0"}}\n')
    (root / "src").mkdir()
    (root / "src" / "main.ts").write_text("import { x } from './x';\n\nexport const y = x;\n")
    schema = root / "prisma" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(SCHEMA)
    return schema


async def test_generate_dtos_on_a_prisma_model(client: LanguageClient, tmp_path: Path):
    schema = _prisma_project(tmp_path)
    open_document(client, schema)
    await diagnostics_for(client, schema, version=1)

    assert await _actions(client, schema, 6) == []  # in `enum Role`: not a model
    [action] = await _actions(client, schema, 12)
    assert action.title == "Generate DTOs for User"
    assert action.kind == "source.schemasense.generateDto"
    kinds = [type(c).__name__ for c in action.edit.document_changes]
    assert kinds == ["CreateFile", "TextDocumentEdit", "CreateFile", "TextDocumentEdit"]
    [dto, zod] = _apply(action.edit)
    assert dto == tmp_path / "src" / "dto" / "user.dto.ts"
    assert zod.name == "user.schema.ts"
    text = dto.read_text()
    assert "export class CreateUserDto {" in text and "export class UpdateUserDto {" in text
    assert "@MaxLength(255)" in text and "/** Where we write to the user. */" in text
    assert "id!: string" not in text.split("export class UpdateUserDto")[0]  # database-filled
    assert "import { IsEnum, IsString, MaxLength, ValidateIf } from 'class-validator'" in text
    assert "email: z.string().max(255)," in zod.read_text()  # the project's quote: '

    dto.write_text(dto.read_text() + "\nexport const mine = 1;\n")  # a hand edit
    seen = len(client.published)  # type: ignore[attr-defined]
    text = SCHEMA.replace("  createdAt", "  nickname  String?  @db.VarChar(40)\n  createdAt")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=schema.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await diagnostics_for(client, schema, version=2, after=seen)
    [again] = await _actions(client, schema, 12)
    kinds = [type(c).__name__ for c in again.edit.document_changes]
    assert kinds == ["TextDocumentEdit", "TextDocumentEdit"]  # both files exist: merged
    _apply(again.edit)
    merged = dto.read_text()
    assert "nickname?: string | null;" in merged and "@MaxLength(40)" in merged
    assert merged.endswith("\nexport const mine = 1;\n")


async def test_a_file_not_ours_is_left_alone(client: LanguageClient, tmp_path: Path):
    schema = _prisma_project(tmp_path)
    mine = tmp_path / "src" / "dto" / "user.dto.ts"
    mine.parent.mkdir(parents=True)
    mine.write_text("export class CreateUserDto {}\n")
    open_document(client, schema)
    await diagnostics_for(client, schema, version=1)
    [action] = await _actions(client, schema, 12)
    assert action.edit is None
    assert action.disabled is not None and "not written by schemasense" in action.disabled.reason


async def test_generate_dtos_on_a_typeorm_entity(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "typeorm-nest"
    shutil.copytree(
        REPO / "samples" / "typeorm-nest", project, ignore=shutil.ignore_patterns("dto")
    )
    entity = project / "src" / "users" / "user.entity.ts"
    open_document(client, entity)
    await diagnostics_for(client, entity, version=1)
    line = entity.read_text().splitlines().index("export class User extends BaseEntity {")
    [action] = await _actions(client, entity, line + 2)
    assert action.title == "Generate DTOs for User"
    [dto, zod] = _apply(action.edit)
    text = dto.read_text()
    assert dto == project / "src" / "dto" / "user.dto.ts"
    assert "@MaxLength(320)" in text
    assert "@Matches(/^[\\s\\S]*@[\\s\\S]*$/)" in text  # CHECK ("email" LIKE '%@%')
    assert "/** The login; unique among users that are not deleted. */" in text
    create = text.split("export class CreateUserDto")[1].split("export class UserResponseDto")[0]
    assert "createdAt" not in create  # TypeORM fills it
    assert "//   createdAt: TypeORM sets it (@CreateDateColumn)" in text
    assert "loginCount: z.int().min(-2147483648).max(2147483647).optional()," in zod.read_text()


async def test_generate_dtos_on_a_sequelize_model(client: LanguageClient, tmp_path: Path):
    project = tmp_path / "sequelize-js"
    shutil.copytree(
        REPO / "samples" / "sequelize-js", project, ignore=shutil.ignore_patterns("dto")
    )
    model = project / "models" / "user.js"
    open_document(client, model)
    await diagnostics_for(client, model, version=1)
    [action] = await _actions(client, model, 5)  # in `class User extends Model`
    assert action.title == "Generate DTOs for User"
    [dto, zod] = _apply(action.edit)
    assert dto == project / "dto" / "user.dto.ts"  # TypeScript, in a JavaScript project
    text = dto.read_text()
    assert "@IsEmail()" in text and "@MinLength(1)" in text  # validate: isEmail, len: [1, 80]
    assert "//   createdAt: Sequelize sets it (timestamps)" in text
    assert "publicId: z.uuid().optional()," in zod.read_text()  # Sequelize fills it: UUIDV4
