"""MySQL / MariaDB online DDL facts: how InnoDB runs one ALTER TABLE action, by server version.

Not a rule: the facts the MySQL migration rules (DB230-DB232) and a migration statement's
hover (`markdown()`) state, kept in one place, as `locks.py` keeps PostgreSQL's.
One function per kind of ALTER TABLE action (`add_column`, `modify_column`, `add_index`, ...)
answers, for that action on an existing InnoDB table (`codegen.ddl.lock_facts.classify` says
which function an operation is; this module knows the databases, not the operation classes):

- the algorithm the server picks when the statement names none: INSTANT (metadata only),
  INPLACE (MariaDB calls it NOCOPY when the table is not rebuilt) or COPY;
- the lock it can run with at best (the default `LOCK=DEFAULT` is the weakest permitted):
  NONE (reads and writes go on), SHARED (writes wait) or EXCLUSIVE (everything waits);
- whether the table is rebuilt (INPLACE with a rebuild, or COPY) or read in full (a scan);
- a short reason, in words a message can use ("adding column `c` at the end").

Sources: the MySQL 8.0 / 8.4 Reference Manual, "Online DDL Operations" (tables for index,
primary key, column, foreign key and table operations; 5.7's manual for 5.7) and MariaDB's
"InnoDB Online DDL Operations with the INSTANT / NOCOPY / INPLACE Alter Algorithm" pages, plus
"Online Schema Change" (MariaDB 11.2+, MDEV-16329: `ALGORITHM=COPY` with `LOCK=NONE`). Every
MariaDB fact below is checked against a real MariaDB 10.11 in
`tests/verify/test_mysql_online_ddl.py` (the prediction is accepted with an explicit
`ALGORITHM=`/`LOCK=`, the next better one refused); MySQL facts are tested from the manual's
tables only.

Assumptions, where the migrations do not say: InnoDB, `ROW_FORMAT=DYNAMIC` (the default since
MySQL 5.7.9 / MariaDB 10.2.2), columns in utf8mb4 (4 bytes a character: Prisma's and both
servers' default), and a server version of MySQL 8.4 / MariaDB 10.11 when `database-version`
is not set (`DEFAULT_VERSION`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Flavour = Literal["mysql", "mariadb"]
Algorithm = Literal["INSTANT", "INPLACE", "COPY"]
Lock = Literal["NONE", "SHARED", "EXCLUSIVE"]

DEFAULT_VERSION: dict[str, tuple[int, ...]] = {"mysql": (8, 4, 0), "mariadb": (10, 11, 0)}
"""The version assumed when none is configured: MySQL 8.4 (the LTS; 8.0.29+ behaves the same
here) and MariaDB 10.11 (the LTS before `ALGORITHM=COPY` learned `LOCK=NONE` in 11.2, so a
copy is assumed to block writes)."""

BLOCKS: dict[str, str] = {
    "NONE": "reads and writes go on",
    "SHARED": "blocks every INSERT, UPDATE and DELETE, not reads",
    "EXCLUSIVE": "blocks every read and write",
}

BYTES_PER_CHAR = 4
"""utf8mb4: a VARCHAR(n) holds up to 4n bytes."""

_RANK = {"INSTANT": 0, "INPLACE": 1, "COPY": 2}
_LOCK_RANK = {"NONE": 0, "SHARED": 1, "EXCLUSIVE": 2}


@dataclass(frozen=True, slots=True)
class Server:
    """The target server: its flavour and version (`assumed` when the config has none)."""

    flavour: Flavour = "mysql"
    version: tuple[int, ...] = DEFAULT_VERSION["mysql"]
    assumed: bool = False

    @classmethod
    def of(cls, flavour: str | None, version: Sequence[int] | None) -> Server:
        kind: Flavour = "mariadb" if flavour == "mariadb" else "mysql"
        if not version:
            return cls(kind, DEFAULT_VERSION[kind], assumed=True)
        return cls(kind, tuple(version))

    @property
    def mariadb(self) -> bool:
        return self.flavour == "mariadb"

    def at_least(self, *wanted: int) -> bool:
        padded = tuple(self.version) + (0,) * (len(wanted) - len(self.version))
        return padded[: len(wanted)] >= wanted

    @property
    def label(self) -> str:
        name = "MariaDB" if self.mariadb else "MySQL"
        number = ".".join(str(p) for p in self.version[:2])
        if self.assumed:
            return f"{name} (assuming {number}; set database-version)"
        return f"{name} {'.'.join(str(p) for p in self.version)}"

    # what each version can do, named once

    @property
    def has_instant(self) -> bool:
        """INSTANT metadata changes (defaults, renames, ENUM values): MySQL 8.0.12+, MariaDB
        10.3.7+ (older servers do the same changes INPLACE without a rebuild)."""
        return self.at_least(10, 3, 7) if self.mariadb else self.at_least(8, 0, 12)

    @property
    def copy_is_online(self) -> bool:
        """MariaDB 11.2+ copies with LOCK=NONE (MDEV-16329); MySQL never does."""
        return self.mariadb and self.at_least(11, 2)


@dataclass(frozen=True, slots=True)
class Online:
    """How the server runs one action."""

    algorithm: Algorithm
    lock: Lock = "NONE"
    rebuild: bool = False
    """The table is rebuilt (INPLACE with a rebuild) or copied (COPY)."""
    reason: str = ""

    @property
    def mariadb_algorithm(self) -> str:
        """The ALGORITHM= value MariaDB names this by (NOCOPY: in place, no rebuild)."""
        if self.algorithm == "INPLACE" and not self.rebuild:
            return "NOCOPY"
        return self.algorithm

    def blocks(self) -> str:
        return BLOCKS[self.lock]

    def what_happens(self, table: str) -> str:
        """`ALGORITHM=COPY, LOCK=SHARED (blocks every INSERT, UPDATE and DELETE, not reads)
        while it copies every row of `T` into a new table`."""
        text = f"ALGORITHM={self.algorithm}, LOCK={self.lock} ({self.blocks()})"
        if self.algorithm == "COPY":
            return f"{text} while it copies every row of `{table}` into a new table"
        if self.rebuild:
            return f"{text} while it rebuilds `{table}` and all its indexes"
        return text

    def markdown(self, table: str) -> str:
        """For a hover: `what_happens()` (the words the DB230-DB232 messages use), whether
        the table is rebuilt, and the metadata lock every algorithm takes."""
        text = self.what_happens(table)
        if self.algorithm == "INSTANT":
            text += "; a metadata change only: the table is not rebuilt"
        elif not self.rebuild:
            text += "; the table is not rebuilt"
        return (
            f"{text}; a brief exclusive metadata lock at the start and the end waits for "
            "open transactions on the table"
        )


def worst(facts: Iterable[Online]) -> Online | None:
    """What a statement of several actions does: the slowest algorithm, the strongest lock
    (MySQL and MariaDB run the whole statement with the weakest algorithm any action needs)."""
    result: Online | None = None
    for fact in facts:
        if result is None:
            result = fact
            continue
        algorithm = max(result.algorithm, fact.algorithm, key=_RANK.__getitem__)
        lock = max(result.lock, fact.lock, key=_LOCK_RANK.__getitem__)
        lead = result if _key(result) >= _key(fact) else fact
        result = Online(algorithm, lock, result.rebuild or fact.rebuild, lead.reason)
    return result


def _key(fact: Online) -> tuple[int, int, int]:
    return (_RANK[fact.algorithm], int(fact.rebuild), _LOCK_RANK[fact.lock])


@dataclass(frozen=True)
class Before:
    """What the migrations say about the table before the statement: its columns in order
    (their last definitions, `codegen.ddl.operations.ColumnDef`s), and the session's
    `foreign_key_checks`."""

    columns: Mapping[str, Any] = field(default_factory=dict)
    foreign_key_checks: bool = True
    adds_primary_key: bool = False
    """The same ALTER TABLE adds a primary key (a DROP PRIMARY KEY with an ADD PRIMARY KEY
    beside it is a rebuild, not a copy)."""

    def column(self, name: str) -> Any | None:
        if name in self.columns:
            return self.columns[name]
        lower = name.lower()
        for key, value in self.columns.items():
            if key.lower() == lower:
                return value
        return None

    @property
    def last_column(self) -> str | None:
        return next(reversed(self.columns), None) if self.columns else None


# -- the classification -----------------------------------------------------------------------


def drop_column(name: str, server: Server) -> Online:
    if server.at_least(10, 4) if server.mariadb else server.at_least(8, 0, 29):
        return Online("INSTANT", reason=f"dropping column `{name}`")
    return Online("INPLACE", rebuild=True, reason=f"dropping column `{name}`")


def set_default(name: str, server: Server, *, dropping: bool = False) -> Online:
    what = "dropping" if dropping else "changing"
    return _metadata(server, f"{what} the default of `{name}`")


def change_type(name: str, server: Server) -> Online:
    """`ALTER COLUMN ... TYPE` (MariaDB's and PostgreSQL's spelling): a copy."""
    return _copy(server, f"changing the type of `{name}`")


def modify_column(name: str, new: Any, server: Server, before: Before) -> Online | None:
    """MODIFY / CHANGE of the column `name` to `new`; None where the migrations never
    declared it."""
    old = before.column(name)
    return None if old is None else _modify(old, new, server, before)


def rename_index(old: str, server: Server) -> Online:
    if server.mariadb:
        return Online("INSTANT", reason=f"renaming index `{old}`")
    return Online("INPLACE", reason=f"renaming index `{old}`")


def table_option(what: str, server: Server) -> Online | None:
    """A table option the facts know (`CONVERT TO CHARACTER SET`), else None."""
    if _CONVERT.match(what):
        return _copy(server, "converting the table to another character set")
    return None


def rename_table(server: Server) -> Online:
    """`RENAME TABLE` / `ALTER TABLE ... RENAME TO`: a data dictionary change. MariaDB
    takes it with LOCK=EXCLUSIVE only ("LOCK=NONE/SHARED is not supported for this
    operation"): brief, as the change is, but every query on the table waits for it."""
    fact = _metadata(server, "renaming the table")
    if server.mariadb:
        return Online(fact.algorithm, "EXCLUSIVE", reason=fact.reason)
    return fact


def create_index(index: Any, server: Server) -> Online:
    """`CREATE [UNIQUE|FULLTEXT] INDEX`: the server maps it to ALTER TABLE ADD INDEX."""
    return add_index(index, server)


_CONVERT = re.compile(r"^\s*CONVERT\s+TO\s+(CHARACTER\s+SET|CHARSET)\b", re.I)


def _metadata(server: Server, reason: str) -> Online:
    """A data dictionary change: INSTANT where the server has it, else INPLACE (no rebuild)."""
    return Online("INSTANT" if server.has_instant else "INPLACE", reason=reason)


def _copy(server: Server, reason: str, *, cascade: bool = False) -> Online:
    """ALGORITHM=COPY: LOCK=SHARED, or LOCK=NONE on MariaDB 11.2+ (not for a table with a
    cascading foreign key, MDEV-29068)."""
    lock: Lock = "NONE" if server.copy_is_online and not cascade else "SHARED"
    return Online("COPY", lock, rebuild=True, reason=reason)


def add_column(column: Any, server: Server, before: Before) -> Online | None:
    name = column.name
    if column.generated is not None:
        return None  # VIRTUAL vs STORED is not in the ops; the two differ (INSTANT vs COPY)
    if column.autoincrement:
        # both: in place with a rebuild, and concurrent DML is not permitted
        return Online(
            "INPLACE", "SHARED", rebuild=True, reason=f"adding AUTO_INCREMENT column `{name}`"
        )
    if any(c.kind in ("primary_key", "unique") for c in column.constraints):
        return Online("INPLACE", rebuild=True, reason=f"adding column `{name}` with a key")
    at_end = column.position is None or (
        column.position[0] == "after"
        and before.last_column is not None
        and (column.position[1] or "").lower() == before.last_column.lower()
    )
    where = "at the end" if at_end else "in the middle"
    reason = f"adding column `{name}` {where}"
    if server.mariadb:
        instant = server.at_least(10, 4) or (at_end and server.at_least(10, 3, 2))
    else:
        instant = server.at_least(8, 0, 29) or (at_end and server.at_least(8, 0, 12))
    if instant:
        return Online("INSTANT", reason=reason)
    return Online("INPLACE", rebuild=True, reason=reason)


def rename_column(old: str, new: str, server: Server) -> Online:
    reason = f"renaming column `{old}` to `{new}`"
    if server.mariadb:
        return _metadata(server, reason)
    # MySQL: INSTANT from 8.0.28, INPLACE (metadata only) before
    return Online("INSTANT" if server.at_least(8, 0, 28) else "INPLACE", reason=reason)


_VARCHAR = re.compile(r"^(var)?(char|binary)\((\d+)\)")


def _bytes(native: str) -> tuple[str, int] | None:
    """(`varchar` or `varbinary`, the maximum length in bytes) of a variable-length type."""
    m = _VARCHAR.match(native)
    if m is None or not m.group(1):
        return None
    per = BYTES_PER_CHAR if m.group(2) == "char" else 1
    return "var" + m.group(2), int(m.group(3)) * per


def _base(native: str) -> str:
    return re.sub(r"\(.*$", "", native)


def _modify(old: Any, new: Any, server: Server, before: Before) -> Online | None:
    """MODIFY / CHANGE: the whole new definition against the old one."""
    name = new.name
    parts: list[Online] = []
    a, b = old.type.native.lower(), new.type.native.lower()
    if a != b:
        parts.append(_type_change(name, a, b, old, new, server))
    if old.autoincrement != new.autoincrement:
        parts.append(_copy(server, f"changing AUTO_INCREMENT on `{name}`"))
    if old.not_null and not new.not_null:
        reason = f"making `{name}` NULL"
        # MariaDB makes it INSTANT only for ROW_FORMAT=REDUNDANT (MDEV-15563)
        parts.append(Online("INPLACE", rebuild=True, reason=reason))
    elif new.not_null and not old.not_null:
        reason = f"making `{name}` NOT NULL"
        parts.append(Online("INPLACE", rebuild=True, reason=reason))
    if _text(old.default) != _text(new.default):
        parts.append(_metadata(server, f"changing the default of `{name}`"))
    if new.name.lower() != old.name.lower():
        parts.append(rename_column(old.name, new.name, server))
    if new.position is not None:
        reason = f"moving column `{name}`"
        if server.mariadb and server.at_least(10, 4):
            parts.append(Online("INSTANT", reason=reason))
        else:
            parts.append(Online("INPLACE", rebuild=True, reason=reason))
    if not parts:
        return _metadata(server, f"restating `{name}` unchanged")
    return worst(parts)


def _type_change(name: str, a: str, b: str, old: Any, new: Any, server: Server) -> Online:
    change = f"changing `{name}` from {a} to {b}"
    va, vb = _bytes(a), _bytes(b)
    if va and vb and va[0] == vb[0] and vb[1] >= va[1]:
        n, m = va[1], vb[1]
        same_length_bytes = (n <= 255) == (m <= 255)
        if server.mariadb:
            # 10.2.2+: in the same length-byte class; 10.4.3+ also from <= 127 bytes (a
            # 1-byte length below 128 reads the same either way)
            if same_length_bytes or (n <= 127 and server.at_least(10, 4, 3)):
                return _metadata(server, f"extending `{name}` from {a} to {b}")
        elif same_length_bytes:
            return Online("INPLACE", reason=f"extending `{name}` from {a} to {b}")
        boundary = "across the 255-byte length boundary" if not same_length_bytes else ""
        return _copy(server, f"{change} ({boundary or 'its length bytes change'})")
    if old.type.values and new.type.values and _base(a) == _base(b):  # ENUM or SET
        ov, nv = old.type.values, new.type.values
        if nv[: len(ov)] == ov and (len(ov) <= 255) == (len(nv) <= 255):
            where = "value" if len(nv) - len(ov) == 1 else "values"
            return _metadata(server, f"appending {where} to `{name}`'s {_base(a)}")
        return _copy(server, f"changing the values of {_base(a)} `{name}` (not only appending)")
    return _copy(server, change)


def _text(default: object) -> str | None:
    if hasattr(default, "raw"):  # a DefaultDef: its parse node
        default = default.raw
    if default is None:
        return None
    if isinstance(default, tuple):
        return str(default[0]).strip().lower()
    return str(default).strip().lower()


def add_index(index: Any, server: Server) -> Online:
    name = f"`{index.name}`" if index.name else ""
    if index.fulltext:
        # the first FULLTEXT index adds the hidden FTS_DOC_ID column: a rebuild
        return Online("INPLACE", "SHARED", rebuild=True, reason=f"adding FULLTEXT index {name}")
    if (index.method or "").lower() == "spatial":
        return Online("INPLACE", "SHARED", reason=f"adding SPATIAL index {name}")
    kind = "unique index" if index.unique else "index"
    return Online("INPLACE", reason=f"adding {kind} {name}".rstrip())


def add_constraint(c: Any, server: Server, before: Before) -> Online | None:
    name = f" `{c.name}`" if c.name else ""
    if c.kind == "unique":
        return Online("INPLACE", reason=f"adding unique index{name}")
    if c.kind == "primary_key":
        return Online("INPLACE", rebuild=True, reason="adding a primary key")
    if c.kind == "foreign_key":
        if not before.foreign_key_checks:
            return Online("INPLACE", reason=f"adding foreign key{name} (foreign_key_checks=0)")
        cascade = c.on_delete in ("Cascade", "SetNull") or c.on_update in ("Cascade", "SetNull")
        return _copy(
            server, f"adding foreign key{name} with foreign_key_checks on", cascade=cascade
        )
    if c.kind == "check":
        return _copy(server, f"adding check constraint{name} (every row is checked)")
    return None


def drop_index(name: str, server: Server) -> Online:
    # both: in place, metadata only (MariaDB refuses INSTANT: "Try ALGORITHM=NOCOPY")
    return Online("INPLACE", reason=f"dropping index `{name}`")


def drop_constraint(
    kind: str | None, name: str | None, server: Server, before: Before
) -> Online | None:
    """DROP PRIMARY KEY / FOREIGN KEY / a unique key (`kind`), or None (a kind unknown)."""
    if kind == "primary_key":
        if before.adds_primary_key:
            return Online("INPLACE", rebuild=True, reason="replacing the primary key")
        return _copy(server, "dropping the primary key")
    if kind == "foreign_key":
        reason = f"dropping foreign key `{name}`"
        if server.mariadb:
            return _metadata(server, reason)
        return Online("INPLACE", reason=reason)
    if kind == "unique":
        return drop_index(name or "?", server)
    return None


# -- a statement ------------------------------------------------------------------------------


_PINNED = re.compile(r"\b(ALGORITHM|LOCK)\s*=?\s*(\w+)", re.I)
_ALGORITHM_NAMES = {"INSTANT": 0, "NOCOPY": 1, "INPLACE": 2, "COPY": 3}
"""What each ALGORITHM= value permits at worst (INPLACE permits a rebuild, NOCOPY does not)."""


def pinned_better(text: str, fact: Online) -> bool:
    """Whether the statement names an `ALGORITHM=` or `LOCK=` better than `fact`: the server
    then refuses the statement instead of running it as `fact` says."""
    for m in _PINNED.finditer(text):
        kind, value = m.group(1).upper(), m.group(2).upper()
        if kind == "ALGORITHM" and value in _ALGORITHM_NAMES:
            needs = fact.mariadb_algorithm if fact.algorithm == "INPLACE" else fact.algorithm
            if _ALGORITHM_NAMES[value] < _ALGORITHM_NAMES[needs]:
                return True
        if kind == "LOCK" and value in _LOCK_RANK and _LOCK_RANK[value] < _LOCK_RANK[fact.lock]:
            return True
    return False


def fk_checks_on(settings: Mapping[str, str]) -> bool:
    """Whether `foreign_key_checks` is on, from the `SET`s seen earlier in the file."""
    return settings.get("foreign_key_checks") not in ("0", "off", "false")
