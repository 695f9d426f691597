"""Every PostgreSQL lock fact in `codegen/dialects/postgresql_locks.py` against a real PostgreSQL.

The migration rules (DB2xx) and the hover state these facts; here each one is run. `CASES`
maps every `LockFact` in the module (found by looking, so a new fact without a case fails
`test_every_fact_has_a_case`) to statements it is stated for, each run on a table of
`ROWS` rows (with an index; a referenced table, partitions, ... as the statement needs) in
a schema of its own inside the module's scratch database.

What is proved, and how:
- **Lock.** In a transaction (`BEGIN; DDL;`), before it ends, `pg_locks` (this backend,
  relation locks, by the oids read before the statement, so a dropped or renamed table is
  still found) gives the modes held on the table the fact is about; the strongest must be the
  fact's `lock`. Facts on "both tables" (foreign keys) are checked on the referenced table
  too. `ALTER INDEX ... RENAME` is checked on the index (the hover names the index's lock).
  Statements that cannot run in a transaction (`CREATE / DROP INDEX CONCURRENTLY`, `REINDEX
  ... CONCURRENTLY`, `VACUUM FULL`) run in a thread while another connection holds an open
  transaction that has inserted into the table: they wait (for that transaction, or for
  their lock), and `pg_locks` for their pid (granted or waiting) at that moment gives the
  mode. That is one moment of the statement: the phases after it re-take the same lock.
- **Rewrite.** `pg_relation_filenode` before and after: a rewrite is a new file that holds
  the rows (TRUNCATE's new file is empty: not a rewrite; a dropped table has none).
- **Scan** (rows read): `pg_stat_get_xact_tuples_returned` for the table, before and after
  the statement in its transaction (the backend's own pending counts: nothing else moves
  them). A fact with `scan` or `rewrite` must read at least `ROWS` tuples; any other must
  read none at all (so "a catalog change" is proved too). For the out-of-transaction
  statements the runner connection reads its own pending plus flushed counts in one query
  before and after (no other backend reads the table; autovacuum is off for it).
  Independently of the counters, for every validation (ADD CHECK / FOREIGN KEY / UNIQUE /
  PRIMARY KEY, SET NOT NULL, VALIDATE CONSTRAINT, a unique index build, concurrent or not) a
  violating row inserted last makes the statement fail, and the `NOT VALID` forms succeed
  with that row present.
- **BLOCKS.** For each lock mode `BLOCKS` describes, another connection holds `LOCK TABLE ...
  IN <mode> MODE` and probes run with `lock_timeout = '100ms'`: what the words say is
  blocked times out, what they say goes on goes on (`CLAIMS`, which must equal `BLOCKS`'s
  text). Three facts are also shown with their own statement holding the lock: CREATE INDEX
  (SHARE: SELECT goes on, INSERT waits), ADD COLUMN (ACCESS EXCLUSIVE: SELECT waits),
  VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE: INSERT goes on).
- The helpers that pick a fact (`alter_type`, `add_column`, `rename_index`) are called as
  the rules call them, with the parsed statement, the column's old type (read from the
  database), and the running server's version; a case states which constant it expects
  them to pick. `NON_VOLATILE_FUNCTIONS` is checked against `pg_proc.provolatile`.
- The notes in the facts' docstrings: dropping a foreign key (or its table) locks the
  referenced table too; `PRIMARY KEY USING INDEX` on a nullable column reads every row.

Not proved here: the PostgreSQL 11- branches (`rename_index` before 12 takes ACCESS
EXCLUSIVE; `add_column` before 11 rewrites for any default), which need an old server; the
lock of the concurrent statements' later phases (only the moment they wait is seen); and
the in-place type changes `alter_type` states as rewrites on purpose (`timestamp` to
`timestamptz` in a UTC session, a `USING` that is the column itself).
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from schemasense.codegen.ddl import statements as ops
from schemasense.codegen.dialects import postgresql_locks as locks
from schemasense.codegen.dialects.postgresql_locks import BLOCKS, LockFact
from schemasense.server.migrations.sql.postgresql import parse_sql
from schemasense.server.verify.databases import connect

ROWS = 100

BASE = f"""
CREATE TABLE parent (id int PRIMARY KEY, code int NOT NULL UNIQUE);
INSERT INTO parent SELECT g, g FROM generate_series(1, {ROWS}) g;
CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(20), note text, n numeric(10, 2))
    WITH (autovacuum_enabled = off);
