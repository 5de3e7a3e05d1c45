/**
 * Turns a syntax tree into the facts of the lines a rule asks about: one walk of the tree that
 * enters only the nodes covering those lines. Pure: the tree in, the facts out.
 */
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import { ADAPTERS, type Adapter, type GrammarId } from './grammars';
import type { Call, FileSyntax, FunctionFacts, Import, LineSyntax, Name, Role, Span } from './types';

interface Ctx {
  role: Role;
  /** The names of a message (error, log) call's arguments are `message`, but a nested call's callee still acts. */
  message: boolean;
  fn?: FunctionFacts;
  cls?: Span;
  stmt?: { type: string; start: number; end: number };
  call?: Call;
  decorators: string[];
  error: boolean;
  /** A Python class body: its assignments declare fields. */
  classBody: boolean;
}

// Calls whose arguments become text: errors, logs, formatting.
const MESSAGE_CALL = /^(?:raise|fail|panic|panicf|Panicf|Errorf|Sprintf|Fprintf|Printf|Println|Print|printf|sprintf|puts|print|warn|warning|fatal|Fatal|Fatalf|Fatalln|Warnf|Infof|Debugf|Errorw|Warnw|Infow|abort|assert)$/;
const MESSAGE_ERROR = /(?:Error|Exception|Err)$/;
const LOGGERS = /^(?:log|logger|logging|console|LOG|LOGGER|Log|Logger|slog|zap|logrus|klog)$/;
const LOG_LEVEL = /^(?:log|info|warn|warning|error|debug|trace|fatal|critical|exception|Info|Warn|Error|Debug|Trace)$/;
// Calls that register something by name: middleware, filters, interceptors, Rails callbacks.
const REGISTERS = new Set([
  'use', 'Use', 'UseMiddleware', 'middleware', 'add_middleware', 'addMiddleware', 'before_action', 'skip_before_action', 'prepend_before_action',
  'after_action', 'around_action', 'before_filter', 'skip_before_filter', 'addFilterBefore', 'addFilterAfter', 'addFilterAt', 'addFilter',
  'addInterceptors', 'addInterceptor', 'UseInterceptors', 'Handler', 'With',
]);

const FIELD_ERROR = 'ERROR';

function isMessageCall(call: Call): boolean {
  if (MESSAGE_CALL.test(call.callee) || MESSAGE_ERROR.test(call.callee)) return true;
  const last = call.receiver[call.receiver.length - 1];
  if (call.callee === 'New' && last === 'errors') return true;
  return !!last && LOGGERS.test(last) && LOG_LEVEL.test(call.callee);
}

/** The names along a member chain (`a.b.c` → a, b, c; `a.b().c` → a, b, c). */
function chain(node: Node | null, a: Adapter): string[] {
  if (!node) return [];
  if (a.names.has(node.type)) return [node.text];
  if (node.type === 'this' || node.type === 'self') return [node.type];
  const member = a.members.get(node.type);
  if (member) {
    const prop = node.childForFieldName(member.property);
    return [...chain(node.childForFieldName(member.object), a), ...(prop ? [prop.text] : [])];
  }
  const call = a.calls.get(node.type);
  if (call) return calleeChain(node, a);
  if (node.type === 'parenthesized_expression' || node.type === 'non_null_expression' || node.type === 'await_expression') return chain(node.namedChild(0), a);
  return [];
}

/** The callee chain of a call node. */
function calleeChain(node: Node, a: Adapter): string[] {
  const f = a.calls.get(node.type)!;
  if (f.callee) return chain(node.childForFieldName(f.callee), a);
  const method = f.method ? node.childForFieldName(f.method) : null;
  return [...chain(f.receiver ? node.childForFieldName(f.receiver) : null, a), ...(method ? [method.text] : [])];
}

