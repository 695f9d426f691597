import {
  AllowNull,
  Column,
  DataType,
  Default,
  HasMany,
  HasOne,
  IsEmail,
  Model,
  Table,
  Unique,
} from "sequelize-typescript";
import { Event } from "./event.model";
import { OrganizerProfile } from "./organizer-profile.model";

@Table({ tableName: "organizers", underscored: true })
export class Organizer extends Model {
  @IsEmail
  @Unique
  @AllowNull(false)
  @Column(DataType.STRING(320))
  declare email: string;

  @AllowNull(false)
  @Column(DataType.STRING(120))
  declare displayName: string;

  @AllowNull(false)
  @Default(true)
  @Column(DataType.BOOLEAN)
  declare isActive: boolean;

  @HasOne(() => OrganizerProfile)
  declare profile?: OrganizerProfile;

  @HasMany(() => Event)
  declare events?: Event[];
}
