// Names from TypeORM itself, for tests/codegen/orms/test_typeorm_naming.py.
// stdin: [[strategy, method, args], ...] with strategy "1" (typeorm 1.x DefaultNamingStrategy),
// "0.3" (typeorm 0.3.28) or "snake" (typeorm-naming-strategies on 1.x); stdout: the names.
const root = process.argv[2];
const strategies = {
  "1": new (require(root + "/node_modules/typeorm").DefaultNamingStrategy)(),
  "0.3": new (require(root + "/node_modules/typeorm-0.3").DefaultNamingStrategy)(),
  snake: new (require(root + "/node_modules/typeorm-naming-strategies").SnakeNamingStrategy)(),
};
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([strategy, method, args]) => {
    try {
      return strategies[strategy][method](...args);
    } catch (error) {
      return { error: String(error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
