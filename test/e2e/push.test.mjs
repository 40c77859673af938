// A push client (like Neovim or Helix): diagnostics arrive as
// textDocument/publishDiagnostics, positions are UTF-16.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fixture, pushCapabilities, techspec } from './client.mjs';

const codes = (diags) => diags.map((d) => d.code);

test('push client: initialize, diagnostics, hover, completion, code action, shutdown, exit', async (t) => {
  const c = new Client({ root: fixture(), capabilities: pushCapabilities });
  const init = await c.start();
  t.diagnostic(`start -> initialize result: ${c.initializeMs.toFixed(1)} ms`);
  assert.equal(init.capabilities.positionEncoding, 'utf-16');
  assert.equal(init.capabilities.diagnosticProvider, undefined, 'a push client is not offered pull diagnostics');
  assert.equal(init.serverInfo.name, 'specls');

  let v = await c.open(techspec);
  assert.deepEqual(await c.diagnostics(techspec, v), [], 'the clean fixture publishes an empty list');

  v = await c.replace(techspec, '## Data Models', '## Data Model');
  const diags = await c.diagnostics(techspec, v);
  assert.ok(codes(diags).includes('section-renamed'), `diagnostics ${codes(diags)}`);
  const renamed = diags.find((d) => d.code === 'section-renamed');
  assert.equal(renamed.source, 'specls');
  assert.match(renamed.message, /Data Models/);

  const hover = await c.request('textDocument/hover', { textDocument: { uri: c.uri(techspec) }, position: c.range(techspec, 'Proto Definitions').start });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /required template section/);

  const fr = await c.request('textDocument/hover', { textDocument: { uri: c.uri(techspec) }, position: c.range(techspec, 'FR-2').start });
  assert.match(fr.contents.value, /expires after 15 minutes/);

  // Completion on a heading line offers the template's sections.
  v = await c.replace(techspec, '## Testing Strategy', '## Tes');
  const list = await c.request('textDocument/completion', { textDocument: { uri: c.uri(techspec) }, position: c.range(techspec, '## Tes').end });
  const labels = list.items.map((i) => i.label);
  assert.ok(labels.includes('Testing Strategy'), `completion ${labels}`);
  v = await c.replace(techspec, '## Tes', '## Testing Strategy');

  // The quick fix for the renamed section is a versioned edit that fixes it.
  await c.diagnostics(techspec, v);
  const actions = await c.request('textDocument/codeAction', {
    textDocument: { uri: c.uri(techspec) },
    range: renamed.range,
    context: { diagnostics: [renamed], only: ['quickfix'] },
  });
  const fix = actions.find((a) => a.kind === 'quickfix' && a.diagnostics?.some((d) => d.code === 'section-renamed'));
  assert.ok(fix, `no quick fix among ${actions.map((a) => a.title)}`);
  assert.equal(fix.edit.documentChanges[0].textDocument.version, v, 'the edit names the version it was computed for');
  assert.ok(c.applyWorkspaceEdit(fix.edit), 'the edit applies');
  const after = await c.diagnostics(techspec, v + 1);
  assert.ok(!codes(after).includes('section-renamed'), `after the fix: ${codes(after)}`);
  assert.match(c.text(techspec), /\n## Data Models\n/);

  // Closing publishes an empty list.
  const n = c.published.length;
  await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: c.uri(techspec) } });
  const cleared = await c.until(() => c.published.slice(n).find((p) => p.uri === c.uri(techspec)), 'diagnostics on close');
  assert.deepEqual(cleared.diagnostics, []);

  assert.equal(await c.shutdownAndExit(), 0, c.stderr);
});
