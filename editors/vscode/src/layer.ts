// "schemasense: Generate database layer…" (issue 15): the plain parts, with no VS Code here
// (unit-tested under node:test). The command itself is in extension.ts; the work is the
// server's `schemasense.generateDatabaseLayer` (server/features/generate_layer.py), which runs
// the same workflow as `schemasense generate description:"…"` and applies one workspace edit.

import * as fs from "node:fs";
import * as path from "node:path";

/** The server's executeCommand. Not our own command's id: vscode-languageclient registers
 * every command the server advertises under its own id. */
export const SERVER_GENERATE_LAYER = "schemasense.generateDatabaseLayer";

/** The arguments the server takes (also what our command takes from a keybinding or a
 * script: `{description, orm?, migration?, projectUri?}`). */
export interface LayerOptions {
  description?: string;
  orm?: string;
  migration?: string;
  projectUri?: string;
}

/** What the server answers. */
export interface LayerResult {
  applied?: boolean;
  feature?: string;
  orm?: string;
  files?: { uri: string; action: string; kind: string }[];
  report?: string;
  error?: string;
  problems?: string[];
  ormChoices?: string[];
}

/** Files whose text can be a description: SQL DDL, Prisma models, a TypeORM entity or a
 * Sequelize model. */
export function isDescriptionFile(file: string): boolean {
  return /\.(sql|prisma|ts|mts|cts|js|mjs|cjs)$/i.test(file);
}

/** The description argument for an editor's file: `@path` (absolute, the server reads it as
 * the CLI would), or its text when it has unsaved changes (the server reads the disk). */
export function fileDescription(fsPath: string, dirty: boolean, text: string): string {
  return dirty ? text : `@${fsPath}`;
}

/** Why the typed description cannot be sent, or undefined. */
export function checkDescription(value: string): string | undefined {
  const v = value.trim();
  if (!v) {
    return "Type the feature's schema (SQL DDL, Prisma models, an entity or a model), or @path";
  }
  if (v === "@") {
    return "@ is followed by the description file's path (relative to the workspace folder)";
  }
  return undefined;
}

const PROJECT_MARKERS = ["schemasense.toml", "package.json"];

/** The project a file belongs to: the nearest folder above it (up to `top`, the workspace
 * folder) with a `schemasense.toml` or a `package.json`; else `top`. */
export function projectOf(
  file: string,
  top: string,
  exists: (p: string) => boolean = (p) => fs.existsSync(p),
): string {
  let dir = path.dirname(file);
  const root = path.resolve(top);
  while (dir.startsWith(root)) {
    if (PROJECT_MARKERS.some((m) => exists(path.join(dir, m)))) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      break;
    }
    dir = up;
  }
  return root;
}

/** A one-line account of what was made, for the notification. */
export function summary(result: LayerResult): string {
  const files = result.files ?? [];
  const made = files.filter((f) => f.action === "create").length;
  const changed = files.length - made;
  return (
    `schemasense: database layer ${result.feature ?? ""} (${result.orm ?? "?"}): ` +
    `${made} file${made === 1 ? "" : "s"} created, ${changed} changed`
  );
}

/** The report's tab name: `Product Catalog database layer.md`. */
export function reportName(feature: string | undefined): string {
  const name = (feature ?? "feature").replace(/[\\/:*?"<>|]+/g, " ").trim() || "feature";
  return `${name} database layer.md`;
}
