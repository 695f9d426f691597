// `prisma format` for the model emitter's layout test: Prisma's own formatter (prisma-schema-wasm)
// on each schema of a JSON list read from stdin; stdout: the formatted texts, in order.
// argv: <repository root> (where node_modules is).
const path = require("node:path");
const fs = require("node:fs");
const { createRequire } = require("node:module");
const wasm = createRequire(path.join(process.argv[2], "package.json"))("@prisma/prisma-schema-wasm");
const params = JSON.stringify({ textDocument: { uri: "file:/schema.prisma" }, options: { tabSize: 2, insertSpaces: true } });
const schemas = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(schemas.map((s) => wasm.format(s, params))));
