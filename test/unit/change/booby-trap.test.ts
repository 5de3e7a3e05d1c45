/**
 * A repository whose configuration points every program git can be told to run at a script
 * that leaves a marker file. Reading its change must leave no marker and not touch the index,
 * and the same repository run through plain git must leave markers (so the trap is armed).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readChange } from '../../../src/core/change';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

/**
 * Filter drivers whose names `-c filter.<name>.clean=` cannot reach or that look like another
 * key: '=' (where `-c` splits), quotes, backslashes, dots, spaces, case, an empty name, and a
 * driver defined at the end of an includeIf → include chain. `where` is the attributes file
 * that names it: the committed .gitattributes or .git/info/attributes.
 */
const ODD_DRIVERS: { ext: string; name: string; section: string; where: 'tree' | 'info' | 'chain' }[] = [
  { ext: 'eq', name: 'x=y', section: '[filter "x=y"]', where: 'tree' },
  { ext: 'ie', name: 'i=e', section: '[filter "i=e"]', where: 'info' },
  { ext: 'eqc', name: 'clean=', section: '[filter "clean="]', where: 'info' },
  { ext: 'qu', name: 'q"u', section: '[filter "q\\"u"]', where: 'tree' },
  { ext: 'bs', name: 'b\\s', section: '[filter "b\\\\s"]', where: 'info' },
  { ext: 'dot', name: 'a.b.clean', section: '[filter "a.b.clean"]', where: 'tree' },
  { ext: 'up', name: 'Up', section: '[filter "Up"]', where: 'tree' },
  { ext: 'em', name: '', section: '[filter ""]', where: 'info' },
  { ext: 'ch', name: 'c=h', section: '[filter "c=h"]', where: 'chain' },
];

const HOOKS = ['pre-commit', 'post-commit', 'commit-msg', 'post-checkout', 'post-index-change', 'reference-transaction', 'pre-auto-gc', 'fsmonitor-watchman'];

