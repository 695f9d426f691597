import { Column, DataType, ForeignKey, Model, Table } from "sequelize-typescript";
import { Event } from "./event.model";
import { Tag } from "./tag.model";

// The primary key (event_id, tag_id) serves lookups by event; the index on tag_id serves "events
// with this tag" and the foreign key's checks when a tag is deleted. It is declared on the table,
// by column name: sequelize-typescript 2.1 puts a property's `@Index` of an underscored model on
// the attribute's name (`tagId`), which the table does not have, and `sync()` fails.
@Table({
  tableName: "event_tags",
  underscored: true,
  timestamps: false,
  indexes: [{ name: "event_tags_tag_id", fields: ["tag_id"] }],
})
export class EventTag extends Model {
  @ForeignKey(() => Event)
  @Column(DataType.INTEGER)
  declare eventId: number;

  @ForeignKey(() => Tag)
  @Column(DataType.INTEGER)
  declare tagId: number;
}