/** The node holding a call's receiver, for marking its last name. */
function receiverNode(node: Node, a: Adapter): Node | null {
  const f = a.calls.get(node.type)!;
  if (f.receiver) return node.childForFieldName(f.receiver);
  const callee = f.callee ? node.childForFieldName(f.callee) : null;
  const member = callee ? a.members.get(callee.type) : undefined;
  return member ? callee!.childForFieldName(member.object) : null;
}

/** The last name node of a receiver expression (`window.crypto` → `crypto`). */
function lastName(node: Node | null, a: Adapter): Node | null {
  if (!node) return null;
  if (a.names.has(node.type)) return node;
  const member = a.members.get(node.type);
  return member ? node.childForFieldName(member.property) : null;
}

const PLAIN = new Set(['this', 'self', 'instance_variable', 'field_access', 'member_expression', 'attribute', 'selector_expression', 'identifier', 'field_identifier', 'property_identifier']);

/** A name or a member chain with no call in it: reading a field. */
function plainAccess(node: Node | null, a: Adapter): boolean {
  if (!node) return false;
  if (!PLAIN.has(node.type) && !a.names.has(node.type)) return false;
  for (const c of node.namedChildren) if (c && !plainAccess(c, a)) return false;
  return true;
}

// The environment as JavaScript reads it: `process.env.STRIPE_SECRET_KEY`, `import.meta.env.VITE_API_KEY`.
const ENVIRONMENT = /^(?:process\.env|import\.meta\.env)$/;

/** A setting read from the environment: its name says what the value is, not what the code does with it. */
function isEnvironmentRead(node: Node, a: Adapter): boolean {
  const member = a.members.get(node.type);
  const object = member ? node.childForFieldName(member.object) : null;
  return !!object && ENVIRONMENT.test(object.text);
}

/** A value written under a key as it is: a name, a field read or a setting, not a computation (`hash(password)`). */
function passedAsIs(node: Node, a: Adapter): boolean {
  let n: Node | null = node;
  while (n && (n.type === 'literal_element' || n.type === 'parenthesized_expression') && n.namedChildCount === 1) n = n.namedChild(0);
  return !!n && (plainAccess(n, a) || (a.members.has(n.type) && isEnvironmentRead(n, a)));
}

const ASSIGN = new Set(['assignment_expression', 'assignment', 'assignment_statement']);
const UNWRAP = new Set(['return_statement', 'expression_statement', 'expression_list', 'parenthesized_expression']);

/** Whether a function only returns a field, or only stores a parameter into one. */
function isAccessor(fn: Node, a: Adapter): boolean {
  let body = fn.childForFieldName('body');
  if (!body) return false;
  if (plainAccess(body, a)) return true; // an arrow function returning a field
  let kids = body.namedChildren.filter((c): c is Node => !!c && !a.comments.has(c.type));
  while (kids.length === 1 && a.blocks.has(kids[0].type)) {
    body = kids[0];
    kids = body.namedChildren.filter((c): c is Node => !!c && !a.comments.has(c.type));
  }
  if (kids.length !== 1) return false;
  let s: Node | null = kids[0];
  while (s && UNWRAP.has(s.type) && s.namedChildCount === 1) s = s.namedChild(0);
  if (!s) return false;
  if (ASSIGN.has(s.type)) {
    const left = s.childForFieldName('left') ?? s.namedChild(0);
    const right = s.childForFieldName('right') ?? s.namedChild(s.namedChildCount - 1);
    return plainAccess(left, a) && !!right && a.names.has(right.type);
  }
  return plainAccess(s, a);
}

function nameOf(node: Node): string {
  return node.childForFieldName('name')?.text ?? '';
}

const DECORATOR_NAME = /^@?\s*([\w$.:]+)/;

