import { AllowNull, BelongsToMany, Column, DataType, Model, Table, Unique } from "sequelize-typescript";
import { Event } from "./event.model";
import { EventTag } from "./event-tag.model";

@Table({ tableName: "tags", underscored: true, timestamps: false })
export class Tag extends Model {
  @Unique
  @AllowNull(false)
  @Column(DataType.STRING(40))
  declare name: string;

  @BelongsToMany(() => Event, () => EventTag)
  declare events?: Event[];
}
