/**
 * Loaded by VS Code as `extensionTestsPath` for the activation benchmark: activates Rollout Lens,
 * asks it (through what activate() returns) for its own activation time, and writes what it measured to ROLLOUT_LENS_PROBE_REPORT.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'rollout-lens.rollout-lens';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<{ activationMs?: () => number } | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  const t0 = performance.now();
  const api = await ext.activate();
  const awaitedActivateMs = performance.now() - t0;
  const activationMs = typeof api?.activationMs === 'function' ? api.activationMs() : undefined;
  const report = process.env.ROLLOUT_LENS_PROBE_REPORT;
  if (report) writeFileSync(report, JSON.stringify({ activationMs, awaitedActivateMs, hostUptimeMs: process.uptime() * 1000 }));
}
