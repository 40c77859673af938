// A language client for the end-to-end tests, built on the protocol
// libraries VS Code's own client uses. It starts the real specls binary,
// talks to it over stdio, keeps the text of the documents it opens and
// waits on diagnostics by document version.
import { spawn } from 'node:child_process';
import { after } from 'node:test';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';

const here = dirname(fileURLToPath(import.meta.url));

// Servers still running when a test file's tests are done (a failed
// assertion skips shutdown) are killed, so that a failure ends the run
// instead of hanging it.
const live = new Set();
after(() => {
  for (const p of live) p.kill('SIGKILL');
});
export const repo = resolve(here, '..', '..');
export const bin = process.env.SPECLS_BIN || join(repo, 'bin', 'specls');

// How long a wait may take before the test fails instead of hanging.
const TIMEOUT = 30_000;

export const techspec = 'tasks/prd-reset/_techspec.md';
export const prd = 'tasks/prd-reset/_prd.md';

// fixture copies the server's basic test workspace into a temporary folder.
export function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'specls-e2e-'));
  cpSync(join(repo, 'server', 'testdata', 'basic'), root, { recursive: true });
  return root;
}

export const pushCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { versionSupport: true, relatedInformation: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'refactor'] } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  window: { workDoneProgress: true },
};

export const pullCapabilities = {
  ...pushCapabilities,
  general: { positionEncodings: ['utf-8', 'utf-16'] },
  workspace: { ...pushCapabilities.workspace, diagnostics: { refreshSupport: true } },
  textDocument: {
    ...pushCapabilities.textDocument,
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    codeAction: { ...pushCapabilities.textDocument.codeAction, resolveSupport: { properties: ['edit'] } },
  },
};

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT); }),
  ]);
}

// Client is one editor session with the server.
export class Client {
  constructor({ root, capabilities, settings = null, initializationOptions }) {
    this.root = root;
    this.capabilities = capabilities;
    this.settings = settings;
    this.initializationOptions = initializationOptions;
    this.docs = new Map(); // uri -> { text, version }
    this.published = []; // every publishDiagnostics
    this.waiters = [];
    this.messages = [];
    this.stderr = '';
  }

  uri(rel) { return pathToFileURL(join(this.root, rel)).href; }

  async start() {
    this.started = performance.now();
    this.proc = spawn(bin, ['serve', '--debounce', '50ms'], { stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.proc);
    this.proc.on('exit', () => live.delete(this.proc));
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((res) => this.proc.on('exit', (code) => res(code)));
    const conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn = conn;
    conn.onNotification('textDocument/publishDiagnostics', (p) => {
      this.published.push(p);
      this.wake();
    });
    conn.onNotification('window/showMessage', (p) => { this.messages.push(p); this.wake(); });
    conn.onNotification('window/logMessage', () => {});
    conn.onNotification('$/progress', () => {});
    conn.onRequest('workspace/configuration', (p) => p.items.map((it) => (it.section === 'specls' ? this.settings : null)));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('workspace/diagnostic/refresh', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => null);
    conn.onRequest('workspace/applyEdit', (p) => ({ applied: this.applyWorkspaceEdit(p.edit) }));
    conn.listen();
    const result = await withTimeout(conn.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'specls-e2e' },
      rootUri: pathToFileURL(this.root).href,
      workspaceFolders: [{ uri: pathToFileURL(this.root).href, name: 'fixture' }],
      capabilities: this.capabilities,
      initializationOptions: this.initializationOptions,
    }), 'initialize');
    this.initializeMs = performance.now() - this.started;
    this.encoding = result.capabilities.positionEncoding || 'utf-16';
    this.result = result;
    await conn.sendNotification('initialized', {});
    return result;
  }

  wake() {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) w();
  }

  // until resolves once check() returns a value other than undefined.
  until(check, what) {
    return withTimeout(new Promise((res) => {
      const test = () => {
        const v = check();
        if (v !== undefined) res(v);
        else this.waiters.push(test);
      };
      test();
    }), what);
  }

  diagnostics(rel, version) {
    const uri = this.uri(rel);
    return this.until(() => this.published.find((p) => p.uri === uri && p.version === version)?.diagnostics, `diagnostics of ${rel} v${version}`);
  }

  async open(rel, text) {
    const uri = this.uri(rel);
    if (text === undefined) text = readFileSync(join(this.root, rel), 'utf8');
    this.docs.set(uri, { text, version: 1 });
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    return 1;
  }

  text(rel) { return this.docs.get(this.uri(rel)).text; }

  // range returns the range of the first occurrence of needle.
  range(rel, needle) {
    const text = this.text(rel);
    const i = text.indexOf(needle);
    if (i < 0) throw new Error(`${needle} not in ${rel}`);
    return { start: this.position(text, i), end: this.position(text, i + needle.length) };
  }

  // position converts a JS string index (UTF-16) to an LSP position in
  // the negotiated encoding.
  position(text, index) {
    const before = text.slice(0, index);
    const line = before.split('\n').length - 1;
    const col = before.slice(before.lastIndexOf('\n') + 1);
    return { line, character: this.encoding === 'utf-8' ? Buffer.byteLength(col, 'utf8') : col.length };
  }

  // index converts an LSP position to a JS string index.
  index(text, pos) {
    const lines = text.split('\n');
    let i = 0;
    for (let l = 0; l < pos.line; l++) i += lines[l].length + 1;
    const line = lines[pos.line] ?? '';
    if (this.encoding === 'utf-8') {
      const bytes = Buffer.from(line, 'utf8').subarray(0, pos.character);
      return i + bytes.toString('utf8').length;
    }
    return i + Math.min(pos.character, line.length);
  }

  // change applies { range, text } edits (ranges of the current text, in
  // order) and sends them as one incremental didChange.
  async change(rel, edits) {
    const uri = this.uri(rel);
    const doc = this.docs.get(uri);
    for (const e of edits) {
      doc.text = doc.text.slice(0, this.index(doc.text, e.range.start)) + e.text + doc.text.slice(this.index(doc.text, e.range.end));
    }
    doc.version++;
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: edits });
    return doc.version;
  }

  replace(rel, needle, text) { return this.change(rel, [{ range: this.range(rel, needle), text }]); }

  // applyWorkspaceEdit applies versioned document edits to open buffers,
  // refusing a stale one, and reports whether it did.
  applyWorkspaceEdit(edit) {
    const changes = edit.documentChanges ?? Object.entries(edit.changes ?? {}).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits }));
    for (const c of changes) {
      if (c.kind) return false; // file operations are not needed here
      const doc = this.docs.get(c.textDocument.uri);
      if (!doc || (c.textDocument.version != null && c.textDocument.version !== doc.version)) return false;
    }
    for (const c of changes) {
      const rel = fileURLToPath(c.textDocument.uri).slice(this.root.length + 1);
      const doc = this.docs.get(c.textDocument.uri);
      // Edits refer to the original text: apply from the last to the first.
      const sorted = [...c.edits].sort((a, b) => this.index(doc.text, b.range.start) - this.index(doc.text, a.range.start));
      this.change(rel, sorted.map((e) => ({ range: e.range, text: e.newText })));
    }
    return true;
  }

  request(method, params) { return withTimeout(this.conn.sendRequest(method, params), method); }

  async shutdownAndExit() {
    await this.request('shutdown');
    await this.conn.sendNotification('exit');
    const code = await withTimeout(this.exited, 'the server to exit');
    this.conn.dispose();
    return code;
  }
}
