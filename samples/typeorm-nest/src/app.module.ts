import { Module } from "@nestjs/common";
import { TypeOrmModule } from "@nestjs/typeorm";
import { SnakeNamingStrategy } from "typeorm-naming-strategies";
import { Post } from "./posts/post.entity";
import { Tag } from "./posts/tag.entity";
import { Profile } from "./users/profile.entity";
import { User } from "./users/user.entity";

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: "postgres",
      url: process.env.DATABASE_URL,
      entities: [User, Profile, Post, Tag],
      migrations: [__dirname + "/migrations/*.{ts,js}"],
      migrationsRun: true,
      namingStrategy: new SnakeNamingStrategy(),
      synchronize: false,
    }),
    TypeOrmModule.forFeature([User, Profile, Post, Tag]),
  ],
})
export class AppModule {}
