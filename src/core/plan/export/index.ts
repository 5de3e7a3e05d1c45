/** The rollout plan as manifests for the engines that execute it: Argo Rollouts and Flagger. */
import { InputError } from '../../errors';
import type { RolloutPlan } from '../schema';
import { exportArgoRollouts } from './argo';
import type { ExportOptions, ExportResult } from './common';
import { exportFlagger } from './flagger';

export { exportArgoRollouts, argoConditions, argoSteps } from './argo';
export { exportFlagger, thresholdRange } from './flagger';
export { toYaml, toYamlDocuments } from './yaml';
export type { ExportOptions, ExportResult, KubeObject } from './common';

export const EXPORT_ENGINES = ['argo-rollouts', 'flagger'] as const;
export type ExportEngine = (typeof EXPORT_ENGINES)[number];

export function checkEngine(engine: string): ExportEngine {
  if ((EXPORT_ENGINES as readonly string[]).includes(engine)) return engine as ExportEngine;
  throw new InputError(`expected one of ${EXPORT_ENGINES.join(', ')}, got "${engine}"`, { field: 'export' });
}

export function exportPlan(plan: RolloutPlan, engine: string, opts: ExportOptions = {}): ExportResult {
  return checkEngine(engine) === 'flagger' ? exportFlagger(plan, opts) : exportArgoRollouts(plan, opts);
}
