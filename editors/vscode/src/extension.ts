// The schemasense extension: starts `schemasense serve` and connects VS Code to it.
//
// Everything the user sees comes from the server (diagnostics, hovers, quick fixes, rename...)
// through vscode-languageclient; this file only finds the server, passes the settings, keeps
// the status bar's counts and adds a few commands (Generate migration, Generate database layer,
// Show drift, Restart server, Show server log). It lives beside Prisma's own extension: it
// contributes no language and no grammar, and selects documents by path pattern, so a `.prisma`
// file keeps whatever language Prisma's extension (or nothing) gives it.

import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

import {
  INSTALL_HINT,
  isNotFound,
  lookedMessage,
  notFoundMessage,
  resolveServerCommand,
  ServerCommand,
} from "./serverCommand";
import {
  checkDescription,
  fileDescription,
  isDescriptionFile,
  LayerOptions,
  LayerResult,
  projectOf,
  reportName,
  SERVER_GENERATE_LAYER,
  summary,
} from "./layer";
import { queryFilters, selectsQueries } from "./queries";
import { serverSettings } from "./settings";
import { count, describe, isDrift } from "./status";

const SECTION = "schemasense";
/** The server's executeCommand for a new migration (issue 5). Not the id of our own command:
 * vscode-languageclient registers every command the server advertises under its own id. */
const SERVER_GENERATE_MIGRATION = "schemasense.generateMigration";

/** Prisma schemas, SQL DDL schema files (the server's `sql_ddl` source: `schema.sql`,
 * Rails' `db/structure.sql`), SQL migrations, TypeScript entity / model files, and TypeORM /
 * Sequelize migrations. Code files of projects that select the query rules are added at start
 * (`queries.ts`). */
