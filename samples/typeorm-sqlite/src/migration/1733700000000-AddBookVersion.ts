import { MigrationInterface, QueryRunner } from "typeorm";

export class AddBookVersion1733700000000 implements MigrationInterface {
    name = 'AddBookVersion1733700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_a915fd0ac0d818474e906a372e"`);
        await queryRunner.query(`CREATE TABLE "temporary_book" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "isbn" varchar(13) NOT NULL, "title" varchar NOT NULL, "format" varchar CHECK( "format" IN ('hardcover','paperback','ebook') ) NOT NULL DEFAULT ('paperback'), "priceCents" integer NOT NULL DEFAULT (0), "publishedOn" date, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "deletedAt" datetime, "authorId" integer, "version" integer NOT NULL, CONSTRAINT "UQ_bd183604b9c828c0bdd92cafab7" UNIQUE ("isbn"), CONSTRAINT "CHK_4edb93820175002da69dd6f40f" CHECK (("priceCents" >= 0)), CONSTRAINT "FK_66a4f0f47943a0d99c16ecf90b2" FOREIGN KEY ("authorId") REFERENCES "author" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_book"("id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId") SELECT "id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId" FROM "book"`);
        await queryRunner.query(`DROP TABLE "book"`);
        await queryRunner.query(`ALTER TABLE "temporary_book" RENAME TO "book"`);
        await queryRunner.query(`CREATE INDEX "IDX_a915fd0ac0d818474e906a372e" ON "book" ("authorId", "publishedOn") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_a915fd0ac0d818474e906a372e"`);
        await queryRunner.query(`ALTER TABLE "book" RENAME TO "temporary_book"`);
        await queryRunner.query(`CREATE TABLE "book" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "isbn" varchar(13) NOT NULL, "title" varchar NOT NULL, "format" varchar CHECK( "format" IN ('hardcover','paperback','ebook') ) NOT NULL DEFAULT ('paperback'), "priceCents" integer NOT NULL DEFAULT (0), "publishedOn" date, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "deletedAt" datetime, "authorId" integer, CONSTRAINT "UQ_bd183604b9c828c0bdd92cafab7" UNIQUE ("isbn"), CONSTRAINT "CHK_4edb93820175002da69dd6f40f" CHECK (("priceCents" >= 0)), CONSTRAINT "FK_66a4f0f47943a0d99c16ecf90b2" FOREIGN KEY ("authorId") REFERENCES "author" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "book"("id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId") SELECT "id", "isbn", "title", "format", "priceCents", "publishedOn", "createdAt", "deletedAt", "authorId" FROM "temporary_book"`);
        await queryRunner.query(`DROP TABLE "temporary_book"`);
        await queryRunner.query(`CREATE INDEX "IDX_a915fd0ac0d818474e906a372e" ON "book" ("authorId", "publishedOn") `);
    }

}
