/**
 * The only door to dist/heavy.js: git and the risk rules, the SQL parser, the planner, the
 * simulator, zod and the plan panel host. Activation never loads it; the first command, analysis
 * or restored panel does, once. Everything else in the light bundle asks here.
 */
import * as path from 'node:path';

export type Heavy = typeof import('./heavy');

let loading: Promise<Heavy> | undefined;
let loaded: Heavy | undefined;

export function loadCore(): Promise<Heavy> {
  // A path esbuild cannot follow, on purpose: the module stays a separate file, read when first needed.
  loading ??= Promise.resolve().then(() => (loaded = require(path.join(__dirname, 'heavy.js')) as Heavy));
  return loading;
}

/** src/core/pipeline.ts: the stages chained as the CLI chains them. */
export type Engine = Heavy['pipeline'];

export async function loadEngine(): Promise<Engine> {
  return (await loadCore()).pipeline;
}

/** The heavy bundle if something already needed it, without loading it. */
export function loadedCore(): Heavy | undefined {
  return loaded;
}
