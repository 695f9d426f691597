// TypeORM's own SQL for find options, with no database: the entity metadata is built offline
// and each case's options are applied to a query builder (`setFindOptions`), whose
// `getQueryAndParameters()` is what TypeORM would send. Cases come as JSON on stdin:
// [{ entity, options }], options a JavaScript expression over TypeORM's operators (In, Like, ...)
// written by the test (tests/server/queries/test_typeorm_oracle.py). The entities mirror
// fixtures/typeorm/entities.ts.
const base = process.argv[2];
require(base + "/node_modules/reflect-metadata");
const t = require(base + "/node_modules/typeorm");
const { In, Any, Between, Equal, ILike, IsNull, LessThan, LessThanOrEqual, Like, MoreThan, MoreThanOrEqual, Not, Raw, Or, And } = t;
const User = new t.EntitySchema({ name: "User", tableName: "users", columns: {
  id: { type: Number, primary: true, generated: "increment" }, email: { type: String }, name: { type: String },
  deletedAt: { type: "timestamptz", nullable: true }, age: { type: Number }, createdAt: { type: "timestamptz", createDate: true } },
  relations: { posts: { type: "one-to-many", target: "Post", inverseSide: "author" } } });
const Post = new t.EntitySchema({ name: "Post", columns: {
  id: { type: Number, primary: true, generated: "increment" }, title: { type: String }, status: { type: String },
  createdAt: { type: "timestamptz", createDate: true } },
  relations: { author: { type: "many-to-one", target: "User", inverseSide: "posts" },
               comments: { type: "one-to-many", target: "Comment", inverseSide: "post" },
               tags: { type: "many-to-many", target: "Tag", joinTable: true } } });
const Comment = new t.EntitySchema({ name: "Comment", columns: { id: { type: Number, primary: true, generated: "increment" }, body: { type: String } },
  relations: { post: { type: "many-to-one", target: "Post", inverseSide: "comments" } } });
const Tag = new t.EntitySchema({ name: "Tag", columns: { id: { type: Number, primary: true, generated: "increment" }, label: { type: String } } });
(async () => {
  const ds = new t.DataSource({ type: "postgres", entities: [User, Post, Comment, Tag] });
  await ds.buildMetadatas();
  const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const out = cases.map(({ entity, options }) => {
    try {
      const opts = eval("(" + options + ")");
      const qb = ds.getRepository(entity).createQueryBuilder(entity).setFindOptions(opts);
      const [sql, params] = qb.getQueryAndParameters();
      return { sql, params };
    } catch (e) { return { error: String(e.message || e) }; }
  });
  console.log(JSON.stringify(out));
})().catch((e) => { console.error("ERR", e.stack); process.exit(1); });
