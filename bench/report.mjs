// report.mjs turns the JSON files of one `make bench` run into the
// markdown tables of docs/performance.md: absolute numbers, ratios against
// the peers and the floor, and each target met or missed.
//
//   node report.mjs RESULTS_DIR "1000 5000" LARGEST INDEX_PEER
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import os from 'node:os';

const [dir, sizesArg = '1000 5000', largest = '5000', peer = '100'] = process.argv.slice(2);
const sizes = sizesArg.split(/\s+/).filter(Boolean);
const read = (name) => {
  const p = join(dir, `${name}.json`);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined;
};
const mean = (name) => read(name)?.results?.[0]?.mean; // hyperfine, seconds
const f = (x, d = 2) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : 'n/a');
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : '**missed**');

const lines = [];
const say = (s = '') => lines.push(s);

let go = '';
try { go = execSync('go version', { encoding: 'utf8' }).trim(); } catch { /* no go */ }
say(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}; ${go}; Node ${process.version}; load average at report ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`);
say();
say('### specls check against markdownlint-cli2 and the goldmark-only floor');
say();
say(`specls and the floor spread the files over every core (${os.cpus().length} here); the one-core columns run both with GOMAXPROCS=1.`);
say();
say('| feature folders | specls check | goldmark floor | markdownlint-cli2 | markdownlint ÷ specls (target ≥ 10×) | specls ÷ floor (target ≤ 1.5×) | one core: specls / floor | one core: specls ÷ floor | peak RSS specls / floor |');
say('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  const s = mean(`check-specls-${n}`);
  const fl = mean(`check-floor-${n}`);
  const s1 = mean(`check-specls1-${n}`);
  const fl1 = mean(`check-floor1-${n}`);
  const m = mean(`check-markdownlint-${n}`);
  const rs = read(`rss-specls-${n}`)?.peakRssMB;
  const rf = read(`rss-floor-${n}`)?.peakRssMB;
  say(`| ${n} | ${f(s)} s | ${f(fl)} s | ${f(m)} s | ${ratio(m, s)} ${verdict(m && s ? m / s >= 10 : undefined)} | ${ratio(s, fl)} ${verdict(s && fl ? s / fl <= 1.5 : undefined)} | ${f(s1)} / ${f(fl1)} s | ${ratio(s1, fl1)} | ${f(rs, 0)} / ${f(rf, 0)} MB |`);
}
say();
say('### The language server over stdio (one Node client, vscode-jsonrpc)');
say();
const is = read('init-specls');
const im = read('init-mdls');
say('| measurement | specls | vscode-markdown-languageserver | peer ÷ specls | target |');
say('|---|---:|---:|---:|---|');
say(`| process start → initialize result, p50 (p99) | ${f(is?.ms.p50, 1)} (${f(is?.ms.p99, 1)}) ms | ${f(im?.ms.p50, 1)} (${f(im?.ms.p99, 1)}) ms | ${ratio(im?.ms.p50, is?.ms.p50)} | p50 ≤ 20 ms: ${verdict(is ? is.ms.p50 <= 20 : undefined)} |`);
for (const n of ['2000', '10000']) {
  const push = read(`change-specls-push-${n}`);
  const pull = read(`change-specls-pull-${n}`);
  const mdls = read(`change-mdls-pull-${n}`);
  const target = n === '2000' ? `p99 ≤ 10 ms: ${verdict(push && pull ? Math.max(push.ms.p99, pull.ms.p99) <= 10 : undefined)}` : '';
  say(`| didChange → diagnostics, ${n}-line spec, push, p50 / p99 | ${f(push?.ms.p50, 1)} / ${f(push?.ms.p99, 1)} ms | (push not offered) | | ${target} |`);
  const work = (r) => (r?.serverCheckMs ? `${f(r.serverCheckMs.p50, 1)} / ${f(r.serverCheckMs.p99, 1)} ms` : 'n/a');
  say(`| of which the server's check (its debug log), push; pull | ${work(push)}; ${work(pull)} | | | |`);
  const parse = mdls?.clientParseMs ? ` (client markdown-it parse p50 ${f(mdls.clientParseMs.p50, 1)} ms)` : '';
  say(`| didChange → diagnostics, ${n}-line spec, pull, p50 / p99 | ${f(pull?.ms.p50, 1)} / ${f(pull?.ms.p99, 1)} ms | ${f(mdls?.ms.p50, 1)} / ${f(mdls?.ms.p99, 1)} ms${parse} | ${ratio(mdls?.ms.p50, pull?.ms.p50)} | ${target} |`);
}
const xl = read(`index-specls-${largest}`);
const xs = read(`index-specls-${peer}`);
const xm = read(`index-mdls-${peer}`);
if (xs) {
  say(`| ${peer} feature folders indexed (peer: workspace/symbol, which loads every file) | ${f(xs.indexMs / 1000, 1)} s | ${f(xm ? xm.indexMs / 1000 : undefined, 1)} s | ${ratio(xm?.indexMs, xs.indexMs)} | |`);
  say(`| peak RSS, ${peer} feature folders indexed | ${f(xs.peakRssMB, 0)} MB | ${f(xm?.peakRssMB, 0)} MB | ${ratio(xm?.peakRssMB, xs.peakRssMB)} | |`);
  say(`| CPU while idle (${xs.idleSeconds} s after indexing ${peer}) | ${f(xs.idleCpuPct, 1)} % | ${f(xm?.idleCpuPct, 1)} % | | |`);
}
if (xl) {
  say(`| ${xl.indexed} feature folders indexed | ${f(xl.indexMs / 1000, 1)} s | | | |`);
  say(`| peak RSS, ${xl.indexed} feature folders indexed | ${f(xl.peakRssMB, 0)} MB | | | ≤ 100 MB: ${verdict(xl.peakRssMB <= 100)} |`);
  say(`| CPU while idle (${xl.idleSeconds} s after indexing ${xl.indexed}) | ${f(xl.idleCpuPct, 1)} % | | | |`);
}
console.log(lines.join('\n'));
