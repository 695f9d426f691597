// TypeORM's own DDL for a compiled sample's (or corpus project's) entity set, with no database:
// the DataSource options' entities (classes or globs) -> ConnectionMetadataBuilder -> the query
// runner in SQL-memory mode -> createTable(Table.create(meta)) and createForeignKeys. argv:
// <compiled data-source.js> <export name> [<type override>]; stdout: {"type", "statements": [...]}.
// (the trick of /work/shared/notes/orm-oracles/offline_ddl.js, on a real DataSource's options)
const [, , dataSourceFile, exportName, typeOverride] = process.argv;
// TypeORM as the project declares it: the links in the working folder's node_modules
const local = (name) => require(require.resolve(name, { paths: [process.cwd() + "/node_modules"] }));
const t = local("typeorm");
const { ConnectionMetadataBuilder } = local("typeorm/connection/ConnectionMetadataBuilder");
const loaded = require(dataSourceFile);
const declared = loaded[exportName] || loaded.default || loaded;
const options = declared.options || declared;
(async () => {
  let type = typeOverride || options.type;
  if (["sqlite", "better-sqlite3", "sqljs"].includes(type)) type = "sqljs";
  const mysql = type === "mysql" || type === "mariadb";
  const ds = new t.DataSource({ ...options, type, database: mysql ? "oracle" : undefined, url: undefined, host: undefined });
  const qr = ds.createQueryRunner();
  qr.enableSqlMemory();
  if (type === "postgres") qr.query = async (q) => (q.includes("current_schema()") ? [{ current_schema: "public" }] : []);
  if (mysql) qr.query = async () => [];
  const builder = new ConnectionMetadataBuilder(ds);
  const metas = await builder.buildEntityMetadatas(options.entities || []);
  // the same steps DataSource.buildMetadatas takes after building them
  ds.entityMetadatas = metas;
  const { EntityMetadataValidator } = local("typeorm/metadata-builder/EntityMetadataValidator");
  new EntityMetadataValidator().validateMany(metas.filter((m) => m.tableType !== "view"), ds.driver);
  const tables = metas.filter((m) => m.tableType !== "view" && m.tableType !== "entity-child");
  // SQLite writes foreign keys inside CREATE TABLE (adding one later rebuilds the table)
  const inline = type === "sqljs";
  for (const m of tables) {
    const table = t.Table.create(m, ds.driver);
    if (inline) table.foreignKeys = m.foreignKeys.map((f) => t.TableForeignKey.create(f, ds.driver));
    await qr.createTable(table, false, inline);
  }
  if (!inline)
    for (const m of tables)
      await qr.createForeignKeys(t.Table.create(m, ds.driver), m.foreignKeys.map((f) => t.TableForeignKey.create(f, ds.driver)));
  const statements = qr.getMemorySql().upQueries.map((q) => q.query);
  process.stdout.write(JSON.stringify({ type: options.type, statements, tables: tables.map((m) => m.tablePath) }));
})().catch((e) => { process.stderr.write(String(e && e.stack ? e.stack : e)); process.exit(1); });
