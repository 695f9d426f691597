"""Benchmark: `schemasense check` on cal.com beside Squawk on the same migrations, in one run;
then the agreement with Squawk, rule by rule, on the same statements.

    .venv/bin/python tests/bench/bench_check.py [--runs 5] [--project PATH] [--markdown]
    .venv/bin/python tests/bench/bench_check.py --cache [--runs 5] [--project PATH ...]

With `--cache` (issue 17, item 3): the persistent cache (server/cache/) on a copy of each
project, beside Squawk on the same migration files, interleaved, in one run:
- cold: `check --no-cache` (what every run cost before the cache), and `check` with an empty
  cache (a miss, which records what it reads and writes the entry and the replay state);
- warm: `check` again on unchanged files (the entry is there: a hit);
- +1 migration: `check` after one migration folder is added to a project whose previous state
  is in the cache (the CI case); Squawk lints the N+1 files. The new folder is removed and the
  cache primed again before each such run.
- `schema --migrated`, warm, beside Squawk's lint of the same files.

Timing (cold: a new process each run, as CI runs them):
- schemasense: `python -m schemasense.server check <project> --format json`: the Prisma schema,
  every migration replayed, every rule (design rules on the declared and the migrated schema,
  migration rules on every file);
- squawk: `squawk --reporter json <every migration.sql>` (squawk-cli from PyPI, the version in
  the venv), the same files.
Median, min and max wall time of N runs each, interleaved, and the ratio schemasense / squawk.

Agreement: every finding of both tools is put on the statement it is in (Squawk's line -> the
statement of our parse that holds it), then, for each Squawk rule we map, the statements both
flag, only Squawk flags, and only schemasense flags; with each kind of disagreement counted by
its cause (the statement is on a table created earlier in the same file; the file has one
statement, so Prisma runs it outside a transaction; ...). Squawk runs with its defaults and
with `--assume-in-transaction` (how Prisma runs each file) for the transaction rules.

Not collected by pytest (tests/bench is excluded); no timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CALCOM = Path(os.environ.get("SCHEMASENSE_CORPUS", REPO.parent / "shared" / "corpus")) / "calcom"

MAPPING: dict[str, tuple[str, ...]] = {
    "adding-field-with-default": ("DB206",),
    "adding-foreign-key-constraint": ("DB202",),
    "adding-not-nullable-field": ("DB204",),
    "adding-required-field": ("DB207",),
    "adding-serial-primary-key-field": ("DB208",),
    "ban-concurrent-index-creation-in-transaction": ("DB216",),
    "ban-drop-column": ("DB212",),
    "ban-drop-database": ("DB214",),
    "ban-drop-not-null": ("DB215",),
    "ban-drop-table": ("DB213",),
    "changing-column-type": ("DB209",),
    "constraint-missing-not-valid": ("DB202", "DB203"),
    "disallowed-unique-constraint": ("DB205",),
    "renaming-column": ("DB210",),
    "renaming-table": ("DB211",),
    "require-concurrent-index-creation": ("DB201",),
    "require-concurrent-index-deletion": ("DB217",),
    "transaction-nesting": ("DB218",),
    "ban-uncommitted-transaction": ("DB218",),
    "ban-create-domain-with-constraint": ("DB220",),
    "ban-alter-domain-with-add-constraint": ("DB220",),
    "ban-truncate-cascade": ("DB219",),
    "require-lock-timeout": ("DB222",),
    "require-concurrent-partition-detach": ("DB223",),
    "require-concurrent-reindex": ("DB224",),
    "prefer-repack": ("DB225",),
    "syntax-error": ("DB050",),
}
"""Squawk rule -> the schemasense codes that cover it, compared statement by statement."""

SCHEMA_LEVEL = {
    "prefer-timestamp-tz": "DB105",
    "prefer-bigint-over-int": "DB108",
    "ban-char-field": "DB113",
    "identifier-too-long": "DB106",
}
"""Squawk rules about column types, which schemasense checks once per column of the schema
(declared, else migrated) rather than per statement: compared by count only."""


def _squawk() -> str:
    found = shutil.which("squawk", path=str(Path(sys.executable).parent)) or shutil.which("squawk")
    if found is None:
        sys.exit("squawk not found: pip install squawk-cli")
    return found


def _files(project: Path) -> list[str]:
    return sorted(str(p) for p in project.rglob("migration.sql") if "node_modules" not in p.parts)


def _time(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system of the child) and stdout of one cold run. Output
    goes to a file, not a pipe, so reading 3,000 findings does not count."""
    import resource
    import tempfile

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        done = subprocess.run(
            cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE, text=True, check=False, env=_ENV
        )
        elapsed = time.perf_counter() - started
        out.seek(0)
        stdout = out.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, cpu, stdout


