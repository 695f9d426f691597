// Runs a TypeORM sample's migrations on a real database with TypeORM itself, then asks TypeORM's
// schema builder what `synchronize` would still change: nothing means the migrations build
// exactly what the entities declare. argv: <compiled data-source.js> <export name>; env
// DATABASE_URL. stdout: {"applied": [...migration names], "pending": [...SQL], "down": [...SQL],
// "left": [tables and types left after undoing every migration, besides "migrations"]}.
// A SQLite sample (better-sqlite3, a native module) runs on sql.js, TypeORM's in-memory SQLite
// driver: the same SQLite query runner and schema builder, with no native build.
const [, , dataSourceFile, exportName] = process.argv;
const { [exportName]: declared } = require(dataSourceFile);
const sqlite = ["sqlite", "better-sqlite3", "sqljs"].includes(declared.options.type);
const dataSource = sqlite
  ? new (declared.constructor)({ ...declared.options, type: "sqljs", database: undefined, logging: false })
  : declared;
const LEFT = sqlite
  ? `SELECT 'table ' || name AS name FROM sqlite_master WHERE type = 'table'
       AND name NOT IN ('migrations', 'sqlite_sequence') ORDER BY 1`
  : `SELECT 'table ' || table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_name <> 'migrations'
     UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = current_schema() AND t.typtype = 'e' ORDER BY 1`;
(async () => {
  if (!sqlite) dataSource.setOptions({ url: process.env.DATABASE_URL, logging: false });
  await dataSource.initialize();
  const applied = (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  const log = await dataSource.driver.createSchemaBuilder().log();
  for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration({ transaction: "each" });
  const left = await dataSource.query(LEFT);
  const out = {
    applied,
    pending: log.upQueries.map((q) => q.query),
    down: log.downQueries.map((q) => q.query),
    left: left.map((row) => row.name),
  };
  await dataSource.destroy();
  process.stdout.write(JSON.stringify(out));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
