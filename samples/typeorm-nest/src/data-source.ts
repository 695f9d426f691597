import "reflect-metadata";
import { DataSource } from "typeorm";
import { SnakeNamingStrategy } from "typeorm-naming-strategies";

/** The DataSource the TypeORM CLI runs migrations with (`npm run migration:run`); the Nest app
 * builds the same options in app.module.ts. */
export const AppDataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL ?? "postgres://localhost:5432/blog",
  entities: [__dirname + "/**/*.entity.{ts,js}"],
  migrations: [__dirname + "/migrations/*.{ts,js}"],
  namingStrategy: new SnakeNamingStrategy(),
  synchronize: false,
});
