import "reflect-metadata";
import { Sequelize } from "sequelize-typescript";
import { Event, EventTag, Organizer, OrganizerProfile, Tag, Ticket } from "./models";

// The application's connection: SQLite in development (config/config.json for sequelize-cli
// says the same), every model registered with sequelize-typescript.
export const sequelize = new Sequelize({
  dialect: "sqlite",
  storage: process.env.SQLITE_STORAGE ?? "dev.sqlite",
  models: [Organizer, OrganizerProfile, Event, Ticket, Tag, EventTag],
  logging: false,
});
