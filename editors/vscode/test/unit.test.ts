// Unit tests of the parts of the extension that do not need VS Code: the
// settings sent to the server, finding the binary, the status bar text.
// Bundled by `node esbuild.mjs --tests` and run with `node --test`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findServer, searchPath, serverArgs, ServerNotFound } from '../src/server';
import { EDITOR_ONLY, serverSettings, userValue } from '../src/settings';
import { gatedPath, isSpecFile, statusText } from '../src/status';

// The extension's folder: the bundle runs from out/test/.
const extensionDir = path.resolve(__dirname, '..', '..');

test('settings are nested as in .specls.yaml, without editor-only keys and unset values', () => {
  const got = serverSettings({
    'specls.rules': { 'section-empty': 'off', 'section-order': null },
    'specls.gates': {},
    'specls.ai.base-url': 'http://localhost:11434/v1',
    'specls.ai.model': 'llama3',
    'specls.ai.api-key-env': '',
    'specls.ai.stream': false,
    'specls.ai.max-retries': 0,
    'specls.server.debounce': 300,
    'specls.server.path': '/usr/local/bin/specls',
    'specls.server.log-level': 'debug',
    'specls.trace.server': 'verbose',
    'specls.status-bar': false,
    'specls.options.licenses': [],
    'specls.ignore': ['tasks/prd-old-*'],
    'editor.tabSize': 4,
  });
  assert.deepEqual(got, {
    rules: { 'section-empty': 'off' },
    ai: { 'base-url': 'http://localhost:11434/v1', model: 'llama3', stream: false, 'max-retries': 0 },
    server: { debounce: 300 },
    ignore: ['tasks/prd-old-*'],
  });
});

test('nothing set sends nothing', () => {
  assert.deepEqual(serverSettings({}), {});
  assert.deepEqual(serverSettings({ 'specls.server.path': 'x', 'specls.rules': {} }), {});
});

test('every editor-only setting is declared in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const declared = Object.keys(pkg.contributes.configuration.properties);
  for (const key of EDITOR_ONLY) {
    assert.ok(declared.includes(key), `${key} is not in package.json`);
  }
});

test('the most specific scope wins; objects merge across scopes', () => {
  assert.equal(userValue(undefined), undefined);
  assert.equal(userValue({}), undefined);
  assert.equal(userValue({ globalValue: 'a', workspaceValue: 'b' }), 'b');
  assert.equal(userValue({ globalValue: 'a', workspaceFolderValue: 'c', workspaceValue: 'b' }), 'c');
  assert.deepEqual(
    userValue<Record<string, string>>({ globalValue: { a: 'off', b: 'error' }, workspaceValue: { b: 'info' } }),
    { a: 'off', b: 'info' },
  );
  assert.deepEqual(userValue({ globalValue: ['x'], workspaceValue: ['y'] }), ['y']);
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'specls-vscode-'));
}

function executable(dir: string, name: string, mode = 0o755): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return p;
}

test('the configured path comes first, then the bundled binary, then PATH', { skip: process.platform === 'win32' }, () => {
  const root = tempDir();
  const ext = path.join(root, 'ext');
  const onPath = executable(path.join(root, 'path'), 'specls');
  const env = { PATH: [path.join(root, 'empty'), path.dirname(onPath)].join(':') };
  const where = { configured: '', extensionPath: ext, env, platform: process.platform };

  assert.deepEqual(findServer(where), { path: onPath, source: 'PATH' });

  const bundled = executable(path.join(ext, 'bin'), 'specls', 0o644);
  assert.deepEqual(findServer(where), { path: bundled, source: 'extension' });

  const custom = executable(path.join(root, 'custom'), 'specls-dev');
  assert.deepEqual(findServer({ ...where, configured: custom }), { path: custom, source: 'setting' });
  assert.deepEqual(findServer({ ...where, configured: 'custom/specls-dev', workspaceFolder: root }), { path: custom, source: 'setting' });
});

