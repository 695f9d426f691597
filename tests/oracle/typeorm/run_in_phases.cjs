// Runs a TypeORM sample's migrations in two phases, so a test can put rows in the tables between
// them: `first N` runs the first N migrations (the project's own); `rest K` runs the pending
// ones (a feature's), asks TypeORM's schema builder what `synchronize` would still change, then
// undoes the last K migrations. Transaction mode "each", as `migration:run -t each` does (a
// migration that says `transaction = false`, CREATE INDEX CONCURRENTLY, needs it).
// argv: <compiled data-source.js> <export name> first|rest <count>; env DATABASE_URL.
// stdout: {"applied": [...names], "pending": [...SQL], "undone": count}.
const [, , dataSourceFile, exportName, phase, count] = process.argv;
const { [exportName]: dataSource } = require(dataSourceFile);
(async () => {
  dataSource.setOptions({ url: process.env.DATABASE_URL, logging: false });
  await dataSource.initialize();
  const n = Number(count);
  const stamp = (m) => Number(((m.name || m.constructor.name).match(/(\d{13})$/) || [0, 0])[1]);
  const all = [...dataSource.migrations].sort((a, b) => stamp(a) - stamp(b));
  dataSource.migrations.splice(0, dataSource.migrations.length, ...all);
  if (phase === "first") dataSource.migrations.splice(n);
  const applied = (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  dataSource.migrations.splice(0, dataSource.migrations.length, ...all);
  let pending = [];
  let undone = 0;
  if (phase === "rest") {
    const log = await dataSource.driver.createSchemaBuilder().log();
    pending = log.upQueries.map((q) => q.query);
    for (; undone < n; undone++) await dataSource.undoLastMigration({ transaction: "each" });
  }
  await dataSource.destroy();
  process.stdout.write(JSON.stringify({ applied, pending, undone }));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
