import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from "typeorm";

/** Tags, written with TypeORM's Table API: the join table's keys and indexes are left unnamed,
 * so TypeORM names them (the same names its schema builder derives for the entities). */
export class AddTags1733600000000 implements MigrationInterface {
  name = "AddTags1733600000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "tag",
        columns: [
          { name: "id", type: "int", isPrimary: true, isGenerated: true, generationStrategy: "increment", primaryKeyConstraintName: "PK_8e4052373c579afc1471f526760" },
          { name: "name", type: "varchar", length: "50", isNullable: false },
        ],
        uniques: [{ name: "UQ_6a9775008add570dc3e5a0bab7b", columnNames: ["name"] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "post_tags_tag",
        columns: [
          { name: "post_id", type: "uuid", isPrimary: true },
          { name: "tag_id", type: "int", isPrimary: true },
        ],
      }),
    );
    await queryRunner.createIndices("post_tags_tag", [
      new TableIndex({ columnNames: ["post_id"] }),
      new TableIndex({ columnNames: ["tag_id"] }),
    ]);
    await queryRunner.createForeignKeys("post_tags_tag", [
      new TableForeignKey({
        columnNames: ["post_id"],
        referencedTableName: "post",
        referencedColumnNames: ["id"],
        onDelete: "CASCADE",
        onUpdate: "CASCADE",
      }),
      new TableForeignKey({
        columnNames: ["tag_id"],
        referencedTableName: "tag",
        referencedColumnNames: ["id"],
      }),
    ]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("post_tags_tag", true, true, true);
    await queryRunner.dropTable("tag");
  }
}
