// lsp.mjs drives a language server over stdio, as an editor does, with
// vscode-jsonrpc (the library VS Code's client is built on), and prints one
// JSON object of measurements. The same client drives specls,
// vscode-markdown-languageserver ("mdls"), rumdl's server and, for start-up,
// a trivial Go stdio server on the same files.
//
//   node lsp.mjs init   --server specls|mdls|rumdl|trivial --runs N
//   node lsp.mjs change --server specls|mdls|rumdl --mode push|pull --root DIR --file REL --runs N
//   node lsp.mjs index  --server specls|mdls --root DIR [--idle SECONDS]
//
// init:   process start -> initialize result, N fresh processes.
// change: open FILE, then N times: didChange (insert or delete one
//         character in the middle of the document) -> the diagnostics of
//         that version (push: publishDiagnostics carrying the version;
//         pull: the textDocument/diagnostic answer sent after the change).
//         A server that asks for full sync (rumdl) gets the whole text.
// index:  open the workspace ROOT and wait until it is indexed (specls: the
//         end of its work-done progress; mdls: a workspace/symbol answer,
//         which loads every markdown file), then read the peak RSS and the
//         CPU used over --idle seconds of doing nothing.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node.js';
import MarkdownIt from 'markdown-it';

const here = dirname(fileURLToPath(import.meta.url));

function args() {
  const [cmd, ...rest] = process.argv.slice(2);
  const o = { cmd, runs: 20, mode: 'push', idle: 10, warmup: 10 };
  for (let i = 0; i < rest.length; i += 2) o[rest[i].replace(/^--/, '')] = rest[i + 1];
  for (const k of ['runs', 'idle', 'warmup']) o[k] = Number(o[k]);
  return o;
}

function command(server) {
  if (server === 'specls') {
    const bin = process.env.SPECLS_BIN || resolve(here, '..', 'bin', 'specls');
    // No debounce: the numbers are the server's work, not a deliberate wait
    // (editors get --debounce's 200 ms default on top, for push only).
    // At debug level the server logs each check's duration ("checked ...
    // ms=..."): the server's own work, apart from the transport.
    return [bin, ['serve', '--debounce', '0', '--log-level', 'debug']];
  }
  if (server === 'rumdl') {
    // rumdl's own language server, with its built-in defaults (every
    // default rule), as `rumdl check --no-config` runs them.
    const bin = process.env.RUMDL_BIN || join(here, 'node_modules', '@rumdl', 'cli-linux-x64', 'rumdl');
    return [bin, ['server', '--no-config']];
  }
  if (server === 'trivial') {
    // The floor for start -> initialize: a Go stdio server that only
    // answers initialize, shutdown and exit (bench/trivial-server).
    return [process.env.TRIVIAL_BIN || resolve(here, '..', 'bin', 'trivial-server'), []];
  }
  if (server === 'mdls') {
    return [process.execPath, [join(here, 'node_modules', 'vscode-markdown-languageserver', 'dist', 'node', 'workerMain.js'), '--stdio']];
  }
  throw new Error(`unknown server ${server}`);
}

// mdls asks the client for markdown-it tokens, the fs and the list of
// markdown files; VS Code answers these in its extension host, so this
// client does the same work here.
const md = MarkdownIt();
const mdFiles = (root) => {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(pathToFileURL(p).toString());
    }
  };
  walk(root);
  return out;
};

function caps(mode) {
  const c = {
    general: { positionEncodings: ['utf-16'] },
    window: { workDoneProgress: true },
    workspace: { configuration: false, workspaceFolders: true },
    textDocument: {
      synchronization: { didSave: true },
      publishDiagnostics: { versionSupport: true, relatedInformation: true },
    },
  };
  if (mode === 'pull') c.textDocument.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
  return c;
}