describe('readChange on a booby-trapped repository', () => {
  let r: FixtureRepo;
  let markers: string;
  let indexBefore: Buffer;

  /** A script that records that `name` ran, then behaves as a harmless pass-through. */
  const trap = (name: string, body = 'cat') => {
    const file = path.join(markers, '..', 'bin', name);
    writeFileSync(file, `#!/bin/sh\ntouch "${markers}/${name}"\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const fired = () => readdirSync(markers).sort();

  before(() => {
    const base = mkdtempSync(path.join(tmpdir(), 'rollout-lens-trap-'));
    markers = path.join(base, 'markers');
    mkdirSync(markers);
    mkdirSync(path.join(base, 'bin'));
    mkdirSync(path.join(base, 'hooks'));
    for (const h of HOOKS) {
      writeFileSync(path.join(base, 'hooks', h), `#!/bin/sh\ntouch "${markers}/hook-${h}"\n`);
      chmodSync(path.join(base, 'hooks', h), 0o755);
    }
    // History first, armed afterwards: the fixture's own commits must not set anything off.
    r = makeRepo({
      commits: [
        {
          '.gitattributes': '*.txt diff=x merge=m\n*.dat filter=y\n*.cfg filter=z\n*.inc filter=inc\n' + ODD_DRIVERS.filter((d) => d.where === 'tree').map((d) => `*.${d.ext} filter=${d.name}\n`).join(''),
          'notes.txt': 'one\ntwo\n',
          'same.txt': 'unchanged\n',
          'data.dat': 'alpha\n',
          'same.dat': 'steady\n',
          'app.cfg': 'port=1\n',
          'extra.inc': 'inc\n',
          ...Object.fromEntries(ODD_DRIVERS.map((d) => [`odd.${d.ext}`, 'before\n'])),
        },
      ],
    });
    const config: Record<string, string> = {
      'core.fsmonitor': trap('fsmonitor', 'exit 0'),
      'core.pager': trap('core-pager'),
      'pager.diff': trap('pager-diff'),
      'core.editor': trap('editor'),
      'sequence.editor': trap('sequence-editor'),
      'core.askPass': trap('askpass', 'exit 1'),
      'core.sshCommand': trap('ssh', 'exit 1'),
      'core.hooksPath': path.join(base, 'hooks'),
      'credential.helper': `!${trap('credential', 'exit 1')}`,
      'diff.external': trap('diff-external', 'exit 0'),
      'diff.x.textconv': trap('textconv', 'cat "$1"'),
      'diff.x.command': trap('diff-command', 'exit 0'),
      'merge.m.driver': trap('merge-driver', 'exit 1'),
      'filter.y.clean': trap('filter-clean'),
      'filter.y.smudge': trap('filter-smudge'),
      'filter.z.process': trap('filter-process', 'exit 1'),
      'gpg.program': trap('gpg', 'exit 1'),
      'commit.gpgSign': 'true',
      'log.showSignature': 'true',
      'uploadpack.packObjectsHook': trap('pack-objects-hook', 'exit 1'),
      // A driver defined in an included file must be found and disabled too.
      'include.path': 'trap.inc',
    };
    for (const [k, v] of Object.entries(config)) r.git('config', k, v);
    writeFileSync(path.join(r.dir, '.git', 'trap.inc'), `[filter "inc"]\n\tclean = ${trap('include-filter-clean')}\n`);
    // Odd names go in by hand: `git config` itself would not take some of these keys.
    const odd = (d: (typeof ODD_DRIVERS)[number]) => `${d.section}\n\tclean = ${trap(`odd-${d.ext}`)}\n`;
    appendFileSync(path.join(r.dir, '.git', 'config'), ODD_DRIVERS.filter((d) => d.where !== 'chain').map(odd).join(''));
    appendFileSync(path.join(r.dir, '.git', 'config'), `[includeIf "gitdir:${r.dir}/.git"]\n\tpath = chain1.inc\n`);
    writeFileSync(path.join(r.dir, '.git', 'chain1.inc'), '[include]\n\tpath = chain2.inc\n');
    writeFileSync(path.join(r.dir, '.git', 'chain2.inc'), ODD_DRIVERS.filter((d) => d.where === 'chain').map(odd).join(''));
    mkdirSync(path.join(r.dir, '.git', 'info'), { recursive: true });
    writeFileSync(
      path.join(r.dir, '.git', 'info', 'attributes'),
      ODD_DRIVERS.filter((d) => d.where !== 'tree').map((d) => `*.${d.ext} filter=${d.name}\n`).join(''),
    );
    for (const d of ODD_DRIVERS) writeFileSync(path.join(r.dir, `odd.${d.ext}`), 'before\nafter\n');

    // Real changes and stat-only changes: git would re-hash these through the clean filters.
    writeFileSync(path.join(r.dir, 'notes.txt'), 'one\nTWO\nthree\n');
    writeFileSync(path.join(r.dir, 'data.dat'), 'alpha\nbeta\n');
    writeFileSync(path.join(r.dir, 'app.cfg'), 'port=2\n');
    writeFileSync(path.join(r.dir, 'extra.inc'), 'inc\nmore\n');
    const later = new Date(Date.now() + 60_000);
    for (const f of ['same.txt', 'same.dat']) utimesSync(path.join(r.dir, f), later, later);
    writeFileSync(path.join(r.dir, 'untracked.txt'), 'fresh\n');
    assert.deepEqual(fired(), [], 'setting the trap set nothing off');
    indexBefore = readFileSync(path.join(r.dir, '.git', 'index'));
  });

  after(() => {
    rmSync(path.join(markers, '..'), { recursive: true, force: true });
    r.cleanup();
  });

  it('runs none of the programs the repository configures, and still reads the change', async () => {
    const { change, search } = await readChange({ repo: r.dir });
    const refs = await search.referencesTo(['beta', 'fresh']);
    assert.deepEqual(fired(), []);

    assert.deepEqual(change.files.map((f) => [f.path, f.status]), [
      ['app.cfg', 'modified'],
      ['data.dat', 'modified'],
      ['extra.inc', 'modified'],
      ['notes.txt', 'modified'],
      ...ODD_DRIVERS.map((d) => [`odd.${d.ext}`, 'modified']).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      ['untracked.txt', 'untracked'],
    ]);
    const notes = change.files.find((f) => f.path === 'notes.txt');
    assert.deepEqual(notes?.addedLines, [{ line: 2, text: 'TWO' }, { line: 3, text: 'three' }]);
    assert.deepEqual(change.files.find((f) => f.path === 'data.dat')?.addedLines, [{ line: 2, text: 'beta' }]);
    assert.deepEqual(refs.get('beta'), ['data.dat']);
    assert.deepEqual(refs.get('fresh'), ['untracked.txt']);
  });

  it('leaves .git/index byte for byte as it was', () => {
    assert.ok(indexBefore.equals(readFileSync(path.join(r.dir, '.git', 'index'))));
  });

  it('is armed: plain git sets off the diff, filter, pager, fsmonitor, hook and signing programs', () => {
    const quiet = (...args: string[]) => {
      try {
        r.git(...args);
      } catch {
        // Some traps make the command fail; the marker is what counts.
      }
    };
    quiet('status');
    // The failing process filter stops plain git early; let the other traps have their turn.
    const noProcess = ['-c', 'filter.z.process='];
    quiet(...noProcess, 'diff', 'HEAD');
    quiet(...noProcess, 'diff', '--no-ext-diff', 'HEAD');
    // git starts a pager only for a terminal: give it one where `script` can.
    const hasTty = spawnSync('script', ['-qc', 'git -c filter.z.process= diff --no-ext-diff HEAD', '/dev/null'], { cwd: r.dir, stdio: 'ignore' }).status !== null;
    quiet(...noProcess, 'commit', '--allow-empty', '-m', 'armed?');
    const seen = new Set(fired());
    const expected = [
      'diff-external',
      'diff-command',
      'textconv',
      'filter-clean',
      'filter-process',
      'include-filter-clean',
      'fsmonitor',
      'hook-pre-commit',
      'gpg',
      ...ODD_DRIVERS.map((d) => `odd-${d.ext}`),
    ];
    for (const m of hasTty ? [...expected, 'pager-diff'] : expected) {
      assert.ok(seen.has(m), `${m} did not fire under plain git: ${[...seen].join(', ')}`);
    }
  });
});
