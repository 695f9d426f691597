import {
  CreateDateColumn,
  DeleteDateColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";

/** Columns every table has: a uuid key, timestamps, and soft delete. */
export abstract class BaseEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;

  /** Set instead of deleting the row (`softRemove`). */
  @DeleteDateColumn({ type: "timestamptz", nullable: true })
  deletedAt: Date | null;
}