INSERT INTO t SELECT g, g, 'b' || g, 'n', g FROM generate_series(1, {ROWS}) g;
CREATE INDEX t_a ON t (a);
"""

MODES = {
    "AccessShareLock": (1, "ACCESS SHARE"),
    "RowShareLock": (2, "ROW SHARE"),
    "RowExclusiveLock": (3, "ROW EXCLUSIVE"),
    "ShareUpdateExclusiveLock": (4, "SHARE UPDATE EXCLUSIVE"),
    "ShareLock": (5, "SHARE"),
    "ShareRowExclusiveLock": (6, "SHARE ROW EXCLUSIVE"),
    "ExclusiveLock": (7, "EXCLUSIVE"),
    "AccessExclusiveLock": (8, "ACCESS EXCLUSIVE"),
}


@dataclass(frozen=True)
class Env:
    """What a helper needs to pick a fact the way the rules do."""

    ddl: str
    version: tuple[int, ...]
    old_type: Callable[[str], str]
    """A column of `t` -> its type before the statement (`format_type`, lower case)."""


@dataclass(frozen=True)
class Case:
    ddl: str
    setup: str = ""
    on: str = "t"
    """The relation the fact is stated about."""
    both: tuple[str, ...] = ()
    """Other tables the fact names (`tables="both tables"`)."""
    violation: str | None = None
    """SQL (run before `setup`) that leaves a row the statement must reject; for a `NOT
    VALID` form, one it must accept."""
    pick: Callable[[Env], LockFact] | None = None
    """How a rule or the hover picks the fact for this statement (None: the constant)."""
    in_transaction: bool = True


def _actions(ddl: str) -> list[ops.TableChange]:
    return [a for s in parse_sql(ddl) for op in s.ops for a in getattr(op, "changes", ())]


def by_alter_type(env: Env) -> LockFact:
    (action,) = [a for a in _actions(env.ddl) if isinstance(a, ops.AlterColumnType)]
    return locks.alter_type(action.type.native, action.using, env.old_type(action.name))


def by_add_column(env: Env) -> LockFact:
    (action,) = [a for a in _actions(env.ddl) if isinstance(a, ops.AddColumn)]
    return locks.add_column(action.column, at_least_11=env.version >= (11,))


def by_rename_index(env: Env) -> LockFact:
    return locks.rename_index(env.version)


NOT_VALID_CHECK = "ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID"
NOT_VALID_FK = (
    "ALTER TABLE t ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES parent (code) NOT VALID"
)
NEGATIVE_A = "INSERT INTO t (id, a) VALUES (1001, -1)"
DANGLING_A = "INSERT INTO t (id, a) VALUES (1001, 999)"
DUPLICATE_A = "INSERT INTO t (id, a) VALUES (1001, 1)"
NULL_A = "INSERT INTO t (id, a) VALUES (1001, NULL)"
PARTITIONS = f"""
CREATE TABLE m (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (1000);
INSERT INTO m SELECT g, g FROM generate_series(1, {ROWS}) g;
"""

CASES: dict[str, list[Case]] = {
    "CREATE_INDEX": [
        Case("CREATE INDEX t_b ON t (b)"),
        Case("CREATE UNIQUE INDEX t_a_u ON t (a)", violation=DUPLICATE_A),
    ],
    "CREATE_INDEX_CONCURRENTLY": [
        Case("CREATE INDEX CONCURRENTLY t_b ON t (b)", in_transaction=False),
        Case(
            "CREATE UNIQUE INDEX CONCURRENTLY t_a_u ON t (a)",
            violation=DUPLICATE_A,
            in_transaction=False,
        ),
    ],
    "DROP_INDEX": [Case("DROP INDEX t_a")],
    "DROP_INDEX_CONCURRENTLY": [Case("DROP INDEX CONCURRENTLY t_a", in_transaction=False)],
    "ADD_FOREIGN_KEY": [
        Case(
            "ALTER TABLE t ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES parent (code)",
            both=("parent",),
            violation=DANGLING_A,
        )
    ],
    "ADD_FOREIGN_KEY_NOT_VALID": [Case(NOT_VALID_FK, both=("parent",), violation=DANGLING_A)],
    "VALIDATE": [
        Case(
            "ALTER TABLE t VALIDATE CONSTRAINT t_a_pos",
            setup=NOT_VALID_CHECK,
            violation=NEGATIVE_A,
        ),
        Case("ALTER TABLE t VALIDATE CONSTRAINT t_a_fk", setup=NOT_VALID_FK, violation=DANGLING_A),
    ],
    "ADD_CHECK": [Case("ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0)", violation=NEGATIVE_A)],
    "ADD_CHECK_NOT_VALID": [Case(NOT_VALID_CHECK, violation=NEGATIVE_A)],
    "ADD_UNIQUE": [Case("ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)", violation=DUPLICATE_A)],
    "ADD_PRIMARY_KEY": [
        Case(
            "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a)",
            setup="ALTER TABLE t DROP CONSTRAINT t_pkey",
            violation=DUPLICATE_A,
        )
    ],
    "SET_NOT_NULL": [Case("ALTER TABLE t ALTER COLUMN a SET NOT NULL", violation=NULL_A)],
    "ALTER_TYPE_REWRITE": [
        Case("ALTER TABLE t ALTER COLUMN a TYPE bigint", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN a TYPE text", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN b TYPE varchar(10)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN b TYPE text USING upper(b)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN note TYPE varchar(50)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN n TYPE numeric(12, 3)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN n TYPE numeric(8, 2)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN n TYPE float8", pick=by_alter_type),
    ],
    "ALTER_TYPE": [
        Case("ALTER TABLE t ALTER COLUMN b TYPE text", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN b TYPE varchar", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN b TYPE varchar(30)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN b TYPE varchar(20)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN note TYPE varchar", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN n TYPE numeric(12, 2)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN n TYPE decimal(10, 2)", pick=by_alter_type),
        Case("ALTER TABLE t ALTER COLUMN n TYPE numeric", pick=by_alter_type),
    ],
    "ADD_COLUMN_REWRITE": [
        Case("ALTER TABLE t ADD COLUMN r float8 DEFAULT random()", pick=by_add_column),
        Case("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()", pick=by_add_column),
        Case(
            "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp()", pick=by_add_column
        ),
        Case("ALTER TABLE t ADD COLUMN s serial", pick=by_add_column),
        Case("ALTER TABLE t ADD COLUMN i int GENERATED BY DEFAULT AS IDENTITY", pick=by_add_column),
        Case(
            "ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED",
            pick=by_add_column,
        ),
    ],
    "ADD_COLUMN": [
        Case("ALTER TABLE t ADD COLUMN z int", pick=by_add_column),
        Case("ALTER TABLE t ADD COLUMN z int NOT NULL DEFAULT 0", pick=by_add_column),
        Case("ALTER TABLE t ADD COLUMN z text DEFAULT NULL", pick=by_add_column),
        Case("ALTER TABLE t ADD COLUMN z timestamptz NOT NULL DEFAULT now()", pick=by_add_column),
        Case("ALTER TABLE t ADD COLUMN z text DEFAULT lower('X')", pick=by_add_column),
    ],
    "BRIEF": [Case("ALTER TABLE t ALTER COLUMN a DROP DEFAULT")],
    "REINDEX": [Case("REINDEX TABLE t"), Case("REINDEX INDEX t_a")],
    "REINDEX_CONCURRENTLY": [
        Case("REINDEX TABLE CONCURRENTLY t", in_transaction=False),
        Case("REINDEX INDEX CONCURRENTLY t_a", in_transaction=False),
    ],
    "DETACH_PARTITION": [Case("ALTER TABLE m DETACH PARTITION m1", setup=PARTITIONS, on="m")],
    "TABLE_REWRITE": [
        Case("CLUSTER t USING t_pkey"),
        Case("VACUUM FULL t", in_transaction=False),
    ],
    "DROP_COLUMN": [Case("ALTER TABLE t DROP COLUMN note")],
    "SET_DEFAULT": [
        Case("ALTER TABLE t ALTER COLUMN a SET DEFAULT 5"),
        Case(
            "ALTER TABLE t ALTER COLUMN a DROP DEFAULT",
            setup="ALTER TABLE t ALTER COLUMN a SET DEFAULT 5",
        ),
    ],
    "DROP_NOT_NULL": [
        Case(
            "ALTER TABLE t ALTER COLUMN a DROP NOT NULL",
            setup="ALTER TABLE t ALTER COLUMN a SET NOT NULL",
        )
    ],
    "RENAME": [
        Case("ALTER TABLE t RENAME TO t2"),
        Case("ALTER TABLE t RENAME COLUMN note TO memo"),
        Case("ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_pk"),
    ],
    "RENAME_INDEX": [Case("ALTER INDEX t_a RENAME TO t_a2", on="t_a", pick=by_rename_index)],
    "ADD_CONSTRAINT_USING_INDEX": [
        Case(
            "ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE USING INDEX t_b_key",
            setup="CREATE UNIQUE INDEX t_b_key ON t (b)",
        ),
        Case(  # id is NOT NULL already (dropping the key keeps that)
            "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id",
            setup="ALTER TABLE t DROP CONSTRAINT t_pkey; CREATE UNIQUE INDEX t_id ON t (id)",
        ),
    ],
    "DROP_CONSTRAINT": [
        Case(
            "ALTER TABLE t DROP CONSTRAINT t_a_pos",
            setup="ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0)",
        ),
        Case("ALTER TABLE t DROP CONSTRAINT t_pkey"),
    ],
    "DROP_TABLE": [Case("DROP TABLE t")],
    "TRUNCATE": [Case("TRUNCATE t")],
    "CREATE_TABLE_REFERENCES": [
        Case("CREATE TABLE child (id int PRIMARY KEY, p int REFERENCES parent)", on="parent"),
        Case(
            "CREATE TABLE child (id int PRIMARY KEY, c int,"
            " FOREIGN KEY (c) REFERENCES parent (code))",
            on="parent",
        ),
    ],
}

EXCLUDED: dict[str, str] = {}
"""Facts with no case, each with the reason (none so far)."""


def module_facts() -> dict[str, LockFact]:
    return {name: v for name, v in vars(locks).items() if isinstance(v, LockFact)}


def test_every_fact_has_a_case():
    facts = set(module_facts())
    assert not set(CASES) & set(EXCLUDED)
    assert facts - set(CASES) - set(EXCLUDED) == set(), "a LockFact with no case"
    assert set(CASES) | set(EXCLUDED) <= facts, "a case for a fact that is gone"
    assert all(CASES.values())


# -- the database ---------------------------------------------------------------------------------


@pytest.fixture
def db(postgres_url: str) -> Iterator[Callable[[], psycopg.Connection]]:
    """Connections (autocommit) to a schema of this test's own in the module's scratch
    database; the schema is dropped at the end."""
    schema = f"lock_{secrets.token_hex(4)}"
    opened: list[psycopg.Connection] = []

    def open_() -> psycopg.Connection:
        conn = connect(postgres_url)
        conn.execute(f"SET search_path = {schema}")
        opened.append(conn)
        return conn

    admin = connect(postgres_url)
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield open_
    finally:
        for conn in opened:
            with contextlib.suppress(Exception):
                conn.close()
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def server_version(conn: psycopg.Connection) -> tuple[int, ...]:
    num = int(conn.execute("SHOW server_version_num").fetchone()[0])
    return (num // 10000, num % 10000)


def run_script(conn: psycopg.Connection, sql: str) -> None:
    if sql.strip():
        conn.execute(sql)


def oid(conn: psycopg.Connection, relation: str) -> int:
    return conn.execute("SELECT %s::regclass::oid", (relation,)).fetchone()[0]


def held_modes(conn: psycopg.Connection, pid: int, relation: int) -> list[str]:
    rows = conn.execute(
        "SELECT l.mode FROM pg_locks l WHERE l.pid = %s AND l.locktype = 'relation' "
        "AND l.relation = %s "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (pid, relation),
    ).fetchall()
    return [r[0] for r in rows]


def strongest(modes: list[str]) -> str | None:
    return MODES[max(modes, key=lambda m: MODES[m][0])][1] if modes else None


def file_state(conn: psycopg.Connection, relation: int) -> tuple[Any, int]:
    """(filenode, size in bytes) of a relation (None, 0 when it has no file or is gone)."""
    node, size = conn.execute(
        "SELECT pg_relation_filenode(%s::oid), coalesce(pg_relation_size(%s::oid), 0)",
        (relation, relation),
    ).fetchone()
    return node, size


def rewritten(before: tuple[Any, int], after: tuple[Any, int]) -> bool:
    """A new file that holds the rows."""
    return after[0] is not None and after[0] != before[0] and after[1] > 0


def tuples_read(conn: psycopg.Connection, relation: int) -> int:
    """Tuples this backend's scans returned from `relation`: its pending counts plus what has
    been flushed (all of it this backend's, when no other backend reads the table)."""
    return conn.execute(
        "SELECT pg_stat_get_xact_tuples_returned(%s) + pg_stat_get_tuples_returned(%s)",
        (relation, relation),
    ).fetchone()[0]


@dataclass
class Seen:
    locks: dict[str, str | None]
    """Relation -> the strongest mode the statement held (or waited for) on it."""
    rewritten: bool
    read: int


def expected(name: str, case: Case, env: Env) -> LockFact:
    fact = module_facts()[name]
    if case.pick is not None:
        picked = case.pick(env)
        assert picked is fact, f"{case.ddl!r}: the helper picks {picked}, the case says {name}"
    return fact


def old_type_reader(conn: psycopg.Connection) -> Callable[[str], str]:
    def old_type(column: str) -> str:
        return conn.execute(
            "SELECT lower(format_type(atttypid, atttypmod)) FROM pg_attribute "
            "WHERE attrelid = 't'::regclass AND attname = %s",
            (column,),
        ).fetchone()[0]

    return old_type


def observe_in_transaction(conn: psycopg.Connection, case: Case) -> Seen:
    relations = {r: oid(conn, r) for r in (case.on, *case.both)}
    target = relations[case.on]
    conn.execute("BEGIN")
    try:
        before_file = file_state(conn, target)
        before_read = tuples_read(conn, target)
        conn.execute(case.ddl)
        pid = conn.info.backend_pid
        seen_locks = {r: strongest(held_modes(conn, pid, o)) for r, o in relations.items()}
        after_read = tuples_read(conn, target)
        after_file = file_state(conn, target)
    finally:
        conn.execute("ROLLBACK")
    return Seen(seen_locks, rewritten(before_file, after_file), after_read - before_read)


def wait_until(predicate: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.02)


def observe_concurrently(
    open_: Callable[[], psycopg.Connection], runner: psycopg.Connection, case: Case
) -> Seen:
    """Run a statement that cannot be in a transaction (on `runner`, which made the tables:
    every read of them is its own) while `holder` keeps a transaction open that inserted
    into the table: read the locks of the runner's backend while it waits."""
    observer, holder = open_(), open_()
    target = oid(observer, case.on)
    before_file = file_state(observer, target)
    before_read = tuples_read(runner, target)
    holder.execute("BEGIN")
    holder.execute("INSERT INTO t (id) VALUES (100000)")
    pid = runner.info.backend_pid
    failure: list[BaseException] = []

    def run() -> None:
        try:
            runner.execute(case.ddl)
        except BaseException as exc:  # reported by the test thread
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        wait_until(
            lambda: bool(
                observer.execute("SELECT cardinality(pg_blocking_pids(%s))", (pid,)).fetchone()[0]
            ),
            f"{case.ddl!r} waits for the open transaction",
        )
        modes = held_modes(observer, pid, target)
    finally:
        holder.execute("ROLLBACK")
        thread.join(30)
    assert not thread.is_alive(), f"{case.ddl!r} did not finish"
    assert not failure, failure
    after_read = tuples_read(runner, target)
    after_file = file_state(observer, target)
    return Seen(
        {case.on: strongest(modes)}, rewritten(before_file, after_file), after_read - before_read
    )


def all_cases() -> Iterator[Any]:
    for name, cases in CASES.items():
        for i, case in enumerate(cases):
            yield pytest.param(name, case, id=f"{name}-{i}:{case.ddl[:60]}")


@pytest.mark.parametrize(("name", "case"), list(all_cases()))
def test_lock_rewrite_scan(db, name: str, case: Case):
    conn = db()
    run_script(conn, BASE)
    run_script(conn, case.setup)
    env = Env(case.ddl, server_version(conn), old_type_reader(conn))
    fact = expected(name, case, env)
    if case.in_transaction:
        seen = observe_in_transaction(conn, case)
    else:
        seen = observe_concurrently(db, conn, case)

    assert seen.locks[case.on] == fact.lock, f"{case.ddl!r} on {case.on}"
    if fact.tables == "both tables":
        assert case.both, "a fact on both tables needs the other one named"
    for other in case.both:
        assert seen.locks[other] == fact.lock, f"{case.ddl!r} on {other}"
    assert seen.rewritten == fact.rewrite, f"{case.ddl!r}: rewrite"
    if fact.scan or fact.rewrite:
        assert seen.read >= ROWS, f"{case.ddl!r}: read {seen.read} tuples of {ROWS}"
    else:
        assert seen.read == 0, f"{case.ddl!r}: read {seen.read} tuples, claimed none"


VIOLATION_CASES = [
    pytest.param(name, case, id=f"{name}:{case.ddl[:60]}")
    for name, cases in CASES.items()
    for case in cases
    if case.violation
]


@pytest.mark.parametrize(("name", "case"), VIOLATION_CASES)
def test_a_violating_row_is_found_iff_the_fact_scans(db, name: str, case: Case):
    """The violating row is the last one in the table: a statement that fails on it read
    the table through to it; a NOT VALID form goes through without looking."""
    fact = module_facts()[name]
    conn = db()
    run_script(conn, BASE)
    run_script(conn, case.violation or "")
    run_script(conn, case.setup)
    if fact.scan:
        with pytest.raises(psycopg.errors.IntegrityError):
            if case.in_transaction:
                with conn.transaction():
                    conn.execute(case.ddl)
            else:
                conn.execute(case.ddl)
    else:
        with conn.transaction():
            conn.execute(case.ddl)


# -- what the facts' docstrings add in parentheses ----------------------------------------------

WITH_FK = "ALTER TABLE t ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES parent (code)"


@pytest.mark.parametrize(
    "ddl", ["ALTER TABLE t DROP CONSTRAINT t_a_fk", "DROP TABLE t"], ids=["constraint", "table"]
)
def test_dropping_a_foreign_key_locks_the_referenced_table_too(db, ddl: str):
    """DROP_CONSTRAINT's and DROP_TABLE's notes: the referenced table is locked as well."""
    conn = db()
    run_script(conn, BASE)
    run_script(conn, WITH_FK)
    seen = observe_in_transaction(conn, Case(ddl, both=("parent",)))
    assert seen.locks == {"t": "ACCESS EXCLUSIVE", "parent": "ACCESS EXCLUSIVE"}


def test_primary_key_using_index_on_a_nullable_column_scans(db):
    """ADD_CONSTRAINT_USING_INDEX's note: it builds nothing, but a PRIMARY KEY on a column
    that may hold NULL sets NOT NULL, which reads every row (SET_NOT_NULL)."""
    conn = db()
    run_script(conn, BASE)
    run_script(conn, "ALTER TABLE t DROP CONSTRAINT t_pkey; CREATE UNIQUE INDEX t_a_u ON t (a)")
    seen = observe_in_transaction(
        conn, Case("ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_a_u")
    )
    assert seen.locks == {"t": locks.SET_NOT_NULL.lock}
    assert not seen.rewritten and seen.read >= ROWS


# -- helpers: their inputs the rules don't see in CASES ------------------------------------------


def test_rename_index_fact_for_the_running_version(db):
    """The hover asks `rename_index` with the configured version: on this server's version it
    must be the lock the server takes (RENAME_INDEX's case proves it). Before 12 (ACCESS
    EXCLUSIVE) is not testable here."""
    version = server_version(db())
    assert version >= (12,), "this check is for PostgreSQL 12+"
    assert locks.rename_index(version) is locks.RENAME_INDEX
    assert locks.rename_index(None) is locks.RENAME_INDEX


def test_non_volatile_functions_are_not_volatile(db):
    """A default calling a volatile function makes ADD COLUMN rewrite (PostgreSQL checks
    `contain_volatile_functions`); the names `add_column_rewrite` treats as safe must have no
    volatile overload in `pg_proc` (names that are syntax, not functions, e.g.
    `current_timestamp`, `coalesce`, `array`, are absent from it)."""
    conn = db()
    rows = conn.execute(
        "SELECT proname, string_agg(DISTINCT provolatile::text, '') FROM pg_proc "
        "WHERE proname = ANY(%s) GROUP BY proname",
        (sorted(locks.NON_VOLATILE_FUNCTIONS),),
    ).fetchall()
    volatile = {name for name, kinds in rows if "v" in kinds}
    assert volatile == set()
    assert len(rows) >= 20, rows


# -- BLOCKS ---------------------------------------------------------------------------------------

PROBES = {
    "select": ("SELECT count(*) FROM t", True),
    "select for update": ("SELECT id FROM t WHERE id = 1 FOR UPDATE", True),
    "insert": ("INSERT INTO t (id) VALUES (2001)", True),
    "update": ("UPDATE t SET note = 'u' WHERE id = 2", True),
    "delete": ("DELETE FROM t WHERE id = 3", True),
    "create index": ("CREATE INDEX t_note ON t (note)", True),
    "alter table": ("ALTER TABLE t ADD COLUMN z int", True),
    "vacuum": ("VACUUM t", False),
}
"""Name -> (SQL, runs in a transaction that is rolled back)."""

WRITES = {"insert", "update", "delete"}
SCHEMA_CHANGES = {"create index", "alter table"}


@dataclass(frozen=True)
class Claim:
    text: str
    blocked: frozenset[str]
    goes_on: frozenset[str]


CLAIMS = {
    "ACCESS EXCLUSIVE": Claim(
        "blocks every read and write of the table, SELECT included",
        frozenset(PROBES),
        frozenset(),
    ),
    "EXCLUSIVE": Claim(
        "blocks writes and SELECT ... FOR UPDATE / FOR SHARE, not plain reads",
        frozenset(WRITES | {"select for update"} | SCHEMA_CHANGES | {"vacuum"}),
        frozenset({"select"}),
    ),
    "SHARE ROW EXCLUSIVE": Claim(
        "blocks writes (INSERT, UPDATE, DELETE) and other schema changes",
        frozenset(WRITES | SCHEMA_CHANGES | {"vacuum"}),
        frozenset({"select"}),
    ),
    "SHARE": Claim(
        "blocks writes (INSERT, UPDATE, DELETE), not reads",
        frozenset(WRITES),
        frozenset({"select", "select for update"}),
    ),
    "SHARE UPDATE EXCLUSIVE": Claim(
        "blocks other schema changes and VACUUM, not reads or writes",
        frozenset(SCHEMA_CHANGES | {"vacuum"}),
        frozenset({"select", "select for update"} | WRITES),
    ),
}


def test_blocks_has_a_proved_claim_for_every_mode():
    assert set(CLAIMS) == set(BLOCKS)
    for mode, claim in CLAIMS.items():
        assert BLOCKS[mode] == claim.text, mode


def probe(conn: psycopg.Connection, what: str) -> bool:
    """True when the probe went through, False when it hit lock_timeout."""
    sql, in_transaction = PROBES[what]
    try:
        if in_transaction:
            conn.execute("BEGIN")
            try:
                conn.execute(sql)
            finally:
                conn.execute("ROLLBACK")
        else:
            conn.execute(sql)
    except psycopg.errors.LockNotAvailable:
        return False
    return True


def prober(open_: Callable[[], psycopg.Connection]) -> psycopg.Connection:
    conn = open_()
    conn.execute("SET lock_timeout = '100ms'")
    return conn


@pytest.mark.parametrize("mode", sorted(CLAIMS))
def test_what_each_mode_blocks(db, mode: str):
    holder = db()
    run_script(holder, BASE)
    other = prober(db)
    claim = CLAIMS[mode]
    holder.execute("BEGIN")
    try:
        holder.execute(f"LOCK TABLE t IN {mode} MODE")
        went = {what: probe(other, what) for what in sorted(claim.blocked | claim.goes_on)}
    finally:
        holder.execute("ROLLBACK")
    assert {w for w, ok in went.items() if not ok} == claim.blocked
    assert {w for w, ok in went.items() if ok} == claim.goes_on


@pytest.mark.parametrize(
    ("ddl", "setup", "fact", "goes_on", "blocked"),
    [
        ("CREATE INDEX t_b ON t (b)", "", locks.CREATE_INDEX, {"select"}, {"insert"}),
        ("ALTER TABLE t ADD COLUMN z2 int", "", locks.ADD_COLUMN, set(), {"select"}),
        (
            "ALTER TABLE t VALIDATE CONSTRAINT t_a_pos",
            NOT_VALID_CHECK,
            locks.VALIDATE,
            {"select", "insert"},
            {"create index"},
        ),
    ],
    ids=["CREATE_INDEX", "ADD_COLUMN", "VALIDATE"],
)
def test_what_a_statement_blocks_while_it_runs(db, ddl, setup, fact, goes_on, blocked):
    conn = db()
    run_script(conn, BASE)
    run_script(conn, setup)
    other = prober(db)
    claim = CLAIMS[fact.lock]
    assert goes_on <= claim.goes_on and blocked <= claim.blocked
    conn.execute("BEGIN")
    try:
        conn.execute(ddl)
        went = {what: probe(other, what) for what in goes_on | blocked}
    finally:
        conn.execute("ROLLBACK")
    assert went == {**dict.fromkeys(goes_on, True), **dict.fromkeys(blocked, False)}


def test_case_statements_parse():
    """Every statement in CASES is one the migration reader understands (so the rules see
    them as these facts' statements, not as unparsed text)."""
    for cases in CASES.values():
        for case in cases:
            parsed = parse_sql(case.ddl)
            assert parsed and all(p.error is None for p in parsed), case.ddl
