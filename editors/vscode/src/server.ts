// Where the specls binary is: the setting, else the binary shipped inside a
// platform-specific .vsix, else `specls` on PATH. Pure apart from the file
// system, so that the unit tests can run it without VS Code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Found {
  path: string;
  source: 'setting' | 'extension' | 'PATH';
}

export interface Where {
  configured: string; // specls.server.path, '' when unset
  extensionPath: string; // the extension's folder
  workspaceFolder?: string; // for a relative configured path
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export class ServerNotFound extends Error {}

export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'specls.exe' : 'specls';
}

// bundledPath is where a platform-specific .vsix carries the binary.
export function bundledPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, 'bin', executableName(platform));
}

export function findServer(w: Where): Found {
  if (w.configured.trim() !== '') {
    let p = w.configured.trim();
    if (p === '~' || p.startsWith('~/')) {
      p = path.join(os.homedir(), p.slice(1));
    }
    if (!path.isAbsolute(p) && w.workspaceFolder) {
      p = path.resolve(w.workspaceFolder, p);
    }
    if (!path.isAbsolute(p)) {
      // A bare name ("specls-dev") is looked up on PATH.
      const onPath = searchPath(p, w.env, w.platform);
      if (onPath) {
        return { path: onPath, source: 'setting' };
      }
    } else if (isFile(p)) {
      return { path: p, source: 'setting' };
    }
    throw new ServerNotFound(`specls.server.path is set to "${w.configured}", but there is no such file. Correct the setting or clear it to use the specls on PATH.`);
  }
  const bundled = bundledPath(w.extensionPath, w.platform);
  if (isFile(bundled)) {
    return { path: bundled, source: 'extension' };
  }
  const onPath = searchPath(executableName(w.platform), w.env, w.platform);
  if (onPath) {
    return { path: onPath, source: 'PATH' };
  }
  throw new ServerNotFound('specls was not found on PATH. Install it (go install github.com/specls/specls/cmd/specls@latest) or set specls.server.path to the binary.');
}

// searchPath looks name up in the directories of PATH (with PATHEXT on Windows).
export function searchPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' && path.extname(name) === '' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of pathVar.split(sep)) {
    if (dir === '') {
      continue;
    }
    for (const ext of exts) {
      const p = path.join(dir, name + ext.toLowerCase());
      if (isExecutable(p, platform)) {
        return p;
      }
    }
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isExecutable(p: string, platform: NodeJS.Platform): boolean {
  if (!isFile(p)) {
    return false;
  }
  if (platform === 'win32') {
    return true;
  }
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ensureExecutable restores the execute bit a zip may have lost on the way
// from the .vsix to the disk.
export function ensureExecutable(p: string, platform: NodeJS.Platform): void {
  if (platform === 'win32') {
    return;
  }
  try {
    fs.accessSync(p, fs.constants.X_OK);
  } catch {
    fs.chmodSync(p, 0o755);
  }
}

// serverArgs are the command-line arguments of `specls serve`; warn is
// the server's default level.
export function serverArgs(logLevel: string): string[] {
  const args = ['serve'];
  if (logLevel && logLevel !== 'warn') {
    args.push('--log-level', logLevel);
  }
  return args;
}
