import {
  AllowNull,
  BelongsTo,
  Column,
  DataType,
  Default,
  ForeignKey,
  Model,
  Table,
} from "sequelize-typescript";
import { Event } from "./event.model";

@Table({
  tableName: "tickets",
  underscored: true,
  paranoid: true,
  indexes: [{ name: "tickets_event_id_seat", unique: true, fields: ["event_id", "seat"] }],
})
export class Ticket extends Model {
  @ForeignKey(() => Event)
  @AllowNull(false)
  @Column(DataType.INTEGER)
  declare eventId: number;

  @BelongsTo(() => Event, { onDelete: "CASCADE" })
  declare event?: Event;

  @AllowNull(false)
  @Column(DataType.STRING(12))
  declare seat: string;

  @AllowNull(false)
  @Default(DataType.UUIDV4)
  @Column(DataType.UUID)
  declare code: string;

  @AllowNull(false)
  @Column(DataType.DECIMAL(10, 2))
  declare price: string;

  @AllowNull(false)
  @Column(DataType.STRING(320))
  declare holderEmail: string;
}