test('a configured path that does not exist is an error that names the setting', { skip: process.platform === 'win32' }, () => {
  const root = tempDir();
  executable(path.join(root, 'path'), 'specls');
  assert.throws(
    () => findServer({ configured: path.join(root, 'nope'), extensionPath: root, env: { PATH: path.join(root, 'path') }, platform: process.platform }),
    (e: unknown) => e instanceof ServerNotFound && /specls\.server\.path/.test(e.message),
  );
});

test('no binary anywhere says how to install one', () => {
  const root = tempDir();
  assert.throws(
    () => findServer({ configured: '', extensionPath: root, env: { PATH: root }, platform: process.platform }),
    (e: unknown) => e instanceof ServerNotFound && /go install github\.com\/specls\/specls\/cmd\/specls/.test(e.message),
  );
});

test('PATH lookup skips files that are not executable', { skip: process.platform === 'win32' }, () => {
  const root = tempDir();
  executable(path.join(root, 'a'), 'specls', 0o644);
  const good = executable(path.join(root, 'b'), 'specls');
  assert.equal(searchPath('specls', { PATH: `${root}/a:${root}/b` }, process.platform), good);
  assert.equal(searchPath('specls', { PATH: `${root}/a` }, process.platform), undefined);
});

test('Windows PATH lookup adds PATHEXT', () => {
  const root = tempDir();
  const exe = executable(root, 'specls.exe');
  assert.equal(searchPath('specls', { Path: root, PATHEXT: '.COM;.EXE' }, 'win32'), exe);
});

test('server arguments carry the log level', () => {
  assert.deepEqual(serverArgs('warn'), ['serve']);
  assert.deepEqual(serverArgs('info'), ['serve', '--log-level', 'info']);
  assert.deepEqual(serverArgs('debug'), ['serve', '--log-level', 'debug']);
});

test('spec files and the tech spec whose gates they show', () => {
  assert.ok(isSpecFile('/w/tasks/prd-chat/_techspec.md'));
  assert.ok(isSpecFile('C:\\w\\tasks\\prd-chat\\_prd.md'));
  assert.ok(!isSpecFile('/w/tasks/prd-chat/notes.md'));
  assert.ok(!isSpecFile('/w/tasks/prd-chat/x_prd.md'));
  assert.equal(gatedPath('/w/tasks/prd-chat/_prd.md'), '/w/tasks/prd-chat/_techspec.md');
  assert.equal(gatedPath('C:\\w\\prd-chat\\_tasks.md'), 'C:\\w\\prd-chat\\_techspec.md');
});

test('status text from the code lens', () => {
  const failing = statusText('Gates: A ✓  B ✗ 2  C -', { errors: 1, warnings: 2 });
  assert.equal(failing.text, '$(error) Gates A ✓ · B ✗ 2 · C -');
  assert.match(failing.tooltip, /1 error, 2 warnings/);
  assert.equal(statusText('Gates: A ✓  B ✓', { errors: 0, warnings: 0 }).text, '$(pass) Gates A ✓ · B ✓');
  const prd = statusText(undefined, { errors: 0, warnings: 1 });
  assert.equal(prd.text, '$(warning) specls');
  assert.match(prd.tooltip, /0 errors, 1 warning in this file/);
});

// The bundle must load in VS Code's extension host: a CommonJS module
// whose only external is `vscode`, exporting activate and deactivate.
test('the bundle loads with only vscode external', () => {
  const bundle = path.join(extensionDir, 'dist', 'extension.js');
  const src = fs.readFileSync(bundle, 'utf8');
  const required = new Set([...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  const builtins = new Set(require('node:module').builtinModules as string[]);
  for (const r of required) {
    assert.ok(r === 'vscode' || builtins.has(r.replace(/^node:/, '')), `the bundle requires ${r}, which the .vsix does not carry`);
  }
  // A stand-in for the vscode module: any property is a constructible,
  // callable stand-in again, enough for module initialisation.
  const stub: any = new Proxy(function () {}, {
    get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : stub),
    apply: () => stub,
    construct: () => stub,
  });
  const Module = require('node:module');
  const load = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  try {
    const ext = require(bundle);
    assert.equal(typeof ext.activate, 'function');
    assert.equal(typeof ext.deactivate, 'function');
  } finally {
    Module._load = load;
  }
});
