import {
  Check,
  Column,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  RelationId,
} from "typeorm";
import { BaseEntity } from "../common/base.entity";
import { User } from "../users/user.entity";
import { Tag } from "./tag.entity";

@Entity()
@Index(["author", "publishedAt"])
@Check(`"price_cents" >= 0`)
export class Post extends BaseEntity {
  @Column({ length: 200 })
  title: string;

  @Index({ unique: true })
  @Column({ length: 200 })
  slug: string;

  @Column({ type: "text" })
  body: string;

  @Column({ type: "int", default: 0 })
  priceCents: number;

  @Column({ type: "timestamptz", nullable: true })
  publishedAt: Date | null;

  @ManyToOne(() => User, (user) => user.posts, { onDelete: "CASCADE", nullable: false })
  author: User;

  @RelationId((post: Post) => post.author)
  authorId: string;

  /** Replies point at the post they answer. */
  @ManyToOne(() => Post, (post) => post.replies, { onDelete: "SET NULL", nullable: true })
  parent: Post | null;

  @OneToMany(() => Post, (post) => post.parent)
  replies: Post[];

  @ManyToMany(() => Tag, (tag) => tag.posts)
  @JoinTable()
  tags: Tag[];
}
