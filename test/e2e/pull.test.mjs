// A pull client (like VS Code): diagnostics are requested with
// textDocument/diagnostic and workspace/diagnostic; UTF-8 is offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fixture, prd, pullCapabilities, techspec } from './client.mjs';

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
