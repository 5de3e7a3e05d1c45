/*
 * The PostgreSQL parser (libpg-query) is WebAssembly: loading it costs tens of milliseconds,
 * so it is imported only when a change contains SQL, and only once per process.
 * In the bundles (dist/cli.js, dist/extension.js) the module looks for libpg-query.wasm
 * beside the bundle; the build copies it there.
 */
type PgQuery = typeof import('libpg-query');

let loading: Promise<PgQuery> | undefined;

export function loadParser(): Promise<PgQuery> {
  loading ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    return m;
  });
  // A failed load is not cached: the next migration retries and reports its own failure.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
