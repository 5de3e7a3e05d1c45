/**
 * Settings that work as feature flags: a setting the change defines with a default that is off
 * (a Django `X = False`, an environment variable read as a boolean with no or a false default, a
 * YAML `x_enabled: false`, a Go configuration field with a config-file tag, whose zero value is the
 * default) guards the code that reads it (`if settings.X:`, `… if APP_CONFIG['x']`,
 * `if cfg.Server.X > 0 {`) like a flag that ships OFF. Only settings the change itself introduces
 * count: an existing setting keeps whatever value production gives it.
 */
import type { ChangedFile } from '../change/types';
import { escapeRegex, type FlagCheck, type FlagFinder } from './flags';

export interface OffSettings {
  /** The names of the settings the change introduces with an off default and reads itself. */
  names: Set<string>;
  /** Per file, the added lines (1-based) that define one of them, with its name. */
  definitions: Map<string, Map<number, string>>;
}

const PY_SETTINGS_FILE = /(?:^|\/)(?:settings|config|conf)(?:\/[^/]*|[^/]*)\.py$/;
const YAML_SETTINGS_FILE = /(?:^|\/)(?:config|conf|settings)\/[^/]*\.ya?ml$|(?:^|\/)(?:application|settings|config)[^/]*\.ya?ml$/;
const GO_CONFIG_TAG = /`[^`]*\b(?:ini|toml|env|envconfig|mapstructure):"/;

const FALSE_LITERAL = String.raw`(?:False|None|0|""|''|"(?:false|no|off|0)"|'(?:false|no|off|0)')`;
/** `X = False`, `X = None`, `X = 0`, `X = ""`. */
const PY_LITERAL = new RegExp(String.raw`^([A-Z][A-Z0-9_]*)\s*=\s*${FALSE_LITERAL}\s*$`);
/** `X = get_bool("ENV")`, `X = __get_boolean("ENV", "NO")`, `X = env.bool("ENV", default=False)`. */
const PY_BOOL_CALL = new RegExp(String.raw`^([A-Z][A-Z0-9_]*)\s*=\s*[\w.]*[Bb]ool\w*\(\s*(['"])[^'"]+\2\s*(?:,\s*(?:default\s*=\s*)?(?:${FALSE_LITERAL}|"NO"|'NO'))?\s*\)\s*$`);
/** `X = os.getenv("ENV")`, `X = os.environ.get("ENV")`: unset is None. */
const PY_ENV = /^([A-Z][A-Z0-9_]*)\s*=\s*os\.(?:getenv|environ\.get)\(\s*(['"])[^'"]+\2\s*\)\s*$/;
const YAML_OFF = /^\s*([a-z_][a-z0-9_]*)\s*:\s*(?:false|no|off)\s*(?:#.*)?$/i;
const GO_FIELD = /^\s*([A-Z]\w*)\s+(?:bool|u?int(?:8|16|32|64)?|string)\s+`/;

function definedName(path: string, text: string): string | undefined {
  if (path.endsWith('.py')) {
    if (!PY_SETTINGS_FILE.test(path)) return undefined;
    return (PY_LITERAL.exec(text) ?? PY_BOOL_CALL.exec(text) ?? PY_ENV.exec(text))?.[1];
  }
  if (/\.ya?ml$/.test(path)) return YAML_SETTINGS_FILE.test(path) ? YAML_OFF.exec(text)?.[1] : undefined;
  if (path.endsWith('.go')) return GO_CONFIG_TAG.test(text) ? GO_FIELD.exec(text)?.[1] : undefined;
  return undefined;
}

/** The settings the change introduces with an off default and reads in its own added lines. */
export function offSettings(files: readonly ChangedFile[]): OffSettings {
  const names = new Set<string>();
  const definitions = new Map<string, Map<number, string>>();
  for (const f of files) {
    for (const l of f.addedLines) {
      const name = definedName(f.path, l.text);
      if (!name) continue;
      names.add(name);
      let at = definitions.get(f.path);
      if (!at) definitions.set(f.path, (at = new Map()));
      at.set(l.line, name);
    }
  }
  // A setting the change also removes somewhere was there before: it is not new.
  for (const f of files) {
    for (const l of f.removedLines) {
      const name = definedName(f.path, l.text);
      if (name && names.delete(name)) for (const at of definitions.values()) for (const [n, v] of at) if (v === name) at.delete(n);
    }
  }
  // A setting the change's own code does not read is read by something else (a library's setting,
  // `AXES_… = None`): its value is live there, not a flag.
  if (names.size) {
    const find = withSettingReads(() => undefined, names);
    const read = new Set<string>();
    for (const f of files) for (const l of f.addedLines) {
      const check = find(l.text);
      if (check) read.add(check.name);
    }
    for (const name of names) if (!read.has(name)) names.delete(name);
    for (const at of definitions.values()) for (const [n, v] of at) if (!names.has(v)) at.delete(n);
  }
  return { names, definitions };
}

const CONFIG_RECEIVER = /(?:conf|cfg|setting|option|opts|env)/i;

/**
 * A flag finder that also knows the reads of the given settings through a configuration object
 * (`settings.NAME`, `cfg.Server.NAME`, `APP_CONFIG['name']`). A
 * read compared with an off value (`== 0`, `is None`, `== false`) or negated runs while it is off.
 */
export function withSettingReads(find: FlagFinder, names: ReadonlySet<string>): FlagFinder {
  if (!names.size) return find;
  const alt = [...names].sort((a, b) => b.length - a.length).map(escapeRegex).join('|');
  const read = new RegExp(String.raw`[A-Za-z_$@][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[[^\]]*\])*?(?:\??\.(${alt})|\[\s*(['":]?)(${alt})\2\s*\])(?![\w$(])`);
  const offCompare = /^\s*(?:===?\s*(?:0|false|""|''|nil|None|undefined|null)\b|<=\s*0\b|is\s+(?:None|False)\b|\.nil\?)/;
  return (code): FlagCheck | undefined => {
    const own = find(code);
    if (own) return own;
    const m = read.exec(code);
    // Read through the configuration (`settings.`, `app.cfg.Server.`, `APP_CONFIG[`), not any object's field of that name.
    if (!m || !CONFIG_RECEIVER.test(m[0].slice(0, m[0].length - (m[1] ?? m[3]).length))) return undefined;
    const name = m[1] ?? m[3];
    const before = code.slice(0, m.index);
    const after = code.slice(m.index + m[0].length);
    const negated = /(?:!\s*\(?\s*|\bnot\s+\(?\s*)$/.test(before) || /\bunless\b/.test(before) || offCompare.test(after);
    return { name, index: m.index, negated };
  };
}
