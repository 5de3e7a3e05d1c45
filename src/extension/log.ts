/** The "Rollout Lens" output channel: git commands with their durations, analysis runs, rejected messages. */
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function createLog(): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('Rollout Lens', { log: true });
  return channel;
}

export function log(): vscode.LogOutputChannel {
  if (!channel) throw new Error('Rollout Lens log used before activation');
  return channel;
}
