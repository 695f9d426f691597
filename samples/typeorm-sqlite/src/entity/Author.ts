import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Book } from "./Book";

@Entity()
export class Author {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 120 })
  name: string;

  @Column({ type: "varchar", length: 320, nullable: true, unique: true })
  email: string | null;

  @OneToMany(() => Book, (book) => book.author)
  books: Book[];
}
