// Sequelize's own SQL for model calls, with no database: samples/sequelize-js's models are
// loaded as the sample loads them, and `sequelize.query` is replaced by a recorder, so each
// call's SQL is what Sequelize would send. Cases come as JSON on stdin: a list of JavaScript
// expressions over `models` and `Op` (written by tests/server/queries/test_sequelize_oracle.py).
const path = require("path");
const repo = process.argv[2];
process.env.NODE_ENV = "development";
const models = require(path.join(repo, "samples", "sequelize-js", "models"));
const { Op } = require(path.join(repo, "node_modules", "sequelize"));
const sequelize = models.sequelize;
let recorded = [];
sequelize.query = async (sql) => {
  recorded.push(typeof sql === "string" ? sql : sql.query);
  return [];
};
(async () => {
  const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const out = [];
  for (const expression of cases) {
    recorded = [];
    try {
      await eval(expression);
      out.push({ sql: recorded });
    } catch (e) {
      out.push({ sql: recorded, error: String(e.message || e) });
    }
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error("ERR", e.stack); process.exit(1); });
