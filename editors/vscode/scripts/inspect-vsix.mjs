// Checks what a packaged .vsix holds: the manifest, the bundle, the README
// and the license, and nothing of the development tree (sources, tests,
// node_modules, source maps). With --target it checks a platform package:
// the manifest targets it and extension/bin/specls (specls.exe on Windows)
// is an executable built for it; --binary <path>: the same bytes as that
// file; --run: the packaged binary runs here (`specls version`). Without
// --target the package is the universal one and carries no binary.
//
//   node scripts/inspect-vsix.mjs <file.vsix> [--target linux-x64 [--binary ../../bin/specls] [--run]]
//
// A .vsix is a zip; the reader below needs no package.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { binaryName, binaryPlatform } from './binary.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { binary: { type: 'string' }, target: { type: 'string' }, run: { type: 'boolean' } },
});
if (positionals.length !== 1) {
  console.error('usage: inspect-vsix.mjs <file.vsix> [--target <platform> --binary <path>]');
  process.exit(2);
}
const vsix = positionals[0];
const zip = readFileSync(vsix);
const entries = readZip(zip);
const problems = [];

const required = [
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/readme.md',
  'extension/LICENSE.txt',
];
for (const name of required) {
  if (!entries.has(name)) {
    problems.push(`missing ${name}`);
  }
}
const junk = [/(^|\/)node_modules\//, /^extension\/src\//, /^extension\/test\//, /^extension\/out\//, /\.ts$/, /\.map$/, /\.go$/,
  /(^|\/)tsconfig\.json$/, /(^|\/)esbuild\.mjs$/, /(^|\/)package-lock\.json$/, /^extension\/scripts\//, /(^|\/)\.vscodeignore$/];
for (const name of entries.keys()) {
  if (junk.some((re) => re.test(name))) {
    problems.push(`should not be packaged: ${name}`);
  }
}

// The packaged manifest is the source one, and names the bundle as main.
const source = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
if (entries.has('extension/package.json')) {
  const packaged = JSON.parse(extract(zip, entries.get('extension/package.json')).toString('utf8'));
  if (JSON.stringify(packaged.contributes) !== JSON.stringify(source.contributes) || packaged.version !== source.version) {
    problems.push('extension/package.json differs from editors/vscode/package.json');
  }
  const main = 'extension/' + packaged.main.replace(/^\.\//, '');
  if (!entries.has(main)) {
    problems.push(`main ${packaged.main} is not in the package`);
  }
}
if (entries.has('extension/dist/extension.js')) {
  const bundle = extract(zip, entries.get('extension/dist/extension.js')).toString('utf8');
  if (!bundle.includes('activate') || !bundle.includes('specls.showGates') || /require\("vscode-languageclient/.test(bundle)) {
    problems.push('extension/dist/extension.js is not the bundled extension');
  }
}

const manifest = entries.has('extension.vsixmanifest') ? extract(zip, entries.get('extension.vsixmanifest')).toString('utf8') : '';
let ran = '';
if (values.target) {
  const name = 'extension/bin/' + binaryName(values.target);
  const bin = entries.get(name);
  if (!bin) {
    problems.push(`missing ${name}`);
  } else {
    const bytes = extract(zip, bin);
    const built = binaryPlatform(bytes);
    if (built !== values.target) {
      problems.push(`${name} is built for ${built ?? 'no known platform'}, not ${values.target}`);
    }
    if (!values.target.startsWith('win32-') && (bin.mode & 0o111) === 0) {
      problems.push(`${name} is not executable (mode ${bin.mode.toString(8)})`);
    }
    if (values.binary && !bytes.equals(readFileSync(values.binary))) {
      problems.push(`${name} differs from ${values.binary}`);
    }
    if (values.run && built === values.target) {
      // Run the packaged bytes, as the installed extension would.
      const dir = mkdtempSync(join(tmpdir(), 'specls-vsix-'));
      try {
        const exe = join(dir, binaryName(values.target));
        writeFileSync(exe, bytes, { mode: 0o755 });
        ran = execFileSync(exe, ['version'], { encoding: 'utf8' }).trim();
        if (!ran.startsWith('specls ')) {
          problems.push(`${name} version printed ${JSON.stringify(ran)}`);
        }
      } catch (err) {
        problems.push(`${name} does not run here: ${err.message}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  for (const other of [...entries.keys()].filter((n) => n.startsWith('extension/bin/') && n !== name)) {
    problems.push(`should not be packaged: ${other}`);
  }
  if (!manifest.includes(`TargetPlatform="${values.target}"`)) {
    problems.push(`the manifest does not target ${values.target}`);
  }
} else if ([...entries.keys()].some((n) => n.startsWith('extension/bin/'))) {
  problems.push('the universal package carries a binary');
}

for (const [name, e] of entries) {
  console.log(`${e.mode ? e.mode.toString(8).padStart(6) : '     -'} ${String(e.size).padStart(9)}  ${name}`);
}
if (problems.length > 0) {
  console.error(`${vsix}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`ok - ${vsix}: ${entries.size} entries, ${zip.length} bytes${values.target ? `, ${values.target} binary` : ''}${ran ? `, runs: ${ran}` : ''}`);

// readZip lists a zip's central directory: name -> { offset, method, csize, size, mode }.
function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error(`${vsix} is not a zip file`);
  }
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) {
      throw new Error(`${vsix}: bad central directory entry ${i}`);
    }
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const madeBy = buf.readUInt16LE(at + 4) >> 8;
    const external = buf.readUInt32LE(at + 38);
    out.set(buf.toString('utf8', at + 46, at + 46 + nameLen), {
      method: buf.readUInt16LE(at + 10),
      csize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
      mode: madeBy === 3 ? (external >>> 16) & 0o7777 : 0, // 3: Unix
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function extract(buf, e) {
  const nameLen = buf.readUInt16LE(e.offset + 26);
  const extraLen = buf.readUInt16LE(e.offset + 28);
  const start = e.offset + 30 + nameLen + extraLen;
  const data = buf.subarray(start, start + e.csize);
  return e.method === 8 ? inflateRawSync(data) : Buffer.from(data);
}
