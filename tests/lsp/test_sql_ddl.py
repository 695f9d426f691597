"""The SQL DDL source end to end: open dbmate's `db/schema.sql` in a project with migrations,
get its diagnostics (a design rule, drift on both sides), hover a table, a column and an
index, and go from a `REFERENCES` to the table's `CREATE TABLE`."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import diagnostics_for, wait_until
from .features import doc, position

SCHEMA = """\
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.users (
    id bigint NOT NULL,
    email character varying(255) NOT NULL
);

CREATE TABLE public.posts (
    id bigint NOT NULL,
    author_id bigint NOT NULL,
    title text NOT NULL
);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email);

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id);
"""

MIGRATION = """\
-- migrate:up
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email varchar(255) NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- migrate:down
DROP TABLE users;
"""


def _open_sql(client: LanguageClient, path: Path) -> str:
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="sql", version=1, text=text
            )
        )
    )
    return text


async def test_a_ddl_schema_file_in_the_editor(client: LanguageClient, tmp_path: Path):
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    schema = tmp_path / "db" / "schema.sql"
    schema.write_text(SCHEMA)
    (tmp_path / "db" / "migrations" / "20240101000000_users.sql").write_text(MIGRATION)
    text = _open_sql(client, schema)

    diagnostics = await diagnostics_for(client, schema, version=1)
    codes = {str(d.code) for d in diagnostics}
    assert "DB101" in codes  # posts.author_id has no index
    assert "DB301" in codes  # posts: no migration creates it
    db301 = next(d for d in diagnostics if str(d.code) == "DB301")
    assert db301.range.start == position(text, "CREATE TABLE public.posts")

    async def hover(needle: str, delta: int = 0) -> str:
        answer = await client.text_document_hover_async(
            types.HoverParams(text_document=doc(schema), position=position(text, needle, delta))
        )
        assert answer is not None, needle
        return answer.contents.value

    table = await hover("users (", 1)
    assert '**table** `"users"` on Postgres' in table
    assert "Primary key: `id` (`users_pkey`)" in table
    assert "Referenced by: `posts` (author_id)" in table
    # the migrations beside it: which one created the table, and no drift for it
    assert "Migrations (1): created in [`20240101000000_users`]" in table
    assert "No drift: the migrations build this table as declared." in table
    posts = await hover("posts (", 1)
    assert "No migration creates this table" in posts

    column = await hover("email character varying", 1)
    assert '**column** `"users"."email"`' in column
    assert "`VARCHAR(255) NOT NULL`" in column
    assert "unique `users_email_key`" in column

    index = await hover("users_email_key ON", 2)
    assert "**unique index** `users_email_key` on `users` (btree)" in index
    assert "Serves" in index

    fk = await hover("posts_author_id_fkey FOREIGN", 2)
    assert "No index leads with (author_id)" in fk

    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc(schema), position=position(text, "REFERENCES public.users", 19)
        )
    )
    assert found
    [location] = found
    assert location.uri == schema.as_uri()
    assert location.range.start == position(text, "users (")

    # the migration file, open too, carries its side of the drift
    migration = tmp_path / "db" / "migrations" / "20240101000000_users.sql"
    _open_sql(client, migration)
    await wait_until(
        lambda: any(
            p.uri == migration.as_uri()
            for p in client.published  # type: ignore[attr-defined]
        ),
        what="diagnostics for the migration",
    )


async def test_generate_migration_from_an_edit_to_the_ddl_file(
    client: LanguageClient, tmp_path: Path
):
    """The drift an edit to db/schema.sql makes is one code action away from a dbmate
    migration in db/migrations (a WorkspaceEdit: nothing is written behind the editor)."""
    (tmp_path / "db" / "migrations").mkdir(parents=True)
    schema = tmp_path / "db" / "schema.sql"
    users = SCHEMA.split("CREATE TABLE public.posts")[0] + (
        "ALTER TABLE ONLY public.users\n    ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n\n"
        "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email);\n"
    )
    schema.write_text(users)
    (tmp_path / "db" / "migrations" / "20240101000000_users.sql").write_text(MIGRATION)
    text = _open_sql(client, schema)
    assert not [
        d for d in await diagnostics_for(client, schema, version=1) if str(d.code).startswith("DB3")
    ]

    edited = text.replace(
        "    email character varying(255) NOT NULL\n",
        "    email character varying(255) NOT NULL,\n    name text\n",
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=schema.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    diagnostics = await diagnostics_for(client, schema, version=2)
    drift = [d for d in diagnostics if str(d.code).startswith("DB3")]
    assert drift
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(schema),
            range=drift[0].range,
            context=types.CodeActionContext(diagnostics=drift),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    generate = [a for a in actions if a.title == "Generate migration…"]
    assert len(generate) == 1
    changes = generate[0].edit.document_changes
    created = [c for c in changes if isinstance(c, types.CreateFile)]
    [made] = created
    assert "/db/migrations/" in made.uri and made.uri.endswith("_add_name_to_users.sql")
    [body] = [c for c in changes if isinstance(c, types.TextDocumentEdit)]
    new_text = body.edits[0].new_text
    assert new_text.startswith("-- migrate:up\n")
    assert '"name" TEXT' in new_text and "-- migrate:down" in new_text
