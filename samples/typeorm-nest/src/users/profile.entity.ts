import { Column, Entity, JoinColumn, OneToOne } from "typeorm";
import { BaseEntity } from "../common/base.entity";
import { User } from "./user.entity";

@Entity()
export class Profile extends BaseEntity {
  @Column({ type: "text", nullable: true })
  bio: string | null;

  @Column({ type: "varchar", length: 2048, nullable: true })
  avatarUrl: string | null;

  @OneToOne(() => User, (user) => user.profile, { onDelete: "CASCADE" })
  @JoinColumn()
  user: User;
}
