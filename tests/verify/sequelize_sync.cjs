// Build a project's Sequelize models with Sequelize itself and `sync()` them into a database,
// for tests/verify/test_sequelize_sync.py. Run with Node:
//   node sequelize_sync.cjs <folder whose node_modules has sequelize> <url> <style> <file>...
// style `factory`: each file exports `(sequelize, DataTypes) => Model` (sequelize-cli's
// models/index.js), then every model's `associate(models)` runs, as that index.js does.
// The user's models run here, in the oracle, never in schemasense.
// stdout: JSON {tables: {modelName: tableName}, sql: [statements sync ran]}.
const [root, url, style, ...files] = process.argv.slice(2);
const path = require("path");
const { Sequelize, DataTypes } = require(path.resolve(root, "node_modules", "sequelize"));

async function main() {
  const sql = [];
  const options = { logging: (s) => sql.push(s.replace(/^Executing \([^)]*\): /, "")) };
  // the Sequelize instance's `define` options, as JSON (every model starts from them)
  if (process.env.SEQUELIZE_DEFINE) options.define = JSON.parse(process.env.SEQUELIZE_DEFINE);
  if (url.startsWith("sqlite:")) {
    options.dialect = "sqlite";
    options.storage = url.replace(/^sqlite:\/\//, "");
  }
  const sequelize = url.startsWith("sqlite:")
    ? new Sequelize(options)
    : new Sequelize(url, options);
  const models = {};
  if (style !== "factory") throw new Error("unknown style " + style);
  for (const file of files) {
    const model = require(path.resolve(file))(sequelize, DataTypes);
    models[model.name] = model;
  }
  for (const name of Object.keys(models)) {
    if (models[name].associate) models[name].associate(models);
  }
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
