import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from "typeorm";

/** Reviews, with TypeORM's Table API: the index, the unique key and the foreign keys are left
 * unnamed, so TypeORM names them. On SQLite each foreign key rebuilds the table. */
export class AddReviews1733600000000 implements MigrationInterface {
  name = "AddReviews1733600000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "review",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          { name: "stars", type: "smallint" },
          { name: "body", type: "text", isNullable: true },
          { name: "bookId", type: "integer" },
          { name: "featuredForAuthorId", type: "integer", isNullable: true, isUnique: true },
        ],
        indices: [new TableIndex({ columnNames: ["bookId"] })],
      }),
    );
    await queryRunner.createForeignKey(
      "review",
      new TableForeignKey({
        columnNames: ["bookId"],
        referencedTableName: "book",
        referencedColumnNames: ["id"],
        onDelete: "CASCADE",
      }),
    );
    await queryRunner.createForeignKey(
      "review",
      new TableForeignKey({
        columnNames: ["featuredForAuthorId"],
        referencedTableName: "author",
        referencedColumnNames: ["id"],
        onDelete: "SET NULL",
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("review");
  }
}
