import {
  Column,
  Entity,
  ManyToMany,
  PrimaryGeneratedColumn,
  Tree,
  TreeChildren,
  TreeParent,
} from "typeorm";
import { Book } from "./Book";

/** Categories nest: TypeORM keeps the tree in a closure table (`category_closure`). */
@Entity()
@Tree("closure-table")
export class Category {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 60 })
  name: string;

  @TreeParent({ onDelete: "CASCADE" })
  parent: Category | null;

  @TreeChildren()
  children: Category[];

  @ManyToMany(() => Book, (book) => book.categories)
  books: Book[];
}
