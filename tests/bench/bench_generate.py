"""Benchmark: generating cal.com's migration from empty, beside Prisma's schema engine.

    .venv/bin/python tests/bench/bench_generate.py [--runs 15] [--schema PATH]

Measured in one run, on the same schema:
- Prisma's engine (`@prisma/schema-engine-wasm` under Node, offline, the stub adapter of
  ../shared/notes/prisma-oracle.md): `migrate diff --from-empty --to-schema --script`, the
  engine created once and the diff run N times (warm); each diff parses and validates the
  schema, computes the SQL schema and renders the script;
- ours, in one Python process with the modules imported (as in the language server or a
  CLI run): the same work, read (parse, validate, lower) + `codegen.diff` + the SQL target,
  with the reader's caches defeated (a new file id each run); the diff + render alone (the
  schema already read, as the editor and the CLI have it); and the editor's case, one model
  edited since the last read (the reader re-reads that block) + diff + render; the best and
  the median of N.

Both scripts are checked equal byte for byte before timing. Prints the figures and the
ratios to the engine (below 1 is faster). Not collected by pytest; no timed assertions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CALCOM = REPO.parent / "shared" / "corpus" / "calcom" / "packages" / "prisma" / "schema.prisma"

ENGINE = r"""
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const [root, schemaFile, runs] = process.argv.slice(2);
(async () => {
  const pkg = path.join(root, 'node_modules/@prisma/schema-engine-wasm');
  const bg = await import(pathToFileURL(path.join(pkg, 'schema_engine_bg.js')).href);
  const bytes = fs.readFileSync(path.join(pkg, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  const fail = { kind: 'postgres', code: '08000', severity: 'ERROR', message: 'stub', detail: null,
                 column: null, hint: null };
  const stub = () => new Proxy({}, { get(_t, prop) {
    if (prop === 'provider') return 'postgres';
    if (prop === 'adapterName') return 'stub-postgres';
    const known = ['connect', 'connectToShadowDb', 'queryRaw', 'executeRaw', 'executeScript',
      'startTransaction', 'dispose', 'getConnectionInfo', 'commit', 'rollback'];
    if (!known.includes(prop)) return undefined;
    const ok = (value) => Promise.resolve({ ok: true, value });
    return (...args) => {
      if (prop === 'connect' || prop === 'connectToShadowDb') return ok(stub());
      if (prop === 'getConnectionInfo') {
        return { ok: true, value: { schemaName: 'public', supportsRelationJoins: false } };
      }
      if (prop === 'dispose') return ok(undefined);
      if (prop === 'queryRaw' && /version\(\)/.test(args[0]?.sql ?? '')) return ok({
        columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0],
        rows: [[true, 'PostgreSQL 16.4 (stub)', 160004]] });
      return Promise.resolve({ ok: false, error: fail });
    };
  } });
  const engine = await bg.SchemaEngine.new({ datamodels: undefined }, () => {}, stub());
  const params = { from: { tag: 'empty' }, to: { tag: 'schemaDatamodel', files: [
    { path: 'schema.prisma', content: fs.readFileSync(schemaFile, 'utf8') }] },
    script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } };
  const times = [];
  let sql = '';
  for (let i = 0; i < Number(runs) + 1; i++) {
    const t = performance.now();
    sql = (await engine.diff(params)).stdout;
    times.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify({ times, sql }));
})().catch((e) => { console.error(String(e?.stack ?? e)); process.exit(1); });
"""


def engine_times(schema_text: str, runs: int, tmp: Path) -> tuple[list[float], str]:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("skipped: node is not on PATH")
    schema_file = tmp / "schema.prisma"
    schema_file.write_text(schema_text, encoding="utf-8")
    script = tmp / "engine.cjs"
    script.write_text(ENGINE, encoding="utf-8")
    proc = subprocess.run(
        [node, str(script), str(REPO), str(schema_file), str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    return [t / 1000 for t in data["times"][1:]], data["sql"]  # the first run is the cold one


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--schema", default=str(CALCOM))
    args = parser.parse_args()
    path = Path(args.schema)
    if not path.is_file():
        print(f"skipped: {path} is not here (the corpus is absent)")
        return 0
    import tempfile

    from schemasense.codegen.ddl.diff import diff
    from schemasense.codegen.emit.sql.base import render_sql
    from schemasense.codegen.schema import Schema
    from schemasense.server.sources.prisma import read_prisma_schema

    from tests.oracle.prisma import strip_for_prisma7

    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        theirs_times, theirs_sql = engine_times(strip_for_prisma7(text), args.runs, Path(tmp))

    def ours(i: int) -> tuple[str, float, float]:
        start = time.perf_counter()
        schema = read_prisma_schema({f"schema{i}.prisma": text}).schema
        read = time.perf_counter()
        sql = render_sql(
            diff(Schema(provider=schema.provider), schema).operations, "postgresql"
        ).text
        done = time.perf_counter()
        return sql, done - start, done - read

    sql, _, _ = ours(-1)  # warm the imports and code paths once, as a running server has
    assert sql == theirs_sql, "our script differs from the engine's"
    full, diff_only = [], []
    for i in range(args.runs):
        _, total, generated = ours(i)
        full.append(total)
        diff_only.append(generated)

    # the editor's case: the schema was read before, one model changed since (a keystroke)
    model = text.index("model User {")
    incremental = []
    read_prisma_schema({"edited.prisma": text})
    for i in range(args.runs):
        edited = text[:model] + f"// edit {i}\n" + text[model:]
        start = time.perf_counter()
        schema = read_prisma_schema({"edited.prisma": edited}).schema
        render_sql(diff(Schema(provider=schema.provider), schema).operations, "postgresql")
        incremental.append(time.perf_counter() - start)

    def line(label: str, times: list[float]) -> str:
        return (
            f"  {label:<48} best {min(times) * 1000:7.1f} ms   "
            f"median {statistics.median(times) * 1000:7.1f} ms"
        )

    engine_best = min(theirs_times)
    engine_median = statistics.median(theirs_times)
    print(f"cal.com from empty ({path}): {len(sql)} bytes of SQL, identical to the engine's")
    print(line("Prisma's schema engine (wasm, warm)", theirs_times))
    print(line("ours: read + diff + render", full))
    print(line("ours: diff + render (schema already read)", diff_only))
    print(line("ours: re-read after a keystroke + diff + render", incremental))
    print(
        f"ratio read + diff + render / engine:  best {min(full) / engine_best:.2f}   "
        f"median {statistics.median(full) / engine_median:.2f}"
    )
    print(
        f"ratio diff + render / engine:         best {min(diff_only) / engine_best:.2f}   "
        f"median {statistics.median(diff_only) / engine_median:.2f}"
    )
    print(
        f"ratio keystroke + diff + render / engine: best {min(incremental) / engine_best:.2f}"
        f"   median {statistics.median(incremental) / engine_median:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
