/**
 * The editor's surfaces as a developer meets them, in a real extension host: removed lines shown
 * where they were (and in the diff), the status item and its hover, the Problems entries' next
 * steps, and the plan reopened where the user put it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DROP_LINE, DROP_MIGRATION } from '../../fixtures/risky-repo';
import { addRemovals, MESSAGE_BEFORE, MESSAGE_FILE, SECOND_REMOVAL_AFTER } from '../../fixtures/removals';
import { EXTENSION_ID, state, until, workspaceFile } from '../host';


const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const repo = {
  git: (...args: string[]) => execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', ...args], { cwd: root(), encoding: 'utf8' }),
  write: (files: Record<string, string | Buffer | null>) => {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root(), rel)), { recursive: true });
      writeFileSync(path.join(root(), rel), text ?? '');
    }
  },
};

async function lensesOf(rel: string): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile(rel))) ?? [];
}

function planTabs(): { group: vscode.TabGroup; tab: vscode.Tab }[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('rolloutLens.plan')).map((tab) => ({ group, tab })));
}

describe('Rollout Lens: the editor surfaces', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    addRemovals(repo);
    await vscode.commands.executeCommand('rolloutLens.refresh');
    await until('the analysis with the removals', async () => ((await state()).analysis === 'ready' ? true : undefined));
  });

  after(async () => {
    // The model as committed again: the other suites see the fixture as it was.
    repo.write({ [MESSAGE_FILE]: MESSAGE_BEFORE });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('rolloutLens.refresh');
  });

  it('puts the lens of a deletion-only hunk after an earlier one above the deletion point, worded as a removal', async () => {
    await vscode.window.showTextDocument(workspaceFile(MESSAGE_FILE));
    const lenses = await until('the removal lenses', async () => {
      const l = await lensesOf(MESSAGE_FILE);
      return l.some((x) => /removed after line 8/.test(x.command?.title ?? '')) ? l : undefined;
    });
    const second = lenses.find((l) => /removed after line 8/.test(l.command?.title ?? ''))!;
    assert.equal(second.range.start.line, SECOND_REMOVAL_AFTER, 'the lens sits above the line that now follows the removed lines');
    assert.match(second.command!.title, /^HIGH · removed after line 8: stops a database write \(save!\)/);
    const show = lenses.find((l) => l.command?.command === 'rolloutLens.showRemoved' && l.range.start.line === SECOND_REMOVAL_AFTER);
    assert.ok(show, `no "Show removed lines" lens beside it: ${lenses.map((l) => `${l.range.start.line}:${l.command?.title}`).join(' | ')}`);

    // It opens the base ↔ working tree diff at that hunk, the base read-only from git.
    await vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? []));
    const input = await until('the diff tab', async () => {
      const i = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return i instanceof vscode.TabInputTextDiff ? i : undefined;
    });
    assert.equal(input.original.scheme, 'rollout-lens-base');
    assert.equal(input.modified.fsPath, workspaceFile(MESSAGE_FILE).fsPath);
    const original = await vscode.workspace.openTextDocument(input.original);
    assert.equal(original.getText(), MESSAGE_BEFORE);
    const editor = await until('the diff editor', async () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === input.modified.fsPath));
    assert.equal(editor.selection.active.line, SECOND_REMOVAL_AFTER);
  });

  it('shows "Risk: HIGH" with a label naming the extension and a hover of counts and findings', async () => {
    const s = await state();
    assert.equal(s.status, '$(shield) Risk: HIGH');
    assert.match(s.statusLabel, /^Rollout Lens: deployment risk HIGH, \d+ findings, a breaking migration$/);
    assert.match(s.statusHover, /^\*\*Rollout Lens\*\* · deployment risk \*\*HIGH\*\*/);
    // The irreversible finding leads.
    assert.match(s.statusHover.split('\n\n')[2], /^- \*\*HIGH\*\* · irreversible \[db\/migrations\/002\\_drop\\_email\.sql:3\]\(command:rolloutLens\.openPlanAt\?/);
    assert.equal(s.statusWarning, true, 'a breaking migration takes the warning background');
  });

  it('gives the breaking migration in Problems a rule link and two next steps', async () => {
    const uri = workspaceFile(DROP_MIGRATION);
    const [d] = await until('the diagnostic', async () => {
      const ds = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Rollout Lens');
      return ds.length ? ds : undefined;
    });
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'migration-breaking');
    assert.equal(code.target.fragment, 'migration-breaking');
    assert.match(code.target.path, /\/docs\/rules\.md$/);
    // Where a person puts the cursor: on the statement's line, in its open editor.
    await vscode.window.showTextDocument(uri);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(d.range.start, d.range.start))) ?? [];
    const ours = actions.filter((a) => a.command?.command.startsWith('rolloutLens.'));
    assert.deepEqual(ours.map((a) => a.title), ['Open rollout plan at this finding', 'How to split this migration']);
    assert.deepEqual(ours[0].command!.arguments, [{ file: DROP_MIGRATION, line: DROP_LINE }]);
    await vscode.commands.executeCommand(ours[0].command!.command, ...(ours[0].command!.arguments ?? []));
    await until('the plan panel', async () => ((await state()).panelOpen ? true : undefined));
  });

  it('lists a data write in Problems too, as not undone by a rollback, with its rule link and the plan', async () => {
    const uri = workspaceFile(MESSAGE_FILE);
    const ds = await until('the data-write diagnostics', async () => {
      const found = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Rollout Lens');
      return found.length ? found : undefined;
    });
    for (const d of ds) {
      const code = d.code as { value: string; target: vscode.Uri };
      assert.equal(code.value, 'data-write');
      assert.equal(code.target.fragment, 'data-write');
      assert.match(d.message, /^Data write: stops a database write \((update!|save!)\).*Level 1 rollback cannot undo it\.$/);
    }
    await vscode.window.showTextDocument(uri);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(ds[0].range.start, ds[0].range.start))) ?? [];
    // No migration to split: the plan is the next step.
    assert.deepEqual(actions.filter((a) => a.command?.command.startsWith('rolloutLens.')).map((a) => a.title), ['Open rollout plan at this finding']);
  });

  it('reopens the plan where it is, pinned, without splitting the editor again', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(workspaceFile(MESSAGE_FILE));
    const groups: number[] = [];
    // Between two looks at the plan, a file opened from the Explorer (a preview) in the plan's
    // group: a preview plan would be replaced by it, and a reveal "beside" that file would open a
    // third group.
    for (let i = 0; i < 3; i++) {
      await vscode.commands.executeCommand('rolloutLens.generatePlan');
      const plan = await until('the plan tab, active', async () => planTabs().find((t) => t.tab.isActive && t.group.isActive));
      groups.push(vscode.window.tabGroups.all.length);
      await vscode.window.showTextDocument(workspaceFile('README.md'), { viewColumn: plan.group.viewColumn, preview: true });
    }
    assert.deepEqual(groups, [2, 2, 2], 'each reopening opened another editor group');
    const tabs = planTabs();
    assert.equal(tabs.length, 1);
    assert.equal(tabs[0].tab.isPreview, false, 'the plan is a preview tab');
  });
});
