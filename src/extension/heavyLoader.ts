/** Loads dist/heavy.js on first use (see heavy.ts). */
import * as path from 'node:path';

export type Heavy = typeof import('./heavy');

let heavy: Promise<Heavy> | undefined;

export function loadHeavy(): Promise<Heavy> {
  // A path esbuild cannot follow, on purpose: the module stays a separate file, read when first needed.
  heavy ??= Promise.resolve().then(() => require(path.join(__dirname, 'heavy.js')) as Heavy);
  return heavy;
}

/** The loaded module, if something already needed it. */
export let loadedHeavy: Heavy | undefined;
export function markLoaded(h: Heavy): Heavy {
  loadedHeavy = h;
  return h;
}
