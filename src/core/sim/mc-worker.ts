/** A Monte Carlo worker thread: rebuilds the scenario model from plain data and runs its share of the seeds. */
import { parentPort, workerData } from 'node:worker_threads';
import { runSeeds } from './montecarlo';
import type { WorkerJob } from './parallel';
import { scenarioModel } from './simulate';

const job = workerData as WorkerJob;
const model = scenarioModel(job.plan, job.scenario, job.options);
const part = runSeeds(model, job.firstSeed, job.runs);
parentPort!.postMessage(part, [part.outcome.buffer as ArrayBuffer, part.stopStage.buffer as ArrayBuffer, part.blastRadius.buffer as ArrayBuffer]);
