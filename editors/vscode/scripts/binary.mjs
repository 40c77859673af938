// Which VS Code target platform an executable is built for, read from its
// header: ELF (Linux), Mach-O (macOS) or PE (Windows), and the CPU.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The platforms that get a .vsix with a bundled specls.
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

// binaryName is the binary's name inside a package for a target.
export function binaryName(target) {
  return target.startsWith('win32-') ? 'specls.exe' : 'specls';
}

// binaryPlatform returns the target an executable's bytes are for, or
// undefined when they are no executable this knows.
export function binaryPlatform(buf) {
  if (buf.length >= 20 && buf.readUInt32BE(0) === 0x7f454c46) {
    const machine = buf.readUInt16LE(18); // little-endian ELF
    return { 0x3e: 'linux-x64', 0xb7: 'linux-arm64' }[machine];
  }
  if (buf.length >= 8 && buf.readUInt32LE(0) === 0xfeedfacf) {
    return { 0x01000007: 'darwin-x64', 0x0100000c: 'darwin-arm64' }[buf.readUInt32LE(4)];
  }
  if (buf.length >= 0x40 && buf.toString('latin1', 0, 2) === 'MZ') {
    const pe = buf.readUInt32LE(0x3c);
    if (buf.length >= pe + 6 && buf.readUInt32BE(pe) === 0x50450000) {
      return { 0x8664: 'win32-x64', 0xaa64: 'win32-arm64' }[buf.readUInt16LE(pe + 4)];
    }
  }
  return undefined;
}

// checkBundled returns what is wrong with the binary a platform package
// for target would carry from the extension folder dir ('' when nothing).
export function checkBundled(dir, target) {
  const p = join(dir, 'bin', binaryName(target));
  if (!existsSync(p)) {
    return `${p} is missing: a ${target} package must carry specls built for ${target} (make vsix builds them all)`;
  }
  if (!target.startsWith('win32-') && (statSync(p).mode & 0o111) === 0) {
    return `${p} is not executable`;
  }
  const got = binaryPlatform(readFileSync(p));
  if (got !== target) {
    return `${p} is built for ${got ?? 'no known platform'}, not ${target}`;
  }
  return '';
}
