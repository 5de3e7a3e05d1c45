/** The Engine over src/core. Loaded on first use only (see engine.ts): it brings git, the SQL parser and the simulator. */
import * as path from 'node:path';
import { readChange } from '../core/change';
import { loadPolicy } from '../core/policy/load';
import { policyRootOf } from '../core/policy/root';
import { buildPlan, placedFindings, planToMarkdown } from '../core/plan';
import { whatIfOfPlan } from '../protocol/whatIf';
import { assess } from '../core/risk';
import type { Assessment } from '../core/risk/types';
import { availableParallelism } from 'node:os';
import { monteCarloParallel } from '../core/sim/parallel';
import { SCENARIOS, SCENARIO_NAMES, scenarioOrThrow } from '../core/sim/scenarios';
import { replayRecording } from '../core/sim/recording';
import { simulateScenario } from '../core/sim/simulate';
import type { Trace } from '../core/sim/trace';
import { loadTrace } from '../core/sim/traces';
import { traceSpanMinutes } from '../core/sim/trace';
import { fetchTrace } from '../core/prometheus';
import type { Engine } from './engine';
import { FAULT_PRESETS, faultPreset } from './faults';

export const engine: Engine = {
  async analyze({ repo, base, signal, onGit }) {
    const { change, search } = await readChange({ repo, base, signal, onGit });
    const { policy } = await loadPolicy({ repoRoot: change.root });
    const assessment = await assess(change, policy, search);
    return { assessment, root: change.root, branch: change.branch };
  },

  loadPolicy(root) {
    return loadPolicy({ repoRoot: root });
  },

  policyRoot: policyRootOf,

  plan(input, policy, { start, timezone }) {
    // A chosen tier plans like `rollout-lens plan --tier`: an assessment of that tier with no files.
    const assessment: Assessment = 'assessment' in input ? input.assessment : { tier: input.tier, files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] };
    return buildPlan(assessment, policy, { start: start ?? new Date(), timezone });
  },

  markdown: planToMarkdown,
  findings: placedFindings,
  planValues: whatIfOfPlan,

  scenarios() {
    return SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description }));
  },

  faults() {
    return FAULT_PRESETS.map(({ name, description }) => ({ name, description }));
  },

  async loadTrace(file) {
    const trace = await loadTrace([file]);
    return { name: path.basename(file), metrics: [...trace.series.keys()], trace, spanMinutes: traceSpanMinutes(trace) };
  },

  async fetchPrometheus(plan, policy, { url, fromMs, toMs, stepMs, token, signal }) {
    const { trace, saved } = await fetchTrace(plan, { url, queries: policy.prometheus?.queries ?? {}, fromMs, toMs, stepMs }, { token, signal });
    const name = `Prometheus ${new Date(fromMs).toISOString().slice(0, 16)}Z–${new Date(toMs).toISOString().slice(0, 16)}Z`;
    return { trace: { name, metrics: [...trace.series.keys()], trace, alignAt: fromMs, spanMinutes: traceSpanMinutes(trace, fromMs) }, saved: JSON.stringify(saved) + '\n' };
  },

  async simulate(plan, source, { fault, runs }) {
    const faults = fault ? [faultPreset(fault)] : [];
    if (source.kind === 'trace') {
      // As the CLI replays it: units checked, named after its source, refused when it ends too early.
      return { result: replayRecording(plan, source.trace.trace as Trace, { alignAt: source.trace.alignAt, faults }) };
    }
    const scenario = scenarioOrThrow(source.scenario);
    const result = simulateScenario(plan, scenario, source.seed, { faults });
    if (runs <= 1) return { result };
    // Worker threads, never this one: the extension host stays responsive during thousands of runs.
    return { result, monteCarlo: await monteCarloParallel(plan, scenario, runs, source.seed, { faults }, availableParallelism(), true) };
  },
};
