/**
 * A multi-root workspace (test/fixtures/multi-root.ts): the payments repository with a HIGH change,
 * a handbook repository with a documentation change, and a folder of notes that is no repository.
 * Each repository is analysed on its own; its files get their lenses and Problems entries from
 * its own analysis; the status bar follows the active editor and names the highest tier; the plan
 * asks which repository and says which one it plans for; folders added at run time are analysed.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReplayPrompts } from '../../../src/extension/prometheus';
import { GUIDE_FILE, HANDBOOK, NOTES, PAYMENTS } from '../../fixtures/multi-root';
import { makeRepo } from '../../fixtures/repo';
import { CHARGE_FILE, DROP_MIGRATION } from '../../fixtures/risky-repo';
import { api, state, until } from '../host';

function folder(name: string): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((x) => x.name === name);
  assert.ok(f, `no workspace folder named ${name}`);
  return f;
}

const fileIn = (name: string, rel: string) => vscode.Uri.joinPath(folder(name).uri, rel);

/** The lenses of a file, as the editor shows them once the file is open. */
async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/** The extension's log as written to disk. */
function logText(folderPath: string): string {
  if (!existsSync(folderPath)) return '';
  return readdirSync(folderPath)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(path.join(folderPath, f), 'utf8'))
    .join('\n');
}

/** Answers the "which repository?" prompt with `answer`, keeping what was offered. */
function answering(answer: string): ReplayPrompts & { offered: string[][] } {
  const offered: string[][] = [];
  const refuse = () => Promise.reject(new Error('not asked in this suite'));
  return {
    offered,
    async pick(items) {
      offered.push(items.map((i) => `${i.label}: ${i.description}`));
      return items.find((i) => i.label === answer);
    },
    input: refuse,
    confirm: refuse,
    progress: refuse,
    saveTarget: refuse,
  };
}

const tierOf = async (name: string) => (await state()).repositories.find((r) => r.name === name)?.tier;

