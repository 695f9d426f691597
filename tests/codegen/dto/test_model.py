"""What a DTO says of each column: presence in Create, nullability, type rules, the ORM's part."""

from __future__ import annotations

from schemasense.codegen.emit.dto import ColumnHint, DtoOptions, Hints, dto_file, dto_models
from schemasense.codegen.emit.style import CodeStyle
from schemasense.codegen.schema import (
    CheckConstraint,
    Column,
    ColumnType,
    Default,
    Enum,
    EnumValue,
    Schema,
    Table,
)


def _schema() -> Schema:
    def col(name, kind, native=None, **kw):
        extra = {k: kw.pop(k) for k in ("length", "precision", "scale", "enum") if k in kw}
        return Column(
            name=name, field_name=name, type=ColumnType(kind=kind, native=native, **extra), **kw
        )

    table = Table(
        name="item",
        model_name="Item",
        columns=[
            col("id", "int", "integer", auto_increment=True),
            col("sku", "string", "character varying(12)", length=12),
            col("note", "text", "text", nullable=True),
            col("qty", "int", "integer", default=Default(kind="expression", value="0")),
            col("price", "decimal", "numeric(8,2)", precision=8, scale=2),
            col("kind", "enum", "kind", enum="kind"),
            col(
                "added",
                "timestamp",
                "timestamp(3)",
                default=Default(kind="expression", value="CURRENT_TIMESTAMP"),
            ),
            col("token", "uuid", "uuid"),
        ],
        checks=[CheckConstraint(name="qty_ck", expression="CHECK ((qty >= 0))")],
    )
    kind = Enum(name="kind", model_name="Kind", values=[EnumValue(name="A"), EnumValue(name="B")])
    return Schema(provider="postgresql", tables=[table], enums=[kind])


def _fields(**kw):
    [model] = dto_models(_schema(), **kw)
    return model, {f.property: f for f in model.fields}


def test_presence_and_nullability():
    model, f = _fields(
        hints=Hints(columns={("item", "token"): ColumnHint(filled_by="Prisma Client fills it")})
    )
    assert f["sku"].presence == "required" and not f["sku"].nullable
    assert f["note"].presence == "optional" and f["note"].nullable
    assert f["qty"].presence == "optional" and not f["qty"].nullable  # a default: may be left out
    assert f["id"].presence == "omitted" and f["added"].presence == "omitted"  # the database fills
    assert f["token"].presence == "omitted"  # the ORM fills
    assert [x.property for x in model.create_fields] == ["sku", "note", "qty", "price", "kind"]


def test_rules_from_types_and_checks():
    _, f = _fields()
    assert [(r.kind, r.value) for r in f["sku"].rules] == [("max_length", 12)]
    assert [(r.kind, r.value) for r in f["qty"].rules] == [("min", 0), ("max", 2147483647)]
    assert [r.value for r in f["price"].rules] == [r"^-?\d{1,6}(\.\d+)?$"]  # numeric(8,2)
    assert f["kind"].enum == "Kind" and f["kind"].enum_values == ("A", "B")


def test_decimal_as_number_is_bounded():
    _, f = _fields(options=DtoOptions(decimal="number"))
    assert f["price"].base == "number"
    assert sorted(r.value for r in f["price"].rules) == [-999999.99, 999999.99]


def test_class_validator_refuses_null_where_the_column_does():
    [model] = dto_models(_schema())
    text = dto_file(model, "class-validator", CodeStyle(), DtoOptions()).text
    create = text.split("export class CreateItemDto")[1].split("export class UpdateItemDto")[0]
    assert "@IsOptional()\n  @IsString()\n  note?: string | null;" in create
    assert "@ValidateIf((_, value) => value !== undefined)\n  @IsInt()\n  @Min(0)" in create
    assert "sku!: string;" in create and "  id" not in create
    zod = dto_file(model, "zod", CodeStyle(quote="'", semicolons=False), DtoOptions()).text
    assert "qty: z.int().min(0).max(2147483647).optional()," in zod
    assert "note: z.string().nullable().optional()," in zod
    assert "import { z } from 'zod'\n" in zod
    assert "export const ItemUpdateSchema = ItemCreateSchema.partial()\n" in zod
