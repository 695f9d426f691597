import "reflect-metadata";
import { DataSource } from "typeorm";
import { Author } from "./entity/Author";
import { Book } from "./entity/Book";
import { Category } from "./entity/Category";
import { Review } from "./entity/Review";

export const AppDataSource = new DataSource({
  type: "better-sqlite3",
  database: process.env.DATABASE_FILE ?? "catalogue.sqlite",
  entities: [Author, Book, Category, Review],
  migrations: [__dirname + "/migration/*.{ts,js}"],
  synchronize: false,
});
