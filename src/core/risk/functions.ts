/**
 * Function declarations and their extents in the new version of a file. Two uses: a changed line
 * takes the name of the function it sits in as context (`total *= 1.2` inside `chargeCustomer` is a
 * payment change), and a whole new exported function that nothing calls is not integrated yet.
 */
import { blockEnd } from './blocks';
import type { Language, LanguageId } from './languages';
import type { ScannedLine } from './scan';

export interface FunctionSpan {
  name: string;
  /** 1-based, inclusive. */
  start: number;
  end: number;
  /** Reachable from other files: `export`, `public`, a capitalised Go name, a top-level Python def. */
  exported: boolean;
  /** Set for a class (see findClasses): it is used, not called. */
  kind?: 'class';
}

type Decl = { name: string; exported: boolean } | undefined;

const CONTROL = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'else', 'do', 'try', 'new', 'throw', 'await', 'typeof', 'constructor', 'super', 'synchronized']);

const JS_FUNCTION = /^\s*(export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/;
const JS_ARROW = /^\s*(export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*$|\([^)]*\)\s*(?::\s*[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/;
const JS_METHOD = /^\s*(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::\s*[^{=]+)?\{\s*$/;
const PY_DEF = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/;
const GO_FUNC = /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[[(]/;
const JAVA_METHOD = /^\s*((?:(?:public|protected|private|static|final|abstract|synchronized|native|default)\s+)*)(?:<[^>]+>\s+)?[\w<>[\],.?]+(?:\s*<[^>]*>)?\s+([a-zA-Z_]\w*)\s*\([^=]*$/;
const KOTLIN_FUN = /^\s*((?:(?:public|private|internal|protected|override|suspend|inline|open|abstract|final|operator|infix|tailrec)\s+)*)fun\s+(?:<[^>]+>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)\s*\(/;
const RUBY_DEF = /^\s*def\s+(?:self\.)?([A-Za-z_]\w*[?!=]?)/;
const RUBY_SCOPE = /^\s*scope\s+:([A-Za-z_]\w*[?!]?)\s*,\s*(?:->|lambda\b|proc\b)/;

/** Whether the line may end in `{` and white space: false only when its last non-blank character is another ASCII one. */
function mayOpenBlock(code: string): boolean {
  for (let i = code.length - 1; i >= 0; i--) {
    const c = code.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    return c === 123 || c >= 128;
  }
  return false;
}

function declare(code: string, lang: LanguageId): Decl {
  let m: RegExpExecArray | null;
  switch (lang) {
    case 'js':
      // Each pattern runs only where its literal part is: `function`, `=`, a line ending in `{`.
      if ((code.includes('function') && (m = JS_FUNCTION.exec(code))) || (code.includes('=') && (m = JS_ARROW.exec(code)))) return { name: m[2], exported: !!m[1] };
      if (mayOpenBlock(code) && (m = JS_METHOD.exec(code)) && !CONTROL.has(m[1])) return { name: m[1], exported: false };
      return undefined;
    case 'python':
      if ((m = PY_DEF.exec(code))) return { name: m[2], exported: m[1].length === 0 && !m[2].startsWith('_') };
      return undefined;
    case 'go':
      if ((m = GO_FUNC.exec(code))) return { name: m[1], exported: /^[A-Z]/.test(m[1]) };
      return undefined;
    case 'java':
      if (/^\s*(?:return|new|else|throw|case|package|import)\b/.test(code)) return undefined;
      if ((m = JAVA_METHOD.exec(code)) && !CONTROL.has(m[2])) return { name: m[2], exported: /\bpublic\b/.test(m[1]) };
      return undefined;
    case 'kotlin':
      if ((m = KOTLIN_FUN.exec(code))) return { name: m[2], exported: !/\b(?:private|internal)\b/.test(m[1]) };
      return undefined;
    case 'ruby':
      if ((m = RUBY_DEF.exec(code))) return { name: m[1], exported: !m[1].startsWith('_') };
      // An Active Record scope is a class method by another name: `scope :expired, -> { … }`.
      if (code.includes('scope') && (m = RUBY_SCOPE.exec(code))) return { name: m[1], exported: true };
      return undefined;
    default:
      return undefined;
  }
}

/** Every function declared in the file, in order of their first line. */
export function findFunctions(lines: readonly string[], scanned: readonly ScannedLine[], lang: Language): FunctionSpan[] {
  const spans: FunctionSpan[] = [];
  for (let n = 0; n < lines.length; n++) {
    const code = scanned[n].code;
    if (code === '') continue;
    const decl = declare(code, lang.id);
    if (!decl) continue;
    const end = blockEnd(lines, scanned, n, lang);
    spans.push({ name: decl.name, start: n + 1, end: end + 1, exported: decl.exported });
  }
  return spans;
}

const PY_CLASS = /^class\s+([A-Za-z_]\w*)\s*[(:]/;
const JS_CLASS = /^export\s+(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)\b/;

/**
 * The classes a Python or JavaScript/TypeScript file declares at its top level and other files can
 * import (a Python name without a leading `_`, an `export class`): a new one nothing uses is not
 * integrated yet, as a new function is not. Other languages keep one public class per file.
 */
export function findClasses(lines: readonly string[], scanned: readonly ScannedLine[], lang: Language): FunctionSpan[] {
  const re = lang.id === 'python' ? PY_CLASS : lang.id === 'js' ? JS_CLASS : undefined;
  if (!re) return [];
  const spans: FunctionSpan[] = [];
  for (let n = 0; n < lines.length; n++) {
    const code = scanned[n].code;
    if (!code.startsWith(lang.id === 'python' ? 'class' : 'export')) continue;
    const m = re.exec(code);
    if (!m) continue;
    spans.push({ name: m[1], start: n + 1, end: blockEnd(lines, scanned, n, lang) + 1, exported: !m[1].startsWith('_'), kind: 'class' });
  }
  return spans;
}

/**
 * A line that only lists the name in an export list: Python's `__all__ = ('Name',`, or in
 * JavaScript a shorthand property of the object a factory returns (`return {` … `  findUser,`),
 * which hands the function out under its own name, so that callers use it as `queries.findUser(…)`.
 * No use of it.
 */
export function isExportListEntry(scanned: readonly ScannedLine[], line: number, name: string, lang: LanguageId): boolean {
  const code = scanned[line - 1]?.code ?? '';
  if (EXPORT_LIST_ENTRY.exec(code)?.[2] === name) return true;
  if (lang !== 'js' || shorthandName(code) !== name) return false;
  for (let n = line - 1; n >= 1 && line - n < 200; n--) {
    const above = scanned[n - 1]?.code ?? '';
    if (RETURNED_OBJECT.test(above)) return true;
    if (!SHORTHAND_ENTRY.test(above) && !/^\s*\.\.\.[\w$.]+\s*,?\s*$/.test(above)) return false;
  }
  return false;
}
const EXPORT_LIST_ENTRY = /^\s*(['"])([\w$]+)\1\s*,?\s*$/;
const SHORTHAND_ENTRY = /^\s*([A-Za-z_$][\w$]*)\s*,?\s*$/;

/** The name a line holds alone, as a shorthand property (`  findUser,`), if it does. */
export function shorthandName(code: string): string | undefined {
  return SHORTHAND_ENTRY.exec(code)?.[1];
}
const RETURNED_OBJECT = /^\s*return\s*\{\s*$|=>\s*\(\{\s*$/;

/** For each 1-based line, the innermost function containing it (index into `spans`), or -1. */
export function innermostFunctionByLine(spans: readonly FunctionSpan[], lineCount: number): Int32Array {
  const at = new Int32Array(lineCount + 2).fill(-1);
  // Spans come in order of their start, so a nested span is written after (over) its parent.
  spans.forEach((s, i) => {
    for (let l = s.start; l <= Math.min(s.end, lineCount); l++) at[l] = i;
  });
  return at;
}
