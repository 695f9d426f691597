// Run generated migrations with the real ORM, as a project would: TypeORM's DataSource
// (`runMigrations` / `undoLastMigration`) or Sequelize's queryInterface (`up` / `down`).
//
// usage: node run_migrations.cjs <repo-root> <typeorm|sequelize> <postgres-url> <up|down> <file>...
//   typeorm: the files are compiled migration classes (.js); `down` undoes them all, newest first.
//   sequelize: the files are migration modules (.js), run in order (`down` in reverse).
const path = require('node:path');
const { createRequire } = require('node:module');

const [root, tool, url, direction, ...files] = process.argv.slice(2);
const requireFromRoot = createRequire(path.join(root, 'package.json'));

async function typeorm() {
  const { DataSource } = requireFromRoot('typeorm');
  const migrations = files.map((f) => Object.values(require(path.resolve(f)))[0]);
  const ds = new DataSource({
    type: 'postgres', url, migrations, migrationsTransactionMode: 'each', logging: false,
  });
  await ds.initialize();
  try {
    if (direction === 'up') {
      const ran = await ds.runMigrations({ transaction: 'each' });
      console.log(JSON.stringify({ ran: ran.map((m) => m.name) }));
    } else {
      for (let i = 0; i < migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      console.log(JSON.stringify({ undone: migrations.length }));
    }
  } finally {
    await ds.destroy();
  }
}

async function sequelize() {
  const { Sequelize } = requireFromRoot('sequelize');
  const db = new Sequelize(url, { logging: false, dialectModule: requireFromRoot('pg') });
  const qi = db.getQueryInterface();
  try {
    const list = direction === 'up' ? files : [...files].reverse();
    for (const f of list) await require(path.resolve(f))[direction](qi, Sequelize);
    console.log(JSON.stringify({ ran: list.length }));
  } finally {
    await db.close();
  }
}

(tool === 'typeorm' ? typeorm() : sequelize()).catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
