// The settings the server reads: the "specls" section has the shape of
// .specls.yaml. VS Code settings are flat dotted keys ("specls.ai.model");
// the server wants them nested ({ai: {model}}). Only values the user set are
// sent, so that an unset setting never hides the value of .specls.yaml.

export const SECTION = 'specls';

// Settings only the extension reads; the server is never sent them.
export const EDITOR_ONLY = new Set([
  'specls.server.path',
  'specls.server.log-level',
  'specls.trace.server',
  'specls.status-bar',
]);

export type Settings = { [key: string]: unknown };

// isEmpty is true for values that mean "not set": undefined, null, '', [] and {}.
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') {
    return true;
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  if (typeof v === 'object') {
    return Object.keys(v as object).length === 0;
  }
  return false;
}

// serverSettings turns the flat settings the user set ("specls.ai.model" ->
// value) into the nested object of the "specls" section, without the
// extension's own keys and without empty values.
export function serverSettings(flat: Settings): Settings {
  const out: Settings = {};
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(SECTION + '.') || EDITOR_ONLY.has(key) || isEmpty(value)) {
      continue;
    }
    const path = key.slice(SECTION.length + 1).split('.');
    let at = out;
    for (const part of path.slice(0, -1)) {
      if (typeof at[part] !== 'object' || at[part] === null) {
        at[part] = {};
      }
      at = at[part] as Settings;
    }
    const last = path[path.length - 1];
    at[last] = isPlainObject(value) ? withoutEmpty(value as Settings) : value;
    if (isEmpty(at[last])) {
      delete at[last];
    }
  }
  return out;
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withoutEmpty(obj: Settings): Settings {
  const out: Settings = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!isEmpty(v)) {
      out[k] = v;
    }
  }
  return out;
}

// Scoped is what VS Code's inspect() tells of one setting.
export interface Scoped<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

// userValue is the value the user set, the most specific scope first.
// Objects (rules, gates) merge key by key across scopes, as VS Code shows
// them; other values are replaced by the more specific scope.
export function userValue<T>(s: Scoped<T> | undefined): T | undefined {
  if (!s) {
    return undefined;
  }
  const layers = [s.globalValue, s.workspaceValue, s.workspaceFolderValue].filter((v) => v !== undefined) as T[];
  if (layers.length === 0) {
    return undefined;
  }
  if (layers.every(isPlainObject)) {
    return Object.assign({}, ...layers) as T;
  }
  return layers[layers.length - 1];
}
