"""Classes, decorators, members, imports, exports and calls of a file (`declarations.py`)."""

from __future__ import annotations

from schemasense.server.sources.typescript import read_module
from schemasense.server.sources.typescript.values import Func, Obj, Ref, Str

ENTITY = """import { Entity, Column, ManyToOne, Index } from "typeorm";
import * as T from "typeorm";
import type { Relation } from "typeorm";
import Base, { Shared as S } from "./base";

const LEN = 255;

/** A person who writes. */
@Entity("users", { schema: "app" })
@Index(["email", "name"], { unique: true })
export class User extends Base<User> implements HasId {
  /** The login. */
  @Column({ type: "varchar", length: LEN, nullable: true })
  email?: string | null;

  @T.Column()
  name!: string;

  @ManyToOne(() => Team, (team) => team.users, { onDelete: "CASCADE" })
  team: Relation<Team>;

  static tableName = "users";
  declare readonly id: number;

  get label(): string { return this.name; }
}

class Hidden {}
export default abstract class Thing {}
"""


def test_classes_with_their_decorators_members_and_heritage():
    module = read_module("user.entity.ts", ENTITY)
    assert [c.name for c in module.classes] == ["User", "Hidden", "Thing"]
    user = module.class_named("User")
    assert user is not None and user.exported and not user.default_export
    assert [d.name for d in user.decorators] == ["Entity", "Index"]
    entity = user.decorator("Entity")
    assert entity.arg(0).value == "users"  # type: ignore[union-attr]
    assert entity.options().get("schema").value == "app"  # type: ignore[union-attr]
    assert ENTITY[user.start : user.start + 7] == "@Entity"
    assert ENTITY[user.name_start : user.name_end] == "User"
    assert user.extends_name == "Base" and user.extends_type_args == "<User>"
    assert user.implements == ("HasId",)
    assert user.doc == "A person who writes."
    thing = module.class_named("Thing")
    assert thing.abstract and thing.default_export  # type: ignore[union-attr]


def test_members():
    user = read_module("user.entity.ts", ENTITY).class_named("User")
    email = user.member("email")
    options = email.decorator("Column").options()
    assert isinstance(options, Obj) and options.get("length").value == 255  # type: ignore[union-attr]
    assert email.optional and email.type_text == "string | null" and email.doc == "The login."
    name = user.member("name")
    assert name.definite and name.decorators[0].path == ("T", "Column")
    team = user.member("team").decorator("ManyToOne")
    target, inverse = team.args[0], team.args[1]
    assert isinstance(target, Func) and target.returns.path == ("Team",)  # type: ignore[union-attr]
    assert isinstance(inverse, Func) and inverse.params == ("team",)
    assert user.member("tableName", static=True).value.value == "users"  # type: ignore[union-attr]
    ident = user.member("id")
    assert ident.declare and ident.readonly
    assert user.member("label").kind == "getter"


def test_imports_and_where_a_name_comes_from():
    module = read_module("user.entity.ts", ENTITY)
    assert module.import_of("Column")[0].module == "typeorm"  # type: ignore[index]
    imp, original = module.import_of("S")  # type: ignore[misc]
    assert imp.module == "./base" and original == "Shared" and imp.default == "Base"
    assert module.import_of("T")[0].namespace == "T"  # type: ignore[index]
    assert [i.type_only for i in module.imports] == [False, False, True, False]
    required = read_module(
        "m.js", 'const { DataTypes } = require("sequelize");\nconst x = require("./x");\n'
    )
    assert [(i.module, i.default) for i in required.imports] == [("./x", "x")]


MIGRATION = """import { MigrationInterface, QueryRunner, Table } from "typeorm";

const TABLE = "post";

export class AddPost1700000000000 implements MigrationInterface {
  name = "AddPost1700000000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "${TABLE}" ("id" SERIAL NOT NULL)`);
    await queryRunner.createTable(
      new Table({ name: "tag", columns: [{ name: "id", type: "int" }] }),
      true,
    );
    for (const t of ["a", "b"]) {
      await queryRunner.query(`DROP TABLE ${t}`);
    }
    [1, 2].forEach(async (i) => { await queryRunner.manager.query("SELECT " + i); });
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "post"`);
  }
}
"""


