// Where `schemasense serve` comes from: the setting, else a virtual environment in a workspace
// folder, else the PATH. Plain Node (no `vscode` import), so it is unit-tested with node:test.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where it was found, in words, for the log and the status bar's tooltip. */
  origin: string;
}

export interface NotFound {
  /** Every place that was looked at, in order. */
  looked: string[];
}

const EXE = process.platform === "win32" ? "schemasense.exe" : "schemasense";
const VENV_BIN = process.platform === "win32" ? "Scripts" : "bin";
export const VENV_DIRS = [".venv", "venv"];

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `${workspaceFolder}` (the first folder) and a leading `~` expanded. */
export function expand(value: string, folders: readonly string[]): string {
  let out = value.replace(/\$\{workspaceFolder\}/g, folders[0] ?? "");
  if (out === "~" || out.startsWith("~/")) {
    out = path.join(os.homedir(), out.slice(1));
  }
  return out;
}

/** The first `name` on `pathVariable` that is an executable file. */
export function onPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) {
      return path.join(dir, name);
    }
  }
  return undefined;
}

/**
 * The server command: `configured` (the `schemasense.serverCommand` setting) when it is not
 * empty, else `<folder>/.venv/bin/schemasense serve` or `<folder>/venv/...` for the first
 * workspace folder that has one, else `schemasense serve` from `pathVariable`.
 */
export function resolveServerCommand(
  configured: readonly string[] | undefined,
  folders: readonly string[],
  pathVariable: string | undefined = process.env.PATH,
): ServerCommand | NotFound {
  if (configured && configured.length > 0 && configured[0].trim() !== "") {
    const [command, ...args] = configured.map((part) => expand(part, folders));
    return { command, args, origin: "the schemasense.serverCommand setting" };
  }
  const looked: string[] = [];
  for (const folder of folders) {
    for (const venv of VENV_DIRS) {
      const candidate = path.join(folder, venv, VENV_BIN, EXE);
      looked.push(candidate);
      if (isExecutable(candidate)) {
        return { command: candidate, args: ["serve"], origin: `the workspace's ${venv}` };
      }
    }
  }
  looked.push(`${EXE} on the PATH`);
  const found = onPath(EXE, pathVariable);
  if (found) {
    return { command: found, args: ["serve"], origin: "the PATH" };
  }
  return { looked };
}

export function isNotFound(value: ServerCommand | NotFound): value is NotFound {
  return "looked" in value;
}

export const INSTALL_HINT =
  "Install it into the project's virtual environment: " +
  "`python3 -m venv .venv && .venv/bin/pip install schemasense`, " +
  "or set `schemasense.serverCommand` to the command that starts it " +
  '(e.g. ["/path/to/schemasense", "serve"]).';

/** The short message for the notification; `looked` goes to the log. */
export function notFoundMessage(): string {
  return "schemasense: the language server was not found. " + INSTALL_HINT;
}

export function lookedMessage(notFound: NotFound): string {
  return "schemasense: looked for the server at " + notFound.looked.join(", ");
}