// start spawns a server and connects a client to it.
function start(server, mode, root) {
  const [bin, argv] = command(server);
  const t0 = performance.now();
  const proc = spawn(bin, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let partial = '';
  const checkTimes = [];
  proc.stderr.on('data', (d) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop();
    for (const l of lines) {
      const m = / msg=checked .* ms=([\d.]+)/.exec(l);
      if (m) checkTimes.push(Number(m[1]));
      else if (!/ level=DEBUG /.test(l)) stderr = (stderr + l + '\n').slice(-4000);
    }
  });
  const exited = new Promise((res) => proc.on('exit', (code) => res(code)));
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const open = new Map(); // uri -> text, the client's buffers
  const published = [];
  const waiters = [];
  const progress = [];
  const parseTimes = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    published.push({ uri: p.uri, version: p.version, n: p.diagnostics.length, at: performance.now() });
    waiters.splice(0).forEach((w) => w());
  });
  conn.onNotification('$/progress', (p) => {
    progress.push(p.value);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onNotification('window/logMessage', () => {});
  conn.onNotification('window/showMessage', (p) => { if (p.type <= 2) process.stderr.write(`${server}: ${p.message}\n`); });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => null);
  conn.onRequest('markdown/parse', (p) => {
    const s = performance.now();
    const text = p.text ?? open.get(p.uri) ?? readFileSync(fileURLToPath(p.uri), 'utf8');
    const tokens = md.parse(text, {});
    parseTimes.push(performance.now() - s);
    return tokens;
  });
  conn.onRequest('markdown/fs/readFile', (p) => [...readFileSync(fileURLToPath(p.uri))]);
  conn.onRequest('markdown/fs/stat', (p) => {
    try { return { isDirectory: statSync(fileURLToPath(p.uri)).isDirectory() }; } catch { return undefined; }
  });
  conn.onRequest('markdown/fs/readDirectory', (p) => readdirSync(fileURLToPath(p.uri), { withFileTypes: true }).map((e) => [e.name, { isDirectory: e.isDirectory() }]));
  conn.onRequest('markdown/findMarkdownFilesInWorkspace', () => (root ? mdFiles(root) : []));
  conn.onRequest('markdown/fs/watcher/create', () => null);
  conn.onRequest('markdown/fs/watcher/delete', () => null);
  conn.listen();
  const waitFor = (what, pred, ms = 600_000) => new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${server}: timed out waiting for ${what}\n${stderr}`)), ms);
    const test = () => {
      const v = pred();
      if (v) { clearTimeout(timer); res(v); } else waiters.push(test);
    };
    test();
  });
  const initialize = async () => {
    const rootUri = root ? pathToFileURL(root).toString() : null;
    const r = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: root ? [{ uri: rootUri, name: 'bench' }] : null,
      capabilities: caps(mode),
      initializationOptions: server === 'mdls' ? { markdownFileExtensions: ['md'] } : undefined,
      clientInfo: { name: 'specls-bench' },
    });
    const ms = performance.now() - t0;
    conn.sendNotification('initialized', {});
    if (server === 'mdls') {
      // VS Code's defaults with every link check turned on, so that mdls
      // validates as much as it can.
      conn.sendNotification('workspace/didChangeConfiguration', { settings: { markdown: {
        server: { log: 'off' },
        suggest: { paths: { enabled: true } },
        occurrencesHighlight: { enabled: false },
        preferredMdPathExtensionStyle: 'auto',
        validate: {
          enabled: true,
          referenceLinks: { enabled: 'warning' },
          fragmentLinks: { enabled: 'warning' },
          fileLinks: { enabled: 'warning', markdownFragmentLinks: 'inherit' },
          ignoredLinks: [],
          unusedLinkDefinitions: { enabled: 'warning' },
          duplicateLinkDefinitions: { enabled: 'warning' },
        },
      } } });
    }
    return { ms, result: r };
  };
  const stop = async () => {
    try {
      await conn.sendRequest('shutdown');
      conn.sendNotification('exit');
    } catch { proc.kill(); }
    const code = await Promise.race([exited, new Promise((res) => setTimeout(() => { proc.kill('SIGKILL'); res('killed'); }, 5000))]);
    conn.dispose();
    return code;
  };
  return { proc, conn, open, published, progress, parseTimes, checkTimes, waitFor, initialize, stop, stderr: () => stderr };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const round = (x) => Math.round(x * 100) / 100;
const summary = (xs) => ({ n: xs.length, p50: round(pct(xs, 0.5)), p99: round(pct(xs, 0.99)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });

async function initCmd(o) {
  const times = [];
  for (let i = 0; i < o.runs; i++) {
    const s = start(o.server, 'push', null);
    const { ms, result } = await s.initialize();
    if (!result.capabilities) throw new Error('no capabilities');
    times.push(ms);
    await s.stop();
  }
  // Every time, so that runs made in turns with another server can be
  // pooled (bench/report.mjs).
  return { what: 'initialize', server: o.server, ms: summary(times), times: times.map(round) };
}

// position returns the line/character of a byte-free UTF-16 offset.
function position(text, off) {
  let line = 0;
  let last = 0;
  for (let i = 0; i < off; i++) if (text.charCodeAt(i) === 10) { line++; last = i + 1; }
  return { line, character: off - last };
}

async function changeCmd(o) {
  const root = resolve(o.root);
  const path = join(root, o.file);
  const uri = pathToFileURL(path).toString();
  let text = readFileSync(path, 'utf8');
  const s = start(o.server, o.mode, root);
  const { result: init } = await s.initialize();
  // A server that asks for full text sync (rumdl) gets the whole document
  // on every change, as an editor sends it.
  const sync = init.capabilities.textDocumentSync;
  const full = (typeof sync === 'number' ? sync : sync?.change) === 1;
  let version = 1;
  s.open.set(uri, text);
  s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  const diagnose = async (v) => {
    if (o.mode === 'pull') {
      const r = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      return r.items ? r.items.length : 0;
    }
    const p = await s.waitFor(`diagnostics of version ${v}`, () => s.published.find((x) => x.uri === uri && x.version === v));
    return p.n;
  };
  const first = await diagnose(version);
  // Edit inside a paragraph in the middle of the document: every change is
  // a real edit that the server must apply and check again.
  const lines = text.split('\n');
  let target = Math.floor(lines.length / 2);
  while (target < lines.length && !/^- \*\*Purpose/.test(lines[target]) && !/^[A-Za-z]/.test(lines[target])) target++;
  const off = lines.slice(0, target).reduce((n, l) => n + l.length + 1, 0) + 2;
  const at = position(text, off);
  const times = [];
  const total = o.runs + o.warmup;
  for (let i = 0; i < total; i++) {
    version++;
    const insert = i % 2 === 0;
    const range = insert ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
    text = insert ? text.slice(0, off) + 'x' + text.slice(off) : text.slice(0, off) + text.slice(off + 1);
    s.open.set(uri, text);
    const t0 = performance.now();
    const change = full ? { text } : { range, text: insert ? 'x' : '' };
    s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    await diagnose(version);
    if (i >= o.warmup) times.push(performance.now() - t0);
  }
  const parse = s.parseTimes.length ? summary(s.parseTimes) : undefined;
  await s.stop();
  // The server's own check of each measured version (specls only).
  const checks = s.checkTimes.slice(-o.runs);
  const check = checks.length ? summary(checks) : undefined;
  return { what: 'didChange->diagnostics', server: o.server, mode: o.mode, sync: full ? 'full' : 'incremental', file: o.file, lines: lines.length, diagnostics: first, ms: summary(times), clientParseMs: parse, serverCheckMs: check };
}

function procStatus(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st)?.[1] ?? 0);
  return { peakRssMB: round(kb('VmHWM') / 1024), rssMB: round(kb('VmRSS') / 1024) };
}

// cpuTicks returns the process's user+system clock ticks (1/100 s on Linux).
function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

async function indexCmd(o) {
  const root = resolve(o.root);
  const s = start(o.server, 'push', root);
  const t0 = performance.now();
  await s.initialize();
  let features = 0;
  if (o.server === 'specls') {
    const end = await s.waitFor('the end of indexing', () => s.progress.find((v) => v.kind === 'end'));
    features = Number(/(\d+) feature/.exec(end.message)?.[1] ?? 0);
  } else {
    const syms = await s.conn.sendRequest('workspace/symbol', { query: 'Service' });
    features = syms.length;
  }
  const indexMs = performance.now() - t0;
  const mem = procStatus(s.proc.pid);
  const c0 = cpuTicks(s.proc.pid);
  const w0 = performance.now();
  await new Promise((res) => setTimeout(res, o.idle * 1000));
  const c1 = cpuTicks(s.proc.pid);
  const idleCpuPct = round(((c1 - c0) / 100) / ((performance.now() - w0) / 1000) * 100);
  const after = procStatus(s.proc.pid);
  await s.stop();
  return { what: 'index', server: o.server, root: o.root, indexMs: round(indexMs), indexed: features, ...mem, rssAfterIdleMB: after.rssMB, idleSeconds: o.idle, idleCpuPct };
}

const o = args();
const run = { init: initCmd, change: changeCmd, index: indexCmd }[o.cmd];
if (!run) {
  console.error('usage: node lsp.mjs init|change|index --server specls|mdls|rumdl|trivial [...]');
  process.exit(2);
}
run(o).then((r) => { console.log(JSON.stringify(r)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
