// Load a project's models/index.js as sequelize-cli's layout does (it opens Sequelize on
// DATABASE_URL and declares the associations), then `sync()` it: for
// tests/verify/test_sequelize_sync.py. Run with Node: node sequelize_index_sync.cjs <index.js>
// The user's models run here, in the oracle, never in schemasense.
const path = require("path");

async function main() {
  const db = require(path.resolve(process.argv[2]));
  await db.sequelize.sync();
  const tables = {};
  for (const [name, model] of Object.entries(db.sequelize.models)) tables[name] = model.getTableName();
  await db.sequelize.close();
  process.stdout.write(JSON.stringify({ tables }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
