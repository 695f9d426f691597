import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1733500000000 implements MigrationInterface {
  name = "Init1733500000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`);
    await queryRunner.query(
      `CREATE TABLE "post" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, "title" character varying(200) NOT NULL, "slug" character varying(200) NOT NULL, "body" text NOT NULL, "price_cents" integer NOT NULL DEFAULT '0', "published_at" TIMESTAMP WITH TIME ZONE, "author_id" uuid NOT NULL, "parent_id" uuid, CONSTRAINT "CHK_8f9c1c28a99638aaf4563177c6" CHECK ("price_cents" >= 0), CONSTRAINT "PK_be5fda3aac270b134ff9c21cdee" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_cd1bddce36edc3e766798eab37" ON "post" ("slug") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b5a1eebded08a5043ef2a82242" ON "post" ("author_id", "published_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "profile" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, "bio" text, "avatar_url" character varying(2048), "user_id" uuid, CONSTRAINT "REL_d752442f45f258a8bdefeebb2f" UNIQUE ("user_id"), CONSTRAINT "PK_3dd8bfc97e4a77c70971591bdcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_role_enum" AS ENUM('admin', 'author', 'reader')`,
    );
    await queryRunner.query(
      `CREATE TABLE "user" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, "email" character varying(320) NOT NULL, "display_name" character varying(80) NOT NULL, "role" "public"."user_role_enum" NOT NULL DEFAULT 'reader', CONSTRAINT "CHK_8379d998f5a8a5ea6185cb50fe" CHECK ("email" LIKE '%@%'), CONSTRAINT "PK_cace4a159ff9f2512dd42373760" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_056bb4c824391d82acd9251aef" ON "user" ("email") WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "post" ADD CONSTRAINT "FK_2f1a9ca8908fc8168bc18437f62" FOREIGN KEY ("author_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post" ADD CONSTRAINT "FK_502b5d7b881d2474c56195acb83" FOREIGN KEY ("parent_id") REFERENCES "post"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "profile" ADD CONSTRAINT "FK_d752442f45f258a8bdefeebb2f2" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "profile" DROP CONSTRAINT "FK_d752442f45f258a8bdefeebb2f2"`,
    );
    await queryRunner.query(`ALTER TABLE "post" DROP CONSTRAINT "FK_502b5d7b881d2474c56195acb83"`);
    await queryRunner.query(`ALTER TABLE "post" DROP CONSTRAINT "FK_2f1a9ca8908fc8168bc18437f62"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_056bb4c824391d82acd9251aef"`);
    await queryRunner.query(`DROP TABLE "user"`);
    await queryRunner.query(`DROP TYPE "public"."user_role_enum"`);
    await queryRunner.query(`DROP TABLE "profile"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b5a1eebded08a5043ef2a82242"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cd1bddce36edc3e766798eab37"`);
    await queryRunner.query(`DROP TABLE "post"`);
  }
}
