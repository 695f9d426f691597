// `toSql()` of Sequelize 6's own data types, for tests/codegen/orms/test_sequelize_types.py.
// stdin: [[dialect, name, args, flags], ...] (an argument {"$type": name, args, flags} is an
// inner data type); stdout: one answer per case, the SQL or {error}.
const root = process.argv[2];
const { DataTypes } = require(root + "/node_modules/sequelize");

// as a model gets it: the abstract type with its flags, then `sequelize.normalizeDataType`
// (`dialectTypes[type.key].extend(type)`, the items of an ARRAY too)
function build(dialect, name, args, flags) {
  const Type = DataTypes[name];
  if (!Type) throw new Error("no type " + name);
  const values = args.map((a) => (a && a.$type ? build(dialect, a.$type, a.args, a.flags) : a));
  let t = new Type(...values);
  for (const flag of flags) t = t[flag];
  const own = DataTypes[dialect] || {};
  if (own[t.key]) t = own[t.key].extend(t);
  if (t instanceof DataTypes.ARRAY && own[t.type.key]) t.type = own[t.type.key].extend(t.type);
  return t;
}

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([dialect, name, args, flags]) => {
    try {
      const t = build(dialect, name, args, flags);
      const escape = (v) => "'" + String(v).replace(/'/g, "''") + "'";
      return t.toSql({ escape });
    } catch (e) {
      return { error: String(e.message) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
