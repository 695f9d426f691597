// TypeORM's `synchronize` of a compiled sample's entities on a real database (PostgreSQL from
// DATABASE_URL; a SQLite sample on sql.js, exported to the file SQLITE_FILE), then TypeORM's
// schema builder asked what it would still change. argv: <compiled data-source.js> <export>.
// stdout: {"pending": [...SQL]}.
const fs = require("fs");
const [, , dataSourceFile, exportName] = process.argv;
const { [exportName]: declared } = require(dataSourceFile);
const sqlite = ["sqlite", "better-sqlite3", "sqljs"].includes(declared.options.type);
const dataSource = sqlite
  ? new (declared.constructor)({ ...declared.options, type: "sqljs", database: undefined, logging: false, migrations: [] })
  : declared;
(async () => {
  if (!sqlite) dataSource.setOptions({ url: process.env.DATABASE_URL, logging: false, migrations: [] });
  await dataSource.initialize();
  await dataSource.synchronize();
  const log = await dataSource.driver.createSchemaBuilder().log();
  if (sqlite) fs.writeFileSync(process.env.SQLITE_FILE, Buffer.from(dataSource.driver.databaseConnection.export()));
  await dataSource.destroy();
  process.stdout.write(JSON.stringify({ pending: log.upQueries.map((q) => q.query) }));
})().catch((e) => { process.stderr.write(String(e && e.stack ? e.stack : e)); process.exit(1); });
