// Names from Sequelize 6 itself, for tests/codegen/orms/test_sequelize_naming.py.
// stdin: [[kind, args], ...]; stdout: one answer per case ({error} where Sequelize threw).
// Models are built with sequelize.define on a Sequelize that never connects; migration calls run
// through the real queryInterface with sequelize.query replaced by a recorder of the SQL.
const root = process.argv[2];
const { Sequelize, DataTypes } = require(root + "/node_modules/sequelize");
const Utils = require(root + "/node_modules/sequelize/lib/utils");
const inflection = require(root + "/node_modules/inflection");

function connectionless(define) {
  return new Sequelize("postgres://u:p@127.0.0.1:1/none", { logging: false, define: define || {} });
}

const shared = connectionless();
const sqls = [];
shared.query = async (sql) => {
  sqls.push(sql);
  return [];
};
// the MySQL and SQLite generators without their drivers (mysql2, sqlite3 are not installed)
const lib = root + "/node_modules/sequelize/lib/dialects/";
const generator = (dialect) =>
  new (require(lib + dialect + "/query-generator"))({
    sequelize: shared,
    _dialect: { name: dialect, supports: require(lib + dialect).prototype.supports },
  });
const mysqlGenerator = generator("mysql");
const sqliteGenerator = generator("sqlite");

// a model spec: {name, options, primaryKey?, attributes?: {attr: field or null}}
function defineModel(sequelize, spec) {
  const attributes = {};
  if (spec.primaryKey) attributes[spec.primaryKey] = { type: DataTypes.STRING, primaryKey: true };
  for (const [attr, field] of Object.entries(spec.attributes || {})) {
    attributes[attr] = field === null ? { type: DataTypes.STRING } : { type: DataTypes.STRING, field };
  }
  return sequelize.define(spec.name, attributes, Object.assign({}, spec.options));
}

function keyOf(model, key) {
  return { attribute: key, column: model.rawAttributes[key].field };
}

// a null index field stands for an expression: sequelize.fn(...) has no name
function indexFields(fields) {
  return fields.map((field) => (field === null ? Sequelize.fn("lower", Sequelize.col("x")) : field));
}

function table(t) {
  return typeof t === "string" ? t : { tableName: t.table, schema: t.schema };
}

// a name as written in the SQL, its quotes dropped: "a->b"."c" is a->b.c
function unquoted(written, quote) {
  return written.split(quote).join("");
}

async function lastSql(run) {
  sqls.length = 0;
  await run();
  return sqls[sqls.length - 1];
}

