// Which code files the extension hands to the server for the query rules (DB401, issue 16).
//
// A TypeScript or JavaScript file that declares no model (`src/users.ts`) is only attached in a
// project that asked for the query rules: its `schemasense.toml` selects them (`DB401`, the
// `DB4` prefix, or the rule's name). Anywhere else the extension keeps away from plain code
// files, as it always has. Pure: no VS Code here (unit-tested under node:test).

import * as path from "node:path";

/** The languages of the code files the query readers read (server/queries/files.py). */
export const CODE_LANGUAGES = ["typescript", "javascript", "typescriptreact", "javascriptreact"];

/** Whether a `schemasense.toml`'s text selects a query rule (comments left out). */
export function selectsQueries(toml: string): boolean {
  return toml
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, ""))
    .some((line) => /["']DB4/.test(line) || /query-without-index/.test(line));
}

/** Document filters for the code files of the projects (folders of a `schemasense.toml` that
 * selects the query rules): every code file below each folder. Patterns are absolute paths,
 * which VS Code matches against the document's path. */
export function queryFilters(
  projects: string[],
): { scheme: string; language: string; pattern: string }[] {
  return projects.flatMap((folder) =>
    CODE_LANGUAGES.map((language) => ({
      scheme: "file",
      language,
      pattern: `${globEscape(folder.split(path.sep).join("/"))}/**/*`,
    })),
  );
}

/** `folder` with the glob's special characters put in brackets, to be matched as written. */
function globEscape(folder: string): string {
  return folder.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}