_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Python writes and reads its bytecode caches, as on a user's machine (pip compiles an
installed wheel's modules; an editable install compiles them on first use). With
PYTHONDONTWRITEBYTECODE set, as in some sandboxes, every run would compile 150 modules."""


def timing(project: Path, runs: int) -> tuple[dict[str, list[float]], str, str]:
    squawk = _squawk()
    files = _files(project)
    ours = [sys.executable, "-m", "schemasense.server", "check", str(project), "--format", "json"]
    theirs = [squawk, "--reporter", "json", *files]
    times: dict[str, list[tuple[float, float]]] = {"schemasense": [], "squawk": []}
    out_ours = out_theirs = ""
    _time(ours, REPO)  # writes the bytecode caches, if missing; not counted
    for _ in range(runs):
        wall, cpu, out_ours = _time(ours, REPO)
        times["schemasense"].append((wall, cpu))
        wall, cpu, out_theirs = _time(theirs, REPO)
        times["squawk"].append((wall, cpu))
    return times, out_ours, out_theirs


def phases(project: Path) -> dict[str, float]:
    """Wall milliseconds of each phase of one check as the CLI runs it (a fresh interpreter,
    the cyclic GC off as the CLI has it), and the floor below which no Python tool built on
    libpg_query can go: the interpreter's start and parsing the same files with postgast
    alone (its import included), nothing else."""
    files = _files(project)
    code = f"""
import gc, json, time
gc.disable()
t0 = time.perf_counter()
from schemasense.server.workspace.workspace import Workspace
from schemasense.server.render import report_json
from schemasense.server.lint import engine
from schemasense.server.lint.registry import all_rules
all_rules()
t1 = time.perf_counter()
timings = {{}}
run_rules = engine.run_rules
def timed(*a, **k):
    k["timings"] = True
    run = run_rules(*a, **k)
    for key, v in run.timings.items():
        timings[key] = timings.get(key, 0) + v
    return run
