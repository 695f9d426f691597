// The DTOs' verdicts on payloads: class-validator's `validate` on `plainToInstance(Create<Model>Dto)`
// and zod's `<Model>CreateSchema.safeParse`, for every payload of a JSON file.
// usage: node judge.cjs <dist folder> <payloads.json>  ->  one JSON list on stdout
"use strict";
const path = require("path");
const fs = require("fs");
const { validate } = require("class-validator");
const { plainToInstance } = require("class-transformer");

async function main() {
  const [dist, file] = process.argv.slice(2);
  const job = JSON.parse(fs.readFileSync(file, "utf8"));
  const out = [];
  for (const p of job.payloads) {
    const files = job.files[p.model];
    const cv = require(path.join(dist, files.cv));
    const zod = require(path.join(dist, files.zod));
    const instance = plainToInstance(cv[`Create${p.model}Dto`], p.values);
    const errors = await validate(instance);
    const parsed = zod[`${p.model}CreateSchema`].safeParse(p.values);
    out.push({
      id: p.id,
      cv: errors.length === 0,
      zod: parsed.success,
      cvErrors: errors.map((e) => `${e.property}: ${Object.keys(e.constraints || {}).join(",")}`),
      zodErrors: parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`),
    });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
