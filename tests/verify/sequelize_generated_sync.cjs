// Models schemasense generated (codegen/emit/models/sequelize.py), loaded through the loader it
// writes beside them and synced into a database by Sequelize itself, for
// tests/verify/test_sequelize_generated_models.py. Run with Node (NODE_PATH at the repository's
// node_modules):  node sequelize_generated_sync.cjs <url> <models/index.js>
// The loader exports `initModels(sequelize)` (Model.init flavours: it runs every init, then
// every associate) or `models` (sequelize-typescript's classes, given to `new Sequelize`).
// stdout: JSON {tables: {modelName: tableName}}.
const path = require("path");

const [url, index] = process.argv.slice(2);

async function main() {
  require("reflect-metadata"); // before sequelize-typescript's decorators run
  const loaded = require(path.resolve(index));
  const options = { logging: false };
  // the project's `new Sequelize({ define })`, as JSON: the models start from it
  if (process.env.SEQUELIZE_DEFINE) options.define = JSON.parse(process.env.SEQUELIZE_DEFINE);
  if (url.startsWith("sqlite:")) {
    options.dialect = "sqlite";
    options.storage = url.replace(/^sqlite:\/\//, "");
  }
  let sequelize;
  if (loaded.initModels) {
    const { Sequelize } = require("sequelize");
    sequelize = url.startsWith("sqlite:") ? new Sequelize(options) : new Sequelize(url, options);
    loaded.initModels(sequelize);
  } else {
    const { Sequelize } = require("sequelize-typescript");
    options.models = loaded.models;
    sequelize = url.startsWith("sqlite:") ? new Sequelize(options) : new Sequelize(url, options);
  }
  // the schemas models live in (`schema` option): sync creates tables, not schemas
  const schemas = new Set(Object.values(sequelize.models).map((m) => m.options.schema));
  for (const schema of schemas) if (schema) await sequelize.createSchema(schema, {});
  await sequelize.sync();
  const tables = {};
  for (const [name, model] of Object.entries(sequelize.models)) tables[name] = model.getTableName();
  await sequelize.close();
  process.stdout.write(JSON.stringify({ tables }));
}

main().catch((error) => {
  process.stderr.write(`${error && error.message}\n${(error && error.sql) || ""}\n${error && error.stack}`);
  process.exit(1);
});
