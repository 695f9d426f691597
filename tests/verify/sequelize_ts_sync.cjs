// sequelize-typescript's own models, compiled by tsc, synced into a database, for
// tests/verify/test_sequelize_sync.py. Run with Node (NODE_PATH at the repository's
// node_modules):  node sequelize_ts_sync.cjs <url> <compiled model file>...
// Every exported class of the files is given to `new Sequelize({ models })` in file order.
require("reflect-metadata");
const path = require("path");
const { Sequelize } = require("sequelize-typescript");

const [url, ...files] = process.argv.slice(2);

async function main() {
  const sql = [];
  const logging = (s) => sql.push(s.replace(/^Executing \([^)]*\): /, ""));
  const models = [];
  for (const file of files) {
    for (const value of Object.values(require(path.resolve(file)))) {
      if (typeof value === "function") models.push(value);
    }
  }
  const options = url.startsWith("sqlite:")
    ? { dialect: "sqlite", storage: url.replace(/^sqlite:\/\//, ""), logging, models }
    : { logging, models };
  const sequelize = url.startsWith("sqlite:") ? new Sequelize(options) : new Sequelize(url, options);
  await sequelize.sync();
  const tables = {};
  for (const [name, model] of Object.entries(sequelize.models)) tables[name] = model.getTableName();
  await sequelize.close();
  process.stdout.write(JSON.stringify({ tables, sql }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