export const DOCUMENT_SELECTOR = [
  { scheme: "file", pattern: "**/*.prisma" },
  { scheme: "file", pattern: "**/schema.sql" },
  { scheme: "file", pattern: "**/db/structure.sql" },
  { scheme: "file", pattern: "**/migrations/**/*.sql" },
  { scheme: "file", language: "typescript", pattern: "**/*.entity.ts" },
  { scheme: "file", language: "typescript", pattern: "**/entities/**/*.ts" },
  { scheme: "file", language: "typescript", pattern: "**/*.model.ts" },
  { scheme: "file", language: "typescript", pattern: "**/models/**/*.ts" },
  // TypeORM projects: `entity/` folders (the TypeORM CLI's layout), DataSources, and the
  // JavaScript forms of the same files
  { scheme: "file", language: "typescript", pattern: "**/entity/**/*.ts" },
  { scheme: "file", language: "typescript", pattern: "**/{data-source,datasource,ormconfig}.ts" },
  { scheme: "file", language: "javascript", pattern: "**/*.entity.js" },
  { scheme: "file", language: "javascript", pattern: "**/{entity,entities}/**/*.js" },
  { scheme: "file", language: "javascript", pattern: "**/{data-source,datasource,ormconfig}.js" },
  // Sequelize models in JavaScript (sequelize-cli's `models/`, as Neovim's set-up attaches)
  { scheme: "file", language: "javascript", pattern: "**/models/**/*.js" },
  { scheme: "file", language: "javascript", pattern: "**/*.model.js" },
  // TypeORM migration classes (`src/migrations/`, the CLI's `src/migration/`) and Sequelize
  // migrations (`migrations/*.js`): go to definition into the entity, completion of options
  { scheme: "file", language: "typescript", pattern: "**/{migration,migrations}/**/*.ts" },
  { scheme: "file", language: "javascript", pattern: "**/{migration,migrations}/**/*.js" },
];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let lastNotFound: string | undefined;
/** The folders whose `schemasense.toml` selects the query rules, when the client started. */
let queryProjects: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("schemasense", { log: true });
  status = vscode.window.createStatusBarItem("schemasense.status", vscode.StatusBarAlignment.Left, 0);
  status.name = "schemasense";
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("schemasense.client.generateMigration", generateMigration),
    vscode.commands.registerCommand("schemasense.client.generateDatabaseLayer", generateDatabaseLayer),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand("schemasense.client.showDrift", showDrift),
    vscode.commands.registerCommand("schemasense.restartServer", restart),
    vscode.commands.registerCommand("schemasense.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("schemasense.client.showNotFound", showNotFound),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    ...watchConfigFiles(),
    { dispose: () => void client?.stop() },
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function folders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string[]>("serverCommand");
  const resolved = resolveServerCommand(configured, folders());
  if (isNotFound(resolved)) {
    lastNotFound = notFoundMessage();
    output.appendLine(lookedMessage(resolved));
    output.appendLine(lastNotFound);
    status.text = "$(error) schemasense: server not found";
    status.tooltip = "The schemasense language server was not found. Click for how to install it.";
    status.command = "schemasense.client.showNotFound";
    status.show();
    void showNotFound(); // not awaited: activation must not wait for the user to answer
    return;
  }
  lastNotFound = undefined;
  queryProjects = await findQueryProjects();
  client = createClient(resolved, queryProjects);
  client.onDidChangeState((event) => {
    if (event.newState === State.Stopped) {
      status.text = "$(debug-stop) schemasense: stopped";
      status.tooltip = "The schemasense server stopped. Run 'schemasense: Restart server'.";
      status.command = "schemasense.showOutput";
    } else if (event.newState === State.Running) {
      updateStatus();
    }
  });
  status.text = "$(loading~spin) schemasense";
  status.tooltip = `Starting ${resolved.command} (from ${resolved.origin})`;
  status.show();
  output.appendLine(`Starting ${[resolved.command, ...resolved.args].join(" ")} (from ${resolved.origin})`);
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The server did not start: ${error}`);
    void vscode.window.showErrorMessage(
      `schemasense: the server did not start (${resolved.command}). ${INSTALL_HINT}`,
    );
  }
}

/** The folders of the workspace's `schemasense.toml` files that select the query rules. */
async function findQueryProjects(): Promise<string[]> {
  const found = await vscode.workspace.findFiles("**/schemasense.toml", "**/node_modules/**", 50);
  const projects: string[] = [];
  for (const uri of found) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      if (selectsQueries(text)) {
        projects.push(vscode.Uri.joinPath(uri, "..").fsPath);
      }
    } catch {
      // unreadable: not a project that asked for the query rules
    }
  }
  return projects.sort();
}

/** A `schemasense.toml` that starts or stops selecting the query rules changes which files the
 * client attaches to: the client is made again (the document selector is fixed per client). */
function watchConfigFiles(): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher("**/schemasense.toml");
  const changed = async () => {
    if (!client) {
      return;
    }
    const now = await findQueryProjects();
    if (now.join("\n") !== queryProjects.join("\n")) {
      output.appendLine("The query rules' projects changed: restarting the server.");
      await restart();
    }
  };
  return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)];
}

function createClient(server: ServerCommand, projects: string[]): LanguageClient {
  const cwd = folders()[0];
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    // No `transport`: TransportKind.stdio would append `--stdio`, which `serve` does not take.
    options: cwd ? { cwd } : {},
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...DOCUMENT_SELECTOR, ...queryFilters(projects)],
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: { [SECTION]: serverSettings(vscode.workspace.getConfiguration(SECTION)) },
    diagnosticCollectionName: SECTION,
    middleware: {
      workspace: {
        // The server asks for the `schemasense` section: answer with only the keys it reads.
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) {
            return answer;
          }
          return params.items.map((item, i) =>
            item.section === SECTION
              ? serverSettings(
                  vscode.workspace.getConfiguration(
                    SECTION,
                    item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined,
                  ),
                )
              : answer[i],
          );
        },
      },
    },
  };
  return new LanguageClient("schemasense", "schemasense", serverOptions, clientOptions);
}

async function restart(): Promise<void> {
  const previous = client;
  client = undefined;
  if (previous) {
    output.appendLine("Restarting the server.");
    try {
      await previous.stop(5000);
    } catch (error) {
      output.appendLine(`Stopping the server failed: ${error}`);
    }
  }
  await start();
}

async function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration(SECTION)) {
    return;
  }
  if (event.affectsConfiguration(`${SECTION}.serverCommand`) || !client) {
    await restart();
    return;
  }
  if (client.state === State.Running) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: serverSettings(vscode.workspace.getConfiguration(SECTION)) },
    });
  }
}

async function showNotFound(): Promise<void> {
  if (!lastNotFound) {
    return;
  }
  const choice = await vscode.window.showErrorMessage(lastNotFound, "Open Settings", "Show Log");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.serverCommand`);
  } else if (choice === "Show Log") {
    output.show(true);
  }
}

