import { Check, Column, Entity, Index, OneToMany, OneToOne } from "typeorm";
import { BaseEntity } from "../common/base.entity";
import { Post } from "../posts/post.entity";
import { Profile } from "./profile.entity";

export enum UserRole {
  Admin = "admin",
  Author = "author",
  Reader = "reader",
}

@Entity()
@Check(`"email" LIKE '%@%'`)
export class User extends BaseEntity {
  /** The login; unique among users that are not deleted. */
  @Index({ unique: true, where: `"deleted_at" IS NULL` })
  @Column({ length: 320 })
  email: string;

  @Column({ length: 80 })
  displayName: string;

  @Column({ type: "enum", enum: UserRole, default: UserRole.Reader })
  role: UserRole;

  @Column({ type: "int", default: 0 })
  loginCount: number;

  @OneToOne(() => Profile, (profile) => profile.user)
  profile: Profile;

  @OneToMany(() => Post, (post) => post.author)
  posts: Post[];
}
