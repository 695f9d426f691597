import { MigrationInterface, QueryRunner } from "typeorm";

export class AddLoginCount1733700000000 implements MigrationInterface {
  name = "AddLoginCount1733700000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" ADD "login_count" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "login_count"`);
  }
}