function updateStatus(): void {
  if (!client || client.state !== State.Running || !client.diagnostics) {
    return;
  }
  const perFile: vscode.Diagnostic[][] = [];
  client.diagnostics.forEach((_uri, diagnostics) => {
    perFile.push([...diagnostics]);
  });
  const { text, tooltip } = describe(count(perFile));
  status.text = text;
  status.tooltip = tooltip;
  status.command = "workbench.actions.view.problems";
  status.show();
}

async function runningClient(): Promise<LanguageClient | undefined> {
  if (client?.state === State.Running) {
    return client;
  }
  if (lastNotFound) {
    await showNotFound();
  } else {
    void vscode.window.showWarningMessage("schemasense: the server is not running.");
  }
  return undefined;
}

/** Whether `path` is a schema file the server reads: Prisma, or SQL DDL. */
function isSchemaFile(path: string): boolean {
  return (
    path.endsWith(".prisma") ||
    /[\\/]schema\.sql$/.test(path) ||
    /[\\/]db[\\/]structure\.sql$/.test(path)
  );
}

/** The schema the command is about: the active schema editor (`.prisma` or a DDL schema
 * file), else the workspace's first `.prisma` file. */
async function targetSchema(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === "file" && isSchemaFile(active.fsPath)) {
    return active;
  }
  const [first] = await vscode.workspace.findFiles("**/*.prisma", "**/node_modules/**", 1);
  return first;
}

async function generateMigration(): Promise<void> {
  const c = await runningClient();
  if (!c) {
    return;
  }
  const schema = await targetSchema();
  const advertised = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (advertised.includes(SERVER_GENERATE_MIGRATION)) {
    if (!schema) {
      void vscode.window.showWarningMessage("schemasense: no schema.prisma in this workspace.");
      return;
    }
    await serverGenerate(c, schema, undefined);
    return;
  }
  // The same thing offered as a code action on the schema ("Generate migration…").
  if (schema) {
    const document = await vscode.workspace.openTextDocument(schema);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider",
        schema,
        whole,
      )) ?? [];
    const action = actions.find((a) => /^Generate migration/i.test(a.title));
    if (action) {
      if (action.edit) {
        await applyAndOpen(action.edit);
      }
      if (action.command) {
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      }
      return;
    }
  }
  const version = c.initializeResult?.serverInfo?.version ?? "?";
  void vscode.window.showInformationMessage(
    `schemasense: Generate migration is not available yet in this server (schemasense ${version}).`,
  );
}

/** What `schemasense.generateMigration` answers (server/features/generate_migration.py). */
interface GenerateResult {
  error?: string;
  needsDecision?: string[];
  applied?: boolean;
  name?: string;
  files?: string[];
  message?: string;
  unsupported?: string[];
}

/** The server writes the files through workspace/applyEdit (created, filled, not saved: the
 * user sees them and can undo). A rename it is unsure of is asked here, then it runs again. */
