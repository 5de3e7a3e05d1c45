/**
 * The plan exported for Argo Rollouts and Flagger: every object validates against the engine's real CRD
 * schema (read from /work/shared/data/crds at test time), and the steps, holds and conditions are the plan's.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { buildPlan, type Gate, type RolloutPlan } from '../../../src/core/plan';
import { exportArgoRollouts, exportFlagger, toYamlDocuments, type KubeObject } from '../../../src/core/plan/export';
import type { Tier } from '../../../src/core/tier';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import type { PolicyInput } from '../../../src/core/policy/schema';
import { assessment, NY, policy } from './helpers';

const yaml = createRequire(__filename)('js-yaml') as { load(s: string): unknown; loadAll(s: string): unknown[] };
const CRDS = '/work/shared/data/crds';

type Schema = Record<string, unknown>;

/**
 * A CRD's structural schema as JSON Schema: the API server's Kubernetes extensions made explicit, and
 * unknown fields rejected (the server would silently prune them, losing what the export meant to say).
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const s: Schema = {};
  for (const [k, v] of Object.entries(node)) s[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, toJsonSchema(ps)])) : toJsonSchema(v);
  if (s['x-kubernetes-int-or-string'] === true) {
    delete s.type;
    s.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable === true && typeof s.type === 'string') s.type = [s.type, 'null'];
  if (s.type === 'object' && s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) {
    s.additionalProperties = false;
  }
  return s;
}

const ajv = new Ajv({
  allErrors: true,
  strict: false,
  formats: {
    int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 },
    int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
    double: true, float: true, byte: true, 'date-time': true, 'int-or-string': true, duration: true, string: true, url: true,
  },
});
const validators = new Map<string, ValidateFunction>();
for (const file of ['argo-rollouts-rollout-crd.yaml', 'argo-rollouts-analysis-template-crd.yaml', 'flagger-crd.yaml']) {
  for (const crd of yaml.loadAll(readFileSync(path.join(CRDS, file), 'utf8')) as { spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } }[]) {
    if (!crd) continue;
    for (const v of crd.spec.versions) validators.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, ajv.compile(toJsonSchema(v.schema.openAPIV3Schema) as Schema));
  }
}

/** The CRD errors for an object, empty when the API server would accept it. */
function crdErrors(o: unknown): string[] {
  const { apiVersion, kind } = o as KubeObject;
  const validate = validators.get(`${apiVersion} ${kind}`);
  assert.ok(validate, `a CRD for ${apiVersion} ${kind}`);
  return validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const START = new Date('2026-03-16T15:00:00Z');
const planFor = (tier: Tier): RolloutPlan => buildPlan(assessment(tier), policy(), { start: START, timezone: NY });
const requiredSteps = (p: RolloutPlan) => p.stages.filter((s) => s.required).flatMap((s) => s.steps);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Canary = { strategy: { canary: { steps: Record<string, unknown>[]; analysis?: unknown } } };

/** Argo's condition strings evaluated as Argo does for a one-sample vector result. */
function holds(condition: string, value: number): boolean {
  const m = /^result\[0\] (<=|>=|<|>) (-?[\d.]+)$/.exec(condition);
  assert.ok(m, `a comparison on result[0]: ${condition}`);
  const t = Number(m[2]);
  return { '<=': value <= t, '>=': value >= t, '<': value < t, '>': value > t }[m[1] as '<=']!;
}

function argoVerdict(metric: { successCondition: string; failureCondition: string }, value: number): string {
  if (holds(metric.failureCondition, value)) return 'Failed';
  return holds(metric.successCondition, value) ? 'Successful' : 'Inconclusive';
}

/** A reading just past a threshold on the bad side of the gate. */
const worse = (g: Gate, t: number) => (g.direction === 'above' ? t + 0.01 : t - 0.01);

describe('plan export: Argo Rollouts and Flagger manifests', () => {
  for (const tier of ['ZERO', 'LOW', 'MEDIUM', 'HIGH'] as const) {
    it(`${tier}: every exported object validates against its engine's CRD schema`, () => {
      const plan = planFor(tier);
      const opts = { name: 'checkout', namespace: 'shop' };
      for (const o of [...exportArgoRollouts(plan, opts).objects, ...exportFlagger(plan, opts).objects]) {
        assert.deepEqual(crdErrors(o), [], `${o.kind} ${o.metadata.name}`);
      }
    });
  }

  it('rejects broken objects, so the validation above is real', () => {
    const [rollout, template] = exportArgoRollouts(planFor('HIGH')).objects;
    const ten = clone(rollout);
    (ten.spec as Canary).strategy.canary.steps[0] = { setWeight: 'ten' };
    assert.match(crdErrors(ten).join('\n'), /steps\/0\/setWeight must be integer/);
    const typo = clone(rollout);
    (typo.spec as Canary).strategy.canary.steps[0] = { setWieght: 10 };
    assert.match(crdErrors(typo).join('\n'), /additional properties/);
    const limit = clone(template);
    (limit.spec.metrics as { failureLimit: unknown }[])[0].failureLimit = 1.5;
    assert.notDeepEqual(crdErrors(limit), [], 'failureLimit is an int or a string');
    const canary = clone(exportFlagger(planFor('HIGH')).objects[0]);
    (canary.spec.analysis as { metrics: { thresholdRange: unknown }[] }).metrics[0].thresholdRange = { min: { value: 1 } };
    assert.match(crdErrors(canary).join('\n'), /thresholdRange\/min must be number/);
    const hours = clone(exportFlagger(planFor('HIGH')).objects[0]);
    (hours.spec.analysis as { interval: string }).interval = '4h';
    assert.match(crdErrors(hours).join('\n'), /interval must match pattern/);
  });

  for (const tier of ['MEDIUM', 'HIGH'] as const) {
    it(`${tier}: Argo steps are the plan's traffic steps and minimum waits, with the gates in a background analysis`, () => {
      const plan = planFor(tier);
      const [rollout, template] = exportArgoRollouts(plan, { name: 'checkout' }).objects;
      const canary = (rollout.spec as Canary).strategy.canary;
      // Walk the plan and the exported steps together: each weight change is a setWeight, each wait a pause.
      const expected: Record<string, unknown>[] = [];
      let weight: number | undefined;
      for (const s of requiredSteps(plan)) {
        if (s.trafficPercent !== weight) expected.push({ setWeight: s.trafficPercent });
        weight = s.trafficPercent;
        if (s.waitHours.min > 0) expected.push({ pause: { duration: `${s.waitHours.min}h` } });
      }
      assert.deepEqual(canary.steps, expected);
      assert.ok(expected.some((s) => (s as { setWeight?: number }).setWeight === (tier === 'HIGH' ? 5 : 10)), 'the first canary weight is there');
      assert.deepEqual(canary.analysis, { templates: [{ templateName: template.metadata.name }] });
      assert.equal(rollout.spec.workloadRef && (rollout.spec.workloadRef as { name: string }).name, 'checkout');
    });

    it(`${tier}: Flagger steps through the plan's canary weights and warns where holds differ`, () => {
      const plan = planFor(tier);
      const { objects, warnings } = exportFlagger(plan);
      const analysis = objects[0].spec.analysis as { stepWeights: number[]; maxWeight: number; interval: string };
      const weights = requiredSteps(plan).map((s) => s.trafficPercent).filter((w) => w > 0 && w < 100);
      assert.deepEqual(analysis.stepWeights, weights);
      assert.equal(analysis.maxWeight, weights[weights.length - 1]);
      const holdsH = requiredSteps(plan).filter((s) => s.trafficPercent > 0 && s.trafficPercent < 100).map((s) => s.waitHours.min);
      assert.equal(analysis.interval, `${Math.min(...holdsH) * 60}m`);
      const longer = holdsH.filter((h) => h > Math.min(...holdsH)).length;
      assert.equal(warnings.filter((w) => /Flagger holds every step weight/.test(w)).length, longer);
    });
  }

  it('Argo conditions and failure limits follow each gate\'s thresholds and direction', () => {
    const plan = planFor('HIGH');
    const gates = plan.stages[2].gates;
    const metrics = exportArgoRollouts(plan).objects[1].spec.metrics as { name: string; successCondition: string; failureCondition: string; failureLimit: number }[];
    assert.deepEqual(metrics.map((m) => m.name), gates.map((g) => g.metric));
    for (const g of gates) {
      const m = metrics.find((x) => x.name === g.metric)!;
      assert.equal(argoVerdict(m, worse(g, g.critical)), 'Failed', `${g.metric} past critical`);
      assert.equal(argoVerdict(m, g.baseline), 'Successful', `${g.metric} at baseline`);
      if (g.warning !== g.critical) assert.equal(argoVerdict(m, worse(g, g.warning)), 'Inconclusive', `${g.metric} in the warning band`);
      assert.equal(m.failureLimit, Math.max(g.consecutive, g.sustainMinutes) - 1);
    }
    const success = metrics.find((m) => m.name === 'success_rate')!;
    assert.equal(argoVerdict(success, 99.4), 'Failed', 'success rate fails when it drops');
    assert.equal(argoVerdict(success, 99.99), 'Successful');
  });

  it('Argo limits carry the policy\'s failureLimit and warningLimit, and the hole as consecutive errors', () => {
    type Limited = { name: string; failureLimit: number; inconclusiveLimit: number; consecutiveErrorLimit: number };
    const byName = (p: RolloutPlan) => new Map((exportArgoRollouts(p).objects[1].spec.metrics as Limited[]).map((m) => [m.name, m]));
    const plain = byName(planFor('HIGH'));
    // Defaults: a warning pauses at the 3rd warning-band measurement, latency fails at its 10th critical.
    assert.deepEqual(plain.get('latency_p95_ms'), { ...plain.get('latency_p95_ms'), failureLimit: 9, inconclusiveLimit: 2, consecutiveErrorLimit: 5 });
    assert.equal(plain.get('error_rate')!.failureLimit, 0);
    const tuned = buildPlan(assessment('HIGH'), policy({ gates: { latency_p95_ms: { failureLimit: 3, warningLimit: 1 }, error_rate: { failureLimit: 4, warningLimit: 7 } } }), { start: START, timezone: NY });
    const t = byName(tuned);
    assert.equal(t.get('latency_p95_ms')!.failureLimit, 2, 'the 3rd critical measurement fails the metric');
    assert.equal(t.get('latency_p95_ms')!.inconclusiveLimit, 0, 'the 1st warning-band measurement pauses');
    assert.equal(t.get('error_rate')!.failureLimit, 0, 'error rate still rolls back at its first critical reading');
    assert.equal(t.get('error_rate')!.inconclusiveLimit, 6);
    const { objects, notes } = exportArgoRollouts(tuned, { name: 'checkout', namespace: 'shop' });
    for (const o of objects) assert.deepEqual(crdErrors(o), [], `${o.kind} ${o.metadata.name}`);
    assert.match(notes.join(' '), /whole background analysis/);
    assert.match(notes.join(' '), /aborts the rollout; the plan holds/);
    const text = toYamlDocuments(objects, notes);
    assert.match(text, /^# Argo Rollouts counts failed/);
    assert.deepEqual(yaml.loadAll(text), JSON.parse(JSON.stringify(objects)), 'the notes are comments: the manifests read back the same');
  });

  it('Flagger\'s one threshold is the earliest any gate rolls back, and it says what it cannot express', () => {
    const threshold = (p: RolloutPlan) => (exportFlagger(p).objects[0].spec.analysis as { threshold: number }).threshold;
    assert.equal(threshold(planFor('HIGH')), 1, 'error rate rolls back at its first critical reading');
    const only = (gates: NonNullable<PolicyInput['gates']>) => buildPlan(assessment('HIGH'), policy({ gates }), { start: START, timezone: NY });
    const off = { error_rate: { enabled: false }, success_rate: { enabled: false }, db_errors_per_min: { enabled: false }, security_alerts: { enabled: false } };
    assert.equal(threshold(only(off)), 10, 'latency alone: its 10-minute sustain');
    const limited = only({ ...off, latency_p95_ms: { failureLimit: 4, warningLimit: 2 } });
    assert.equal(threshold(limited), 4, 'latency\'s failureLimit 4 is earlier than its sustain');
    const { objects, warnings, notes } = exportFlagger(limited, { name: 'checkout' });
    for (const o of objects) assert.deepEqual(crdErrors(o), [], `${o.kind} ${o.metadata.name}`);
    assert.match(warnings.join('\n'), /gate "latency_p95_ms" sets warningLimit 2, but Flagger has no warning band/);
    assert.match(notes.join(' '), /counted over the whole analysis and for every metric together/);
    assert.match(notes.join(' '), /never pauses for a person/);
    const mixed = exportFlagger(only({ latency_p95_ms: { failureLimit: 4 } })).warnings.join('\n');
    assert.match(mixed, /gate "latency_p95_ms" rolls back after 4 critical readings, but Flagger has one threshold for every metric: 1 failed checks/);
    assert.doesNotMatch(exportFlagger(planFor('HIGH')).warnings.join('\n'), /warningLimit|one threshold/, 'defaults raise no warning');
  });

  it('Flagger uses its built-in success rate and MetricTemplates, bounded on the gate\'s bad side', () => {
    const plan = planFor('HIGH');
    const [canary, ...templates] = exportFlagger(plan, { name: 'checkout', namespace: 'shop' }).objects;
    const metrics = (canary.spec.analysis as { metrics: { name: string; thresholdRange: { min?: number; max?: number }; templateRef?: { name: string } }[] }).metrics;
    const success = metrics.find((m) => m.name === 'request-success-rate')!;
    assert.deepEqual(success.thresholdRange, { min: 99.5 });
    assert.equal(success.templateRef, undefined);
    const errors = metrics.find((m) => m.name === 'error_rate')!;
    assert.deepEqual(errors.thresholdRange, { max: 0.5 });
    assert.deepEqual(templates.map((t) => t.metadata.name).sort(), metrics.flatMap((m) => m.templateRef?.name ?? []).sort());
    assert.ok(templates.every((t) => t.kind === 'MetricTemplate' && t.metadata.namespace === 'shop'));
  });

  it('ZERO goes to 100% at once with no analysis; a flag-gated LOW plan holds its dark hour under analysis', () => {
    const zero = exportArgoRollouts(planFor('ZERO')).objects;
    assert.deepEqual(zero.map((o) => o.kind), ['Rollout']);
    assert.deepEqual((zero[0].spec as Canary).strategy.canary.steps, [{ setWeight: 100 }]);
    const low = exportArgoRollouts(planFor('LOW')).objects;
    assert.deepEqual((low[0].spec as Canary).strategy.canary.steps, [{ setWeight: 100 }, { pause: { duration: '1h' } }]);
    assert.equal(low[1].kind, 'AnalysisTemplate');
    const flagger = exportFlagger(planFor('ZERO')).objects[0].spec;
    assert.equal(flagger.skipAnalysis, true);
  });

  it('uses the policy\'s queries and warns about each gated metric that still has none', () => {
    const plan = planFor('MEDIUM');
    const prometheus = { address: 'http://prom:9090', queries: { error_rate: 'sum(rate(errors[1m]))', success_rate: 'avg(success)' } };
    const { objects, warnings } = exportArgoRollouts(plan, { prometheus });
    const metrics = objects[1].spec.metrics as { name: string; provider: { prometheus: { address: string; query: string } } }[];
    assert.equal(metrics.find((m) => m.name === 'error_rate')!.provider.prometheus.query, 'sum(rate(errors[1m]))');
    assert.ok(metrics.every((m) => m.provider.prometheus.address === 'http://prom:9090'));
    const missing = plan.stages[2].gates.map((g) => g.metric).filter((m) => !(m in prometheus.queries));
    assert.deepEqual(warnings.map((w) => /metric "(\w+)"/.exec(w)?.[1]), missing);
    for (const m of missing) assert.match(metrics.find((x) => x.name === m)!.provider.prometheus.query, /PLACEHOLDER/);
  });

  it('says, per engine, that a canary-against-baseline query is not exported and why, and writes the gate\'s thresholds unchanged', () => {
    const plan = planFor('MEDIUM');
    const prometheus = { queries: { error_rate: 'canary_errors' }, baseline: { error_rate: 'stable_errors' } };
    const argo = exportArgoRollouts(plan, { prometheus });
    const argoLines = argo.warnings.filter((w) => /prometheus\.baseline/.test(w));
    assert.equal(argoLines.length, 1);
    assert.match(argoLines[0], /^argo-rollouts: prometheus\.baseline\.error_rate is not exported: Argo Rollouts judges a canary against its baseline only through its Kayenta provider/);
    const metric = (argo.objects[1].spec.metrics as { name: string; provider: { prometheus: { query: string } } }[]).find((m) => m.name === 'error_rate')!;
    assert.equal(metric.provider.prometheus.query, 'canary_errors');
    assert.doesNotMatch(JSON.stringify(argo.objects), /stable_errors/);
    const flagger = exportFlagger(plan, { prometheus }).warnings.filter((w) => /prometheus\.baseline/.test(w));
    assert.deepEqual(flagger, ['flagger: prometheus.baseline.error_rate is not exported: Flagger checks each metric against a fixed thresholdRange and has no statistical test of two series; the exported gate keeps its thresholds only']);
    assert.equal(exportArgoRollouts(plan, { prometheus: { queries: prometheus.queries } }).warnings.filter((w) => /baseline/.test(w)).length, 0);
  });
});

describe('plan --export: the CLI', function () {
  let cli: CliUnderTest;
  before(async () => {
    cli = await buildCli('plan', NY);
  });
  after(() => cli.cleanup());

  for (const engine of ['argo-rollouts', 'flagger']) {
    it(`${engine}: the YAML parses back to the --json objects, with a warning line per metric with no query`, () => {
      const base = ['--tier', 'HIGH', '--start', '2026-03-16T11:00', '--export', engine, '--name', 'checkout', '--namespace', 'shop'];
      const y = cli.run(...base);
      const j = cli.run(...base, '--json');
      assert.equal(y.code, 0, y.stderr);
      assert.equal(j.code, 0, j.stderr);
      const objects = JSON.parse(j.stdout) as KubeObject[];
      assert.deepEqual(yaml.loadAll(y.stdout), objects);
      assert.ok(objects.length > 1);
      for (const o of objects) assert.deepEqual(crdErrors(o), [], `${o.kind} ${o.metadata.name}`);
      for (const m of ['error_rate', 'latency_p95_ms', 'db_errors_per_min', 'security_alerts']) assert.match(y.stderr, new RegExp(`^warning: .*"${m}".*no Prometheus query`, 'm'));
    });
  }

  it('reads queries from the policy file and stays quiet when every metric has one', () => {
    const queries = Object.fromEntries(['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts'].map((m) => [m, `sum(${m})`]));
    const file = path.join(cli.dir, 'prom.json');
    writeFileSync(file, JSON.stringify({ prometheus: { address: 'http://prom:9090', queries } }));
    const r = cli.run('--tier', 'MEDIUM', '--export', 'argo-rollouts', '--config', file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /query: sum\(latency_p95_ms\)/);
  });

  it('exits 2 naming the accepted engines, and on a bad name', () => {
    cli.expectBadInput(['--tier', 'HIGH', '--export', 'spinnaker'], /--export: expected one of argo-rollouts, flagger, got "spinnaker"/);
    cli.expectBadInput(['--tier', 'HIGH', '--export', 'flagger', '--name', 'Check_Out'], /--name: expected a Kubernetes name/);
    cli.expectBadInput(['--tier', 'HIGH', '--name', 'checkout'], /--name needs --export/);
  });
});

describe('plan export: the YAML emitter', () => {
  it('quotes strings that plain YAML would read as something else, and reads back exactly', () => {
    const tricky = ['yes', 'no', 'on', 'null', '~', '1.5', '1e3', '0x1F', '012', '', ' lead', 'a: b', 'x #y', '#c', '- d', '[e]', '{f}', '*g', '&h', '!i', '|j', '>k', '%l', '@m', '`n', 'é', 'two\nlines', 'tab\there', 'q"uote', "s'ingle", 'back\\slash'];
    const docs = [{ strings: tricky, nested: [[1, [2]], [], {}, { 'key: odd': null, n: -0.25, t: true }] }, 'plain', 42];
    assert.deepEqual(yaml.loadAll(toYamlDocuments(docs)), docs);
  });
});
