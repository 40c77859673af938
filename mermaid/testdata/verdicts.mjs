// Regenerates conformance.jsonl: the verdict of the real mermaid parser on
// each case. Copy this file into a folder where `npm install mermaid@11 jsdom@24`
// was run (node resolves packages next to the script), then:
//   node verdicts.mjs < cases.json > conformance.jsonl
// (cases.json is a JSON array of diagram sources.)
import { JSDOM } from 'jsdom';
import fs from 'fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
for (const src of cases) {
  let ok = true;
  try { await mermaid.parse(src); } catch { ok = false; }
  console.log(JSON.stringify({ ok, src }));
}
