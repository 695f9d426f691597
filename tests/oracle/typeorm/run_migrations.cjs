// Runs a folder of compiled TypeORM migration classes with TypeORM's own migration runner, on a
// real database, with no entities: what the migrations alone build. argv: <type: postgres | mysql
// | mariadb | sqljs> <compiled .js files, in file-name order>; env DATABASE_URL (postgres / mysql /
// mariadb) or SQLITE_FILE (sqljs: TypeORM's SQLite query runner on sql.js, saved to that file).
// Every exported function of each file is a migration, as TypeORM's directory loader takes them;
// TypeORM then orders them by the timestamp of their name. stdout: {"applied": [names],
// "failed": the error that stopped the chain or null, "shimmed": [modules given by SHIMS]}.
// A module a migration imports that the corpus does not hold is given by SHIMS (below) or fails.
const Module = require("module");
const [, , type, ...files] = process.argv;

// Modules the corpus does not hold. flowise's `utils/database.util`: its `hasColumn` asks the query
// runner. medusa's country and currency lists only feed data inserts (empty: no rows, same schema).
// Any other missing module is an empty object (what a migration takes from it as a value then
// fails loudly; type-only uses, such as decorator metadata, do not care); each is reported.
const SHIMS = {
  "database.util": { hasColumn: (queryRunner, table, column) => queryRunner.hasColumn(table, column) },
  "@medusajs/utils": { MedusaV2Flag: { key: "medusa_v2" } },
  "utils/countries": { countries: [] },
  "utils/currencies": { currencies: {} },
};
const shimmed = new Set();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  try {
    return resolve.call(this, request, ...rest);
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND" || !request.startsWith(".")) {
      if (!Object.keys(SHIMS).includes(request)) throw error; // optional packages stay absent
    }
    const shim = Object.keys(SHIMS).find((name) => request === name || request.endsWith("/" + name));
    const id = `shim:${shim ?? request}`;
    shimmed.add(shim ?? request);
    require.cache[id] = { id, filename: id, loaded: true, exports: shim ? SHIMS[shim] : {} };
    return id;
  }
};

// the project's TypeORM (the links beside the compiled files), not the one next to this script
const { DataSource } = require(require.resolve("typeorm", { paths: [process.cwd()] }));

(async () => {
  const migrations = [];
  for (const file of files) {
    const exported = require(file);
    for (const value of Object.values(exported)) {
      if (typeof value === "function" && value.prototype && typeof value.prototype.up === "function") {
        migrations.push(value);
      }
    }
  }
  const options =
    type === "sqljs"
      ? { type: "sqljs", location: process.env.SQLITE_FILE, autoSave: false }
      : { type, url: process.env.DATABASE_URL };
  const dataSource = new DataSource({ ...options, entities: [], migrations, logging: false });
  await dataSource.initialize();
  let failed = null;
  try {
    await dataSource.runMigrations({ transaction: "each" });
  } catch (error) {
    // a chain that cannot run from empty (it needs tables other migrations make): what ran
    // before the failing migration stays (each ran in its own transaction)
    failed = String(error && error.message ? error.message : error);
  }
  const rows = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
  const applied = rows.map((row) => row.name);
  if (type === "sqljs") await dataSource.driver.save(process.env.SQLITE_FILE);
  await dataSource.destroy();
  process.stdout.write(JSON.stringify({ applied, failed, shimmed: [...shimmed] }));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
