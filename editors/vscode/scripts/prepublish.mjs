// Runs before `vsce package` (vscode:prepublish): a platform package
// (`vsce package --target linux-x64`) must carry bin/specls built for that
// platform, else it would install and then fail to find its server. vsce
// does not tell the script the target, so it is read from the command line
// of the vsce process this runs under.
import { execFileSync } from 'node:child_process';
import { TARGETS, checkBundled } from './binary.mjs';

function ancestorsArgs() {
  const out = [];
  let pid = process.ppid;
  for (let i = 0; i < 12 && pid > 1; i++) {
    let line;
    try {
      line = execFileSync('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      break; // no ps (Windows): nothing to check against
    }
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) {
      break;
    }
    out.push(m[2]);
    pid = Number(m[1]);
  }
  return out;
}

export function targetOf(args) {
  for (const a of args) {
    if (!/\bvsce\b/.test(a)) {
      continue;
    }
    const m = /(?:^|\s)(?:--target|-t)(?:=|\s+)(\S+)/.exec(a);
    if (m) {
      return m[1];
    }
  }
  return undefined;
}

const target = targetOf(ancestorsArgs());
if (target !== undefined) {
  if (!TARGETS.includes(target)) {
    console.error(`specls: no bundled binary for target ${target}; the targets are ${TARGETS.join(', ')} (or package without --target)`);
    process.exit(1);
  }
  const problem = checkBundled(process.cwd(), target);
  if (problem) {
    console.error(`specls: ${problem}`);
    process.exit(1);
  }
}
