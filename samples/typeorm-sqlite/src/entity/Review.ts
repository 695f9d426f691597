import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn } from "typeorm";
import { Author } from "./Author";
import { Book } from "./Book";

@Entity()
export class Review {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "smallint" })
  stars: number;

  @Column({ type: "text", nullable: true })
  body: string | null;

  @Index()
  @ManyToOne(() => Book, (book) => book.reviews, { onDelete: "CASCADE", nullable: false })
  book: Book;

  /** The review an editor picked to quote on the cover, at most one per author. */
  @OneToOne(() => Author, { nullable: true, onDelete: "SET NULL" })
  @JoinColumn({ name: "featuredForAuthorId" })
  featuredFor: Author | null;
}
