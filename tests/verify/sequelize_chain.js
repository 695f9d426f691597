// Runs a sequelize-cli migration chain the way Sequelize runs it, on a real database: the
// oracle of tests/verify/test_sequelize_chains.py.
//
//   node sequelize_chain.js <migrations folder> <database url> [cli|umzug]
//
// `cli`: sequelize-cli's own `db:migrate` (umzug 2 underneath: the files of the folder matching
// /^(?!.*\.d\.ts$).*\.(cjs|js|cts|ts)$/, by name, each `up(queryInterface, Sequelize)`).
// `umzug`: umzug 3 with the same files in the same order, TypeScript files loaded with jiti (a
// chain written in TypeScript, as grouparoo's, is run by umzug after compilation).
// A module a migration requires that is not in the corpus (the project's code for data fixes,
// `uuid`) is replaced by an inert stand-in, named on stderr: on an empty database those data
// paths change no schema. Prints "ok" and the number of files run.
"use strict";

const path = require("path");
const fs = require("fs");
const { spawnSync } = require("child_process");

const [folder, url, mode = "umzug"] = process.argv.slice(2);
const PATTERN = /^(?!.*\.d\.ts$).*\.(cjs|js|cts|ts)$/;

async function viaUmzug() {
  require("./sequelize_stub.js");
  const { Sequelize } = require("sequelize");
  const { Umzug, SequelizeStorage } = require("umzug");
  const { createJiti } = require("jiti");
  const jiti = createJiti(__filename, { interopDefault: true, moduleCache: false });
  const sequelize = new Sequelize(url, { logging: false });
  const queryInterface = sequelize.getQueryInterface();
  const names = fs.readdirSync(folder).filter((n) => PATTERN.test(n) && fs.statSync(path.join(folder, n)).isFile()).sort();
  const umzug = new Umzug({
    migrations: names.map((name) => {
      const file = path.join(folder, name);
      return {
        name,
        path: file,
        up: async () => {
          const loaded = jiti(file);
          const migration = loaded && loaded.default ? loaded.default : loaded;
          return migration.up(queryInterface, Sequelize);
        },
      };
    }),
    context: queryInterface,
    storage: new SequelizeStorage({ sequelize, modelName: "SequelizeMeta" }),
    logger: undefined,
  });
  const done = await umzug.up();
  await sequelize.close();
  console.log(`ok ${done.length}`);
}

function viaCli() {
  const cli = require.resolve("sequelize-cli/lib/sequelize");
  const out = spawnSync(
    process.execPath,
    ["-r", path.join(__dirname, "sequelize_stub.js"), cli, "db:migrate", "--migrations-path", folder, "--url", url],
    { encoding: "utf8", cwd: path.dirname(__dirname), env: process.env }
  );
  process.stderr.write(out.stderr || "");
  if (out.status !== 0) {
    process.stderr.write(out.stdout || "");
    process.exit(out.status || 1);
  }
  const count = (out.stdout.match(/migrated \(/g) || []).length;
  console.log(`ok ${count}`);
}

if (mode === "cli") {
  viaCli();
} else {
  viaUmzug().catch((error) => {
    process.stderr.write(String((error && error.stack) || error) + "\n");
    process.exit(1);
  });
}
