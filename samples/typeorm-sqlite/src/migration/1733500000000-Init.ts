import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1733500000000 implements MigrationInterface {
    name = 'Init1733500000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "category" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "parentId" integer)`);
        await queryRunner.query(`CREATE TABLE "book" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "isbn" varchar(13) NOT NULL, "title" varchar NOT NULL, "format" varchar CHECK( "format" IN ('hardcover','paperback','ebook') ) NOT NULL DEFAULT ('paperback'), "priceCents" integer NOT NULL DEFAULT (0), "publishedOn" date, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "deletedAt" datetime, "authorId" integer, CONSTRAINT "UQ_bd183604b9c828c0bdd92cafab7" UNIQUE ("isbn"), CONSTRAINT "CHK_4edb93820175002da69dd6f40f" CHECK ("priceCents" >= 0))`);
        await queryRunner.query(`CREATE INDEX "IDX_a915fd0ac0d818474e906a372e" ON "book" ("authorId", "publishedOn") `);
        await queryRunner.query(`CREATE TABLE "author" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(120) NOT NULL, "email" varchar(320), CONSTRAINT "UQ_384deada87eb62ab31c5d5afae5" UNIQUE ("email"))`);
        await queryRunner.query(`CREATE TABLE "book_category" ("bookId" integer NOT NULL, "categoryId" integer NOT NULL, PRIMARY KEY ("bookId", "categoryId"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0bf2d533812e804a640c5cefed" ON "book_category" ("bookId") `);
        await queryRunner.query(`CREATE INDEX "IDX_13d00658c3f9b8c7b8c3e3a9f3" ON "book_category" ("categoryId") `);
        await queryRunner.query(`CREATE TABLE "category_closure" ("id_ancestor" integer NOT NULL, "id_descendant" integer NOT NULL, PRIMARY KEY ("id_ancestor", "id_descendant"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4aa1348fc4b7da9bef0fae8ff4" ON "category_closure" ("id_ancestor") `);
        await queryRunner.query(`CREATE INDEX "IDX_6a22002acac4976977b1efd114" ON "category_closure" ("id_descendant") `);
        await queryRunner.query(`CREATE TABLE "temporary_category" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "parentId" integer, CONSTRAINT "FK_d5456fd7e4c4866fec8ada1fa10" FOREIGN KEY ("parentId") REFERENCES "category" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_category"("id", "name", "parentId") SELECT "id", "name", "parentId" FROM "category"`);
        await queryRunner.query(`DROP TABLE "category"`);
        await queryRunner.query(`ALTER TABLE "temporary_category" RENAME TO "category"`);
        await queryRunner.query(`DROP INDEX "IDX_a915fd0ac0d818474e906a372e"`);
        await queryRunner.query(`CREATE TABLE "temporary_book" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "isbn" varchar(13) NOT NULL, "title" varchar NOT NULL, "format" varchar CHECK( "format" IN ('hardcover','paperback','ebook') ) NOT NULL DEFAULT ('paperback'), "priceCents" integer NOT NULL DEFAULT (0), "publishedOn" date, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "deletedAt" datetime, "authorId" integer, CONSTRAINT "UQ_bd183604b9c828c0bdd92cafab7" UNIQUE ("isbn"), CONSTRAINT "CHK_4edb93820175002da69dd6f40f" CHECK ("priceCents" >= 0), CONSTRAINT "FK_66a4f0f47943a0d99c16ecf90b2" FOREIGN KEY ("authorId") REFERENCES "author" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_book"("id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId") SELECT "id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId" FROM "book"`);
        await queryRunner.query(`DROP TABLE "book"`);
        await queryRunner.query(`ALTER TABLE "temporary_book" RENAME TO "book"`);
        await queryRunner.query(`CREATE INDEX "IDX_a915fd0ac0d818474e906a372e" ON "book" ("authorId", "publishedOn") `);
        await queryRunner.query(`DROP INDEX "IDX_0bf2d533812e804a640c5cefed"`);
        await queryRunner.query(`DROP INDEX "IDX_13d00658c3f9b8c7b8c3e3a9f3"`);
        await queryRunner.query(`CREATE TABLE "temporary_book_category" ("bookId" integer NOT NULL, "categoryId" integer NOT NULL, CONSTRAINT "FK_0bf2d533812e804a640c5cefed8" FOREIGN KEY ("bookId") REFERENCES "book" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_13d00658c3f9b8c7b8c3e3a9f3e" FOREIGN KEY ("categoryId") REFERENCES "category" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("bookId", "categoryId"))`);
        await queryRunner.query(`INSERT INTO "temporary_book_category"("bookId", "categoryId") SELECT "bookId", "categoryId" FROM "book_category"`);
        await queryRunner.query(`DROP TABLE "book_category"`);
        await queryRunner.query(`ALTER TABLE "temporary_book_category" RENAME TO "book_category"`);
        await queryRunner.query(`CREATE INDEX "IDX_0bf2d533812e804a640c5cefed" ON "book_category" ("bookId") `);
        await queryRunner.query(`CREATE INDEX "IDX_13d00658c3f9b8c7b8c3e3a9f3" ON "book_category" ("categoryId") `);
        await queryRunner.query(`DROP INDEX "IDX_4aa1348fc4b7da9bef0fae8ff4"`);
        await queryRunner.query(`DROP INDEX "IDX_6a22002acac4976977b1efd114"`);
        await queryRunner.query(`CREATE TABLE "temporary_category_closure" ("id_ancestor" integer NOT NULL, "id_descendant" integer NOT NULL, CONSTRAINT "FK_4aa1348fc4b7da9bef0fae8ff48" FOREIGN KEY ("id_ancestor") REFERENCES "category" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_6a22002acac4976977b1efd114a" FOREIGN KEY ("id_descendant") REFERENCES "category" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("id_ancestor", "id_descendant"))`);
        await queryRunner.query(`INSERT INTO "temporary_category_closure"("id_ancestor", "id_descendant") SELECT "id_ancestor", "id_descendant" FROM "category_closure"`);
        await queryRunner.query(`DROP TABLE "category_closure"`);
        await queryRunner.query(`ALTER TABLE "temporary_category_closure" RENAME TO "category_closure"`);
        await queryRunner.query(`CREATE INDEX "IDX_4aa1348fc4b7da9bef0fae8ff4" ON "category_closure" ("id_ancestor") `);
        await queryRunner.query(`CREATE INDEX "IDX_6a22002acac4976977b1efd114" ON "category_closure" ("id_descendant") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_6a22002acac4976977b1efd114"`);
        await queryRunner.query(`DROP INDEX "IDX_4aa1348fc4b7da9bef0fae8ff4"`);
        await queryRunner.query(`ALTER TABLE "category_closure" RENAME TO "temporary_category_closure"`);
        await queryRunner.query(`CREATE TABLE "category_closure" ("id_ancestor" integer NOT NULL, "id_descendant" integer NOT NULL, PRIMARY KEY ("id_ancestor", "id_descendant"))`);
        await queryRunner.query(`INSERT INTO "category_closure"("id_ancestor", "id_descendant") SELECT "id_ancestor", "id_descendant" FROM "temporary_category_closure"`);
        await queryRunner.query(`DROP TABLE "temporary_category_closure"`);
        await queryRunner.query(`CREATE INDEX "IDX_6a22002acac4976977b1efd114" ON "category_closure" ("id_descendant") `);
        await queryRunner.query(`CREATE INDEX "IDX_4aa1348fc4b7da9bef0fae8ff4" ON "category_closure" ("id_ancestor") `);
        await queryRunner.query(`DROP INDEX "IDX_13d00658c3f9b8c7b8c3e3a9f3"`);
        await queryRunner.query(`DROP INDEX "IDX_0bf2d533812e804a640c5cefed"`);
        await queryRunner.query(`ALTER TABLE "book_category" RENAME TO "temporary_book_category"`);
        await queryRunner.query(`CREATE TABLE "book_category" ("bookId" integer NOT NULL, "categoryId" integer NOT NULL, PRIMARY KEY ("bookId", "categoryId"))`);
        await queryRunner.query(`INSERT INTO "book_category"("bookId", "categoryId") SELECT "bookId", "categoryId" FROM "temporary_book_category"`);
        await queryRunner.query(`DROP TABLE "temporary_book_category"`);
        await queryRunner.query(`CREATE INDEX "IDX_13d00658c3f9b8c7b8c3e3a9f3" ON "book_category" ("categoryId") `);
        await queryRunner.query(`CREATE INDEX "IDX_0bf2d533812e804a640c5cefed" ON "book_category" ("bookId") `);
        await queryRunner.query(`DROP INDEX "IDX_a915fd0ac0d818474e906a372e"`);
        await queryRunner.query(`ALTER TABLE "book" RENAME TO "temporary_book"`);
        await queryRunner.query(`CREATE TABLE "book" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "isbn" varchar(13) NOT NULL, "title" varchar NOT NULL, "format" varchar CHECK( "format" IN ('hardcover','paperback','ebook') ) NOT NULL DEFAULT ('paperback'), "priceCents" integer NOT NULL DEFAULT (0), "publishedOn" date, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "deletedAt" datetime, "authorId" integer, CONSTRAINT "UQ_bd183604b9c828c0bdd92cafab7" UNIQUE ("isbn"), CONSTRAINT "CHK_4edb93820175002da69dd6f40f" CHECK ("priceCents" >= 0))`);
        await queryRunner.query(`INSERT INTO "book"("id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId") SELECT "id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId" FROM "temporary_book"`);
        await queryRunner.query(`DROP TABLE "temporary_book"`);
        await queryRunner.query(`CREATE INDEX "IDX_a915fd0ac0d818474e906a372e" ON "book" ("authorId", "publishedOn") `);
        await queryRunner.query(`ALTER TABLE "category" RENAME TO "temporary_category"`);
        await queryRunner.query(`CREATE TABLE "category" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "parentId" integer)`);
        await queryRunner.query(`INSERT INTO "category"("id", "name", "parentId") SELECT "id", "name", "parentId" FROM "temporary_category"`);
        await queryRunner.query(`DROP TABLE "temporary_category"`);
        await queryRunner.query(`DROP INDEX "IDX_6a22002acac4976977b1efd114"`);
        await queryRunner.query(`DROP INDEX "IDX_4aa1348fc4b7da9bef0fae8ff4"`);
        await queryRunner.query(`DROP TABLE "category_closure"`);
        await queryRunner.query(`DROP INDEX "IDX_13d00658c3f9b8c7b8c3e3a9f3"`);
        await queryRunner.query(`DROP INDEX "IDX_0bf2d533812e804a640c5cefed"`);
        await queryRunner.query(`DROP TABLE "book_category"`);
        await queryRunner.query(`DROP TABLE "author"`);
        await queryRunner.query(`DROP INDEX "IDX_a915fd0ac0d818474e906a372e"`);
        await queryRunner.query(`DROP TABLE "book"`);
        await queryRunner.query(`DROP TABLE "category"`);
    }

}
