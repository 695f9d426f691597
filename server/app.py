"""The pygls language server: wiring only.

Each handler is one guarded call into `server/features/`; the analysis lives in the workspace
and the features, which know nothing of pygls. `create_server()` builds a fresh server (the CLI's
`serve` runs it on stdio or TCP).
"""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from schemasense.server.features import (
    commands,
    configuration,
    documents,
    lifecycle,
    names,
    watching,
)
from schemasense.server.features.protocol import SchemasenseProtocol
from schemasense.server.features.session import Session
from schemasense.server.features.transport import DefensiveLanguageServer

NAME = "schemasense"


def create_server() -> LanguageServer:
    from schemasense.server.cli import version

    server_version = version()
    server = DefensiveLanguageServer(
        NAME,
        server_version,
        text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        protocol_cls=SchemasenseProtocol,
    )
    session = Session(
        publish=server.text_document_publish_diagnostics,
        show=server.window_show_message,
        client_capabilities=lambda: server.client_capabilities,
    )
    guard = session.guard

    @server.feature(types.INITIALIZE)
    @guard(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        lifecycle.initialize(session, params, server.workspace.position_encoding)

    @server.feature(types.INITIALIZED)
    @guard(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        # Independent requests to the client: one that never answers must not hold the other.
        await asyncio.gather(
            watching.register(session, server.client_register_capability_async),
            configuration.pull(session, server.workspace_configuration_async),
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guard(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        await configuration.did_change_configuration(
            session, params, server.workspace_configuration_async
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @guard(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        lifecycle.did_change_workspace_folders(session, params)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guard(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        documents.did_open(session, params)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guard(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        documents.did_change(session, params)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    @guard(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        documents.did_save(session, params)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guard(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        documents.did_close(session, params)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guard(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        watching.did_change_watched_files(session, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guard(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        from schemasense.server.features import hover

        return hover.hover(session, params)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guard(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(params: types.DefinitionParams) -> list[types.Location] | None:
        from schemasense.server.features import navigation

        return navigation.definition(session, params)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guard(types.TEXT_DOCUMENT_REFERENCES)
    def on_references(params: types.ReferenceParams) -> list[types.Location] | None:
        from schemasense.server.features import navigation

        return navigation.references(session, params)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guard(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_document_symbol(params: types.DocumentSymbolParams) -> list | None:
        from schemasense.server.features import navigation

        return navigation.document_symbols(session, params)

    @server.feature(types.WORKSPACE_SYMBOL)
    @guard(types.WORKSPACE_SYMBOL, default=[])
    def on_workspace_symbol(params: types.WorkspaceSymbolParams) -> list:
        from schemasense.server.features import navigation

        return navigation.workspace_symbols(session, params)

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    @guard(types.TEXT_DOCUMENT_CODE_LENS)
    def on_code_lens(params: types.CodeLensParams) -> list[types.CodeLens] | None:
        from schemasense.server.features import navigation

        return navigation.code_lens(session, params)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=names.TRIGGER_CHARACTERS),
    )
    @guard(types.TEXT_DOCUMENT_COMPLETION)
    def on_completion(params: types.CompletionParams) -> types.CompletionList | None:
        from schemasense.server.features import completion

        return completion.completion(session, params)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guard(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def on_prepare_rename(params: types.PrepareRenameParams):
        from schemasense.server.features import rename

        return rename.prepare_rename(session, params)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    @guard(types.TEXT_DOCUMENT_RENAME)
    def on_rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        from schemasense.server.features import rename

        return rename.rename(session, params)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                names.FIX_ALL_KIND,
                names.GENERATE_MIGRATION_KIND,
                names.GENERATE_DTO_KIND,
                names.GENERATE_MODEL_KIND,
                names.GENERATE_TESTS_KIND,
                types.CodeActionKind.RefactorRewrite,
            ]
        ),
    )
    @guard(types.TEXT_DOCUMENT_CODE_ACTION)
    def on_code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return _code_actions().code_actions(session, params)

    @server.command(names.CODE_LENS_COMMAND)
    @guard(names.CODE_LENS_COMMAND)
    def model_summary(*args: Any) -> dict[str, Any] | None:
        from schemasense.server.features import navigation

        return navigation.model_summary(session, list(args))

    @server.command(names.GENERATE_MIGRATION_COMMAND)
    @guard(names.GENERATE_MIGRATION_COMMAND)
    async def generate_migration_command(*args: Any) -> dict[str, Any]:
        from schemasense.server.features import generate_migration

        return await generate_migration.command(
            session, list(args), server.workspace_apply_edit_async
        )

    @server.command(names.GENERATE_LAYER_COMMAND)
    @guard(names.GENERATE_LAYER_COMMAND)
    async def generate_layer_command(*args: Any) -> dict[str, Any]:
        from schemasense.server.features import generate_layer

        return await generate_layer.command(session, list(args), server.workspace_apply_edit_async)

    @server.command(names.DEBUG_INFORMATION)
    @guard(names.DEBUG_INFORMATION)
    def debug_information(*args: Any) -> dict[str, Any]:
        return commands.debug_information(session, server_version)

    return server


def _code_actions():
    """`features/code_actions.py`, with the providers of the generators and of "rename the
    database column too" added (once): imported on the first code action request, since they
    bring the emitters, their templates and the query reader."""
    from schemasense.server.features import (
        code_actions,
        generate_dto,
        generate_migration,
        generate_model,
        generate_tests,
        rename,
    )

    # "Generate TypeORM entity / Prisma model / Sequelize model" on a model
    for provider in (
        generate_model.code_actions,
        generate_migration.code_actions,
        generate_dto.code_actions,
        generate_tests.code_actions,
        rename.database_rename_actions,
    ):
        if provider not in code_actions.PROVIDERS:
            code_actions.PROVIDERS.append(provider)
    return code_actions
