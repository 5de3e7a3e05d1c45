/** The syntax facts of changed lines, per grammar: the same questions answered for each language. */
import * as assert from 'node:assert/strict';
import { grammarOf, loadGrammars, readSyntax, type FileSyntax, type GrammarId, type LineSyntax } from '../../../../src/core/risk/syntax';
import { oldText } from '../../../../src/core/risk/syntax/old';
import { changedFile } from '../helpers';

function parse(grammar: GrammarId, lines: string[]): FileSyntax {
  const parsed = readSyntax(lines.join('\n') + '\n', grammar, lines.map((_, i) => i + 1));
  if ('unparsed' in parsed) throw new Error(parsed.unparsed);
  return parsed;
}
const roles = (l: LineSyntax) => l.names.map((n) => `${n.text}:${n.role}`);
const at = (s: FileSyntax, line: number) => s.lines.get(line)!;

describe('risk syntax: facts of changed lines', () => {
  before(() => loadGrammars(['typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'ruby']));

  it('knows the grammar of each supported file, and none for Kotlin', () => {
    assert.deepEqual(
      ['a.ts', 'b.tsx', 'c.mjs', 'd.jsx', 'e.py', 'f.go', 'G.java', 'h.rb', 'Rakefile', 'i.kt', 'j.vue'].map(grammarOf),
      ['typescript', 'tsx', 'javascript', 'javascript', 'python', 'go', 'java', 'ruby', 'ruby', undefined, undefined],
    );
  });

  it('TypeScript: imports, calls with their receiver, class, decorators, comments and strings', () => {
    const s = parse('typescript', [
      "import crypto, { webcrypto as wc } from 'node:crypto';", // 1
      '@Injectable()', // 2
      'export class Ids {', // 3
      '  make(): string {', // 4
      '    return window.crypto.randomUUID(); // session', // 5
      '  }', // 6
      '}', // 7
      "const label = 'payment';", // 8
      '/* login */', // 9
    ]);
    assert.deepEqual(s.imports, [{ module: 'node:crypto', names: ['crypto', 'wc'], line: 1 }]);
    const l5 = at(s, 5);
    assert.equal(l5.kind, 'code');
    assert.deepEqual(l5.call, { callee: 'randomUUID', receiver: ['window', 'crypto'] });
    assert.deepEqual(l5.names.find((n) => n.text === 'crypto'), { text: 'crypto', role: 'code', calls: 'randomUUID' });
    assert.ok(!l5.names.some((n) => n.text === 'session'), 'a comment holds no names');
    assert.equal(l5.function?.name, 'make');
    assert.equal(l5.class?.name, 'Ids');
    assert.deepEqual(l5.decorators, ['Injectable']);
    assert.equal(l5.statement?.type, 'return_statement');
    assert.deepEqual(at(s, 8).strings, ["'payment'"]);
    assert.deepEqual(roles(at(s, 8)), ['label:code']);
    assert.equal(at(s, 9).kind, 'comment');
  });

  it('TSX and JavaScript: JSX and require', () => {
    const tsx = parse('tsx', ['export const A = () => <div id={session.id}>login</div>;']);
    assert.ok(roles(at(tsx, 1)).includes('session:code'));
    const js = parse('javascript', ["const { createHmac } = require('crypto');", 'module.exports = { sessionId: 1 };']);
    assert.deepEqual(js.imports, [{ module: 'crypto', names: ['createHmac'], line: 1 }]);
    assert.deepEqual(roles(at(js, 2)), ['module:code', 'exports:code', 'sessionId:passed']);
  });

  it('Python: fields of a class body, keyword names, messages, decorators, imports', () => {
    const s = parse('python', [
      'from app.auth import login as do_login', // 1
      'class PageView(Base):', // 2
      '    session_id = Column(String(64), index=True)', // 3
      '    @property', // 4
      '    def is_paid(self):', // 5
      '        return self._paid', // 6
      'def f(secret_path):', // 7
      '    raise ValueError(f"bad {secret_path}")', // 8
      '    """docs about payment"""', // 9
    ]);
    assert.deepEqual(s.imports, [{ module: 'app.auth', names: ['do_login'], line: 1 }]);
    assert.deepEqual(roles(at(s, 3)), ['session_id:shape', 'Column:code', 'String:code', 'index:passed']);
    assert.equal(at(s, 3).class?.name, 'PageView');
    assert.deepEqual(at(s, 6).function, { name: 'is_paid', start: 5, end: 6, accessor: true });
    assert.deepEqual(at(s, 6).decorators, ['property']);
    assert.deepEqual(roles(at(s, 8)), ['ValueError:code', 'secret_path:message']);
    assert.equal(at(s, 9).kind, 'string');
  });

  it('Go: struct fields, keyed elements, selector calls, error messages, imports', () => {
    const s = parse('go', [
      'package web', // 1
      'import (', // 2
      '\th "net/http"', // 3
      '\t"crypto/rand"', // 4
      ')', // 5
      'type Event struct {', // 6
      '\tSessionID string `json:"session_id"`', // 7
      '}', // 8
      'func (s *Server) routes(r *mux.Router) error {', // 9
      '\tr.Use(csrfMiddleware)', // 10
      '\te := Event{SessionID: id}', // 11
      '\treturn fmt.Errorf("bad %s", secretPath)', // 12
      '}', // 13
    ]);
    assert.deepEqual(s.imports.map((i) => [i.module, i.names]), [['net/http', ['h']], ['crypto/rand', ['rand']]]);
    assert.deepEqual(roles(at(s, 7)), ['SessionID:shape', 'string:shape']);
    assert.equal(at(s, 7).class?.name, 'Event');
    assert.deepEqual(roles(at(s, 10)), ['r:code', 'Use:code', 'csrfMiddleware:named']);
    assert.deepEqual(at(s, 10).call, { callee: 'Use', receiver: ['r'] });
    assert.deepEqual(roles(at(s, 11)), ['e:code', 'Event:code', 'SessionID:passed', 'id:passed']);
    assert.deepEqual(roles(at(s, 12)), ['fmt:code', 'Errorf:code', 'secretPath:message']);
    assert.equal(at(s, 12).function?.name, 'routes');
  });

  it('Java: annotations, fields, getters, method invocations, exception messages', () => {
    const s = parse('java', [
      'import java.security.MessageDigest;', // 1
      '@Entity', // 2
      'public class Loan {', // 3
      '  @Column(name = "charge_off") private String chargeOffReason;', // 4
      '  public boolean isDownPaymentEnabled() { return downPaymentEnabled; }', // 5
      '  @Transactional', // 6
      '  public void close() { throw new IllegalStateException("no " + secretPath); }', // 7
      '}', // 8
    ]);
    assert.deepEqual(s.imports, [{ module: 'java.security.MessageDigest', names: ['MessageDigest'], line: 1 }]);
    assert.ok(roles(at(s, 4)).includes('chargeOffReason:shape'));
    assert.equal(at(s, 5).function?.accessor, true);
    assert.deepEqual(roles(at(s, 5)), ['isDownPaymentEnabled:shape', 'downPaymentEnabled:shape']);
    assert.deepEqual(at(s, 7).decorators, ['Transactional']);
    assert.deepEqual(roles(at(s, 7)), ['close:code', 'IllegalStateException:code', 'secretPath:message']);
    assert.equal(at(s, 7).class?.name, 'Loan');
  });

  it('Ruby: require, symbols, predicates, raise messages, calls without parentheses', () => {
    const s = parse('ruby', [
      "require 'openssl'", // 1
      'class Loan < ApplicationRecord', // 2
      '  before_action :verify_csrf', // 3
      '  def paid?', // 4
      '    @paid', // 5
      '  end', // 6
      '  def close!', // 7
      '    raise ArgumentError, "no #{secret_path}"', // 8
      '    session.delete(:user_id)', // 9
      '  end', // 10
      'end', // 11
    ]);
    assert.deepEqual(s.imports, [{ module: 'openssl', names: [], line: 1 }]);
    assert.deepEqual(roles(at(s, 3)), ['before_action:code', 'verify_csrf:named']);
    assert.equal(at(s, 5).function?.accessor, true);
    assert.deepEqual(roles(at(s, 8)), ['raise:code', 'ArgumentError:message', 'secret_path:message']);
    assert.deepEqual(at(s, 9).call, { callee: 'delete', receiver: ['session'] });
    assert.equal(at(s, 9).class?.name, 'Loan');
  });

  it('marks the lines a syntax error covers', () => {
    const s = parse('typescript', ['const a = 1;', 'const b = (((;', 'const c = 3;']);
    assert.equal(at(s, 1).error, false);
    assert.equal(at(s, 2).error, true);
  });
});

describe('risk syntax: the old version rebuilt from the diff', () => {
  it('gives back the old text exactly, for edits, insertions and deletions', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n') + '\n';
    const after = ['a', 'B', 'c', 'x', 'y', 'e', 'f', 'g'].join('\n') + '\n';
    assert.equal(oldText(changedFile('f.ts', 'modified', before, after)), before);
    assert.equal(oldText(changedFile('f.ts', 'deleted', before, undefined)) + '\n', before);
  });

  it('gives nothing for a new file or one read in part', () => {
    assert.equal(oldText(changedFile('f.ts', 'added', undefined, 'a\n')), undefined);
    assert.equal(oldText({ ...changedFile('f.ts', 'modified', 'a\n', 'b\n'), note: 'read in part' }), undefined);
  });
});
