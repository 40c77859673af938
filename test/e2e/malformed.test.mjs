// Broken input over the real stdio stream: each bad message gets an error
// response and the server keeps serving. Also measures start -> initialize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { bin } from './client.mjs';

function frame(body) {
  const b = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
}

// Responses reads frames from a stream and resolves waits by id.
class Responses {
  constructor(stream) {
    this.buf = Buffer.alloc(0);
    this.got = [];
    this.waiters = [];
    stream.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())[1]);
        if (this.buf.length < end + 4 + len) break;
        this.got.push(JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString('utf8')));
        this.buf = this.buf.subarray(end + 4 + len);
      }
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  byId(id) {
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no response with id ${id}`)), 30_000);
      const test = () => {
        const m = this.got.find((x) => 'id' in x && x.id === id && !('method' in x));
        if (m) { clearTimeout(timer); res(m); } else this.waiters.push(test);
      };
      test();
    });
  }
}

test('malformed messages are answered with errors and the server keeps serving', async (t) => {
  const start = performance.now();
  const proc = spawn(bin, ['serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => proc.on('exit', res));
  const r = new Responses(proc.stdout);
  const send = (m) => proc.stdin.write(frame(typeof m === 'string' ? m : JSON.stringify(m)));

  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  const init = await r.byId(1);
  t.diagnostic(`start -> initialize result over stdio: ${(performance.now() - start).toFixed(1)} ms`);
  assert.ok(init.result.capabilities);
  send({ jsonrpc: '2.0', method: 'initialized', params: {} });

  send('{"jsonrpc": "2.0", "id": 2, "method": ');
  assert.equal((await r.byId(null)).error.code, -32700, 'invalid JSON: ParseError');

  send({ jsonrpc: '2.0', id: 3, method: 'specls/noSuchMethod', params: {} });
  const unknown = await r.byId(3);
  assert.equal(unknown.error.code, -32601, 'unknown method: MethodNotFound');
  assert.match(unknown.error.message, /specls\/noSuchMethod/);

  send({ jsonrpc: '2.0', id: 4, method: 'textDocument/hover', params: 'nonsense' });
  assert.equal((await r.byId(4)).error.code, -32602, 'bad params: InvalidParams');

  send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: 42 });
  send({ jsonrpc: '2.0', id: 5, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///nowhere/_prd.md' }, position: { line: 0, character: 0 } } });
  const ok = await r.byId(5);
  assert.equal(ok.error, undefined, 'still serving after the bad messages');

  send({ jsonrpc: '2.0', id: 6, method: 'shutdown' });
  await r.byId(6);
  send({ jsonrpc: '2.0', method: 'exit' });
  assert.equal(await exited, 0, stderr);
  for (const m of r.got) assert.ok(m.jsonrpc === '2.0', `stdout carried something that is not a JSON-RPC message: ${JSON.stringify(m)}`);
});

test('exit without shutdown ends with code 1; so does a closed stream', async () => {
  for (const how of ['exit', 'close']) {
    const proc = spawn(bin, ['serve'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise((res) => proc.on('exit', res));
    const r = new Responses(proc.stdout);
    proc.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } })));
    await r.byId(1);
    if (how === 'exit') proc.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', method: 'exit' })));
    else proc.stdin.end();
    assert.equal(await exited, 1, how);
  }
});
