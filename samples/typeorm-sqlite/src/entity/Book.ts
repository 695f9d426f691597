import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  Unique,
  VersionColumn,
} from "typeorm";
import { Author } from "./Author";
import { Category } from "./Category";
import { Review } from "./Review";

export enum Format {
  Hardcover = "hardcover",
  Paperback = "paperback",
  Ebook = "ebook",
}

@Entity()
@Unique(["isbn"])
@Check(`"priceCents" >= 0`)
@Index(["author", "publishedOn"])
export class Book {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 13 })
  isbn: string;

  @Column()
  title: string;

  @Column({ type: "simple-enum", enum: Format, default: Format.Paperback })
  format: Format;

  @Column({ type: "integer", default: 0 })
  priceCents: number;

  @Column({ type: "date", nullable: true })
  publishedOn: string | null;

  @ManyToOne(() => Author, (author) => author.books, { onDelete: "CASCADE" })
  author: Author;

  @ManyToMany(() => Category, (category) => category.books)
  @JoinTable({ name: "book_category" })
  categories: Category[];

  @OneToMany(() => Review, (review) => review.book)
  reviews: Review[];

  @CreateDateColumn()
  createdAt: Date;

  @DeleteDateColumn({ nullable: true })
  deletedAt: Date | null;

  @VersionColumn()
  version: number;
}
