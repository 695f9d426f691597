import { Between, ILike, In, Repository } from "typeorm";
import { User } from "../users/user.entity";
import { Post } from "./post.entity";

/** What the blog's pages read. Nest builds it with `@InjectRepository(Post)` and
 * `@InjectRepository(User)`; it only needs the two repositories, so it is a plain class here
 * (the sample installs no Nest packages for `tsc` to check the decorators against). */
export class PostsService {
  constructor(
    private readonly posts: Repository<Post>,
    private readonly users: Repository<User>,
  ) {}

  /** The post page: one post by its URL. */
  findBySlug(slug: string): Promise<Post | null> {
    return this.posts.findOneBy({ slug });
  }

  /** The author page: an author's latest posts, newest first. */
  latestByAuthor(authorId: string, take = 10): Promise<Post[]> {
    return this.posts.find({
      where: { author: { id: authorId } },
      order: { publishedAt: "DESC" },
      take,
    });
  }

  /** The related-posts box: the posts a list of slugs names. */
  findBySlugs(slugs: string[]): Promise<Post[]> {
    return this.posts.findBy({ slug: In(slugs) });
  }

  /** The archive: what was published in a period (no index leads with `published_at`). */
  publishedBetween(from: Date, to: Date): Promise<Post[]> {
    return this.posts.find({ where: { publishedAt: Between(from, to) } });
  }

  /** The search box: titles containing a word, any case. */
  searchTitles(term: string): Promise<Post[]> {
    return this.posts.find({ where: { title: ILike(`%${term}%`) }, take: 20 });
  }

  /** The author card: how many posts an author has written. */
  countByAuthor(authorId: string): Promise<number> {
    return this.posts.count({ where: { author: { id: authorId } } });
  }

  /** Sign-in: the user behind an e-mail address. */
  findAuthorByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
  }
}
