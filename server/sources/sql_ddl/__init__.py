"""The SQL DDL source: a schema kept as DDL (`schema.sql`, `db/structure.sql`, dbmate's
`db/schema.sql`, or a file named by `[schema] path`) read as the declared schema.

A DDL file is "one migration from empty": it is read by the migration readers' grammars
(libpg_query through postgast for PostgreSQL, sqlglot for MySQL and SQLite) and replayed by the
migration replay into the schema model, so what a `CREATE TABLE` declares here is exactly what
the same statement builds in a migration. A statement that does not parse is a finding with its
range, and the rest of the file is read.

- `reader.py`: text -> `DdlRead` (schema, findings, the replay behind it);
- `index.py`: where each table, column, key and index is written (the editor's position index);
- `language.py`: hover and go-to-definition over that index, from the schema model
  (`server/language/explain.py` explains keys as it does for Prisma);
- `source.py`: the `Source` (`server/sources/base.py`), registered by `server/project/sources.py`.
"""
