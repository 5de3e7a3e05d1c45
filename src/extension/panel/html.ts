/**
 * The view's HTML shell. Strict CSP: nothing by default, scripts only with this load's nonce,
 * styles, fonts and images only from the extension's own resources. chart.js needs no eval.
 */
import { randomBytes } from 'node:crypto';

export interface ShellResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** 128 bits from the system's secure random source, base64: a page script cannot guess it. */
export function randomNonce(): string {
  return randomBytes(16).toString('base64');
}

export function shellHtml(r: ShellResources): string {
  const csp = [
    "default-src 'none'",
    `style-src ${r.cspSource}`,
    `font-src ${r.cspSource}`,
    `img-src ${r.cspSource} data:`,
    `script-src 'nonce-${r.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${r.styleUri}">
<title>Rollout Plan</title>
</head>
<body>
<h1 id="title">Rollout plan</h1>
<div id="banner" hidden></div>
<vscode-tabs id="tabs" aria-label="Rollout plan views">
  <vscode-tab-header slot="header">Plan</vscode-tab-header>
  <vscode-tab-panel><main id="plan" aria-label="Rollout plan"><p>Loading the plan…</p></main></vscode-tab-panel>
  <vscode-tab-header slot="header">Simulate</vscode-tab-header>
  <vscode-tab-panel><div id="simulate" aria-label="Rollout simulation"></div></vscode-tab-panel>
</vscode-tabs>
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}
