// Prisma's own wasm as an oracle for the codegen tests: one Node process answers a batch.
//
// stdin: a JSON list of requests, stdout: a JSON list of answers in the same order.
//   {op: "validate", schema}            -> {ok: true} | {ok: false, error}
//   {op: "native_types", schema}        -> {ok: true, value: [{name, _number_of_args, ...}]}
//   {op: "referential_actions", schema} -> {ok: true, value: ["Cascade", ...]}
//   {op: "diff", schema, adapter[, from]} -> {ok: true, sql} | {ok: false, error}
// `diff` is `prisma migrate diff --from-empty --to-schema-datamodel --script` through
// @prisma/schema-engine-wasm with a stub driver adapter (`adapter`: "postgres" or "sqlite")
// that answers the one probe query PostgreSQL needs and refuses every other statement, so no
// database is involved (after ../shared/notes/prisma-engine-diff.mjs). With `from` (a schema
// text) it is `--from-schema-datamodel`: the migration from one schema to the other.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = process.argv[2];
const require = createRequire(path.join(root, 'package.json'));
const schemaWasm = require('@prisma/prisma-schema-wasm');

let engineModule = null;
async function loadEngine() {
  if (engineModule) return engineModule;
  const pkg = path.join(root, 'node_modules/@prisma/schema-engine-wasm');
  const bg = await import(pathToFileURL(path.join(pkg, 'schema_engine_bg.js')).href);
  const bytes = fs.readFileSync(path.join(pkg, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  engineModule = bg;
  return bg;
}

const NO_DB = { kind: 'postgres', code: '08000', severity: 'ERROR', message: 'stub adapter: no database',
  detail: null, column: null, hint: null };
const METHODS = new Set(['connect', 'connectToShadowDb', 'queryRaw', 'executeRaw', 'executeScript',
  'startTransaction', 'dispose', 'getConnectionInfo', 'commit', 'rollback']);

function stub(provider) {
  return new Proxy({}, {
    get(_t, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      if (prop === 'provider') return provider;
      if (prop === 'adapterName') return `stub-${provider}`;
      if (!METHODS.has(prop)) return undefined;
      return (...args) => {
        if (prop === 'connect' || prop === 'connectToShadowDb') return Promise.resolve({ ok: true, value: stub(provider) });
        if (prop === 'getConnectionInfo') return { ok: true, value: { schemaName: 'public', supportsRelationJoins: false } };
        if (prop === 'dispose') return Promise.resolve({ ok: true, value: undefined });
        if (prop === 'queryRaw' && provider === 'postgres' && /version\(\)/.test(args[0]?.sql ?? '')) {
          return Promise.resolve({ ok: true, value: {
            columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0],
            rows: [[true, 'PostgreSQL 16.4 (stub)', 160004]] } });
        }
        return Promise.resolve({ ok: false, error: NO_DB });
      };
    },
  });
}

async function diff(schema, adapter, from) {
  const bg = await loadEngine();
  const engine = await bg.SchemaEngine.new({ datamodels: undefined }, () => {}, stub(adapter));
  const result = await engine.diff({
    from: from == null ? { tag: 'empty' }
      : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return result.stdout;
}

async function answer(req) {
  try {
    switch (req.op) {
      case 'validate':
        schemaWasm.validate(JSON.stringify({ prismaSchema: [['schema.prisma', req.schema]], noColor: true }));
        return { ok: true };
      case 'native_types':
        return { ok: true, value: JSON.parse(schemaWasm.native_types(JSON.stringify([['schema.prisma', req.schema]]))) };
      case 'referential_actions':
        return { ok: true, value: JSON.parse(schemaWasm.referential_actions(req.schema)) };
      case 'diff':
        return { ok: true, sql: await diff(req.schema, req.adapter, req.from) };
      default:
        return { ok: false, error: `unknown op ${req.op}` };
    }
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e) };
  }
}

const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
const answers = [];
for (const req of requests) answers.push(await answer(req));
process.stdout.write(JSON.stringify(answers));
