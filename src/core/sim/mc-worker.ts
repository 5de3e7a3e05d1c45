/**
 * A Monte Carlo worker thread of the pool: it stays up between jobs, so its code stays optimised,
 * rebuilds the scenario model only when a job names another one, and runs its share of the seeds.
 */
import { parentPort } from 'node:worker_threads';
import { runSeeds } from './montecarlo';
import type { WorkerJob, WorkerReply, WorkerRequest } from './parallel';
import type { ScenarioModel } from './scenarios';
import { scenarioModel } from './simulate';

let last: { key: string; model: ScenarioModel } | undefined;

function modelFor(job: WorkerJob): ScenarioModel {
  const key = JSON.stringify([job.plan, job.scenario, job.options]);
  if (last?.key !== key) last = { key, model: scenarioModel(job.plan, job.scenario, job.options) };
  return last.model;
}

parentPort!.on('message', ({ id, job }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id, part: runSeeds(modelFor(job), job.firstSeed, job.runs) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  const transfer = reply.part ? [reply.part.outcome.buffer as ArrayBuffer, reply.part.stopStage.buffer as ArrayBuffer, reply.part.blastRadius.buffer as ArrayBuffer] : [];
  parentPort!.postMessage(reply, transfer);
});