describe('Rollout Lens: a workspace of several repositories', function () {
  this.timeout(120_000);

  before(async () => {
    await api();
    await until('both repositories analysed', async () => {
      const s = await state();
      return s.repositories.length === 2 && s.repositories.every((r) => r.analysis === 'ready') ? true : undefined;
    });
  });

  after(async () => {
    (await api()).useReplayPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('analyses each repository on its own and skips the folder that is none, with one line in the log', async () => {
    const s = await state();
    assert.deepEqual(
      s.repositories.map((r) => [r.name, r.root, r.tier]),
      [
        [PAYMENTS, folder(PAYMENTS).uri.fsPath, 'HIGH'],
        [HANDBOOK, folder(HANDBOOK).uri.fsPath, 'ZERO'],
      ],
    );
    const line = await until('the log line of the skipped folder', async () => {
      const l = logText(s.logFolder)
        .split('\n')
        .filter((x) => x.includes(`${NOTES}: not inside a git repository`));
      return l.length ? l : undefined;
    });
    assert.equal(line.length, 1, 'one line, not one per analysis');
    assert.match(line[0], new RegExp(`${NOTES}: not inside a git repository \\(${folder(NOTES).uri.fsPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\); not analyzed`));
  });

  it("gives each repository's files the lenses and Problems entries of its own analysis", async () => {
    const charge = await until('the lenses of the payments change', async () => {
      const l = await lensesOf(fileIn(PAYMENTS, CHARGE_FILE));
      return l.length ? l : undefined;
    });
    assert.ok(charge.some((l) => /^HIGH · /.test(l.command?.title ?? '')), charge.map((l) => l.command?.title).join(' | '));
    for (const l of charge) assert.equal((l.command!.arguments![0] as { root?: string }).root, folder(PAYMENTS).uri.fsPath, 'a lens opens the plan of its own repository');

    const guide = await until('the lens of the handbook change', async () => {
      const l = await lensesOf(fileIn(HANDBOOK, GUIDE_FILE));
      return l.length ? l : undefined;
    });
    assert.ok(
      guide.every((l) => /(^|: )ZERO · /.test(l.command?.title ?? '') && !/HIGH/.test(l.command?.title ?? '')),
      guide.map((l) => l.command?.title).join(' | '),
    );
    // The handbook holds, unchanged, a file at the path of the payments change: it has no lens.
    assert.deepEqual(await lensesOf(fileIn(HANDBOOK, CHARGE_FILE)), []);
    assert.deepEqual(await lensesOf(fileIn(NOTES, 'todo.md')), []);

    const problems = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'Rollout Lens'));
    assert.deepEqual(
      problems.map(([uri]) => uri.fsPath),
      [fileIn(PAYMENTS, DROP_MIGRATION).fsPath],
      'the breaking migration is in the payments repository, and nowhere else',
    );
  });

  it("shows the active editor's repository in the status bar, and the highest across repositories in its hover", async () => {
    await vscode.window.showTextDocument(fileIn(HANDBOOK, GUIDE_FILE));
    const zero = await until('the status of the handbook', async () => {
      const s = await state();
      return /Risk: ZERO · handbook$/.test(s.status) ? s : undefined;
    });
    assert.match(zero.statusHover, /\*\*Highest across 2 repositories\*\* · \*\*HIGH\*\* in payments/);
    assert.match(zero.statusHover, /- \*\*payments\*\*: \*\*HIGH\*\*\n- \*\*handbook\*\*: \*\*ZERO\*\* \(this editor\)/);
    assert.match(zero.statusLabel, /in handbook; highest across 2 repositories: HIGH in payments$/);

    await vscode.window.showTextDocument(fileIn(PAYMENTS, CHARGE_FILE));
    const high = await until('the status of the payments repository', async () => {
      const s = await state();
      return /Risk: HIGH · payments$/.test(s.status) ? s : undefined;
    });
    assert.match(high.statusHover, /- \*\*payments\*\*: \*\*HIGH\*\* \(this editor\)\n- \*\*handbook\*\*: \*\*ZERO\*\*\n\n\[Open plan\]/, "every repository, then the actions");
    // A file of no repository keeps the status of the last repository shown.
    await vscode.window.showTextDocument(fileIn(NOTES, 'todo.md'));
    assert.match((await state()).status, /Risk: HIGH · payments$/);
  });

  it('asks which repository to plan for, the active editor\'s first, and the plan says which one it is for', async () => {
    await vscode.window.showTextDocument(fileIn(HANDBOOK, GUIDE_FILE));
    await until('the handbook active', async () => ((await state()).status.endsWith('· handbook') ? true : undefined));
    const prompts = answering(HANDBOOK);
    (await api()).useReplayPrompts(prompts);
    await vscode.commands.executeCommand('rolloutLens.generatePlan');
    assert.deepEqual(prompts.offered, [[`${HANDBOOK}: ZERO · active editor`, `${PAYMENTS}: HIGH`]]);
    const planned = await until('the plan for the handbook', async () => {
      const s = await state();
      return s.panelOpen && s.panelTitle === `Rollout Plan · ${HANDBOOK}` ? s : undefined;
    });
    assert.equal(planned.planRepository, HANDBOOK);
    assert.equal(planned.tier, 'ZERO', 'the plan is built from the handbook analysis');

    // A lens of the payments change opens the payments plan without asking.
    const lens = (await lensesOf(fileIn(PAYMENTS, CHARGE_FILE))).find((l) => l.command?.command === 'rolloutLens.openPlanAt');
    assert.ok(lens);
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(prompts.offered.length, 1, 'no second question');
    const payments = await until('the plan for payments', async () => {
      const s = await state();
      return s.panelTitle === `Rollout Plan · ${PAYMENTS}` ? s : undefined;
    });
    assert.equal(payments.planRepository, PAYMENTS);
    assert.equal(payments.tier, 'HIGH');

    // Dismissing the question opens nothing new.
    const dismissed = answering('no such repository');
    (await api()).useReplayPrompts(dismissed);
    await vscode.commands.executeCommand('rolloutLens.generatePlan');
    assert.equal(dismissed.offered.length, 1);
    assert.equal((await state()).planRepository, PAYMENTS);
  });

  it("re-analyses a repository when its own policy file changes, with that repository's policy", async () => {
    const policy = path.join(folder(HANDBOOK).uri.fsPath, '.rollout-lens.json');
    const before = (await state()).repositories.find((r) => r.name === PAYMENTS)!;
    writeFileSync(policy, JSON.stringify({ tiers: [{ glob: 'docs/**', tier: 'MEDIUM', reason: 'the runbook' }] }) + '\n');
    try {
      await until('the handbook planned under its new policy', async () => ((await tierOf(HANDBOOK)) === 'MEDIUM' ? true : undefined));
      const s = await state();
      assert.equal(s.repositories.find((r) => r.name === PAYMENTS)?.tier, before.tier, "the other repository's tier is its own");
      assert.match(s.statusHover, /- \*\*handbook\*\*: \*\*MEDIUM\*\*/);
    } finally {
      rmSync(policy, { force: true });
    }
    await until('the handbook back under the defaults', async () => ((await tierOf(HANDBOOK)) === 'ZERO' ? true : undefined));
  });

  it('analyses a repository folder added while the window is open, and stops when it is removed', async () => {
    const extra = makeRepo({ commits: [{ 'README.md': '# Extra\n' }], unstaged: { 'README.md': '# Extra\n\nMore.\n' } }, 'rollout-lens-extra-');
    try {
      const count = vscode.workspace.workspaceFolders!.length;
      assert.ok(vscode.workspace.updateWorkspaceFolders(count, 0, { uri: vscode.Uri.file(extra.dir), name: 'extra' }));
      await until('the added repository analysed', async () => ((await tierOf('extra')) === 'ZERO' ? true : undefined));
      assert.deepEqual(
        (await state()).repositories.map((r) => r.name),
        [PAYMENTS, HANDBOOK, 'extra'],
      );
      assert.ok(vscode.workspace.updateWorkspaceFolders(count, 1));
      await until('the removed repository gone', async () => ((await state()).repositories.length === 2 ? true : undefined));
    } finally {
      extra.cleanup();
    }
  });
});
