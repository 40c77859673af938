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
// cpu is the mean CPU time (user + system) of a timed command: on a shared
// machine it moves less than the wall time.
const cpu = (name) => {
  const r = read(name)?.results?.[0];
  return r && r.user !== undefined ? r.user + r.system : undefined;
};
const f = (x, d = 2) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : 'n/a');
const ratio2 = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');
// pooled summarises the start-up times of runs made in turns (init-NAME-1,
// -2, ...), or of one run (init-NAME).
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const pooled = (name) => {
  const times = [];
  for (let i = 1; ; i++) {
    const r = read(`${name}-${i}`);
    if (!r) break;
    times.push(...(r.times ?? []));
  }
  if (!times.length) return read(name);
  return { ms: { n: times.length, p50: pct(times, 0.5), p99: pct(times, 0.99) } };
};
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : '**missed**');

const lines = [];
const say = (s = '') => lines.push(s);

let go = '';
try { go = execSync('go version', { encoding: 'utf8' }).trim(); } catch { /* no go */ }
say(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}; ${go}; Node ${process.version}; load average at report ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`);
say();
say('### specls check against rumdl, markdownlint-cli2 and the goldmark-only floor');
say();
say(`specls, rumdl and the floor spread the files over every core (${os.cpus().length} here); the one-core columns pin all three to one core (taskset). rumdl: \`check --no-cache --no-config\` (every default rule).`);
say();
say('| feature folders | specls check | rumdl | goldmark floor | markdownlint-cli2 | specls ÷ rumdl (target ≤ 1.0×) | specls ÷ floor (target ≤ 2.0×) | markdownlint ÷ specls (target ≥ 10×) | CPU s (user+sys) specls / rumdl / floor | one core: specls / rumdl / floor | one core: specls ÷ rumdl, ÷ floor | peak RSS specls / rumdl / floor |');
say('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
// A part left out of the run (BENCH_PARTS) leaves out its rows.
for (const n of sizes.filter((n) => read(`check-specls-${n}`))) {
  const s = mean(`check-specls-${n}`);
  const r = mean(`check-rumdl-${n}`);
  const fl = mean(`check-floor-${n}`);
  const s1 = mean(`check-specls1-${n}`);
  const r1 = mean(`check-rumdl1-${n}`);
  const fl1 = mean(`check-floor1-${n}`);
  const m = mean(`check-markdownlint-${n}`);
  const rss = (who) => f(read(`rss-${who}-${n}`)?.peakRssMB, 0);
  say(`| ${n} | ${f(s)} s | ${f(r)} s | ${f(fl)} s | ${f(m)} s | ${ratio2(s, r)} ${verdict(s && r ? s / r <= 1.0 : undefined)} | ${ratio(s, fl)} ${verdict(s && fl ? s / fl <= 2.0 : undefined)} | ${ratio(m, s)} ${verdict(m && s ? m / s >= 10 : undefined)} | ${f(cpu(`check-specls-${n}`))} / ${f(cpu(`check-rumdl-${n}`))} / ${f(cpu(`check-floor-${n}`))} | ${f(s1)} / ${f(r1)} / ${f(fl1)} s | ${ratio2(s1, r1)}, ${ratio(s1, fl1)} | ${rss('specls')} / ${rss('rumdl')} / ${rss('floor')} MB |`);
}
say();
say('### The language server over stdio (one Node client, vscode-jsonrpc)');
say();
const is = pooled('init-specls');
const it = pooled('init-trivial');
const ir = read('init-rumdl');
const im = read('init-mdls');
const ms = (r) => (r ? `${f(r.ms.p50, 1)} / ${f(r.ms.p99, 1)} ms` : 'n/a');
say('Each cell is p50 / p99. rumdl asks for the whole text on every change (full sync); the others get the one-character edit.');
say();
say('| measurement | specls | rumdl server | vscode-markdown-languageserver | specls ÷ rumdl | target |');
say('|---|---:|---:|---:|---:|---|');
if (is || ir || im) say(`| process start → initialize result | ${ms(is)} | ${ms(ir)} | ${ms(im)} | ${ratio2(is?.ms.p50, ir?.ms.p50)} | p50 ≤ 20 ms: ${verdict(is ? is.ms.p50 <= 20 : undefined)} |`);
if (it) say(`| process start → initialize result: a trivial Go stdio server (bench/trivial-server), in turns with specls; specls ÷ trivial | ${ms(it)}; ${ratio2(is?.ms.p50, it?.ms.p50)} | | | | specls ≤ 2× trivial: ${verdict(is && it ? is.ms.p50 <= 2 * it.ms.p50 : undefined)} |`);
for (const n of ['2000', '10000']) {
  const push = read(`change-specls-push-${n}`);
  const pull = read(`change-specls-pull-${n}`);
  const rpush = read(`change-rumdl-push-${n}`);
  const rpull = read(`change-rumdl-pull-${n}`);
  const mdls = read(`change-mdls-pull-${n}`);
  if (!push && !pull && !rpush && !rpull && !mdls) continue;
  const target = n === '2000' ? `p99 ≤ 10 ms: ${verdict(push && pull ? Math.max(push.ms.p99, pull.ms.p99) <= 10 : undefined)}` : '';
  say(`| didChange → diagnostics, ${n}-line spec, push | ${ms(push)} | ${ms(rpush)} | (push not offered) | ${ratio2(push?.ms.p50, rpush?.ms.p50)} | ${target} |`);
  const work = (r) => (r?.serverCheckMs ? `${f(r.serverCheckMs.p50, 1)} / ${f(r.serverCheckMs.p99, 1)} ms` : 'n/a');
  say(`| of which specls's check (its debug log), push; pull | ${work(push)}; ${work(pull)} | | | | |`);
  const parse = mdls?.clientParseMs ? ` (client markdown-it parse p50 ${f(mdls.clientParseMs.p50, 1)} ms)` : '';
  say(`| didChange → diagnostics, ${n}-line spec, pull | ${ms(pull)} | ${ms(rpull)} | ${ms(mdls)}${parse} | ${ratio2(pull?.ms.p50, rpull?.ms.p50)} | ${target} |`);
}
const xl = read(`index-specls-${largest}`);
const xs = read(`index-specls-${peer}`);
const xm = read(`index-mdls-${peer}`);
if (xs) {
  say(`| ${peer} feature folders indexed (vscode-markdown-languageserver: workspace/symbol, which loads every file) | ${f(xs.indexMs / 1000, 1)} s | | ${f(xm ? xm.indexMs / 1000 : undefined, 1)} s | | |`);
  say(`| peak RSS, ${peer} feature folders indexed | ${f(xs.peakRssMB, 0)} MB | | ${f(xm?.peakRssMB, 0)} MB | | |`);
  say(`| CPU while idle (${xs.idleSeconds} s after indexing ${peer}) | ${f(xs.idleCpuPct, 1)} % | | ${f(xm?.idleCpuPct, 1)} % | | |`);
}
if (xl) {
  say(`| ${xl.indexed} feature folders indexed | ${f(xl.indexMs / 1000, 1)} s | | | | |`);
  say(`| peak RSS, ${xl.indexed} feature folders indexed | ${f(xl.peakRssMB, 0)} MB | | | | ≤ 100 MB: ${verdict(xl.peakRssMB <= 100)} |`);
  say(`| CPU while idle (${xl.idleSeconds} s after indexing ${xl.indexed}) | ${f(xl.idleCpuPct, 1)} % | | | | |`);
}
// Start-up beside the trivial server (bench/startup.sh): spawn -> initialize
// with the process's CPU and memory, and the command-line start.
const st = read('startup');
if (Array.isArray(st) && st.length) {
  say();
  say('### Start-up (bench/startup.sh)');
  say();
  say('| server | spawn → initialize p50 / p90 / min | CPU p50 | page faults p50 | RSS after initialize |');
  say('|---|---:|---:|---:|---:|');
  for (const x of st) say(`| ${x.name} | ${f(x.p50_ms, 1)} / ${f(x.p90_ms, 1)} / ${f(x.min_ms, 1)} ms | ${f(x.cpu_p50_ms, 1)} ms | ${x.faults_p50 ?? ''} | ${f(x.rss_p50_kb / 1024, 1)} MB |`);
  const sp = st.find((x) => x.name === 'specls');
  const tr = st.find((x) => x.name === 'trivial-server');
  if (sp && tr) say(`\nspecls ÷ trivial server, p50: ${ratio2(sp.p50_ms, tr.p50_ms)} (target ≤ 2×: ${verdict(sp.p50_ms <= 2 * tr.p50_ms)}); CPU ${ratio2(sp.cpu_p50_ms, tr.cpu_p50_ms)}.`);
  // The trivial server linked with specls's dependencies: the floor of what specls's code can reach.
  const df = st.find((x) => x.name === 'deps-floor');
  if (df && tr) say(`Its dependencies alone (deps-floor) ÷ trivial server, p50: ${ratio2(df.p50_ms, tr.p50_ms)}; CPU ${ratio2(df.cpu_p50_ms, tr.cpu_p50_ms)}.`);
  const cli = read('startup-cli')?.results ?? [];
  if (cli.length) {
    say();
    say('| command | mean | fastest |');
    say('|---|---:|---:|');
    for (const r of cli) say(`| \`${r.command}\` | ${f(r.mean * 1000, 1)} ms | ${f(r.min * 1000, 1)} ms |`);
    const v = cli.find((r) => r.command === 'specls version');
    if (v) say(`\n\`specls version\` under 10 ms: ${verdict(v.mean * 1000 < 10)}.`);
  }
}

console.log(lines.join('\n'));

