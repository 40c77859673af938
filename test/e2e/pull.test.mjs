// A pull client (like VS Code): diagnostics are requested with
// textDocument/diagnostic and workspace/diagnostic; UTF-8 is offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, bin, fixture, prd, pullCapabilities, repo, techspec } from './client.mjs';

const codes = (diags) => diags.map((d) => d.code);

test('pull client: initialize, diagnostics, hover, completion, code action, shutdown, exit', async (t) => {
  const c = new Client({ root: fixture(), capabilities: pullCapabilities });
  const init = await c.start();
  t.diagnostic(`start -> initialize result: ${c.initializeMs.toFixed(1)} ms`);
  assert.equal(init.capabilities.positionEncoding, 'utf-8', 'UTF-8 is chosen when offered');
  assert.equal(init.capabilities.diagnosticProvider.workspaceDiagnostics, true);

  await c.open(techspec);
  await c.replace(techspec, 'The gateway calls', 'Ünïcödé 😀 — the gateway calls');
  await c.replace(techspec, '## Data Models', '## Data Model');
  const rep = await c.request('textDocument/diagnostic', { textDocument: { uri: c.uri(techspec) } });
  assert.equal(rep.kind, 'full');
  assert.ok(codes(rep.items).includes('section-renamed'), `diagnostics ${codes(rep.items)}`);
  const renamed = rep.items.find((d) => d.code === 'section-renamed');
  const again = await c.request('textDocument/diagnostic', { textDocument: { uri: c.uri(techspec) }, previousResultId: rep.resultId });
  assert.equal(again.kind, 'unchanged');
  assert.equal(c.published.length, 0, 'a pull client gets no pushed diagnostics');

  // The workspace pull covers files that are not open.
  const ws = await c.request('workspace/diagnostic', { previousResultIds: [] });
  const uris = ws.items.map((i) => i.uri);
  assert.ok(uris.includes(c.uri(prd)), `workspace pull ${uris}`);

  const hover = await c.request('textDocument/hover', { textDocument: { uri: c.uri(techspec) }, position: c.range(techspec, 'Gate B').start });
  assert.match(hover.contents.value, /Gate B/);

  const list = await c.request('textDocument/completion', { textDocument: { uri: c.uri(techspec) }, position: c.range(techspec, 'Sends reset emails.').end });
  assert.deepEqual(list.items, [], 'prose offers no completion');

  // The fix comes with its edit after codeAction/resolve, in UTF-8.
  const actions = await c.request('textDocument/codeAction', {
    textDocument: { uri: c.uri(techspec) }, range: renamed.range, context: { diagnostics: [renamed], only: ['quickfix'] },
  });
  let fix = actions.find((a) => a.kind === 'quickfix' && a.diagnostics?.some((d) => d.code === 'section-renamed'));
  assert.ok(fix, `no quick fix among ${actions.map((a) => a.title)}`);
  if (!fix.edit) fix = await c.request('codeAction/resolve', fix);
  assert.ok(c.applyWorkspaceEdit(fix.edit), 'the edit applies');
  assert.match(c.text(techspec), /\n## Data Models\n/);
  assert.match(c.text(techspec), /Ünïcödé 😀 — the gateway/, 'text before the edit is intact');
  const fixed = await c.request('textDocument/diagnostic', { textDocument: { uri: c.uri(techspec) }, previousResultId: rep.resultId });
  assert.equal(fixed.kind, 'full');
  assert.ok(!codes(fixed.items).includes('section-renamed'), `after the fix: ${codes(fixed.items)}`);

  assert.equal(await c.shutdownAndExit(), 0, c.stderr);
});

// A workspace pull reports closed files as `specls check` does. For
// folders without an open file the server keeps only their converted
// diagnostics, and a repeated pull is served from them; opening the file
// gives the same diagnostics from a full check.
test('pull client: diagnostics of closed and open files equal specls check', async () => {
  const root = mkdtempSync(join(tmpdir(), 'specls-e2e-'));
  const rel = 'tasks/prd-loyalty-points';
  cpSync(join(repo, 'examples', rel), join(root, rel), { recursive: true });
  const check = spawnSync(bin, ['check', '--format', 'json', 'tasks'], { cwd: root, encoding: 'utf8' });
  assert.equal(check.status, 1, `specls check: ${check.stderr}`);
  const key = (d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`;
  const sorted = (ds) => ds.map((d) => ({ code: d.code, message: d.message, range: d.range })).sort((a, b) => key(a).localeCompare(key(b)));
  const want = {};
  for (const f of JSON.parse(check.stdout).features[0].findings) {
    (want[f.path.split('/').pop()] ??= []).push({
      code: f.code,
      message: f.message,
      range: { start: { line: f.range.startLine - 1, character: f.range.startColumn - 1 }, end: { line: f.range.endLine - 1, character: f.range.endColumn - 1 } },
    });
  }
  for (const name of Object.keys(want)) want[name] = sorted(want[name]);
  assert.ok(want['_techspec.md']?.length > 10 && want['_prd.md']?.length > 0, 'the example fails in both files');

  const c = new Client({ root, capabilities: pullCapabilities });
  await c.start();
  // Twice: the first pull may check afresh (settings arrive after
  // initialize and invalidate what the start checked), the second is
  // served from the cache.
  for (const which of ['first', 'second']) {
    const ws = await c.request('workspace/diagnostic', { previousResultIds: [] });
    const closed = Object.fromEntries(ws.items.map((it) => [it.uri.split('/').pop(), sorted(it.items)]));
    for (const name of ['_techspec.md', '_prd.md']) {
      assert.deepEqual(closed[name], want[name], `${name}: ${which} workspace pull differs from specls check`);
    }
  }
  const file = `${rel}/_techspec.md`;
  await c.open(file);
  const open = await c.request('textDocument/diagnostic', { textDocument: { uri: c.uri(file) } });
  assert.deepEqual(sorted(open.items), want['_techspec.md'], 'open tech spec differs from specls check');
  assert.equal(await c.shutdownAndExit(), 0, c.stderr);
});
