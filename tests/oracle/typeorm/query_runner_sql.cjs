// TypeORM's own SQL for single schema changes, with no database: a query runner in SQL-memory
// mode, given Table objects (so it never loads a table), runs each call and gives back its up
// queries. argv: <case file (JSON)>; TypeORM from the working folder's node_modules.
// case file: {"type": "postgres"|"sqljs"|"mysql", "tables": {name: TableOptions},
//             "cases": [{"name", "call": [method, tableName, ...args]}]} where an argument
// {"$column": {...}} is a TableColumn, "$index" a TableIndex, "$foreignKey" a TableForeignKey,
// "$unique" a TableUnique, "$table" the Table of that name; anything else is passed as is.
// stdout: {name: [up queries]}.
const fs = require("fs");
const local = (name) => require(require.resolve(name, { paths: [process.cwd() + "/node_modules"] }));
const t = local("typeorm");
const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const KINDS = { $column: t.TableColumn, $index: t.TableIndex, $foreignKey: t.TableForeignKey, $unique: t.TableUnique };
(async () => {
  const mysql = spec.type === "mysql";
  const out = {};
  for (const c of spec.cases) {
    const ds = new t.DataSource({ type: spec.type, database: mysql ? "oracle" : undefined });
    const qr = ds.createQueryRunner();
    qr.enableSqlMemory();
    qr.query = async (q) => (q.includes("current_schema()") ? [{ current_schema: "public" }] : []);
    const tables = {};
    for (const [name, options] of Object.entries(spec.tables)) tables[name] = new t.Table(JSON.parse(JSON.stringify(options)));
    qr.getCachedTable = async (name) => tables[name];
    qr.hasEnumType = async () => false;
    const [method, tableName, ...raw] = c.call;
    const args = raw.map((a) => {
      if (a && typeof a === "object") {
        const [kind] = Object.keys(a);
        if (kind === "$table") return tables[a.$table];
        if (KINDS[kind]) return new KINDS[kind](a[kind]);
      }
      return a;
    });
    await qr[method](tables[tableName] || tableName, ...args);
    out[c.name] = qr.getMemorySql().upQueries.map((q) => q.query);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack ? e.stack : e)); process.exit(1); });