async function serverGenerate(
  c: LanguageClient,
  schema: vscode.Uri,
  renames: Record<string, boolean> | undefined,
): Promise<void> {
  const uri = c.code2ProtocolConverter.asUri(schema);
  const result = (await c.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_GENERATE_MIGRATION,
    arguments: [renames ? { uri, renames } : { uri }],
  })) as GenerateResult | null;
  if (!result || typeof result !== "object") {
    return;
  }
  if (result.error) {
    void vscode.window.showErrorMessage(`schemasense: ${result.error}`);
  } else if (result.needsDecision && result.needsDecision.length > 0) {
    const decided: Record<string, boolean> = { ...(renames ?? {}) };
    for (const label of result.needsDecision) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: "Rename", detail: `${label}: the data stays`, rename: true },
          { label: "Drop and add", detail: `${label}: the old column's data is lost`, rename: false },
        ],
        { placeHolder: `${label}: a rename, or a drop and an add?` },
      );
      if (!pick) {
        return;
      }
      decided[label] = pick.rename;
    }
    await serverGenerate(c, schema, decided);
  } else if (result.applied) {
    for (const file of result.files ?? []) {
      await vscode.window.showTextDocument(c.protocol2CodeConverter.asUri(file), { preview: false });
    }
    const unsupported = result.unsupported?.length ? ` Not expressible: ${result.unsupported.join("; ")}.` : "";
    void vscode.window.showInformationMessage(
      `schemasense: migration ${result.name ?? ""} written (save the files to keep it).${unsupported}`,
    );
  } else if (result.message) {
    void vscode.window.showInformationMessage(`schemasense: ${result.message}`);
  }
}

async function applyAndOpen(edit: vscode.WorkspaceEdit): Promise<void> {
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage("schemasense: the migration could not be written.");
    return;
  }
  const created = edit.entries().map(([uri]) => uri).find((uri) => !uri.fsPath.endsWith(".prisma"));
  if (created) {
    await vscode.window.showTextDocument(created, { preview: false });
  }
}

async function showDrift(): Promise<void> {
  const c = await runningClient();
  if (!c?.diagnostics) {
    return;
  }
  const items: (vscode.QuickPickItem & { uri: vscode.Uri; range: vscode.Range })[] = [];
  c.diagnostics.forEach((uri, diagnostics) => {
    for (const d of diagnostics) {
      if (isDrift(d)) {
        const [first, ...rest] = d.message.split("\n");
        items.push({
          label: first,
          description: `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1}`,
          detail: rest.join(" ") || undefined,
          uri,
          range: d.range,
        });
      }
    }
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      "schemasense: no drift between models, migrations and DTOs (no DB3xx diagnostic).",
    );
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: "Drift (DB3xx)" });
  if (picked) {
    await vscode.window.showTextDocument(picked.uri, { selection: picked.range });
  }
}

// -- Generate database layer… (issue 15) -------------------------------------------------------

/** The reports, as read-only Markdown documents (`schemasense-report:/<feature> database
 * layer.md`): shown and previewed without an unsaved untitled buffer (which "Save All" would
 * ask a file name for). */
const REPORT_SCHEME = "schemasense-report";

class Reports implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }
}

const reports = new Reports();

/** "schemasense: Generate database layer…": asks for the description (the selection, the
 * active file, or a text / `@path` typed in), runs the server's command, asks which ORM when
 * the project has several model sets, and shows the report. The server applies the files as one
 * workspace edit (created and filled, not saved: "File: Save All" keeps them, Undo takes them
 * back). Called with `{description, orm?, migration?, projectUri?}` (a keybinding's `args`),
 * it asks nothing that is given. */
