/**
 * Rollout Lens in an untrusted workspace (code-server with workspace trust ON, the risky fixture
 * opened by URL and never trusted): it must run no git — no analysis, no lenses, a status bar
 * item that says why — while "Generate Rollout Plan" still plans for a tier the user picks and
 * the simulator still runs on that plan.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CHARGE_FILE, DROP_MIGRATION } from '../../fixtures/risky-repo';
import { api, EXTENSION_ID, state, until, workspaceFile } from '../host';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


describe('Rollout Lens in an untrusted workspace', function () {
  this.timeout(90_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('opens the fixture restricted: the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the fixture folder came up trusted: this run would test nothing');
    assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, process.env.ROLLOUT_LENS_FIXTURE);
  });

  it('runs no git, even when asked to refresh and when a file is saved, and says why in the status bar', async () => {
    // Each of these runs the analysis (and git) in a trusted workspace, after a 300 ms debounce.
    await vscode.commands.executeCommand('rolloutLens.refresh');
    const doc = await vscode.workspace.openTextDocument(workspaceFile(CHARGE_FILE));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// touched\n'));
    await doc.save();
    await sleep(1_500);
    const s = await state();
    assert.equal(s.trusted, false);
    assert.equal(s.analysis, 'restricted');
    assert.equal(s.gitRuns, 0, `${s.gitRuns} git command(s) ran in an untrusted workspace`);
    assert.match(s.status, /restricted \(untrusted workspace\)/);
  });

  it('shows no code lenses on the changed files', async () => {
    for (const rel of [DROP_MIGRATION, CHARGE_FILE]) {
      await vscode.window.showTextDocument(workspaceFile(rel));
      await sleep(500);
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile(rel))) ?? [];
      const ours = lenses.filter((l) => l.command?.command === 'rolloutLens.openPlanAt');
      assert.deepEqual(ours.map((l) => l.command?.title), [], `lenses on ${rel}`);
    }
  });

  it('"Generate Rollout Plan" asks for a tier and opens the plan for the one picked', async () => {
    assert.equal((await state()).chosenTier, undefined);
    // The command waits on the tier quick pick: leave it pending and answer the pick as a user would.
    const generated = vscode.commands.executeCommand('rolloutLens.generatePlan');
    const picked = await until('the tier to be picked', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return (await state()).chosenTier;
    });
    await generated;
    // The pick lists the tiers from HIGH down; the first is accepted.
    assert.equal(picked, 'HIGH');
    await until('the plan panel', async () => ((await state()).panelOpen ? true : undefined));
    assert.equal((await state()).gitRuns, 0, 'planning for a chosen tier ran git');
  });

  it('simulates on the chosen tier\'s plan: an error spike rolls back at the canary, a healthy run does not', async () => {
    const spike = await (await api()).simulateScenario('error-spike', 1);
    assert.equal(spike.outcome, 'rolled_back');
    assert.match(spike.verdict, /^Rolled back at Canary/);
    const healthy = await (await api()).simulateScenario('healthy', 1);
    assert.notEqual(healthy.outcome, 'rolled_back');
    const s = await state();
    assert.equal(s.lastVerdict, healthy.verdict);
    assert.equal(s.gitRuns, 0, 'the simulator ran git');
  });
});
