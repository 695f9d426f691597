// Unit tests of the plain parts (no VS Code): where the server comes from, the settings sent,
// the status bar's counts. `npm test` after `npm run compile`; the real editor is tested by
// tests/editors/test_vscode.py.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { isNotFound, lookedMessage, notFoundMessage, resolveServerCommand } from "../serverCommand";
import {
  checkDescription,
  fileDescription,
  isDescriptionFile,
  projectOf,
  reportName,
  summary,
} from "../layer";
import { queryFilters, selectsQueries } from "../queries";
import { serverSettings } from "../settings";
import { count, describe } from "../status";

function executable(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
}

test("the setting wins, with ${workspaceFolder} expanded", () => {
  const found = resolveServerCommand(["${workspaceFolder}/bin/ss", "serve", "--tcp"], ["/w"], "");
  assert.deepEqual(found, {
    command: "/w/bin/ss",
    args: ["serve", "--tcp"],
    origin: "the schemasense.serverCommand setting",
  });
});

test("then .venv, then venv, in the workspace folders; then the PATH", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ss-"));
  const [a, b, bin] = ["a", "b", "bin"].map((name) => path.join(root, name));
  fs.mkdirSync(a);
  executable(path.join(b, "venv", "bin", "schemasense"));
  executable(path.join(bin, "schemasense"));
  assert.deepEqual(resolveServerCommand([], [a, b], bin), {
    command: path.join(b, "venv", "bin", "schemasense"),
    args: ["serve"],
    origin: "the workspace's venv",
  });
  executable(path.join(b, ".venv", "bin", "schemasense"));
  assert.deepEqual(resolveServerCommand([], [a, b], bin), {
    command: path.join(b, ".venv", "bin", "schemasense"),
    args: ["serve"],
    origin: "the workspace's .venv",
  });
  assert.deepEqual(resolveServerCommand([], [a], bin), {
    command: path.join(bin, "schemasense"),
    args: ["serve"],
    origin: "the PATH",
  });
});

test("none found: every place looked at, and how to install", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ss-"));
  const result = resolveServerCommand(undefined, [root], path.join(root, "nothing"));
  assert.ok(isNotFound(result));
  assert.deepEqual(result.looked, [
    path.join(root, ".venv", "bin", "schemasense"),
    path.join(root, "venv", "bin", "schemasense"),
    "schemasense on the PATH",
  ]);
  assert.match(lookedMessage(result), /looked for the server at .*schemasense on the PATH/);
  const message = notFoundMessage();
  assert.match(message, /was not found/);
  assert.match(message, /pip install schemasense/);
  assert.match(message, /schemasense\.serverCommand/);
});

test("only the keys the server reads are sent; auto dialect is null", () => {
  const values: Record<string, unknown> = {
    serverCommand: ["x"],
    "trace.server": "verbose",
    ignore: ["DB105"],
    dialect: "auto",
  };
  const settings = serverSettings({ get: <T>(key: string) => values[key] as T | undefined });
  assert.deepEqual(settings, {
    enable: true,
    debounceMs: 0,
    logLevel: "warning",
    select: null,
    ignore: ["DB105"],
    dialect: null,
  });
});

test("status: problems by severity, drift by DB3xx code", () => {
  const counts = count([
    [{ severity: 0, code: { value: "DB005" } }, { severity: 1, code: "DB301" }],
    [],
    [{ severity: 2, code: "DB101" }],
  ]);
  assert.deepEqual(counts, { errors: 1, warnings: 1, infos: 1, drift: 1, files: 2 });
  assert.equal(describe(counts).text, "$(error) schemasense: 3 problems, 1 drift");
  assert.equal(describe(count([])).text, "$(check) schemasense: 0 problems");
});

test("code files are attached only in projects whose schemasense.toml selects the query rules", () => {
  assert.equal(selectsQueries('extend-select = ["DB401"]\n'), true);
  assert.equal(selectsQueries("select = ['DB4']"), true);
  assert.equal(selectsQueries('extend-select = ["query-without-index"]'), true);
  assert.equal(selectsQueries('select = ["DB1", "DB3"]\n# extend-select = ["DB401"]'), false);
  assert.equal(selectsQueries(""), false);
  const filters = queryFilters(["/w/app [1]"]);
  assert.deepEqual(
    filters.map((f) => f.language),
    ["typescript", "javascript", "typescriptreact", "javascriptreact"],
  );
  assert.equal(filters[0].pattern, "/w/app [[]1[]]/**/*");
  assert.deepEqual(queryFilters([]), []);
});

test("Generate database layer: the description, the project, the report's name", () => {
  assert.equal(isDescriptionFile("/w/docs/catalog.sql"), true);
  assert.equal(isDescriptionFile("/w/tag.entity.ts"), true);
  assert.equal(isDescriptionFile("/w/schema.prisma"), true);
  assert.equal(isDescriptionFile("/w/README.md"), false);
  assert.equal(fileDescription("/w/docs/catalog.sql", false, "CREATE TABLE x ();"), "@/w/docs/catalog.sql");
  assert.equal(fileDescription("/w/docs/catalog.sql", true, "CREATE TABLE x ();"), "CREATE TABLE x ();");
  assert.equal(checkDescription("@docs/catalog.sql"), undefined);
  assert.match(checkDescription("  ") ?? "", /Type the feature's schema/);
  assert.match(checkDescription("@") ?? "", /path/);
  const markers = new Set(["/w/api/package.json", "/w/package.json"]);
  const exists = (p: string) => markers.has(p);
  assert.equal(projectOf("/w/api/src/user.entity.ts", "/w", exists), "/w/api");
  assert.equal(projectOf("/w/web/x.ts", "/w", exists), "/w");
  assert.equal(projectOf("/other/x.ts", "/w", () => false), "/w");
  assert.equal(reportName("Product Catalog"), "Product Catalog database layer.md");
  assert.equal(reportName("a/b"), "a b database layer.md");
  assert.equal(
    summary({ feature: "Tags", orm: "prisma", files: [
      { uri: "file:///a", action: "create", kind: "model" },
      { uri: "file:///b", action: "edit", kind: "test" },
    ] }),
    "schemasense: database layer Tags (prisma): 1 file created, 1 changed",
  );
});
