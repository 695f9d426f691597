import {
  AllowNull,
  BelongsTo,
  BelongsToMany,
  Column,
  DataType,
  Default,
  ForeignKey,
  HasMany,
  Model,
  Table,
} from "sequelize-typescript";
import { EventTag } from "./event-tag.model";
import { Organizer } from "./organizer.model";
import { Tag } from "./tag.model";
import { Ticket } from "./ticket.model";

@Table({
  tableName: "events",
  underscored: true,
  indexes: [
    { name: "events_slug", unique: true, fields: ["slug"] },
    { name: "events_organizer_id_starts_at", fields: ["organizer_id", "starts_at"] },
  ],
})
export class Event extends Model {
  @ForeignKey(() => Organizer)
  @AllowNull(false)
  @Column(DataType.INTEGER)
  declare organizerId: number;

  @BelongsTo(() => Organizer, { onDelete: "RESTRICT" })
  declare organizer?: Organizer;

  @AllowNull(false)
  @Column(DataType.STRING(200))
  declare title: string;

  @AllowNull(false)
  @Column(DataType.STRING(200))
  declare slug: string;

  @AllowNull(false)
  @Default("draft")
  @Column(DataType.ENUM("draft", "published", "cancelled"))
  declare status: "draft" | "published" | "cancelled";

  @AllowNull(false)
  @Column(DataType.DATE)
  declare startsAt: Date;

  @AllowNull(false)
  @Default(100)
  @Column(DataType.INTEGER)
  declare capacity: number;

  @HasMany(() => Ticket)
  declare tickets?: Ticket[];

  @BelongsToMany(() => Tag, () => EventTag)
  declare tags?: Tag[];
}
