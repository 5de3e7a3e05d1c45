/**
 * Rollout Lens inside a real extension host, on the risky fixture repository (a migration that
 * drops `users.email`, and a changed payment function, both uncommitted): what a developer sees
 * while editing, and what the plan and simulation commands answer.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CHARGE_FILE, DROP_LINE, DROP_MIGRATION } from '../../fixtures/risky-repo';
import { api, EXTENSION_ID, state, until, workspaceFile } from '../host';


async function lensesOf(rel: string): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile(rel))) ?? [];
}

async function ourLenses(rel: string): Promise<vscode.CodeLens[]> {
  return (await lensesOf(rel)).filter((l) => l.command?.command === 'rolloutLens.openPlanAt');
}

describe('Rollout Lens: editing a risky change', function () {
  this.timeout(90_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await vscode.workspace.getConfiguration('rolloutLens').update('codeLens', 'all', vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('rolloutLens.refresh');
    await until('the analysis', async () => {
      const s = await state();
      if (s.analysis === 'error') throw new Error('the analysis failed: see "Rollout Lens: Show Log"');
      return s.analysis === 'ready' ? s : undefined;
    });
  });

  it('rates the change HIGH, having run git', async () => {
    const s = await state();
    assert.equal(s.tier, 'HIGH');
    assert.ok(s.gitRuns > 0, 'the analysis ran no git command');
  });

  it('puts one HIGH lens naming the dropped column at the top of the new migration, not two', async () => {
    await vscode.window.showTextDocument(workspaceFile(DROP_MIGRATION));
    const lenses = await until('the lens on the migration', async () => {
      const l = await ourLenses(DROP_MIGRATION);
      return l.length >= 1 ? l : undefined;
    });
    assert.equal(lenses.length, 1, `more than one lens: ${lenses.map((l) => l.command?.title).join(' | ')}`);
    const [top] = lenses;
    assert.equal(top.range.start.line, 0);
    assert.match(top.command?.title ?? '', /^Rollout Lens: HIGH · drops column users\.email — breaking migration$/);
    const target = top.command?.arguments?.[0] as { file: string; line: number };
    assert.deepEqual(target, { file: DROP_MIGRATION, line: DROP_LINE });
  });

  it('puts a lens above the changed lines of the payment function', async () => {
    await vscode.window.showTextDocument(workspaceFile(CHARGE_FILE));
    const lenses = await until('lenses on the charge file', async () => {
      const l = await ourLenses(CHARGE_FILE);
      return l.some((x) => x.range.start.line > 0) ? l : undefined;
    });
    const doc = await vscode.workspace.openTextDocument(workspaceFile(CHARGE_FILE));
    const feeLine = doc.getText().split('\n').findIndex((t) => t.includes('feeCents ='));
    assert.ok(lenses.some((l) => l.range.start.line > 0 && l.range.start.line <= feeLine), 'a region lens at or above the new fee line');
  });

  it('keeps only the file-level lens when the setting says "file", and none with "off"', async () => {
    const config = vscode.workspace.getConfiguration('rolloutLens');
    try {
      await config.update('codeLens', 'file', vscode.ConfigurationTarget.Workspace);
      const onlyFile = await until('file-level lenses only', async () => {
        const l = await ourLenses(DROP_MIGRATION);
        return l.length === 1 ? l : undefined;
      });
      assert.match(onlyFile[0].command?.title ?? '', /^Rollout Lens: HIGH/);
      await config.update('codeLens', 'off', vscode.ConfigurationTarget.Workspace);
      await until('no lenses', async () => ((await ourLenses(DROP_MIGRATION)).length === 0 ? true : undefined));
    } finally {
      await config.update('codeLens', 'all', vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows the breaking migration in the Problems panel', async () => {
    const diags = await until('a diagnostic', async () => {
      const d = vscode.languages.getDiagnostics(workspaceFile(DROP_MIGRATION)).filter((x) => x.source === 'Rollout Lens');
      return d.length ? d : undefined;
    });
    assert.match(diags[0].message, /Breaking migration/);
  });
});

describe('Rollout Lens: plan and simulation', function () {
  this.timeout(90_000);

  it('opens the plan panel from "Generate Rollout Plan"', async () => {
    await vscode.commands.executeCommand('rolloutLens.generatePlan');
    await until('the plan panel', async () => ((await state()).panelOpen ? true : undefined));
  });

  it('opens the plan at a finding when a lens is clicked', async () => {
    await vscode.commands.executeCommand('rolloutLens.openPlanAt', { file: DROP_MIGRATION, line: DROP_LINE });
    assert.equal((await state()).panelOpen, true);
  });

  it('simulates an error spike and rolls back at the canary, with a verdict a person can read', async () => {
    const r = await (await api()).simulateScenario('error-spike', 1);
    assert.equal(r.outcome, 'rolled_back');
    assert.match(r.verdict, /^Rolled back at Canary/);
    assert.match(r.verdict, /error rate/i);
    const healthy = await (await api()).simulateScenario('healthy', 1);
    assert.notEqual(healthy.outcome, 'rolled_back');
  });

  it('answers a bad trace file with one clear line, and keeps working', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-trace-'));
    const bad = path.join(dir, 'bad-trace.csv');
    writeFileSync(bad, 'timestamp,error_rate\n2026-01-01 10:00:00,0.1\nnot-a-time,0.2\n');
    const r = await (await api()).simulateTrace(bad);
    assert.equal(r.verdict, undefined);
    assert.ok(r.error, 'expected an error');
    assert.ok(!r.error.includes('\n'), 'one line');
    assert.ok(r.error.includes('bad-trace.csv'), `names the file: ${r.error}`);
    assert.doesNotMatch(r.error, /\bat .*\.js:\d+/, 'no stack trace');
    // Still working: the analysis is intact and a scenario still simulates.
    assert.equal((await state()).analysis, 'ready');
    const again = await (await api()).simulateScenario('healthy', 2);
    assert.ok(['promoted', 'halted', 'rolled_back'].includes(again.outcome));
  });

  it('reports its activation time', async () => {
    const ms = await (await api()).activationMs();
    assert.ok(ms >= 0, 'activation finished');
    console.log(`BENCH ext.activate_ms ${ms.toFixed(1)} ms`);
  });
});