/** The decorators or annotations written on a function or class. */
function decoratorsOf(node: Node, a: Adapter): string[] {
  if (!a.decorators.size) return [];
  const out: Node[] = [];
  const take = (n: Node | null) => {
    if (!n) return;
    for (const c of n.namedChildren) if (c && a.decorators.has(c.type)) out.push(c);
  };
  take(node);
  for (const c of node.namedChildren) if (c?.type === 'modifiers') take(c);
  if (node.parent?.type === 'decorated_definition') take(node.parent);
  if (node.parent?.type !== 'decorated_definition') for (let s = node.previousNamedSibling; s && a.decorators.has(s.type); s = s.previousNamedSibling) out.push(s);
  return out.map((d) => DECORATOR_NAME.exec(d.text)?.[1] ?? '').filter(Boolean);
}

function row(n: Node): number {
  return n.startPosition.row + 1;
}

/** The file's imports: module names and the names they bind. */
export function importsOf(root: Node, grammar: GrammarId): Import[] {
  const out: Import[] = [];
  const unquote = (s: string) => s.replace(/^['"`]|['"`]$/g, '');
  for (const top of root.namedChildren) {
    if (!top) continue;
    switch (grammar) {
      case 'typescript':
      case 'tsx':
      case 'javascript': {
        if (top.type === 'import_statement') {
          const source = top.childForFieldName('source');
          const names: string[] = [];
          for (const n of top.descendantsOfType(['identifier'])) {
            if (!n) continue;
            const spec = n.parent?.type === 'import_specifier' ? n.parent : undefined;
            // `{ a as b }` binds b only.
            if (!spec || (spec.childForFieldName('alias') ?? spec.childForFieldName('name'))?.id === n.id) names.push(n.text);
          }
          if (source) out.push({ module: unquote(source.text), names, line: row(top) });
        } else if (top.type === 'lexical_declaration' || top.type === 'variable_declaration') {
          for (const d of top.namedChildren) {
            const value = d?.childForFieldName('value');
            if (!d || value?.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') continue;
            const arg = value.childForFieldName('arguments')?.namedChild(0);
            const name = d.childForFieldName('name');
            if (arg?.type !== 'string' || !name) continue;
            const names = name.type === 'identifier' ? [name.text] : name.descendantsOfType(['shorthand_property_identifier_pattern', 'identifier']).map((n) => n!.text);
            out.push({ module: unquote(arg.text), names, line: row(top) });
          }
        }
        break;
      }
      case 'python': {
        if (top.type === 'import_statement') {
          for (const n of top.namedChildren) {
            if (!n) continue;
            const dotted = n.type === 'aliased_import' ? n.childForFieldName('name') : n;
            const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined;
            if (dotted) out.push({ module: dotted.text, names: [alias ?? dotted.text.split('.')[0]], line: row(top) });
          }
        } else if (top.type === 'import_from_statement') {
          const module = top.childForFieldName('module_name')?.text ?? '';
          const names = top.childrenForFieldName('name').map((n) => (n?.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n?.text) ?? '').filter(Boolean);
          out.push({ module, names, line: row(top) });
        }
        break;
      }
      case 'go': {
        if (top.type !== 'import_declaration') break;
        for (const spec of top.descendantsOfType(['import_spec'])) {
          const path = spec?.childForFieldName('path');
          if (!spec || !path) continue;
          const module = unquote(path.text);
          out.push({ module, names: [spec.childForFieldName('name')?.text ?? module.slice(module.lastIndexOf('/') + 1)], line: row(spec) });
        }
        break;
      }
      case 'java': {
        if (top.type !== 'import_declaration') break;
        const text = top.text.replace(/^import\s+(?:static\s+)?/, '').replace(/[;\s]/g, '');
        const module = text.replace(/\.\*$/, '');
        out.push({ module, names: text.endsWith('.*') ? [] : [module.slice(module.lastIndexOf('.') + 1)], line: row(top) });
        break;
      }
      case 'ruby': {
        if (top.type !== 'call') break;
        const method = top.childForFieldName('method')?.text;
        if (method !== 'require' && method !== 'require_relative') break;
        const arg = top.childForFieldName('arguments')?.namedChild(0);
        if (arg?.type === 'string') out.push({ module: unquote(arg.text), names: [], line: row(top) });
        break;
      }
    }
  }
  return out;
}

/** The facts of `lines` (1-based) of a parsed file. */
export function factsOf(tree: Tree, grammar: GrammarId, lines: Iterable<number>): FileSyntax {
  const a = ADAPTERS[grammar];
  const facts = new Map<number, LineSyntax>();
  const rows = [...new Set(lines)].map((l) => l - 1).filter((r) => r >= 0).sort((x, y) => x - y);
  const last = rows.length ? rows[rows.length - 1] : -1;
  // wantedBefore[r]: how many wanted rows are below r, for an O(1) "does this node cover one?".
  const before = new Uint32Array(last + 2);
  for (const r of rows) before[r + 1] = 1;
  for (let r = 1; r < before.length; r++) before[r] += before[r - 1];
  const covers = (s: number, e: number) => s <= last && before[Math.min(e, last) + 1] - before[Math.max(s, 0)] > 0;
  const wanted = (r: number) => r <= last && before[r + 1] - before[r] > 0;
  const state = new Map<number, { code: boolean; string: boolean; comment: boolean; first: boolean; callHere: boolean }>();
  for (const r of rows) {
    facts.set(r + 1, { line: r + 1, kind: 'blank', names: [], strings: [], decorators: [], error: false });
    state.set(r, { code: false, string: false, comment: false, first: true, callHere: false });
  }
  const receivers = new Map<number, string>();

  const eachRow = (s: number, e: number, fn: (r: number) => void) => {
    for (let r = Math.max(s, 0); r <= Math.min(e, last); r++) if (wanted(r)) fn(r);
  };
  /** The context facts of a row, taken at its first token. */
  const place = (r: number, ctx: Ctx) => {
    const st = state.get(r)!;
    if (!st.first) return;
    st.first = false;
    const f = facts.get(r + 1)!;
    if (ctx.stmt) f.statement = ctx.stmt;
    if (ctx.call && !st.callHere) f.call = ctx.call;
    if (ctx.fn) f.function = ctx.fn;
    if (ctx.cls) f.class = ctx.cls;
    f.decorators = ctx.decorators;
  };

  const cursor = tree.walk();
  const visit = (c: TreeCursor, ctx: Ctx, parentType: string, field: string | null): void => {
    const sr = c.startPosition.row;
    const er = c.endPosition.row;
    if (!covers(sr, er)) return;
    // Keywords share their node's type name (Ruby's `class` token): only named nodes carry structure.
    const type = c.nodeIsNamed ? c.nodeType : '';
    if (a.comments.has(type)) {
      eachRow(sr, er, (r) => (state.get(r)!.comment = true));
      return;
    }
    let next = ctx;
    const change = (patch: Partial<Ctx>) => {
      next = next === ctx ? { ...ctx, ...patch } : Object.assign(next, patch);
    };
    if (type === FIELD_ERROR || c.nodeIsMissing) {
      change({ error: true });
      eachRow(sr, er, (r) => (facts.get(r + 1)!.error = true));
    }
    if (a.blocks.has(parentType)) change({ stmt: { type, start: sr + 1, end: er + 1 } });
    if (a.strings.has(type)) {
      const node = c.currentNode;
      eachRow(sr, er, (r) => {
        state.get(r)!.string = true;
        facts.get(r + 1)!.strings.push(node.text);
      });
      // Only interpolations are code inside a string; what they hold is formatted into text.
      for (const child of node.namedChildren) {
        if (!child || !a.interpolations.has(child.type)) continue;
        const sub = child.walk();
        visit(sub, { ...next, role: next.role === 'code' ? 'message' : next.role, message: true }, type, null);
        sub.delete();
      }
      return;
    }
    if (a.imports.has(type)) change({ role: 'import' });
    if (a.functions.has(type)) {
      const node = c.currentNode;
      const accessor = isAccessor(node, a);
      const decorators = decoratorsOf(node, a);
      change({ fn: { name: nameOf(node), start: sr + 1, end: er + 1, accessor }, classBody: false, ...(decorators.length ? { decorators } : {}) });
      if (accessor && next.role === 'code') change({ role: 'shape' });
    } else if (a.classes.has(type)) {
      const node = c.currentNode;
      const decorators = decoratorsOf(node, a);
      change({ cls: { name: nameOf(node), start: sr + 1, end: er + 1 }, decorators, classBody: grammar === 'python' });
    } else if (a.fields.has(type) && next.role === 'code') {
      change({ role: 'shape' });
    } else if (grammar === 'python' && type === 'assignment' && ctx.classBody && (parentType === 'expression_statement')) {
      change({ role: 'shape' });
    }
    if (field && a.values.has(field) && next.role === 'shape' && !next.fn?.accessor) change({ role: 'code' });
    if (next.role === 'code') {
      if (field && a.keys.get(parentType) === field) change({ role: 'passed' });
      else if (field && a.keys.has(parentType) && passedAsIs(c.currentNode, a)) change({ role: 'passed' });
      else if (a.members.has(type) && isEnvironmentRead(c.currentNode, a)) change({ role: 'passed' });
    }
    if (field === 'name' && (a.classes.has(parentType)) && next.role === 'code') change({ role: 'shape' });
    const callShape = a.calls.get(type);
    if (callShape) {
      const node = c.currentNode;
      const names = calleeChain(node, a);
      const call: Call = { callee: names[names.length - 1] ?? '', receiver: names.slice(0, -1) };
      change({ call });
      // A line's call is the outermost one that starts on it, else the one it sits in.
      const st = wanted(sr) ? state.get(sr)! : undefined;
      if (st && !st.callHere) {
        st.callHere = true;
        facts.get(sr + 1)!.call = call;
      }
      const recv = lastName(receiverNode(node, a), a);
      if (recv) receivers.set(recv.startIndex, call.callee);
      if (grammar === 'ruby' && (call.callee === 'require' || call.callee === 'require_relative') && !call.receiver.length) change({ role: 'import' });
    }

    if (a.names.has(type) || !c.gotoFirstChild()) {
      // A leaf (or a name, whatever its inside): code on its row.
      if (wanted(sr)) {
        const st = state.get(sr)!;
        st.code = true;
        place(sr, next);
        if (a.names.has(type)) {
          const text = type === 'simple_symbol' ? c.nodeText.slice(1) : c.nodeText;
          const isCallee = field === 'function' || field === 'method' || field === 'constructor';
          let role = next.role;
          if (next.message && role === 'message' && isCallee) role = 'code';
          // Ruby symbols name things (`belongs_to :payment`, `before_action :verify_csrf`): never actions.
          if ((type === 'simple_symbol' || type === 'hash_key_symbol') && role === 'code') role = 'shape';
          const calls = receivers.get(c.startIndex);
          const name: Name = calls !== undefined ? { text, role, calls } : { text, role };
          facts.get(sr + 1)!.names.push(name);
        }
      }
      return;
    }
    // Arguments: of a message call they are text; of a registration they are names handed over.
    const callOf = next.call !== ctx.call ? next.call : undefined;
    do {
      const childField = c.currentFieldName;
      let childCtx = next;
      if (callOf && callShape && childField === callShape.args) {
        if (next.role === 'code' && isMessageCall(callOf)) childCtx = { ...next, role: 'message', message: true };
        else if (next.role === 'code' && REGISTERS.has(callOf.callee)) childCtx = { ...next, role: 'named' };
      }
      visit(c, childCtx, type, childField);
    } while (c.gotoNextSibling());
    c.gotoParent();
  };
  visit(cursor, { role: 'code', message: false, decorators: [], error: false, classBody: false }, '', null);
  cursor.delete();

  for (const [r, st] of state) {
    const f = facts.get(r + 1)!;
    f.kind = st.code ? 'code' : st.string ? 'string' : st.comment ? 'comment' : 'blank';
  }
  return { grammar, imports: importsOf(tree.rootNode, grammar), lines: facts };
}
