// TypeORM's own DDL for a set of compiled entity files of a project that cannot run as it is
// (the corpus keeps only its entities): modules the files import but that are not there
// (class-validator, the project's services...) are stand-ins whose every member is a no-op
// decorator factory, so the entity classes load and TypeORM's own decorators register them.
// argv: <json: {"type", "naming": "default"|"snake", "files": [...]}>; stdout like entity_ddl.cjs.
const Module = require("module");
const path = require("path");
const [, , configJson] = process.argv;
const config = JSON.parse(configJson);
const stub = () => {
  const fn = function () { return stubValue; };
  return new Proxy(fn, {
    get: (target, prop) => (prop === "__esModule" ? false : prop === "prototype" ? {} : prop === Symbol.toPrimitive ? () => "" : stubValue),
    // a decorator factory call gives a stand-in; applying a decorator (to a class, or to a
    // prototype and a property name) leaves the class as it is
    apply: (_t, _this, args) =>
      (args.length >= 2 && ["string", "symbol"].includes(typeof args[1])) ||
      (typeof args[0] === "function" && args[0] !== stubValue)
        ? undefined
        : stubValue,
    construct: () => ({}),
  });
};
const stubValue = stub();
const originalLoad = Module._load;
const missing = new Set();
Module._load = function (request, parent, isMain) {
  // a tsconfig `paths` alias onto the compiled root (`@server/x` -> <dist>/x)
  const alias = config.alias && request.startsWith(config.alias + "/");
  if (alias) {
    request = path.join(config.distRoot, request.slice(config.alias.length + 1));
    arguments[0] = request;
  }
  try {
    return originalLoad.apply(this, arguments);
  } catch (e) {
    // a folder whose index file the corpus does not keep: every module in it
    const folder = parent && request.startsWith(".") ? path.resolve(path.dirname(parent.filename), request) : null;
    if (folder && require("fs").existsSync(folder) && require("fs").statSync(folder).isDirectory()) {
      const merged = {};
      const walk = (dir) => {
        for (const entry of require("fs").readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.name.endsWith(".js")) Object.assign(merged, require(full));
        }
      };
      walk(folder);
      return merged;
    }
    if (e && e.code === "MODULE_NOT_FOUND" && !request.startsWith("typeorm")) {
      missing.add(request);
      return stubValue;
    }
    throw e;
  }
};
require(require.resolve("reflect-metadata", { paths: [process.cwd() + "/node_modules"] }));
// TypeORM as the project declares it: the links in the working folder's node_modules
const local = (name) => require(require.resolve(name, { paths: [process.cwd() + "/node_modules"] }));
const t = local("typeorm");
const { ConnectionMetadataBuilder } = local("typeorm/connection/ConnectionMetadataBuilder");
const { EntityMetadataValidator } = local("typeorm/metadata-builder/EntityMetadataValidator");
(async () => {
  let type = config.type;
  if (["sqlite", "better-sqlite3", "sqljs"].includes(type)) type = "sqljs";
  const options = { type, database: type === "sqljs" ? undefined : "oracle" };
  if (config.naming === "snake") {
    const { SnakeNamingStrategy } = local("typeorm-naming-strategies");
    options.namingStrategy = new SnakeNamingStrategy();
  }
  const failed = [];
  const classes = [];
  for (const file of config.files) {
    try {
      const exported = require(path.resolve(file));
      for (const value of Object.values(exported)) if (typeof value === "function") classes.push(value);
    } catch (e) {
      failed.push({ file, error: String(e && e.message ? e.message : e).slice(0, 300) });
    }
  }
  const storage = t.getMetadataArgsStorage();
  const entities = classes.filter((c) => storage.tables.some((table) => table.target === c));
  const ds = new t.DataSource(options);
  const qr = ds.createQueryRunner();
  qr.enableSqlMemory();
  if (type === "postgres") qr.query = async (q) => (q.includes("current_schema()") ? [{ current_schema: "public" }] : []);
  if (type === "mysql" || type === "mariadb") qr.query = async () => [];
  let metas;
  try {
    metas = await new ConnectionMetadataBuilder(ds).buildEntityMetadatas(entities);
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e.message), failed, missing: [...missing], statements: [], tables: [], unbuilt: [] }));
    return;
  }
  ds.entityMetadatas = metas;
  let invalid = null;
  try {
    new EntityMetadataValidator().validateMany(metas.filter((m) => m.tableType !== "view"), ds.driver);
  } catch (e) {
    invalid = String(e.message);
  }
  // as the schema builder does (`createNewEntities` skips a table already there): a join
  // table named like an entity's table, or declared by both sides, is created once
  const seen = new Set();
  const tables = metas.filter((m) => {
    if (m.tableType === "view" || m.tableType === "entity-child" || seen.has(m.tablePath)) return false;
    seen.add(m.tablePath);
    return true;
  });
  const inline = type === "sqljs";
  const statements = [];
  const unbuilt = [];
  for (const m of tables) {
    try {
      const table = t.Table.create(m, ds.driver);
      if (inline) table.foreignKeys = m.foreignKeys.map((f) => t.TableForeignKey.create(f, ds.driver));
      await qr.createTable(table, false, inline);
    } catch (e) {
      unbuilt.push({ table: m.tablePath, error: String(e.message).slice(0, 300) });
    }
  }
  if (!inline)
    for (const m of tables)
      await qr.createForeignKeys(t.Table.create(m, ds.driver), m.foreignKeys.map((f) => t.TableForeignKey.create(f, ds.driver)));
  statements.push(...qr.getMemorySql().upQueries.map((q) => q.query));
  process.stdout.write(JSON.stringify({ type: config.type, statements, tables: tables.map((m) => m.tablePath), failed, invalid, unbuilt, missing: [...missing] }));
})().catch((e) => { process.stderr.write(String(e && e.stack ? e.stack : e)); process.exit(1); });