async function generateDatabaseLayer(preset?: LayerOptions): Promise<LayerResult | undefined> {
  const c = await runningClient();
  if (!c) {
    return undefined;
  }
  const advertised = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!advertised.includes(SERVER_GENERATE_LAYER)) {
    const version = c.initializeResult?.serverInfo?.version ?? "?";
    void vscode.window.showInformationMessage(
      `schemasense: Generate database layer is not available in this server (schemasense ${version}).`,
    );
    return undefined;
  }
  const options: LayerOptions = { ...(preset && typeof preset === "object" ? preset : {}) };
  options.description ??= await askDescription();
  if (!options.description) {
    return undefined;
  }
  options.projectUri ??= await askProject(c);
  if (options.projectUri === "") {
    return undefined;
  }
  for (;;) {
    const sent = { ...options };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "schemasense: generating the database layer…" },
      async () =>
        (await c.sendRequest(ExecuteCommandRequest.type, {
          command: SERVER_GENERATE_LAYER,
          arguments: [sent],
        })) as LayerResult | null,
    );
    if (!result || typeof result !== "object") {
      return undefined;
    }
    if (result.ormChoices?.length && !options.orm) {
      // the server said which model sets it found (its error message is on screen)
      const orm = await vscode.window.showQuickPick(result.ormChoices, {
        title: "schemasense: Generate database layer",
        placeHolder: "The project has more than one model set: which ORM gets the feature? (orm:)",
      });
      if (!orm) {
        return result;
      }
      options.orm = orm;
      continue;
    }
    if (result.error) {
      // the server showed it (window/showMessage) with its problems; the log keeps it too
      output.appendLine(`Generate database layer: ${result.error}`);
      for (const problem of result.problems ?? []) {
        output.appendLine(`  ${problem}`);
      }
    } else if (result.applied) {
      output.appendLine(summary(result));
      await showReport(result);
    }
    return result;
  }
}

async function askDescription(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const choices: (vscode.QuickPickItem & { value?: string })[] = [];
  if (editor && !editor.selection.isEmpty) {
    const lines = editor.selection.end.line - editor.selection.start.line + 1;
    choices.push({
      label: "$(selection) The selection",
      detail: `${lines} line${lines === 1 ? "" : "s"} of ${vscode.workspace.asRelativePath(editor.document.uri)}`,
      value: editor.document.getText(editor.selection),
    });
  }
  const doc = editor?.document;
  if (doc && doc.uri.scheme === "file" && isDescriptionFile(doc.uri.fsPath)) {
    choices.push({
      label: "$(file) The active file",
      detail: vscode.workspace.asRelativePath(doc.uri),
      value: fileDescription(doc.uri.fsPath, doc.isDirty, doc.getText()),
    });
  }
  if (choices.length > 0) {
    choices.push({ label: "$(edit) Type a description, or @path to a file…" });
    const picked = await vscode.window.showQuickPick(choices, {
      title: "schemasense: Generate database layer",
      placeHolder: "The feature's description (a schema: SQL DDL, Prisma models, an entity, a model)",
    });
    if (!picked) {
      return undefined;
    }
    if (picked.value !== undefined) {
      return picked.value;
    }
  }
  const typed = await vscode.window.showInputBox({
    title: "schemasense: Generate database layer",
    prompt:
      "The feature's schema (SQL DDL with optional `-- queries:`, Prisma models, a TypeORM entity, " +
      "a Sequelize model), or @path to a file relative to the workspace folder",
    placeHolder: "@docs/catalog.sql",
    ignoreFocusOut: true,
    validateInput: checkDescription,
  });
  return typed?.trim() || undefined;
}

/** The project folder: the active file's (the nearest `package.json` / `schemasense.toml`
 * above it in its workspace folder), else the only workspace folder, else the one picked.
 * "" when the user cancelled. */
async function askProject(c: LanguageClient): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (active?.scheme === "file" && folder) {
    return c.code2ProtocolConverter.asUri(vscode.Uri.file(projectOf(active.fsPath, folder.uri.fsPath)));
  }
  const all = vscode.workspace.workspaceFolders ?? [];
  if (all.length <= 1) {
    return all.length ? c.code2ProtocolConverter.asUri(all[0].uri) : undefined;
  }
  const picked = await vscode.window.showWorkspaceFolderPick({
    placeHolder: "schemasense: the project that gets the database layer",
  });
  return picked ? c.code2ProtocolConverter.asUri(picked.uri) : "";
}

async function showReport(result: LayerResult): Promise<void> {
  if (!result.report) {
    return;
  }
  const uri = reports.put(reportName(result.feature), result.report);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, "markdown");
  await vscode.window.showTextDocument(document, { preview: false });
  try {
    // VS Code's Markdown preview (its custom editor) beside it, the focus left in the editor
    await vscode.commands.executeCommand("vscode.openWith", uri, "vscode.markdown.preview.editor", {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
  } catch (error) {
    output.appendLine(`The report's Markdown preview did not open: ${error}`);
  }
}
