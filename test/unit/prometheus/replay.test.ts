/**
 * `simulate --prometheus`: replays against a real Prometheus (Debian's package), backfilled with
 * promtool from recordings the test writes, through the bundled CLI as a user runs it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import { buildPlan } from '../../../src/core/plan';
import { PolicySchema } from '../../../src/core/policy/schema';
import { SimulationResultSchema, type SimulationResult } from '../../../src/core/sim/schema';
import * as engine from '../../../src/core/pipeline';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { runCli, type CliRun } from './cli';
import { openMetrics, queries, T0, TROUBLE_MINUTE } from './data';
import { startPrometheus, type PromServer } from './server';

const FROM = new Date(T0).toISOString();

describe('simulate --prometheus: a replay from a real Prometheus', function () {
  this.timeout(120_000);
  let cli: CliUnderTest;
  let prom: PromServer;
  let backfill: string;

  before(async () => {
    backfill = openMetrics();
    [cli, prom] = await Promise.all([buildCli('simulate', 'UTC'), startPrometheus(backfill)]);
  });
  after(async () => {
    await prom?.stop();
    cli?.cleanup();
  });

  let policies = 0;
  /** A policy file with the healthy queries, some replaced. */
  function policy(over: Record<string, string> = {}, extra: object = {}): string {
    const file = path.join(cli.dir, `policy-${++policies}.json`);
    writeFileSync(file, JSON.stringify({ prometheus: { queries: queries(over) }, ...extra }));
    return file;
  }
  const run = (args: string[], env?: Record<string, string>) => runCli(cli.dir, args, env);
  const replay = (config: string, ...more: string[]) => run(['--config', config, '--prometheus', prom.url, '--from', FROM, ...more]);
  function result(r: CliRun): SimulationResult {
    assert.equal(r.code, 0, r.stderr);
    return SimulationResultSchema.parse(JSON.parse(r.stdout));
  }
  function oneLine(r: CliRun, code: number, mentions: RegExp[]): void {
    assert.equal(r.code, code, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line on stderr: ${r.stderr}`);
    for (const m of mentions) assert.match(lines[0], m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }

  it('rolls back in the Canary on the metric that spiked', async () => {
    const r = result(await replay(policy({ error_rate: 'rl_error_rate{scenario="spike"}' }), '--tier', 'MEDIUM', '--json'));
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.stage, 3);
    assert.equal(r.rollback?.metric, 'error_rate');
    assert.equal(r.rollback?.minute, TROUBLE_MINUTE);
    assert.equal(r.rollback?.value, 8);
    assert.equal(r.source, prom.url);
  });

  it('promotes a healthy 49 h HIGH plan replayed at 15 s, fetched in chunks Prometheus accepts', async () => {
    const saved = path.join(cli.dir, 'high-15s.json');
    const r = result(await replay(policy(), '--tier', 'HIGH', '--step', '15s', '--save-trace', saved, '--json'));
    assert.equal(r.outcome, 'promoted', r.verdict);
    assert.equal(r.stages.at(-1)?.endMinute, 49 * 60);
    // 11,760 readings a series: more than one query may return, joined without a hole or a repeat.
    const doc = JSON.parse(readFileSync(saved, 'utf8')) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    assert.deepEqual(doc.data.result.map((s) => s.metric.__name__).sort(), ['db_errors_per_min', 'error_rate', 'latency_p95_ms', 'security_alerts', 'success_rate']);
    for (const s of doc.data.result) {
      assert.equal(s.values.length, 49 * 60 * 4, s.metric.__name__);
      assert.equal(s.values[0][0], T0 / 1000);
      assert.ok(s.values.every((v, i) => i === 0 || v[0] - s.values[i - 1][0] === 15), `${s.metric.__name__}: one reading every 15 s`);
    }
  });

  it('saves the fetched trace, which replays offline to the same verdict and the same event minutes', async () => {
    const config = policy({ error_rate: 'rl_error_rate{scenario="spike"}' });
    const saved = path.join(cli.dir, 'spike.json');
    const live = await replay(config, '--tier', 'MEDIUM', '--step', '30s', '--save-trace', saved, '--json');
    const online = result(live);
    assert.match(live.stderr, /saved the fetched trace to .*spike\.json/);
    const offline = result(await run(['--config', config, '--tier', 'MEDIUM', '--start', FROM, '--trace', saved, '--json']));
    assert.equal(online.outcome, 'rolled_back');
    assert.equal(offline.verdict, online.verdict);
    assert.deepEqual(offline.rollback, online.rollback);
    assert.deepEqual(offline.alerts, online.alerts);
    assert.deepEqual(offline.stages, online.stages);
  });

  it('refuses to overwrite an existing --save-trace file', async () => {
    const saved = path.join(cli.dir, 'existing.json');
    writeFileSync(saved, 'keep me\n');
    oneLine(await replay(policy(), '--tier', 'MEDIUM', '--save-trace', saved), 2, [/--save-trace .*existing\.json: the file already exists/]);
    assert.equal(readFileSync(saved, 'utf8'), 'keep me\n');
  });

  it('names prometheus.queries.<metric> and quotes Prometheus on a PromQL syntax error', async () => {
    const config = policy({ latency_p95_ms: 'rl_latency_p95_ms{scenario=' });
    oneLine(await replay(config, '--tier', 'MEDIUM'), 2, [/policy-\d+\.json: prometheus\.queries\.latency_p95_ms: /, /parse error/]);
  });

  it('refuses a query that returns two series, listing them and suggesting an aggregation', async () => {
    oneLine(await replay(policy({ error_rate: 'rl_error_rate{scenario="pair"}' }), '--tier', 'MEDIUM'), 2, [
      /prometheus\.queries\.error_rate: the query returns 2 series/,
      /\{instance="a",scenario="pair"\}, \{instance="b",scenario="pair"\}/,
      /aggregate/,
    ]);
  });

  it('reads a query that matches nothing as no data for that gate, never as a pass', async () => {
    const r = result(await replay(policy({ error_rate: 'rl_error_rate{scenario="absent"}' }), '--tier', 'MEDIUM', '--json'));
    assert.equal(r.outcome, 'halted');
    assert.match(r.verdict, /no data for error_rate/);
    assert.ok(r.dataIssues.some((d) => d.metric === 'error_rate' && /prometheus\.queries\.error_rate: no data/.test(d.message)));
  });

  it('holds on a gap in the recording instead of passing the silent minutes', async () => {
    const r = result(await replay(policy({ error_rate: 'rl_error_rate{scenario="gap"}' }), '--tier', 'MEDIUM', '--json'));
    assert.equal(r.outcome, 'halted');
    assert.equal(r.stages.find((s) => s.decision === 'held')?.number, 3);
    assert.match(r.verdict, /error_rate/);
  });

  it('names the policy line to add for a gated metric without a query, or the gate to turn off', async () => {
    const file = path.join(cli.dir, 'no-db-query.json');
    const q = queries();
    delete q.db_errors_per_min;
    writeFileSync(file, JSON.stringify({ prometheus: { queries: q } }));
    oneLine(await replay(file, '--tier', 'MEDIUM'), 2, [/no-db-query\.json: the gated metric db_errors_per_min has no Prometheus query/, /"queries": \{"db_errors_per_min": /, /"enabled": false/]);
    const off = path.join(cli.dir, 'db-gate-off.json');
    writeFileSync(off, JSON.stringify({ prometheus: { queries: q }, gates: { db_errors_per_min: { enabled: false } } }));
    assert.equal(result(await replay(off, '--tier', 'MEDIUM', '--json')).outcome, 'promoted');
  });

  /** docs/gates.md with quote markers and line breaks folded, so a quoted sentence reads as one line. */
  const gatesDoc = () => readFileSync(path.join(__dirname, '../../../docs/gates.md'), 'utf8').replace(/\n> ?/g, ' ').replace(/\s+/g, ' ');

  /** A policy whose error rate has a baseline query beside its canary query. */
  function withBaseline(canary: string, baseline: string): string {
    const file = path.join(cli.dir, `policy-${++policies}.json`);
    writeFileSync(file, JSON.stringify({ prometheus: { queries: queries({ error_rate: canary }), baseline: { error_rate: baseline } } }));
    return file;
  }

  it('canary against baseline: a canary worse than its baseline but under every threshold promotes on the thresholds, and the comparison fails and says what it would have changed', async () => {
    const config = withBaseline('rl_error_rate{scenario="worse"}', 'rl_error_rate{scenario="stable"}');
    const saved = path.join(cli.dir, 'baseline-worse.json');
    const live = await replay(config, '--tier', 'MEDIUM', '--save-trace', saved, '--json');
    const r = result(live);
    // 0.12 % ± 0.01 against 0.05 % ± 0.01: no reading reaches the 0.2 % warning.
    assert.equal(r.outcome, 'promoted', r.verdict);
    assert.equal(r.alerts.length, 0);
    const c = r.baselineComparison!;
    assert.ok(c, 'no baselineComparison in --json');
    assert.deepEqual(c.metrics.map((m) => m.metric), ['error_rate']);
    const steps = c.metrics[0].steps;
    assert.deepEqual(steps.map((s) => [s.name, s.trafficPercent, s.startMinute, s.endMinute, s.verdict]), [
      ['Canary', 10, 60, 180, 'fail'],
      ['Partial', 50, 180, 420, 'fail'],
      ['Full rollout', 100, 420, 1860, 'fail'],
    ]);
    // Four readings a minute at 15 s scrapes, read at the default 1-minute step: one per minute.
    assert.deepEqual([steps[0].canary.count, steps[0].baseline.count], [120, 120]);
    assert.ok(steps[0].p! < 1e-10, `p ${steps[0].p}`);
    assert.deepEqual(c.firstFail, { metric: 'error_rate', stage: 3, trafficPercent: 10, minute: 180 });
    assert.match(c.verdict, /^Canary against baseline: fail at Canary 10 %, 3 h 0 min in: error rate median 0\.12 % > 0\.05 % \(the baseline's median\) \(p < 0\.0001\) → rollback$/);
    assert.equal(c.wouldHaveChanged, `the thresholds promoted; judged against its baseline the canary would have rolled back at Canary 10 % at minute 180, the end of that step, with 12 user-traffic-minutes exposed instead of ${r.blastRadius}`);
    // The text output puts it beside the thresholds' verdict.
    const text = await replay(config, '--tier', 'MEDIUM');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Promoted to 100 %/);
    assert.match(text.stdout, /^Canary against baseline \(Mann–Whitney U per step, beside the thresholds\)$/m);
    assert.match(text.stdout, /^ {2}Canary against baseline: fail at Canary 10 %/m);
    assert.match(text.stdout, /^ {2}would have changed: the thresholds promoted;/m);
    // The saved trace keeps the baseline series and replays offline to the same comparison.
    const doc = JSON.parse(readFileSync(saved, 'utf8')) as { rolloutLens: { baseline?: { queries: Record<string, string>; result: { metric: Record<string, string> }[] } } };
    assert.deepEqual(doc.rolloutLens.baseline?.queries, { error_rate: 'rl_error_rate{scenario="stable"}' });
    assert.deepEqual(doc.rolloutLens.baseline?.result.map((x) => x.metric), [{ __name__: 'error_rate' }]);
    const offline = result(await run(['--tier', 'MEDIUM', '--trace', saved, '--json']));
    assert.equal(offline.verdict, r.verdict);
    assert.deepEqual(offline.baselineComparison, r.baselineComparison);
    // docs/gates.md quotes both sentences of this example.
    for (const sentence of [c.verdict, c.wouldHaveChanged]) assert.ok(gatesDoc().includes(sentence), `docs/gates.md does not state: ${sentence}`);
  });

  it('canary against baseline: a healthy canary from the same distribution as its baseline passes every step, and changes nothing', async () => {
    const r = result(await replay(withBaseline('rl_error_rate{scenario="twin"}', 'rl_error_rate{scenario="stable"}'), '--tier', 'MEDIUM', '--json'));
    assert.equal(r.outcome, 'promoted', r.verdict);
    const c = r.baselineComparison!;
    assert.deepEqual(c.metrics[0].steps.map((s) => s.verdict), ['pass', 'pass', 'pass']);
    assert.ok(c.metrics[0].steps.every((s) => s.p! > 0.05), JSON.stringify(c.metrics[0].steps.map((s) => s.p)));
    assert.equal(c.firstFail, null);
    assert.equal(c.verdict, 'Canary against baseline: pass in every step judged (error_rate)');
    assert.ok(gatesDoc().includes(c.verdict), 'docs/gates.md quotes the passing verdict');
    assert.equal(c.wouldHaveChanged, 'nothing: the canary did not read worse than its baseline');
  });

  it('canary against baseline: judged only as far as the thresholds let the rollout go, and a PromQL error in the baseline query names its field', async () => {
    // The spiking canary rolls back at minute 90: the comparison judges the canary step up to there,
    // 30 healthy readings and one of 8 %, which is no evidence of a worse canary (a rank test).
    const spike = result(await replay(withBaseline('rl_error_rate{scenario="spike"}', 'rl_error_rate{scenario="stable"}'), '--tier', 'MEDIUM', '--json'));
    assert.equal(spike.outcome, 'rolled_back');
    assert.deepEqual(spike.baselineComparison!.metrics[0].steps.map((s) => [s.startMinute, s.endMinute, s.verdict]), [[60, 91, 'pass']]);
    assert.equal(spike.baselineComparison!.firstFail, null);
    oneLine(await replay(withBaseline('rl_error_rate{scenario="worse"}', 'rl_error_rate{scenario='), '--tier', 'MEDIUM'), 2, [/policy-\d+\.json: prometheus\.baseline\.error_rate: /, /parse error/]);
  });

  it('canary against baseline: a baseline query without the canary query beside it is refused, naming the field', async () => {
    const file = path.join(cli.dir, `policy-${++policies}.json`);
    writeFileSync(file, JSON.stringify({ prometheus: { queries: queries(), baseline: { checkout_errors: 'rl_error_rate{scenario="stable"}' } } }));
    oneLine(await replay(file, '--tier', 'MEDIUM'), 2, [/field "prometheus\.baseline\.checkout_errors": a baseline query needs the canary's query beside it/]);
  });

  it("the editor's engine replays the same range to the same rollback, and stops when cancelled", async () => {
    const policy = PolicySchema.parse({ prometheus: { queries: queries({ error_rate: 'rl_error_rate{scenario="spike"}' }) } });
    const plan = buildPlan({ tier: 'MEDIUM', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] }, policy, { start: new Date(T0), timezone: 'UTC' });
    const range = { url: prom.url, fromMs: T0, toMs: T0 + 2 * 24 * 3_600_000, stepMs: 60_000 };
    const { trace, saved } = await engine.fetchPrometheus(plan, { policy }, range);
    assert.deepEqual(trace.metrics.sort(), ['db_errors_per_min', 'error_rate', 'latency_p95_ms', 'security_alerts', 'success_rate']);
    const result = await engine.simulate(plan, { kind: 'trace', trace: trace.trace, alignAt: trace.alignAt });
    assert.equal(result.outcome, 'rolled_back');
    assert.deepEqual([result.rollback?.stage, result.rollback?.minute, result.rollback?.metric], [3, TROUBLE_MINUTE, 'error_rate']);
    // Named as the CLI names it, so the Simulate tab can say which server the verdict was judged on.
    assert.equal(result.source, prom.url);
    assert.equal((saved as { data: { result: unknown[] } }).data.result.length, 5);
    const cancelled = new AbortController();
    cancelled.abort(new Error('cancelled by the user'));
    await assert.rejects(engine.fetchPrometheus(plan, { policy }, { ...range, signal: cancelled.signal }), /cancelled by the user/);
  });

  it('exits 1 naming the URL when the server stops in the middle of a replay', async () => {
    const own = await startPrometheus(backfill);
    const proxy = await stopAfterFirstQuery(own);
    try {
      const r = await run(['--config', policy(), '--prometheus', proxy.url, '--from', FROM, '--tier', 'HIGH', '--step', '15s']);
      oneLine(r, 1, [new RegExp(`${proxy.url.replace(/[.]/g, '\\.')}: cannot reach Prometheus`)]);
      assert.ok(proxy.queries() >= 3, 'the server answered a query before it stopped');
    } finally {
      proxy.close();
      await own.stop();
    }
  });

  it('gives up on a server that never answers after the timeout, exit 1 naming the URL, the token never shown', async () => {
    // The CLI's clock may run out before its request reaches the server (a busy machine), so what
    // is checked is the CLI's answer; the token sent is checked against a server that answers, below.
    const silent = await neverAnswers();
    try {
      const r = await run(['--config', policy(), '--prometheus', silent.url, '--from', FROM, '--tier', 'MEDIUM'], {
        ROLLOUT_LENS_PROMETHEUS_TIMEOUT: '300ms',
        ROLLOUT_LENS_PROMETHEUS_TOKEN: 's3cret',
      });
      oneLine(r, 1, [new RegExp(`${silent.url.replace(/[.]/g, '\\.')}: Prometheus did not answer within 0\\.3 s`)]);
      assert.doesNotMatch(r.stderr, /s3cret/);
      for (const h of silent.headers()) assert.equal(h.authorization, 'Bearer s3cret');
    } finally {
      await silent.close();
    }
  });

  it('sends the token as a bearer header and, when the server refuses it, exits 2 saying which variable holds it', async () => {
    const refusing = await refusesEveryToken();
    try {
      const r = await run(['--config', policy(), '--prometheus', refusing.url, '--from', FROM, '--tier', 'MEDIUM'], { ROLLOUT_LENS_PROMETHEUS_TOKEN: 's3cret' });
      oneLine(r, 2, [new RegExp(`${refusing.url.replace(/[.]/g, '\\.')}: Prometheus answered HTTP 401 \\(expected a valid bearer token in ROLLOUT_LENS_PROMETHEUS_TOKEN\\)`)]);
      assert.doesNotMatch(r.stderr, /s3cret/);
      // The CLI read the 401, so the server had the request, headers and all, before it answered.
      assert.ok(refusing.headers().length >= 1);
      for (const h of refusing.headers()) assert.equal(h.authorization, 'Bearer s3cret');
    } finally {
      await refusing.close();
    }
  });
});

/**
 * A TCP relay in front of `server` that, when the third query_range request starts, stops the real
 * server and drops every connection: Prometheus going away between two chunks. (The CLI has at most
 * two requests in flight, so by then at least one has been answered.)
 */
async function stopAfterFirstQuery(server: PromServer): Promise<{ url: string; queries: () => number; close: () => void }> {
  let seen = 0;
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    const upstream = createConnection(server.port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1').split('POST /api/v1/query_range').length - 1;
      if (seen >= 3) {
        void server.kill().then(() => {
          relay.close();
          for (const s of sockets) s.destroy();
        });
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    queries: () => seen,
    close: () => {
      relay.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/** An HTTP server that reads each request and never answers it. */
function neverAnswers(): Promise<RecordingServer> {
  return recordingServer((req) => req.resume());
}

/** An HTTP server that answers every request HTTP 401, as Prometheus behind an auth proxy does for a wrong token. */
function refusesEveryToken(): Promise<RecordingServer> {
  return recordingServer((req, res) => {
    req.resume();
    res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
  });
}

interface RecordingServer {
  url: string;
  /** The headers of every request the server has read, in order. */
  headers: () => IncomingHttpHeaders[];
  close: () => Promise<void>;
}

async function recordingServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<RecordingServer> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(req.headers);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    headers: () => seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
