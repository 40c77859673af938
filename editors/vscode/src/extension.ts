// The specls extension: starts `specls serve` for spec documents, passes it
// the settings the user set, and adds the commands and the status bar item.
// The server does the work; this file only wires VS Code to it.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CodeActionRequest,
  CodeLensRequest,
  Command,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { CONFIGURE_AI, DRAFT_TECHSPEC, GENERATE_SECTION, SHOW_GATES } from './commands';
import { ensureExecutable, findServer, serverArgs, ServerNotFound } from './server';
import { SECTION, serverSettings, Settings, userValue } from './settings';
import { gatedPath, isSpecFile, statusText } from './status';

const SPEC_GLOB = '**/{_prd,_techspec,_tasks}.md';

// The server's commands that generate text, or say how to configure it.
const GENERATE = new Set([GENERATE_SECTION, DRAFT_TECHSPEC, CONFIGURE_AI]);

let specls: Specls | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  specls = new Specls(context);
  context.subscriptions.push(specls);
  await specls.startWhenNeeded();
}

export async function deactivate(): Promise<void> {
  await specls?.stop();
}

class Specls implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private readonly output: vscode.OutputChannel;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private statusTimer: NodeJS.Timeout | undefined;
  private statusSeq = 0;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('specls');
    this.status = vscode.window.createStatusBarItem('specls.gates', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'specls gates';
    this.status.command = 'specls.showGateReport';
    this.disposables.push(
      this.output,
      this.status,
      vscode.commands.registerCommand('specls.restartServer', () => this.restart()),
      vscode.commands.registerCommand('specls.showGateReport', () => this.showGateReport()),
      vscode.commands.registerCommand('specls.generate', () => this.generateSection()),
      vscode.commands.registerCommand('specls.showLog', () => this.output.show(true)),
      vscode.workspace.onDidChangeConfiguration((e) => this.configurationChanged(e)),
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshStatus()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) {
          this.scheduleStatus();
        }
      }),
    );
  }

  // startWhenNeeded starts the server now when a spec is open or the
  // workspace holds one, else when the first spec is opened: the extension
  // activates on any markdown file, and most are not specs.
  async startWhenNeeded(): Promise<void> {
    const open = vscode.workspace.textDocuments.some(isSpecDocument);
    const inWorkspace = !open && (await vscode.workspace.findFiles(SPEC_GLOB, '**/node_modules/**', 1)).length > 0;
    if (open || inWorkspace) {
      await this.start();
      return;
    }
    const waiting = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isSpecDocument(doc)) {
        waiting.dispose();
        void this.start();
      }
    });
    this.disposables.push(waiting);
  }

  private start(): Promise<LanguageClient | undefined> {
    if (!this.starting) {
      this.starting = this.launch();
    }
    return this.starting;
  }

  private async launch(): Promise<LanguageClient | undefined> {
    const config = vscode.workspace.getConfiguration(SECTION);
    let found;
    try {
      found = findServer({
        configured: config.get<string>('server.path', ''),
        extensionPath: this.context.extensionPath,
        workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
        env: process.env,
        platform: process.platform,
      });
    } catch (e) {
      this.starting = undefined;
      if (e instanceof ServerNotFound) {
        this.showStatusError(e.message);
        const choice = await vscode.window.showErrorMessage(e.message, 'Open Settings');
        if (choice) {
          await vscode.commands.executeCommand('workbench.action.openSettings', 'specls.server.path');
        }
        return undefined;
      }
      throw e;
    }
    if (found.source === 'extension') {
      ensureExecutable(found.path, process.platform);
    }
    this.output.appendLine(`specls: starting ${found.path} (from ${found.source})`);
    const serverOptions: ServerOptions = {
      command: found.path,
      args: serverArgs(config.get<string>('server.log-level', 'warn')),
      options: { env: process.env },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: SPEC_GLOB }],
      diagnosticCollectionName: 'specls',
      outputChannel: this.output,
      initializationOptions: () => this.settingsFor(undefined),
      markdown: { isTrusted: false },
      middleware: {
        workspace: {
          // Answer for the "specls" section with what the user set, not
          // with every default, so .specls.yaml keeps its values.
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return params.items.map((item, i) =>
              item.section === SECTION ? this.settingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : answer[i],
            );
          },
        },
      },
    };
    const client = new LanguageClient('specls', 'specls', serverOptions, clientOptions);
    this.disposables.push(client.onDidChangeState((e) => {
      if (e.newState !== State.Running) {
        this.status.hide();
      }
    }));
    try {
      await client.start();
    } catch (e) {
      this.starting = undefined;
      const msg = `specls: the language server (${found.path}) did not start: ${e instanceof Error ? e.message : String(e)}`;
      this.output.appendLine(msg);
      this.showStatusError(msg);
      void vscode.window.showErrorMessage(msg, 'Show Log').then((c) => c && this.output.show(true));
      return undefined;
    }
    this.client = client;
    this.refreshStatus();
    return client;
  }

  async stop(): Promise<void> {
    const client = this.client ?? (await this.starting);
    this.client = undefined;
    this.starting = undefined;
    this.status.hide();
    if (client && client.needsStop()) {
      await client.stop();
    }
  }

  private async restart(): Promise<void> {
    await this.stop();
    const client = await this.start();
    if (client) {
      void vscode.window.setStatusBarMessage('specls: language server restarted', 3000);
    }
  }

  private configurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('specls.server.path') || e.affectsConfiguration('specls.server.log-level')) {
      if (this.client || this.starting) {
        void this.restart();
      }
      return;
    }
    if (e.affectsConfiguration('specls.status-bar')) {
      this.refreshStatus();
    }
  }

  // settingsFor is the "specls" section for the server: the settings the
  // user set, nested as in .specls.yaml.
  private settingsFor(scope: vscode.Uri | undefined): Settings {
    const declared = this.context.extension.packageJSON?.contributes?.configuration?.properties ?? {};
    const config = vscode.workspace.getConfiguration(undefined, scope);
    const flat: Settings = {};
    for (const key of Object.keys(declared)) {
      const value = userValue(config.inspect(key));
      if (value !== undefined) {
        flat[key] = value;
      }
    }
    return serverSettings(flat);
  }

  // activeSpec is the spec document in the active editor, or undefined
  // after telling the user to open one.
  private activeSpec(): vscode.TextDocument | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isSpecDocument(doc)) {
      return doc;
    }
    void vscode.window.showInformationMessage('specls: open a _prd.md, _techspec.md or _tasks.md first.');
    return undefined;
  }

  // showGateReport runs the server's gate report on the active spec; the
  // server shows it (the same message every editor gets).
  private async showGateReport(): Promise<void> {
    const doc = this.activeSpec();
    const client = doc && (await this.start());
    if (!doc || !client) {
      return;
    }
    try {
      await client.sendRequest(ExecuteCommandRequest.type, { command: SHOW_GATES, arguments: [doc.uri.toString()] });
    } catch (e) {
      void vscode.window.showErrorMessage(`specls: gate report: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // generateSection offers the sections the server can generate in the
  // active spec (its "Generate … with AI" actions) and runs the chosen one.
  private async generateSection(): Promise<void> {
    const doc = this.activeSpec();
    const client = doc && (await this.start());
    if (!doc || !client) {
      return;
    }
    const c2p = client.code2ProtocolConverter;
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const actions = await client.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: c2p.asUri(doc.uri) },
      range: { start: { line: 0, character: 0 }, end: c2p.asPosition(end) },
      context: { diagnostics: [], only: ['quickfix', 'source'] },
    });
    const offered: { label: string; command: Command }[] = [];
    for (const a of actions ?? []) {
      const command = Command.is(a) ? a : a.command;
      if (command && GENERATE.has(command.command) && !offered.some((o) => o.label === a.title)) {
        offered.push({ label: a.title, command });
      }
    }
    if (offered.length === 0) {
      void vscode.window.showInformationMessage(`specls: nothing to generate in ${vscode.workspace.asRelativePath(doc.uri)}: no section is missing, empty or still template text.`);
      return;
    }
    // Without an endpoint the server offers one action that says how to set one.
    const pick = offered.length === 1 && offered[0].command.command === CONFIGURE_AI
      ? offered[0]
      : await vscode.window.showQuickPick(offered, { placeHolder: 'Generate which section with AI?' });
    if (!pick) {
      return;
    }
    try {
      await client.sendRequest(ExecuteCommandRequest.type, { command: pick.command.command, arguments: pick.command.arguments });
    } catch (e) {
      void vscode.window.showErrorMessage(`specls: ${pick.label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private scheduleStatus(): void {
    if (this.statusTimer) {
      clearTimeout(this.statusTimer);
    }
    this.statusTimer = setTimeout(() => this.refreshStatus(), 250);
  }

  // refreshStatus shows the gates of the active spec. Answers that arrive
  // after a newer refresh began are dropped.
  private refreshStatus(): void {
    const seq = ++this.statusSeq;
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client;
    void vscode.commands.executeCommand('setContext', 'specls.isSpec', !!doc && isSpecDocument(doc));
    if (!doc || !isSpecDocument(doc) || !client || !client.isRunning() || !vscode.workspace.getConfiguration(SECTION).get<boolean>('status-bar', true)) {
      this.status.hide();
      return;
    }
    const counts = { errors: 0, warnings: 0 };
    for (const d of vscode.languages.getDiagnostics(doc.uri)) {
      if (d.source !== 'specls') {
        continue;
      }
      if (d.severity === vscode.DiagnosticSeverity.Error) {
        counts.errors++;
      } else if (d.severity === vscode.DiagnosticSeverity.Warning) {
        counts.warnings++;
      }
    }
    const techspec = gatedPath(doc.uri.fsPath);
    const lens = fs.existsSync(techspec)
      ? client.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.code2ProtocolConverter.asUri(vscode.Uri.file(techspec)) } }).then(
        (lenses) => lenses?.[0]?.command?.title,
        () => undefined,
      )
      : Promise.resolve(undefined);
    void lens.then((title) => {
      if (seq !== this.statusSeq) {
        return;
      }
      const s = statusText(title, counts);
      this.status.text = s.text;
      this.status.tooltip = s.tooltip;
      this.status.backgroundColor = undefined;
      this.status.command = 'specls.showGateReport';
      this.status.show();
    });
  }

  private showStatusError(message: string): void {
    this.status.text = '$(error) specls';
    this.status.tooltip = message;
    this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.status.command = 'specls.showLog';
    this.status.show();
  }

  dispose(): void {
    if (this.statusTimer) {
      clearTimeout(this.statusTimer);
    }
    void this.stop();
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

function isSpecDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && isSpecFile(doc.uri.fsPath);
}
