"""The MySQL/MariaDB introspector against hand-written DDL applied to a real server."""

from __future__ import annotations

import pytest
from schemasense.codegen.schema import Schema
from schemasense.server.verify.apply import apply
from schemasense.server.verify.databases import connect, database_of, introspect


@pytest.fixture
def my(mysql_url: str):
    """Apply DDL to an emptied scratch database and introspect it."""
    conn = connect(mysql_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s",
                (database_of(mysql_url),),
            )
            rows = cur.fetchall()
            cur.execute("SET FOREIGN_KEY_CHECKS = 0")
            for name, kind in rows:
                cur.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} `{name}`")
            cur.execute("SET FOREIGN_KEY_CHECKS = 1")
    finally:
        conn.close()

    def run(sql: str) -> Schema:
        apply(mysql_url, sql)
        return introspect(mysql_url)

    return run


def test_columns(my):
    s = my("""
        CREATE TABLE `user` (
            `id` INTEGER NOT NULL AUTO_INCREMENT,
            `email` VARCHAR(191) NOT NULL,
            `name` VARCHAR(100) NULL,
            `bio` TEXT NULL,
            `active` BOOLEAN NOT NULL DEFAULT true,
            `count` INTEGER UNSIGNED NOT NULL DEFAULT 1,
            `big` BIGINT NOT NULL DEFAULT 0,
            `price` DECIMAL(65, 30) NOT NULL,
            `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
            `seen_at` TIMESTAMP(0) NULL DEFAULT CURRENT_TIMESTAMP(0),
            `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
            `data` JSON NULL,
            `note` VARCHAR(20) NOT NULL DEFAULT 'it''s',
            PRIMARY KEY (`id`)
        ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    """)
    t = s.table("user")
    c = {col.name: col for col in t.columns}
    assert [col.name for col in t.columns][:3] == ["id", "email", "name"]
    assert (c["id"].type.native, c["id"].type.kind, c["id"].auto_increment) == ("int", "int", True)
    assert c["id"].default is None
    assert (c["email"].type.native, c["email"].type.length, c["email"].nullable) == (
        "varchar(191)", 191, False,
    )  # fmt: skip
    assert c["name"].nullable and c["name"].default is None
    assert (c["active"].type.native, c["active"].type.kind) == ("tinyint(1)", "boolean")
    assert c["active"].default.value == "1"
    assert c["count"].type.native == "int unsigned"
    assert c["big"].type.native == "bigint"
    assert (c["price"].type.precision, c["price"].type.scale) == (65, 30)
    assert c["created_at"].type.native == "datetime(3)"
    assert c["created_at"].default.value.lower() == "current_timestamp(3)"
    assert c["seen_at"].type.native == "timestamp"
    assert (c["role"].type.kind, c["role"].type.native) == ("enum", "enum('USER','ADMIN')")
    assert c["role"].default.value == "'USER'"
    assert (c["data"].type.native, c["data"].type.kind) == ("json", "json")
    assert t.checks == []  # MariaDB's json_valid check on a JSON column is the type, not a check
    assert c["note"].default.value in ("'it''s'", "'it\\'s'")
    assert t.primary_key.name is None
    assert [p.column for p in t.primary_key.columns] == ["id"]


def test_indexes_and_foreign_keys(my):
    s = my("""
        CREATE TABLE `a` (`id` VARCHAR(36) NOT NULL, PRIMARY KEY (`id`));
        CREATE TABLE `b` (
            `id` VARCHAR(36) NOT NULL,
            `a_id` VARCHAR(36) NULL,
            `title` VARCHAR(500) NOT NULL,
            `body` TEXT NOT NULL,
            UNIQUE INDEX `b_title_key`(`title`(100)),
            INDEX `b_a_id_title_idx`(`a_id`, `title` DESC),
            FULLTEXT INDEX `b_body_idx`(`body`),
            PRIMARY KEY (`id`)
        );
        ALTER TABLE `b` ADD CONSTRAINT `b_a_id_fkey` FOREIGN KEY (`a_id`) REFERENCES `a`(`id`)
            ON DELETE SET NULL ON UPDATE CASCADE;
        CREATE TABLE `c` (`id` INT NOT NULL PRIMARY KEY, `b_id` VARCHAR(36) NOT NULL,
            CONSTRAINT `c_b_id_fkey` FOREIGN KEY (`b_id`) REFERENCES `b`(`id`));
        CREATE VIEW `v` AS SELECT `id` FROM `a`;
    """)
    b = s.table("b")
    idx = {i.name: i for i in b.indexes}
    assert sorted(idx) == ["b_a_id_title_idx", "b_body_idx", "b_title_key"]
    assert b.uniques == []
    key = idx["b_title_key"]
    assert key.unique and key.method == "btree"
    assert [(p.column, p.length) for p in key.columns] == [("title", 100)]
    composite = idx["b_a_id_title_idx"]
    assert not composite.unique
    assert [p.column for p in composite.columns] == ["a_id", "title"]
    assert idx["b_body_idx"].method == "fulltext"
    (fk,) = b.foreign_keys
    assert (fk.name, fk.columns, fk.referenced_table, fk.referenced_columns) == (
        "b_a_id_fkey", ["a_id"], "a", ["id"],
    )  # fmt: skip
    assert (fk.on_delete, fk.on_update) == ("SetNull", "Cascade")
    c = s.table("c")
    # MySQL names the index it creates for a foreign key after the constraint
    assert [i.name for i in c.indexes] == ["c_b_id_fkey"]
    assert (c.foreign_keys[0].on_delete, c.foreign_keys[0].on_update) in (
        ("Restrict", "Restrict"), ("NoAction", "NoAction"),
    )  # fmt: skip
    assert s.table("v").kind == "view"
    assert s.enums == [] and s.provider == "mysql"


def test_prisma_migrations_table_is_left_out(my):
    s = my("CREATE TABLE `_prisma_migrations` (`id` VARCHAR(36) NOT NULL PRIMARY KEY);")
    assert s.tables == []
