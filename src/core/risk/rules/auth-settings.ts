/**
 * Settings of authentication libraries: values that decide who can sign in and how, written as
 * code the framework loads by convention. Django reads its settings module (`AXES_*` for
 * django-axes lockouts, `AUTH_*`, `SESSION_*`, `CSRF_*`, `LOGIN_*`, allauth's `ACCOUNT_*`…); Rails
 * runs every file of `config/initializers`, where `Doorkeeper.configure do … end` or
 * `Devise.setup do … end` configures OAuth and sign-in. A changed line of such a setting is auth,
 * though no auth word need be on it.
 */
import type { LanguageId } from '../languages';
import type { ScannedLine } from '../scan';

// A Django settings module: `settings.py`, `settings_prod.py`, `settings/base.py`.
const DJANGO_SETTINGS = /(?:^|\/)(?:settings[\w-]*\.py|settings\/[\w-]+\.py)$/;
const DJANGO_AUTH_SETTING = /^(?:AXES_\w+|AUTH_\w+|AUTHENTICATION_BACKENDS|PASSWORD_\w+|SESSION_\w+|CSRF_\w+|LOGIN_\w+|LOGOUT_\w+|SOCIAL_AUTH_\w+|SOCIALACCOUNT_\w+|ACCOUNT_\w+|OAUTH2?_\w+|SIMPLE_JWT|JWT_AUTH|OTP_\w+|MFA_\w+|DJOSER|REST_AUTH\w*)$/;
const TOP_ASSIGNMENT = /^([A-Z][A-Z0-9_]*)\s*(?::[^=]*)?=/;

const RAILS_INITIALIZER = /(?:^|\/)config\/initializers\/[^/]+\.rb$/;
const RUBY_AUTH_CONFIG = /^\s*(?:(Doorkeeper|Devise|OmniAuth|Rodauth|Clearance|Sorcery|Authlogic|WebAuthn|Warden)(?:::\w+)*\.(?:configure|setup)\b|.*\buse\s+(OmniAuth::Builder|Warden::Manager)\b)/m;

/** Python imports from an authentication module: `from django.contrib.auth.middleware import RemoteUserMiddleware`. */
const PY_AUTH_IMPORT = /^\s*from\s+([\w.]*\b(?:auth|authentication|security)\b[\w.]*)\s+import\s+\(?([\w\s,]+)\)?/gm;

/**
 * For a Python file: the class a changed line sits in, when it subclasses a class imported from an
 * authentication module (a `RemoteUserMiddleware`, a DRF `BaseAuthentication`): its code is auth,
 * whatever its own names say. Read by indentation; undefined for a file with no such import.
 */
export function authSubclassOf(lang: LanguageId, content: string): AuthSettings | undefined {
  if (lang !== 'python') return undefined;
  const bases = new Map<string, string>();
  for (const m of content.matchAll(PY_AUTH_IMPORT)) for (const name of m[2].split(',')) if (name.trim()) bases.set(name.trim().split(/\s+/)[0], m[1]);
  if (!bases.size) return undefined;
  return {
    at(line, scanned) {
      const indent = (s: string) => /^\s*/.exec(s)![0].length;
      let limit = indent(scanned[line - 1]?.code ?? '');
      for (let n = line - 1; n >= 1 && limit > 0; n--) {
        const code = scanned[n - 1]?.code ?? '';
        if (code.trim() === '' || indent(code) >= limit) continue;
        limit = indent(code);
        const cls = /^\s*class\s+(\w+)\s*\(([^)]*)\)/.exec(code);
        const base = cls?.[2].split(',').map((b) => b.trim()).find((b) => bases.has(b));
        if (cls && base) return `${cls[1]}(${base})`;
      }
      return undefined;
    },
  };
}

export interface AuthSettings {
  /** The setting a changed line of this file belongs to, or undefined. */
  at(line: number, scanned: readonly ScannedLine[]): string | undefined;
}

/** The reader for a file that holds authentication settings, or undefined for any other file. */
export function authSettingsOf(path: string, lang: LanguageId, content: string): AuthSettings | undefined {
  if (lang === 'python' && DJANGO_SETTINGS.test(path)) {
    return {
      at(line, scanned) {
        // The top-level assignment the line is part of: itself, or the nearest one above (a list over several lines).
        for (let n = line; n >= 1; n--) {
          const code = scanned[n - 1]?.code ?? '';
          if (code === '') continue;
          const m = TOP_ASSIGNMENT.exec(code);
          if (m) return DJANGO_AUTH_SETTING.test(m[1]) ? m[1] : undefined;
          if (!/^\s/.test(code) && !/^[)\]}]/.test(code)) return undefined;
        }
        return undefined;
      },
    };
  }
  if (lang === 'ruby' && RAILS_INITIALIZER.test(path)) {
    const m = RUBY_AUTH_CONFIG.exec(content);
    if (!m) return undefined;
    const lib = m[1] ?? m[2];
    return { at: () => `${lib} configuration` };
  }
  return undefined;
}
