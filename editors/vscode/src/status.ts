// The status bar item: the gate summary of the active spec, as the server's
// code lens states it ("Gates: A ✓  B ✗ 2  C -"), or the count of findings
// for a spec without a tech spec to gate.

export const SPEC_FILES = ['_prd.md', '_techspec.md', '_tasks.md'];

// isSpecFile tells whether a path names a spec document.
export function isSpecFile(fsPath: string): boolean {
  const base = fsPath.split(/[\\/]/).pop() ?? '';
  return SPEC_FILES.includes(base);
}

// gatedPath is the tech spec whose gates a spec document shows: itself, or
// the _techspec.md beside a _prd.md or _tasks.md.
export function gatedPath(fsPath: string): string {
  const i = Math.max(fsPath.lastIndexOf('/'), fsPath.lastIndexOf('\\'));
  return fsPath.slice(0, i + 1) + '_techspec.md';
}

export interface Counts {
  errors: number;
  warnings: number;
}

export interface StatusText {
  text: string;
  tooltip: string;
}

// statusText words the item from the lens title (undefined when there is
// no tech spec) and the findings of the active document.
export function statusText(lensTitle: string | undefined, counts: Counts): StatusText {
  const findings = plural(counts.errors, 'error') + ', ' + plural(counts.warnings, 'warning');
  if (lensTitle && lensTitle.startsWith('Gates:')) {
    const gates = lensTitle.slice('Gates:'.length).trim().replace(/\s{2,}/g, ' · ');
    const failing = /✗/.test(gates);
    return {
      text: `${failing ? '$(error)' : '$(pass)'} Gates ${gates}`,
      tooltip: `specls: gates of the tech spec (✓ passes, ✗ n fails with n findings, - off). This file: ${findings}. Click for the gate report.`,
    };
  }
  const icon = counts.errors > 0 ? '$(error)' : counts.warnings > 0 ? '$(warning)' : '$(pass)';
  return { text: `${icon} specls`, tooltip: `specls: ${findings} in this file (no tech spec to gate yet).` };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