def test_calls_in_a_method_with_their_arguments_and_loops():
    module = read_module("1700000000000-AddPost.ts", MIGRATION)
    cls = module.classes[0]
    up = cls.member("up")
    assert up.params[0].name == "queryRunner" and up.params[0].type_text == "QueryRunner"
    calls = module.calls((up.body_start, up.body_end), lambda c: c.path[:1] == ("queryRunner",))
    assert [c.path for c in calls] == [
        ("queryRunner", "query"),
        ("queryRunner", "createTable"),
        ("queryRunner", "query"),
        ("queryRunner", "manager", "query"),
    ]
    first = calls[0].args[0]
    assert isinstance(first, Str) and first.value == 'CREATE TABLE "post" ("id" SERIAL NOT NULL)'
    table = calls[1].args[0]
    assert table.new and table.callee_path == ("Table",)  # type: ignore[union-attr]
    assert calls[1].args.get(1).value is True  # type: ignore[union-attr]
    assert [c.in_loop for c in calls] == [False, False, True, True]
    assert calls[2].args[0].value is None  # `${t}` is not known
    down = cls.member("down")
    assert len(module.calls((down.body_start, down.body_end))) == 1
    assert cls.member("name").value.value == "AddPost1700000000000"  # type: ignore[union-attr]


def test_module_exports_of_a_sequelize_migration():
    text = """"use strict";
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addIndex("Users", ["email"], { unique: true });
  },
  down: async (queryInterface) => queryInterface.removeIndex("Users", ["email"]),
};
"""
    module = read_module("20200101000000-add-index.js", text)
    exported = module.default_export
    assert isinstance(exported, Obj) and exported.keys() == ["up", "down"]
    up = exported.get("up")
    assert isinstance(up, Func) and up.params == ("queryInterface", "Sequelize")
    calls = module.calls((up.body_start, up.body_end))
    assert [c.path for c in calls] == [("queryInterface", "addIndex")]
    assert calls[0].args[2].get("unique").value is True  # type: ignore[union-attr]
    down = exported.get("down")
    assert isinstance(down.returns, type(calls[0].callee)) or down.returns is not None  # type: ignore[union-attr]


def test_broken_text_reads_what_it_can_and_lists_the_errors():
    text = "@Entity()\nexport class A {\n  @Column() name: string\n  @Column( x\n}\nclass B {}\n"
    module = read_module("a.ts", text)
    assert module.syntax_errors, "the broken decorator is reported"
    for problem in module.syntax_errors:
        assert 0 <= problem.start <= problem.end <= len(text)
    assert "B" in [c.name for c in module.classes] or module.classes


def test_ref_paths_of_namespaced_decorators():
    module = read_module("a.ts", "@orm.Entity()\nclass A {}\n")
    assert module.classes[0].decorators[0].path == ("orm", "Entity")
    assert isinstance(module.calls()[0].callee, Ref)


def test_a_call_knows_whether_a_condition_guards_it() -> None:
    text = """async function up(q) {
  await q.query("a");
  if (!(await q.hasColumn("t", "c"))) { await q.query("b"); }
  else await q.query("c");
  x && q.query("d");
  try { q.query("e"); } catch (err) { q.query("f"); }
  const g = () => q.query("g");
}
"""
    module = read_module("/m.ts", text)
    queries = [c for c in module.calls() if c.method == "query"]
    said = {c.args[0].value: c.conditional for c in queries}
    assert said == {"a": False, "b": True, "c": True, "d": True, "e": False, "f": True, "g": False}
    has = next(c for c in module.calls() if c.method == "hasColumn")
    assert has.conditional is False  # the condition itself always runs


def test_a_top_level_function_is_found_as_a_member() -> None:
    text = """export async function fix(queryRunner: QueryRunner, table: string) { await x(); }
const arrow = async (qr) => { await qr.query("a"); };
class C { fix() {} }
"""
    module = read_module("/m.ts", text)
    fix = module.function_member("fix")
    assert fix is not None and [p.name for p in fix.params] == ["queryRunner", "table"]
    assert text[fix.body_start : fix.body_end] == "{ await x(); }"
    arrow = module.function_member("arrow")
    assert arrow is not None and [p.name for p in arrow.params] == ["qr"]
    assert module.function_member("C") is None and module.function_member("nothing") is None


def test_imported_names_are_asked_of_the_resolver() -> None:
    asked = []

    def resolve(imp, name):
        asked.append((imp.module, name))
        return Str(0, 0, "users") if name == "TABLE" else None

    text = """import { TABLE, OTHER as O } from "./names";
import type { T } from "./types";
import * as ns from "./ns";
const a = `x ${TABLE} ${O} ${T} ${ns.Y}`;
"""
    module = read_module("/m.ts", text, resolve)
    value = module.constant("a")
    assert isinstance(value, Str) and value.value is None  # O, T, ns.Y stay unknown
    assert value.parts[0].text == "x users "  # the known constant joins the text around it
    assert asked == [("./names", "TABLE"), ("./names", "OTHER")]