engine.run_rules = timed
ws = Workspace([{str(project)!r}], incremental=False)
unit = ws.units_at({str(project)!r})[0]
texts = {{p: ws.text(p) for p in unit.files}}
from schemasense.server.project.config import LoadedConfig
t2 = time.perf_counter()
ws.migrations.links(unit.files, texts, LoadedConfig())
t3 = time.perf_counter()
findings = ws.check_path({str(project)!r})
t4 = time.perf_counter()
items = report_json(findings, {{f.span.file: ws.text(f.span.file) or "" for f in findings}})
"[" + ",".join(json.dumps(i) for i in items) + "]"
t5 = time.perf_counter()
design = sum(v for k, v in timings.items() if k.startswith("DB1"))
migration = sum(v for k, v in timings.items() if k.startswith("DB2"))
drift = sum(v for k, v in timings.items() if k.startswith("DB3"))
rules = design + migration + drift
print(json.dumps({{
  "imports (every rule module too)": t1 - t0,
  "read + replay the migrations": t3 - t2,
  "read + lower the Prisma schema, run the rules": t4 - t3,
  "  of which design rules (DB1xx; the first pays the lowering)": design,
  "  of which migration rules (DB2xx)": migration,
  "  of which drift (DB3xx)": drift,
  "report (json)": t5 - t4,
}}))
"""
    env = _ENV
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    out = {k: v * 1000 for k, v in json.loads(done.stdout).items()}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
    out["floor: interpreter start (python -c pass)"] = (time.perf_counter() - started) * 1000
    floor = (
        "import sys, postgast\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        postgast.parse(open(path, encoding='utf-8').read())\n"
        "    except Exception:\n"
        "        pass\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", floor, *files], check=True, env=env)
    out["floor: start + import postgast + parse every file"] = (
        time.perf_counter() - started
    ) * 1000
    return out


def _statement_index(project: Path):
    """file -> sorted statement starts (line-based), from our own parse of every file."""
    from schemasense.server.lint.context import MigrationContext
    from schemasense.server.migrations import discover_migrations, replay
    from schemasense.server.positions import LineMap
    from schemasense.server.project.config import Config

    config = Config()
    contexts = [
        MigrationContext.of(replay(mset), config.transaction_for(mset.tool, mset.dialect))
        for mset in discover_migrations(str(project))
    ]
    index = {}
    for m in contexts:
        for f in m.files:
            lines = LineMap(f.text)
            starts = [
                (
                    lines.position(s.span.start, "utf-32")[0],
                    lines.position(s.span.end, "utf-32")[0],
                    s,
                )
                for s in f.statements
            ]
            index[os.path.realpath(f.path)] = starts
    return index, contexts


def _locate(index, path: str, line0: int):
    """The statement of `path` that holds 0-based `line0` (or the next one: Squawk puts a
    statement's finding on its first token, after its comments)."""
    starts = index.get(os.path.realpath(path))
    if not starts:
        return None
    keys = [s[0] for s in starts]
    i = bisect.bisect_right(keys, line0) - 1
    if i >= 0 and starts[i][0] <= line0 <= starts[i][1]:
        return (os.path.realpath(path), i)
    if i + 1 < len(starts):
        return (os.path.realpath(path), i + 1)
    return (os.path.realpath(path), max(i, 0))


def _cause(key, contexts_by_file, squawk_only: bool, code: str) -> str:
    """Why one tool flags a statement and the other does not (best known reason)."""
    from schemasense.codegen.ddl import statements as ops
    from schemasense.server.lint.context import RuleContext
    from schemasense.server.lint.walk import walk

    path, i = key
    m, f = contexts_by_file[path]
    if squawk_only:
        ctx = RuleContext(migrations=[m])
        for stmt, state in walk(ctx, (m.dialect,)):
            if stmt.file != f.path or stmt.index != i:
                continue
            tables = {t for op in stmt.ops for t in _op_tables(op)}
            if tables and all(state.is_new(t) for t in tables):
                return "table created earlier in the same migration"
            if code in ("DB216",) and len(f.statements) == 1:
                return "alone in its file: Prisma runs it outside a transaction"
            if code == "DB222" and state.lock_timeout:
                return "lock_timeout set earlier in the file"
            actions = [a for op in stmt.ops if isinstance(op, ops.AlterTable) for a in op.changes]
            if code in ("DB202", "DB203") and any(
                isinstance(a, ops.AddConstraint) and a.constraint.kind == "primary_key"
                for a in actions
            ):
                return (
                    "ADD PRIMARY KEY, which has no NOT VALID form in PostgreSQL (Squawk is "
                    "wrong to ask for one; schemasense reports the index build as DB208)"
                )
            if code == "DB207" and any(
                isinstance(a, ops.AddColumn) and a.column.type.serial for a in actions
            ):
                return (
                    "a SERIAL column, which has a default (nextval): not a required field "
                    "without one; schemasense reports the table rewrite it causes (DB206)"
                )
            if code == "DB218" and stmt.kind == "transaction":
                return (
                    "the same BEGIN ... COMMIT inside Prisma's transaction: Squawk flags "
                    "the COMMIT, schemasense the BEGIN"
                )
            break
        return "other"
    for stmt in f.statements:
        if stmt.index != i:
            continue
        actions = [a for op in stmt.ops if isinstance(op, ops.AlterTable) for a in op.changes]
        if code == "DB206" and any(
            isinstance(a, ops.AddColumn) and a.column.type.serial for a in actions
        ):
            return (
                "a SERIAL column added to an existing table: its nextval default rewrites "
                "the table (Squawk's rule looks at DEFAULT clauses only)"
            )
        if code == "DB218" and stmt.kind == "transaction":
            return (
                "BEGIN inside the transaction Prisma wraps each file in (one DB218 finding "
                "stands for both Squawk transaction rules)"
            )
    return "other"


FILE_LEVEL = {"require-lock-timeout"}
"""Squawk rules compared per file: both tools report them once per migration."""


def _file_cause(path: str, contexts_by_file) -> str:
    from schemasense.server.lint.context import RuleContext
    from schemasense.server.lint.walk import walk
    from schemasense.server.rules.migration.postgresql.missing_lock_timeout import locked_table

    m, f = contexts_by_file[path]
    ctx = RuleContext(migrations=[m])
    for stmt, state in walk(ctx, (m.dialect,)):
        if stmt.file != f.path:
            continue
        if state.lock_timeout:
            return "lock_timeout set earlier in the file"
        if locked_table(stmt, state) is not None:
            return "other"
    return "locks no table that existed before the migration"


def _op_tables(op) -> list[str]:
    from schemasense.codegen.ddl import statements as ops

    if isinstance(op, ops.AlterTable):
        return [op.qname[1]]
    if isinstance(op, ops.CreateIndex):
        return [op.qname[1]]
    if isinstance(op, ops.DropTable):
        return [op.name]
    if isinstance(op, ops.RenameTable):
        return [op.old]
    return []


def agreement(project: Path, ours_json: str, squawk_json: str, squawk_in_tx_json: str):
    index, contexts = _statement_index(project)
    contexts_by_file = {os.path.realpath(f.path): (m, f) for m in contexts for f in m.files}
    ours = collections.defaultdict(set)
    for item in json.loads(ours_json):
        path = str(REPO / item["path"]) if not os.path.isabs(item["path"]) else item["path"]
        if not path.endswith(".sql"):
            continue
        key = _locate(index, path, item["range"]["start"]["line"] - 1)
        if key is not None:
            ours[item["code"]].add(key)
    rows = []
    counts = collections.Counter()
    for label, data in (("default", squawk_json), ("in-transaction", squawk_in_tx_json)):
        theirs = collections.defaultdict(set)
        for item in json.loads(data):
            key = _locate(index, item["file"], item["line"])
            if key is not None:
                theirs[item["rule_name"]].add(key)
            counts[(label, item["rule_name"])] += 1
        for rule, codes in MAPPING.items():
            if label == "in-transaction" and rule not in (
                "ban-concurrent-index-creation-in-transaction",
                "transaction-nesting",
                "ban-uncommitted-transaction",
            ):
                continue
            a = theirs.get(rule, set())
            b = set().union(*(ours.get(c, set()) for c in codes))
            per_file = rule in FILE_LEVEL
            if per_file:  # one finding per file in both tools, on different statements
                a = {(k[0], 0) for k in a}
                b = {(k[0], 0) for k in b}
            both, only_a, only_b = a & b, a - b, b - a
            causes = collections.Counter(
                _file_cause(k[0], contexts_by_file)
                if per_file
                else _cause(k, contexts_by_file, True, codes[0])
                for k in only_a
            )
            ours_causes = collections.Counter(
                "one finding per file" if per_file else _cause(k, contexts_by_file, False, codes[0])
                for k in only_b
            )
            rows.append(
                (rule, label, codes, len(a), len(b), len(both), len(only_a), len(only_b), causes,
                 ours_causes)
            )  # fmt: skip
    schema_rows = []
    for rule, code in SCHEMA_LEVEL.items():
        schema_rows.append(
            (
                rule,
                code,
                counts[("default", rule)],
                sum(1 for i in json.loads(ours_json) if i["code"] == code),
            )
        )
    return rows, schema_rows


def _median_wall(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{cmd[:4]} failed ({done.returncode}): {done.stderr[-2000:]!r}")
    return elapsed


def cache_timing(source: Path, runs: int) -> dict[str, tuple[float, float]]:
    """(schemasense median, squawk median) seconds for cold, warm, +1 migration, and
    `schema --migrated` warm, on a copy of `source` with a cache of its own."""
    import tempfile

    squawk = _squawk()
    out: dict[str, tuple[list[float], list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as scratch:
        root = Path(scratch) / "project"
        shutil.copytree(source, root)
        env = {**_ENV, "SCHEMASENSE_CACHE_DIR": str(Path(scratch) / "cache")}
        env.pop("SCHEMASENSE_NO_CACHE", None)
        check = [sys.executable, "-m", "schemasense.server", "check", ".", "--format", "json"]
        files = _files(root)
        folders = sorted({str(Path(f).parent.parent) for f in files})
        last = max(files, key=lambda f: Path(f).parent.name)
        probe = Path(folders[-1]) / "99991231000000_bench_probe"
        added_sql = (
            "CREATE TABLE bench_probe (id INTEGER PRIMARY KEY, probe TEXT);\n"
            "CREATE INDEX bench_probe_idx ON bench_probe (probe);\n"
        )

        def add() -> None:
            probe.mkdir()
            (probe / "migration.sql").write_text(added_sql)

        def remove() -> None:
            shutil.rmtree(probe, ignore_errors=True)

        migrated_target = str(Path(last).parent.parent)
        migrated = [
            sys.executable,
            "-m",
            "schemasense.server",
            "schema",
            migrated_target,
            "--migrated",
        ]
        _median_wall(check, root, env)  # bytecode caches, the first entry
        _median_wall(migrated, root, env)
        for _ in range(runs):
            times = out.setdefault("cold (--no-cache)", ([], []))
            times[0].append(_median_wall([*check, "--no-cache"], root, env))
            times[1].append(_median_wall([squawk, "--reporter", "json", *files], root, env))
            shutil.rmtree(Path(scratch) / "cache")
            times = out.setdefault("cold (empty cache: a miss that fills it)", ([], []))
            times[0].append(_median_wall(check, root, env))
            times[1].append(_median_wall([squawk, "--reporter", "json", *files], root, env))
            times = out.setdefault("warm (nothing changed)", ([], []))
            times[0].append(_median_wall(check, root, env))
            times[1].append(_median_wall([squawk, "--reporter", "json", *files], root, env))
            _median_wall(check, root, env)  # the cache holds the state before the new file
            add()
            times = out.setdefault("+1 migration", ([], []))
            times[0].append(_median_wall(check, root, env))
            times[1].append(
                _median_wall(
                    [squawk, "--reporter", "json", *files, str(probe / "migration.sql")], root, env
                )
            )
            remove()
            _median_wall(check, root, env)  # the entry of the files as they are again
            _median_wall(migrated, root, env)
            times = out.setdefault("schema --migrated, warm", ([], []))
            times[0].append(_median_wall(migrated, root, env))
            times[1].append(_median_wall([squawk, "--reporter", "json", *files], root, env))
    return {k: (statistics.median(a), statistics.median(b)) for k, (a, b) in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, action="append")
    parser.add_argument("--cache", action="store_true", help="time the persistent cache")
    args = parser.parse_args()
    if args.cache:
        print("| project | run | schemasense ms | squawk ms | ratio |")
        print("| --- | --- | ---: | ---: | ---: |")
        for project in args.project or [CALCOM]:
            for run, (ours, theirs) in cache_timing(project.resolve(), args.runs).items():
                print(
                    f"| {project.name} | {run} | {ours * 1000:.0f} | {theirs * 1000:.0f} "
                    f"| {ours / theirs:.2f}x |",
                    flush=True,
                )
        return
    project = (args.project or [CALCOM])[0].resolve()
    if not project.is_dir():
        sys.exit(f"{project}: not found (the corpus is ../shared/corpus)")
    files = _files(project)
    print(f"project: {project} ({len(files)} migration files)")
    times, ours, theirs = timing(project, args.runs)
    *_, in_tx = _time([_squawk(), "--reporter", "json", "--assume-in-transaction", *files], REPO)
    med = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    for tool, values in times.items():
        walls = [w for w, _ in values]
        found = len(json.loads(ours if tool == "schemasense" else theirs))
        print(
            f"{tool:12} wall median {med[tool] * 1000:7.1f} ms (min {min(walls) * 1000:7.1f}, "
            f"max {max(walls) * 1000:7.1f})   cpu median {cpu[tool] * 1000:7.1f} ms   "
            f"findings {found}"
        )
    print(
        "ratio schemasense / squawk (cold, median): "
        f"wall {med['schemasense'] / med['squawk']:.1f}x, "
        f"cpu {cpu['schemasense'] / cpu['squawk']:.1f}x"
    )
    print("schemasense phases (wall ms, one in-process run):")
    for name, ms in phases(project).items():
        print(f"  {name:62} {ms:7.1f}")
    rows, schema_rows = agreement(project, ours, theirs, in_tx)
    print()
    print(
        "| Squawk rule | run | schemasense | Squawk | schemasense | both | Squawk only "
        "| schemasense only | why they differ |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for rule, label, codes, a, b, both, only_a, only_b, causes, ours_causes in rows:
        if a == b == 0:
            continue
        why = "; ".join(
            [f"Squawk only: {n} {c}" for c, n in causes.most_common()]
            + [f"schemasense only: {n} {c}" for c, n in ours_causes.most_common()]
        )
        print(
            f"| {rule} | {label} | {'+'.join(codes)} | {a} | {b} | {both} | {only_a} "
            f"| {only_b} | {why} |"
        )
    silent = [r[0] for r in rows if r[3] == r[4] == 0 and r[1] == "default"]
    print(f"\nneither tool fires on {len(silent)} mapped rules: {', '.join(silent)}")
    print(
        "\n| Squawk rule (per statement) | schemasense (per column) | Squawk findings "
        "| schemasense findings |"
    )
    print("| --- | --- | ---: | ---: |")
    for rule, code, a, b in schema_rows:
        print(f"| {rule} | {code} | {a} | {b} |")


if __name__ == "__main__":
    main()