// inflection's rule tables as its source writes them (the package exports no table)
function inflectionSource() {
  const source = require("fs").readFileSync(root + "/node_modules/inflection/lib/inflection.js", "utf8");
  const block = (start) => source.slice(source.indexOf(start), source.indexOf("];", source.indexOf(start)));
  const rules = (name) =>
    [...block(`var ${name} = [`).matchAll(/\[\s*regex\.(plural|singular)\.(\w+)\s*(?:,\s*'([^']*)')?\s*\]/g)].map(
      (m) => [`${m[1]}.${m[2]}`, m[3] === undefined ? null : m[3]],
    );
  const patterns = {};
  let kind = null;
  for (const line of block("var regex = {").split("\n")) {
    const opened = /^\s*(plural|singular) : \{/.exec(line);
    if (opened) kind = opened[1];
    const m = /^\s*(\w+)\s*: new RegExp\( '([^']*)'\s*,\s*'gi'\s*\)/.exec(line);
    if (m) patterns[`${kind}.${m[1]}`] = m[2];
  }
  const uncountable = block("var uncountable_words = [")
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join("\n")
    .match(/'([a-z]+)'/g)
    .map((word) => word.slice(1, -1));
  return { plural: rules("plural_rules"), singular: rules("singular_rules"), patterns, uncountable };
}

const kinds = {
  inflectionSource,
  pluralize: (w) => Utils.pluralize(w),
  singularize: (w) => Utils.singularize(w),
  underscore: (w) => Utils.underscore(w),
  inflectionUnderscore: (w, allUpperCase) => inflection.underscore(w, allUpperCase),
  inflectionCamelize: (w, low) => inflection.camelize(w, low),
  camelize: (w) => Utils.camelize(w),
  combineTableNames: (a, b) => Utils.combineTableNames(a, b),
  nameIndex: (t, fields) => Utils.nameIndex({ fields: indexFields(fields) }, table(t)).name,
  enumName: (t, c) => shared.getQueryInterface().queryGenerator.pgEnumName(t, c, { schema: false }).slice(1, -1),
  model: (spec) => {
    const model = defineModel(connectionless(), spec);
    const columns = {};
    for (const [attr, definition] of Object.entries(model.rawAttributes)) columns[attr] = definition.field;
    return {
      table: model.tableName,
      singular: model.options.name.singular,
      plural: model.options.name.plural,
      columns,
      timestamps: model._timestampAttributes,
      indexes: model._indexes.map((index) => index.name),
    };
  },
  belongsTo: (source, target, options) => {
    const s = connectionless();
    const [a, b] = [defineModel(s, source), source.name === target.name ? null : defineModel(s, target)];
    const association = a.belongsTo(b || a, options);
    return keyOf(a, association.foreignKey);
  },
  hasMany: (source, target, options) => {
    const s = connectionless();
    const [a, b] = [defineModel(s, source), defineModel(s, target)];
    const association = a.hasMany(b, options);
    return keyOf(b, association.foreignKey);
  },
  hasOne: (source, target, options) => {
    const s = connectionless();
    const [a, b] = [defineModel(s, source), defineModel(s, target)];
    const association = a.hasOne(b, options);
    return keyOf(b, association.foreignKey);
  },
  // through: a string or a model spec; reverse: options of target.belongsToMany(source) declared first
  belongsToMany: (source, target, through, options, define, reverse) => {
    const s = connectionless(define);
    const a = defineModel(s, source);
    const b = source.name === target.name ? a : defineModel(s, target);
    // a string, { model: string, paranoid }, or a model spec
    const throughArg =
      typeof through === "string" ? through : through.name ? defineModel(s, through) : through;
    if (reverse) b.belongsToMany(a, Object.assign({ through: throughArg }, reverse));
    const association = a.belongsToMany(b, Object.assign({ through: throughArg }, options));
    const join = association.through.model;
    const fk = join.rawAttributes[association.foreignKey];
    return {
      table: join.tableName,
      foreignKey: keyOf(join, association.foreignKey),
      otherKey: keyOf(join, association.otherKey),
      primaryKey: Boolean(fk.primaryKey),
      unique: typeof fk.unique === "string" ? fk.unique : null,
      timestampColumns: Object.fromEntries(
        Object.values(join._timestampAttributes).map((attr) => [attr, join.rawAttributes[attr].field]),
      ),
    };
  },
  addIndex: async (t, fields) => {
    const sql = await lastSql(() => shared.getQueryInterface().addIndex(table(t), indexFields(fields)));
    return unquoted(/INDEX ("[^"]*"(?:\."[^"]*")?)/.exec(sql)[1], '"');
  },
  addConstraint: async (t, type, fields, references) => {
    const options = { type, fields };
    if (references != null) options.references = { table: table(references), field: "id" };
    if (type === "check") options.where = { x: 1 };
    const sql = await lastSql(() => shared.getQueryInterface().addConstraint(table(t), options));
    return /CONSTRAINT "([^"]*)"/.exec(sql)[1];
  },
  mysqlAddIndex: (t, fields) => {
    const sql = mysqlGenerator.addIndexQuery(table(t), { fields: indexFields(fields) }, table(t));
    return unquoted(/INDEX (`[^`]*`(?:\.`[^`]*`)?)/.exec(sql)[1], "`");
  },
  mysqlAddConstraint: (t, type, fields, references) => {
    const options = { type, fields };
    if (references != null) options.references = { table: table(references), field: "id" };
    if (type === "check") options.where = { x: 1 };
    return /CONSTRAINT `([^`]*)`/.exec(mysqlGenerator.addConstraintQuery(table(t), options))[1];
  },
  sqliteAddIndex: (t, fields) => {
    const sql = sqliteGenerator.addIndexQuery(table(t), { fields: indexFields(fields) }, table(t));
    return unquoted(/INDEX (`[^`]*`(?:\.`[^`]*`)?)/.exec(sql)[1], "`");
  },
  // what the SQLite queryInterface.addConstraint splices into the re-created table
  sqliteAddConstraint: (t, type, fields, references) => {
    const options = { type, fields };
    if (references != null) options.references = { table: table(references), field: "id" };
    if (type === "check") options.where = { x: 1 };
    return /CONSTRAINT `([^`]*)`/.exec(sqliteGenerator.getConstraintSnippet(table(t), options))[1];
  },
  mysqlAddColumnForeignKey: (t, column) => {
    const sql = mysqlGenerator.addColumnQuery(t, column, {
      type: DataTypes.INTEGER,
      references: { model: "Others", key: "id" },
    });
    return /ADD CONSTRAINT `([^`]*)`/.exec(sql)[1];
  },
};

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const out = [];
  for (const [kind, args] of JSON.parse(input)) {
    try {
      out.push(await kinds[kind](...args));
    } catch (error) {
      out.push({ error: String(error) });
    }
  }
  process.stdout.write(JSON.stringify(out));
});
