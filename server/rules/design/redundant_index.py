"""DB102: an index that another index, unique constraint or the primary key already covers."""

from __future__ import annotations

from collections.abc import Iterator

from schemasense.codegen.schema import Table
from schemasense.server.findings import Finding, Fix
from schemasense.server.lint.context import RuleContext, SchemaTarget
from schemasense.server.lint.registry import SchemaRule, Status, Subject
from schemasense.server.rules.design.schema_facts import Key, keys


def _norm(part: tuple) -> tuple:
    column, expression, sort, length, ops = part
    return (column, expression, sort or "asc", length, ops)


def _normed(key: Key) -> tuple:
    return tuple(_norm(p) for p in key.parts)


def _covers(big: Key, small: Key, *, exact: bool, norm: dict[int, tuple]) -> bool:
    """Whether `big` serves every lookup `small` serves: same method, same predicate, and
    `small`'s parts are `big`'s first parts (all of them when `exact`)."""
    if big.parts[0][0] != small.parts[0][0] or big.parts[0][1] != small.parts[0][1]:
        return False
    if big.method != small.method or big.predicate != small.predicate:
        return False
    if small.method not in ("btree", "hash"):
        return False
    if small.include and set(small.include) - set(big.include) - set(big.columns):
        return False
    a = norm[id(small)]
    b = norm[id(big)]
    if exact or small.method == "hash":
        return a == b
    return len(a) <= len(b) and b[: len(a)] == a


def _made_by_the_orm(table: Table, key: Key) -> bool:
    """The key comes with a table no model of the user's declares, from the same declaration
    (a join table's indexes, from the `@JoinTable()` that makes the table)."""
    return table.model_name is None and table.span is not None and key.span == table.span


def _subject(table: Table, key: Key) -> Subject:
    return ("index", table.name, key.name or "", *map(str, key.columns))


class RedundantIndex(SchemaRule):
    """## What it does
    Flags an index that another index, a unique constraint or the primary key already
    covers: a plain index whose columns are the first columns of another (`[a]` next to
    `[a, b]`), an exact duplicate, a plain index on a column that is already `@unique` or
    `@id`, and a unique constraint identical to another unique constraint or the primary key.

    ## Why is this bad?
    A B-tree on `(a, b)` answers every lookup on `a` alone, so a separate index on `a`
    serves no query. It still costs: every `INSERT`, `UPDATE` and `DELETE` maintains it,
    it takes disk and cache memory, and `VACUUM` scans it. Duplicates usually appear when a
    `@@index` is added for a column that `@unique` already indexes.

    Indexes with different methods (hash, GIN, GiST), predicates (partial indexes), prefix
    lengths or operator classes are not compared: they serve different queries. Nor are the
    indexes an ORM makes by itself for a table it makes by itself (TypeORM's join table of a
    `@ManyToMany` with `@JoinTable()` has an index on each join column, the first covered by the
    table's primary key; its closure tables the same): they are real, but no declaration of
    the user's says them, so there is nothing to remove short of replacing the relation with
    an entity of its own; and the migration that creates one (the ORM's own generated
    migration) is not flagged either, since removing it there only makes the ORM want it back.

    ## Example
    ```prisma
    model Post {
      id       Int    @id
      authorId Int
      slug     String @unique

      @@index([authorId, slug])
      @@index([authorId])
      @@index([slug])
    }
    ```

    ## Use instead
    ```prisma
    model Post {
      id       Int    @id
      authorId Int
      slug     String @unique

      @@index([authorId, slug])
    }
    ```

    ## Fix safety
    The fix deletes the redundant attribute. Deleting a plain index is safe: no query loses
    an index it can use. Deleting a duplicate unique constraint is marked unsafe: the
    uniqueness stays, but Prisma Client names compound uniques (`where: { a_b: ... }`), so
    code that names the deleted one no longer compiles.
    """

    code = "DB102"
    table_local = True
    severity = "warning"
    fix = "sometimes"
    status = Status.stable("0.1.0")

    def check_schema(
        self, target: SchemaTarget, ctx: RuleContext
    ) -> Iterator[tuple[Subject, Finding]]:
        for table in target.schema.tables:
            if table.kind != "table" or table.ignored:
                continue
            table_keys = [k for k in keys(table, target.cache) if k.parts]
            if len(table_keys) < 2:
                continue
            firsts = [k.parts[0][:2] for k in table_keys]
            if len(set(firsts)) == len(firsts):
                continue  # no two keys start alike: none can cover another
            norm = {id(k): _normed(k) for k in table_keys}
            for i, small in enumerate(table_keys):
                if small.kind == "primary key" or small.method == "fulltext":
                    continue
                if firsts.count(firsts[i]) < 2:
                    continue
                cover = self._cover(table_keys, i, norm)
                if cover is None or small.span is None:
                    continue
                if target.origin == "declared" and _made_by_the_orm(table, small):
                    continue
                exact = norm[id(small)] == norm[id(cover)]
                what = "duplicates" if exact else "is covered by"
                fix = None
                if target.origin == "declared" and target.editor is not None:
                    change = target.editor.drop_index(table, small.span)
                    if change is not None:
                        fix = Fix(
                            f"Remove the redundant {small.kind}",
                            change.edits,
                            "unsafe" if small.unique else "safe",
                        )
                yield (
                    _subject(table, small),
                    (
                        self.finding(
                            f"{small.label()[0].upper()}{small.label()[1:]} on `{table.name}` "
                            f"{what} {cover.label()}",
                            small.span,
                            help=(
                                f"remove it: {cover.label()} already serves every lookup it serves"
                            ),
                            fix=fix,
                            related=(cover.span,) if cover.span is not None else (),
                        )
                    ),
                )

    def _migrated(self, target: SchemaTarget, ctx: RuleContext) -> list[tuple[Subject, Finding]]:
        """The migrated schema's findings, but for the indexes the ORM makes by itself: the
        migrations create them because the ORM does (its own generated migration), and
        removing one there only makes the ORM want it back."""
        made: set[Subject] = set()
        for declared in ctx.schema_targets(("declared",)):
            for table in declared.schema.tables:
                if table.model_name is not None:
                    continue
                for key in keys(table, declared.cache):
                    if _made_by_the_orm(table, key):
                        made.add(_subject(table, key))
        return [(s, f) for s, f in super()._migrated(target, ctx) if s not in made]

    @staticmethod
    def _cover(table_keys: list[Key], i: int, norm: dict[int, tuple]) -> Key | None:
        small = table_keys[i]
        for j, big in enumerate(table_keys):
            if j == i:
                continue
            if small.unique:
                # a unique constraint is redundant only next to an identical unique key;
                # of two identical ones, the later is reported (the primary key always wins)
                if not big.unique or not _covers(big, small, exact=True, norm=norm):
                    continue
                if big.kind != "primary key" and j > i:
                    continue
                return big
            exact = _covers(big, small, exact=True, norm=norm)
            if exact and not big.unique and j > i:
                continue  # of two identical plain indexes, report the later one
            if exact or _covers(big, small, exact=False, norm=norm):
                return big
        return None
