import {
  AllowNull,
  BelongsTo,
  Column,
  DataType,
  ForeignKey,
  Model,
  Table,
  Unique,
} from "sequelize-typescript";
import { Organizer } from "./organizer.model";

@Table({ tableName: "organizer_profiles", underscored: true, timestamps: false })
export class OrganizerProfile extends Model {
  @ForeignKey(() => Organizer)
  @Unique
  @AllowNull(false)
  @Column(DataType.INTEGER)
  declare organizerId: number;

  @BelongsTo(() => Organizer, { onDelete: "CASCADE" })
  declare organizer?: Organizer;

  @Column(DataType.TEXT)
  declare bio: string | null;

  @Column(DataType.STRING(2048))
  declare website: string | null;
}
