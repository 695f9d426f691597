// The `type:` expressions a generated Sequelize migration writes, evaluated by Sequelize 6
// itself: for tests/codegen/orms/test_sequelize_data_types.py.
// stdin: [[dialect, expression], ...] (`Sequelize.STRING(40)`); stdout: the SQL `toSql()` gives
// for each, after the dialect's own type (as `normalizeDataType` makes it), or {error}.
const root = process.argv[2];
const Sequelize = require(root + "/node_modules/sequelize");
const { DataTypes } = Sequelize;

function normalize(dialect, t) {
  if (typeof t === "function") t = new t();
  const own = DataTypes[dialect] || {};
  if (own[t.key]) t = own[t.key].extend(t);
  if (t instanceof DataTypes.ARRAY) t.type = normalize(dialect, t.type);
  return t;
}

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([dialect, expression]) => {
    try {
      // eslint-disable-next-line no-new-func
      const t = normalize(dialect, new Function("Sequelize", `return ${expression};`)(Sequelize));
      const escape = (v) => "'" + String(v).replace(/'/g, "''") + "'";
      return t.toSql({ escape });
    } catch (e) {
      return { error: String(e.message) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
