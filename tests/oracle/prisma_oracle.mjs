// Prisma's own schema parser and validator as a batch oracle, for the schemasense tests.
//
// usage: node tests/oracle/prisma_oracle.mjs [--ops lint,validate,config,datamodel] < requests.json > results.json
//
// stdin:  a JSON array of requests, each {"files": [[path, content], ...]} (several files = one
//         multi-file schema), optionally with "ops": [...] to override --ops for that request.
// stdout: a JSON array of results, in the same order, each
//         {"datamodel": <DMMF datamodel or null>,
//          "lint": [{"file_name", "start", "end", "text", "is_warning"}, ...],
//          "validate_error": <message string or null>,
//          "config": <get_config result {"config": ..., "errors": [...]} or null>,
//          "panic": <message, only when the wasm panicked on this request>}
//         An op that was not asked for gives null.
//
// The wasm module (@prisma/prisma-schema-wasm from the repository's node_modules) is loaded once
// per process; a batch of hundreds of schemas costs one Node start-up (about 100 ms).
//
// What the wasm exports really take and give (measured on 8.1.0-2.59be4fda, the version pinned
// in package-lock.json; the language server bundles its own copy, 7.8.0-6):
// - Every export takes JSON *strings*. `validate`, `get_dmmf`, `get_datamodel` and `get_config`
//   take `{"prismaSchema": [[path, content], ...], "noColor": true}`; without `noColor` the
//   messages carry ANSI colour codes.
// - `lint` takes the schema itself, JSON-encoded: either `[[path, content], ...]` or a bare
//   JSON string (then the file is called "schema.prisma"). Handing it `{"prismaSchema": ...}`
//   panics ("unreachable"); handing it an unencoded string panics too.
// - `lint` returns a JSON list of {file_name, start, end, text, is_warning}. start/end are
//   offsets into *that file's* content (file_name says which file) counted in **UTF-16 code
//   units**, i.e. JavaScript string indices, not UTF-8 bytes and not code points: after
//   "// 😀😀😀\n" an error starts at 38, where bytes would say 44 and code points 35. (The
//   language server feeds them straight to `TextDocument.positionAt`.) `text` is the message
//   alone, without location; its first line is the whole message in every case we have seen.
// - `lint` does not sort: datasource/generator errors (e.g. Prisma 7's "The datasource property
//   `url` is no longer supported") come after the model errors even when they sit above them.
// - `validate` returns nothing when the schema is valid and *throws* a JSON string
//   {"error_code": "P1012", "message": "error: ...\n  -->  file:line\n ... Validation Error
//   Count: N"} otherwise. It reports the same errors as `lint` (not the warnings).
// - `get_dmmf` throws like `validate` on an invalid schema; on a valid one it returns
//   {datamodel, schema, mappings} (25 MB for cal.com). `get_datamodel` returns the same
//   `datamodel` object alone, much cheaper, so this script uses it.
// - `get_config` never throws for validation errors: it returns {config: {generators,
//   datasources, warnings}, errors: [{file_name, message}]} and only checks the
//   datasource/generator blocks.
// - A Rust panic surfaces as a RuntimeError ("unreachable") after the panic hook calls
//   `globalThis.PRISMA_WASM_PANIC_REGISTRY.set_message(msg)`; without that global the hook
//   itself fails with a TypeError. This script installs the registry, reports the message in
//   "panic" and reloads the module so one bad request cannot poison the rest of the batch.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const MODULE = '@prisma/prisma-schema-wasm';

let lastPanic = null;
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message) { lastPanic = message; },
  get() { return lastPanic; },
};

function load() {
  for (const key of Object.keys(require.cache)) {
    if (key.includes(`${path.sep}prisma-schema-wasm${path.sep}`)) delete require.cache[key];
  }
  return require(MODULE);
}

let wasm = load();

const ALL_OPS = ['lint', 'validate', 'config', 'datamodel'];
// 'debug_panic' makes the wasm panic on purpose: the tests use it to check the recovery path.
const KNOWN_OPS = [...ALL_OPS, 'debug_panic'];

function parseArgs(argv) {
  let ops = ALL_OPS;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--ops') ops = argv[++i].split(',').filter(Boolean);
    else if (argv[i] === '--version') {
      process.stdout.write(`${require(`${MODULE}/package.json`).version}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument: ${argv[i]}\n`);
      process.exit(2);
    }
  }
  for (const op of ops) {
    if (!KNOWN_OPS.includes(op)) {
      process.stderr.write(`unknown op: ${op} (expected some of ${ALL_OPS.join(',')})\n`);
      process.exit(2);
    }
  }
  return ops;
}

class Panic extends Error {}

function call(fn) {
  lastPanic = null;
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError || lastPanic !== null) {
      const message = lastPanic ?? String(e?.message ?? e);
      throw new Panic(message);
    }
    return { error: e };
  }
}

function errorMessage(e) {
  // validate/get_dmmf throw a JSON string {"error_code", "message"}; anything else is passed on.
  const raw = typeof e === 'string' ? e : String(e?.message ?? e);
  try {
    const parsed = JSON.parse(raw);
    if (parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through
  }
  return raw;
}

function runOne(request, defaultOps) {
  const files = request.files;
  if (!Array.isArray(files)) throw new Error('request without "files"');
  const ops = request.ops ?? defaultOps;
  const params = JSON.stringify({ prismaSchema: files, noColor: true });
  const result = { datamodel: null, lint: null, validate_error: null, config: null };
  if (ops.includes('debug_panic')) {
    const r = call(() => wasm.debug_panic());
    if (r.error) throw r.error;
  }
  if (ops.includes('lint')) {
    const r = call(() => wasm.lint(JSON.stringify(files)));
    if (r.error) throw r.error;
    result.lint = JSON.parse(r.value);
  }
  if (ops.includes('validate')) {
    const r = call(() => wasm.validate(params));
    result.validate_error = r.error === undefined ? null : errorMessage(r.error);
  }
  if (ops.includes('config')) {
    const r = call(() => wasm.get_config(params));
    result.config = r.error === undefined ? JSON.parse(r.value) : { config: null, errors: [{ file_name: null, message: errorMessage(r.error) }] };
  }
  if (ops.includes('datamodel')) {
    const r = call(() => wasm.get_datamodel(params));
    result.datamodel = r.error === undefined ? JSON.parse(r.value) : null;
  }
  return result;
}

const defaultOps = parseArgs(process.argv.slice(2));
const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
if (!Array.isArray(requests)) {
  process.stderr.write('stdin must hold a JSON array of requests\n');
  process.exit(2);
}
const results = [];
for (const request of requests) {
  try {
    results.push(runOne(request, defaultOps));
  } catch (e) {
    if (!(e instanceof Panic)) throw e;
    results.push({ datamodel: null, lint: null, validate_error: null, config: null, panic: e.message });
    wasm = load();
  }
}
// process.stdout.write on a pipe is flushed before Node exits (we never call process.exit here).
process.stdout.write(`${JSON.stringify(results)}\n`);
